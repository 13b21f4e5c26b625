package offline

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/iamscan/iamscan/snapshot"
)

// TestMalformedDirectory: a directory of mixed files yields one error per
// bad file, each naming the file and line, and never a panic.
func TestMalformedDirectory(t *testing.T) {
	dir := filepath.Join("testdata", "mixed")
	s, err := Load([]string{dir}, Options{})
	if s != nil || err == nil {
		t.Fatalf("Load = %v, %v; want an error", s, err)
	}
	want := []string{
		filepath.Join(dir, "b-truncated.json") + ":2:24: invalid JSON: unexpected end of input in a string",
		filepath.Join(dir, "c-garbage.json") + ":1:1: not a recognized input: expected JSON",
		filepath.Join(dir, "d-empty.json") + ": empty file",
		filepath.Join(dir, "sub", "e-number.json") + ":3:3: not a recognized input: a JSON number is not an IAM input",
		filepath.Join(dir, "sub", "f-short-row.csv") + ":2:1: credential report row has 2 fields, the header has 3",
	}
	got := strings.Split(err.Error(), "\n")
	if len(got) != len(want) {
		t.Fatalf("got %d errors, want %d:\n%s", len(got), len(want), err)
	}
	for i := range want {
		if !strings.HasPrefix(got[i], want[i]) {
			t.Errorf("error %d:\n got %s\nwant %s...", i, got[i], want[i])
		}
	}
	var ie *InputError
	if !errors.As(err, &ie) || ie.Loc.File != filepath.Join(dir, "b-truncated.json") || ie.Loc.Line != 2 {
		t.Errorf("errors.As(*InputError) = %+v", ie)
	}
}

func TestMalformedInputs(t *testing.T) {
	tests := []struct {
		name, data, want string
	}{
		{"truncated", `{"UserDetailList": [`, "in.json:1:21: invalid JSON: unexpected end of input, expected a value"},
		{"empty", ``, "in.json: empty file"},
		{"spaces only", " \n\t\n", "in.json: empty file"},
		{"binary", "\x89PNG\r\n\x1a\n\x00\x00", "in.json:1:1: not a recognized input"},
		{"invalid utf-8 in a string", "{\"Statement\": \"\xff\"}", "in.json:1:16: invalid JSON: invalid UTF-8 in a string"},
		{"trailing garbage", `{"Statement": []} x`, `in.json:1:19: invalid JSON: unexpected "x" after the top-level value`},
		{"unknown object", `{"Hello": 1}`, "in.json:1:1: not a recognized input: a JSON object with keys [Hello]"},
		{"get-role output", `{"Role": {"RoleName": "r"}}`, "in.json:1:1: not a recognized input: this is `aws iam get-role` output, which holds one role; save `aws iam get-account-authorization-details` output instead"},
		{"get-policy-version output", `{"PolicyVersion": {"Document": {}}}`, "in.json:1:1: not a recognized input: this is `aws iam get-policy-version` output, which holds one policy version; save its Document alone as a policy document, or `aws iam get-account-authorization-details` output"},
		{"get-role-policy output", `{"RoleName": "r", "PolicyName": "p", "PolicyDocument": {}}`, "in.json:1:1: not a recognized input: this is `aws iam get-role-policy` output, which holds one inline policy; save its PolicyDocument alone as a policy document, or `aws iam get-account-authorization-details` output"},
		{"empty list", `[]`, "in.json:1:1: not a recognized input: only get-account-authorization-details pages may be listed or concatenated in one file"},
		{"list of non-pages", `[{"UserDetailList": []}, 3]`, "in.json:1:1: not a recognized input"},
		{"csv with a quote error", "user,arn,x\n\"a,b,c\n", "in.json:2:1: malformed credential report"},
		{"report content not base64", `{"Content": "!!", "ReportFormat": "text/csv"}`, "in.json:1:13: credential report Content is not valid base64"},
		{"report content not a report", `{"Content": "aGVsbG8=", "ReportFormat": "text/csv"}`, "in.json:1:13: credential report Content does not decode to a credential report CSV"},
		{"deep nesting", `{"Statement": ` + strings.Repeat("[", 600), "in.json:1:527: invalid JSON: nesting deeper than 512 levels"},
		{"deep list", strings.Repeat("[", 600), "in.json:1:1: not a recognized input: only get-account-authorization-details pages may be listed or concatenated in one file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := LoadBytes("in.json", []byte(tt.data), Options{})
			if err == nil {
				t.Fatalf("no error; snapshot %+v", s)
			}
			if !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("error %q, want prefix %q", err, tt.want)
			}
			checkErrors(t, err)
		})
	}
}

func TestMissingPath(t *testing.T) {
	_, err := Load([]string{filepath.Join("testdata", "nope.json"), filepath.Join("testdata", "trust.json")}, Options{})
	if err == nil || !strings.Contains(err.Error(), filepath.Join("testdata", "nope.json")+": no such file or directory") {
		t.Errorf("error %v", err)
	}
	_, err = Load([]string{t.TempDir()}, Options{})
	if err == nil || !strings.Contains(err.Error(), "no input files") {
		t.Errorf("empty directory: error %v", err)
	}
}

// TestPagesAndResolve: a JSON list of pages is merged; AWS managed
// policies absent from the input are resolved once through the option.
func TestPagesAndResolve(t *testing.T) {
	path := filepath.Join("testdata", "pages.json")
	const admin = "arn:aws:iam::aws:policy/AdministratorAccess"

	s := mustLoad(t, Options{}, path)
	if len(s.Users) != 1 || len(s.Groups) != 1 || len(s.Groups[0].Members) != 1 || s.Users[0].Groups[0] != s.Groups[0] {
		t.Fatalf("pages not merged: %d users, %d groups", len(s.Users), len(s.Groups))
	}
	if got := problemTexts(s); len(got) != 1 || got[0] != path+":4:120: AWS managed policy "+admin+" is not in the input; its permissions are not evaluated" {
		t.Errorf("problems = %q", got)
	}

	calls := 0
	resolve := func(arn string) (*snapshot.ManagedPolicy, bool) {
		calls++
		if arn != admin {
			return nil, false
		}
		return &snapshot.ManagedPolicy{ARN: arn, Name: "AdministratorAccess", AWSManaged: true}, true
	}
	s = mustLoad(t, Options{ResolveManaged: resolve}, path)
	if calls != 1 || len(s.Problems) != 0 || len(s.Policies) != 1 || !s.Policies[0].Embedded {
		t.Fatalf("calls %d problems %v policies %+v", calls, s.Problems, s.Policies)
	}
	if s.Users[0].Attached[0].Policy != s.Policies[0] || s.Groups[0].Attached[0].Policy != s.Policies[0] || s.Policy(admin) != s.Policies[0] {
		t.Error("attachments not pointed at the resolved policy")
	}
	if got := s.AttachedTo(admin); len(got) != 2 {
		t.Errorf("AttachedTo = %v", got)
	}
}

// TestSeveralFiles: pages given as separate files, plus a report, merge
// into one snapshot; a duplicate entity is reported, not doubled.
func TestSeveralFiles(t *testing.T) {
	dir := t.TempDir()
	write := func(name, data string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	write("page1.json", `{"UserDetailList": [{"UserName": "u", "Arn": "arn:aws:iam::111122223333:user/u", "GroupList": ["g"]}], "IsTruncated": true, "Marker": "m"}`)
	write("page2.json", `{"GroupDetailList": [{"GroupName": "g", "Arn": "arn:aws:iam::111122223333:group/g"}],
"UserDetailList": [{"UserName": "u", "Arn": "arn:aws:iam::111122223333:user/u"}]}`)
	os.MkdirAll(filepath.Join(dir, "z"), 0o755)
	write("z/report.csv", "user,arn,mfa_active\nu,arn:aws:iam::111122223333:user/u,false\n")
	write("notes.md", "skipped: not .json, .csv or .txt")
	write(".hidden.json", "ignored: hidden")

	s := mustLoad(t, Options{}, dir)
	if len(s.Users) != 1 || len(s.Groups) != 1 || len(s.Groups[0].Members) != 1 {
		t.Fatalf("%d users %d groups", len(s.Users), len(s.Groups))
	}
	var kinds []string
	for _, in := range s.Inputs {
		kinds = append(kinds, filepath.Base(in.Path)+"="+in.Kind)
	}
	if got := strings.Join(kinds, " "); got != "page1.json=authorization-details page2.json=authorization-details report.csv=credential-report notes.md=skipped" {
		t.Errorf("inputs = %s", got)
	}
	got := problemTexts(s)
	if len(got) != 2 || !strings.Contains(got[0], "page2.json:2:20: user arn:aws:iam::111122223333:user/u appears twice (first at ") ||
		!strings.Contains(got[1], "report.csv:1:1: credential report lacks columns user_creation_time, password_enabled,") {
		t.Errorf("problems = %q", got)
	}
	if s.CredentialReport.Rows[0].MFAActive != snapshot.False {
		t.Errorf("row = %+v", s.CredentialReport.Rows[0])
	}
}

func TestCredentialReportValues(t *testing.T) {
	path := filepath.Join("testdata", "report.csv")
	s := mustLoad(t, Options{}, path)
	rows := s.CredentialReport.Rows
	root, carol := rows[0], rows[1]
	if root.MFAActive != snapshot.True || root.AccessKeys[0].Active != snapshot.False || root.PasswordEnabled != snapshot.Unknown {
		t.Errorf("TRUE/FALSE not read case-insensitively: %+v", root)
	}
	if want := time.Date(2024, 11, 2, 8, 0, 1, 0, time.UTC); !root.PasswordLastUsed.T.Equal(want) {
		t.Errorf("space-separated time = %v, want %v", root.PasswordLastUsed.T, want)
	}
	if want := time.Date(2020, 1, 2, 3, 4, 5, 123e6, time.UTC); !carol.UserCreationTime.T.Equal(want) || carol.Line != 3 {
		t.Errorf("fractional time = %v line %d", carol.UserCreationTime.T, carol.Line)
	}
	if got := problemTexts(s); len(got) != 1 || got[0] != path+`:3:1: credential report column mfa_active: "maybe" is not true, false, N/A or not_supported` {
		t.Errorf("problems = %q", got)
	}
	if !s.CollectedAt.IsZero() {
		t.Errorf("a raw CSV has no generation time, got %v", s.CollectedAt)
	}
}

func TestParseTime(t *testing.T) {
	utc := func(y, mo, d, h, mi, s, ns int) time.Time {
		return time.Date(y, time.Month(mo), d, h, mi, s, ns, time.UTC)
	}
	tests := []struct {
		in   string
		want time.Time
		ok   bool
	}{
		{"2014-07-30T17:09:20Z", utc(2014, 7, 30, 17, 9, 20, 0), true},
		{"2014-07-30T17:09:20+00:00", utc(2014, 7, 30, 17, 9, 20, 0), true},
		{"2014-07-30 17:09:20+00:00", utc(2014, 7, 30, 17, 9, 20, 0), true},
		{"2014-07-30T17:09:20.5Z", utc(2014, 7, 30, 17, 9, 20, 5e8), true},
		{"2014-07-30T17:09:20.123456789+02:00", utc(2014, 7, 30, 15, 9, 20, 123456789), true},
		{"2014-07-30T01:00:00-05:30", utc(2014, 7, 30, 6, 30, 0, 0), true},
		{"2024-02-29T00:00:00Z", utc(2024, 2, 29, 0, 0, 0, 0), true},
		{"2023-02-29T00:00:00Z", time.Time{}, false},
		{"2014-07-30T17:09:20", time.Time{}, false},
		{"2014-07-30", time.Time{}, false},
		{"2014-13-30T17:09:20Z", time.Time{}, false},
		{"2014-07-30T24:09:20Z", time.Time{}, false},
		{"2014-07-30T17:09:20.Z", time.Time{}, false},
		{"2014-07-30T17:09:20+0000", time.Time{}, false},
		{"N/A", time.Time{}, false},
	}
	for _, tt := range tests {
		got, ok := parseTime(tt.in)
		if ok != tt.ok || !got.Equal(tt.want) {
			t.Errorf("parseTime(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
		if std, err := time.Parse(time.RFC3339Nano, strings.Replace(tt.in, " ", "T", 1)); ok && (err != nil || !std.Equal(got)) {
			t.Errorf("parseTime(%q) = %v disagrees with time.Parse %v, %v", tt.in, got, std, err)
		}
	}
}

// TestDeterministic: loading the same inputs twice gives the same
// snapshot, in the same order.
func TestDeterministic(t *testing.T) {
	paths := []string{"testdata"}
	_, errA := Load(paths, Options{})
	_, errB := Load(paths, Options{})
	if errA == nil || errB == nil || errA.Error() != errB.Error() {
		t.Fatalf("errors differ or are missing: %v / %v", errA, errB)
	}
	files, _ := filepath.Glob(filepath.Join("testdata", "*.json"))
	files = append(files, filepath.Join("testdata", "report.csv"))
	a, b := mustLoad(t, Options{}, files...), mustLoad(t, Options{}, files...)
	if dump(a) != dump(b) || dump(a.Problems) != dump(b.Problems) {
		t.Error("two loads of the same inputs differ")
	}
}

// TestConcatenatedPages: pages written one after another into one file
// (cat page*.json) are read like a list of pages.
func TestConcatenatedPages(t *testing.T) {
	s := mustLoad(t, Options{}, filepath.Join("testdata", "concatenated.json"))
	if len(s.Users) != 1 || len(s.Groups) != 1 || len(s.Groups[0].Members) != 1 || len(s.Problems) != 0 || s.Inputs[0].Kind != KindAuthorizationDetails {
		t.Errorf("users %d groups %d problems %v inputs %+v", len(s.Users), len(s.Groups), s.Problems, s.Inputs)
	}
	for _, tt := range []struct{ in, want string }{
		{`{"UserDetailList": []} {"Statement": []}`, "in.json:1:1: not a recognized input: only get-account-authorization-details pages may be listed or concatenated in one file"},
		{`{"UserDetailList": []} {"Policies": [] `, "in.json:1:40: invalid JSON: unexpected end of input in an object"},
		{`{"UserDetailList": []} 7`, `in.json:1:24: invalid JSON: unexpected "7" after the top-level value`},
		{`{"Statement": []} {"UserDetailList": []}`, `in.json:1:19: invalid JSON: unexpected "{" after the top-level value`},
	} {
		_, err := LoadBytes("in.json", []byte(tt.in), Options{})
		if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want %q", tt.in, err, tt.want)
		}
	}
}

// TestByteOrderMark: editors on Windows (and Excel for CSV) save UTF-8
// with a byte order mark. The mark is not content: the file reads as
// without it, and positions count from the character after it, as
// editors show them. The recorded size and digest stay those of the file.
func TestByteOrderMark(t *testing.T) {
	const bom = "\xef\xbb\xbf"
	tests := []struct {
		name, data string
		kind       string
		line, col  int // of the first problem (a missing column is at 1:1)
	}{
		{"policy document", bom + "{\"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\"}],\n \"Bogus\": 1}", KindPolicyDocument, 2, 11},
		{"credential report", bom + "user,arn,user_creation_time,mfa_active\n<root_account>,arn:aws:iam::111122223333:root,2019-03-04T10:11:12+00:00,maybe\n", KindCredentialReport, 1, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := LoadBytes("in", []byte(tt.data), Options{})
			if err != nil {
				t.Fatalf("LoadBytes: %v", err)
			}
			if len(s.Inputs) != 1 || s.Inputs[0].Kind != tt.kind || s.Inputs[0].Bytes != int64(len(tt.data)) {
				t.Errorf("inputs %+v, want one %s of %d bytes", s.Inputs, tt.kind, len(tt.data))
			}
			if tt.kind == KindCredentialReport && (s.CredentialReport == nil || len(s.CredentialReport.Rows) != 1 || s.CredentialReport.Root == nil) {
				t.Errorf("credential report %+v, want the root row", s.CredentialReport)
			}
			if len(s.Problems) == 0 {
				t.Fatalf("no problem reported")
			}
			if loc := s.Problems[0].Loc; loc.Line != tt.line || loc.Col != tt.col {
				t.Errorf("first problem at %d:%d, want %d:%d (%s)", loc.Line, loc.Col, tt.line, tt.col, s.Problems[0].Message)
			}
		})
	}
}

// TestCredentialReportOddRows: rows and headers a hand-edited or
// spreadsheet-saved report may have. None may be read silently as if it
// were fine.
func TestCredentialReportOddRows(t *testing.T) {
	const header = "user,arn,user_creation_time,password_enabled,mfa_active\n"
	const root = "<root_account>,arn:aws:iam::111122223333:root,2019-03-04T10:11:12+00:00,not_supported,true\n"
	tests := []struct {
		name, data string
		rows       int
		want       string // the problem or error that must be reported
	}{
		{"row of empty fields", header + root + ",,,,\n", 1, "in.csv:3:1: credential report row has no user name; it is not read"},
		{"duplicate column", "user,arn,user_creation_time,mfa_active,mfa_active\n" + root, 0, `in.csv:1:1: credential report column "mfa_active" appears twice`},
		{"duplicate user column", "user,arn,user,password_enabled,mfa_active\n" + root, 0, `in.csv:1:1: credential report column "user" appears twice`},
		{"reordered columns", "mfa_active,arn,user,user_creation_time,password_enabled\ntrue,arn:aws:iam::111122223333:root,<root_account>,2019-03-04T10:11:12+00:00,maybe\n", 1, `in.csv:2:1: credential report column password_enabled: "maybe" is not`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := LoadBytes("in.csv", []byte(tt.data), Options{})
			var got []string
			if err != nil {
				got = strings.Split(err.Error(), "\n")
			} else {
				got = problemTexts(s)
				if n := len(s.CredentialReport.Rows); n != tt.rows {
					t.Errorf("%d rows read, want %d", n, tt.rows)
				}
			}
			found := false
			for _, g := range got {
				found = found || strings.HasPrefix(g, tt.want)
			}
			if !found {
				t.Errorf("reported %q, want %q", got, tt.want)
			}
		})
	}
}

// TestUTF16: Windows PowerShell 5's > writes UTF-16 with a byte order
// mark, so `aws iam ... > out.json` there gives UTF-16. It is read as the
// same text, with positions in characters as editors show them.
func TestUTF16(t *testing.T) {
	text := "{\"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\"}],\n \"Bogus\": 1}"
	units := utf16.Encode([]rune(text))
	le, be := []byte{0xff, 0xfe}, []byte{0xfe, 0xff}
	for _, u := range units {
		le = append(le, byte(u), byte(u>>8))
		be = append(be, byte(u>>8), byte(u))
	}
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"little endian", le, ""},
		{"big endian", be, ""},
		{"odd length", le[:len(le)-1], "in.json: UTF-16 text with an odd number of bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := LoadBytes("in.json", tt.data, Options{})
			if tt.want != "" {
				if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
					t.Fatalf("error %v, want %q", err, tt.want)
				}
				return
			}
			if err != nil {
				t.Fatalf("LoadBytes: %v", err)
			}
			if len(s.Inputs) != 1 || s.Inputs[0].Kind != KindPolicyDocument || s.Inputs[0].Bytes != int64(len(tt.data)) {
				t.Errorf("inputs %+v", s.Inputs)
			}
			if got := problemTexts(s); len(got) != 1 || !strings.HasPrefix(got[0], `in.json:2:11: `) {
				t.Errorf("problems %q, want one at 2:11", got)
			}
		})
	}
}

// TestTruncatedAuthorizationDetails: a page that says more follow, with no
// last page among the inputs, means users, roles and policies are missing;
// the reader must be told rather than shown a clean, partial account.
func TestTruncatedAuthorizationDetails(t *testing.T) {
	const page = `{"UserDetailList": [], "RoleDetailList": [], "GroupDetailList": [], "Policies": [], `
	tests := []struct {
		name, data string
		want       string // "" when no problem is due
	}{
		{"first page only", page + `"IsTruncated": true, "Marker": "m1"}`, `in.json:1:100: get-account-authorization-details output is truncated`},
		{"cli --max-items", page + `"NextToken": "t1"}`, `in.json:1:98: get-account-authorization-details output is truncated`},
		{"all pages", `[` + page + `"IsTruncated": true, "Marker": "m1"}, ` + page + `"IsTruncated": false}]`, ""},
		{"single complete page", page + `"IsTruncated": false}`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := LoadBytes("in.json", []byte(tt.data), Options{})
			if err != nil {
				t.Fatal(err)
			}
			got := problemTexts(s)
			if tt.want == "" {
				if len(got) != 0 {
					t.Errorf("problems %q, want none", got)
				}
				return
			}
			if len(got) != 1 || !strings.HasPrefix(got[0], tt.want) {
				t.Errorf("problems %q, want one starting %q", got, tt.want)
			}
		})
	}
}
