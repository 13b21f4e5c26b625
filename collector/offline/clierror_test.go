package offline

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/iamscan/iamscan/internal/shareddata"
	"github.com/iamscan/iamscan/snapshot"
)

// noPolicyStderr is what `aws iam get-account-password-policy` writes
// to stderr for an account without a password policy (the CLI starts it
// with an empty line).
const noPolicyStderr = "\nAn error occurred (NoSuchEntity) when calling the GetAccountPasswordPolicy operation: The Password Policy with domain name 111122223333 cannot be found.\n"

// checkNoPasswordPolicy: the input says "collected, and there is no
// password policy", which is what IAM034 judges.
func checkNoPasswordPolicy(t *testing.T, s *snapshot.Snapshot) {
	t.Helper()
	if !s.Has(snapshot.DataPasswordPolicy) || s.PasswordPolicy != nil {
		t.Errorf("password policy present %v, policy %+v; want present and none", s.Has(snapshot.DataPasswordPolicy), s.PasswordPolicy)
	}
	if len(s.Inputs) == 0 || s.Inputs[0].Kind != KindPasswordPolicy {
		t.Errorf("inputs %+v; want the file recorded as %s", s.Inputs, KindPasswordPolicy)
	}
	if len(s.Problems) != 0 {
		t.Errorf("problems %q", problemTexts(s))
	}
}

// TestNoPasswordPolicyCLIOutput: `aws iam get-account-password-policy >
// password-policy.json 2>&1` on an account without a policy saves the
// CLI's NoSuchEntity message, which is the answer "no policy".
func TestNoPasswordPolicyCLIOutput(t *testing.T) {
	for name, data := range map[string]string{
		"as printed":            noPolicyStderr,
		"no blank lines":        strings.TrimSpace(noPolicyStderr),
		"CRLF":                  strings.ReplaceAll(noPolicyStderr, "\n", "\r\n"),
		"UTF-16 (PowerShell 5)": string(utf16LE(noPolicyStderr)),
	} {
		t.Run(name, func(t *testing.T) {
			s, err := LoadBytes("password-policy.json", []byte(data), Options{})
			if err != nil {
				t.Fatal(err)
			}
			checkNoPasswordPolicy(t, s)
		})
	}
}

// TestNoPasswordPolicySharedSample reads the team's sample of the CLI's
// stderr, as a .json file named on the command line and as a .txt file
// found in a directory.
func TestNoPasswordPolicySharedSample(t *testing.T) {
	sample := shareddata.Path(t, filepath.Join("password-policy", "no-policy.cli-stderr.txt"))
	data, err := os.ReadFile(sample)
	if err != nil {
		t.Fatal(err)
	}
	checkNoPasswordPolicy(t, mustLoad(t, Options{}, sample))
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"password-policy.txt": string(data)})
	checkNoPasswordPolicy(t, mustLoad(t, Options{}, dir))
}

// TestCLIErrorOutput: other failed calls saved the same way are errors
// that say which call failed, since the data is not there; a 0-byte file
// (stderr sent elsewhere) stays an error.
func TestCLIErrorOutput(t *testing.T) {
	tests := []struct{ name, data, want string }{
		{"access denied", "\nAn error occurred (AccessDenied) when calling the GetAccountPasswordPolicy operation: User: arn:aws:iam::111122223333:user/x is not authorized to perform: iam:GetAccountPasswordPolicy\n",
			"in.json:2:1: this is AWS CLI error output, not data: GetAccountPasswordPolicy failed with AccessDenied (User: arn:aws:iam::111122223333:user/x is not authorized to perform: iam:GetAccountPasswordPolicy); fix the call and save its output again, or leave the file out"},
		{"report not generated", "An error occurred (ReportNotPresent) when calling the GetCredentialReport operation: Credential report not present.",
			"in.json:1:1: this is AWS CLI error output, not data: GetCredentialReport failed with ReportNotPresent (Credential report not present.)"},
		{"NoSuchEntity of another call", "An error occurred (NoSuchEntity) when calling the GetRole operation: The role with name x cannot be found.",
			"in.json:1:1: this is AWS CLI error output, not data: GetRole failed with NoSuchEntity"},
		{"retries", "An error occurred (Throttling) when calling the GetAccountPasswordPolicy operation (reached max retries: 4): Rate exceeded",
			"in.json:1:1: this is AWS CLI error output, not data: GetAccountPasswordPolicy failed with Throttling (Rate exceeded)"},
		{"followed by more text", noPolicyStderr + "{\"PasswordPolicy\": {}}\n",
			"in.json:2:1: AWS CLI error output followed by other text; save the command's output alone"},
		{"not in the CLI's form", "An error occurred (oops) somewhere",
			"in.json:1:1: not a recognized input: this looks like AWS CLI error output but is not in its form"},
		{"empty", "", "in.json: empty file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := LoadBytes("in.json", []byte(tt.data), Options{})
			if err == nil {
				t.Fatalf("no error; password policy present %v", s.Has(snapshot.DataPasswordPolicy))
			}
			if !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("error\n %s\nwant prefix\n %s", err, tt.want)
			}
			checkErrors(t, err)
		})
	}
}

// TestPasswordPolicyTwice: a policy and "no policy" from two files
// disagree; the last one read is kept and the clash is reported.
func TestPasswordPolicyTwice(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"a-policy.json":   `{"PasswordPolicy": {"MinimumPasswordLength": 14}}`,
		"b-no-policy.txt": noPolicyStderr,
	})
	s := mustLoad(t, Options{}, dir)
	if !s.Has(snapshot.DataPasswordPolicy) || s.PasswordPolicy != nil {
		t.Errorf("policy %+v; want the last read, none", s.PasswordPolicy)
	}
	got := problemTexts(s)
	if len(got) != 1 || !strings.Contains(got[0], "b-no-policy.txt:2:1: a second password policy input (the first is at "+filepath.Join(dir, "a-policy.json")+":1:20); the last one read is kept") {
		t.Errorf("problems %q", got)
	}
}

// utf16LE is text as Windows PowerShell 5's > writes it.
func utf16LE(text string) []byte {
	out := []byte{0xff, 0xfe}
	for _, u := range utf16.Encode([]rune(text)) {
		out = append(out, byte(u), byte(u>>8))
	}
	return out
}
