// Package rego runs iamscan rules written in Rego, OPA's policy language,
// beside the Go rules and under the same contract: each .rego file is one
// rule whose package-scoped "# METADATA" block carries the same metadata
// as a Go rule (rules.Meta), and whose "deny" set holds its findings.
//
// A rule file looks like this (docs/custom-rules.md is the full how-to):
//
//	# METADATA
//	# title: Group with no members
//	# description: ...
//	# custom:
//	#   id: IAM042
//	#   severity: low
//	#   family: unused
//	#   remediation: ...
//	#   needs: [authorization-details]
//	package iamscan.rules.iam042
//
//	deny contains {"ref": g.ref, "resource": g.arn, "message": msg} if { ... }
//
// Each finding is an object with "message" and either "ref" (a number
// taken from the input: every role, group, user, trust statement and the
// password policy carries one, and it maps back to the exact Location in
// the input file and, for statements, to the resource, Sid and statement
// index) or "resource" (an ARN), and optionally "principal" and, without a
// statement ref, "policy" and "sid". Severity is the rule's.
//
// Speed: the input (see buildInput) is built once per scan, as ast terms,
// and shared by all rules through rules.Pass.Shared; every query is
// prepared once when the rules are loaded.
package rego

import (
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/topdown"

	"github.com/iamscan/iamscan/rules"
)

// Engine is the rules.Meta.Engine value of Rego rules.
const Engine = "rego"

//go:embed builtin/*.rego lib/*.rego
var embedded embed.FS

// sharedInputKey prefixes the rules.Pass.Shared keys of the per-scan
// input ("rego-input/roles", ...): reports of where time goes count
// every "rego" key as Rego's.
const sharedInputKey = "rego-input"

var builtinOnce = sync.OnceValues(func() ([]*rules.Rule, error) {
	return load([]source{{fsys: embedded, dir: "builtin", display: "rego/builtin"}})
})

// Custom rule ids: docs/custom-rules.md promises IAM900-IAM999 to users
// and keeps every lower id for built-in rules, present and future.
const (
	customIDMin = 900
	customIDMax = 999
)

// Builtin returns the built-in Rego rules, in id order. They are parsed,
// validated and prepared once per process. The embedded files are part
// of the program, so a broken one is a bug (caught by this package's
// tests), not an input error: Builtin panics on it.
func Builtin() []*rules.Rule {
	rs, err := builtinOnce()
	if err != nil {
		panic("iamscan: built-in Rego rules: " + err.Error())
	}
	return rs
}

// LoadDir loads the custom rules in dir: every .rego file except
// _test.rego files, in dir and its subdirectories (hidden files and
// directories, such as .git, are skipped). Custom rule ids must lie in
// IAM900-IAM999. Errors name file:line.
func LoadDir(dir string) ([]*rules.Rule, error) {
	info, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("rules directory: %w", err)
	}
	if !info.IsDir() {
		return nil, fmt.Errorf("rules directory %s: not a directory", dir)
	}
	return load([]source{{fsys: os.DirFS(dir), dir: ".", display: dir, custom: true}})
}

// source is a directory of rule files, and how to name them in errors.
type source struct {
	fsys    fs.FS
	dir     string
	display string
	custom  bool // user rules: ids in the custom range
}

type ruleFile struct {
	name   string // as shown to users
	module *ast.Module
	custom bool
}

// libModules are the shared helper packages (data.iamscan.lib.*), which
// built-in and custom rules alike may import.
func libModules() (map[string]*ast.Module, error) {
	mods := map[string]*ast.Module{}
	files, err := regoFiles(embedded, "lib")
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		m, err := parseFile(embedded, path.Join("lib", f), path.Join("rego/lib", f))
		if err != nil {
			return nil, err
		}
		mods["rego/lib/"+f] = m
	}
	return mods, nil
}

// regoFiles lists the rule files under dir, as slash paths relative to
// it: .rego files but not _test.rego ones.
func regoFiles(fsys fs.FS, dir string) ([]string, error) {
	return walkRego(fsys, dir, false)
}

// walkRego lists the .rego files under dir and its subdirectories (with
// _test.rego files when withTests), as sorted slash paths relative to
// dir. Hidden files and directories (.git, editor files) are skipped.
func walkRego(fsys fs.FS, dir string, withTests bool) ([]string, error) {
	var out []string
	err := fs.WalkDir(fsys, dir, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		n := e.Name()
		if p != dir && strings.HasPrefix(n, ".") {
			if e.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if e.IsDir() || !strings.HasSuffix(n, ".rego") || (!withTests && strings.HasSuffix(n, "_test.rego")) {
			return nil
		}
		rel := p
		if dir != "." {
			rel = strings.TrimPrefix(p, dir+"/")
		}
		out = append(out, rel)
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.Strings(out)
	return out, nil
}

func parseFile(fsys fs.FS, p, display string) (*ast.Module, error) {
	data, err := fs.ReadFile(fsys, p)
	if err != nil {
		return nil, err
	}
	m, err := ast.ParseModuleWithOpts(display, string(data), ast.ParserOptions{RegoVersion: ast.RegoV1, ProcessAnnotation: true})
	if err != nil {
		return nil, regoErrors(err)
	}
	return m, nil
}

// regoErrors rewrites OPA's errors as "file:line: message", one a line.
func regoErrors(err error) error {
	errs, ok := err.(ast.Errors)
	if !ok {
		return err
	}
	msgs := make([]string, 0, len(errs))
	for _, e := range errs {
		where := "<unknown>"
		if e.Location != nil {
			where = fmt.Sprintf("%s:%d", e.Location.File, e.Location.Row)
		}
		msgs = append(msgs, fmt.Sprintf("%s: %s: %s", where, e.Code, e.Message))
	}
	return fmt.Errorf("%s", strings.Join(msgs, "\n"))
}

func load(srcs []source) ([]*rules.Rule, error) {
	modules, err := libModules()
	if err != nil {
		return nil, err
	}
	var files []ruleFile
	var errs []error
	for _, s := range srcs {
		names, err := regoFiles(s.fsys, s.dir)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", s.display, err)
		}
		for _, n := range names {
			display := filepath.Join(s.display, filepath.FromSlash(n))
			m, err := parseFile(s.fsys, path.Join(s.dir, n), display)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			modules[display] = m
			files = append(files, ruleFile{name: display, module: m, custom: s.custom})
		}
	}
	if err := joinErrs(errs); err != nil {
		return nil, err
	}
	compiler := ast.NewCompiler().WithCapabilities(capabilities())
	if compiler.Compile(modules); compiler.Failed() {
		return nil, regoErrors(compiler.Errors)
	}
	// Two files declaring the same package are refused by OPA itself
	// ("package annotation redeclared"), with both file names.
	var out []*rules.Rule
	seen := map[string]string{} // id → file:line of its metadata
	for _, f := range files {
		r, where, err := newRule(compiler, f)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if prev, dup := seen[r.ID]; dup {
			errs = append(errs, fmt.Errorf("%s: rule id %s is already used by %s", where, r.ID, prev))
			continue
		}
		seen[r.ID] = where
		out = append(out, r)
	}
	if err := joinErrs(errs); err != nil {
		return nil, err
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

// newRule validates one rule file and prepares its query. It also
// returns where the rule's id is written, "file:line", for errors about
// the rule set.
func newRule(compiler *ast.Compiler, f ruleFile) (*rules.Rule, string, error) {
	block, err := findMetadata(f.name, f.module)
	if err != nil {
		return nil, "", err
	}
	meta, err := parseMeta(block)
	if err != nil {
		return nil, "", err
	}
	where := fmt.Sprintf("%s:%d", f.name, block.idLine)
	if f.custom {
		n, _ := strconv.Atoi(strings.TrimPrefix(meta.ID, "IAM"))
		if n < customIDMin || n > customIDMax {
			return nil, "", fmt.Errorf("%s: id %s: custom rules take ids IAM%d to IAM%d; lower ids are reserved for iamscan's built-in rules", where, meta.ID, customIDMin, customIDMax)
		}
	}
	if err := checkDeny(f); err != nil {
		return nil, "", err
	}
	meta.Engine = Engine
	meta.Source = f.name
	query := f.module.Package.Path.Append(ast.StringTerm("deny")).String()
	// StrictBuiltinErrors: by default OPA treats a built-in's runtime
	// error (sprintf given a string where it wants an array, to_number
	// of "abc") as "undefined", so the body silently fails and a broken
	// rule passes. Strict, the error ends the evaluation and the rule
	// is reported as one that could not run.
	opts := append([]func(*rego.Rego){rego.Compiler(compiler), rego.Query(query), rego.StrictBuiltinErrors(true)}, regoOptions()...)
	pq, err := rego.New(opts...).PrepareForEval(context.Background())
	if err != nil {
		return nil, "", fmt.Errorf("%s: %w", f.name, regoErrors(err))
	}
	r := &rules.Rule{Meta: meta}
	q := &prepared{query: pq, source: f.name, sections: inputSections(compiler, f.name)}
	r.Check = q.check
	return r, where, nil
}

// checkDeny requires the rule's output: a partial set rule named deny.
func checkDeny(f ruleFile) error {
	for _, r := range f.module.Rules {
		if r.Head.Ref().String() != "deny" {
			continue
		}
		if r.Head.RuleKind() != ast.MultiValue {
			return fmt.Errorf("%s:%d: deny must be a set of findings (\"deny contains f if { ... }\")", f.name, r.Location.Row)
		}
		return nil
	}
	return fmt.Errorf("%s:%d: package %s has no deny rule: a rule reports findings with \"deny contains f if { ... }\"", f.name, f.module.Package.Location.Row, packageName(f.module))
}

type prepared struct {
	query    rego.PreparedEvalQuery
	source   string
	sections []string // the input sections the rule reads
}

// inputSections lists the top-level input sections a rule module refers
// to, and those of the modules it calls into (the library, other rules'
// packages), transitively; all of them when input is used in a way that
// does not name a section (input alone, input[x]).
func inputSections(c *ast.Compiler, name string) []string {
	set := map[string]bool{}
	all := false
	seen := map[string]bool{}
	queue := []string{name}
	for len(queue) > 0 {
		n := queue[0]
		queue = queue[1:]
		if seen[n] {
			continue
		}
		seen[n] = true
		ast.WalkRefs(c.Modules[n], func(ref ast.Ref) bool {
			switch {
			case ref.HasPrefix(ast.DefaultRootRef):
				for other, m := range c.Modules {
					if !seen[other] && ref.HasPrefix(m.Package.Path) {
						queue = append(queue, other)
					}
				}
			case !ref.HasPrefix(ast.InputRootRef):
			case len(ref) < 2:
				all = true
			default:
				key, ok := ref[1].Value.(ast.String)
				if !ok {
					all = true
				} else if _, known := sectionGroups[string(key)]; known {
					set[string(key)] = true
				}
			}
			return false
		})
	}
	if all {
		return allSections()
	}
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// input returns the rule's input: the sections it reads, each group of
// sections built at most once per scan and shared by all Rego rules.
func (q *prepared) input(pass *rules.Pass) (sections, *anchors, error) {
	v, err := pass.Shared(sharedInputKey+"-anchors", func() (any, error) { return &anchors{}, nil })
	if err != nil {
		return nil, nil, err
	}
	t := v.(*anchors)
	out := sections{}
	for _, name := range q.sections {
		group := sectionGroups[name]
		g, err := pass.Shared(sharedInputKey+"/"+group, func() (any, error) {
			return buildGroup(group, pass.Snapshot, pass.AsOf, t), nil
		})
		if err != nil {
			return nil, nil, err
		}
		out[name] = g.(sections)[name]
	}
	return out, t, nil
}

func (q *prepared) check(pass *rules.Pass) error {
	in, t, err := q.input(pass)
	if err != nil {
		return err
	}
	params, err := paramsTerm(pass)
	if err != nil {
		return err
	}
	rs, err := q.query.Eval(context.Background(), rego.EvalParsedInput(in.withParams(params)))
	if err != nil {
		return evalError(q.source, err)
	}
	if len(rs) == 0 || len(rs[0].Expressions) == 0 {
		return nil // deny is undefined: no findings
	}
	set, ok := rs[0].Expressions[0].Value.([]any)
	if !ok {
		return fmt.Errorf("%s: deny is not a set of findings", q.source)
	}
	for _, e := range set {
		if err := report(pass, t, e); err != nil {
			return fmt.Errorf("%s: %w", q.source, err)
		}
	}
	return nil
}

// evalError names where an evaluation failed: "file:line: code:
// message" when OPA knows the expression (a built-in's runtime error),
// else the rule's file.
func evalError(source string, err error) error {
	var te *topdown.Error
	if errors.As(err, &te) && te.Location != nil && te.Location.File != "" {
		return fmt.Errorf("%s:%d: %s: %s", te.Location.File, te.Location.Row, te.Code, te.Message)
	}
	return fmt.Errorf("%s: %w", source, err)
}

func paramsTerm(pass *rules.Pass) (*ast.Term, error) {
	items := make([][2]*ast.Term, 0, len(pass.Rule.Params))
	for _, p := range pass.Rule.Params {
		v, err := ast.InterfaceToValue(pass.Param(p.Name))
		if err != nil {
			return nil, fmt.Errorf("parameter %s: %w", p.Name, err)
		}
		items = append(items, [2]*ast.Term{ast.StringTerm(p.Name), ast.NewTerm(v)})
	}
	return ast.NewTerm(ast.NewObject(items...)), nil
}

// findingFields are the keys a finding object may have.
var findingFields = map[string]bool{"ref": true, "resource": true, "message": true, "principal": true, "policy": true, "sid": true}

// report turns one element of deny into a rules.Finding.
func report(pass *rules.Pass, t *anchors, e any) error {
	obj, ok := e.(map[string]any)
	if !ok {
		return fmt.Errorf("finding %v is not an object", e)
	}
	for k := range obj {
		if !findingFields[k] {
			return fmt.Errorf("finding has unknown field %q (allowed: ref, resource, message, principal, policy, sid)", k)
		}
	}
	var f rules.Finding
	for _, fl := range []struct {
		key string
		dst *string
	}{{"resource", &f.Resource}, {"message", &f.Message}, {"principal", &f.Principal}, {"policy", &f.Policy}, {"sid", &f.Sid}} {
		v, ok := obj[fl.key]
		if !ok {
			continue
		}
		s, ok := v.(string)
		if !ok {
			return fmt.Errorf("finding field %q must be a string, found %v", fl.key, v)
		}
		*fl.dst = s
	}
	if f.Message == "" {
		return fmt.Errorf("finding %v has no message", obj)
	}
	if r, ok := obj["ref"]; ok {
		n, _ := r.(json.Number)
		i, err := n.Int64()
		a, ok := t.get(i)
		if err != nil || !ok {
			return fmt.Errorf("finding ref %v is not a ref taken from the input", r)
		}
		if a.stmt != nil {
			// The statement names the finding's resource, policy and
			// Sid, exactly as for a Go rule's statement finding.
			if f.Resource != "" || f.Policy != "" || f.Sid != "" {
				return fmt.Errorf("finding %q: a statement ref sets resource, policy and sid; do not set them too", f.Message)
			}
			pass.ReportStatement(a.ref, a.stmt, f.Principal, f.Message)
			return nil
		}
		f.Location = a.loc
		if f.Resource == "" {
			f.Resource = a.arn
		}
	}
	if f.Resource == "" {
		return fmt.Errorf("finding %q has neither a resource nor a ref", f.Message)
	}
	pass.Report(f)
	return nil
}

// packageName is the package as written in the file, without "data.".
func packageName(m *ast.Module) string {
	return strings.TrimPrefix(m.Package.Path.String(), "data.")
}
