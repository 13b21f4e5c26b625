package live

import (
	"bytes"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/iamscan/iamscan/collector/offline"
	"github.com/iamscan/iamscan/internal/mototest"
	"github.com/iamscan/iamscan/rules"
	"github.com/iamscan/iamscan/snapshot"
)

// loadRaw reads a result's document back through the offline loader, as
// `iamscan scan` does.
func loadRaw(t *testing.T, r *Result) *snapshot.Snapshot {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteRaw(&buf, r); err != nil {
		t.Fatal(err)
	}
	snap, err := offline.LoadBytes("account.json", buf.Bytes(), offline.Options{})
	if err != nil {
		t.Fatalf("the offline loader rejects the collected document: %v", err)
	}
	return snap
}

// findingsBy lists "RULE principal-or-resource" of each finding.
func findingsBy(res *rules.Result) []string {
	var out []string
	for _, f := range res.Findings {
		who := f.Principal
		if who == "" {
			who = f.Resource
		}
		out = append(out, f.RuleID+" "+who[strings.LastIndex(who, ":")+1:])
	}
	return out
}

// checkLoadsAndScans: the document the collector writes is what the
// scanner reads. Loaded offline it gives the account moto holds, and the
// rules find what the fixture planted.
func checkLoadsAndScans(t *testing.T, res *Result, f fixture) {
	snap := loadRaw(t, res)

	for _, p := range snap.Problems {
		t.Errorf("loader problem: %s", p)
	}
	for _, d := range []snapshot.Data{snapshot.DataAuthorizationDetails, snapshot.DataCredentialReport, snapshot.DataPasswordPolicy,
		snapshot.DataAccountSummary, snapshot.DataMFADevices, snapshot.DataIdentityProviders, snapshot.DataServerCertificates,
		snapshot.DataOrganizationPolicies} {
		if !snap.Has(d) {
			t.Errorf("snapshot lacks %s", d)
		}
	}
	if snap.AccountID != "123456789012" || len(snap.Users) != 2 || len(snap.Roles) != 2 || len(snap.Groups) != 1 {
		t.Errorf("snapshot: account %s, %d users, %d roles, %d groups; want 123456789012, 2, 2, 1",
			snap.AccountID, len(snap.Users), len(snap.Roles), len(snap.Groups))
	}
	if snap.PasswordPolicy == nil {
		t.Error("password policy not loaded")
	}
	if snap.CredentialReport == nil {
		t.Error("credential report not loaded")
	}
	var custom *snapshot.ManagedPolicy
	for _, p := range snap.Policies {
		if p.ARN == f.policyARN {
			custom = p
		}
	}
	if custom == nil {
		t.Fatalf("customer policy %s not in the snapshot", f.policyARN)
	}

	out := rules.Run(snap, rules.Builtin(), rules.Options{AsOf: snap.CollectedAt})
	got := findingsBy(out)
	for _, want := range []string{
		"IAM001 role/app",                      // inline Allow *:* on the role
		"IAM001 policy/read-s3",                // its default version v3 allows *:*
		"IAM010 role/app",                      // hence an administrator
		"IAM010 user/bob",                      // through read-s3 v3
		"IAM028 user/alice",                    // console password and an active access key
		"IAM030 user/alice",                    // inline policy on a user
		"IAM030 user/bob",                      // managed policy attached directly
		"IAM033 server-certificate/legacy-elb", // the fixture's certificate expired in 2018
	} {
		if !slices.Contains(got, want) {
			t.Errorf("no finding %q; findings:\n%s", want, strings.Join(got, "\n"))
		}
	}
	if t.Failed() {
		return
	}
	for _, rr := range out.Rules {
		if rr.Status == rules.StatusNotEvaluable || rr.Status == rules.StatusError {
			t.Errorf("rule %s %s on a complete collection: %s", rr.RuleID, rr.Status, rr.Reason)
		}
	}
}

// A denied call makes the rules that need its data "not evaluable", never
// "pass".
func TestDeniedDataMakesRulesNotEvaluable(t *testing.T) {
	endpoint := mototest.URL(t)
	populate(t, adminClient(t, endpoint))
	proxy := mototest.NewProxy(t, endpoint)
	proxy.GAADUsers = 1
	proxy.FailOn("GetCredentialReport", mototest.AccessDenied)
	snap := loadRaw(t, collectMoto(t, proxy.URL, Options{}))
	if snap.Has(snapshot.DataCredentialReport) {
		t.Fatal("snapshot claims a credential report")
	}
	if len(snap.CollectionErrors) != 1 || snap.CollectionErrors[0].Operation != "GetCredentialReport" {
		t.Errorf("CollectionErrors = %+v", snap.CollectionErrors)
	}
	out := rules.Run(snap, rules.Builtin(), rules.Options{AsOf: snap.CollectedAt})
	needsReport := 0
	for _, r := range rules.Builtin() {
		if !slices.Contains(r.Needs, snapshot.DataCredentialReport) {
			continue
		}
		needsReport++
		for _, rr := range out.Rules {
			if rr.RuleID == r.ID && rr.Status != rules.StatusNotEvaluable {
				t.Errorf("rule %s needs the credential report but is %s", r.ID, rr.Status)
			}
		}
	}
	if needsReport == 0 {
		t.Fatal("no built-in rule needs the credential report: the test checks nothing")
	}
}

// Dogfooding: the collector's own policy, scanned by iamscan, raises
// nothing above low.
func TestCollectorPolicyScansClean(t *testing.T) {
	data, err := os.ReadFile(collectorPolicyFile)
	if err != nil {
		t.Fatal(err)
	}
	snap, err := offline.LoadBytes(collectorPolicyFile, data, offline.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(snap.Standalone) != 1 {
		t.Fatalf("loaded %d policy documents from %s, want 1", len(snap.Standalone), collectorPolicyFile)
	}
	for _, p := range snap.Problems {
		t.Errorf("problem in the policy: %s", p)
	}
	out := rules.Run(snap, rules.Builtin(), rules.Options{})
	for _, f := range out.Findings {
		msg := fmt.Sprintf("%s (%s) at %s:%d: %s", f.RuleID, f.Severity, f.Location.File, f.Location.Line, f.Message)
		if f.Severity > rules.Low {
			t.Errorf("finding above low: %s", msg)
		} else {
			t.Logf("finding: %s", msg)
		}
	}
}

// A credential-report finding points at the line of the document that
// holds the user's row (written as one JSON string per CSV line), not
// at the row's line number within the CSV.
func TestCredentialReportFindingsPointAtTheirRow(t *testing.T) {
	endpoint := mototest.URL(t)
	populate(t, adminClient(t, endpoint))
	res := collectMoto(t, endpoint, Options{})
	var buf bytes.Buffer
	if err := WriteRaw(&buf, res); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(buf.String(), "\n")
	// Where each user's row is in the file.
	rowLine := map[string]int{}
	for i, l := range lines {
		for _, user := range []string{"alice", "bob", "user"} {
			if strings.HasPrefix(strings.TrimSpace(l), `"`+user+`,`) {
				if rowLine[user] != 0 {
					t.Fatalf("two lines of the document start with user %s's row: %d and %d", user, rowLine[user], i+1)
				}
				rowLine[user] = i + 1
			}
		}
	}
	if rowLine["user"] == 0 || rowLine["alice"] == 0 || rowLine["bob"] == 0 {
		t.Fatalf("the credential report header and rows are not on lines of their own: %v\n%s", rowLine, buf.String()[:min(buf.Len(), 3000)])
	}

	snap := loadRaw(t, res)
	for _, row := range snap.CredentialReport.Rows {
		if want := rowLine[row.User]; row.Line != want {
			t.Errorf("row of %s: Line %d, want %d (%q)", row.User, row.Line, want, lines[want-1])
		}
	}
	out := rules.Run(snap, rules.Builtin(), rules.Options{AsOf: snap.CollectedAt})
	found := false
	for _, f := range out.Findings {
		if f.RuleID != "IAM028" {
			continue
		}
		found = true
		if f.Location.File != "account.json" || f.Location.Line != rowLine["alice"] {
			t.Errorf("IAM028 at %s:%d, want account.json:%d, the line of alice's row", f.Location.File, f.Location.Line, rowLine["alice"])
		}
	}
	if !found {
		t.Error("no IAM028 finding for alice (console password and an access key)")
	}
}
