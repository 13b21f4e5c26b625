package rules

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/iamscan/iamscan/snapshot"
)

// Status of one rule in one scan.
type Status string

const (
	StatusPass         Status = "pass"
	StatusFail         Status = "fail"
	StatusNotEvaluable Status = "not-evaluable" // input lacks what the rule needs
	StatusError        Status = "error"         // the rule could not run
	StatusDisabled     Status = "disabled"
)

// RuleResult is the outcome of one rule.
type RuleResult struct {
	RuleID   string `json:"ruleId"`
	Status   Status `json:"status"`
	Reason   string `json:"reason,omitempty"`
	Findings int    `json:"findings"`
	// Elapsed is the rule's own time, without shared computations it
	// triggered (those are in Result.Shared). Not part of any report:
	// reports are deterministic.
	Elapsed time.Duration `json:"-"`
}

// Options tune a Run.
type Options struct {
	AsOf time.Time
	// Params holds per-rule parameter overrides: rule id → name → value.
	Params map[string]map[string]any
	// Severity overrides: rule id → severity.
	Severity map[string]Severity
}

// Result is the outcome of running rules on a snapshot.
type Result struct {
	Findings []Finding
	Rules    []RuleResult
	// Shared is the time spent building each once-per-scan value
	// (effective permissions, the Rego input), by key.
	Shared map[string]time.Duration
}

// Run applies each rule to the snapshot once. Rules run concurrently:
// they only read the snapshot, and what several of them need (effective
// permissions, the Rego input) is built once through Pass.Shared while the
// rules that do not need it go on. Findings come back sorted (severity
// descending, then rule, resource, location, message), so output does not
// depend on scheduling.
func Run(snap *snapshot.Snapshot, rs []*Rule, opt Options) *Result {
	shared := &Shared{}
	results := make([]RuleResult, len(rs))
	findings := make([][]Finding, len(rs))
	var wg sync.WaitGroup
	for i, r := range rs {
		results[i] = RuleResult{RuleID: r.ID}
		if missing := missingData(snap, r); len(missing) > 0 {
			results[i].Status = StatusNotEvaluable
			results[i].Reason = strings.Join(missing, "; ")
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			findings[i] = runRule(snap, r, opt, shared, &results[i])
		}()
	}
	wg.Wait()
	res := &Result{Rules: results, Shared: shared.spent}
	n := 0
	for _, fs := range findings {
		n += len(fs)
	}
	res.Findings = make([]Finding, 0, n)
	for _, fs := range findings {
		res.Findings = append(res.Findings, fs...)
	}
	SortFindings(res.Findings)
	return res
}

// runRule runs one rule and fills in its result.
func runRule(snap *snapshot.Snapshot, r *Rule, opt Options, shared *Shared, rr *RuleResult) []Finding {
	var found []Finding
	pass := &Pass{Rule: r, Snapshot: snap, AsOf: opt.AsOf, params: opt.Params[r.ID], shared: shared}
	sev, override := opt.Severity[r.ID]
	pass.report = func(f Finding) {
		if override {
			f.Severity = sev
		}
		if f.RuleID == "" {
			f.RuleID = r.ID
		}
		if f.Severity == 0 {
			f.Severity = r.Severity
		}
		if f.Fingerprint == "" {
			f.Fingerprint = fingerprint(&f, 0)
		}
		found = append(found, f)
	}
	start := time.Now()
	err := runCheck(r, pass)
	rr.Elapsed = time.Since(start) - pass.waited
	switch {
	case err != nil:
		rr.Status, rr.Reason = StatusError, err.Error()
		return nil
	case len(found) > 0:
		rr.Status, rr.Findings = StatusFail, len(found)
	default:
		rr.Status = StatusPass
	}
	return found
}

// runCheck turns a panicking rule into an error: one broken rule must not
// take the scan down with it.
func runCheck(r *Rule, pass *Pass) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("rule %s panicked: %v", r.ID, v)
		}
	}()
	return r.Check(pass)
}

// missingData says, for each kind of data the rule needs and the input
// lacks, why it is missing: not given, unreadable (where), or a failed
// collection call.
func missingData(snap *snapshot.Snapshot, r *Rule) []string {
	var missing []string
	for _, d := range r.Needs {
		if !snap.Has(d) {
			missing = append(missing, snap.Why(d))
		}
	}
	return missing
}

// SortFindings orders findings deterministically: severity descending,
// then rule, resource, location and message; findings equal in all of
// these keep their order.
//
// It sorts indexes and moves each finding once: sorting the findings
// themselves (176 bytes each) with a stable sort moved them many times
// over, 25 ms for the 28,000 of the quota benchmark account.
func SortFindings(fs []Finding) {
	idx := make([]int32, len(fs))
	for i := range idx {
		idx[i] = int32(i)
	}
	slices.SortFunc(idx, func(i, j int32) int {
		a, b := &fs[i], &fs[j]
		return cmp.Or(
			cmp.Compare(b.Severity, a.Severity),
			strings.Compare(a.RuleID, b.RuleID),
			strings.Compare(a.Resource, b.Resource),
			strings.Compare(a.Location.File, b.Location.File),
			cmp.Compare(a.Location.Line, b.Location.Line),
			cmp.Compare(a.Location.Col, b.Location.Col),
			strings.Compare(a.Message, b.Message),
			cmp.Compare(i, j), // stable
		)
	})
	sorted := make([]Finding, len(fs))
	for k, i := range idx {
		sorted[k] = fs[i]
	}
	copy(fs, sorted)
}
