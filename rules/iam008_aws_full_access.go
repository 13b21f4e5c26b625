package rules

import (
	"strings"

	"github.com/iamscan/iamscan/snapshot"
)

// IAM008AWSFullAccess reports AWS managed full-access policies attached to
// users, groups and roles.
var IAM008AWSFullAccess = &Rule{
	Meta: Meta{
		ID:       "IAM008",
		Title:    "AWS managed full-access policy attached",
		Severity: Medium,
		Family:   FamilyWildcards,
		Description: "AWS managed policies such as AdministratorAccess or AmazonS3FullAccess grant every action of " +
			"one or all services on every resource, and AWS adds new actions to them as services grow. " +
			"AdministratorAccess is reported as high, other *FullAccess policies as medium. Service-linked roles " +
			"are skipped: AWS owns their policies.",
		Remediation: "Replace the attachment with a customer managed policy listing the actions and resources the " +
			"principal uses (IAM Access Analyzer can generate one from CloudTrail), or with a narrower AWS " +
			"managed job-function or read-only policy.",
		References: []string{
			"https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_managed-vs-inline.html#aws-managed-policies",
			"https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AdministratorAccess.html",
		},
		Needs:  []snapshot.Data{snapshot.DataAuthorizationDetails},
		Source: "rules/iam008_aws_full_access.go",
	},
	Check: func(p *Pass) error {
		s := p.Snapshot
		check := func(owner string, loc Finding, attached []*snapshot.Attachment) {
			for _, a := range attached {
				if !strings.HasPrefix(a.PolicyARN, "arn:") || !strings.Contains(a.PolicyARN, ":iam::aws:policy/") {
					continue
				}
				name := a.PolicyARN[strings.LastIndex(a.PolicyARN, "/")+1:]
				var sev Severity
				switch {
				case name == "AdministratorAccess":
					sev = High
				case strings.HasSuffix(name, "FullAccess"):
					sev = Medium
				default:
					continue
				}
				f := loc
				f.Policy = a.PolicyARN
				f.Message = arnKindName(owner) + " has AWS managed policy " + name + " attached"
				withSeverity(p, sev, func() { p.Report(f) })
			}
		}
		for _, u := range s.Users {
			check(u.ARN, Finding{Resource: u.ARN, Principal: u.ARN, Location: u.Loc}, u.Attached)
		}
		for _, g := range s.Groups {
			check(g.ARN, Finding{Resource: g.ARN, Location: g.Loc}, g.Attached)
		}
		for _, r := range s.Roles {
			if !r.ServiceLinked {
				check(r.ARN, Finding{Resource: r.ARN, Principal: r.ARN, Location: r.Loc}, r.Attached)
			}
		}
		return nil
	},
}
