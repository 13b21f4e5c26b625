package offline

import (
	"strings"
	"testing"
	"time"

	"github.com/iamscan/iamscan/rules"
	"github.com/iamscan/iamscan/snapshot"
)

// TestUnreadableSections: a section of an input that has the wrong type
// is reported, and the data it carries is absent (Has false, with Why
// saying where), not present and empty: a rule needing it must not pass
// on what was left.
func TestUnreadableSections(t *testing.T) {
	raw := func(members string) string {
		return `{"Format": "iamscan-raw", "FormatVersion": 1, "AccountId": "111122223333", ` + members + `}`
	}
	tests := []struct {
		name, data string
		need       snapshot.Data
		problem    string // the problem, from its location on
	}{
		{"RoleDetailList", "{\"UserDetailList\": [],\n \"RoleDetailList\": 5}", snapshot.DataAuthorizationDetails,
			"in.json:2:20: RoleDetailList must be a list, found number; it is not read, and rules that need authorization-details are not evaluable"},
		{"Policies", `{"Policies": "none"}`, snapshot.DataAuthorizationDetails, "in.json:1:14: Policies must be a list, found string"},
		{"a later page", `[{"UserDetailList": []}, {"GroupDetailList": true}]`, snapshot.DataAuthorizationDetails, "in.json:1:46: GroupDetailList must be a list, found boolean"},
		{"raw AuthorizationDetails", raw(`"AuthorizationDetails": []`), snapshot.DataAuthorizationDetails, "get-account-authorization-details output must be an object, found array"},
		{"password policy", `{"PasswordPolicy": 14}`, snapshot.DataPasswordPolicy, "in.json:1:20: PasswordPolicy must be an object, found number"},
		{"raw password policy", raw(`"PasswordPolicy": "none"`), snapshot.DataPasswordPolicy, "PasswordPolicy must be an object, found string"},
		{"summary", `{"SummaryMap": [1, 2]}`, snapshot.DataAccountSummary, "in.json:1:16: SummaryMap must be an object, found array"},
		{"MFA devices", raw(`"VirtualMFADevices": {"SerialNumber": 5}, "SAMLProviders": 5`), snapshot.DataIdentityProviders, "SAMLProviders must be a list, found number"},
		{"certificates", raw(`"ServerCertificates": "none"`), snapshot.DataServerCertificates, "ServerCertificates must be a list, found string"},
		{"organization policies", raw(`"OrganizationPolicies": 1`), snapshot.DataOrganizationPolicies, "OrganizationPolicies must be a list, found number"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := LoadBytes("in.json", []byte(tt.data), Options{})
			if err != nil {
				t.Fatal(err)
			}
			if s.Has(tt.need) {
				t.Errorf("Has(%s) is true; a section that could not be read leaves it absent", tt.need)
			}
			if why := s.Why(tt.need); !strings.HasPrefix(why, "the "+string(tt.need)+" at in.json:") || !strings.HasSuffix(why, " could not be read") {
				t.Errorf("Why(%s) = %q", tt.need, why)
			}
			got := problemTexts(s)
			found := false
			for _, p := range got {
				found = found || strings.Contains(p, tt.problem)
			}
			if !found {
				t.Errorf("problems %q lack %q", got, tt.problem)
			}
		})
	}
}

// TestUnreadableNotEmpty: what may look alike is not the same: null is
// "collected, none", an object where a list belongs is read as a list
// of one; both leave the data present.
func TestUnreadableNotEmpty(t *testing.T) {
	for _, doc := range []string{
		`{"RoleDetailList": null, "UserDetailList": []}`,
		`{"RoleDetailList": {"RoleName": "r", "Arn": "arn:aws:iam::111122223333:role/r", "AssumeRolePolicyDocument": {"Statement": []}}}`,
	} {
		s, err := LoadBytes("in.json", []byte(doc), Options{})
		if err != nil {
			t.Fatal(err)
		}
		if !s.Has(snapshot.DataAuthorizationDetails) || s.Why(snapshot.DataAuthorizationDetails) != "" {
			t.Errorf("%s: authorization details absent (%s)", doc, s.Why(snapshot.DataAuthorizationDetails))
		}
	}
}

// TestUnreadableRules: the Go rules that read the account's entities
// (IAM040 unused roles among them) are not evaluable on
// "RoleDetailList": 5 instead of passing; a readable bare policy beside
// it is still checked.
func TestUnreadableRules(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"authz.json":  `{"UserDetailList": [], "GroupDetailList": [], "RoleDetailList": 5, "Policies": []}`,
		"policy.json": dirAdmin,
	})
	s := mustLoad(t, Options{}, dir)
	res := rules.Run(s, rules.Builtin(), rules.Options{AsOf: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)})
	status := map[string]rules.Status{}
	for _, rr := range res.Rules {
		status[rr.RuleID] = rr.Status
	}
	for _, id := range []string{"IAM040", "IAM010", "IAM041"} {
		if status[id] != rules.StatusNotEvaluable {
			t.Errorf("%s is %s, want %s", id, status[id], rules.StatusNotEvaluable)
		}
	}
	// The bare policy file is readable: the statement rules check it.
	if status["IAM001"] != rules.StatusFail {
		t.Errorf("IAM001 is %s on the readable policy file, want fail", status["IAM001"])
	}
	if !s.Has(snapshot.DataPolicies) {
		t.Errorf("Has(policies) is false though policy.json was read")
	}

	// Without the bare file, no policy source is whole.
	s, err := LoadBytes("authz.json", []byte(`{"RoleDetailList": 5}`), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if s.Has(snapshot.DataPolicies) || !strings.HasPrefix(s.Why(snapshot.DataPolicies), "the authorization-details at authz.json:1:20 could not be read") {
		t.Errorf("Has(policies) %v, Why %q", s.Has(snapshot.DataPolicies), s.Why(snapshot.DataPolicies))
	}
}

// TestWhy: the reasons for absent data other than unreadable input.
func TestWhy(t *testing.T) {
	s := &snapshot.Snapshot{
		Present:          map[snapshot.Data]bool{snapshot.DataPasswordPolicy: true},
		CollectionErrors: []snapshot.CollectionError{{Operation: "GetCredentialReport", Code: "AccessDenied", Missing: []snapshot.Data{snapshot.DataCredentialReport}}},
	}
	for d, want := range map[snapshot.Data]string{
		snapshot.DataPasswordPolicy:       "",
		snapshot.DataCredentialReport:     "no credential-report: GetCredentialReport failed (AccessDenied)",
		snapshot.DataAuthorizationDetails: "input has no authorization-details",
		snapshot.DataPolicies:             "input has no policies",
	} {
		if got := s.Why(d); got != want {
			t.Errorf("Why(%s) = %q, want %q", d, got, want)
		}
	}
}
