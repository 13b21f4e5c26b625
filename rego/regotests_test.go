package rego

import (
	"context"
	"io/fs"
	"strings"
	"testing"
)

// TestRegoUnitTests runs every _test.rego file beside the built-in rules
// through OPA's test runner, with the iam.* built-ins registered. It fails
// if any Rego test fails or errors, or if there are none, and it requires
// a test file for every rule file.
func TestRegoUnitTests(t *testing.T) {
	ruleFiles, testFiles := map[string]bool{}, map[string]bool{}
	entries, err := fs.ReadDir(embedded, "builtin")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if base, ok := strings.CutSuffix(e.Name(), "_test.rego"); ok {
			testFiles[base] = true
		} else {
			ruleFiles[strings.TrimSuffix(e.Name(), ".rego")] = true
		}
	}
	for f := range ruleFiles {
		if !testFiles[f] {
			t.Errorf("rego/builtin/%s.rego has no %s_test.rego", f, f)
		}
	}
	results, err := testBuiltin(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range results {
		if !r.Pass {
			t.Errorf("%s: %s: FAIL %s", r.Location, r.Name, r.Error)
		}
	}
	if len(results) < 2*len(ruleFiles) {
		t.Errorf("ran %d Rego tests for %d rules; want at least two per rule", len(results), len(ruleFiles))
	}
	t.Logf("ran %d Rego tests", len(results))
}
