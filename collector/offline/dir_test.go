package offline

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/iamscan/iamscan/snapshot"
)

// writeFiles writes name → content under dir, making directories.
func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

const (
	dirAuthz = `{"UserDetailList": [{"UserName": "u", "Arn": "arn:aws:iam::111122223333:user/u"}], "GroupDetailList": [], "RoleDetailList": [], "Policies": []}`
	dirAdmin = `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}}`
)

// dirReport is a credential report with every column and user u.
var dirReport = strings.Join(reportColumns, ",") + "\n" +
	"u,arn:aws:iam::111122223333:user/u,2024-01-01T00:00:00+00:00,false,N/A,N/A,N/A,false,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A\n"

// TestDirectoryExtensions: a directory scan reads .json, .csv and .txt
// inputs whatever the case of the extension, skips other files and .txt
// files holding no input, and lists every skipped file in Inputs (after
// the inputs, with its digest); hidden files and directories are left
// out without a word.
func TestDirectoryExtensions(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"authz.json":         dirAuthz,
		"report.txt":         dirReport, // `aws iam get-credential-report ... > report.txt`
		"POLICY.JSON":        dirAdmin,
		"sub/Policy2.Json":   dirAdmin,
		"README.md":          "# how these files were collected\n",
		"notes.txt":          "notes: collected on Monday\n",
		"want":               "IAM001 critical ...\n",
		".hidden.json":       "not even JSON",
		".git/config":        "[core]\n",
		".git/objects/x.csv": "not read",
	})
	s := mustLoad(t, Options{}, dir)
	var got []string
	for _, in := range s.Inputs {
		rel, _ := filepath.Rel(dir, in.Path)
		got = append(got, filepath.ToSlash(rel)+"="+in.Kind)
		if len(in.SHA256) != 64 || in.Bytes == 0 {
			t.Errorf("%s: digest %q, %d bytes", rel, in.SHA256, in.Bytes)
		}
	}
	want := "POLICY.JSON=policy-document authz.json=authorization-details report.txt=credential-report sub/Policy2.Json=policy-document " +
		"README.md=skipped notes.txt=skipped want=skipped"
	if strings.Join(got, " ") != want {
		t.Errorf("inputs:\n got %s\nwant %s", strings.Join(got, " "), want)
	}
	if !s.Has(snapshot.DataCredentialReport) || len(s.CredentialReport.Rows) != 1 {
		t.Errorf("the credential report in report.txt was not read")
	}
	if len(s.Standalone) != 2 {
		t.Errorf("%d standalone documents, want 2 (POLICY.JSON, Policy2.Json)", len(s.Standalone))
	}
	sum := sha256.Sum256([]byte("# how these files were collected\n"))
	for _, in := range s.Inputs {
		if filepath.Base(in.Path) == "README.md" && in.SHA256 != hex.EncodeToString(sum[:]) {
			t.Errorf("README.md digest %s", in.SHA256)
		}
	}
	if len(s.Problems) != 0 {
		t.Errorf("problems: %q", problemTexts(s))
	}
}

// TestDirectoryTxtErrors: a .txt file in a directory that starts like
// an input is read as one, so a broken or empty one is an error naming
// it, not a skipped file.
func TestDirectoryTxtErrors(t *testing.T) {
	tests := map[string]string{
		"empty":          "",
		"truncated JSON": `{"UserDetailList": [`,
		"short CSV row":  "user,arn,mfa_active\nu,arn\n",
	}
	want := map[string]string{
		"empty":          "x.txt: empty file",
		"truncated JSON": "x.txt:1:21: invalid JSON",
		"short CSV row":  "x.txt:2:1: credential report row has 2 fields",
	}
	for name, data := range tests {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			writeFiles(t, dir, map[string]string{"authz.json": dirAuthz, "x.txt": data})
			_, err := Load([]string{dir}, Options{})
			if err == nil || !strings.HasPrefix(err.Error(), filepath.Join(dir, want[name])) {
				t.Errorf("error %v, want %s...", err, want[name])
			}
		})
	}
}

// TestNamedFileAlwaysRead: a file named on the command line is read
// whatever its name, so text in it is an error, not skipped.
func TestNamedFileAlwaysRead(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"notes.txt": "Collected on Monday\n", "policy.md": dirAdmin})
	if _, err := Load([]string{filepath.Join(dir, "notes.txt")}, Options{}); err == nil || !strings.Contains(err.Error(), "notes.txt:1:1: not a recognized input") {
		t.Errorf("named notes.txt: error %v", err)
	}
	s := mustLoad(t, Options{}, filepath.Join(dir, "policy.md"))
	if len(s.Standalone) != 1 || s.Inputs[0].Kind != KindPolicyDocument {
		t.Errorf("named policy.md: inputs %+v", s.Inputs)
	}
}

// TestOnlySkippedFiles: a directory with nothing to read is an error
// that says how many files were found and which are read.
func TestOnlySkippedFiles(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"README.md": "x", "notes.txt": "y"})
	_, err := Load([]string{dir}, Options{})
	if err == nil || !strings.Contains(err.Error(), "no input files among the 2 files found (directories are searched for .json, .csv and .txt files") {
		t.Errorf("error %v", err)
	}
}
