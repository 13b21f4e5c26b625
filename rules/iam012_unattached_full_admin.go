package rules

import (
	"github.com/iamscan/iamscan/policy"
	"github.com/iamscan/iamscan/snapshot"
)

// IAM012UnattachedFullAdmin reports customer managed policies attached to
// nothing that allow every action on every resource.
var IAM012UnattachedFullAdmin = &Rule{
	Meta: Meta{
		ID:       "IAM012",
		Title:    "Unattached policy allows full administrative access",
		Severity: Low,
		Family:   FamilyWildcards,
		Description: "A customer managed policy attached to no user, group or role (none in the input, and an " +
			"AttachmentCount of zero) has an Allow statement granting every action on every resource, judged as " +
			"IAM001 judges it. It grants nothing today, so it does not fail the CIS control on attached \"*:*\" " +
			"policies and is not IAM001's critical finding; but it is one attach-policy call away from making " +
			"someone an administrator, and whoever may attach policies will find it ready. Policies used only as " +
			"permissions boundaries are not reported: a boundary caps permissions and grants none. IAM041 reports " +
			"every unattached customer managed policy, whatever it allows.",
		Remediation: "Delete the policy if nobody uses it (aws iam delete-policy, after deleting its non-default " +
			"versions). If it is kept for break-glass use, document that and suppress the finding with a reason.",
		References: []string{
			"https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_manage-delete.html",
			"https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege",
		},
		Needs:  []snapshot.Data{snapshot.DataAuthorizationDetails},
		Source: "rules/iam012_unattached_full_admin.go",
	},
	Check: func(p *Pass) error {
		identityAllows(p, false, func(ref snapshot.PolicyRef, st *policy.Statement) {
			if !unattachedManaged(p.Snapshot, ref) || !fullAdmin(p.Snapshot, st) {
				return
			}
			p.ReportStatement(ref, st, "", describe(ref)+" allows every action on every resource and is attached to nothing"+conditionNote(st))
		})
		return nil
	},
}
