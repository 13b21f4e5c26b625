package rego_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/iamscan/iamscan/cis"
	"github.com/iamscan/iamscan/collector/offline"
	"github.com/iamscan/iamscan/rego"
	"github.com/iamscan/iamscan/rules"
	"github.com/iamscan/iamscan/snapshot"
)

func TestBuiltinRulesAreValid(t *testing.T) {
	rs := rego.Builtin()
	if err := rules.Validate(rs); err != nil {
		t.Fatal(err)
	}
	if len(rs) != 14 {
		t.Errorf("got %d built-in Rego rules, want 14 (IAM032, 034-037, 042, 051-058)", len(rs))
	}
	for _, r := range rs {
		if r.Engine != rego.Engine {
			t.Errorf("%s: engine %q", r.ID, r.Engine)
		}
		base := filepath.Base(r.Source)
		if !strings.HasPrefix(base, strings.ToLower(r.ID)+"_") || !strings.HasPrefix(r.Source, "rego/builtin/") {
			t.Errorf("%s: defined in %s; want rego/builtin/%s_*.rego", r.ID, r.Source, strings.ToLower(r.ID))
		}
	}
}

// account is a small account in AWS CLI form: roles with the trust
// policies the Rego rules judge, an empty group, a weak password policy.
const gaad = `{
  "UserDetailList": [
    {"UserName": "alice", "UserId": "AIDAALICE", "Arn": "arn:aws:iam::111122223333:user/alice", "Path": "/",
     "CreateDate": "2024-01-01T00:00:00Z", "GroupList": ["devs"], "AttachedManagedPolicies": [], "UserPolicyList": []}
  ],
  "GroupDetailList": [
    {"GroupName": "devs", "GroupId": "AGPADEVS", "Arn": "arn:aws:iam::111122223333:group/devs", "Path": "/",
     "CreateDate": "2024-01-01T00:00:00Z", "AttachedManagedPolicies": [], "GroupPolicyList": []},
    {"GroupName": "old-admins", "GroupId": "AGPAOLD", "Arn": "arn:aws:iam::111122223333:group/old-admins", "Path": "/",
     "CreateDate": "2024-01-01T00:00:00Z", "AttachedManagedPolicies": [], "GroupPolicyList": []}
  ],
  "RoleDetailList": [
    {"RoleName": "vendor", "RoleId": "AROAVENDOR", "Arn": "arn:aws:iam::111122223333:role/vendor", "Path": "/",
     "CreateDate": "2024-01-01T00:00:00Z",
     "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [
       {"Sid": "Vendor", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:root"}, "Action": "sts:AssumeRole"}
     ]},
     "RolePolicyList": [], "AttachedManagedPolicies": [], "InstanceProfileList": [], "Tags": []},
    {"RoleName": "deploy", "RoleId": "AROADEPLOY", "Arn": "arn:aws:iam::111122223333:role/deploy", "Path": "/",
     "CreateDate": "2024-01-01T00:00:00Z",
     "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [
       {"Effect": "Allow",
        "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"},
        "Action": "sts:AssumeRoleWithWebIdentity",
        "Condition": {"StringLike": {"token.actions.githubusercontent.com:sub": "repo:*"}}}
     ]},
     "RolePolicyList": [], "AttachedManagedPolicies": [], "InstanceProfileList": [], "Tags": []}
  ],
  "Policies": []
}`

const weakPasswordPolicy = `{"PasswordPolicy": {"MinimumPasswordLength": 8, "RequireSymbols": true, "RequireNumbers": true,
  "RequireUppercaseCharacters": true, "RequireLowercaseCharacters": true, "PasswordReusePrevention": 24,
  "AllowUsersToChangePassword": true, "ExpirePasswords": false}}`

func loadAccount(t *testing.T) *snapshot.Snapshot {
	t.Helper()
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	snap, err := offline.Load([]string{write("gaad.json", gaad), write("password-policy.json", weakPasswordPolicy)}, offline.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return snap
}

type want struct {
	rule, resource, file string
	line                 int
	message              string
}

func TestFindingsPointIntoTheInput(t *testing.T) {
	snap := loadAccount(t)
	res := rules.Run(snap, rego.Builtin(), rules.Options{AsOf: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)})
	for _, rr := range res.Rules {
		if rr.Status == rules.StatusError {
			t.Errorf("%s: %s", rr.RuleID, rr.Reason)
		}
	}
	wants := []want{
		{"IAM032", "arn:aws:iam::111122223333:root", "gaad.json", 0, "no role has the AWSSupportAccess policy attached"},
		{"IAM035", "arn:aws:iam::111122223333:root", "password-policy.json", 1, "the account password policy does not require at least 14 characters"},
		{"IAM042", "arn:aws:iam::111122223333:group/old-admins", "gaad.json", 9, "group old-admins has no members"},
		{"IAM052", "arn:aws:iam::111122223333:role/vendor", "gaad.json", 16, "role vendor trusts account 444455556666, which is not in the trusted accounts list"},
		{"IAM053", "arn:aws:iam::111122223333:role/vendor", "gaad.json", 16, "role vendor can be assumed from account 444455556666 without an sts:ExternalId condition"},
		{"IAM054", "arn:aws:iam::111122223333:role/deploy", "gaad.json", 22, `role deploy trusts GitHub Actions OIDC with sub pattern "repo:*", which admits repositories of any owner`},
		{"IAM055", "arn:aws:iam::111122223333:role/deploy", "gaad.json", 22, "role deploy trusts GitHub Actions OIDC without a token.actions.githubusercontent.com:aud condition"},
	}
	if len(res.Findings) != len(wants) {
		for _, f := range res.Findings {
			t.Logf("got %s %s %s %q", f.RuleID, f.Resource, f.Location, f.Message)
		}
		t.Fatalf("got %d findings, want %d", len(res.Findings), len(wants))
	}
	for _, w := range wants {
		i := slices.IndexFunc(res.Findings, func(f rules.Finding) bool { return f.RuleID == w.rule && f.Message == w.message })
		if i < 0 {
			t.Errorf("missing %s %q", w.rule, w.message)
			continue
		}
		f := res.Findings[i]
		if f.Resource != w.resource || filepath.Base(f.Location.File) != w.file || f.Location.Line != w.line {
			t.Errorf("%s: resource %s at %s; want %s at %s:%d", w.rule, f.Resource, f.Location, w.resource, w.file, w.line)
		}
		if f.Fingerprint == "" {
			t.Errorf("%s: no fingerprint", w.rule)
		}
	}
	// Statement findings carry the statement's identity like Go findings.
	for _, f := range res.Findings {
		if f.RuleID == "IAM052" && (f.Sid != "Vendor" || f.Policy != "trust" || f.Principal != "arn:aws:iam::111122223333:role/vendor") {
			t.Errorf("IAM052 finding: sid %q policy %q principal %q", f.Sid, f.Policy, f.Principal)
		}
	}
}

func TestParamsReachTheRules(t *testing.T) {
	snap := loadAccount(t)
	opt := rules.Options{Params: map[string]map[string]any{
		"IAM052": {"trusted_accounts": []string{"444455556666"}},
		"IAM035": {"min_length": 8},
	}}
	res := rules.Run(snap, rego.Builtin(), opt)
	for _, f := range res.Findings {
		if f.RuleID == "IAM052" || f.RuleID == "IAM035" {
			t.Errorf("parameter override ignored: %s %s", f.RuleID, f.Message)
		}
	}
	if !slices.ContainsFunc(res.Findings, func(f rules.Finding) bool { return f.RuleID == "IAM053" }) {
		t.Error("IAM053 has its own trusted_accounts and should still fire")
	}
}

func TestMissingDataIsNotEvaluable(t *testing.T) {
	snap := &snapshot.Snapshot{AccountID: "111122223333", Present: map[snapshot.Data]bool{}}
	snap.Reindex()
	res := rules.Run(snap, rego.Builtin(), rules.Options{})
	if len(res.Findings) != 0 {
		t.Errorf("findings without data: %v", res.Findings)
	}
	for _, rr := range res.Rules {
		if rr.Status != rules.StatusNotEvaluable {
			t.Errorf("%s: status %s, want not-evaluable", rr.RuleID, rr.Status)
		}
	}
}

// TestInputIsBuiltPerSection: a scan builds only the input sections its
// Rego rules read, each once.
func TestInputIsBuiltPerSection(t *testing.T) {
	snap := loadAccount(t)
	tests := []struct {
		rules []string
		built []string
	}{
		{[]string{"IAM042"}, []string{"rego-input/groups"}},
		{[]string{"IAM035", "IAM036"}, []string{"rego-input/account"}},
		{[]string{"IAM051", "IAM052", "IAM057"}, []string{"rego-input/roles"}},
		{[]string{"IAM032", "IAM042"}, []string{"rego-input/account", "rego-input/groups", "rego-input/roles"}},
	}
	for _, tt := range tests {
		var rs []*rules.Rule
		for _, id := range tt.rules {
			rs = append(rs, rules.Lookup(rego.Builtin(), id))
		}
		res := rules.Run(snap, rs, rules.Options{})
		var built []string
		for k := range res.Shared {
			if strings.HasPrefix(k, "rego-input/") {
				built = append(built, k)
			}
		}
		slices.Sort(built)
		if !slices.Equal(built, tt.built) {
			t.Errorf("%v built %v, want %v", tt.rules, built, tt.built)
		}
	}
}

// TestCISMapping pins the CIS AWS Foundations controls of the Rego
// rules, per benchmark version (numbering moved in v5.0.0, which dropped
// the security-questions control), and checks each exists in the catalog.
func TestCISMapping(t *testing.T) {
	want := map[string]string{
		"IAM032": "v3.0.0 1.17, v4.0.0 1.17, v5.0.0 1.16",                                  // support role
		"IAM034": "v3.0.0 1.8, v3.0.0 1.9, v4.0.0 1.8, v4.0.0 1.9, v5.0.0 1.7, v5.0.0 1.8", // no policy fails length and reuse
		"IAM035": "v3.0.0 1.8, v4.0.0 1.8, v5.0.0 1.7",                                     // minimum length 14
		"IAM036": "v3.0.0 1.9, v4.0.0 1.9, v5.0.0 1.8",                                     // reuse prevention
	}
	for _, r := range rego.Builtin() {
		var got []string
		for _, c := range r.CIS {
			got = append(got, c.Benchmark+" "+c.Control)
			if _, ok := cis.Lookup(c.Benchmark, c.Control); !ok {
				t.Errorf("%s: CIS %s %s is not in the catalog", r.ID, c.Benchmark, c.Control)
			}
		}
		if g := strings.Join(got, ", "); g != want[r.ID] {
			t.Errorf("%s: CIS %q, want %q", r.ID, g, want[r.ID])
		}
	}
}
