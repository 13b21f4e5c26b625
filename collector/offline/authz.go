package offline

import (
	"strings"

	"github.com/iamscan/iamscan/jsonpos"
	"github.com/iamscan/iamscan/policy"
	"github.com/iamscan/iamscan/snapshot"
)

// authorizationDetails reads one GetAccountAuthorizationDetails response
// (or the CLI's merged output).
func (r *reader) authorizationDetails(v *jsonpos.Value) {
	r.l.snap.Present[snapshot.DataAuthorizationDetails] = true
	if !r.object(v, "get-account-authorization-details output") {
		r.l.unreadable(snapshot.DataAuthorizationDetails, r.at(v))
		return
	}
	r.l.authzPages++
	for i := range v.Members {
		m := &v.Members[i]
		switch m.Key {
		case "UserDetailList":
			for _, e := range r.list(&m.Value, m.Key) {
				r.user(&e)
			}
		case "GroupDetailList":
			for _, e := range r.list(&m.Value, m.Key) {
				r.group(&e)
			}
		case "RoleDetailList":
			for _, e := range r.list(&m.Value, m.Key) {
				r.role(&e)
			}
		case "Policies":
			for _, e := range r.list(&m.Value, m.Key) {
				r.managedPolicy(&e)
			}
		case "Marker":
			// Pagination fields of one page: the data of every page is
			// read, and pages may come as several files or a list.
		case "IsTruncated", "NextToken":
			// NextToken is what the CLI writes when --max-items cut the
			// output short; IsTruncated true is an API page with more
			// after it. finish checks that some page was the last.
			if m.Value.Kind == jsonpos.String || (m.Value.Kind == jsonpos.Bool && m.Value.Bool) {
				r.l.authzTruncated++
				r.l.truncatedAt = r.src.At(&m.Value)
			}
		default:
			r.unknown(m, "get-account-authorization-details output")
		}
	}
}

// principalField reads a field users and roles share; false when the key
// is not one of them.
func (r *reader) principalField(p *snapshot.Principal, m *jsonpos.Member, what string) bool {
	v := &m.Value
	switch m.Key {
	case "Path":
		p.Path = r.str(v, what+" Path")
	case "Arn":
		p.ARN = r.str(v, what+" Arn")
	case "CreateDate":
		p.CreateDate = r.time(v, what+" CreateDate")
	case "Tags":
		p.Tags = r.tags(v, what)
	case "AttachedManagedPolicies":
		p.Attached = r.attachments(v, what)
	case "PermissionsBoundary":
		p.Boundary = r.boundary(v, what)
	default:
		return false
	}
	return true
}

func (r *reader) user(v *jsonpos.Value) {
	if !r.object(v, "a UserDetailList entry") {
		return
	}
	u := &snapshot.User{Principal: snapshot.Principal{Kind: snapshot.KindUser, Loc: r.at(v)}}
	var inline *jsonpos.Value
	var groupRefs []policy.Location
	for i := range v.Members {
		m := &v.Members[i]
		switch m.Key {
		case "UserName":
			u.Name = r.str(&m.Value, "UserName")
		case "UserId":
			u.ID = r.str(&m.Value, "UserId")
		case "GroupList":
			for _, e := range r.list(&m.Value, "GroupList") {
				if e.Kind != jsonpos.String {
					r.problem(&e, "GroupList entries must be group names, found %s", e.Kind)
					continue
				}
				u.GroupNames = append(u.GroupNames, e.Str)
				groupRefs = append(groupRefs, r.at(&e))
			}
		case "UserPolicyList":
			inline = &m.Value
		default:
			if !r.principalField(&u.Principal, m, "user") {
				r.unknown(m, "a UserDetailList entry")
			}
		}
	}
	if !r.identify(&u.Principal, v, "user") {
		return
	}
	if inline != nil {
		u.Inline = r.inlinePolicies(inline, "UserPolicyList", "user "+u.Name)
	}
	if prev := r.l.users[u.ARN]; prev != nil {
		r.problem(v, "user %s appears twice (first at %s); the first is kept", u.ARN, prev.Loc)
		return
	}
	r.l.users[u.ARN] = u
	r.l.groupRefs[u] = groupRefs
	r.l.snap.Users = append(r.l.snap.Users, u)
}

// identify checks that an entity has an ARN and a name, deriving the name
// from the ARN when a tool left it out. False means the entity cannot be
// used at all (reported).
func (r *reader) identify(p *snapshot.Principal, v *jsonpos.Value, what string) bool {
	if p.ARN == "" {
		r.problem(v, "%s entry has no Arn; it is not read", what)
		return false
	}
	if p.Name == "" {
		p.Name = nameFromARN(p.ARN)
	}
	r.l.noteARN(p.ARN, p.Loc)
	return true
}

// nameFromARN returns the last path element of an ARN's resource.
func nameFromARN(arn string) string {
	if i := strings.LastIndexByte(arn, '/'); i >= 0 {
		return arn[i+1:]
	}
	if i := strings.LastIndexByte(arn, ':'); i >= 0 {
		return arn[i+1:]
	}
	return arn
}

func (r *reader) group(v *jsonpos.Value) {
	if !r.object(v, "a GroupDetailList entry") {
		return
	}
	g := &snapshot.Group{Loc: r.at(v)}
	var inline *jsonpos.Value
	for i := range v.Members {
		m := &v.Members[i]
		switch m.Key {
		case "GroupName":
			g.Name = r.str(&m.Value, "GroupName")
		case "GroupId":
			g.ID = r.str(&m.Value, "GroupId")
		case "Arn":
			g.ARN = r.str(&m.Value, "group Arn")
		case "Path":
			g.Path = r.str(&m.Value, "group Path")
		case "CreateDate":
			g.CreateDate = r.time(&m.Value, "group CreateDate")
		case "AttachedManagedPolicies":
			g.Attached = r.attachments(&m.Value, "group")
		case "GroupPolicyList":
			inline = &m.Value
		default:
			r.unknown(m, "a GroupDetailList entry")
		}
	}
	if g.ARN == "" {
		r.problem(v, "group entry has no Arn; it is not read")
		return
	}
	if g.Name == "" {
		g.Name = nameFromARN(g.ARN)
	}
	r.l.noteARN(g.ARN, g.Loc)
	if inline != nil {
		g.Inline = r.inlinePolicies(inline, "GroupPolicyList", "group "+g.Name)
	}
	if prev := r.l.groups[g.ARN]; prev != nil {
		r.problem(v, "group %s appears twice (first at %s); the first is kept", g.ARN, prev.Loc)
		return
	}
	r.l.groups[g.ARN] = g
	r.l.snap.Groups = append(r.l.snap.Groups, g)
}

func (r *reader) role(v *jsonpos.Value) {
	if !r.object(v, "a RoleDetailList entry") {
		return
	}
	ro := &snapshot.Role{Principal: snapshot.Principal{Kind: snapshot.KindRole, Loc: r.at(v)}}
	var inline, trust *jsonpos.Value
	for i := range v.Members {
		m := &v.Members[i]
		switch m.Key {
		case "RoleName":
			ro.Name = r.str(&m.Value, "RoleName")
		case "RoleId":
			ro.ID = r.str(&m.Value, "RoleId")
		case "AssumeRolePolicyDocument":
			trust = &m.Value
		case "RolePolicyList":
			inline = &m.Value
		case "RoleLastUsed":
			r.roleLastUsed(ro, &m.Value)
		case "InstanceProfileList":
			for _, ip := range r.list(&m.Value, "InstanceProfileList") {
				if !r.object(&ip, "an InstanceProfileList entry") {
					continue
				}
				if arn := ip.Get("Arn"); arn != nil && arn.Kind == jsonpos.String {
					ro.InstanceProfiles = append(ro.InstanceProfiles, arn.Str)
				} else {
					r.problem(&ip, "instance profile has no Arn")
				}
			}
		case "MaxSessionDuration":
			n, _ := r.integer(&m.Value, "MaxSessionDuration")
			ro.MaxSessionDuration = int(n)
		case "Description":
			// Free text; nothing to evaluate.
		default:
			if !r.principalField(&ro.Principal, m, "role") {
				r.unknown(m, "a RoleDetailList entry")
			}
		}
	}
	if !r.identify(&ro.Principal, v, "role") {
		return
	}
	ro.ServiceLinked = strings.HasPrefix(ro.Path, "/aws-service-role/")
	if trust != nil {
		ro.Trust = r.doc(trust, "trust policy of role "+ro.Name)
	} else {
		r.problem(v, "role %s has no AssumeRolePolicyDocument; its trust is not evaluated", ro.Name)
	}
	if inline != nil {
		ro.Inline = r.inlinePolicies(inline, "RolePolicyList", "role "+ro.Name)
	}
	if prev := r.l.roles[ro.ARN]; prev != nil {
		r.problem(v, "role %s appears twice (first at %s); the first is kept", ro.ARN, prev.Loc)
		return
	}
	r.l.roles[ro.ARN] = ro
	r.l.snap.Roles = append(r.l.snap.Roles, ro)
}

func (r *reader) roleLastUsed(ro *snapshot.Role, v *jsonpos.Value) {
	if v.Kind == jsonpos.Null {
		return
	}
	if !r.object(v, "RoleLastUsed") {
		return
	}
	// Present but empty ({}) means "never used" in the API's terms.
	ro.LastUsedKnown = true
	for i := range v.Members {
		m := &v.Members[i]
		switch m.Key {
		case "LastUsedDate":
			ro.LastUsed = r.time(&m.Value, "RoleLastUsed.LastUsedDate")
		case "Region":
			ro.LastUsedRegion = r.str(&m.Value, "RoleLastUsed.Region")
		default:
			r.unknown(m, "RoleLastUsed")
		}
	}
}

func (r *reader) tags(v *jsonpos.Value, what string) []snapshot.Tag {
	elems := r.list(v, what+" Tags")
	if len(elems) == 0 {
		return nil
	}
	out := make([]snapshot.Tag, 0, len(elems))
	for i := range elems {
		e := &elems[i]
		if !r.object(e, "a tag") {
			continue
		}
		var t snapshot.Tag
		for j := range e.Members {
			m := &e.Members[j]
			switch m.Key {
			case "Key":
				t.Key = r.str(&m.Value, "tag Key")
			case "Value":
				t.Value = r.str(&m.Value, "tag Value")
			default:
				r.unknown(m, "a tag")
			}
		}
		out = append(out, t)
	}
	return out
}

func (r *reader) attachments(v *jsonpos.Value, what string) []*snapshot.Attachment {
	elems := r.list(v, what+" AttachedManagedPolicies")
	if len(elems) == 0 {
		return nil
	}
	out := make([]*snapshot.Attachment, 0, len(elems))
	for i := range elems {
		e := &elems[i]
		if !r.object(e, "an AttachedManagedPolicies entry") {
			continue
		}
		a := &snapshot.Attachment{}
		for j := range e.Members {
			m := &e.Members[j]
			switch m.Key {
			case "PolicyArn":
				a.PolicyARN = r.str(&m.Value, "PolicyArn")
			case "PolicyName":
				a.PolicyName = r.str(&m.Value, "PolicyName")
			default:
				r.unknown(m, "an AttachedManagedPolicies entry")
			}
		}
		if a.PolicyARN == "" {
			r.problem(e, "attached policy has no PolicyArn; it is not evaluated")
			continue
		}
		if a.PolicyName == "" {
			a.PolicyName = nameFromARN(a.PolicyARN)
		}
		a.Loc = r.at(e)
		r.l.attachLocs[a] = a.Loc
		out = append(out, a)
	}
	return out
}

func (r *reader) boundary(v *jsonpos.Value, what string) *snapshot.Attachment {
	if v.Kind == jsonpos.Null || !r.object(v, what+" PermissionsBoundary") {
		return nil
	}
	a := &snapshot.Attachment{}
	for i := range v.Members {
		m := &v.Members[i]
		switch m.Key {
		case "PermissionsBoundaryArn":
			a.PolicyARN = r.str(&m.Value, "PermissionsBoundaryArn")
		case "PermissionsBoundaryType":
			if t := r.str(&m.Value, "PermissionsBoundaryType"); t != "" && t != "Policy" {
				r.problem(&m.Value, "unknown PermissionsBoundaryType %q", t)
			}
		default:
			r.unknown(m, "PermissionsBoundary")
		}
	}
	if a.PolicyARN == "" {
		r.problem(v, "permissions boundary has no PermissionsBoundaryArn; it is not evaluated")
		return nil
	}
	a.PolicyName = nameFromARN(a.PolicyARN)
	a.Loc = r.at(v)
	r.l.attachLocs[a] = a.Loc
	return a
}

func (r *reader) inlinePolicies(v *jsonpos.Value, what, owner string) []*snapshot.InlinePolicy {
	elems := r.list(v, what)
	if len(elems) == 0 {
		return nil
	}
	out := make([]*snapshot.InlinePolicy, 0, len(elems))
	for i := range elems {
		e := &elems[i]
		if !r.object(e, "a "+what+" entry") {
			continue
		}
		ip := &snapshot.InlinePolicy{}
		var doc *jsonpos.Value
		for j := range e.Members {
			m := &e.Members[j]
			switch m.Key {
			case "PolicyName":
				ip.Name = r.str(&m.Value, "PolicyName")
			case "PolicyDocument":
				doc = &m.Value
			default:
				r.unknown(m, "a "+what+" entry")
			}
		}
		if doc == nil {
			r.problem(e, "inline policy %q of %s has no PolicyDocument; it is not evaluated", ip.Name, owner)
			continue
		}
		ip.Doc = r.doc(doc, "inline policy "+ip.Name+" of "+owner)
		out = append(out, ip)
	}
	return out
}

func (r *reader) managedPolicy(v *jsonpos.Value) {
	if !r.object(v, "a Policies entry") {
		return
	}
	p := &snapshot.ManagedPolicy{Loc: r.at(v)}
	var versions *jsonpos.Value
	for i := range v.Members {
		m := &v.Members[i]
		switch m.Key {
		case "PolicyName":
			p.Name = r.str(&m.Value, "PolicyName")
		case "PolicyId":
			p.ID = r.str(&m.Value, "PolicyId")
		case "Arn":
			p.ARN = r.str(&m.Value, "policy Arn")
		case "Path":
			p.Path = r.str(&m.Value, "policy Path")
		case "DefaultVersionId":
			p.DefaultVersionID = r.str(&m.Value, "DefaultVersionId")
		case "AttachmentCount":
			n, ok := r.integer(&m.Value, "AttachmentCount")
			p.AttachmentCount, p.AttachmentKnown = int(n), ok
		case "IsAttachable":
			p.IsAttachable, _ = r.boolean(&m.Value, "IsAttachable")
		case "CreateDate":
			p.CreateDate = r.time(&m.Value, "policy CreateDate")
		case "UpdateDate":
			p.UpdateDate = r.time(&m.Value, "policy UpdateDate")
		case "PolicyVersionList":
			versions = &m.Value
		case "PermissionsBoundaryUsageCount":
			r.integer(&m.Value, m.Key)
		case "Description":
			// Free text; nothing to evaluate.
		default:
			r.unknown(m, "a Policies entry")
		}
	}
	if p.ARN == "" {
		r.problem(v, "managed policy entry has no Arn; it is not read")
		return
	}
	if p.Name == "" {
		p.Name = nameFromARN(p.ARN)
	}
	p.AWSManaged = isAWSManaged(p.ARN)
	r.l.noteARN(p.ARN, p.Loc)
	owner := "policy " + p.Name
	if versions == nil {
		r.problem(v, "managed policy %s has no PolicyVersionList; its permissions are not evaluated", p.ARN)
	} else {
		r.versions(p, versions, owner)
	}
	if prev := r.l.policies[p.ARN]; prev != nil {
		r.problem(v, "managed policy %s appears twice (first at %s); the first is kept", p.ARN, prev.Loc)
		return
	}
	r.l.policies[p.ARN] = p
	r.l.snap.Policies = append(r.l.snap.Policies, p)
}

func (r *reader) versions(p *snapshot.ManagedPolicy, v *jsonpos.Value, owner string) {
	elems := r.list(v, "PolicyVersionList")
	p.Versions = make([]snapshot.PolicyVersion, 0, len(elems))
	for i := range elems {
		e := &elems[i]
		if !r.object(e, "a PolicyVersionList entry") {
			continue
		}
		var pv snapshot.PolicyVersion
		var doc *jsonpos.Value
		for j := range e.Members {
			m := &e.Members[j]
			switch m.Key {
			case "VersionId":
				pv.VersionID = r.str(&m.Value, "VersionId")
			case "IsDefaultVersion":
				pv.IsDefault, _ = r.boolean(&m.Value, "IsDefaultVersion")
			case "CreateDate":
				pv.CreateDate = r.time(&m.Value, "version CreateDate")
			case "Document":
				doc = &m.Value
			default:
				r.unknown(m, "a PolicyVersionList entry")
			}
		}
		if doc == nil {
			r.problem(e, "version %s of %s has no Document; it is not evaluated", pv.VersionID, owner)
		} else {
			pv.Doc = r.doc(doc, owner+" version "+pv.VersionID)
		}
		p.Versions = append(p.Versions, pv)
	}
	// The default is the version flagged IsDefaultVersion, or the one
	// DefaultVersionId names when a tool dropped the flag.
	for i := range p.Versions {
		if p.Versions[i].IsDefault {
			p.Default = p.Versions[i].Doc
			if p.DefaultVersionID == "" {
				p.DefaultVersionID = p.Versions[i].VersionID
			}
			break
		}
	}
	if p.Default == nil {
		for i := range p.Versions {
			if p.DefaultVersionID != "" && p.Versions[i].VersionID == p.DefaultVersionID {
				p.Versions[i].IsDefault = true
				p.Default = p.Versions[i].Doc
			}
		}
	}
	if p.Default == nil && len(p.Versions) > 0 {
		r.problem(v, "managed policy %s has no default version among its %d versions; its permissions are not evaluated", p.ARN, len(p.Versions))
	}
}
