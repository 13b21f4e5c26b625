// Package baseline reads the findings of a previous iamscan JSON report so
// that a scan can show only what is new since then (--baseline). Only
// findings[].fingerprint is read; the rest of the report may change
// between versions without breaking baselines.
package baseline

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"

	"github.com/iamscan/iamscan/rules"
)

// Set is the fingerprints of a previous report's findings.
type Set map[string]struct{}

// Load reads a previous JSON report.
func Load(path string) (Set, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(path, data)
}

// Parse reads the fingerprints of a JSON report; name is used in errors.
func Parse(name string, data []byte) (Set, error) {
	var report struct {
		Findings *[]struct {
			Fingerprint *string `json:"fingerprint"`
		} `json:"findings"`
	}
	if err := json.Unmarshal(data, &report); err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return nil, fmt.Errorf("%s:%d: baseline is not valid JSON: %v", name, lineOf(data, se.Offset), err)
		}
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return nil, fmt.Errorf("%s:%d: baseline is not an iamscan JSON report: %s has the wrong type", name, lineOf(data, te.Offset), te.Field)
		}
		return nil, fmt.Errorf("%s: %v", name, err)
	}
	if report.Findings == nil {
		return nil, fmt.Errorf("%s: baseline is not an iamscan JSON report (no \"findings\" list; write one with --format json)", name)
	}
	set := make(Set, len(*report.Findings))
	for i, f := range *report.Findings {
		if f.Fingerprint == nil || *f.Fingerprint == "" {
			return nil, fmt.Errorf("%s: finding %d of the baseline has no fingerprint", name, i)
		}
		set[*f.Fingerprint] = struct{}{}
	}
	return set, nil
}

func lineOf(data []byte, off int64) int {
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	return bytes.Count(data[:off], []byte{'\n'}) + 1
}

// Contains reports whether a finding was in the baseline.
func (s Set) Contains(f *rules.Finding) bool {
	_, ok := s[f.Fingerprint]
	return ok
}

// New returns the findings whose fingerprint the baseline does not have,
// in their original order. A nil Set keeps every finding.
func (s Set) New(findings []rules.Finding) []rules.Finding {
	out := make([]rules.Finding, 0, len(findings))
	for i := range findings {
		if !s.Contains(&findings[i]) {
			out = append(out, findings[i])
		}
	}
	return out
}
