package rules

import "github.com/iamscan/iamscan/snapshot"

// IAM007AssumeRoleAny reports sts:AssumeRole granted on every role.
var IAM007AssumeRoleAny = &Rule{
	Meta: Meta{
		ID:       "IAM007",
		Title:    "sts:AssumeRole allowed on every role",
		Severity: Medium,
		Family:   FamilyWildcards,
		Description: "An identity policy allowing sts:AssumeRole on every role lets the principal become any " +
			"role whose trust policy trusts the account, so the account's trust policies alone decide what it " +
			"can do; a single permissive trust policy becomes an escalation. Any Resource pattern matching every " +
			"role name counts, as does a NotResource that leaves out only some roles; actions are matched " +
			"case-insensitively.",
		Remediation: "List the role ARNs the principal needs to assume in Resource, and keep trust policies " +
			"naming specific principals rather than the account root.",
		References: []string{
			"https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_permissions-to-switch.html",
		},
		Needs:  []snapshot.Data{snapshot.DataPolicies},
		Source: "rules/iam007_assumerole_any.go",
	},
	Check: func(p *Pass) error {
		reportOnEveryRole(p, "sts:AssumeRole")
		return nil
	},
}
