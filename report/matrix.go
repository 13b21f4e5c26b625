package report

import (
	"slices"

	"github.com/iamscan/iamscan/cis"
	"github.com/iamscan/iamscan/rules"
)

// ControlStatus is a CIS control's state in one scan.
type ControlStatus string

const (
	ControlPass ControlStatus = "pass"
	ControlFail ControlStatus = "fail"
	// ControlNotEvaluable: a rule covers the control but could not judge
	// it (its input was missing or it failed to run).
	ControlNotEvaluable ControlStatus = "not-evaluable"
	// ControlNotCovered: no enabled rule maps to the control.
	ControlNotCovered ControlStatus = "not-covered"
)

// ControlRow is one line of a compliance matrix.
type ControlRow struct {
	cis.Control
	Status ControlStatus `json:"status"`
	// Reason explains not-evaluable (which rule, what was missing).
	Reason string   `json:"reason,omitempty"`
	Rules  []string `json:"rules"`
	// Findings are the fingerprints of the open findings behind a fail.
	Findings []string `json:"findings"`
	// Suppressed are the fingerprints of accepted findings; they do not
	// make the control fail but an auditor will want to see them.
	Suppressed []string `json:"suppressed"`
}

// Matrix is the compliance matrix of one benchmark version.
type Matrix struct {
	Benchmark string       `json:"benchmark"`
	Title     string       `json:"title"`
	Controls  []ControlRow `json:"controls"`
}

// CISMatrix computes, for every benchmark version in the catalog, each
// control's status from the rules that map to it. A control fails when
// any of its rules has an open finding; otherwise it is not evaluable
// when any of its rules could not run; otherwise it passes.
func CISMatrix(r *Report) []Matrix {
	results := make(map[string]rules.RuleResult, len(r.Results))
	for _, rr := range r.Results {
		results[rr.RuleID] = rr
	}
	open := map[string][]string{}
	suppressed := map[string][]string{}
	for i := range r.Findings {
		f := &r.Findings[i]
		if f.Suppressed() {
			suppressed[f.RuleID] = append(suppressed[f.RuleID], f.Fingerprint)
		} else {
			open[f.RuleID] = append(open[f.RuleID], f.Fingerprint)
		}
	}
	var out []Matrix
	for _, b := range cis.Benchmarks() {
		m := Matrix{Benchmark: b.Version, Title: b.Title}
		for _, ctl := range b.Controls {
			row := ControlRow{Control: ctl, Status: ControlNotCovered, Rules: []string{}, Findings: []string{}, Suppressed: []string{}}
			evaluable := true
			for _, meta := range r.Rules {
				if !slices.Contains(meta.CIS, rules.CISRef{Benchmark: b.Version, Control: ctl.ID}) {
					continue
				}
				row.Rules = append(row.Rules, meta.ID)
				row.Findings = append(row.Findings, open[meta.ID]...)
				row.Suppressed = append(row.Suppressed, suppressed[meta.ID]...)
				rr, ok := results[meta.ID]
				switch {
				case !ok:
					evaluable = false
					row.Reason = appendReason(row.Reason, meta.ID+": no result")
				case rr.Status == rules.StatusNotEvaluable || rr.Status == rules.StatusError:
					evaluable = false
					row.Reason = appendReason(row.Reason, meta.ID+": "+rr.Reason)
				}
			}
			switch {
			case len(row.Rules) == 0:
			case len(row.Findings) > 0:
				row.Status, row.Reason = ControlFail, ""
			case !evaluable:
				row.Status = ControlNotEvaluable
			default:
				row.Status = ControlPass
			}
			m.Controls = append(m.Controls, row)
		}
		out = append(out, m)
	}
	return out
}

func appendReason(s, add string) string {
	if s == "" {
		return add
	}
	return s + "; " + add
}
