package policy

import (
	"fmt"
	"slices"
	"strings"
)

// Decision is the answer to "may this principal make this request".
type Decision uint8

const (
	// Denied: an explicit Deny matched, or nothing allows (implicit deny).
	Denied Decision = iota
	// Allowed: the policies allow the request whatever else it carries.
	Allowed
	// Conditional: the answer depends on condition keys whose values the
	// caller did not supply; it is allowed only if those conditions hold.
	Conditional
)

func (d Decision) String() string {
	switch d {
	case Allowed:
		return "allowed"
	case Conditional:
		return "conditional"
	}
	return "denied"
}

// Layer names where a policy sits in AWS's evaluation order.
type Layer uint8

const (
	LayerIdentity Layer = iota // identity-based policies of the principal
	LayerResource              // the resource's resource-based policy
	LayerBoundary              // the principal's permissions boundary
	LayerSCP                   // AWS Organizations service control policies
	LayerRCP                   // AWS Organizations resource control policies
	LayerSession               // session policies passed when assuming a role
)

var layerNames = [...]string{"identity", "resource", "permissions boundary", "SCP", "RCP", "session"}

func (l Layer) String() string { return layerNames[l] }

// NamedPolicy is a document with the name reports use for it (a managed
// policy ARN, "inline:NAME", a file name). A nil Doc stands for a policy
// that applies but whose document is unknown: it makes the answer
// Conditional unless something else decides.
type NamedPolicy struct {
	Name string
	Doc  *Document
}

// PolicySet is every policy that takes part in evaluating a request. A
// nil Boundary, SCPs, RCPs or Session slice means that kind of policy
// does not apply (no boundary set, account outside an organization...);
// a non-nil one, even empty, means it applies and must allow.
type PolicySet struct {
	Identity []NamedPolicy
	Resource []NamedPolicy
	Boundary []NamedPolicy
	SCPs     []NamedPolicy
	RCPs     []NamedPolicy
	Session  []NamedPolicy
	// RoleTrust says Resource holds the trust policy of the IAM role the
	// request assumes (sts:AssumeRole* on the role). "Role trust
	// policies and KMS key policies are exceptions" to the same-account
	// rule: the trust policy must allow even within the account (naming
	// the account delegates to identity-based policies, naming the
	// principal grants on its own), and naming a user does not lift the
	// user's permissions boundary ("Update a role trust policy": "If a
	// permissions boundary is set for the user, then it must allow the
	// sts:AssumeRole action").
	RoleTrust bool
}

// Request is one API call to evaluate.
type Request struct {
	// PrincipalARN is the calling user's or role's ARN, e.g.
	// arn:aws:iam::123456789012:user/alice.
	PrincipalARN string
	// PrincipalAccount is the caller's account id; taken from
	// PrincipalARN when empty.
	PrincipalAccount string
	Action           string // e.g. "s3:GetObject"
	// Resource is the resource ARN, or "*" for actions that do not take
	// a resource.
	Resource string
	// ResourceAccount owns the resource; empty means the caller's own
	// account (a same-account request).
	ResourceAccount string
	Context         *Context
}

// Deciding is one statement that decided a request, for explanations.
type Deciding struct {
	Layer  Layer
	Policy string
	Sid    string
	Index  int // statement position in its document, from 0
	Effect Effect
	Loc    Location
	// Maybe is set when the statement matched only if conditions on
	// unknown context keys hold; Unknown names those keys (condition
	// keys and policy variables).
	Maybe   bool
	Unknown []string
	// BadOperators lists condition operators of the statement that IAM
	// does not know: what the statement means is unknown, so it is
	// Maybe.
	BadOperators []string
	// Note says why the statement may not apply, when that is not
	// about context keys (a NotPrincipal that lists only some levels of
	// the caller).
	Note string
	// Missing is set for a policy whose document the input lacks (an
	// unresolved attachment or boundary); it stands for the whole policy.
	Missing bool
}

func (d Deciding) String() string {
	if d.Missing {
		return fmt.Sprintf("%s policy %s: document not in the input, it may allow or deny", d.Layer, d.Policy)
	}
	sid := d.Sid
	if sid == "" {
		sid = fmt.Sprintf("#%d", d.Index)
	}
	s := fmt.Sprintf("%s %s policy %s statement %s (%s)", d.Effect, d.Layer, d.Policy, sid, d.Loc)
	if d.Maybe {
		s += " if its conditions hold"
		if len(d.Unknown) > 0 {
			s += " (unknown: " + strings.Join(d.Unknown, ", ") + ")"
		}
		if len(d.BadOperators) > 0 {
			s += " (condition operator IAM does not know: " + strings.Join(d.BadOperators, ", ") + ")"
		}
		if d.Note != "" {
			s += " (" + d.Note + ")"
		}
	}
	return s
}

// Result is a decision with its explanation.
type Result struct {
	Decision Decision
	// Explicit is set when an explicit Deny decided.
	Explicit bool
	// Reason says in one line why.
	Reason string
	// Statements are the deciding statements: the matching Deny for an
	// explicit deny; the granting Allow statements (and the boundary, SCP
	// or RCP statements that let them through) for an allow; the
	// statements that depend on unknown context for a conditional answer;
	// for an implicit deny, the Allow statements that matched but were
	// not enough (a gate or the cross-account rule blocked them), if any.
	Statements []Deciding
}

// layerResult collects what one layer's statements say about a request.
type layerResult struct {
	allow, deny tri
	// For a resource policy, how its allows name the principal: direct
	// ("*", the principal or its role), exact (the user or session ARN
	// itself) or through its account.
	direct, exact, account tri
	stmts                  []Deciding
}

// Evaluate decides a request in the order "Policy evaluation logic"
// documents: an explicit Deny in any policy wins; then every SCP, RCP,
// permissions boundary and session policy that applies must allow; then
// an identity-based or resource-based policy must allow (both, when the
// resource is in another account); otherwise the request is implicitly
// denied. Unknown context makes the answer Conditional, never a silent
// allow or deny.
func Evaluate(req *Request, ps *PolicySet) Result {
	if req.Resource == "" {
		// No resource is the "*" of actions that take none.
		r := *req
		r.Resource = "*"
		req = &r
	}
	principalAccount := req.PrincipalAccount
	if principalAccount == "" {
		principalAccount = arnAccount(req.PrincipalARN)
	}
	c := newCaller(req.PrincipalARN, principalAccount)
	crossAccount := req.ResourceAccount != "" && req.ResourceAccount != principalAccount
	layers := [...]struct {
		layer    Layer
		policies []NamedPolicy
	}{
		{LayerIdentity, ps.Identity}, {LayerResource, ps.Resource}, {LayerBoundary, ps.Boundary},
		{LayerSCP, ps.SCPs}, {LayerRCP, ps.RCPs}, {LayerSession, ps.Session},
	}
	// "Service control policies": SCPs do not affect service-linked
	// roles.
	scps := ps.SCPs != nil && !c.serviceLinked()
	var res [len(layers)]layerResult
	explicit := no
	for i, l := range layers {
		if l.layer == LayerSCP && !scps {
			continue
		}
		res[i] = evalLayer(l.layer, l.policies, req, &c, ps.Boundary != nil)
		explicit = explicit.or(res[i].deny)
	}
	if explicit == yes {
		return Result{Decision: Denied, Explicit: true, Reason: "explicitly denied", Statements: pick(res[:], Deny, false)}
	}

	identity, resource := &res[LayerIdentity], &res[LayerResource]
	var grant tri
	switch {
	case crossAccount:
		// "Cross-account policy evaluation logic": both the identity
		// policy and the resource policy must allow; a resource policy
		// naming the account delegates to it.
		grant = identity.allow.and(resource.direct.or(resource.account))
	case ps.RoleTrust:
		// A role's trust policy must allow even within the account:
		// naming the principal grants, naming the account delegates
		// to the identity policies.
		grant = resource.direct.or(identity.allow.and(resource.account))
	default:
		// Within an account a resource policy naming the principal
		// grants on its own; naming only the account delegates to the
		// identity policies.
		grant = identity.allow.or(resource.direct)
	}
	final := grant.and(explicit.not())
	// "Policy evaluation logic", "Permissions boundaries": within an
	// account, a resource-based policy that names the IAM user ARN or
	// the role session ARN itself is not limited by an implicit deny in
	// the permissions boundary; naming "*", the account or the role
	// does not lift it. "Session policies": only naming the session ARN
	// lifts the session policy.
	var lift, liftSession tri
	if !crossAccount && !ps.RoleTrust {
		lift = resource.exact
		if c.kind == callerRole || c.kind == callerSession {
			liftSession = resource.exact
		}
	}
	gates := [...]struct {
		i       Layer
		applies bool
		pass    tri
	}{
		{LayerSCP, scps, res[LayerSCP].allow},
		{LayerRCP, ps.RCPs != nil, res[LayerRCP].allow},
		{LayerBoundary, ps.Boundary != nil, res[LayerBoundary].allow.or(lift)},
		{LayerSession, ps.Session != nil, res[LayerSession].allow.or(liftSession)},
	}
	for _, g := range gates {
		if g.applies {
			final = final.and(g.pass)
		}
	}
	switch final {
	case yes:
		return Result{Decision: Allowed, Reason: "allowed", Statements: pick(res[:], Allow, false)}
	case maybe:
		// The allows (certain or not) and the denies that may apply:
		// what holds the answer open and what would grant it.
		return Result{Decision: Conditional, Reason: "allowed only if conditions on unknown context hold", Statements: pickConditional(res[:])}
	}

	// Implicit deny: name the layers that lacked an allow, and those
	// that did allow, whose statements are listed.
	var allowedBy, blocked []phrase
	if identity.allow != no {
		allowedBy = append(allowedBy, phrase{one: "an identity-based policy"})
	}
	if resource.allow != no {
		if ps.RoleTrust {
			allowedBy = append(allowedBy, phrase{one: "the role's trust policy"})
		} else {
			allowedBy = append(allowedBy, phrase{one: "a resource-based policy"})
		}
	}
	if grant == no {
		switch {
		case crossAccount:
			idOK, resOK := identity.allow != no, resource.direct.or(resource.account) != no
			switch {
			case idOK && !resOK:
				blocked = append(blocked, phrase{"cross-account access needs a resource-based policy of the resource's account to allow it too", "cross-account access needs a resource-based allow too"})
			case resOK && !idOK:
				blocked = append(blocked, phrase{"cross-account access needs an identity-based policy to allow it too", "cross-account access needs an identity-based allow too"})
			default:
				blocked = append(blocked, phrase{"cross-account access needs both an identity-based and a resource-based policy allow", "cross-account access needs both an identity-based and a resource-based allow"})
			}
		case ps.RoleTrust && resource.allow == no:
			blocked = append(blocked, phrase{"the role's trust policy does not allow it", "the role's trust policy does not"})
		case ps.RoleTrust:
			blocked = append(blocked, phrase{"the role's trust policy names only the account, and no identity-based policy allows it", "no identity-based policy does (the trust policy names only the account)"})
		case ps.Resource != nil:
			blocked = append(blocked, phrase{"no identity-based or resource-based policy allows it", "no identity-based or resource-based policy does"})
		default:
			blocked = append(blocked, phrase{"no identity-based policy allows it", "no identity-based policy does"})
		}
	}
	for _, g := range gates {
		if !g.applies {
			continue
		}
		if g.pass == no {
			blocked = append(blocked, gatePhrases[g.i])
		} else if res[g.i].allow != no {
			allowedBy = append(allowedBy, phrase{one: gateNames[g.i]})
		}
	}
	return Result{Decision: Denied, Reason: "implicitly denied: " + sentence(allowedBy, blocked), Statements: pick(res[:], Allow, false)}
}

// phrase is a reason in two forms: standing alone ("no SCP allows it")
// and after the layers that did allow ("..., but no SCP does").
type phrase struct{ one, after string }

var gatePhrases = map[Layer]phrase{
	LayerSCP:      {"no service control policy allows it", "no service control policy does"},
	LayerRCP:      {"no resource control policy allows it", "no resource control policy does"},
	LayerBoundary: {"the permissions boundary does not allow it", "the permissions boundary does not"},
	LayerSession:  {"no session policy allows it", "no session policy does"},
}

var gateNames = map[Layer]string{
	LayerSCP:      "a service control policy",
	LayerRCP:      "a resource control policy",
	LayerBoundary: "the permissions boundary",
	LayerSession:  "a session policy",
}

// sentence says why a request was implicitly denied, e.g. "the
// permissions boundary allows it, but no identity-based policy does".
func sentence(allowedBy, blocked []phrase) string {
	join := func(ps []phrase, after bool) string {
		parts := make([]string, len(ps))
		for i, p := range ps {
			parts[i] = p.one
			if after {
				parts[i] = p.after
			}
		}
		switch len(parts) {
		case 0:
			return ""
		case 1:
			return parts[0]
		}
		return strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
	}
	if len(blocked) == 0 {
		return "nothing allows it" // unreachable: a denial has a blocker
	}
	if len(allowedBy) == 0 {
		return join(blocked, false)
	}
	verb := " allows it, but "
	if len(allowedBy) > 1 {
		verb = " allow it, but "
	}
	return join(allowedBy, false) + verb + join(blocked, true)
}

// pickConditional returns the statements behind a conditional answer:
// every Allow that matched, certainly or maybe (the certain ones show
// what grants once the open conditions are settled), the Deny statements
// that may apply, and the policies the input lacks.
func pickConditional(res []layerResult) []Deciding {
	var out []Deciding
	for _, l := range res {
		for _, d := range l.stmts {
			if d.Effect == Allow || d.Maybe {
				out = append(out, d)
			}
		}
	}
	return out
}

// pick returns the deciding statements with an effect (any effect for
// EffectInvalid), only the maybe ones when maybeOnly.
func pick(res []layerResult, effect Effect, maybeOnly bool) []Deciding {
	var out []Deciding
	for _, l := range res {
		for _, d := range l.stmts {
			if (effect == EffectInvalid || d.Effect == effect) && (!maybeOnly || d.Maybe) && (maybeOnly || !d.Maybe) {
				out = append(out, d)
			}
		}
	}
	return out
}

func evalLayer(layer Layer, policies []NamedPolicy, req *Request, c *caller, boundary bool) layerResult {
	var r layerResult
	withPrincipal := layer == LayerResource || layer == LayerRCP
	for _, p := range policies {
		if p.Doc == nil {
			// A policy whose document the input lacks may allow or
			// deny anything: the answer cannot be certain.
			r.allow, r.deny = r.allow.or(maybe), r.deny.or(maybe)
			r.direct, r.exact, r.account = r.direct.or(maybe), r.exact.or(maybe), r.account.or(maybe)
			r.stmts = append(r.stmts, Deciding{Layer: layer, Policy: p.Name, Index: -1, Maybe: true, Missing: true})
			continue
		}
		vars := p.Doc.PolicyVariables()
		for _, st := range p.Doc.Statements {
			if st.Effect != Allow && st.Effect != Deny {
				continue
			}
			m := matchStatement(st, req, vars)
			if m == no {
				continue
			}
			hit := principalHit{any: yes}
			note := ""
			if withPrincipal {
				switch {
				case st.Principal != nil && st.Principal.Not:
					// NotPrincipal applies to everyone it does not
					// list, like "*".
					hit = principalHit{any: notPrincipalApplies(st.Principal, c, st.Effect, boundary)}
					if hit.any == maybe {
						note = "NotPrincipal lists the caller but not every level AWS may check (account, role, session)"
					}
				default:
					hit = matchPrincipal(st.Principal, c)
					if hit.applies() == maybe {
						note = "Principal names a session of the role; which session calls is unknown"
					}
				}
				if hit.applies() == no {
					continue
				}
			}
			mm := m.and(hit.applies())
			switch st.Effect {
			case Allow:
				r.allow = r.allow.or(mm)
				r.direct = r.direct.or(m.and(hit.direct()))
				r.exact = r.exact.or(m.and(hit.exact))
				r.account = r.account.or(m.and(hit.account))
			case Deny:
				r.deny = r.deny.or(mm)
			}
			d := Deciding{Layer: layer, Policy: p.Name, Sid: st.Sid, Index: st.Index, Effect: st.Effect, Loc: st.Loc}
			if mm == maybe {
				d.Maybe = true
				if m == maybe {
					d.Unknown, d.BadOperators = unknownKeys(st, req.Context, vars), invalidOperators(st)
				}
				d.Note = note
			}
			r.stmts = append(r.stmts, d)
		}
	}
	return r
}

// matchStatement says whether a statement applies to a request, apart
// from its Principal: Action/NotAction, Resource/NotResource and every
// condition. vars says whether the statement's document has policy
// variables.
func matchStatement(st *Statement, req *Request, vars bool) tri {
	// NotAction matches every action its list does not.
	if !st.Action.Present || matchList(st.Action.List, req.Action, MatchAction) == st.Action.Not {
		return no
	}
	r := yes
	if st.Resource.Present {
		m := no
		for _, p := range st.Resource.List {
			m = m.or(matchResource(p, req.Resource, req.Context, vars))
			if m == yes {
				break
			}
		}
		if st.Resource.Not {
			m = m.not()
		}
		r = m
	}
	if r == no {
		return no
	}
	// An operator IAM does not know (IAM rejects such a policy) leaves
	// the statement's meaning open: it is maybe whatever the other
	// conditions say, never a match and never a silent non-match.
	for i := range st.Condition {
		if !ValidOperator(st.Condition[i].Operator) {
			return maybe
		}
	}
	for i := range st.Condition {
		if r == no {
			return no
		}
		r = r.and(evalCondition(&st.Condition[i], req.Context, vars))
	}
	return r
}

// invalidOperators lists the condition operators of a statement that IAM
// does not know.
func invalidOperators(st *Statement) []string {
	var out []string
	for _, c := range st.Condition {
		if !ValidOperator(c.Operator) && !slices.Contains(out, c.Operator) {
			out = append(out, c.Operator)
		}
	}
	return out
}

func matchList(list []string, s string, match func(p, s string) bool) bool {
	for _, p := range list {
		if match(p, s) {
			return true
		}
	}
	return false
}

// matchResource matches one Resource entry, substituting policy
// variables when vars ("IAM policy elements: Variables and tags"). An
// entry with an unknown variable is maybe only if some value of the
// variable could make it match.
func matchResource(pattern, resource string, ctx *Context, vars bool) tri {
	if !vars {
		return triOf(matchResourceARN(pattern, resource, false))
	}
	p, escaped, st := substitute(pattern, ctx)
	switch st {
	case no:
		return no
	case maybe:
		return mayMatch(p, resource, escaped, false)
	}
	return triOf(matchResourceARN(p, resource, escaped))
}

func arnAccount(arn string) string {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) < 6 {
		return ""
	}
	return parts[4]
}

// unknownKeys lists the context keys a statement depends on that the
// context does not know: its condition keys and the policy variables of
// its Resource element and condition values, in order of appearance.
func unknownKeys(st *Statement, ctx *Context, vars bool) []string {
	var out []string
	add := func(k string) {
		if !ctx.Known(k) && !slices.ContainsFunc(out, func(o string) bool { return strings.EqualFold(o, k) }) {
			out = append(out, k)
		}
	}
	variables := func(s string) []string {
		if !vars {
			return nil
		}
		return variableKeys(s)
	}
	for _, r := range st.Resource.List {
		for _, k := range variables(r) {
			add(k)
		}
	}
	for _, c := range st.Condition {
		add(c.Key)
		for _, v := range c.Values {
			for _, k := range variables(v) {
				add(k)
			}
		}
	}
	return out
}
