package rules

import "github.com/iamscan/iamscan/snapshot"

// IAM006PassRoleAny reports iam:PassRole granted on every role.
var IAM006PassRoleAny = &Rule{
	Meta: Meta{
		ID:       "IAM006",
		Title:    "iam:PassRole allowed on every role",
		Severity: High,
		Family:   FamilyWildcards,
		Description: "iam:PassRole lets a principal hand a role to a service (EC2, Lambda, Glue, ECS, " +
			"CloudFormation...). Allowed on every role, it lets the holder run code as the most privileged role " +
			"in the account, a classic privilege-escalation path. Any Resource pattern that matches every role " +
			"name counts (\"*\", \"arn:aws:iam::*:role/*\", \"arn:aws:iam::ACCOUNT:role/*\"), and so does a NotResource that " +
			"leaves out only some roles; actions are matched " +
			"case-insensitively, so \"iam:*\" and \"IAM:Pass*\" count too. A condition such as iam:PassedToService " +
			"narrows the services but not the roles; the finding stays and its message says a condition applies.",
		Remediation: "Scope the Resource of iam:PassRole to the specific role ARNs (or a dedicated path such as " +
			"role/service-roles/app-*) the workload must pass, and add an iam:PassedToService condition.",
		References: []string{
			"https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html",
		},
		Needs:  []snapshot.Data{snapshot.DataPolicies},
		Source: "rules/iam006_passrole_any.go",
	},
	Check: func(p *Pass) error {
		reportOnEveryRole(p, "iam:PassRole")
		return nil
	},
}
