package rules

import (
	"fmt"
	"sync"
	"time"

	"github.com/iamscan/iamscan/policy"
	"github.com/iamscan/iamscan/snapshot"
)

// Pass is one rule's view of one scan.
type Pass struct {
	Rule     *Rule
	Snapshot *snapshot.Snapshot
	// AsOf is "now" for age-based rules: --as-of, else the snapshot's
	// collection time, else the time the scan started.
	AsOf   time.Time
	params map[string]any
	shared *Shared
	report func(Finding)
	// waited is the time this pass spent in Shared (building or waiting
	// for a value another rule is building), so that a rule's own time
	// can be told from the engine's.
	waited time.Duration
}

// Shared holds results computed once per scan and used by many rules
// (effective permissions, the Rego input). Safe for concurrent use.
type Shared struct {
	mu    sync.Mutex
	cells map[string]*sharedCell
	// spent is the time spent building shared values, by key, so that
	// Run can tell a rule's own time from the engine work it triggered.
	spent map[string]time.Duration
}

type sharedCell struct {
	once sync.Once
	val  any
	err  error
}

// Shared returns the value stored under key, computing it with build the
// first time any rule of this scan asks.
func (p *Pass) Shared(key string, build func() (any, error)) (any, error) {
	s := p.shared
	s.mu.Lock()
	if s.cells == nil {
		s.cells = make(map[string]*sharedCell)
	}
	c := s.cells[key]
	if c == nil {
		c = &sharedCell{}
		s.cells[key] = c
	}
	s.mu.Unlock()
	asked := time.Now()
	defer func() { p.waited += time.Since(asked) }()
	c.once.Do(func() {
		start := time.Now()
		c.val, c.err = build()
		s.mu.Lock()
		if s.spent == nil {
			s.spent = make(map[string]time.Duration)
		}
		s.spent[key] += time.Since(start)
		s.mu.Unlock()
	})
	return c.val, c.err
}

// Days returns an integer parameter (a number of days) of the rule.
func (p *Pass) Days(name string) int {
	switch v := p.param(name).(type) {
	case int:
		return v
	case int64:
		return int(v)
	case float64:
		return int(v)
	}
	panic(fmt.Sprintf("rule %s: parameter %q is not a number", p.Rule.ID, name))
}

// Strings returns a list parameter of the rule.
func (p *Pass) Strings(name string) []string {
	switch v := p.param(name).(type) {
	case []string:
		return v
	case []any:
		out := make([]string, 0, len(v))
		for _, e := range v {
			out = append(out, fmt.Sprint(e))
		}
		return out
	case nil:
		return nil
	}
	panic(fmt.Sprintf("rule %s: parameter %q is not a list", p.Rule.ID, name))
}

// Param returns a parameter's configured value or its default.
func (p *Pass) param(name string) any {
	if v, ok := p.params[name]; ok {
		return v
	}
	for _, prm := range p.Rule.Params {
		if prm.Name == name {
			return prm.Default
		}
	}
	panic(fmt.Sprintf("rule %s: undeclared parameter %q", p.Rule.ID, name))
}

// Param returns a parameter's configured value or its default (for Rego
// and other engines that want the raw value).
func (p *Pass) Param(name string) any { return p.param(name) }

// Report records a finding. RuleID, Severity and Fingerprint are filled
// in; the rule supplies Resource, Message and Location.
func (p *Pass) Report(f Finding) { p.report(f) }

// ReportStatement records a finding on one statement of a policy.
func (p *Pass) ReportStatement(ref snapshot.PolicyRef, st *policy.Statement, principal, msg string) {
	f := Finding{
		Resource:  ref.ARN,
		Principal: principal,
		Policy:    policyName(ref),
		Sid:       st.Sid,
		Message:   msg,
		Location:  st.Loc,
	}
	p.reportIndexed(f, st.Index)
}

func (p *Pass) reportIndexed(f Finding, stmt int) {
	f.RuleID = p.Rule.ID
	if f.Severity == 0 {
		f.Severity = p.Rule.Severity
	}
	f.Fingerprint = fingerprint(&f, stmt+1)
	p.report(f)
}

// policyName is how findings name a document: the managed policy ARN, or
// "inline:NAME", "trust", or the standalone file name.
func policyName(ref snapshot.PolicyRef) string {
	switch ref.Kind {
	case snapshot.PolicyManaged, snapshot.PolicyOrg:
		return ref.ARN
	case snapshot.PolicyInline:
		return "inline:" + ref.Name
	case snapshot.PolicyTrust:
		return "trust"
	}
	return ref.Name
}
