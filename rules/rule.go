// Package rules defines what a rule is (metadata plus a Check over a
// snapshot), what it reports (a Finding), the registry of built-in Go
// rules, and Run, which applies rules to a snapshot.
//
// A rule is a value, in the manner of golang.org/x/tools/go/analysis: its
// documentation travels with it, so `iamscan rules`, `iamscan explain`,
// docs/rules.md and every report's rule table come from one source.
package rules

import (
	"fmt"
	"strings"

	"github.com/iamscan/iamscan/snapshot"
)

// Severity orders findings. The zero value is invalid.
type Severity int

const (
	Info Severity = iota + 1
	Low
	Medium
	High
	Critical
)

var severityNames = [...]string{"", "info", "low", "medium", "high", "critical"}

func (s Severity) String() string {
	if s < Info || s > Critical {
		return fmt.Sprintf("severity(%d)", int(s))
	}
	return severityNames[s]
}

// ParseSeverity reads a severity name, case-insensitively.
func ParseSeverity(name string) (Severity, error) {
	for i := Info; i <= Critical; i++ {
		if strings.EqualFold(name, severityNames[i]) {
			return i, nil
		}
	}
	return 0, fmt.Errorf("unknown severity %q (want info, low, medium, high or critical)", name)
}

// MarshalText writes the severity's name.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText reads a severity name.
func (s *Severity) UnmarshalText(b []byte) error {
	v, err := ParseSeverity(string(b))
	*s = v
	return err
}

// CIS benchmark versions a rule can map to.
const (
	CISv3 = "v3.0.0"
	CISv4 = "v4.0.0"
	CISv5 = "v5.0.0"
)

// CISRef maps a rule to one control of one CIS AWS Foundations Benchmark
// version.
type CISRef struct {
	Benchmark string `json:"benchmark"` // CISv3, CISv4 or CISv5
	Control   string `json:"control"`   // e.g. "1.4"
}

// Param documents one tunable of a rule, settable in the config file.
type Param struct {
	Name    string `json:"name"`
	Doc     string `json:"doc"`
	Default any    `json:"default"` // int (days), []string, string or bool
}

// Families group rules in reports.
const (
	FamilyWildcards   = "wildcards"
	FamilyCredentials = "credentials"
	FamilyUnused      = "unused"
	FamilyTrust       = "trust"
	FamilyEscalation  = "privilege-escalation"
	FamilyInput       = "input"
)

// Meta is a rule's documentation and identity.
type Meta struct {
	ID          string   `json:"id"` // "IAM" + three digits, never reused
	Title       string   `json:"title"`
	Severity    Severity `json:"severity"`
	Family      string   `json:"family"`
	Description string   `json:"description"`
	Remediation string   `json:"remediation"`
	References  []string `json:"references,omitempty"`
	CIS         []CISRef `json:"cis,omitempty"`
	Params      []Param  `json:"params,omitempty"`
	// Needs lists the data the rule reads; when any is missing from the
	// snapshot the rule is "not evaluable" rather than passing.
	Needs []snapshot.Data `json:"needs,omitempty"`
	// Engine is "go" or "rego"; set by the registry, not by rule authors.
	Engine string `json:"engine"`
	// Source is where the rule is defined (Go file or .rego path).
	Source string `json:"source,omitempty"`
}

// Rule is a check with its metadata.
type Rule struct {
	Meta
	// Check inspects pass.Snapshot and calls pass.Report for each
	// problem. It returns an error only when it cannot run at all.
	Check func(pass *Pass) error
}
