package offline

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/iamscan/iamscan/policy"
)

// FuzzLoad feeds arbitrary bytes through kind detection and every reader.
// Invariants: no panic; an error is an *InputError naming the file; on
// success every problem's location lies within the input.
func FuzzLoad(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/*")
	shared, _ := filepath.Glob(filepath.Join(sharedData, "*", "*.json"))
	seeds = append(seeds, shared...)
	for _, s := range seeds {
		if data, err := os.ReadFile(s); err == nil && len(data) < 64<<10 {
			f.Add(data)
		}
	}
	f.Add([]byte("user,arn,user_creation_time\n<root_account>,arn:aws:iam::111122223333:root,2020-01-01T00:00:00Z\n"))
	f.Add([]byte(`{"Content":"dXNlcixhcm4sbWZhX2FjdGl2ZQp4LGFybjphd3M6aWFtOjoxMTExMjIyMjMzMzM6dXNlci94LHRydWU=","GeneratedTime":"2024-01-01 00:00:00+00:00"}`))
	f.Add([]byte(`{"Format":"iamscan-raw","FormatVersion":1,"PasswordPolicy":null,"Collection":{"Errors":[{"Operation":"X","Missing":["credential-report"]}]}}`))
	f.Add([]byte(noPolicyStderr))
	f.Add([]byte(mixedDoc(stTrust, stAdmin, stResource, stRead)))
	f.Add([]byte(`{"UserDetailList": [], "RoleDetailList": 5, "Policies": {}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := LoadBytes("in.json", data, Options{})
		if err != nil {
			checkErrors(t, err)
			return
		}
		lines := bytes.Count(data, []byte("\n")) + 1
		for _, p := range s.Problems {
			checkLoc(t, p.Loc, lines)
		}
		for _, ref := range s.AllPolicies() {
			checkLoc(t, ref.Doc.Loc, lines)
			for _, st := range ref.Doc.Statements {
				checkLoc(t, st.Loc, lines)
			}
		}
	})
}

func checkLoc(t *testing.T, l policy.Location, lines int) {
	t.Helper()
	if l.File != "in.json" || l.Line < 1 || l.Line > lines || l.EndLine > lines {
		t.Fatalf("location %+v outside the input (%d lines)", l, lines)
	}
}

// checkErrors asserts that every joined error is an InputError naming
// the file.
func checkErrors(t *testing.T, err error) {
	t.Helper()
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		for _, e := range j.Unwrap() {
			checkErrors(t, e)
		}
		return
	}
	ie, ok := err.(*InputError)
	if !ok {
		t.Fatalf("error %T (%v) is not an *InputError", err, err)
	}
	if ie.Loc.File != "in.json" {
		t.Fatalf("error %v does not name the file", err)
	}
}
