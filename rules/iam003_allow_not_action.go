package rules

import (
	"github.com/iamscan/iamscan/policy"
	"github.com/iamscan/iamscan/snapshot"
)

// IAM003AllowNotAction reports Allow statements written with NotAction.
var IAM003AllowNotAction = &Rule{
	Meta: Meta{
		ID:       "IAM003",
		Title:    "Allow statement uses NotAction",
		Severity: High,
		Family:   FamilyWildcards,
		Description: "\"Effect\": \"Allow\" with NotAction grants every action of every service except the ones " +
			"listed, including actions of services launched after the policy was written. It is usually meant " +
			"as \"everything but IAM\" and still grants far more than intended (for example sts:AssumeRole, " +
			"organizations:*, or iam actions spelled in a way the list misses). NotAction with Deny is a sound " +
			"guard-rail pattern and is not reported.",
		Remediation: "Rewrite the statement with Action listing what is needed. If the intent is \"all but\", " +
			"combine an explicit Allow of the needed services with a Deny statement using NotAction.",
		References: []string{
			"https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notaction.html",
		},
		Needs:  []snapshot.Data{snapshot.DataPolicies},
		Source: "rules/iam003_allow_not_action.go",
	},
	Check: func(p *Pass) error {
		identityAllows(p, false, func(ref snapshot.PolicyRef, st *policy.Statement) {
			if st.Action.Not {
				p.ReportStatement(ref, st, ref.OwnerARN, describe(ref)+" allows every action not listed in NotAction"+conditionNote(st))
			}
		})
		return nil
	},
}
