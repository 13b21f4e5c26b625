package live

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/iamscan/iamscan/collector/offline"
	"github.com/iamscan/iamscan/internal/mototest"
	"github.com/iamscan/iamscan/rego"
	"github.com/iamscan/iamscan/rules"
	"github.com/iamscan/iamscan/snapshot"
)

// allRules are the rules a scan runs: the built-in Go and Rego rules,
// validated together as the command does.
func allRules(t *testing.T) []*rules.Rule {
	t.Helper()
	all := append(rules.Builtin(), rego.Builtin()...)
	if err := rules.Validate(all); err != nil {
		t.Fatal(err)
	}
	return all
}

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

	out := rules.Run(snap, allRules(t), rules.Options{AsOf: snap.CollectedAt})
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

// oidcAudienceRule is a custom Rego rule that reads the OIDC providers
// collected: no built-in rule needs identity-providers (the OIDC trust
// rules, IAM054 to IAM056, read the roles' trust policies).
const oidcAudienceRule = `# METADATA
# title: OIDC provider without an audience
# description: An OIDC provider lists no client id (audience).
# custom:
#   id: IAM901
#   severity: low
#   family: trust
#   remediation: Add the audience the tokens carry.
#   needs: [identity-providers]
package custom.iam901

deny contains {"ref": input.account.ref, "message": msg} if {
	some p in input.oidc_providers
	count(p.client_ids) == 0
	msg := sprintf("OIDC provider %s has no audience", [p.url])
}
`

// A denied call makes the rules that need its data "not evaluable",
// never "pass": Go rules, built-in Rego rules and custom Rego rules alike.
func TestDeniedDataMakesRulesNotEvaluable(t *testing.T) {
	endpoint := mototest.URL(t)
	populate(t, adminClient(t, endpoint))
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "iam901_oidc_audience.rego"), []byte(oidcAudienceRule), 0o600); err != nil {
		t.Fatal(err)
	}
	custom, err := rego.LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	all := append(allRules(t), custom...)
	if err := rules.Validate(all); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		deny  string
		fault *mototest.Fault
		data  snapshot.Data
		// evaluable are rules that must still run: they do not need
		// the denied data, though their subject sounds close to it.
		evaluable []string
	}{
		{"GetCredentialReport", mototest.AccessDenied, snapshot.DataCredentialReport, []string{"IAM030"}},
		{"GetAccountPasswordPolicy", mototest.AccessDenied, snapshot.DataPasswordPolicy, nil},
		{"ListOpenIDConnectProviders", mototest.AccessDenied, snapshot.DataIdentityProviders, []string{"IAM054", "IAM055", "IAM056"}},
		{"ListVirtualMFADevices", mototest.AccessDenied, snapshot.DataMFADevices, nil},
		{"ListServerCertificates", mototest.AccessDenied, snapshot.DataServerCertificates, nil},
		{"GetAccountAuthorizationDetails", mototest.AccessDenied, snapshot.DataAuthorizationDetails, []string{"IAM024"}},
		// No built-in rule needs account-summary or organization-policies
		// alone (SCPs count among the policies, with the authorization
		// details), so denying them leaves nothing to check here.
	} {
		t.Run(c.deny, func(t *testing.T) {
			proxy := mototest.NewProxy(t, endpoint)
			proxy.GAADUsers = 1
			proxy.FailOn(c.deny, c.fault)
			snap := loadRaw(t, collectMoto(t, proxy.URL, Options{}))
			if snap.Has(c.data) {
				t.Fatalf("snapshot claims %s", c.data)
			}
			if len(snap.CollectionErrors) != 1 || snap.CollectionErrors[0].Operation != c.deny {
				t.Errorf("CollectionErrors = %+v", snap.CollectionErrors)
			}
			out := rules.Run(snap, all, rules.Options{AsOf: snap.CollectedAt})
			status := map[string]rules.RuleResult{}
			for _, rr := range out.Rules {
				status[rr.RuleID] = rr
			}
			var needing []string
			for _, r := range all {
				if !slices.Contains(r.Needs, c.data) {
					continue
				}
				needing = append(needing, r.ID)
				if rr := status[r.ID]; rr.Status != rules.StatusNotEvaluable || !strings.Contains(rr.Reason, string(c.data)) {
					t.Errorf("rule %s needs %s but is %s (%s)", r.ID, c.data, rr.Status, rr.Reason)
				}
			}
			if len(needing) == 0 {
				t.Fatalf("no rule needs %s: the case checks nothing", c.data)
			}
			for _, id := range c.evaluable {
				if rr := status[id]; rr.Status == rules.StatusNotEvaluable || rr.Status == rules.StatusError {
					t.Errorf("rule %s does not need %s but is %s (%s)", id, c.data, rr.Status, rr.Reason)
				}
			}
			t.Logf("not evaluable without %s: %v", c.data, needing)
		})
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
	all := allRules(t)
	out := rules.Run(snap, all, rules.Options{})
	for _, f := range out.Findings {
		msg := fmt.Sprintf("%s (%s) at %s:%d: %s", f.RuleID, f.Severity, f.Location.File, f.Location.Line, f.Message)
		if f.Severity > rules.Low {
			t.Errorf("finding above low: %s", msg)
		} else {
			t.Logf("finding: %s", msg)
		}
	}
	// The rules that apply to a lone policy ran, Go and Rego alike.
	engine := map[string]string{}
	for _, r := range all {
		engine[r.ID] = r.Engine
	}
	ran := map[string][]string{}
	for _, rr := range out.Rules {
		switch rr.Status {
		case rules.StatusPass, rules.StatusFail:
			ran[engine[rr.RuleID]] = append(ran[engine[rr.RuleID]], rr.RuleID)
		case rules.StatusError:
			t.Errorf("rule %s could not run: %s", rr.RuleID, rr.Reason)
		}
	}
	if len(ran["go"]) == 0 || len(ran["rego"]) == 0 {
		t.Errorf("rules evaluated on the policy: %v; want Go and Rego rules", ran)
	}
	t.Logf("evaluated: %d Go rules %v, %d Rego rules %v", len(ran["go"]), ran["go"], len(ran["rego"]), ran["rego"])
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
	out := rules.Run(snap, allRules(t), rules.Options{AsOf: snap.CollectedAt})
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
