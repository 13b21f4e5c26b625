package access

import (
	"slices"
	"testing"

	"github.com/iamscan/iamscan/awsmanaged"
	"github.com/iamscan/iamscan/collector/offline"
	"github.com/iamscan/iamscan/internal/accountgen"
	"github.com/iamscan/iamscan/internal/benchaccount"
	"github.com/iamscan/iamscan/internal/cpuclock"
	"github.com/iamscan/iamscan/internal/shareddata"
	"github.com/iamscan/iamscan/policy"
	"github.com/iamscan/iamscan/snapshot"
)

func mustDoc(t testing.TB, js string) *policy.Document {
	t.Helper()
	d, err := policy.Parse("test.json", []byte(js))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func managed(t testing.TB, name, js string) *snapshot.ManagedPolicy {
	return &snapshot.ManagedPolicy{ARN: "arn:aws:iam::111111111111:policy/" + name, Name: name, Default: mustDoc(t, js)}
}

func attach(p *snapshot.ManagedPolicy) *snapshot.Attachment {
	return &snapshot.Attachment{PolicyARN: p.ARN, PolicyName: p.Name, Policy: p}
}

// testSnapshot builds one user per case, named after it.
func testSnapshot(t testing.TB) *snapshot.Snapshot {
	admin, _ := awsmanaged.Resolve("arn:aws:iam::aws:policy/AdministratorAccess")
	power, _ := awsmanaged.Resolve("arn:aws:iam::aws:policy/PowerUserAccess")
	starStar := managed(t, "StarStar", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*:*","Resource":"*"}}`)
	s3Bucket := managed(t, "S3Bucket", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::b/*"}}`)
	denyIAM := managed(t, "DenyIAM", `{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"iam:*","Resource":"*"}}`)
	denyIAMSome := managed(t, "DenyIAMSome", `{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"iam:*","Resource":"arn:aws:iam::*:role/protected"}}`)
	denyNoMFA := managed(t, "DenyNoMFA", `{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}}}`)
	condEC2 := managed(t, "CondEC2", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"ec2:*","Resource":"*","Condition":{"StringEquals":{"aws:RequestedRegion":"eu-west-1"}}}}`)
	boundaryS3 := managed(t, "BoundaryS3", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":["s3:*","iam:Get*"],"Resource":"*"}}`)
	notResource := managed(t, "NotRes", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","NotResource":"arn:aws:s3:::secret/*"}}`)
	denyIAMARN := managed(t, "DenyIAMARN", `{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"iam:*","Resource":"arn:aws:iam::*:user/*"}}`)
	unknownAct := managed(t, "Typos", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":["s3:GetObjekt","nosuch:Thing","s3:ListBucket"],"Resource":"*"}}`)

	groupAdmins := &snapshot.Group{Name: "admins", ARN: "arn:aws:iam::111111111111:group/admins", Attached: []*snapshot.Attachment{attach(admin)}}
	user := func(name string, groups []*snapshot.Group, boundary *snapshot.ManagedPolicy, pols ...*snapshot.ManagedPolicy) *snapshot.User {
		u := &snapshot.User{Principal: snapshot.Principal{Kind: snapshot.KindUser, Name: name, ARN: "arn:aws:iam::111111111111:user/" + name}, Groups: groups}
		for _, p := range pols {
			u.Attached = append(u.Attached, attach(p))
		}
		if boundary != nil {
			u.Boundary = attach(boundary)
		}
		for _, g := range groups {
			u.GroupNames = append(u.GroupNames, g.Name)
		}
		return u
	}
	s := &snapshot.Snapshot{AccountID: "111111111111", Groups: []*snapshot.Group{groupAdmins}}
	s.Users = []*snapshot.User{
		user("admin", nil, nil, admin),
		user("starstar", nil, nil, starStar),
		user("viagroup", []*snapshot.Group{groupAdmins}, nil),
		user("poweruser", nil, nil, power),
		user("admin-deny-iam", nil, nil, admin, denyIAM),
		user("admin-deny-iam-some", nil, nil, admin, denyIAMSome),
		user("admin-deny-nomfa", nil, nil, admin, denyNoMFA),
		user("admin-boundary", nil, boundaryS3, admin),
		user("admin-unresolved-boundary", nil, &snapshot.ManagedPolicy{ARN: "arn:aws:iam::111111111111:policy/gone"}, admin),
		user("bucket", nil, nil, s3Bucket),
		user("cond", nil, nil, condEC2),
		user("typos", nil, nil, unknownAct),
		user("nothing", nil, nil),
		user("notresource", nil, nil, notResource),
		user("admin-deny-arn-only", nil, nil, admin, denyIAMARN),
	}
	s.Users[8].Boundary.Policy = nil
	s.Policies = []*snapshot.ManagedPolicy{admin, power, starStar, s3Bucket, denyIAM, denyIAMSome, denyNoMFA, condEC2, boundaryS3, unknownAct, notResource, denyIAMARN}
	s.Reindex()
	return s
}

func TestEffectivePermissions(t *testing.T) {
	s := testSnapshot(t)
	acc := For(s)
	tests := []struct {
		user    string
		admin   bool
		levels  map[string]Level
		unknown []string
	}{
		{"admin", true, map[string]Level{"iam:CreateUser": Everywhere, "s3:GetObject": Everywhere}, nil},
		{"starstar", true, map[string]Level{"kms:Decrypt": Everywhere}, nil},
		{"viagroup", true, map[string]Level{"iam:AttachUserPolicy": Everywhere}, nil},
		{"poweruser", false, map[string]Level{"iam:CreateUser": None, "ec2:RunInstances": Everywhere, "iam:ListRoles": Everywhere}, nil},
		{"admin-deny-iam", false, map[string]Level{"iam:CreateUser": Denied, "s3:GetObject": Everywhere}, nil},
		{"admin-deny-iam-some", false, map[string]Level{"iam:CreateUser": Somewhere, "s3:GetObject": Everywhere}, nil},
		{"admin-deny-nomfa", false, map[string]Level{"iam:CreateUser": Conditional, "s3:GetObject": Conditional}, nil},
		{"admin-boundary", false, map[string]Level{"s3:GetObject": Everywhere, "iam:GetUser": Everywhere, "iam:CreateUser": None, "ec2:RunInstances": None}, nil},
		{"admin-unresolved-boundary", true, map[string]Level{"iam:CreateUser": Everywhere}, nil},
		{"bucket", false, map[string]Level{"s3:GetObject": Somewhere, "s3:ListAllMyBuckets": None, "ec2:RunInstances": None}, nil},
		{"notresource", false, map[string]Level{"s3:GetObject": Somewhere, "s3:ListAllMyBuckets": Everywhere, "iam:CreateUser": None}, nil},
		{"admin-deny-arn-only", false, map[string]Level{"iam:CreateUser": Somewhere, "iam:ListRoles": Everywhere}, nil},
		{"cond", false, map[string]Level{"ec2:RunInstances": Conditional, "s3:GetObject": None}, nil},
		{"typos", false, map[string]Level{"s3:ListBucket": Everywhere, "s3:GetObject": None}, []string{"nosuch:Thing", "s3:GetObjekt"}},
		{"nothing", false, map[string]Level{"s3:GetObject": None}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.user, func(t *testing.T) {
			u := s.User(tt.user)
			perms := acc.Of(&u.Principal)
			if perms == nil {
				t.Fatal("no permissions computed")
			}
			if perms.IsAdmin() != tt.admin || acc.IsAdmin(&u.Principal) != tt.admin {
				t.Errorf("IsAdmin = %v, want %v", perms.IsAdmin(), tt.admin)
			}
			for action, want := range tt.levels {
				if got := perms.Level(action); got != want {
					t.Errorf("Level(%s) = %v, want %v", action, got, want)
				}
			}
			if got := perms.Unknown; !slices.Equal(got, tt.unknown) {
				t.Errorf("Unknown = %v, want %v", got, tt.unknown)
			}
			if perms.BoundaryUnresolved != (tt.user == "admin-unresolved-boundary") {
				t.Errorf("BoundaryUnresolved = %v", perms.BoundaryUnresolved)
			}
		})
	}
}

// The bitset answer must agree with evaluating the request itself.
func TestLevelsAgreeWithEvaluate(t *testing.T) {
	s := testSnapshot(t)
	acc := For(s)
	for _, u := range s.Users {
		perms := acc.Of(&u.Principal)
		for _, action := range []string{"iam:CreateUser", "s3:GetObject", "ec2:RunInstances", "iam:GetUser", "kms:Decrypt"} {
			req, ps := RequestFor(s, &u.Principal, action, "*", policy.NewContext(true))
			r := policy.Evaluate(req, ps)
			lvl := perms.Level(action)
			switch {
			case lvl == Everywhere && r.Decision != policy.Allowed && !perms.BoundaryUnresolved:
				t.Errorf("%s %s: level %v but Evaluate on * says %v (%s)", u.Name, action, lvl, r.Decision, r.Reason)
			case (lvl == None || lvl == Denied) && r.Decision == policy.Allowed:
				t.Errorf("%s %s: level %v but Evaluate says allowed", u.Name, action, lvl)
			}
		}
	}
}

func TestSources(t *testing.T) {
	s := testSnapshot(t)
	acc := For(s)
	u := s.User("admin-boundary")
	src := acc.Sources(&u.Principal, "iam:GetUser")
	if len(src) != 2 || src[0].Boundary || !src[1].Boundary || src[0].Policy.Name != "AdministratorAccess" {
		t.Fatalf("Sources = %+v, want the admin statement then the boundary's", src)
	}
	if got := acc.Sources(&u.Principal, "ec2:RunInstances"); len(got) != 1 {
		t.Errorf("Sources(ec2:RunInstances) = %d statements, want 1", len(got))
	}
}

// An ARN pattern reaches only the actions that accept a resource of its
// service ("IAM JSON policy elements: Resource"; the Service
// Authorization Reference's resource types and ARN formats), so a Deny or
// NotResource on S3 ARNs says nothing about IAM actions; a pattern that
// matches every ARN ("arn:*", "arn:*:*:*:*:*", with the colon-spanning
// rule of "Using wildcards in resource ARNs") reaches every resource; and
// actions without resource types work only with "Resource": "*"
// ("Troubleshoot IAM policies").
func TestEffectivePermissionsByService(t *testing.T) {
	admin, _ := awsmanaged.Resolve("arn:aws:iam::aws:policy/AdministratorAccess")
	pol := func(name, stmt string) *snapshot.ManagedPolicy {
		return managed(t, name, `{"Version":"2012-10-17","Statement":`+stmt+`}`)
	}
	cases := []struct {
		user   string
		pols   []*snapshot.ManagedPolicy
		admin  bool
		levels map[string]Level
	}{
		{"admin-deny-s3-secret", []*snapshot.ManagedPolicy{admin, pol("DenySecret", `{"Effect":"Deny","Action":"*","Resource":"arn:aws:s3:::secret/*"}`)}, false,
			map[string]Level{"iam:CreateUser": Everywhere, "ec2:RunInstances": Everywhere, "s3:GetObject": Somewhere, "s3:ListAllMyBuckets": Everywhere}},
		{"all-but-s3-secret", []*snapshot.ManagedPolicy{pol("NotSecret", `{"Effect":"Allow","Action":"*","NotResource":"arn:aws:s3:::secret/*"}`)}, false,
			map[string]Level{"iam:CreateUser": Everywhere, "ec2:RunInstances": Everywhere, "s3:GetObject": Somewhere, "s3:ListAllMyBuckets": Everywhere}},
		{"arn-star", []*snapshot.ManagedPolicy{pol("ArnStar", `{"Effect":"Allow","Action":"*","Resource":"arn:*"}`)}, false,
			map[string]Level{"iam:CreateUser": Everywhere, "s3:GetObject": Everywhere, "sts:AssumeRole": Everywhere, "s3:ListAllMyBuckets": None, "iam:ListRoles": None}},
		{"arn-six-stars", []*snapshot.ManagedPolicy{pol("ArnSix", `{"Effect":"Allow","Action":"*","Resource":"arn:*:*:*:*:*"}`)}, false,
			map[string]Level{"iam:CreateUser": Everywhere, "ec2:RunInstances": Everywhere, "s3:ListAllMyBuckets": None}},
		{"arn-partition", []*snapshot.ManagedPolicy{pol("ArnAws", `{"Effect":"Allow","Action":"*","Resource":["arn:aws:*"]}`)}, false,
			map[string]Level{"iam:CreateUser": Everywhere, "kms:Decrypt": Everywhere}},
		{"arn-seven-segments", []*snapshot.ManagedPolicy{pol("ArnSeven", `{"Effect":"Allow","Action":"*","Resource":"arn:*:*:*:*:*:*"}`)}, false,
			map[string]Level{"iam:CreateUser": Somewhere, "s3:ListAllMyBuckets": None}},
		{"assume-role-arn", []*snapshot.ManagedPolicy{pol("Hop", `{"Effect":"Allow","Action":["sts:AssumeRole","sts:GetCallerIdentity"],"Resource":"arn:aws:iam::*:role/deploy"}`)}, false,
			map[string]Level{"sts:AssumeRole": Somewhere, "sts:GetCallerIdentity": None}},
		{"sts-service-arn", []*snapshot.ManagedPolicy{pol("Wrong", `{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"arn:aws:sts::*:role/deploy"}`)}, false,
			map[string]Level{"sts:AssumeRole": None}},
		{"bucket-only", []*snapshot.ManagedPolicy{pol("Bucket", `{"Effect":"Allow","Action":"*","Resource":"arn:aws:s3:::b/*"}`)}, false,
			map[string]Level{"s3:GetObject": Somewhere, "iam:CreateUser": None, "ec2:RunInstances": None}},
		{"service-wildcard", []*snapshot.ManagedPolicy{pol("S3ish", `{"Effect":"Allow","Action":"*","Resource":"arn:aws:s3*:*:*:*"}`)}, false,
			map[string]Level{"s3:GetObject": Somewhere, "s3express:CreateSession": Somewhere, "iam:CreateUser": None}},
		{"region-spans", []*snapshot.ManagedPolicy{pol("Instances", `{"Effect":"Allow","Action":"ec2:*","Resource":"arn:aws:ec2:*:instance/*"}`)}, false,
			map[string]Level{"ec2:RunInstances": Somewhere, "ec2:DescribeInstances": None}},
		{"admin-deny-arn-star", []*snapshot.ManagedPolicy{admin, pol("DenyArns", `{"Effect":"Deny","Action":"*","Resource":"arn:*"}`)}, false,
			map[string]Level{"iam:CreateUser": Denied, "s3:GetObject": Denied, "s3:ListAllMyBuckets": Everywhere}},
		{"admin-deny-not-s3", []*snapshot.ManagedPolicy{admin, pol("DenyNotS3", `{"Effect":"Deny","Action":"*","NotResource":"arn:aws:s3:::public/*"}`)}, false,
			map[string]Level{"iam:CreateUser": Denied, "s3:ListAllMyBuckets": Denied, "s3:GetObject": Somewhere}},
		{"not-arn-star", []*snapshot.ManagedPolicy{pol("NotArns", `{"Effect":"Allow","Action":"*","NotResource":"arn:*"}`)}, false,
			map[string]Level{"iam:CreateUser": None, "s3:ListAllMyBuckets": Everywhere}},
		{"mixed-services", []*snapshot.ManagedPolicy{pol("Mixed", `{"Effect":"Allow","Action":"*","Resource":["arn:aws:s3:::b/*","arn:aws:iam::111111111111:user/*"]}`)}, false,
			map[string]Level{"s3:GetObject": Somewhere, "iam:CreateUser": Somewhere, "ec2:RunInstances": None}},
		{"conditional-other-service", []*snapshot.ManagedPolicy{pol("CondS3", `{"Effect":"Allow","Action":"*","Resource":"arn:aws:s3:::b/*","Condition":{"Bool":{"aws:SecureTransport":"true"}}}`)}, false,
			map[string]Level{"s3:GetObject": Conditional, "iam:CreateUser": None}},
		{"not-an-arn", []*snapshot.ManagedPolicy{pol("Typo", `{"Effect":"Allow","Action":"*","Resource":"s3:::b/*"}`)}, false,
			map[string]Level{"s3:GetObject": None}},
	}
	s := &snapshot.Snapshot{AccountID: "111111111111"}
	for _, c := range cases {
		u := &snapshot.User{Principal: snapshot.Principal{Kind: snapshot.KindUser, Name: c.user, ARN: "arn:aws:iam::111111111111:user/" + c.user}}
		for _, p := range c.pols {
			u.Attached = append(u.Attached, attach(p))
			if !slices.Contains(s.Policies, p) {
				s.Policies = append(s.Policies, p)
			}
		}
		s.Users = append(s.Users, u)
	}
	s.Reindex()
	acc := For(s)
	for _, c := range cases {
		t.Run(c.user, func(t *testing.T) {
			perms := acc.Of(&s.User(c.user).Principal)
			if perms.IsAdmin() != c.admin {
				t.Errorf("IsAdmin = %v, want %v", perms.IsAdmin(), c.admin)
			}
			for action, want := range c.levels {
				if got := perms.Level(action); got != want {
					t.Errorf("%s: %v, want %v", action, got, want)
				}
			}
		})
	}
}

func TestRequestForContext(t *testing.T) {
	s := testSnapshot(t)
	u := s.User("admin")
	u.Tags = []snapshot.Tag{{Key: "team", Value: "blue"}}
	ctx := policy.NewContext(true)
	ctx.Set("aws:username", "override")
	req, ps := RequestFor(s, &u.Principal, "s3:GetObject", "", ctx)
	home := mustDoc(t, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::${aws:PrincipalTag/team}/${aws:username}"}}`)
	ps.Identity = []policy.NamedPolicy{{Name: "home", Doc: home}}
	req.Resource = "arn:aws:s3:::blue/override"
	if r := policy.Evaluate(req, ps); r.Decision != policy.Allowed {
		t.Errorf("tag and caller-set username variables: %v (%s)", r.Decision, r.Reason)
	}
	if req.PrincipalAccount != "111111111111" {
		t.Errorf("PrincipalAccount = %q", req.PrincipalAccount)
	}
	// A role has no aws:username: a statement keyed on it does not match,
	// it is not "conditional".
	role := &snapshot.Principal{Kind: snapshot.KindRole, Name: "r", ARN: "arn:aws:iam::111111111111:role/r"}
	req, ps = RequestFor(s, role, "s3:GetObject", "arn:aws:s3:::blue/r", nil)
	ps.Identity = []policy.NamedPolicy{{Name: "home", Doc: mustDoc(t, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::blue/${aws:username}"}}`)}}
	if r := policy.Evaluate(req, ps); r.Decision != policy.Denied {
		t.Errorf("role with a username variable: %v (%s), want denied", r.Decision, r.Reason)
	}
}

// RCPs apply only to the services that support them: an RCP set that
// allows nothing blocks S3 but not IAM.
func TestRequestForRCPs(t *testing.T) {
	s := testSnapshot(t)
	s.OrgPolicies = []*snapshot.OrgPolicy{{Name: "deny-nothing-allowed", Type: "RESOURCE_CONTROL_POLICY",
		Doc: mustDoc(t, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"sqs:*","Resource":"*"}}`)}}
	u := s.User("admin")
	for action, want := range map[string]policy.Decision{"s3:GetObject": policy.Denied, "sqs:SendMessage": policy.Allowed, "iam:CreateUser": policy.Allowed} {
		req, ps := RequestFor(s, &u.Principal, action, "*", policy.NewContext(true))
		if r := policy.Evaluate(req, ps); r.Decision != want {
			t.Errorf("%s: %v (%s), want %v", action, r.Decision, r.Reason, want)
		}
	}
}

// A role of the snapshot targeted by an sts: action brings its trust
// policy, which must allow even within the account ("Policy evaluation
// logic": role trust policies are an exception); SCPs do not affect
// service-linked roles ("Service control policies").
func TestRequestForRoleTrustAndServiceLinked(t *testing.T) {
	s := testSnapshot(t)
	role := func(name, path, trust string) *snapshot.Role {
		r := &snapshot.Role{Principal: snapshot.Principal{Kind: snapshot.KindRole, Name: name, Path: path,
			ARN: "arn:aws:iam::111111111111:role" + path + name}, ServiceLinked: path == "/aws-service-role/"}
		if trust != "" {
			r.Trust = mustDoc(t, trust)
		}
		return r
	}
	s.Roles = []*snapshot.Role{
		role("saml-only", "/", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::111111111111:saml-provider/okta"},"Action":"sts:AssumeRoleWithSAML"}}`),
		role("trusts-account", "/team/", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":"sts:AssumeRole"}}`),
		role("no-trust-in-input", "/", ""),
		role("AWSServiceRoleForSupport", "/aws-service-role/", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"Service":"support.amazonaws.com"},"Action":"sts:AssumeRole"}}`),
	}
	s.Roles[3].Attached = []*snapshot.Attachment{attach(s.Policies[0])} // AdministratorAccess
	s.OrgPolicies = []*snapshot.OrgPolicy{{Name: "only-s3", Type: "SERVICE_CONTROL_POLICY",
		Doc: mustDoc(t, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}`)}}
	s.Reindex()
	admin := s.User("admin")
	tests := []struct {
		name      string
		principal *snapshot.Principal
		action    string
		resource  string
		want      policy.Decision
	}{
		{"trust allows only SAML federation", &admin.Principal, "sts:AssumeRole", "arn:aws:iam::111111111111:role/saml-only", policy.Denied},
		{"trust names the account, identity allows", &admin.Principal, "sts:AssumeRole", "arn:aws:iam::111111111111:role/team/trusts-account", policy.Denied}, // the SCP allows only s3
		{"the role ARN without its path", &admin.Principal, "s3:GetObject", "arn:aws:iam::111111111111:role/trusts-account", policy.Allowed},
		{"trust policy missing from the input", &admin.Principal, "sts:AssumeRole", "arn:aws:iam::111111111111:role/no-trust-in-input", policy.Denied},
		{"service-linked role: SCPs do not apply", &s.Roles[3].Principal, "ec2:DescribeInstances", "*", policy.Allowed},
		{"other principals: the SCP applies", &admin.Principal, "ec2:DescribeInstances", "*", policy.Denied},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, ps := RequestFor(s, tt.principal, tt.action, tt.resource, policy.NewContext(true))
			if r := policy.Evaluate(req, ps); r.Decision != tt.want {
				t.Errorf("%v (%s), want %v", r.Decision, r.Reason, tt.want)
			}
		})
	}
	// Without the SCP, the trust policy decides.
	s.OrgPolicies = nil
	for arn, want := range map[string]policy.Decision{
		"arn:aws:iam::111111111111:role/saml-only":            policy.Denied,
		"arn:aws:iam::111111111111:role/team/trusts-account":  policy.Allowed,
		"arn:aws:iam::111111111111:role/trusts-account":       policy.Allowed,
		"arn:aws:iam::111111111111:role/other/trusts-account": policy.Allowed, // not the snapshot's role: no trust policy known
		"arn:aws:iam::111111111111:role/no-trust-in-input":    policy.Conditional,
	} {
		req, ps := RequestFor(s, &admin.Principal, "sts:AssumeRole", arn, policy.NewContext(true))
		if arn != "arn:aws:iam::111111111111:role/other/trusts-account" && (!ps.RoleTrust || len(ps.Resource) != 1) {
			t.Errorf("%s: RoleTrust %v with %d resource policies", arn, ps.RoleTrust, len(ps.Resource))
		}
		if r := policy.Evaluate(req, ps); r.Decision != want {
			t.Errorf("sts:AssumeRole %s: %v (%s), want %v", arn, r.Decision, r.Reason, want)
		}
	}
}

// Attachments the input could not resolve make the answer conditional
// rather than silently ignoring them.
func TestRequestForUnresolved(t *testing.T) {
	s := testSnapshot(t)
	u := s.User("admin-unresolved-boundary")
	req, ps := RequestFor(s, &u.Principal, "s3:GetObject", "*", policy.NewContext(true))
	r := policy.Evaluate(req, ps)
	// The explanation lists the allow that holds and the missing
	// boundary that may block it.
	if r.Decision != policy.Conditional || len(r.Statements) != 2 || r.Statements[0].Maybe || r.Statements[0].Policy != "arn:aws:iam::aws:policy/AdministratorAccess" ||
		!r.Statements[1].Missing || r.Statements[1].Policy != "arn:aws:iam::111111111111:policy/gone" {
		t.Errorf("unresolved boundary: %v %+v", r.Decision, r.Statements)
	}
	nothing := s.User("nothing")
	nothing.Attached = []*snapshot.Attachment{{PolicyARN: "arn:aws:iam::111111111111:policy/lost"}}
	req, ps = RequestFor(s, &nothing.Principal, "s3:GetObject", "*", policy.NewContext(true))
	if r := policy.Evaluate(req, ps); r.Decision != policy.Conditional {
		t.Errorf("unresolved attachment: %v (%s)", r.Decision, r.Reason)
	}
}

func TestShared(t *testing.T) {
	s := testSnapshot(t)
	calls := 0
	cache := map[string]any{}
	get := func(key string, build func() (any, error)) (any, error) {
		if v, ok := cache[key]; ok {
			return v, nil
		}
		calls++
		v, err := build()
		cache[key] = v
		return v, err
	}
	a1, err1 := Shared(get, s)
	a2, err2 := Shared(get, s)
	if err1 != nil || err2 != nil || a1 != a2 || calls != 1 {
		t.Errorf("Shared computed %d times", calls)
	}
}

// quotaSnapshot loads a generated quota-sized account (5,000 users, 5,000
// roles, 10,000 customer managed policies) through the offline loader.
func quotaSnapshot(b *testing.B) *snapshot.Snapshot {
	authz, _ := benchaccount.Files(b, accountgen.Quota)
	s, err := offline.Load([]string{authz}, offline.Options{ResolveManaged: awsmanaged.Resolve})
	if err != nil {
		b.Fatal(err)
	}
	return s
}

func BenchmarkForQuotaAccount(b *testing.B) {
	s := quotaSnapshot(b)
	policy.DefaultCatalog()
	b.ReportMetric(float64(len(s.Users)+len(s.Roles)), "principals")
	var admins int
	cpuclock.Measure(b, func() {
		acc := For(s)
		admins = 0
		for _, p := range acc.All() {
			if p.IsAdmin() {
				admins++
			}
		}
	})
	b.ReportMetric(float64(admins), "admins")
}

// A real dump (cloudsplaining's example): obama and the members of the
// admin group are administrators through AdministratorAccess; biden's
// Lambda and RDS policies do not make him one.
func TestCloudsplainingExample(t *testing.T) {
	path := shareddata.Path(t, "cloudsplaining-examples", "example-authz-details.json")
	s, err := offline.Load([]string{path}, offline.Options{ResolveManaged: awsmanaged.Resolve})
	if err != nil {
		t.Fatal(err)
	}
	acc := For(s)
	if len(acc.All()) != len(s.Users)+len(s.Roles) {
		t.Fatalf("%d permissions for %d principals", len(acc.All()), len(s.Users)+len(s.Roles))
	}
	for name, admin := range map[string]bool{"obama": true, "userwithlotsofpermissions": true, "biden": false} {
		u := s.User(name)
		if u == nil {
			t.Fatalf("no user %s", name)
		}
		if got := acc.IsAdmin(&u.Principal); got != admin {
			t.Errorf("IsAdmin(%s) = %v, want %v", name, got, admin)
		}
	}
	biden := acc.Of(&s.User("biden").Principal)
	if biden.Level("lambda:CreateFunction") != Everywhere || biden.Level("rds:CreateDBInstance") != Everywhere {
		t.Errorf("biden: lambda:CreateFunction %v, rds:CreateDBInstance %v, want both on every resource",
			biden.Level("lambda:CreateFunction"), biden.Level("rds:CreateDBInstance"))
	}
}

// A NotAction list is expanded once and shared by every statement that
// repeats it, in any document, with its unknown patterns; lists that
// share a first pattern, or would join into the same string, stay apart.
func TestNotActionListsShared(t *testing.T) {
	pol := func(name, stmt string) *snapshot.ManagedPolicy {
		return managed(t, name, `{"Version":"2012-10-17","Statement":`+stmt+`}`)
	}
	notIAM := `{"Effect":"Allow","NotAction":["iam:*","bogus:Thing"],"Resource":"*"}`
	pols := []*snapshot.ManagedPolicy{
		pol("A", notIAM),
		pol("B", `[`+notIAM+`,{"Effect":"Deny","NotAction":["iam:*","bogus:Thing"],"Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"false"}}}]`),
		pol("C", `{"Effect":"Allow","NotAction":["s3:*\u0000ec2:*"],"Resource":"*"}`),
		pol("D", `{"Effect":"Allow","NotAction":["s3:*","ec2:*"],"Resource":"*"}`),
		pol("E", `{"Effect":"Allow","NotAction":["s3:*"],"Resource":"*"}`),
	}
	s := &snapshot.Snapshot{AccountID: "111111111111", Policies: pols}
	for _, p := range pols {
		s.Users = append(s.Users, &snapshot.User{Principal: snapshot.Principal{Kind: snapshot.KindUser, Name: p.Name,
			ARN: "arn:aws:iam::111111111111:user/" + p.Name, Attached: []*snapshot.Attachment{attach(p)}}})
	}
	s.Reindex()
	acc := For(s)
	for _, c := range []struct {
		user    string
		levels  map[string]Level
		unknown []string
	}{
		{"A", map[string]Level{"iam:CreateUser": None, "s3:GetObject": Everywhere}, []string{"bogus:Thing"}},
		{"B", map[string]Level{"iam:CreateUser": None, "s3:GetObject": Conditional}, []string{"bogus:Thing"}},
		{"C", map[string]Level{"s3:GetObject": Everywhere, "ec2:RunInstances": Everywhere}, []string{"s3:*\x00ec2:*"}},
		{"D", map[string]Level{"s3:GetObject": None, "ec2:RunInstances": None, "iam:CreateUser": Everywhere}, nil},
		{"E", map[string]Level{"s3:GetObject": None, "ec2:RunInstances": Everywhere}, nil},
	} {
		perms := acc.Of(&s.User(c.user).Principal)
		for action, want := range c.levels {
			if got := perms.Level(action); got != want {
				t.Errorf("%s: %s is %v, want %v", c.user, action, got, want)
			}
		}
		if !slices.Equal(perms.Unknown, c.unknown) {
			t.Errorf("%s: Unknown = %q, want %q", c.user, perms.Unknown, c.unknown)
		}
	}
}
