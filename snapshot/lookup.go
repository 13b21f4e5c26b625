package snapshot

import (
	"strings"

	"github.com/iamscan/iamscan/policy"
)

// PolicyKind says where a document sits.
type PolicyKind uint8

const (
	PolicyManaged    PolicyKind = iota + 1 // a managed policy's default version
	PolicyInline                           // inline in a user, group or role
	PolicyTrust                            // a role's trust policy
	PolicyStandalone                       // a bare document from a file
	PolicyOrg                              // an SCP or RCP
)

func (k PolicyKind) String() string {
	switch k {
	case PolicyManaged:
		return "managed"
	case PolicyInline:
		return "inline"
	case PolicyTrust:
		return "trust"
	case PolicyStandalone:
		return "standalone"
	case PolicyOrg:
		return "organization"
	}
	return "unknown"
}

// PolicyRef is one document with what owns it.
type PolicyRef struct {
	Kind PolicyKind
	Doc  *policy.Document
	// Name is the policy name (inline name, managed name, file name).
	Name string
	// ARN identifies the finding's resource: the managed policy ARN, or
	// for inline and trust policies the owning principal's or group's ARN.
	ARN string
	// Managed is set for PolicyManaged.
	Managed *ManagedPolicy
	// Owner is the principal or group owning an inline or trust policy.
	OwnerARN string
}

// AllPolicies returns every document in the snapshot exactly once:
// managed policies (default version), inline policies, trust policies,
// standalone documents and organization policies. AWS managed policies
// that no principal uses and that came from the embedded set are left
// out: they are not part of the account's state.
func (s *Snapshot) AllPolicies() []PolicyRef {
	var out []PolicyRef
	for _, p := range s.Policies {
		if p.Default == nil || (p.Embedded && !s.attached(p)) {
			continue
		}
		out = append(out, PolicyRef{Kind: PolicyManaged, Doc: p.Default, Name: p.Name, ARN: p.ARN, Managed: p})
	}
	inline := func(owner string, list []*InlinePolicy) {
		for _, ip := range list {
			if ip.Doc != nil {
				out = append(out, PolicyRef{Kind: PolicyInline, Doc: ip.Doc, Name: ip.Name, ARN: owner, OwnerARN: owner})
			}
		}
	}
	for _, u := range s.Users {
		inline(u.ARN, u.Inline)
	}
	for _, g := range s.Groups {
		inline(g.ARN, g.Inline)
	}
	for _, r := range s.Roles {
		inline(r.ARN, r.Inline)
		if r.Trust != nil {
			out = append(out, PolicyRef{Kind: PolicyTrust, Doc: r.Trust, Name: "AssumeRolePolicyDocument", ARN: r.ARN, OwnerARN: r.ARN})
		}
	}
	for _, sp := range s.Standalone {
		out = append(out, PolicyRef{Kind: PolicyStandalone, Doc: sp.Doc, Name: sp.Name, ARN: sp.Name})
	}
	for _, op := range s.OrgPolicies {
		out = append(out, PolicyRef{Kind: PolicyOrg, Doc: op.Doc, Name: op.Name, ARN: op.ARN})
	}
	return out
}

func (s *Snapshot) attached(p *ManagedPolicy) bool {
	return len(s.idx().attachedTo[p.ARN]) > 0
}

// IdentityPolicies returns the identity-based policies that apply to a
// principal: its inline and attached policies and, for a user, those of
// its groups. Attachments whose policy is unknown are skipped here; they
// are reported as snapshot Problems by the loader.
func (s *Snapshot) IdentityPolicies(p *Principal) []PolicyRef {
	// Sized once: the effective-permissions engine and the statement
	// rules ask for every principal's list, and growing it from nil
	// was most of the cost.
	var u *User
	n := len(p.Inline) + len(p.Attached)
	if p.Kind == KindUser {
		if u = s.User(p.Name); u != nil {
			for _, g := range u.Groups {
				n += len(g.Inline) + len(g.Attached)
			}
		}
	}
	if n == 0 {
		return nil
	}
	out := make([]PolicyRef, 0, n)
	add := func(owner string, inline []*InlinePolicy, attached []*Attachment) {
		for _, ip := range inline {
			if ip.Doc != nil {
				out = append(out, PolicyRef{Kind: PolicyInline, Doc: ip.Doc, Name: ip.Name, ARN: owner, OwnerARN: owner})
			}
		}
		for _, a := range attached {
			if a.Policy != nil && a.Policy.Default != nil {
				out = append(out, PolicyRef{Kind: PolicyManaged, Doc: a.Policy.Default, Name: a.Policy.Name, ARN: a.Policy.ARN, Managed: a.Policy})
			}
		}
	}
	add(p.ARN, p.Inline, p.Attached)
	if u != nil {
		for _, g := range u.Groups {
			add(g.ARN, g.Inline, g.Attached)
		}
	}
	return out
}

// Principals returns every user and role.
func (s *Snapshot) Principals() []*Principal {
	out := make([]*Principal, 0, len(s.Users)+len(s.Roles))
	for _, u := range s.Users {
		out = append(out, &u.Principal)
	}
	for _, r := range s.Roles {
		out = append(out, &r.Principal)
	}
	return out
}

// User returns the user with the given name, or nil.
func (s *Snapshot) User(name string) *User { return s.idx().users[name] }

// Role returns the role with the given name, or nil.
func (s *Snapshot) Role(name string) *Role { return s.idx().roles[name] }

// Group returns the group with the given name, or nil.
func (s *Snapshot) Group(name string) *Group { return s.idx().groups[name] }

// Policy returns the managed policy with the given ARN, or nil.
func (s *Snapshot) Policy(arn string) *ManagedPolicy { return s.idx().policies[arn] }

// AttachedTo returns the ARNs of the users, groups and roles a managed
// policy is attached to (as a policy, not as a boundary).
func (s *Snapshot) AttachedTo(policyARN string) []string { return s.idx().attachedTo[policyARN] }

// FindPrincipal resolves "user/NAME", "role/NAME", a bare name or an ARN.
func (s *Snapshot) FindPrincipal(ref string) *Principal {
	if strings.HasPrefix(ref, "arn:") {
		for _, p := range s.Principals() {
			if p.ARN == ref {
				return p
			}
		}
		if i := strings.LastIndex(ref, "/"); i >= 0 {
			kind := ""
			if parts := strings.SplitN(ref, ":", 6); len(parts) == 6 {
				kind, _, _ = strings.Cut(parts[5], "/")
			}
			ref = kind + "/" + ref[i+1:]
		}
	}
	kind, name, found := strings.Cut(ref, "/")
	if !found {
		kind, name = "", ref
	}
	if kind == "" || kind == "user" {
		if u := s.User(name); u != nil {
			return &u.Principal
		}
	}
	if kind == "" || kind == "role" {
		if r := s.Role(name); r != nil {
			return &r.Principal
		}
	}
	return nil
}

// Reindex rebuilds the lookup tables. Loaders call it once when they
// finish, so that rules running concurrently only read.
func (s *Snapshot) Reindex() {
	s.index = nil
	s.idx()
}

type index struct {
	users      map[string]*User
	roles      map[string]*Role
	groups     map[string]*Group
	policies   map[string]*ManagedPolicy
	attachedTo map[string][]string
}

func (s *Snapshot) idx() *index {
	if s.index != nil {
		return s.index
	}
	ix := &index{
		users:      make(map[string]*User, len(s.Users)),
		roles:      make(map[string]*Role, len(s.Roles)),
		groups:     make(map[string]*Group, len(s.Groups)),
		policies:   make(map[string]*ManagedPolicy, len(s.Policies)),
		attachedTo: make(map[string][]string),
	}
	for _, u := range s.Users {
		ix.users[u.Name] = u
		for _, a := range u.Attached {
			ix.attachedTo[a.PolicyARN] = append(ix.attachedTo[a.PolicyARN], u.ARN)
		}
	}
	for _, g := range s.Groups {
		ix.groups[g.Name] = g
		for _, a := range g.Attached {
			ix.attachedTo[a.PolicyARN] = append(ix.attachedTo[a.PolicyARN], g.ARN)
		}
	}
	for _, r := range s.Roles {
		ix.roles[r.Name] = r
		for _, a := range r.Attached {
			ix.attachedTo[a.PolicyARN] = append(ix.attachedTo[a.PolicyARN], r.ARN)
		}
	}
	for _, p := range s.Policies {
		ix.policies[p.ARN] = p
	}
	s.index = ix
	return ix
}
