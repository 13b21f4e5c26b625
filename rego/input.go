package rego

import (
	"strings"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/iamscan/iamscan/policy"
	"github.com/iamscan/iamscan/rules"
	"github.com/iamscan/iamscan/snapshot"
)

// scanInput is the Rego view of one snapshot, built once per scan and
// shared by every Rego rule. It is built directly as ast terms: going
// through Go maps and JSON would cost more than the rules themselves.
//
// Only what account-level and trust rules need is there: identity policy
// statements are not (statement-level checks belong in Go), which keeps
// the input of a 10,000-policy account small.
type scanInput struct {
	base    []*ast.Term // alternating key, value terms of the top object
	anchors []anchor
}

// anchor is what a finding's "ref" points back to: a location in the
// input files and, for a statement, the statement itself, so that Rego
// findings get the same Location, Sid and fingerprint as Go findings.
type anchor struct {
	loc  policy.Location
	arn  string             // the resource a finding on this anchor is about
	ref  snapshot.PolicyRef // set for statements
	stmt *policy.Statement
}

// withParams returns the input object for one rule: the shared terms and
// the rule's own parameters under "params".
func (in *scanInput) withParams(params *ast.Term) ast.Value {
	items := make([][2]*ast.Term, 0, len(in.base)/2+1)
	for i := 0; i+1 < len(in.base); i += 2 {
		items = append(items, [2]*ast.Term{in.base[i], in.base[i+1]})
	}
	items = append(items, [2]*ast.Term{ast.InternedTerm("params"), params})
	return ast.NewObject(items...)
}

type inputBuilder struct {
	in     *scanInput
	strs   map[string]*ast.Term // strings repeat a lot (actions, services)
	inputs []snapshot.Input
}

func buildInput(snap *snapshot.Snapshot, asOf time.Time) *scanInput {
	b := &inputBuilder{in: &scanInput{}, strs: make(map[string]*ast.Term), inputs: snap.Inputs}
	put := func(k string, v *ast.Term) { b.in.base = append(b.in.base, ast.InternedTerm(k), v) }

	put("account", obj(
		"id", b.str(snap.AccountID),
		"partition", b.str(snap.Partition),
		"arn", b.str(accountARN(snap)),
		"ref", b.anchor(anchor{loc: policy.Location{File: b.inputFile(snapshot.DataAuthorizationDetails)}, arn: accountARN(snap)}),
		"password_policy_ref", b.anchor(anchor{loc: policy.Location{File: b.inputFile(snapshot.DataPasswordPolicy)}, arn: accountARN(snap)}),
	))
	asOfTerm := ast.NullTerm()
	if !asOf.IsZero() {
		asOfTerm = b.str(asOf.UTC().Format(time.RFC3339))
	}
	put("as_of", asOfTerm)

	present := make([][2]*ast.Term, 0, len(dataKinds))
	for _, d := range dataKinds {
		present = append(present, [2]*ast.Term{b.str(string(d)), ast.BooleanTerm(snap.Has(d))})
	}
	put("has", ast.NewTerm(ast.NewObject(present...)))
	put("password_policy", b.passwordPolicy(snap))
	put("roles", b.roles(snap))
	put("groups", b.groups(snap))
	put("users", b.users(snap))
	put("oidc_providers", b.oidc(snap))
	put("saml_providers", b.saml(snap))
	return b.in
}

func obj(kv ...any) *ast.Term {
	items := make([][2]*ast.Term, 0, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		items = append(items, [2]*ast.Term{ast.InternedTerm(kv[i].(string)), kv[i+1].(*ast.Term)})
	}
	return ast.NewTerm(ast.NewObject(items...))
}

func (b *inputBuilder) str(s string) *ast.Term {
	if t, ok := b.strs[s]; ok {
		return t
	}
	t := ast.StringTerm(s)
	b.strs[s] = t
	return t
}

func (b *inputBuilder) strList(ss []string) *ast.Term {
	terms := make([]*ast.Term, len(ss))
	for i, s := range ss {
		terms[i] = b.str(s)
	}
	return ast.ArrayTerm(terms...)
}

// anchor records a location and returns its ref number as a term.
func (b *inputBuilder) anchor(a anchor) *ast.Term {
	b.in.anchors = append(b.in.anchors, a)
	return ast.InternedTerm(len(b.in.anchors) - 1)
}

// inputFile returns the file a kind of data came from, for findings about
// data that is absent or has no finer position; failing that, the first
// input, so that every finding points at some file.
func (b *inputBuilder) inputFile(kind snapshot.Data) string {
	for _, in := range b.inputs {
		if in.Kind == string(kind) {
			return in.Path
		}
	}
	if len(b.inputs) > 0 {
		return b.inputs[0].Path
	}
	return ""
}

func (b *inputBuilder) passwordPolicy(snap *snapshot.Snapshot) *ast.Term {
	pp := snap.PasswordPolicy
	if pp == nil {
		return ast.NullTerm()
	}
	var items [][2]*ast.Term
	intField := func(k string, v *int) {
		if v != nil {
			items = append(items, [2]*ast.Term{ast.InternedTerm(k), ast.InternedTerm(*v)})
		}
	}
	boolField := func(k string, v *bool) {
		if v != nil {
			items = append(items, [2]*ast.Term{ast.InternedTerm(k), ast.BooleanTerm(*v)})
		}
	}
	intField("minimum_password_length", pp.MinimumPasswordLength)
	intField("password_reuse_prevention", pp.PasswordReusePrevention)
	intField("max_password_age", pp.MaxPasswordAge)
	boolField("require_symbols", pp.RequireSymbols)
	boolField("require_numbers", pp.RequireNumbers)
	boolField("require_uppercase_characters", pp.RequireUppercaseCharacters)
	boolField("require_lowercase_characters", pp.RequireLowercaseCharacters)
	boolField("allow_users_to_change_password", pp.AllowUsersToChangePassword)
	boolField("expire_passwords", pp.ExpirePasswords)
	boolField("hard_expiry", pp.HardExpiry)
	file := pp.Loc
	if file == "" {
		file = b.inputFile(snapshot.DataPasswordPolicy)
	}
	items = append(items, [2]*ast.Term{ast.InternedTerm("ref"), b.anchor(anchor{loc: policy.Location{File: file}, arn: accountARN(snap)})})
	return ast.NewTerm(ast.NewObject(items...))
}

func (b *inputBuilder) attachedNames(list []*snapshot.Attachment) (names, arns *ast.Term) {
	n := make([]*ast.Term, len(list))
	a := make([]*ast.Term, len(list))
	for i, at := range list {
		n[i], a[i] = b.str(at.PolicyName), b.str(at.PolicyARN)
	}
	return ast.ArrayTerm(n...), ast.ArrayTerm(a...)
}

func (b *inputBuilder) roles(snap *snapshot.Snapshot) *ast.Term {
	terms := make([]*ast.Term, 0, len(snap.Roles))
	for _, r := range snap.Roles {
		names, arns := b.attachedNames(r.Attached)
		trust := ast.ArrayTerm()
		if r.Trust != nil {
			ref := snapshot.PolicyRef{Kind: snapshot.PolicyTrust, Doc: r.Trust, Name: "AssumeRolePolicyDocument", ARN: r.ARN, OwnerARN: r.ARN}
			trust = b.statements(ref)
		}
		terms = append(terms, obj(
			"name", b.str(r.Name),
			"arn", b.str(r.ARN),
			"path", b.str(r.Path),
			"service_linked", ast.BooleanTerm(r.ServiceLinked),
			"attached", names,
			"attached_arns", arns,
			"inline", ast.InternedTerm(len(r.Inline)),
			"trust", trust,
			"ref", b.anchor(anchor{loc: r.Loc, arn: r.ARN}),
		))
	}
	return ast.ArrayTerm(terms...)
}

// statements turns a document's statements into terms, keeping a ref to
// each so that findings point at the statement in the input file.
func (b *inputBuilder) statements(ref snapshot.PolicyRef) *ast.Term {
	terms := make([]*ast.Term, 0, len(ref.Doc.Statements))
	for _, st := range ref.Doc.Statements {
		terms = append(terms, obj(
			"index", ast.InternedTerm(st.Index),
			"sid", b.str(st.Sid),
			"effect", b.str(st.Effect.String()),
			"actions", b.strList(st.Action.List),
			"not_actions", ast.BooleanTerm(st.Action.Not),
			"principal", b.principal(st.Principal),
			"conditions", b.conditions(st.Condition),
			// Judged by the Go rules' own functions, so IAM050 (Go) and
			// the Rego trust rules agree by construction.
			"any_principal", ast.InternedTerm(rules.AnyAWSPrincipal(st.Principal)),
			"narrows_caller", ast.InternedTerm(rules.NarrowsCaller(st.Condition)),
			"ref", b.anchor(anchor{loc: st.Loc, ref: ref, stmt: st}),
		))
	}
	return ast.ArrayTerm(terms...)
}

func (b *inputBuilder) principal(p *policy.Principal) *ast.Term {
	if p == nil {
		return ast.NullTerm()
	}
	return obj(
		"not", ast.BooleanTerm(p.Not),
		"wildcard", ast.BooleanTerm(p.Wildcard),
		"aws", b.strList(p.AWS),
		"service", b.strList(p.Service),
		"federated", b.strList(p.Federated),
		"canonical_user", b.strList(p.CanonicalUser),
	)
}

// conditions keeps operators and keys as written, and adds lower-case
// keys: condition keys are case-insensitive in IAM, so rules compare
// key_lower and never have to remember to fold case.
func (b *inputBuilder) conditions(cs []policy.Condition) *ast.Term {
	terms := make([]*ast.Term, len(cs))
	for i, c := range cs {
		terms[i] = obj(
			"operator", b.str(c.Operator),
			"key", b.str(c.Key),
			"key_lower", b.str(strings.ToLower(c.Key)),
			"values", b.strList(c.Values),
		)
	}
	return ast.ArrayTerm(terms...)
}

func (b *inputBuilder) groups(snap *snapshot.Snapshot) *ast.Term {
	terms := make([]*ast.Term, 0, len(snap.Groups))
	for _, g := range snap.Groups {
		names, arns := b.attachedNames(g.Attached)
		terms = append(terms, obj(
			"name", b.str(g.Name),
			"arn", b.str(g.ARN),
			"path", b.str(g.Path),
			"members", ast.InternedTerm(len(g.Members)),
			"attached", names,
			"attached_arns", arns,
			"inline", ast.InternedTerm(len(g.Inline)),
			"ref", b.anchor(anchor{loc: g.Loc, arn: g.ARN}),
		))
	}
	return ast.ArrayTerm(terms...)
}

func (b *inputBuilder) users(snap *snapshot.Snapshot) *ast.Term {
	terms := make([]*ast.Term, 0, len(snap.Users))
	for _, u := range snap.Users {
		names, arns := b.attachedNames(u.Attached)
		terms = append(terms, obj(
			"name", b.str(u.Name),
			"arn", b.str(u.ARN),
			"path", b.str(u.Path),
			"groups", b.strList(u.GroupNames),
			"attached", names,
			"attached_arns", arns,
			"inline", ast.InternedTerm(len(u.Inline)),
			"ref", b.anchor(anchor{loc: u.Loc, arn: u.ARN}),
		))
	}
	return ast.ArrayTerm(terms...)
}

func (b *inputBuilder) oidc(snap *snapshot.Snapshot) *ast.Term {
	terms := make([]*ast.Term, 0, len(snap.OIDCProviders))
	for _, p := range snap.OIDCProviders {
		terms = append(terms, obj(
			"arn", b.str(p.ARN),
			"url", b.str(p.URL),
			"client_ids", b.strList(p.ClientIDs),
		))
	}
	return ast.ArrayTerm(terms...)
}

func (b *inputBuilder) saml(snap *snapshot.Snapshot) *ast.Term {
	terms := make([]*ast.Term, 0, len(snap.SAMLProviders))
	for _, p := range snap.SAMLProviders {
		terms = append(terms, obj("arn", b.str(p.ARN)))
	}
	return ast.ArrayTerm(terms...)
}

// accountARN names the account itself, the resource of account-level
// findings such as the password policy: its root ARN, or "account" when
// the inputs do not say which account they describe (a lone password
// policy file).
func accountARN(snap *snapshot.Snapshot) string {
	if snap.AccountID == "" {
		return "account"
	}
	partition := snap.Partition
	if partition == "" {
		partition = "aws"
	}
	return "arn:" + partition + ":iam::" + snap.AccountID + ":root"
}
