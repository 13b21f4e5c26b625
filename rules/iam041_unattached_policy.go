package rules

import "github.com/iamscan/iamscan/snapshot"

// IAM041UnattachedPolicy reports customer managed policies attached to
// nothing.
var IAM041UnattachedPolicy = &Rule{
	Meta: Meta{
		ID:       "IAM041",
		Title:    "Customer managed policy attached to nothing",
		Severity: Low,
		Family:   FamilyUnused,
		Description: "A customer managed policy attached to no user, group or role and used as no permissions " +
			"boundary grants nothing today, but clutters reviews and is one attach-policy call away from granting " +
			"whatever it says, often something written long ago. A policy whose AttachmentCount in the input is " +
			"above zero is not reported even if the attachment is outside the input.",
		Remediation: "Delete the policy (all non-default versions first) if nobody plans to use it, or document why " +
			"it is kept and suppress the finding with a reason.",
		References: []string{
			"https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_manage-delete.html",
		},
		Needs:  []snapshot.Data{snapshot.DataAuthorizationDetails},
		Source: "rules/iam041_unattached_policy.go",
	},
	Check: func(p *Pass) error {
		s := p.Snapshot
		boundaries := boundaryARNs(s)
		for _, mp := range s.Policies {
			if mp.AWSManaged || mp.Embedded || boundaries[mp.ARN] || len(s.AttachedTo(mp.ARN)) > 0 {
				continue
			}
			if mp.AttachmentKnown && mp.AttachmentCount > 0 {
				continue
			}
			p.Report(Finding{Resource: mp.ARN, Policy: mp.ARN, Location: mp.Loc, Message: "policy " + mp.Name + " is attached to nothing"})
		}
		return nil
	},
}
