package offline

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/iamscan/iamscan/internal/shareddata"
	"github.com/iamscan/iamscan/policy"
	"github.com/iamscan/iamscan/snapshot"
)

func mustLoad(t *testing.T, opt Options, paths ...string) *snapshot.Snapshot {
	t.Helper()
	s, err := Load(paths, opt)
	if err != nil {
		t.Fatalf("Load(%v): %v", paths, err)
	}
	return s
}

func problemTexts(s *snapshot.Snapshot) []string {
	out := make([]string, len(s.Problems))
	for i, p := range s.Problems {
		out[i] = p.Error()
	}
	return out
}

// TestSharedAuthorizationDetails loads real get-account-authorization-details
// dumps and checks what each holds.
func TestSharedAuthorizationDetails(t *testing.T) {
	tests := []struct {
		file                           string
		users, roles, groups, policies int
		versions                       int // policy versions in all
		account                        string
		problems                       []string // substrings, in order
	}{
		{
			file:  "aws-cli-examples/get-account-authorization-details.json",
			users: 3, roles: 1, groups: 3, policies: 3, versions: 3, account: "123456789012",
			problems: []string{
				":73:40: group AttachedManagedPolicies must be a list, found an object; read as a list of one",
				":85:40: group AttachedManagedPolicies must be a list",
				// The sample is one page of API output ("IsTruncated": true).
				":289:20: get-account-authorization-details output is truncated",
				":73:40: AWS managed policy arn:aws:iam::aws:policy/AdministratorAccess is not in the input; its permissions are not evaluated",
				":85:40: AWS managed policy arn:aws:iam::aws:policy/PowerUserAccess is not in the input",
				":53:17: AWS managed policy arn:aws:iam::aws:policy/AmazonS3FullAccess is not in the input",
				":57:17: AWS managed policy arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess is not in the input",
			},
		},
		{file: "cloudsplaining-examples/example-authz-details.json", users: 3, roles: 3, groups: 2, policies: 32, versions: 33, account: "012345678901"},
		{
			file: "cloudsplaining-examples/example_authz_v2.json", users: 1, roles: 2, groups: 1, policies: 2, versions: 2, account: "012345678901",
			problems: []string{":25:9: AWS managed policy arn:aws:iam::aws:policy/AdministratorAccess is not in the input"},
		},
		{
			file: "cloudsplaining-examples/example_authz_v2.urlencoded-documents.json", users: 1, roles: 2, groups: 1, policies: 2, versions: 2, account: "012345678901",
			problems: []string{":25:17: AWS managed policy arn:aws:iam::aws:policy/AdministratorAccess is not in the input"},
		},
	}
	for _, tt := range tests {
		t.Run(filepath.Base(tt.file), func(t *testing.T) {
			s := mustLoad(t, Options{}, shareddata.Path(t, tt.file))
			if len(s.Users) != tt.users || len(s.Roles) != tt.roles || len(s.Groups) != tt.groups || len(s.Policies) != tt.policies {
				t.Errorf("got %d users, %d roles, %d groups, %d policies; want %d, %d, %d, %d",
					len(s.Users), len(s.Roles), len(s.Groups), len(s.Policies), tt.users, tt.roles, tt.groups, tt.policies)
			}
			versions := 0
			for _, p := range s.Policies {
				versions += len(p.Versions)
				if p.Default == nil {
					t.Errorf("policy %s has no default document", p.ARN)
				}
				if p.Name == "" {
					t.Errorf("policy %s has no name", p.ARN)
				}
			}
			if versions != tt.versions {
				t.Errorf("got %d policy versions, want %d", versions, tt.versions)
			}
			if s.AccountID != tt.account || s.Partition != "aws" {
				t.Errorf("account %q partition %q, want %q aws", s.AccountID, s.Partition, tt.account)
			}
			if !s.Has(snapshot.DataAuthorizationDetails) || s.Has(snapshot.DataCredentialReport) {
				t.Errorf("present = %v, want only authorization details", s.Present)
			}
			got := problemTexts(s)
			if len(got) != len(tt.problems) {
				t.Fatalf("got %d problems, want %d:\n%s", len(got), len(tt.problems), strings.Join(got, "\n"))
			}
			for i, want := range tt.problems {
				if !strings.Contains(got[i], want) {
					t.Errorf("problem %d = %q, want it to contain %q", i, got[i], want)
				}
			}
			for _, r := range s.Roles {
				if r.Trust == nil || len(r.Trust.Statements) == 0 {
					t.Errorf("role %s has no trust statements", r.Name)
				}
			}
		})
	}
}

// TestAuthorizationDetailsFields checks the fields of the AWS CLI sample.
func TestAuthorizationDetailsFields(t *testing.T) {
	s := mustLoad(t, Options{}, shareddata.Path(t, "aws-cli-examples/get-account-authorization-details.json"))
	r := s.Role("EC2role")
	if r == nil {
		t.Fatal("role EC2role missing")
	}
	if want := time.Date(2019, 11, 13, 17, 30, 0, 0, time.UTC); !r.LastUsedKnown || !r.LastUsed.Equal(want) || r.LastUsedRegion != "us-west-2" {
		t.Errorf("RoleLastUsed = %v %v %q, want %v us-west-2", r.LastUsedKnown, r.LastUsed, r.LastUsedRegion, want)
	}
	if len(r.InstanceProfiles) != 1 || r.InstanceProfiles[0] != "arn:aws:iam::123456789012:instance-profile/EC2role" {
		t.Errorf("instance profiles = %v", r.InstanceProfiles)
	}
	if len(r.Attached) != 2 || r.Attached[0].Policy != nil {
		t.Errorf("attachments = %+v, want 2 unresolved", r.Attached)
	}
	st := r.Trust.Statements[0]
	if st.Effect != policy.Allow || len(st.Principal.Service) != 1 || st.Principal.Service[0] != "ec2.amazonaws.com" {
		t.Errorf("trust statement = %+v", st)
	}
	admins := s.Group("Admins")
	if admins == nil || len(admins.Members) != 2 || admins.Members[0].Name != "Alice" || admins.Members[1].Name != "Bob" {
		t.Fatalf("Admins members wrong: %+v", admins)
	}
	bob := s.User("Bob")
	if len(bob.Groups) != 1 || bob.Groups[0] != admins || len(bob.Inline) != 1 || bob.Inline[0].Doc.Statements[0].Effect != policy.Deny {
		t.Errorf("Bob = %+v", bob)
	}
	if want := time.Date(2013, 10, 14, 18, 32, 25, 0, time.UTC); !bob.CreateDate.Equal(want) {
		t.Errorf("Bob created %v, want %v", bob.CreateDate, want)
	}
	// All versions are kept; the default is the flagged one.
	cs := mustLoad(t, Options{}, shareddata.Path(t, "cloudsplaining-examples/example-authz-details.json"))
	var multi *snapshot.ManagedPolicy
	for _, p := range cs.Policies {
		if len(p.Versions) > 1 {
			multi = p
		}
	}
	if multi == nil {
		t.Fatal("no policy with several versions")
	}
	for _, v := range multi.Versions {
		if v.IsDefault != (v.VersionID == multi.DefaultVersionID) || (v.IsDefault && v.Doc != multi.Default) {
			t.Errorf("policy %s version %s: IsDefault %v, default id %s", multi.Name, v.VersionID, v.IsDefault, multi.DefaultVersionID)
		}
	}
}

// TestURLEncodedEqualsDecoded: the raw API form (documents URL-encoded)
// yields exactly the snapshot of the CLI form, positions aside.
func TestURLEncodedEqualsDecoded(t *testing.T) {
	plain := mustLoad(t, Options{}, shareddata.Path(t, "cloudsplaining-examples/example_authz_v2.json"))
	enc := mustLoad(t, Options{}, shareddata.Path(t, "cloudsplaining-examples/example_authz_v2.urlencoded-documents.json"))
	if a, b := dump(plain), dump(enc); a != b {
		t.Errorf("snapshots differ:\n--- decoded\n%s\n--- URL-encoded\n%s", a, b)
	}
	docs := 0
	for _, ref := range enc.AllPolicies() {
		docs++
		if !ref.Doc.Encoded {
			t.Errorf("%s %s: Encoded not set", ref.Kind, ref.Name)
		}
		// Every location of an encoded document is its string.
		for _, st := range ref.Doc.Statements {
			if st.Loc != ref.Doc.Loc || st.Action.Loc != ref.Doc.Loc {
				t.Errorf("%s: statement location %v is not the document string's %v", ref.Name, st.Loc, ref.Doc.Loc)
			}
		}
	}
	for _, ref := range plain.AllPolicies() {
		if ref.Doc.Encoded {
			t.Errorf("%s: decoded document marked Encoded", ref.Name)
		}
	}
	if docs != 6 {
		t.Errorf("got %d documents, want 6 (2 managed, 2 inline, 2 trust)", docs)
	}
}

// TestCredentialReports reads the report raw and inside the CLI's JSON.
func TestCredentialReports(t *testing.T) {
	generated := time.Date(2024, 12, 4, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		file      string
		generated time.Time
		neverLine int // the line of the file holding never-logged-in's row
	}{
		{"credential-report-format/example-credential-report.csv", time.Time{}, 4},
		// Every row is inside the base64 Content string, on line 2.
		{"credential-report-format/example-get-credential-report.cli.json", generated, 2},
	}
	for _, tt := range tests {
		t.Run(filepath.Base(tt.file), func(t *testing.T) {
			s := mustLoad(t, Options{}, shareddata.Path(t, tt.file))
			cr := s.CredentialReport
			if cr == nil || !s.Has(snapshot.DataCredentialReport) || len(s.Problems) != 0 {
				t.Fatalf("report %v present %v problems %v", cr, s.Present, s.Problems)
			}
			if len(cr.Rows) != 4 || cr.Root == nil || cr.Root != cr.Rows[0] || !cr.Root.IsRoot {
				t.Fatalf("got %d rows, root %v", len(cr.Rows), cr.Root)
			}
			if !cr.GeneratedTime.Equal(tt.generated) || !s.CollectedAt.Equal(tt.generated) {
				t.Errorf("generated %v collected %v, want %v", cr.GeneratedTime, s.CollectedAt, tt.generated)
			}
			if s.AccountID != "111122223333" {
				t.Errorf("account %q", s.AccountID)
			}
			root := cr.Root
			if root.PasswordEnabled != snapshot.Unknown || root.PasswordLastChanged.Raw != "not_supported" || root.MFAActive != snapshot.True || root.AccessKeys[0].Active != snapshot.False {
				t.Errorf("root row = %+v", root)
			}
			if want := time.Date(2024, 11, 2, 8, 0, 1, 0, time.UTC); !root.PasswordLastUsed.T.Equal(want) {
				t.Errorf("root password last used %v, want %v", root.PasswordLastUsed.T, want)
			}
			never := cr.Rows[2]
			if never.User != "never-logged-in" || never.PasswordLastUsed.Raw != "no_information" || never.PasswordLastUsed.Valid() || never.PasswordEnabled != snapshot.True || never.Line != tt.neverLine {
				t.Errorf("never-logged-in row = %+v", never)
			}
			ci := cr.Rows[3]
			k1, k2 := ci.AccessKeys[0], ci.AccessKeys[1]
			if ci.ARN != "arn:aws:iam::111122223333:user/automation/ci-deployer" || k1.Active != snapshot.True || k1.LastUsedRegion != "eu-west-1" || k1.LastUsedService != "cloudformation" {
				t.Errorf("ci-deployer key 1 = %+v", k1)
			}
			if k2.Active != snapshot.False || !k2.LastRotated.Valid() || k2.LastUsedRegion != "" || k2.LastUsedService != "s3" {
				t.Errorf("ci-deployer key 2 = %+v", k2)
			}
		})
	}
}

func TestPasswordPolicyAndSummary(t *testing.T) {
	intp := func(n int) *int { return &n }
	boolp := func(b bool) *bool { return &b }
	tests := []struct {
		file string
		want snapshot.PasswordPolicy
	}{
		{"password-policy/full-fields.json", snapshot.PasswordPolicy{
			MinimumPasswordLength: intp(14), RequireSymbols: boolp(true), RequireNumbers: boolp(true),
			RequireUppercaseCharacters: boolp(true), RequireLowercaseCharacters: boolp(true), AllowUsersToChangePassword: boolp(true),
			ExpirePasswords: boolp(true), MaxPasswordAge: intp(90), PasswordReusePrevention: intp(24), HardExpiry: boolp(false)}},
		{"password-policy/minimal-fields.json", snapshot.PasswordPolicy{
			MinimumPasswordLength: intp(8), RequireSymbols: boolp(false), RequireNumbers: boolp(false),
			RequireUppercaseCharacters: boolp(false), RequireLowercaseCharacters: boolp(false), AllowUsersToChangePassword: boolp(false),
			ExpirePasswords: boolp(false)}},
		{"aws-cli-examples/get-account-password-policy.json", snapshot.PasswordPolicy{
			MinimumPasswordLength: intp(8), RequireSymbols: boolp(true), RequireNumbers: boolp(true),
			RequireUppercaseCharacters: boolp(false), RequireLowercaseCharacters: boolp(false), AllowUsersToChangePassword: boolp(false)}},
	}
	for _, tt := range tests {
		t.Run(filepath.Base(tt.file), func(t *testing.T) {
			path := shareddata.Path(t, tt.file)
			s := mustLoad(t, Options{}, path)
			if !s.Has(snapshot.DataPasswordPolicy) || s.PasswordPolicy == nil || len(s.Problems) != 0 {
				t.Fatalf("policy %v present %v problems %v", s.PasswordPolicy, s.Present, s.Problems)
			}
			tt.want.Loc = path
			if got, want := dump(s.PasswordPolicy), dump(&tt.want); got != want {
				t.Errorf("got\n%s\nwant\n%s", got, want)
			}
		})
	}
	t.Run("summary", func(t *testing.T) {
		s := mustLoad(t, Options{}, shareddata.Path(t, "aws-cli-examples/get-account-summary.json"))
		if !s.Has(snapshot.DataAccountSummary) || len(s.AccountSummary) != 23 || s.AccountSummary["AccountMFAEnabled"] != 1 || s.AccountSummary["Users"] != 27 {
			t.Errorf("summary = %v", s.AccountSummary)
		}
	})
}

func TestStandalonePolicies(t *testing.T) {
	s := mustLoad(t, Options{},
		shareddata.Path(t, "cloudsplaining-examples/policy-wildcards.json"),
		shareddata.Path(t, "cloudsplaining-examples/policy-explicit-actions.json"),
		filepath.Join("testdata", "trust.json"))
	if len(s.Standalone) != 3 || !s.Has(snapshot.DataPolicyDocuments) {
		t.Fatalf("got %d standalone documents", len(s.Standalone))
	}
	wild := s.Standalone[0]
	if wild.Trust || len(wild.Doc.Statements) != 1 || strings.Join(wild.Doc.Statements[0].Action.List, ",") != "ecr:*,s3:*" {
		t.Errorf("wildcards = %+v", wild.Doc.Statements[0])
	}
	if !s.Standalone[2].Trust || s.Standalone[2].Name != filepath.Join("testdata", "trust.json") {
		t.Errorf("trust.json not recognized as a trust policy: %+v", s.Standalone[2])
	}
	// Input order is argument order, and every input is recorded.
	for i, in := range s.Inputs {
		if in.Kind != KindPolicyDocument || len(in.SHA256) != 64 || in.Bytes == 0 {
			t.Errorf("input %d = %+v", i, in)
		}
	}
}

func TestRawDocument(t *testing.T) {
	s := mustLoad(t, Options{}, filepath.Join("testdata", "raw-v1.json"))
	if len(s.Problems) != 0 {
		t.Fatalf("problems: %v", problemTexts(s))
	}
	if s.AccountID != "111122223333" || !s.CollectedAt.Equal(time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)) {
		t.Errorf("account %q collected %v", s.AccountID, s.CollectedAt)
	}
	wantPresent := map[snapshot.Data]bool{
		snapshot.DataAuthorizationDetails: true, snapshot.DataPasswordPolicy: true, snapshot.DataAccountSummary: true,
		snapshot.DataMFADevices: true, snapshot.DataIdentityProviders: true, snapshot.DataServerCertificates: true,
		snapshot.DataOrganizationPolicies: true,
		// CredentialReport is null (collected, none) but a collection
		// error says it is missing: missing wins.
	}
	if dump(s.Present) != dump(wantPresent) {
		t.Errorf("present = %v, want %v", s.Present, wantPresent)
	}
	if s.PasswordPolicy != nil || s.CredentialReport != nil {
		t.Errorf("password policy %v, report %v; want none", s.PasswordPolicy, s.CredentialReport)
	}
	if len(s.CollectionErrors) != 1 || s.CollectionErrors[0].Code != "AccessDenied" || len(s.CollectionErrors[0].Missing) != 1 {
		t.Errorf("collection errors = %+v", s.CollectionErrors)
	}
	if len(s.VirtualMFADevices) != 1 || s.VirtualMFADevices[0].UserARN != "arn:aws:iam::111122223333:root" ||
		len(s.OIDCProviders) != 1 || s.OIDCProviders[0].ClientIDs[0] != "sts.amazonaws.com" ||
		len(s.SAMLProviders) != 1 || len(s.ServerCertificates) != 1 || s.ServerCertificates[0].Expiration.Year() != 2021 {
		t.Errorf("providers/devices/certificates wrong: %+v %+v %+v %+v", s.VirtualMFADevices, s.OIDCProviders, s.SAMLProviders, s.ServerCertificates)
	}
	if len(s.OrgPolicies) != 1 || s.OrgPolicies[0].Doc.Encoded || len(s.OrgPolicies[0].Doc.Statements) != 1 {
		t.Errorf("org policies = %+v", s.OrgPolicies)
	}
	role := s.Role("deploy")
	if !role.Trust.Encoded || role.Trust.Statements[0].Principal.Federated[0] != "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com" || !role.LastUsedKnown || !role.LastUsed.IsZero() {
		t.Errorf("role deploy = %+v trust %+v", role, role.Trust.Statements[0])
	}
	alice := s.User("alice")
	b := s.Policy("arn:aws:iam::111122223333:policy/boundary")
	if alice.Boundary == nil || alice.Boundary.Policy != b || b == nil || b.Default != b.Versions[0].Doc || len(b.Versions) != 2 || !b.AttachmentKnown {
		t.Errorf("boundary not resolved: %+v", alice.Boundary)
	}
	if len(alice.Tags) != 1 || alice.Tags[0] != (snapshot.Tag{Key: "team", Value: "sec"}) || len(s.Group("admins").Members) != 1 {
		t.Errorf("alice tags %v, admins members %v", alice.Tags, s.Group("admins").Members)
	}
	if got := s.IdentityPolicies(&alice.Principal); len(got) != 1 || got[0].Managed != b {
		t.Errorf("alice's identity policies = %+v", got)
	}
}

func TestRawDocumentVersion(t *testing.T) {
	for _, tt := range []struct{ doc, want string }{
		{`{"Format":"iamscan-raw","FormatVersion":2}`, "in.json:1:41: iamscan raw document FormatVersion 2 is not supported"},
		{`{"Format":"iamscan-raw"}`, "in.json:1:1: iamscan raw document has no FormatVersion"},
		{`{"Format":"iamscan-raw","FormatVersion":"1"}`, `FormatVersion "1" is not supported`},
	} {
		_, err := LoadBytes("in.json", []byte(tt.doc), Options{})
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want %q", tt.doc, err, tt.want)
		}
	}
}

// TestProblems: unknown keys and wrong types inside a recognized file
// are reported with file:line:col, and what can be read still is.
func TestProblems(t *testing.T) {
	path := filepath.Join("testdata", "problems.json")
	s := mustLoad(t, Options{}, path)
	want := []string{
		`:6:21: user CreateDate is not a timestamp (expected e.g. 2024-01-02T03:04:05Z): "yesterday"`,
		`:8:7: unknown key "Shoe" in a UserDetailList entry; it is not read`,
		`:10:99: inline policy inline of user bob: Action must be a string or a list of strings, found number`,
		`:13:5: user entry has no Arn; it is not read`,
		`:14:5: a UserDetailList entry must be an object, found string`,
		`:17:96: group AttachedManagedPolicies must be a list, found an object; read as a list of one`,
		`:20:118: MaxSessionDuration must be a number, found string`,
		`:20:89: trust policy of role derived: policy document is neither JSON nor valid URL-encoded JSON`,
		`:23:99: IsAttachable must be true or false, found string`,
		`:24:103: policy noname version v1: Statement is an empty list; the document grants and denies nothing`,
		`:7:21: user bob is in group "nope", which is not in the input; that group's policies are not evaluated`,
		`:17:96: AWS managed policy arn:aws:iam::aws:policy/ReadOnlyAccess is not in the input; its permissions are not evaluated`,
	}
	got := problemTexts(s)
	if len(got) != len(want) {
		t.Fatalf("got %d problems, want %d:\n%s", len(got), len(want), strings.Join(got, "\n"))
	}
	for i := range want {
		if got[i] != path+want[i] {
			t.Errorf("problem %d:\n got %s\nwant %s", i, got[i], path+want[i])
		}
	}
	// What could be read was read: the derived role name, the nameless
	// policy named from its ARN, bob himself.
	if s.Role("derived") == nil || s.Policy("arn:aws:iam::111122223333:policy/noname").Name != "noname" || s.User("bob") == nil || len(s.Users) != 1 {
		t.Errorf("entities not read: roles %v users %v", s.Roles, s.Users)
	}
}
