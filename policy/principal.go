package policy

import "strings"

// caller is the principal making a request, as the Principal and
// NotPrincipal elements of resource-based policies see it ("IAM JSON
// policy elements: Principal", "AWS JSON policy elements: NotPrincipal").
type caller struct {
	kind      callerKind
	arn       string // as given
	account   string
	partition string
	// role is the role's name (without path) for a role or a role
	// session; roleARN the role's ARN when the caller is the role itself.
	role, roleARN string
}

type callerKind uint8

const (
	callerOther   callerKind = iota // the account root, a federated user...
	callerUser                      // arn:aws:iam::ACCOUNT:user/PATH/NAME
	callerRole                      // arn:aws:iam::ACCOUNT:role/PATH/NAME: a session of it, name unknown
	callerSession                   // arn:aws:sts::ACCOUNT:assumed-role/NAME/SESSION
)

func newCaller(arn, account string) caller {
	c := caller{arn: arn, account: account, partition: "aws"}
	// arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE, split without
	// allocating: this runs for every evaluated request.
	var seg [6]string
	rest := arn
	for i := 0; i < 5; i++ {
		j := strings.IndexByte(rest, ':')
		if j < 0 {
			return c
		}
		seg[i], rest = rest[:j], rest[j+1:]
	}
	seg[5] = rest
	if seg[1] != "" {
		c.partition = seg[1]
	}
	switch res := seg[5]; {
	case seg[2] == "iam" && strings.HasPrefix(res, "user/"):
		c.kind = callerUser
	case seg[2] == "iam" && strings.HasPrefix(res, "role/"):
		c.kind, c.roleARN = callerRole, arn
		c.role = res[strings.LastIndexByte(res, '/')+1:]
	case seg[2] == "sts" && strings.HasPrefix(res, "assumed-role/"):
		name, _, ok := strings.Cut(strings.TrimPrefix(res, "assumed-role/"), "/")
		if ok {
			c.kind, c.role = callerSession, name
		}
	}
	return c
}

// serviceLinked reports whether the caller is a service-linked role (path
// /aws-service-role/), which service control policies do not affect.
func (c *caller) serviceLinked() bool {
	return c.kind == callerRole && strings.Contains(c.arn, ":role/aws-service-role/")
}

// principalHit says how a Principal element names the caller; each part
// is a tri because a role evaluated without its session name may or may
// not be the session a policy names.
type principalHit struct {
	any     tri // "*"
	exact   tri // the user ARN or the role session ARN
	role    tri // the role ARN, for the role or one of its sessions
	account tri // the account id or its root ARN (delegation)
}

// direct is a match that grants on its own within an account.
func (h principalHit) direct() tri { return h.any.or(h.exact).or(h.role) }

// applies is whether a statement naming the principal applies at all.
func (h principalHit) applies() tri { return h.direct().or(h.account) }

// matchPrincipal matches the Principal element of a resource-based
// policy statement against the caller.
func matchPrincipal(p *Principal, c *caller) principalHit {
	var h principalHit
	if p == nil {
		// A resource policy statement without Principal is invalid;
		// an RCP may leave it out. Treat as applying to everyone.
		h.any = yes
		return h
	}
	if p.Wildcard {
		h.any = yes
	}
	for _, a := range p.AWS {
		switch {
		case a == "*":
			h.any = yes
		case a == c.arn && (c.kind == callerUser || c.kind == callerSession):
			h.exact = yes
		case c.isAccount(a):
			h.account = yes
		default:
			h.role = h.role.or(c.namesRole(a))
			h.exact = h.exact.or(c.namesSession(a))
		}
	}
	return h
}

// isAccount reports whether a principal entry names the caller's account:
// its id or its root user's ARN.
func (c *caller) isAccount(a string) bool {
	return c.account != "" && (a == c.account || a == "arn:"+c.partition+":iam::"+c.account+":root")
}

// namesRole says whether an entry is the ARN of the caller's role.
func (c *caller) namesRole(a string) tri {
	switch c.kind {
	case callerRole:
		return triOf(a == c.roleARN)
	case callerSession:
		// The session ARN does not carry the role's path.
		rest, ok := strings.CutPrefix(a, "arn:"+c.partition+":iam::"+c.account+":role/")
		return triOf(ok && rest[strings.LastIndexByte(rest, '/')+1:] == c.role)
	}
	return no
}

// namesSession says whether an entry is the ARN of the caller's role
// session: for a session, exactly its ARN; for a role evaluated without a
// session name, any session of the role may be the one.
func (c *caller) namesSession(a string) tri {
	if c.kind != callerRole {
		return no
	}
	if strings.HasPrefix(a, "arn:"+c.partition+":sts::"+c.account+":assumed-role/"+c.role+"/") {
		return maybe
	}
	return no
}

// notPrincipalApplies says whether a statement with NotPrincipal applies
// to the caller ("AWS JSON policy elements: NotPrincipal", "Specifying
// NotPrincipal with Deny"): AWS checks the caller at each level, "the
// account first, then the role, and then the assumed-role user" (for an
// IAM user: the account, then the user), and the caller is exempt only
// when every level is listed. The most specific level not listed is
// certain to be checked; an outer level left out "might" be, so the
// answer is maybe. "The NotPrincipal element with a Deny effect will
// always deny any IAM principal that has a permissions boundary policy
// attached" ("Permissions boundaries for IAM entities").
func notPrincipalApplies(p *Principal, c *caller, effect Effect, boundary bool) tri {
	if p.Wildcard || containsString(p.AWS, "*") {
		return no
	}
	if effect == Deny && boundary {
		return yes
	}
	listed := func(match func(a string) tri) tri {
		t := no
		for _, a := range p.AWS {
			t = t.or(match(a))
		}
		return t
	}
	account := listed(func(a string) tri { return triOf(c.isAccount(a)) })
	var levels []tri // outermost first
	switch c.kind {
	case callerUser:
		levels = []tri{account, listed(func(a string) tri { return triOf(a == c.arn) })}
	case callerRole:
		levels = []tri{account, listed(c.namesRole), listed(c.namesSession)}
	case callerSession:
		levels = []tri{account, listed(c.namesRole), listed(func(a string) tri { return triOf(a == c.arn) })}
	default:
		levels = []tri{listed(func(a string) tri { return triOf(a == c.arn || c.isAccount(a)) })}
	}
	last := levels[len(levels)-1]
	outer := yes
	for _, l := range levels[:len(levels)-1] {
		outer = outer.and(l)
	}
	if outer == yes {
		return last.not()
	}
	return last.not().or(maybe)
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
