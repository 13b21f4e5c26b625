package rules

import (
	"github.com/iamscan/iamscan/access"
	"github.com/iamscan/iamscan/snapshot"
)

// IAM010EffectiveAdmin reports users and roles that can call every action
// on every resource once all their policies are combined.
var IAM010EffectiveAdmin = &Rule{
	Meta: Meta{
		ID:       "IAM010",
		Title:    "Principal is effectively an administrator",
		Severity: High,
		Family:   FamilyEscalation,
		Description: "After combining inline policies, attached managed policies, group policies, explicit Deny " +
			"statements and the permissions boundary, the user or role may call every known action on every " +
			"resource without conditions. This catches administrators that no single policy reveals (several " +
			"service wildcards together, a NotAction statement, admin through a group) and leaves out those a " +
			"deny or boundary really restricts. Service control policies are not applied; service-linked roles " +
			"are skipped.",
		Remediation: "Confirm the principal must be an administrator. If so, make it a role assumed through SSO " +
			"with MFA and keep the list of such principals short; otherwise replace its policies with the " +
			"actions it uses, or add a permissions boundary.",
		References: []string{
			"https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html",
			"https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html",
		},
		Needs:  []snapshot.Data{snapshot.DataAuthorizationDetails},
		Source: "rules/iam010_effective_admin.go",
	},
	Check: func(p *Pass) error {
		acc, err := access.Shared(p.Shared, p.Snapshot)
		if err != nil {
			return err
		}
		for _, pr := range p.Snapshot.Principals() {
			if serviceLinked(p.Snapshot, pr) {
				continue
			}
			perms := acc.Of(pr)
			if perms == nil || !perms.IsAdmin() {
				continue
			}
			msg := pr.Kind.String() + " " + pr.Name + " is effectively an administrator"
			if perms.BoundaryUnresolved {
				msg += " (its permissions boundary is not in the input)"
			}
			p.Report(Finding{Resource: pr.ARN, Principal: pr.ARN, Location: pr.Loc, Message: msg})
		}
		return nil
	},
}

// serviceLinked reports whether a principal is a service-linked role,
// which AWS owns and the account cannot change.
func serviceLinked(s *snapshot.Snapshot, pr *snapshot.Principal) bool {
	if pr.Kind != snapshot.KindRole {
		return false
	}
	r := s.Role(pr.Name)
	return r != nil && r.ServiceLinked
}
