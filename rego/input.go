package rego

import (
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/iamscan/iamscan/policy"
	"github.com/iamscan/iamscan/rules"
	"github.com/iamscan/iamscan/snapshot"
)

// The input is the Rego view of one snapshot. It is built directly as
// ast terms (going through Go maps and JSON would cost more than the
// rules themselves), once per scan, and shared by every Rego rule.
//
// It is built in groups of sections, each only when some rule of the
// scan reads one of its sections (the loader finds which input.X each
// rule refers to): a scan whose rules never read input.users never
// builds 5,000 user objects. And only what account-level and trust rules
// need is there: identity policy statements are not (statement-level
// checks belong in Go), which keeps the input of a 10,000-policy
// account small.

// sectionGroups maps each top-level input section to the group of
// sections built together (the trust index holds the role objects).
var sectionGroups = map[string]string{
	"account": "account", "as_of": "account", "has": "account", "password_policy": "account",
	"oidc_providers": "account", "saml_providers": "account",
	"roles": "roles", "trust": "roles",
	"groups": "groups",
	"users":  "users",
}

// allSections lists every section, for rules that read input as a whole.
func allSections() []string {
	out := make([]string, 0, len(sectionGroups))
	for s := range sectionGroups {
		out = append(out, s)
	}
	slices.Sort(out)
	return out
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

// anchors is the scan's table of refs, shared by the section groups.
type anchors struct {
	mu   sync.Mutex
	list []anchor
}

func (t *anchors) add(a anchor) *ast.Term {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.list = append(t.list, a)
	return ast.InternedTerm(len(t.list) - 1)
}

func (t *anchors) get(i int64) (anchor, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if i < 0 || i >= int64(len(t.list)) {
		return anchor{}, false
	}
	return t.list[i], true
}

// sections is one built group: section name → term.
type sections map[string]*ast.Term

// scanInput is a complete input (every group built), for tests and
// benchmarks of the input itself.
type scanInput struct {
	sections sections
	anchors  *anchors
}

func buildInput(snap *snapshot.Snapshot, asOf time.Time) *scanInput {
	in := &scanInput{sections: sections{}, anchors: &anchors{}}
	for _, g := range []string{"account", "roles", "groups", "users"} {
		maps.Copy(in.sections, buildGroup(g, snap, asOf, in.anchors))
	}
	return in
}

// withParams returns the input object of one rule: the given sections
// and the rule's parameters under "params".
func (s sections) withParams(params *ast.Term) ast.Value {
	items := make([][2]*ast.Term, 0, len(s)+1)
	for k, v := range s {
		items = append(items, [2]*ast.Term{ast.InternedTerm(k), v})
	}
	items = append(items, [2]*ast.Term{ast.InternedTerm("params"), params})
	return ast.NewObject(items...)
}

type inputBuilder struct {
	anchors *anchors
	trust   map[string][]*ast.Term // the trust index, by kind
	strs    map[string]*ast.Term   // strings that repeat (actions, services, keys)
	shared  map[string]*ast.Term   // identical values built once (principals, allows)
	inputs  []snapshot.Input
}

// buildGroup builds one group of sections.
func buildGroup(group string, snap *snapshot.Snapshot, asOf time.Time, t *anchors) sections {
	b := &inputBuilder{anchors: t, strs: map[string]*ast.Term{}, shared: map[string]*ast.Term{}, inputs: snap.Inputs, trust: map[string][]*ast.Term{}}
	switch group {
	case "account":
		return b.accountGroup(snap, asOf)
	case "roles":
		roles := b.roles(snap)
		return sections{"roles": roles, "trust": b.trustIndex()}
	case "groups":
		return sections{"groups": b.groups(snap)}
	case "users":
		return sections{"users": b.users(snap)}
	}
	panic("rego: unknown input group " + group)
}

func (b *inputBuilder) accountGroup(snap *snapshot.Snapshot, asOf time.Time) sections {
	out := sections{}
	out["account"] = obj(
		"id", b.str(snap.AccountID),
		"partition", b.str(snap.Partition),
		"arn", b.str(accountARN(snap)),
		"ref", b.anchor(anchor{loc: policy.Location{File: b.inputFile(snapshot.DataAuthorizationDetails)}, arn: accountARN(snap)}),
		"password_policy_ref", b.anchor(anchor{loc: policy.Location{File: b.inputFile(snapshot.DataPasswordPolicy)}, arn: accountARN(snap)}),
	)
	out["as_of"] = ast.NullTerm()
	if !asOf.IsZero() {
		out["as_of"] = b.str(asOf.UTC().Format(time.RFC3339))
	}
	present := make([][2]*ast.Term, 0, len(dataKinds))
	for _, d := range dataKinds {
		present = append(present, [2]*ast.Term{b.str(string(d)), ast.InternedTerm(snap.Has(d))})
	}
	out["has"] = ast.NewTerm(ast.NewObject(present...))
	out["password_policy"] = b.passwordPolicy(snap)
	out["oidc_providers"] = b.oidc(snap)
	out["saml_providers"] = b.saml(snap)
	return out
}

// obj builds an object term from alternating keys and values; keys are
// interned strings, as every input object repeats the same few keys.
func obj(kv ...any) *ast.Term {
	items := make([][2]*ast.Term, len(kv)/2)
	for i := range items {
		items[i] = [2]*ast.Term{keyTerm(kv[2*i].(string)), kv[2*i+1].(*ast.Term)}
	}
	return ast.NewTerm(ast.NewObject(items...))
}

// keyTerms holds one term per object key of the input, shared by all
// scans: a key costs a map lookup, not an allocation.
var keyTerms sync.Map

func keyTerm(k string) *ast.Term {
	if t, ok := keyTerms.Load(k); ok {
		return t.(*ast.Term)
	}
	t, _ := keyTerms.LoadOrStore(k, ast.StringTerm(k))
	return t.(*ast.Term)
}

func (b *inputBuilder) str(s string) *ast.Term {
	if t, ok := b.strs[s]; ok {
		return t
	}
	t := ast.StringTerm(s)
	b.strs[s] = t
	return t
}

// emptyArray is shared by every empty list of the input (terms are
// never modified once built).
var emptyArray = ast.ArrayTerm()

func (b *inputBuilder) strList(ss []string) *ast.Term {
	if len(ss) == 0 {
		return emptyArray
	}
	terms := make([]*ast.Term, len(ss))
	for i, s := range ss {
		terms[i] = b.str(s)
	}
	return ast.ArrayTerm(terms...)
}

// unique is for strings that do not repeat (names, ARNs): interning
// them would only grow the map.
func unique(s string) *ast.Term { return ast.StringTerm(s) }

// anchor records a location and returns its ref number as a term.
func (b *inputBuilder) anchor(a anchor) *ast.Term { return b.anchors.add(a) }

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
			items = append(items, [2]*ast.Term{ast.InternedTerm(k), ast.InternedTerm(*v)})
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
	// Findings on the policy point at its object in the input.
	loc := pp.At
	if loc.File == "" {
		loc = policy.Location{File: pp.Loc}
	}
	if loc.File == "" {
		loc.File = b.inputFile(snapshot.DataPasswordPolicy)
	}
	items = append(items, [2]*ast.Term{ast.InternedTerm("ref"), b.anchor(anchor{loc: loc, arn: accountARN(snap)})})
	return ast.NewTerm(ast.NewObject(items...))
}

// entity builds the fields users, groups and roles share, then extra.
func (b *inputBuilder) entity(name, arn, path string, attached []*snapshot.Attachment, inline int, loc policy.Location, extra ...any) *ast.Term {
	names, arns := b.attachedNames(attached)
	return obj(append([]any{
		"name", unique(name),
		"arn", unique(arn),
		"path", b.str(path),
		"attached", names,
		"attached_arns", arns,
		"inline", ast.InternedTerm(inline),
		"ref", b.anchor(anchor{loc: loc, arn: arn}),
	}, extra...)...)
}

func (b *inputBuilder) attachedNames(list []*snapshot.Attachment) (names, arns *ast.Term) {
	if len(list) == 0 {
		return emptyArray, emptyArray
	}
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
		account := arnAccount(r.ARN)
		var stmts []trustStatement
		if r.Trust != nil {
			ref := snapshot.PolicyRef{Kind: snapshot.PolicyTrust, Doc: r.Trust, Name: "AssumeRolePolicyDocument", ARN: r.ARN, OwnerARN: r.ARN}
			stmts = b.trustStatements(ref, account)
		}
		trust := make([]*ast.Term, len(stmts))
		for i, ts := range stmts {
			trust[i] = ts.term
		}
		role := b.entity(r.Name, r.ARN, r.Path, r.Attached, len(r.Inline), r.Loc,
			"account", b.str(account),
			"service_linked", ast.InternedTerm(r.ServiceLinked),
			"file", ast.InternedTerm(false),
			"trust", ast.ArrayTerm(trust...))
		terms = append(terms, role)
		for _, ts := range stmts {
			b.index(role, ts)
		}
	}
	b.trustFiles(snap)
	return ast.ArrayTerm(terms...)
}

// trustFiles files the statements of standalone trust policy documents
// (a trust policy under review, or the trust part of a mixed file) in the
// trust index, so that the trust rules judge them as IAM050 does. Each
// stands in the index with an object shaped like a role, "file": true:
// name is the file's base name (the finding's messages must not depend
// on the directory of the scan), arn is empty (there is no role yet) and
// account is the scanned account's, empty when the input does not say.
// They are not in input.roles: they are no roles.
func (b *inputBuilder) trustFiles(snap *snapshot.Snapshot) {
	for _, sp := range snap.Standalone {
		if !sp.Trust || sp.Doc == nil {
			continue
		}
		ref := snapshot.PolicyRef{Kind: snapshot.PolicyStandalone, Doc: sp.Doc, Name: sp.Name, ARN: sp.Name}
		stmts := b.trustStatements(ref, snap.AccountID)
		trust := make([]*ast.Term, len(stmts))
		for i, ts := range stmts {
			trust[i] = ts.term
		}
		file := obj(
			"name", unique(filepath.Base(sp.Name)),
			"arn", unique(""),
			"path", b.str(""),
			"attached", emptyArray,
			"attached_arns", emptyArray,
			"inline", ast.InternedTerm(0),
			"ref", b.anchor(anchor{loc: policy.Location{File: sp.Name}, arn: sp.Name}),
			"account", b.str(snap.AccountID),
			"service_linked", ast.InternedTerm(false),
			"file", ast.InternedTerm(true),
			"trust", ast.ArrayTerm(trust...),
		)
		for _, ts := range stmts {
			b.index(file, ts)
		}
	}
}

// trustStatement is a trust statement's term and what the index needs
// to know about it.
type trustStatement struct {
	term          *ast.Term
	allows        map[string]bool // assumeVerbs it grants
	anyPrincipal  bool
	crossAccount  bool
	hasFederated  bool
	hasService    bool
	hasConditions bool
}

// Trust index kinds: pre-filtered views of the trust statements, so that
// a rule about SAML trust visits the few SAML statements, not the
// thousands of EC2 and Lambda ones. A rule must still check what it
// relies on: the index only leaves out statements that cannot match.
var trustKinds = []string{"any_principal", "cross_account", "web_identity", "saml", "service"}

// index files a statement under the trust index kinds it belongs to.
func (b *inputBuilder) index(role *ast.Term, ts trustStatement) {
	var entry *ast.Term
	add := func(kind string, ok bool) {
		if !ok {
			return
		}
		if entry == nil {
			entry = obj("role", role, "statement", ts.term)
		}
		b.trust[kind] = append(b.trust[kind], entry)
	}
	add("any_principal", ts.anyPrincipal && ts.allows["sts:AssumeRole"])
	add("cross_account", ts.crossAccount && ts.allows["sts:AssumeRole"])
	add("web_identity", ts.hasFederated && ts.allows["sts:AssumeRoleWithWebIdentity"])
	add("saml", ts.hasFederated && ts.allows["sts:AssumeRoleWithSAML"])
	add("service", ts.hasService && ts.allows["sts:AssumeRole"])
}

// trustIndex is the input's "trust" object: every kind, each a list of
// {"role": ROLE, "statement": STATEMENT}.
func (b *inputBuilder) trustIndex() *ast.Term {
	items := make([][2]*ast.Term, len(trustKinds))
	for i, k := range trustKinds {
		items[i] = [2]*ast.Term{ast.InternedTerm(k), ast.ArrayTerm(b.trust[k]...)}
	}
	return ast.NewTerm(ast.NewObject(items...))
}

// trustStatements turns a trust policy's statements into terms, keeping
// a ref to each so that findings point at the statement in the input.
func (b *inputBuilder) trustStatements(ref snapshot.PolicyRef, account string) []trustStatement {
	out := make([]trustStatement, 0, len(ref.Doc.Statements))
	for _, st := range ref.Doc.Statements {
		ts := trustStatement{
			allows:        assumeActions(st),
			anyPrincipal:  rules.AnyAWSPrincipal(st.Principal),
			hasConditions: len(st.Condition) > 0,
		}
		accounts := principalAccounts(st.Principal)
		for _, a := range accounts {
			// With the account unknown (a bare trust policy file)
			// no account can be told apart from its own.
			ts.crossAccount = ts.crossAccount || (account != "" && a != account)
		}
		if p := st.Principal; p != nil && !p.Not {
			ts.hasFederated, ts.hasService = len(p.Federated) > 0, len(p.Service) > 0
		}
		ts.term = obj(
			"index", ast.InternedTerm(st.Index),
			"sid", b.str(st.Sid),
			"effect", b.str(st.Effect.String()),
			"actions", b.strList(st.Action.List),
			"not_actions", ast.InternedTerm(st.Action.Not),
			"principal", b.principal(st.Principal),
			"conditions", b.conditions(st.Condition),
			// Judged by the Go rules' own functions, so IAM050 (Go) and
			// the Rego trust rules agree by construction.
			"any_principal", ast.InternedTerm(ts.anyPrincipal),
			"narrows_caller", ast.InternedTerm(rules.NarrowsCaller(st.Condition)),
			// Matching actions and parsing ARNs in Rego costs ~100x
			// what it costs here; trust rules only ask these questions.
			"allows", b.allowsTerm(ts.allows),
			"principal_accounts", b.strList(accounts),
			"ref", b.anchor(anchor{loc: st.Loc, ref: ref, stmt: st}),
		)
		out = append(out, ts)
	}
	return out
}

// assumeVerbs are the STS actions a trust statement can grant.
var assumeVerbs = []string{
	"sts:AssumeRole", "sts:AssumeRoleWithSAML", "sts:AssumeRoleWithWebIdentity",
	"sts:SetSourceIdentity", "sts:TagSession",
}

// assumeActions is the set of assumeVerbs an Allow statement grants,
// matched by the policy engine.
func assumeActions(st *policy.Statement) map[string]bool {
	out := map[string]bool{}
	if st.Effect != policy.Allow {
		return out
	}
	for _, verb := range assumeVerbs {
		matched := slices.ContainsFunc(st.Action.List, func(p string) bool { return policy.MatchAction(p, verb) })
		if matched != st.Action.Not {
			out[verb] = true
		}
	}
	return out
}

// principalAccounts lists the accounts an AWS principal element names:
// bare account ids and the account field of ARNs, without wildcards
// (those are "any principal", judged by rules.AnyAWSPrincipal).
func principalAccounts(p *policy.Principal) []string {
	if p == nil {
		return nil
	}
	var out []string
	for _, a := range p.AWS {
		acct := a
		if strings.HasPrefix(a, "arn:") {
			acct = arnAccount(a)
		}
		if len(acct) == 12 && strings.Trim(acct, "0123456789") == "" && !slices.Contains(out, acct) {
			out = append(out, acct)
		}
	}
	slices.Sort(out)
	return out
}

// arnAccount is the account field of an ARN, "" when there is none.
func arnAccount(arn string) string {
	rest := arn
	for range 4 { // arn:partition:service:region:
		_, after, ok := strings.Cut(rest, ":")
		if !ok {
			return ""
		}
		rest = after
	}
	account, _, ok := strings.Cut(rest, ":")
	if !ok {
		return ""
	}
	return account
}

// allowsTerm returns the {"sts:...": true} object of a set of granted
// verbs; the few distinct sets are built once each.
func (b *inputBuilder) allowsTerm(allows map[string]bool) *ast.Term {
	var key strings.Builder
	items := make([][2]*ast.Term, 0, len(allows))
	for _, verb := range assumeVerbs {
		if allows[verb] {
			key.WriteString(verb)
			key.WriteByte(' ')
			items = append(items, [2]*ast.Term{b.str(verb), ast.InternedTerm(true)})
		}
	}
	k := "allows:" + key.String()
	if t, ok := b.shared[k]; ok {
		return t
	}
	t := ast.NewTerm(ast.NewObject(items...))
	b.shared[k] = t
	return t
}

// principal returns a Principal element's term; identical elements
// (thousands of roles trust ec2.amazonaws.com) share one.
func (b *inputBuilder) principal(p *policy.Principal) *ast.Term {
	if p == nil {
		return ast.NullTerm()
	}
	var key strings.Builder
	key.WriteString("principal:")
	for _, flag := range []bool{p.Not, p.Wildcard} {
		key.WriteByte("ft"[btoi(flag)])
	}
	for _, list := range [][]string{p.AWS, p.Service, p.Federated, p.CanonicalUser} {
		key.WriteByte(0)
		for _, v := range list {
			key.WriteString(v)
			key.WriteByte(1)
		}
	}
	k := key.String()
	if t, ok := b.shared[k]; ok {
		return t
	}
	t := b.newPrincipal(p)
	b.shared[k] = t
	return t
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

func (b *inputBuilder) newPrincipal(p *policy.Principal) *ast.Term {
	return obj(
		"not", ast.InternedTerm(p.Not),
		"wildcard", ast.InternedTerm(p.Wildcard),
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
	if len(cs) == 0 {
		return emptyArray
	}
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
		terms = append(terms, b.entity(g.Name, g.ARN, g.Path, g.Attached, len(g.Inline), g.Loc,
			"members", ast.InternedTerm(len(g.Members))))
	}
	return ast.ArrayTerm(terms...)
}

func (b *inputBuilder) users(snap *snapshot.Snapshot) *ast.Term {
	terms := make([]*ast.Term, 0, len(snap.Users))
	for _, u := range snap.Users {
		terms = append(terms, b.entity(u.Name, u.ARN, u.Path, u.Attached, len(u.Inline), u.Loc,
			"groups", b.strList(u.GroupNames)))
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
