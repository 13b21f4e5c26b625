package rego

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/tester"
)

// TestResult is the outcome of one Rego unit test (a rule named test_*).
type TestResult struct {
	Name     string // package.rule
	Location string // file:line
	Pass     bool
	Error    string // why it errored, when it did
}

// Test runs the Rego unit tests (_test.rego files) in dir against the
// rule files beside them and iamscan's library, with the iam.* built-ins
// that OPA's own "opa test" does not know. Parse and type errors are
// returned with file:line; test failures are results.
func Test(ctx context.Context, dir string) ([]TestResult, error) {
	modules, err := libModules()
	if err != nil {
		return nil, err
	}
	if _, err := os.Stat(dir); err != nil {
		return nil, fmt.Errorf("rules directory: %w", err)
	}
	fsys := os.DirFS(dir)
	names, err := walkRego(fsys, ".", true) // as LoadDir reads it
	if err != nil {
		return nil, fmt.Errorf("rules directory %s: %w", dir, err)
	}
	for _, n := range names {
		display := filepath.Join(dir, filepath.FromSlash(n))
		m, err := parseFile(fsys, n, display)
		if err != nil {
			return nil, err
		}
		modules[display] = m
	}
	return runTests(ctx, modules)
}

// testBuiltin runs the unit tests of the built-in rules and library.
func testBuiltin(ctx context.Context) ([]TestResult, error) {
	modules := map[string]*ast.Module{}
	for _, dir := range []string{"lib", "builtin"} {
		entries, err := fs.ReadDir(embedded, dir)
		if err != nil {
			return nil, err
		}
		for _, e := range entries {
			m, err := parseFile(embedded, path.Join(dir, e.Name()), "rego/"+path.Join(dir, e.Name()))
			if err != nil {
				return nil, err
			}
			modules["rego/"+path.Join(dir, e.Name())] = m
		}
	}
	return runTests(ctx, modules)
}

func runTests(ctx context.Context, modules map[string]*ast.Module) ([]TestResult, error) {
	runner := tester.NewRunner().
		SetDefaultRegoVersion(ast.RegoV1).
		AddCustomBuiltins(TesterBuiltins()).
		RaiseBuiltinErrors(true).
		SetModules(modules)
	ch, err := runner.RunTests(ctx, nil)
	if err != nil {
		return nil, regoErrors(err)
	}
	var out []TestResult
	for r := range ch {
		tr := TestResult{Name: strings.TrimPrefix(r.Package, "data.") + "." + r.Name, Pass: !r.Fail && r.Error == nil && !r.Skip}
		if r.Location != nil {
			tr.Location = fmt.Sprintf("%s:%d", r.Location.File, r.Location.Row)
		}
		switch {
		case r.Error != nil:
			tr.Error = r.Error.Error()
		case r.Skip:
			tr.Error = "skipped (todo_ test)"
		}
		out = append(out, tr)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Location < out[j].Location })
	return out, nil
}
