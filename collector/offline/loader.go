package offline

import (
	"fmt"
	"sort"
	"strings"

	"github.com/iamscan/iamscan/jsonpos"
	"github.com/iamscan/iamscan/policy"
	"github.com/iamscan/iamscan/snapshot"
)

// loader accumulates the files of one Load into a snapshot.
type loader struct {
	opt  Options
	snap *snapshot.Snapshot

	// First occurrence of each entity by ARN, so that overlapping pages
	// or files do not duplicate principals.
	users    map[string]*snapshot.User
	groups   map[string]*snapshot.Group
	roles    map[string]*snapshot.Role
	policies map[string]*snapshot.ManagedPolicy

	// Where each user named each of its groups, to report unknown names.
	groupRefs map[*snapshot.User][]policy.Location
	// Where each attachment was written, to report unresolved policies.
	attachLocs map[*snapshot.Attachment]policy.Location

	// Account ids seen in ARNs, with the first place each was seen.
	accounts  map[string]policy.Location
	partition string
	// collectedAtSet is true once an input stated its collection time
	// (the raw document), which beats the credential report's.
	collectedAtSet bool
	// missing are data kinds a collection error said were not collected.
	missing map[snapshot.Data]bool
	// authzPages counts authorization-details pages read, authzTruncated
	// those saying more follow (truncatedAt is where the last one said
	// so): when every page says so, the last page is missing.
	authzPages, authzTruncated int
	truncatedAt                policy.Location
	// passwordPolicyAt is where the password policy (or its absence)
	// was read, to report a second one.
	passwordPolicyAt policy.Location
	// skipped are the files found in input directories and not read;
	// finish lists them after the inputs.
	skipped []snapshot.Input
}

func newLoader(opt Options) *loader {
	return &loader{
		opt:        opt,
		snap:       &snapshot.Snapshot{Present: map[snapshot.Data]bool{}},
		users:      map[string]*snapshot.User{},
		groups:     map[string]*snapshot.Group{},
		roles:      map[string]*snapshot.Role{},
		policies:   map[string]*snapshot.ManagedPolicy{},
		groupRefs:  map[*snapshot.User][]policy.Location{},
		attachLocs: map[*snapshot.Attachment]policy.Location{},
		accounts:   map[string]policy.Location{},
		missing:    map[snapshot.Data]bool{},
	}
}

func (l *loader) problem(loc policy.Location, format string, args ...any) {
	l.snap.Problems = append(l.snap.Problems, policy.Problem{Loc: loc, Message: fmt.Sprintf(format, args...)})
}

// noteARN records the account and partition of an ARN.
func (l *loader) noteARN(arn string, loc policy.Location) {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) < 6 || parts[0] != "arn" {
		return
	}
	if l.partition == "" && parts[1] != "" {
		l.partition = parts[1]
	}
	acct := parts[4]
	if len(acct) != 12 {
		return // "aws" in AWS managed policy ARNs, or a malformed id
	}
	if _, ok := l.accounts[acct]; !ok {
		l.accounts[acct] = loc
	}
}

// finish links what the files referenced across each other, settles the
// account id and indexes the snapshot.
func (l *loader) finish() *snapshot.Snapshot {
	s := l.snap
	if l.authzPages > 0 && l.authzTruncated == l.authzPages {
		l.problem(l.truncatedAt, "get-account-authorization-details output is truncated and its last page is not among the inputs; users, groups, roles and policies on later pages are missing (run the CLI without --max-items, or give every page)")
	}
	l.resolveGroups()
	l.resolveAttachments()
	for d := range l.missing {
		delete(s.Present, d)
	}
	l.account()
	s.Inputs = append(s.Inputs, l.skipped...)
	s.Reindex()
	return s
}

func (l *loader) resolveGroups() {
	byName := make(map[string]*snapshot.Group, len(l.snap.Groups))
	for _, g := range l.snap.Groups {
		byName[g.Name] = g
	}
	for _, u := range l.snap.Users {
		for i, name := range u.GroupNames {
			g := byName[name]
			if g == nil {
				loc := u.Loc
				if refs := l.groupRefs[u]; i < len(refs) {
					loc = refs[i]
				}
				if l.snap.Present[snapshot.DataAuthorizationDetails] && len(l.snap.Groups) > 0 {
					l.problem(loc, "user %s is in group %q, which is not in the input; that group's policies are not evaluated", u.Name, name)
				} else {
					l.problem(loc, "user %s is in group %q, which is not in the input (no groups were given); that group's policies are not evaluated", u.Name, name)
				}
				continue
			}
			u.Groups = append(u.Groups, g)
			g.Members = append(g.Members, u)
		}
	}
}

// resolveAttachments points every attachment at its managed policy,
// asking Options.ResolveManaged for AWS managed policies the input lacks.
func (l *loader) resolveAttachments() {
	s := l.snap
	unresolved := map[string]bool{}
	resolve := func(a *snapshot.Attachment) {
		if a == nil {
			return
		}
		if p := l.policies[a.PolicyARN]; p != nil {
			a.Policy = p
			return
		}
		if unresolved[a.PolicyARN] {
			return
		}
		if isAWSManaged(a.PolicyARN) && l.opt.ResolveManaged != nil {
			if p, ok := l.opt.ResolveManaged(a.PolicyARN); ok && p != nil {
				if !p.Embedded {
					// The resolver may share one policy between loads
					// running concurrently: mark a copy, never write it.
					cp := *p
					cp.Embedded = true
					p = &cp
				}
				l.policies[a.PolicyARN] = p
				s.Policies = append(s.Policies, p)
				a.Policy = p
				return
			}
		}
		unresolved[a.PolicyARN] = true
		loc := l.attachLocs[a]
		if isAWSManaged(a.PolicyARN) {
			l.problem(loc, "AWS managed policy %s is not in the input; its permissions are not evaluated", a.PolicyARN)
		} else {
			l.problem(loc, "managed policy %s is not in the input; its permissions are not evaluated", a.PolicyARN)
		}
	}
	each := func(attached []*snapshot.Attachment, boundary *snapshot.Attachment) {
		for _, a := range attached {
			resolve(a)
		}
		resolve(boundary)
	}
	for _, u := range s.Users {
		each(u.Attached, u.Boundary)
	}
	for _, g := range s.Groups {
		each(g.Attached, nil)
	}
	for _, r := range s.Roles {
		each(r.Attached, r.Boundary)
	}
}

func isAWSManaged(arn string) bool {
	// arn:PARTITION:iam::aws:policy/...
	_, rest, ok := strings.Cut(arn, ":iam::aws:policy/")
	return ok && rest != ""
}

// account settles the snapshot's account id and partition.
func (l *loader) account() {
	s := l.snap
	if l.opt.AccountID != "" {
		s.AccountID = l.opt.AccountID
	}
	ids := make([]string, 0, len(l.accounts))
	for id := range l.accounts {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	if s.AccountID == "" && len(ids) > 0 {
		s.AccountID = ids[0]
	}
	for _, id := range ids {
		if id != s.AccountID {
			// A cross-account reference is normal in a policy, but the
			// ARNs we note are the account's own entities: a second id
			// means inputs from several accounts were mixed.
			l.problem(l.accounts[id], "input from account %s mixed with account %s; iamscan scans one account at a time", id, s.AccountID)
		}
	}
	if s.Partition == "" {
		s.Partition = l.partition
	}
	if s.Partition == "" {
		s.Partition = "aws"
	}
}

// reader reads one file.
type reader struct {
	l   *loader
	src *policy.Source
}

func (r *reader) at(v *jsonpos.Value) policy.Location { return r.src.At(v) }

func (r *reader) problem(v *jsonpos.Value, format string, args ...any) {
	r.l.problem(r.at(v), format, args...)
}

func (r *reader) unknown(m *jsonpos.Member, where string) {
	r.l.problem(r.src.Span(m.KeyOff, m.Value.End), "unknown key %q in %s; it is not read", m.Key, where)
}

// doc reads a policy document (object or URL-encoded string) and moves
// its Problems into the snapshot so they are reported once, with the
// owner named.
func (r *reader) doc(v *jsonpos.Value, owner string) *policy.Document {
	if v.Kind == jsonpos.Null {
		r.problem(v, "%s: policy document is null", owner)
		return nil
	}
	d := policy.FromValue(r.src, v)
	for _, p := range d.Problems {
		p.Message = owner + ": " + p.Message
		r.l.snap.Problems = append(r.l.snap.Problems, p)
	}
	return d
}

func (r *reader) str(v *jsonpos.Value, what string) string {
	switch v.Kind {
	case jsonpos.String:
		return v.Str
	case jsonpos.Null:
		return ""
	}
	r.problem(v, "%s must be a string, found %s", what, v.Kind)
	return ""
}

func (r *reader) boolean(v *jsonpos.Value, what string) (bool, bool) {
	switch v.Kind {
	case jsonpos.Bool:
		return v.Bool, true
	case jsonpos.Null:
		return false, false
	}
	r.problem(v, "%s must be true or false, found %s", what, v.Kind)
	return false, false
}

func (r *reader) integer(v *jsonpos.Value, what string) (int64, bool) {
	switch v.Kind {
	case jsonpos.Number:
		n, ok := parseInt(v.Str)
		if ok {
			return n, true
		}
		r.problem(v, "%s must be a whole number, found %s", what, v.Str)
		return 0, false
	case jsonpos.Null:
		return 0, false
	}
	r.problem(v, "%s must be a number, found %s", what, v.Kind)
	return 0, false
}

func parseInt(s string) (int64, bool) {
	if s == "" || len(s) > 18 {
		return 0, false
	}
	neg := s[0] == '-'
	if neg {
		s = s[1:]
		if s == "" {
			return 0, false
		}
	}
	var n int64
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	if neg {
		n = -n
	}
	return n, true
}

// list returns the elements of an array. An object where a list belongs
// (seen in AWS documentation samples) is reported and read as a list of
// one; null is an empty list. Anything else is reported and read as
// nothing; when the list is a whole section of an input (sectionData),
// that section's data is unreadable, not present and empty.
func (r *reader) list(v *jsonpos.Value, what string) []jsonpos.Value {
	switch v.Kind {
	case jsonpos.Array:
		return v.Elems
	case jsonpos.Null:
		return nil
	case jsonpos.Object:
		r.problem(v, "%s must be a list, found an object; read as a list of one", what)
		return []jsonpos.Value{*v}
	}
	if d, ok := sectionData[what]; ok {
		r.problem(v, "%s must be a list, found %s; it is not read, and rules that need %s are not evaluable", what, v.Kind, d)
		r.l.unreadable(d, r.at(v))
		return nil
	}
	r.problem(v, "%s must be a list, found %s", what, v.Kind)
	return nil
}

// sectionData names the data each list that is a whole section of an
// input carries: get-account-authorization-details' detail lists and the
// raw document's lists. A section that cannot be read leaves its data
// partial.
var sectionData = map[string]snapshot.Data{
	"UserDetailList":         snapshot.DataAuthorizationDetails,
	"GroupDetailList":        snapshot.DataAuthorizationDetails,
	"RoleDetailList":         snapshot.DataAuthorizationDetails,
	"Policies":               snapshot.DataAuthorizationDetails,
	"VirtualMFADevices":      snapshot.DataMFADevices,
	"OpenIDConnectProviders": snapshot.DataIdentityProviders,
	"SAMLProviders":          snapshot.DataIdentityProviders,
	"ServerCertificates":     snapshot.DataServerCertificates,
	"OrganizationPolicies":   snapshot.DataOrganizationPolicies,
}

// unreadable records that data an input carried could not be read (the
// first place is kept); rules that need it become not evaluable.
func (l *loader) unreadable(d snapshot.Data, at policy.Location) {
	if l.snap.Unreadable == nil {
		l.snap.Unreadable = map[snapshot.Data]policy.Location{}
	}
	if _, seen := l.snap.Unreadable[d]; !seen {
		l.snap.Unreadable[d] = at
	}
}

// object reports whether v is an object, reporting it when not.
func (r *reader) object(v *jsonpos.Value, what string) bool {
	if v.Kind == jsonpos.Object {
		return true
	}
	r.problem(v, "%s must be an object, found %s", what, v.Kind)
	return false
}

func (r *reader) strings(v *jsonpos.Value, what string) []string {
	elems := r.list(v, what)
	out := make([]string, 0, len(elems))
	for i := range elems {
		if elems[i].Kind != jsonpos.String {
			r.problem(&elems[i], "%s entries must be strings, found %s", what, elems[i].Kind)
			continue
		}
		out = append(out, elems[i].Str)
	}
	return out
}
