package iamscan_test

import (
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/iamscan/iamscan/"

// allowed lists, for each package, the project packages its non-test code
// may import: the table in docs/ARCHITECTURE.md. Imports flow one way, so
// a new edge here is a design decision, not a convenience.
var allowed = map[string][]string{
	"jsonpos":               {},
	"policy":                {"jsonpos"},
	"snapshot":              {"policy"},
	"awsmanaged":            {"policy", "snapshot"},
	"access":                {"policy", "snapshot"},
	"collector/offline":     {"jsonpos", "policy", "snapshot"},
	"collector/live":        {"jsonpos", "snapshot"},
	"rules":                 {"policy", "snapshot", "access", "awsmanaged"},
	"rego":                  {"policy", "rules", "snapshot"},
	"config":                {"policy", "rules"},
	"baseline":              {"rules"},
	"cis":                   {},
	"report":                {"cis", "policy", "rules", "snapshot"},
	"fixtures":              {},
	"internal/accountgen":   {},
	"internal/gendata":      {},
	"internal/rulesdoc":     {"cis", "rules"},
	"internal/mototest":     {},
	"internal/cpuclock":     {},
	"internal/shareddata":   {},
	"internal/benchaccount": {"internal/accountgen", "internal/shareddata"},
	"cmd/iamscan-gen":       {"internal/accountgen"},
	"cmd/iamscan-bench":     {"internal/accountgen"},
	"cmd/iamscan":           nil, // the wiring: may import anything but other commands
}

func TestImportsFlowOneWay(t *testing.T) {
	imports := map[string]map[string]bool{}
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); path != "." && (strings.HasPrefix(name, ".") || name == "testdata") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		pkg := filepath.ToSlash(filepath.Dir(path))
		if imports[pkg] == nil {
			imports[pkg] = map[string]bool{}
		}
		for _, spec := range f.Imports {
			p, _ := strconv.Unquote(spec.Path.Value)
			if dep, ok := strings.CutPrefix(p, module); ok {
				imports[pkg][dep] = true
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(imports) < 10 {
		t.Fatalf("found only %d packages; is the test running at the module root?", len(imports))
	}
	for pkg, deps := range imports {
		if pkg == "." {
			continue
		}
		ok, known := allowed[pkg]
		if !known {
			t.Errorf("package %s is not in the layering table (architecture_test.go and docs/ARCHITECTURE.md)", pkg)
			continue
		}
		for dep := range deps {
			if strings.HasPrefix(dep, "cmd/") {
				t.Errorf("%s imports command %s", pkg, dep)
			}
			if ok != nil && !slices.Contains(ok, dep) {
				t.Errorf("%s imports %s, which the layering does not allow", pkg, dep)
			}
		}
	}
	if _, err := os.Stat("docs/ARCHITECTURE.md"); err != nil {
		t.Errorf("docs/ARCHITECTURE.md: %v", err)
	}
}
