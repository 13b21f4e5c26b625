package rules

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/iamscan/iamscan/policy"
	"github.com/iamscan/iamscan/snapshot"
)

func testRule(id string, check func(*Pass) error) *Rule {
	return &Rule{
		Meta: Meta{
			ID: id, Title: "t", Severity: Medium, Family: FamilyWildcards,
			Description: "d", Remediation: "r",
			Params: []Param{{Name: "days", Doc: "threshold", Default: 90}},
		},
		Check: check,
	}
}

func TestRunStatuses(t *testing.T) {
	snap := &snapshot.Snapshot{Present: map[snapshot.Data]bool{snapshot.DataAuthorizationDetails: true}}
	needsReport := testRule("IAM901", func(p *Pass) error { t.Fatal("must not run without its data"); return nil })
	needsReport.Needs = []snapshot.Data{snapshot.DataCredentialReport}
	rs := []*Rule{
		testRule("IAM900", func(p *Pass) error { return nil }),
		needsReport,
		testRule("IAM902", func(p *Pass) error {
			p.Report(Finding{Resource: "arn:b", Message: "m"})
			p.Report(Finding{Resource: "arn:a", Message: "m"})
			return nil
		}),
		testRule("IAM903", func(p *Pass) error {
			p.Report(Finding{Resource: "arn:x", Message: "dropped with the error"})
			return errors.New("cannot run")
		}),
		testRule("IAM904", func(p *Pass) error { panic("boom") }),
	}
	res := Run(snap, rs, Options{})
	want := []struct {
		status   Status
		findings int
		reason   string
	}{
		{StatusPass, 0, ""},
		{StatusNotEvaluable, 0, "input has no credential-report"},
		{StatusFail, 2, ""},
		{StatusError, 0, "cannot run"},
		{StatusError, 0, "rule IAM904 panicked: boom"},
	}
	for i, w := range want {
		got := res.Rules[i]
		if got.Status != w.status || got.Findings != w.findings || got.Reason != w.reason {
			t.Errorf("rule %s: got %s/%d/%q, want %s/%d/%q", got.RuleID, got.Status, got.Findings, got.Reason, w.status, w.findings, w.reason)
		}
	}
	if len(res.Findings) != 2 || res.Findings[0].Resource != "arn:a" {
		t.Fatalf("findings not sorted or error findings kept: %+v", res.Findings)
	}
	for _, f := range res.Findings {
		if f.RuleID != "IAM902" || f.Severity != Medium || len(f.Fingerprint) != 24 {
			t.Errorf("finding not completed: %+v", f)
		}
	}
}

// A rule whose data is missing says why: not given, unreadable (where), or
// a collection call that failed.
func TestRunSaysWhyDataIsMissing(t *testing.T) {
	rule := testRule("IAM901", func(p *Pass) error { t.Fatal("must not run without its data"); return nil })
	rule.Needs = []snapshot.Data{snapshot.DataCredentialReport, snapshot.DataPasswordPolicy}
	snap := &snapshot.Snapshot{
		Present:    map[snapshot.Data]bool{},
		Unreadable: map[snapshot.Data]policy.Location{snapshot.DataCredentialReport: {File: "acct.json", Line: 7, Col: 3}},
		CollectionErrors: []snapshot.CollectionError{
			{Operation: "GetAccountPasswordPolicy", Code: "AccessDenied", Missing: []snapshot.Data{snapshot.DataPasswordPolicy}},
		},
	}
	got := Run(snap, []*Rule{rule}, Options{}).Rules[0]
	want := "the credential-report at acct.json:7:3 could not be read; no password-policy: GetAccountPasswordPolicy failed (AccessDenied)"
	if got.Status != StatusNotEvaluable || got.Reason != want {
		t.Errorf("got %s %q\nwant not-evaluable %q", got.Status, got.Reason, want)
	}
}

func TestRunOverridesAndParams(t *testing.T) {
	var days int
	r := testRule("IAM900", func(p *Pass) error {
		days = p.Days("days")
		p.Report(Finding{Resource: "arn:a", Message: "m"})
		return nil
	})
	res := Run(&snapshot.Snapshot{}, []*Rule{r}, Options{
		Params:   map[string]map[string]any{"IAM900": {"days": 30}},
		Severity: map[string]Severity{"IAM900": Critical},
	})
	if days != 30 {
		t.Errorf("param override not applied: days = %d", days)
	}
	if res.Findings[0].Severity != Critical {
		t.Errorf("severity override not applied: %s", res.Findings[0].Severity)
	}
	Run(&snapshot.Snapshot{}, []*Rule{r}, Options{})
	if days != 90 {
		t.Errorf("default param not used: days = %d", days)
	}
}

func TestSharedBuildsOncePerScan(t *testing.T) {
	var builds atomic.Int32
	use := func(p *Pass) error {
		v, err := p.Shared("k", func() (any, error) {
			builds.Add(1)
			time.Sleep(2 * time.Millisecond)
			return 42, nil
		})
		if v.(int) != 42 {
			t.Errorf("shared value = %v", v)
		}
		return err
	}
	res := Run(&snapshot.Snapshot{}, []*Rule{testRule("IAM900", use), testRule("IAM901", use)}, Options{})
	if builds.Load() != 1 {
		t.Fatalf("shared value built %d times, want once", builds.Load())
	}
	if res.Shared["k"] <= 0 {
		t.Errorf("shared build time not recorded: %v", res.Shared)
	}
	if res.Rules[0].Elapsed >= res.Shared["k"] {
		t.Errorf("rule time %v includes the shared build %v", res.Rules[0].Elapsed, res.Shared["k"])
	}
}

func TestFingerprintIgnoresLineButNotStatement(t *testing.T) {
	ref := snapshot.PolicyRef{Kind: snapshot.PolicyManaged, ARN: "arn:aws:iam::1:policy/P", Name: "P"}
	var got []Finding
	p := &Pass{Rule: testRule("IAM900", nil), shared: &Shared{}, report: func(f Finding) { got = append(got, f) }}
	p.ReportStatement(ref, &policy.Statement{Index: 0, Loc: policy.Location{File: "a.json", Line: 10}}, "", "msg")
	p.ReportStatement(ref, &policy.Statement{Index: 0, Loc: policy.Location{File: "a.json", Line: 99}}, "", "msg")
	p.ReportStatement(ref, &policy.Statement{Index: 1, Loc: policy.Location{File: "a.json", Line: 10}}, "", "msg")
	if got[0].Fingerprint != got[1].Fingerprint {
		t.Error("moving a statement to another line changed its fingerprint")
	}
	if got[0].Fingerprint == got[2].Fingerprint {
		t.Error("two statements of one policy share a fingerprint")
	}
	if got[0].Policy != "arn:aws:iam::1:policy/P" {
		t.Errorf("policy name = %q", got[0].Policy)
	}
}

func TestValidate(t *testing.T) {
	ok := testRule("IAM900", func(*Pass) error { return nil })
	bad := &Rule{Meta: Meta{ID: "X1", Severity: 9, CIS: []CISRef{{Benchmark: "v9", Control: "1.1"}}}}
	dup := testRule("IAM900", func(*Pass) error { return nil })
	if err := Validate([]*Rule{ok}); err != nil {
		t.Fatalf("valid rule rejected: %v", err)
	}
	err := Validate([]*Rule{ok, bad, dup})
	if err == nil {
		t.Fatal("invalid rules accepted")
	}
	for _, want := range []string{"duplicate rule id", "IAM followed by three digits", "missing title", "missing remediation", "invalid severity", "no Check function", `unknown CIS benchmark version "v9"`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
}

func TestParseSeverity(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Severity
		err  bool
	}{{"critical", Critical, false}, {"HIGH", High, false}, {"info", Info, false}, {"severe", 0, true}, {"", 0, true}} {
		got, err := ParseSeverity(tc.in)
		if got != tc.want || (err != nil) != tc.err {
			t.Errorf("ParseSeverity(%q) = %v, %v", tc.in, got, err)
		}
	}
}

// Statement rules need some policy documents: an input of only a
// credential report makes them not evaluable rather than passing.
func TestStatementRulesNeedPolicies(t *testing.T) {
	for _, tc := range []struct {
		present []snapshot.Data
		want    Status
	}{
		{[]snapshot.Data{snapshot.DataCredentialReport}, StatusNotEvaluable},
		{[]snapshot.Data{snapshot.DataAuthorizationDetails}, StatusPass},
		{[]snapshot.Data{snapshot.DataPolicyDocuments}, StatusPass},
		{[]snapshot.Data{snapshot.DataOrganizationPolicies}, StatusPass},
	} {
		snap := &snapshot.Snapshot{Present: map[snapshot.Data]bool{}}
		for _, d := range tc.present {
			snap.Present[d] = true
		}
		snap.Reindex()
		res := Run(snap, []*Rule{IAM001FullAdmin, IAM050TrustAnyPrincipal}, Options{})
		for _, rr := range res.Rules {
			if rr.Status != tc.want {
				t.Errorf("with %v: %s is %s (%s), want %s", tc.present, rr.RuleID, rr.Status, rr.Reason, tc.want)
			}
		}
	}
}

// SortFindings sorts by severity, rule, resource, location and message,
// and keeps the order of findings equal in all of these.
func TestSortFindingsIsStable(t *testing.T) {
	fs := sortBenchFindings(5000)
	want := slices.Clone(fs)
	slices.SortStableFunc(want, func(a, b Finding) int {
		return cmp.Or(
			cmp.Compare(b.Severity, a.Severity),
			cmp.Compare(a.RuleID, b.RuleID),
			cmp.Compare(a.Resource, b.Resource),
			cmp.Compare(a.Location.File, b.Location.File),
			cmp.Compare(a.Location.Line, b.Location.Line),
			cmp.Compare(a.Location.Col, b.Location.Col),
			cmp.Compare(a.Message, b.Message),
		)
	})
	SortFindings(fs)
	if !slices.Equal(fs, want) {
		t.Error("SortFindings disagrees with a stable sort on the same keys")
	}
}

// sortBenchFindings makes n findings with many ties on every key; the
// fingerprint tells equal-keyed findings apart.
func sortBenchFindings(n int) []Finding {
	fs := make([]Finding, n)
	x := uint32(1)
	next := func(m uint32) uint32 {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		return x % m
	}
	for i := range fs {
		fs[i] = Finding{
			RuleID:      fmt.Sprintf("IAM%03d", next(40)),
			Severity:    Severity(1 + next(5)),
			Resource:    fmt.Sprintf("arn:aws:iam::111122223333:role/r%d", next(uint32(n/8+1))),
			Message:     fmt.Sprintf("message %d", next(3)),
			Location:    policy.Location{File: "authorization-details.json", Line: int(next(50)), Col: 5},
			Fingerprint: fmt.Sprint(i),
		}
	}
	return fs
}

func BenchmarkSortFindings(b *testing.B) {
	fs := sortBenchFindings(28000)
	work := make([]Finding, len(fs))
	for b.Loop() {
		copy(work, fs)
		SortFindings(work)
	}
}
