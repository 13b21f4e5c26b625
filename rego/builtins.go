package rego

import (
	"slices"
	"strings"
	"sync"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/tester"
	"github.com/open-policy-agent/opa/v1/topdown/builtins"
	"github.com/open-policy-agent/opa/v1/types"

	"github.com/iamscan/iamscan/policy"
)

// Rego rules never re-implement IAM semantics: wildcard matching of
// actions, ARNs and condition values, the action catalog and what a
// subject pattern leaves open are the Go engine's, exposed as built-in
// functions under the iam. namespace. Each takes strings only; a
// non-string argument is a type error when the rule is compiled.

type iamBuiltin struct {
	decl *ast.Builtin
	// impl gets the arguments as Go strings (checked against decl).
	impl func(args []string) (*ast.Term, error)
	// memoize asks OPA to cache results per evaluation; only worth it
	// for calls dearer than building OPA's cache key.
	memoize bool
}

func named(name, doc string, t types.Type) *types.NamedType {
	return types.Named(name, t).Description(doc)
}

var iamBuiltins = []iamBuiltin{
	{
		decl: &ast.Builtin{
			Name:        "iam.action_matches",
			Description: "Reports whether an IAM action pattern as written in a policy (\"s3:Get*\", \"*\") matches an action, case-insensitively.",
			Decl: types.NewFunction(types.Args(named("pattern", "action pattern", types.S), named("action", "action name", types.S)),
				named("result", "true when the pattern matches", types.B)),
		},
		impl:    boolOf2(policy.MatchAction),
		memoize: true,
	},
	{
		decl: &ast.Builtin{
			Name:        "iam.arn_matches",
			Description: "Reports whether an ARN pattern as written in a policy's Resource element (with * and ?) matches an ARN.",
			Decl: types.NewFunction(types.Args(named("pattern", "resource pattern", types.S), named("arn", "resource ARN", types.S)),
				named("result", "true when the pattern matches", types.B)),
		},
		impl:    boolOf2(policy.MatchARN),
		memoize: true,
	},
	{
		decl: &ast.Builtin{
			Name: "iam.glob_match",
			Description: "Reports whether a StringLike condition value (* any run of characters, ? one character) matches a value, " +
				"case-sensitively, as IAM compares them. Policy variables (${aws:username}) are not substituted.",
			Decl: types.NewFunction(types.Args(named("pattern", "StringLike value", types.S), named("value", "request value", types.S)),
				named("result", "true when the pattern matches", types.B)),
		},
		impl: boolOf2(policy.MatchStringLike),
	},
	{
		decl: &ast.Builtin{
			Name: "iam.glob_leaves_open",
			Description: "Reports whether a StringLike condition value can match a value made of prefix, then a segment that " +
				"the pattern's wildcards write at least in part, then separator (or the end of the value when separator is " +
				"\"\"): whether the pattern leaves that segment to the requester. For GitHub's subject " +
				"repo:OWNER/REPO:..., glob_leaves_open(v, \"repo:\", \"/\") says whether v admits repositories of owners it does not name.",
			Decl: types.NewFunction(types.Args(named("pattern", "StringLike value", types.S), named("prefix", "literal text before the segment", types.S),
				named("separator", "one character ending the segment, or \"\" for the end of the value", types.S)),
				named("result", "true when a wildcard can write part of the segment", types.B)),
		},
		impl: func(a []string) (*ast.Term, error) {
			open, err := leavesOpen(a[0], a[1], a[2])
			if err != nil {
				return nil, err
			}
			return ast.InternedTerm(open), nil
		},
	},
	{
		decl: &ast.Builtin{
			Name: "iam.expand_actions",
			Description: "Returns the actions of iamscan's catalog (the Service Authorization Reference) that an action pattern " +
				"matches, as AWS spells them (\"s3:GetObject\"), sorted; an empty array when it matches none.",
			Decl: types.NewFunction(types.Args(named("pattern", "action pattern", types.S)),
				named("actions", "sorted action names", types.NewArray(nil, types.S))),
		},
		impl: func(a []string) (*ast.Term, error) { return expandActions(a[0]), nil },
	},
	{
		decl: &ast.Builtin{
			Name: "iam.access_level",
			Description: "Returns an action's access level in the Service Authorization Reference: \"List\", \"Read\", \"Write\", " +
				"\"Permissions management\" or \"Tagging\"; \"\" for an action the catalog does not know. Case-insensitive; " +
				"takes one action, not a pattern (see iam.expand_actions).",
			Decl: types.NewFunction(types.Args(named("action", "action name", types.S)),
				named("level", "access level, or \"\"", types.S)),
		},
		impl: func(a []string) (*ast.Term, error) { return ast.StringTerm(accessLevel(a[0])), nil },
	},
}

func boolOf2(f func(a, b string) bool) func([]string) (*ast.Term, error) {
	return func(a []string) (*ast.Term, error) { return ast.InternedTerm(f(a[0], a[1])), nil }
}

// regoOption registers one built-in on a rego.Rego.
func (b iamBuiltin) regoOption() func(*rego.Rego) {
	arity := b.decl.Decl.Arity()
	return rego.FunctionDyn(&rego.Function{Name: b.decl.Name, Decl: b.decl.Decl, Memoize: b.memoize},
		func(_ rego.BuiltinContext, terms []*ast.Term) (*ast.Term, error) {
			args := make([]string, arity)
			for i := range args {
				s, err := builtins.StringOperand(terms[i].Value, i+1)
				if err != nil {
					return nil, err
				}
				args[i] = string(s)
			}
			return b.impl(args)
		})
}

func regoOptions() []func(*rego.Rego) {
	out := make([]func(*rego.Rego), len(iamBuiltins))
	for i, b := range iamBuiltins {
		out[i] = b.regoOption()
	}
	return out
}

// TesterBuiltins returns the iam.* built-ins in the form OPA's test
// runner takes, for running _test.rego files of custom rules.
func TesterBuiltins() []*tester.Builtin {
	out := make([]*tester.Builtin, len(iamBuiltins))
	for i, b := range iamBuiltins {
		out[i] = &tester.Builtin{Decl: b.decl, Func: b.regoOption()}
	}
	return out
}

func capabilities() *ast.Capabilities {
	caps := ast.CapabilitiesForThisVersion()
	for _, b := range iamBuiltins {
		caps.Builtins = append(caps.Builtins, b.decl)
	}
	return caps
}

// expanded caches iam.expand_actions per lower-cased pattern, for the
// life of the process: rules ask about the same few patterns in every
// scan, and "*" alone is thousands of strings. Terms are never modified
// once built, so sharing them is safe.
var expanded sync.Map

func expandActions(pattern string) *ast.Term {
	key := strings.ToLower(pattern)
	if t, ok := expanded.Load(key); ok {
		return t.(*ast.Term)
	}
	cat := policy.DefaultCatalog()
	set, _ := cat.Expand(pattern) // no match: an empty set
	var names []string
	for id := range set.All() {
		names = append(names, cat.Action(id).FullName())
	}
	slices.Sort(names)
	terms := make([]*ast.Term, len(names))
	for i, n := range names {
		terms[i] = ast.StringTerm(n)
	}
	t, _ := expanded.LoadOrStore(key, ast.ArrayTerm(terms...))
	return t.(*ast.Term)
}

func accessLevel(action string) string {
	a, ok := policy.DefaultCatalog().Lookup(action)
	if !ok || a.Level == policy.LevelUnknown {
		return ""
	}
	return a.Level.String()
}
