package accountgen_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/iamscan/iamscan/collector/offline"
	"github.com/iamscan/iamscan/internal/accountgen"
	"github.com/iamscan/iamscan/internal/shareddata"
	"github.com/iamscan/iamscan/snapshot"
)

func write(t *testing.T, a *accountgen.Account) (authz, report []byte) {
	t.Helper()
	var j, c bytes.Buffer
	if err := a.WriteAuthorizationDetails(&j); err != nil {
		t.Fatal(err)
	}
	if err := a.WriteCredentialReport(&c); err != nil {
		t.Fatal(err)
	}
	return j.Bytes(), c.Bytes()
}

func TestDeterministic(t *testing.T) {
	a1, r1 := write(t, accountgen.Generate(accountgen.Options{Size: accountgen.Small, Seed: 7}))
	a2, r2 := write(t, accountgen.Generate(accountgen.Options{Size: accountgen.Small, Seed: 7}))
	a3, _ := write(t, accountgen.Generate(accountgen.Options{Size: accountgen.Small, Seed: 8}))
	if !bytes.Equal(a1, a2) || !bytes.Equal(r1, r2) {
		t.Error("the same seed wrote different bytes")
	}
	if bytes.Equal(a1, a3) {
		t.Error("different seeds wrote the same account")
	}
	// The CLI's form: four-space indent, documents as objects.
	if !bytes.HasPrefix(a1, []byte("{\n    \"UserDetailList\": [\n        {\n")) || bytes.Contains(a1, []byte(`"AssumeRolePolicyDocument": "`)) {
		t.Errorf("not the CLI's pretty-printed form: %.80s", a1)
	}
}

// TestLoads: every size loads without problems other than the AWS
// managed policies deliberately left out of the input, with the
// generated counts and the promised mix.
func TestLoads(t *testing.T) {
	sizes := []accountgen.Size{accountgen.Small, accountgen.Large}
	if !testing.Short() {
		sizes = append(sizes, accountgen.Quota)
	}
	for _, sz := range sizes {
		t.Run(sz.Name, func(t *testing.T) {
			authz, report := write(t, accountgen.Generate(accountgen.Options{Size: sz, Seed: 1}))
			dir := t.TempDir()
			pa, pr := filepath.Join(dir, "authz.json"), filepath.Join(dir, "report.csv")
			if err := os.WriteFile(pa, authz, 0o644); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(pr, report, 0o644); err != nil {
				t.Fatal(err)
			}
			s, err := offline.Load([]string{pa, pr}, offline.Options{})
			if err != nil {
				t.Fatal(err)
			}
			customer := 0
			for _, p := range s.Policies {
				if !p.AWSManaged {
					customer++
				}
			}
			if len(s.Users) != sz.Users || len(s.Roles) != sz.Roles || len(s.Groups) != sz.Groups || customer != sz.Policies {
				t.Errorf("loaded %d users, %d roles, %d groups, %d customer policies; want %+v", len(s.Users), len(s.Roles), len(s.Groups), customer, sz)
			}
			if n := len(s.CredentialReport.Rows); n != sz.Users+1 || s.CredentialReport.Root == nil {
				t.Errorf("report has %d rows, want %d with root", n, sz.Users+1)
			}
			for _, p := range s.Problems {
				if !strings.Contains(p.Message, "AWS managed policy") || !strings.Contains(p.Message, "is not in the input") {
					t.Errorf("unexpected problem: %v", p)
				}
			}
			mix := mixOf(s)
			for _, want := range []string{"Deny", "NotAction", "Condition", "versions>1", "inline", "boundary",
				"trust:Service", "trust:cross-account", "trust:github-oidc", "trust:Federated-saml", "trust:*", "trust:AWS*",
				"resolved-aws-managed", "unresolved-aws-managed", "group-member"} {
				if mix[want] == 0 {
					t.Errorf("no %s in the generated account (mix %v)", want, mix)
				}
			}
		})
	}
}

// mixOf counts the features a realistic account shows.
func mixOf(s *snapshot.Snapshot) map[string]int {
	m := map[string]int{}
	for _, ref := range s.AllPolicies() {
		for _, st := range ref.Doc.Statements {
			if st.Effect.String() == "Deny" {
				m["Deny"]++
			}
			if st.Action.Not {
				m["NotAction"]++
			}
			if len(st.Condition) > 0 {
				m["Condition"]++
			}
		}
		if ref.Kind == snapshot.PolicyInline {
			m["inline"]++
		}
	}
	for _, p := range s.Policies {
		if len(p.Versions) > 1 {
			m["versions>1"]++
		}
	}
	for _, u := range s.Users {
		if u.Boundary != nil {
			m["boundary"]++
		}
		if len(u.Groups) > 0 {
			m["group-member"]++
		}
		for _, a := range u.Attached {
			if a.Policy != nil && a.Policy.AWSManaged {
				m["resolved-aws-managed"]++
			}
			if a.Policy == nil {
				m["unresolved-aws-managed"]++
			}
		}
	}
	for _, r := range s.Roles {
		for _, st := range r.Trust.Statements {
			pr := st.Principal
			switch {
			case pr.Wildcard:
				m["trust:*"]++
			case len(pr.AWS) > 0 && pr.AWS[0] == "*":
				m["trust:AWS*"]++
			case len(pr.AWS) > 0:
				m["trust:cross-account"]++
			case len(pr.Service) > 0:
				m["trust:Service"]++
			case len(pr.Federated) > 0 && strings.Contains(pr.Federated[0], "token.actions.githubusercontent.com"):
				m["trust:github-oidc"]++
			case len(pr.Federated) > 0 && strings.Contains(pr.Federated[0], "saml-provider"):
				m["trust:Federated-saml"]++
			}
		}
	}
	return m
}

func TestSizeByName(t *testing.T) {
	for _, name := range []string{"small", "large", "quota"} {
		if sz, ok := accountgen.SizeByName(name); !ok || sz.Name != name {
			t.Errorf("SizeByName(%q) = %+v, %v", name, sz, ok)
		}
	}
	if _, ok := accountgen.SizeByName("huge"); ok {
		t.Error("unknown size accepted")
	}
	if q := accountgen.Quota; q.Users != 5000 || q.Roles != 5000 || q.Policies != 10000 || q.Groups != 300 {
		t.Errorf("quota = %+v, want the IAM quota maximums", q)
	}
}

func TestLoadAWSManaged(t *testing.T) {
	set, err := accountgen.LoadAWSManaged(shareddata.Path(t, "aws-managed-policies", "managed-policies.json"))
	if err != nil {
		t.Fatal(err)
	}
	// 1,645 policies, of which 74 deprecated and one without an ARN.
	if len(set) != 1645-75 {
		t.Errorf("got %d usable policies, want %d", len(set), 1645-75)
	}
	for i := 1; i < len(set); i++ {
		if set[i-1].Name >= set[i].Name {
			t.Fatalf("not sorted by name at %d: %s, %s", i, set[i-1].Name, set[i].Name)
		}
	}
	a, _ := write(t, accountgen.Generate(accountgen.Options{Size: accountgen.Small, Seed: 1, AWSManaged: set}))
	if !bytes.Contains(a, []byte(`"Arn": "arn:aws:iam::aws:policy/`)) {
		t.Error("no AWS managed policy document in the output")
	}
	if _, err := accountgen.LoadAWSManaged(filepath.Join(t.TempDir(), "none.json")); err == nil {
		t.Error("a missing file loaded")
	}
}

// TestLoadedMatchesGenerated: what offline.Load reads back is what the
// generator wrote, entity by entity (the loader reuses tree memory
// between entities; a mix-up would show here).
func TestLoadedMatchesGenerated(t *testing.T) {
	acct := accountgen.Generate(accountgen.Options{Size: accountgen.Large, Seed: 5})
	authz, _ := write(t, acct)
	s, err := offline.LoadBytes("authz.json", authz, offline.Options{})
	if err != nil {
		t.Fatal(err)
	}
	d := acct.Details
	if len(s.Users) != len(d.UserDetailList) || len(s.Roles) != len(d.RoleDetailList) || len(s.Policies) != len(d.Policies) {
		t.Fatalf("counts differ")
	}
	for i, want := range d.UserDetailList {
		u := s.Users[i]
		if u.Name != want.UserName || u.ARN != want.Arn || u.ID != want.UserID || len(u.GroupNames) != len(want.GroupList) ||
			len(u.Attached) != len(want.AttachedManagedPolicies) || len(u.Inline) != len(want.UserPolicyList) || len(u.Tags) != len(want.Tags) {
			t.Fatalf("user %d: loaded %+v, generated %+v", i, u, want)
		}
		for j, ip := range want.UserPolicyList {
			if u.Inline[j].Name != ip.PolicyName || len(u.Inline[j].Doc.Statements) != len(ip.PolicyDocument.Statement) {
				t.Fatalf("user %s inline %d differs", u.Name, j)
			}
		}
	}
	for i, want := range d.RoleDetailList {
		r := s.Roles[i]
		if r.Name != want.RoleName || r.Path != want.Path || len(r.Trust.Statements) != 1 || r.Trust.Statements[0].Effect.String() != want.AssumeRolePolicyDocument.Statement[0].Effect ||
			len(r.InstanceProfiles) != len(want.InstanceProfileList) || (want.RoleLastUsed.Region != "") != !r.LastUsed.IsZero() {
			t.Fatalf("role %d: loaded %+v, generated %+v", i, r, want)
		}
	}
	for i, want := range d.Policies {
		p := s.Policies[i]
		if p.ARN != want.Arn || p.DefaultVersionID != want.DefaultVersionID || len(p.Versions) != len(want.PolicyVersionList) {
			t.Fatalf("policy %d: loaded %s %s %d versions, generated %s %s %d", i, p.ARN, p.DefaultVersionID, len(p.Versions), want.Arn, want.DefaultVersionID, len(want.PolicyVersionList))
		}
		for j, v := range want.PolicyVersionList {
			if p.Versions[j].VersionID != v.VersionID || p.Versions[j].IsDefault != v.IsDefaultVersion {
				t.Fatalf("policy %s version %d differs", p.Name, j)
			}
		}
	}
}

// Cached writes an account once and hands the same files back after; the
// files are those WriteFiles writes.
func TestCached(t *testing.T) {
	cache := t.TempDir()
	opt := accountgen.Options{Size: accountgen.Small, Seed: 7}
	authz, report, err := accountgen.Cached(cache, opt)
	if err != nil {
		t.Fatal(err)
	}
	direct := t.TempDir()
	if err := accountgen.Generate(opt).WriteFiles(direct); err != nil {
		t.Fatal(err)
	}
	for _, pair := range [][2]string{{authz, filepath.Join(direct, accountgen.AuthorizationDetailsFile)}, {report, filepath.Join(direct, accountgen.CredentialReportFile)}} {
		got, err := os.ReadFile(pair[0])
		if err != nil {
			t.Fatal(err)
		}
		want, err := os.ReadFile(pair[1])
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from what WriteFiles writes", pair[0])
		}
	}
	// The second call reuses the files: a mark left in them survives.
	if err := os.WriteFile(report, []byte("mark"), 0o644); err != nil {
		t.Fatal(err)
	}
	authz2, report2, err := accountgen.Cached(cache, opt)
	if err != nil || authz2 != authz || report2 != report {
		t.Fatalf("second call: %q %q %v", authz2, report2, err)
	}
	if data, _ := os.ReadFile(report2); string(data) != "mark" {
		t.Error("the second call wrote the account again")
	}
	entries, _ := os.ReadDir(cache)
	if len(entries) != 1 {
		t.Errorf("cache holds %d entries, want 1 (no temporary directory left)", len(entries))
	}
}
