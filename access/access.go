// Package access computes the effective permissions of every user and
// role of a snapshot: which catalog actions each may call on every
// resource, on some resources only, only under conditions, and which are
// explicitly denied, after group membership, inline and managed policies,
// explicit denies and the permissions boundary.
//
// Rules share one computation per scan through rules.Pass.Shared:
//
//	acc, err := access.Shared(pass.Shared, pass.Snapshot)
//	perms := acc.Of(principal)
//	if perms.IsAdmin() { ... }                       // IAM010
//	lvl := perms.Level("iam:PassRole")               // IAM011
//	for _, src := range acc.Sources(principal, "iam:PassRole") { ... }
//
// Statements are expanded once each: documents are summarized once (AWS
// managed policies attached to many principals cost one expansion), and
// statements with the same content share one expansion across the whole
// snapshot. Action sets are policy.ActionSet bitsets over the embedded
// catalog, so a principal's permissions cost a few set operations per
// attached document.
//
// Service control policies are not applied here (the snapshot does not
// say which level of the organization each one sits at); use
// RequestFor and policy.Evaluate for a single request with SCPs.
package access

import (
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/iamscan/iamscan/policy"
	"github.com/iamscan/iamscan/snapshot"
)

// Level is how far a principal may call one action.
type Level uint8

const (
	None        Level = iota // no policy allows it
	Denied                   // explicitly denied on every resource, unconditionally
	Conditional              // allowed only when conditions hold
	Somewhere                // allowed on some resources, not on "*"
	Everywhere               // allowed on every resource ("*") without conditions
)

var levelNames = [...]string{"none", "denied", "conditional", "some resources", "all resources"}

func (l Level) String() string { return levelNames[l] }

// Permissions are one principal's effective permissions. The sets are
// shared and must not be modified.
type Permissions struct {
	Principal *snapshot.Principal
	// Everywhere holds actions allowed on Resource "*" without
	// conditions.
	Everywhere policy.ActionSet
	// Somewhere holds actions allowed without conditions on some
	// resources only.
	Somewhere policy.ActionSet
	// Conditional holds actions allowed only under conditions (their own
	// or those of a Deny that would otherwise remove them).
	Conditional policy.ActionSet
	// Denied holds actions an unconditional Deny on every resource
	// removes.
	Denied policy.ActionSet
	// Unknown lists action patterns of the principal's policies that
	// match no catalog action (typos, retired or brand-new actions).
	Unknown []string
	// BoundaryUnresolved is set when the principal has a permissions
	// boundary whose document the input lacks: the boundary is then not
	// applied and the permissions may be overstated.
	BoundaryUnresolved bool

	catalog *policy.Catalog
}

// Level returns how far the principal may call an action (by name,
// case-insensitive). Actions unknown to the catalog are None.
func (p *Permissions) Level(action string) Level {
	a, ok := p.catalog.Lookup(action)
	if !ok {
		return None
	}
	return p.LevelOf(a.ID)
}

// LevelOf returns how far the principal may call a catalog action.
func (p *Permissions) LevelOf(id policy.ActionID) Level {
	switch {
	case p.Everywhere.Has(id):
		return Everywhere
	case p.Somewhere.Has(id):
		return Somewhere
	case p.Conditional.Has(id):
		return Conditional
	case p.Denied.Has(id):
		return Denied
	}
	return None
}

// Allowed returns every action allowed at least somewhere or under
// conditions (a new set the caller may modify).
func (p *Permissions) Allowed() policy.ActionSet {
	s := p.catalog.NewSet()
	s.Or(p.Everywhere)
	s.Or(p.Somewhere)
	s.Or(p.Conditional)
	return s
}

// IsAdmin reports whether the principal is effectively an administrator:
// every catalog action allowed on every resource without conditions,
// after explicit denies and the permissions boundary.
func (p *Permissions) IsAdmin() bool { return p.Everywhere.Len() == p.catalog.Len() }

// Access holds the permissions of every user and role of a snapshot.
type Access struct {
	snap    *snapshot.Snapshot
	catalog *policy.Catalog
	byARN   map[string]*Permissions
	list    []*Permissions
}

// SharedKey is the rules.Pass.Shared key under which the computation is
// stored.
const SharedKey = "access"

// Shared returns the snapshot's effective permissions, computed once per
// scan; pass rules.Pass.Shared as get.
func Shared(get func(key string, build func() (any, error)) (any, error), s *snapshot.Snapshot) (*Access, error) {
	v, err := get(SharedKey, func() (any, error) { return For(s), nil })
	if err != nil {
		return nil, err
	}
	return v.(*Access), nil
}

// For computes the effective permissions of every user and role.
func For(s *snapshot.Snapshot) *Access {
	return ForCatalog(s, policy.DefaultCatalog())
}

// ForCatalog is For with another catalog (tests).
//
// Every distinct document is expanded once, in one pass; then the
// principals, whose combination of cached sets is most of the work, are
// split among one worker per CPU.
func ForCatalog(s *snapshot.Snapshot, c *policy.Catalog) *Access {
	a := &Access{snap: s, catalog: c, byARN: map[string]*Permissions{}}
	e := newEngine(c, len(s.Policies)+len(s.Users)+len(s.Groups)+len(s.Roles), s.Partition)
	principals := s.Principals()
	for _, p := range principals {
		e.expand(s, p)
	}
	a.list = make([]*Permissions, len(principals))
	workers := min(runtime.GOMAXPROCS(0), max(1, len(principals)/minPerWorker))
	chunk := (len(principals) + workers - 1) / workers
	var wg sync.WaitGroup
	for lo := 0; lo < len(principals); lo += chunk {
		hi := min(lo+chunk, len(principals))
		wg.Add(1)
		go func() {
			defer wg.Done()
			w := newScratch(c)
			for i := lo; i < hi; i++ {
				a.list[i] = e.principal(w, s, principals[i])
			}
		}()
	}
	wg.Wait()
	for _, perms := range a.list {
		a.byARN[perms.Principal.ARN] = perms
	}
	return a
}

// minPerWorker keeps small accounts on one goroutine, where starting
// more costs more than it saves.
const minPerWorker = 256

// Of returns a principal's permissions (nil for a principal not in the
// snapshot).
func (a *Access) Of(p *snapshot.Principal) *Permissions { return a.byARN[p.ARN] }

// ByARN returns the permissions of the user or role with the given ARN.
func (a *Access) ByARN(arn string) *Permissions { return a.byARN[arn] }

// All returns every principal's permissions, users first, in snapshot
// order.
func (a *Access) All() []*Permissions { return a.list }

// IsAdmin reports whether a principal is effectively an administrator.
func (a *Access) IsAdmin(p *snapshot.Principal) bool {
	perms := a.Of(p)
	return perms != nil && perms.IsAdmin()
}

// Catalog is the catalog the sets are indexed by.
func (a *Access) Catalog() *policy.Catalog { return a.catalog }

// Source is one statement of a principal's policies that mentions an
// action, for explanations and finding locations.
type Source struct {
	Policy    snapshot.PolicyRef
	Statement *policy.Statement
	// Boundary is set for a statement of the permissions boundary.
	Boundary bool
}

// Sources returns the statements of a principal's identity policies and
// boundary whose Action or NotAction element covers an action, Allow and
// Deny alike, in policy order.
func (a *Access) Sources(p *snapshot.Principal, action string) []Source {
	var out []Source
	covers := func(st *policy.Statement) bool {
		if !st.Action.Present {
			return false
		}
		hit := slices.ContainsFunc(st.Action.List, func(pat string) bool { return policy.MatchAction(pat, action) })
		return hit != st.Action.Not
	}
	for _, ref := range a.snap.IdentityPolicies(p) {
		for _, st := range ref.Doc.Statements {
			if covers(st) {
				out = append(out, Source{Policy: ref, Statement: st})
			}
		}
	}
	if b := p.Boundary; b != nil && b.Policy != nil && b.Policy.Default != nil {
		ref := snapshot.PolicyRef{Kind: snapshot.PolicyManaged, Doc: b.Policy.Default, Name: b.Policy.Name, ARN: b.Policy.ARN, Managed: b.Policy}
		for _, st := range ref.Doc.Statements {
			if covers(st) {
				out = append(out, Source{Policy: ref, Statement: st, Boundary: true})
			}
		}
	}
	return out
}

// RequestFor builds the request and policy set to evaluate one call by a
// principal with policy.Evaluate: its identity policies, boundary and the
// snapshot's SCPs (none for a service-linked role) and RCPs, the trust
// policy of the role an sts: action targets when the snapshot has that
// role (with RoleTrust set), and the principal's own context keys
// (aws:username, aws:userid, aws:PrincipalArn, aws:PrincipalAccount,
// aws:PrincipalType, aws:PrincipalTag/*) added to ctx unless set there.
func RequestFor(s *snapshot.Snapshot, p *snapshot.Principal, action, resource string, ctx *policy.Context) (*policy.Request, *policy.PolicySet) {
	if ctx == nil {
		ctx = policy.NewContext(false)
	}
	given := map[string]bool{}
	for _, k := range ctx.Keys() {
		given[k] = true
	}
	set := func(k string, v ...string) {
		if !given[strings.ToLower(k)] {
			ctx.Set(k, v...)
		}
	}
	account := s.AccountID
	if parts := strings.SplitN(p.ARN, ":", 6); len(parts) == 6 && parts[4] != "" {
		account = parts[4]
	}
	set("aws:PrincipalArn", p.ARN)
	set("aws:PrincipalAccount", account)
	if p.Kind == snapshot.KindUser {
		set("aws:username", p.Name)
		set("aws:PrincipalType", "User")
		if p.ID != "" {
			set("aws:userid", p.ID)
		}
	} else {
		set("aws:PrincipalType", "AssumedRole")
		// Role sessions carry no aws:username.
		if !given["aws:username"] {
			ctx.SetAbsent("aws:username")
		}
	}
	for _, t := range p.Tags {
		set("aws:PrincipalTag/"+t.Key, t.Value)
	}
	ps := &policy.PolicySet{}
	seen := map[*policy.Document]bool{}
	for _, ref := range s.IdentityPolicies(p) {
		// A managed policy attached to the principal and to one of its
		// groups is one grant, not two.
		if seen[ref.Doc] {
			continue
		}
		seen[ref.Doc] = true
		ps.Identity = append(ps.Identity, policy.NamedPolicy{Name: policyName(ref), Doc: ref.Doc})
	}
	// Attachments the input could not resolve take part as unknown
	// documents, so the answer says it cannot be sure.
	missing := func(list []*snapshot.Attachment) {
		for _, a := range list {
			if a.Policy == nil || a.Policy.Default == nil {
				ps.Identity = append(ps.Identity, policy.NamedPolicy{Name: a.PolicyARN})
			}
		}
	}
	missing(p.Attached)
	if u := s.User(p.Name); p.Kind == snapshot.KindUser && u != nil {
		for _, g := range u.Groups {
			missing(g.Attached)
		}
	}
	if b := p.Boundary; b != nil {
		np := policy.NamedPolicy{Name: b.PolicyARN}
		if b.Policy != nil && b.Policy.Default != nil {
			np = policy.NamedPolicy{Name: b.Policy.ARN, Doc: b.Policy.Default}
		}
		ps.Boundary = []policy.NamedPolicy{np}
	}
	for _, op := range s.OrgPolicies {
		np := policy.NamedPolicy{Name: op.ARN, Doc: op.Doc}
		if np.Name == "" {
			np.Name = op.Name
		}
		switch op.Type {
		case "SERVICE_CONTROL_POLICY":
			ps.SCPs = append(ps.SCPs, np)
		case "RESOURCE_CONTROL_POLICY":
			ps.RCPs = append(ps.RCPs, np)
		}
	}
	// "Service control policies": SCPs do not affect service-linked
	// roles.
	if r := s.Role(p.Name); p.Kind == snapshot.KindRole && r != nil && (r.ServiceLinked || strings.HasPrefix(r.Path, "/aws-service-role/")) {
		ps.SCPs = nil
	}
	// The resource's own resource-based policy, when the snapshot has
	// it: a role's trust policy for the sts: actions on the role
	// (sts:AssumeRole*, sts:TagSession, sts:SetSourceIdentity...).
	if role := roleByARN(s, resource); role != nil && strings.HasPrefix(strings.ToLower(action), "sts:") {
		ps.Resource = append(ps.Resource, policy.NamedPolicy{Name: role.ARN + " (trust policy)", Doc: role.Trust})
		ps.RoleTrust = true
	}
	// Resource control policies apply only to the services that support
	// them; for the others they neither allow nor deny.
	if svc, _, ok := strings.Cut(action, ":"); ok {
		if known := policy.DefaultCatalog().Service(svc); known != nil && !known.RCP {
			ps.RCPs = nil
		}
	}
	if resource == "" {
		resource = "*"
	}
	return &policy.Request{PrincipalARN: p.ARN, PrincipalAccount: account, Action: action, Resource: resource, Context: ctx}, ps
}

// roleByARN finds the role of the snapshot an ARN names: the same ARN,
// or (the path being optional in a request) the same account and name.
func roleByARN(s *snapshot.Snapshot, arn string) *snapshot.Role {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 || parts[2] != "iam" || !strings.HasPrefix(parts[5], "role/") {
		return nil
	}
	name := parts[5][strings.LastIndexByte(parts[5], '/')+1:]
	r := s.Role(name)
	if r == nil {
		return nil
	}
	if r.ARN == arn {
		return r
	}
	if rp := strings.SplitN(r.ARN, ":", 6); len(rp) == 6 && rp[4] == parts[4] && parts[5] == "role/"+name {
		return r
	}
	return nil
}

func policyName(ref snapshot.PolicyRef) string {
	switch ref.Kind {
	case snapshot.PolicyManaged:
		return ref.ARN
	case snapshot.PolicyInline:
		return "inline:" + ref.Name + " of " + ref.OwnerARN
	}
	return ref.Name
}
