package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRun(t *testing.T) {
	dir := t.TempDir()
	var stderr bytes.Buffer
	if code := run([]string{"-size", "small", "-seed", "3", "-out", dir}, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	for _, name := range []string{"authorization-details.json", "credential-report.csv"} {
		st, err := os.Stat(filepath.Join(dir, name))
		if err != nil || st.Size() == 0 {
			t.Errorf("%s not written: %v", name, err)
		}
	}
	for _, args := range [][]string{{"-size", "huge"}, {"-bogus"}, {"-managed", filepath.Join(dir, "missing.json")}} {
		stderr.Reset()
		if code := run(append(args, "-out", dir), &stderr); code != 2 || !strings.Contains(stderr.String(), "iamscan-gen") {
			t.Errorf("%v: exit %d, stderr %q; want 2 and a message", args, code, stderr.String())
		}
	}
}
