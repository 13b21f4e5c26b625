package rego

import (
	"context"
	"io/fs"
	"path"
	"strings"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/tester"
)

// TestRegoUnitTests runs every _test.rego file beside the built-in rules
// through OPA's test runner, with the iam.* built-ins registered. It fails
// if any Rego test fails or errors, or if there are none, and it requires
// a test file for every rule file.
func TestRegoUnitTests(t *testing.T) {
	modules := map[string]*ast.Module{}
	ruleFiles, testFiles := map[string]bool{}, map[string]bool{}
	for _, dir := range []string{"lib", "builtin"} {
		entries, err := fs.ReadDir(embedded, dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			name := path.Join(dir, e.Name())
			m, err := parseFile(embedded, name, "rego/"+name)
			if err != nil {
				t.Fatal(err)
			}
			modules[name] = m
			if dir == "builtin" {
				if base, ok := strings.CutSuffix(e.Name(), "_test.rego"); ok {
					testFiles[base] = true
				} else {
					ruleFiles[strings.TrimSuffix(e.Name(), ".rego")] = true
				}
			}
		}
	}
	for f := range ruleFiles {
		if !testFiles[f] {
			t.Errorf("rego/builtin/%s.rego has no %s_test.rego", f, f)
		}
	}
	runner := tester.NewRunner().
		SetDefaultRegoVersion(ast.RegoV1).
		AddCustomBuiltins(TesterBuiltins()).
		RaiseBuiltinErrors(true)
	ch, err := runner.SetModules(modules).RunTests(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for r := range ch {
		n++
		switch {
		case r.Error != nil:
			t.Errorf("%s: %s.%s: error: %v", r.Location, r.Package, r.Name, r.Error)
		case r.Fail:
			t.Errorf("%s: %s.%s: FAIL", r.Location, r.Package, r.Name)
		case r.Skip:
			t.Errorf("%s: %s.%s: skipped (todo_ tests are not allowed)", r.Location, r.Package, r.Name)
		}
	}
	if n < 2*len(ruleFiles) {
		t.Errorf("ran %d Rego tests for %d rules; want at least two per rule", n, len(ruleFiles))
	}
	t.Logf("ran %d Rego tests", n)
}
