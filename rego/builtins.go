package rego

import (
	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/tester"
	"github.com/open-policy-agent/opa/v1/topdown/builtins"
	"github.com/open-policy-agent/opa/v1/types"

	"github.com/iamscan/iamscan/policy"
)

// Rego rules never re-implement IAM semantics: wildcard matching of
// actions and ARNs is the Go policy engine's, exposed as built-in
// functions under the iam. namespace.

type builtin2 struct {
	decl *ast.Builtin
	impl func(a, b string) bool
}

var iamBuiltins = []builtin2{
	{
		decl: &ast.Builtin{
			Name:        "iam.action_matches",
			Description: "Reports whether an IAM action pattern as written in a policy (\"s3:Get*\", \"*\") matches an action, case-insensitively.",
			Decl:        types.NewFunction(types.Args(types.Named("pattern", types.S), types.Named("action", types.S)), types.Named("result", types.B)),
		},
		impl: actionMatches,
	},
	{
		decl: &ast.Builtin{
			Name:        "iam.arn_matches",
			Description: "Reports whether an ARN pattern as written in a policy (with * and ?) matches an ARN.",
			Decl:        types.NewFunction(types.Args(types.Named("pattern", types.S), types.Named("arn", types.S)), types.Named("result", types.B)),
		},
		impl: arnMatches,
	},
}

// regoOption registers one built-in on a rego.Rego.
func (b builtin2) regoOption() func(*rego.Rego) {
	return rego.Function2(&rego.Function{Name: b.decl.Name, Decl: b.decl.Decl, Memoize: true},
		func(_ rego.BuiltinContext, x, y *ast.Term) (*ast.Term, error) {
			xs, err := builtins.StringOperand(x.Value, 1)
			if err != nil {
				return nil, err
			}
			ys, err := builtins.StringOperand(y.Value, 2)
			if err != nil {
				return nil, err
			}
			return ast.InternedTerm(b.impl(string(xs), string(ys))), nil
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

// The implementations are the policy package's, so that Go and Rego rules
// agree on what a wildcard matches.
var (
	actionMatches = policy.MatchAction
	arnMatches    = policy.MatchARN
)
