package offline

import (
	"strings"
	"testing"

	"github.com/iamscan/iamscan/policy"
)

// The snapshot keeps where each thing a finding can point at is in the
// input: a credential report row (its whole line, CRLF and BOM left
// out), the password policy object, a server certificate entry, an
// attachment entry and a permissions boundary.
func TestPositions(t *testing.T) {
	csvText := "\ufeff" + reportHeader + "\r\n" + reportRows[0] + "\r\n" + reportRows[1] + "\n"
	snap, err := LoadBytes("report.csv", []byte(csvText), Options{})
	if err != nil {
		t.Fatal(err)
	}
	for i, row := range snap.CredentialReport.Rows[:2] {
		want := policy.Location{File: "report.csv", Line: i + 2, Col: 1, EndLine: i + 2, EndCol: len(reportRows[i]) + 1}
		if row.Loc != want {
			t.Errorf("row %d: %#v, want %#v", i, row.Loc, want)
		}
	}

	pp := "{\n  \"PasswordPolicy\": {\n    \"MinimumPasswordLength\": 8\n  }\n}\n"
	if snap, err = LoadBytes("pp.json", []byte(pp), Options{}); err != nil {
		t.Fatal(err)
	}
	if got, want := snap.PasswordPolicy.At, (policy.Location{File: "pp.json", Line: 2, Col: 21, EndLine: 4, EndCol: 4}); got != want {
		t.Errorf("password policy at %#v, want %#v", got, want)
	}

	raw := `{
  "Format": "iamscan-raw",
  "FormatVersion": 1,
  "AccountId": "111122223333",
  "ServerCertificates": [
    {"ServerCertificateName": "old", "Arn": "arn:aws:iam::111122223333:server-certificate/old",
     "Expiration": "2020-01-01T00:00:00Z"}
  ]
}`
	if snap, err = LoadBytes("raw.json", []byte(raw), Options{}); err != nil {
		t.Fatal(err)
	}
	if len(snap.ServerCertificates) != 1 {
		t.Fatalf("%d certificates", len(snap.ServerCertificates))
	}
	if got, want := snap.ServerCertificates[0].Loc, (policy.Location{File: "raw.json", Line: 6, Col: 5, EndLine: 7, EndCol: 43}); got != want {
		t.Errorf("certificate at %#v, want %#v", got, want)
	}

	authz := `{"UserDetailList": [{"UserName": "a", "UserId": "AIDA1", "Path": "/", "Arn": "arn:aws:iam::111122223333:user/a",
  "CreateDate": "2020-01-01T00:00:00Z", "GroupList": [], "UserPolicyList": [],
  "AttachedManagedPolicies": [
    {"PolicyName": "ReadOnlyAccess", "PolicyArn": "arn:aws:iam::aws:policy/ReadOnlyAccess"}],
  "PermissionsBoundary": {"PermissionsBoundaryType": "Policy", "PermissionsBoundaryArn": "arn:aws:iam::aws:policy/PowerUserAccess"}}],
 "GroupDetailList": [], "RoleDetailList": [], "Policies": []}`
	if snap, err = LoadBytes("authz.json", []byte(authz), Options{}); err != nil {
		t.Fatal(err)
	}
	u := snap.Users[0]
	line4 := strings.Split(authz, "\n")[3] // the entry, then "],"
	if got, want := u.Attached[0].Loc, (policy.Location{File: "authz.json", Line: 4, Col: 5, EndLine: 4, EndCol: len(line4) - 1}); got != want {
		t.Errorf("attachment at %#v, want %#v", got, want)
	}
	if got := u.Boundary.Loc; got.File != "authz.json" || got.Line != 5 || got.Col != 26 {
		t.Errorf("boundary at %+v, want authz.json:5:26", got)
	}
}
