package rules

import "github.com/iamscan/iamscan/snapshot"

// IAM030UserDirectPolicies reports users with policies attached directly
// or inline rather than through groups.
var IAM030UserDirectPolicies = &Rule{
	Meta: Meta{
		ID:       "IAM030",
		Title:    "User has directly attached or inline policies",
		Severity: Low,
		Family:   FamilyCredentials,
		Description: "Permissions granted to users one by one drift apart and are hard to review or revoke when " +
			"someone changes team. CIS asks that users receive permissions only through groups (or, better, " +
			"through roles).",
		Remediation: "Create a group per job function, attach the policies there, add the user to it, and remove " +
			"the user's own attachments (aws iam detach-user-policy) and inline policies (aws iam " +
			"delete-user-policy).",
		References: []string{
			"https://docs.aws.amazon.com/IAM/latest/UserGuide/id_groups_manage_attach-policy.html",
		},
		CIS:    cis("1.15", "1.15", "1.14"),
		Needs:  []snapshot.Data{snapshot.DataAuthorizationDetails},
		Source: "rules/iam030_user_direct_policies.go",
	},
	Check: func(p *Pass) error {
		for _, u := range p.Snapshot.Users {
			var what string
			switch {
			case len(u.Attached) > 0 && len(u.Inline) > 0:
				what = "attached and inline policies"
			case len(u.Attached) > 0:
				what = "directly attached policies"
			case len(u.Inline) > 0:
				what = "inline policies"
			default:
				continue
			}
			p.Report(Finding{Resource: u.ARN, Principal: u.ARN, Location: u.Loc, Message: "user " + u.Name + " has " + what})
		}
		return nil
	},
}
