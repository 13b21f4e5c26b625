package accountgen

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

type generator struct {
	opt     Options
	rnd     *rand.Rand
	acct    string
	managed []AWSManagedPolicy
	// customer are the ARNs and names of the customer managed policies.
	customer []attached
	groups   []string
}

func newGenerator(opt Options) *generator {
	if opt.AccountID == "" {
		opt.AccountID = "111122223333"
	}
	if opt.Now.IsZero() {
		opt.Now = time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	}
	managed := opt.AWSManaged
	if len(managed) == 0 {
		managed = builtinManaged
	}
	return &generator{
		opt:     opt,
		rnd:     rand.New(rand.NewPCG(opt.Seed, 0x1a2b3c4d)),
		acct:    opt.AccountID,
		managed: managed,
	}
}

func (g *generator) account() *Account {
	a := &Account{}
	sz := g.opt.Size
	for i := 0; i < sz.Policies; i++ {
		p := g.customerPolicy(i)
		a.Details.Policies = append(a.Details.Policies, p)
		g.customer = append(g.customer, attached{PolicyName: p.PolicyName, PolicyArn: p.Arn})
	}
	for i := 0; i < sz.Groups; i++ {
		gr := g.group(i)
		a.Details.GroupDetailList = append(a.Details.GroupDetailList, gr)
		g.groups = append(g.groups, gr.GroupName)
	}
	usedManaged := map[int]bool{}
	for i := 0; i < sz.Users; i++ {
		u := g.user(i, usedManaged)
		a.Details.UserDetailList = append(a.Details.UserDetailList, u)
	}
	for i := 0; i < sz.Roles; i++ {
		a.Details.RoleDetailList = append(a.Details.RoleDetailList, g.role(i, usedManaged))
	}
	// GetAccountAuthorizationDetails lists the AWS managed policies in use
	// along with their documents; leave every fourth one out, as when
	// the AWSManagedPolicy filter was not requested, so loaders must
	// resolve references to policies absent from the input.
	for i := range g.managed {
		if !usedManaged[i] || i%4 == 3 {
			continue
		}
		m := g.managed[i]
		date := g.date(2015, 2024)
		a.Details.Policies = append(a.Details.Policies, managedPolicy{
			PolicyName: m.Name, PolicyID: g.id("ANPA"), Arn: m.ARN, Path: m.Path,
			DefaultVersionID: m.Version, AttachmentCount: 1 + g.rnd.IntN(50), IsAttachable: true,
			CreateDate: date, UpdateDate: date,
			PolicyVersionList: []policyVersion{{Document: m.Document, VersionID: m.Version, IsDefaultVersion: true, CreateDate: date}},
		})
	}
	a.Report = g.report(a.Details.UserDetailList)
	return a
}

// id returns an IAM unique id with the given prefix (AIDA, AROA, ...).
func (g *generator) id(prefix string) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
	var b [21]byte
	copy(b[:], prefix)
	for i := len(prefix); i < len(b); i++ {
		b[i] = alphabet[g.rnd.IntN(len(alphabet))]
	}
	return string(b[:])
}

func (g *generator) when(fromYear, toYear int) time.Time {
	start := time.Date(fromYear, 1, 1, 0, 0, 0, 0, time.UTC)
	span := time.Date(toYear, 12, 31, 0, 0, 0, 0, time.UTC).Sub(start)
	return start.Add(time.Duration(g.rnd.Int64N(int64(span/time.Second))) * time.Second)
}

// date is in the wire format (what CLI v1 prints).
func (g *generator) date(fromYear, toYear int) string {
	return g.when(fromYear, toYear).Format("2006-01-02T15:04:05Z")
}

func (g *generator) arn(kind, path, name string) string {
	return fmt.Sprintf("arn:aws:iam::%s:%s%s%s", g.acct, kind, path, name)
}

var paths = []string{"/", "/", "/", "/engineering/", "/ops/", "/data/platform/"}

func (g *generator) pick(list []string) string { return list[g.rnd.IntN(len(list))] }

func (g *generator) customerPolicy(i int) managedPolicy {
	name := fmt.Sprintf("%s-%s-%05d", g.pick(teams), g.pick(purposes), i)
	path := g.pick(paths)
	// Most policies have one or two versions; some were edited often.
	nv := 1 + g.rnd.IntN(2)
	if g.rnd.IntN(10) == 0 {
		nv = 5
	}
	def := g.rnd.IntN(nv)
	created := g.when(2016, 2025)
	p := managedPolicy{
		PolicyName: name, PolicyID: g.id("ANPA"), Arn: g.arn("policy", path, name), Path: path,
		AttachmentCount: g.rnd.IntN(6), IsAttachable: true,
		CreateDate: created.Format("2006-01-02T15:04:05Z"),
	}
	for v := nv; v >= 1; v-- {
		ver := fmt.Sprintf("v%d", v)
		at := created.Add(time.Duration(v-1) * 24 * time.Hour * 30)
		p.PolicyVersionList = append(p.PolicyVersionList, policyVersion{
			Document: g.identityDocument(1 + g.rnd.IntN(2)), VersionID: ver, IsDefaultVersion: v-1 == def,
			CreateDate: at.Format("2006-01-02T15:04:05Z"),
		})
		if v-1 == def {
			p.DefaultVersionID = ver
			p.UpdateDate = at.Format("2006-01-02T15:04:05Z")
		}
	}
	return p
}

func (g *generator) group(i int) group {
	name := fmt.Sprintf("%s-%s-%03d", g.pick(teams), g.pick([]string{"admins", "developers", "readers", "oncall", "auditors"}), i)
	path := g.pick(paths)
	gr := group{
		Path: path, GroupName: name, GroupID: g.id("AGPA"), Arn: g.arn("group", path, name),
		CreateDate: g.date(2014, 2024), GroupPolicyList: []inlinePolicy{}, AttachedManagedPolicies: []attached{},
	}
	for k := g.rnd.IntN(3); k > 0; k-- {
		gr.GroupPolicyList = append(gr.GroupPolicyList, inlinePolicy{PolicyName: fmt.Sprintf("%s-inline-%d", name, k), PolicyDocument: g.identityDocument(1 + g.rnd.IntN(4))})
	}
	for k := 1 + g.rnd.IntN(3); k > 0; k-- {
		gr.AttachedManagedPolicies = append(gr.AttachedManagedPolicies, g.customerAttachment())
	}
	return gr
}

func (g *generator) customerAttachment() attached {
	if len(g.customer) == 0 {
		return attached{PolicyName: "AdministratorAccess", PolicyArn: "arn:aws:iam::aws:policy/AdministratorAccess"}
	}
	return g.customer[g.rnd.IntN(len(g.customer))]
}

// managedAttachment attaches an AWS managed policy, preferring a small
// popular subset as real accounts do.
func (g *generator) managedAttachment(used map[int]bool) attached {
	n := len(g.managed)
	i := g.rnd.IntN(n)
	if g.rnd.IntN(4) > 0 && n > 40 {
		i = g.rnd.IntN(40) * (n / 40)
	}
	used[i] = true
	return attached{PolicyName: g.managed[i].Name, PolicyArn: g.managed[i].ARN}
}

func (g *generator) attachments(used map[int]bool, max int) []attached {
	out := []attached{}
	for k := g.rnd.IntN(max + 1); k > 0; k-- {
		if g.rnd.IntN(3) == 0 {
			out = append(out, g.managedAttachment(used))
		} else {
			out = append(out, g.customerAttachment())
		}
	}
	return out
}

func (g *generator) tags() []tag {
	out := []tag{}
	for k := g.rnd.IntN(4); k > 0; k-- {
		out = append(out, tag{Key: g.pick([]string{"team", "owner", "cost-center", "env"}), Value: g.pick(teams)})
	}
	return out
}

func (g *generator) user(i int, used map[int]bool) user {
	name := fmt.Sprintf("%s.%s%04d", g.pick(firstNames), g.pick(lastNames), i)
	path := g.pick(paths)
	u := user{
		Path: path, UserName: name, UserID: g.id("AIDA"), Arn: g.arn("user", path, name),
		CreateDate: g.date(2014, 2026), GroupList: []string{}, AttachedManagedPolicies: g.attachments(used, 2),
		Tags: g.tags(),
	}
	for k := g.rnd.IntN(4); k > 0 && len(g.groups) > 0; k-- {
		u.GroupList = append(u.GroupList, g.groups[g.rnd.IntN(len(g.groups))])
	}
	for k := g.rnd.IntN(3); k > 0; k-- {
		u.UserPolicyList = append(u.UserPolicyList, inlinePolicy{PolicyName: fmt.Sprintf("inline-%d", k), PolicyDocument: g.identityDocument(1 + g.rnd.IntN(3))})
	}
	if g.rnd.IntN(10) == 0 && len(g.customer) > 0 {
		b := g.customerAttachment()
		u.PermissionsBoundary = &boundary{PermissionsBoundaryType: "Policy", PermissionsBoundaryArn: b.PolicyArn}
	}
	return u
}

func (g *generator) role(i int, used map[int]bool) role {
	kind := trustKinds[g.rnd.IntN(len(trustKinds))]
	name := fmt.Sprintf("%s-%s-%05d", g.pick(teams), kind, i)
	path := g.pick(paths)
	if kind == "service-linked" {
		path = "/aws-service-role/" + g.pick(services) + "/"
	}
	r := role{
		Path: path, RoleName: name, RoleID: g.id("AROA"), Arn: g.arn("role", path, name),
		CreateDate: g.date(2015, 2026), AssumeRolePolicyDocument: g.trust(kind),
		InstanceProfileList: []instanceProfile{}, RolePolicyList: []inlinePolicy{},
		AttachedManagedPolicies: g.attachments(used, 4), Tags: g.tags(),
	}
	if kind == "ec2" {
		r.InstanceProfileList = append(r.InstanceProfileList, instanceProfile{
			Path: path, InstanceProfileName: name, InstanceProfileID: g.id("AIPA"),
			Arn: g.arn("instance-profile", path, name), CreateDate: r.CreateDate, Roles: []any{},
		})
	}
	for k := g.rnd.IntN(2); k > 0; k-- {
		r.RolePolicyList = append(r.RolePolicyList, inlinePolicy{PolicyName: fmt.Sprintf("%s-inline-%d", kind, k), PolicyDocument: g.identityDocument(1 + g.rnd.IntN(4))})
	}
	if g.rnd.IntN(8) == 0 && len(g.customer) > 0 {
		r.PermissionsBoundary = &boundary{PermissionsBoundaryType: "Policy", PermissionsBoundaryArn: g.customerAttachment().PolicyArn}
	}
	if g.rnd.IntN(4) > 0 {
		r.RoleLastUsed = lastUsed{LastUsedDate: g.date(2023, 2026), Region: g.pick(regions)}
	}
	return r
}

var trustKinds = []string{"ec2", "lambda", "ecs", "service-linked", "cross-account", "cross-account", "github-oidc", "eks-oidc", "saml", "anyone"}

func (g *generator) trust(kind string) document {
	st := statement{Effect: "Allow", Action: "sts:AssumeRole"}
	switch kind {
	case "ec2", "lambda", "ecs", "service-linked":
		svc := map[string]string{"ec2": "ec2.amazonaws.com", "lambda": "lambda.amazonaws.com", "ecs": "ecs-tasks.amazonaws.com"}[kind]
		if svc == "" {
			svc = g.pick(services) + ".amazonaws.com"
		}
		st.Principal = map[string]any{"Service": svc}
	case "cross-account":
		other := fmt.Sprintf("%012d", 100000000000+g.rnd.Int64N(899999999999))
		if g.rnd.IntN(2) == 0 {
			st.Principal = map[string]any{"AWS": "arn:aws:iam::" + other + ":root"}
			st.Condition = map[string]map[string]any{"StringEquals": {"sts:ExternalId": g.id("")[:12]}}
		} else {
			st.Principal = map[string]any{"AWS": []string{"arn:aws:iam::" + other + ":role/deployer", "arn:aws:iam::" + g.acct + ":root"}}
		}
	case "github-oidc":
		st.Action = "sts:AssumeRoleWithWebIdentity"
		st.Principal = map[string]any{"Federated": "arn:aws:iam::" + g.acct + ":oidc-provider/token.actions.githubusercontent.com"}
		cond := map[string]map[string]any{"StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"}}
		switch g.rnd.IntN(3) {
		case 0:
			cond["StringLike"] = map[string]any{"token.actions.githubusercontent.com:sub": "repo:example-org/" + g.pick(teams) + ":ref:refs/heads/main"}
		case 1:
			cond["StringLike"] = map[string]any{"token.actions.githubusercontent.com:sub": "repo:example-org/*"}
		}
		st.Condition = cond
	case "eks-oidc":
		issuer := "oidc.eks." + g.pick(regions) + ".amazonaws.com/id/" + g.id("")[:16]
		st.Action = "sts:AssumeRoleWithWebIdentity"
		st.Principal = map[string]any{"Federated": "arn:aws:iam::" + g.acct + ":oidc-provider/" + issuer}
		st.Condition = map[string]map[string]any{"StringEquals": {issuer + ":sub": "system:serviceaccount:default:" + g.pick(teams)}}
	case "saml":
		st.Action = []string{"sts:AssumeRoleWithSAML", "sts:TagSession"}
		st.Principal = map[string]any{"Federated": "arn:aws:iam::" + g.acct + ":saml-provider/okta"}
		st.Condition = map[string]map[string]any{"StringEquals": {"SAML:aud": "https://signin.aws.amazon.com/saml"}}
	case "anyone":
		if g.rnd.IntN(2) == 0 {
			st.Principal = "*"
		} else {
			st.Principal = map[string]any{"AWS": "*"}
		}
		if g.rnd.IntN(2) == 0 {
			st.Condition = map[string]map[string]any{"StringEquals": {"aws:PrincipalOrgID": "o-" + strings.ToLower(g.id("")[:10])}}
		}
	}
	return document{Version: "2012-10-17", Statement: []statement{st}}
}

// identityDocument returns a permissions policy of n statements mixing
// scoped grants, wildcards, conditions, Deny and NotAction.
func (g *generator) identityDocument(n int) document {
	d := document{Version: "2012-10-17"}
	for k := 0; k < n; k++ {
		svc := g.pick(services)
		st := statement{Effect: "Allow"}
		if g.rnd.IntN(3) == 0 {
			st.Sid = fmt.Sprintf("Stmt%d%d", k, g.rnd.IntN(1e6))
		}
		switch r := g.rnd.IntN(100); {
		case r < 2:
			st.Action, st.Resource = "*", "*"
		case r < 6:
			st.Action, st.Resource = svc+":*", "*"
		case r < 10:
			st.Effect = "Deny"
			st.NotAction = []string{"iam:*", "sts:*", "organizations:*"}
			st.Resource = "*"
			st.Condition = map[string]map[string]any{"StringNotEquals": {"aws:RequestedRegion": []string{"eu-west-1", "us-east-1"}}}
		case r < 12:
			st.NotAction = "iam:*"
			st.Resource = "*"
		case r < 16:
			st.Effect = "Deny"
			st.Action = "*"
			st.Resource = "*"
			st.Condition = map[string]map[string]any{"BoolIfExists": {"aws:MultiFactorAuthPresent": false}}
		default:
			acts := make([]string, 0, 6)
			for a := 1 + g.rnd.IntN(6); a > 0; a-- {
				acts = append(acts, svc+":"+g.pick(verbs)+g.pick(nouns))
			}
			st.Action = acts
			res := make([]string, 0, 3)
			for x := 1 + g.rnd.IntN(3); x > 0; x-- {
				res = append(res, fmt.Sprintf("arn:aws:%s:%s:%s:%s/%s-%d", svc, g.pick(regions), g.acct, g.pick(nouns), g.pick(teams), g.rnd.IntN(1000)))
			}
			st.Resource = res
			switch g.rnd.IntN(5) {
			case 0:
				st.Condition = map[string]map[string]any{"IpAddress": {"aws:SourceIp": []string{"203.0.113.0/24", "198.51.100.0/24"}}}
			case 1:
				st.Condition = map[string]map[string]any{"StringEquals": {"aws:ResourceTag/team": g.pick(teams)}, "NumericLessThan": {"s3:max-keys": 100}}
			}
		}
		d.Statement = append(d.Statement, st)
	}
	return d
}

func (g *generator) report(users []user) []reportRow {
	now := g.opt.Now
	ts := func(t time.Time) string { return t.Format("2006-01-02T15:04:05+00:00") }
	before := func(days int) string { return ts(now.Add(-time.Duration(g.rnd.IntN(days)+1) * time.Hour * 24)) }
	rows := make([]reportRow, 0, len(users)+1)
	root := reportRow{"<root_account>", "arn:aws:iam::" + g.acct + ":root", "2014-01-01T00:00:00+00:00", "not_supported", before(400),
		"not_supported", "not_supported", "true", "false", "N/A", "N/A", "N/A", "N/A", "false", "N/A", "N/A", "N/A", "N/A", "false", "N/A", "false", "N/A"}
	if g.rnd.IntN(3) == 0 {
		root[8], root[9], root[10], root[11], root[12] = "true", before(2000), before(300), "us-east-1", "s3"
	}
	rows = append(rows, root)
	for _, u := range users {
		var r reportRow
		r[0], r[1], r[2] = u.UserName, u.Arn, strings.Replace(u.CreateDate, "Z", "+00:00", 1)
		if g.rnd.IntN(2) == 0 {
			r[3], r[5], r[6] = "true", before(500), "N/A"
			if g.rnd.IntN(5) == 0 {
				r[4] = "no_information"
			} else {
				r[4] = before(200)
			}
			r[7] = []string{"true", "false"}[g.rnd.IntN(2)]
		} else {
			r[3], r[4], r[5], r[6], r[7] = "false", "N/A", "N/A", "N/A", "false"
		}
		for k := 0; k < 2; k++ {
			b := 8 + 5*k
			if g.rnd.IntN(3) == 0 {
				r[b], r[b+1] = []string{"true", "false"}[g.rnd.IntN(2)], before(1200)
				if g.rnd.IntN(4) == 0 {
					r[b+2], r[b+3], r[b+4] = "N/A", "N/A", "N/A"
				} else {
					r[b+2], r[b+3], r[b+4] = before(300), g.pick(regions), g.pick(services)
				}
			} else {
				r[b], r[b+1], r[b+2], r[b+3], r[b+4] = "false", "N/A", "N/A", "N/A", "N/A"
			}
		}
		r[18], r[19], r[20], r[21] = "false", "N/A", "false", "N/A"
		rows = append(rows, r)
	}
	return rows
}

var (
	teams      = []string{"payments", "search", "platform", "data", "ml", "security", "web", "mobile", "billing", "growth"}
	purposes   = []string{"read", "write", "deploy", "admin", "ci", "etl", "backup", "audit"}
	firstNames = []string{"ana", "ben", "chen", "dara", "eli", "fatima", "gus", "hana", "ivan", "jo"}
	lastNames  = []string{"smith", "garcia", "kim", "nguyen", "okafor", "rossi", "schmidt", "tanaka"}
	services   = []string{"s3", "ec2", "dynamodb", "lambda", "sqs", "sns", "kms", "logs", "cloudwatch", "ecr", "ecs", "rds", "secretsmanager", "ssm", "glue", "athena"}
	verbs      = []string{"Get", "List", "Describe", "Put", "Create", "Delete", "Update", "Tag"}
	nouns      = []string{"Object", "Bucket", "Table", "Function", "Queue", "Topic", "Key", "Secret", "Parameter", "Item", "Instance", "Repository"}
	regions    = []string{"us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-2"}
)
