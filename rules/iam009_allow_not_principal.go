package rules

import (
	"github.com/iamscan/iamscan/policy"
	"github.com/iamscan/iamscan/snapshot"
)

// IAM009AllowNotPrincipal reports Allow statements written with
// NotPrincipal.
var IAM009AllowNotPrincipal = &Rule{
	Meta: Meta{
		ID:       "IAM009",
		Title:    "Allow statement uses NotPrincipal",
		Severity: High,
		Family:   FamilyTrust,
		Description: "\"Effect\": \"Allow\" with NotPrincipal in a trust or resource policy grants access to every " +
			"principal except the ones listed, including anonymous callers and every other AWS account. AWS " +
			"documents it as something to avoid with Allow. Deny with NotPrincipal is not reported.",
		Remediation: "Use Principal with the accounts, roles or services that need access, adding conditions " +
			"(aws:PrincipalOrgID, aws:PrincipalArn) when the set is large.",
		References: []string{
			"https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html",
		},
		Needs:  []snapshot.Data{snapshot.DataPolicies},
		Source: "rules/iam009_allow_not_principal.go",
	},
	Check: func(p *Pass) error {
		for _, ref := range p.Snapshot.AllPolicies() {
			for _, st := range ref.Doc.Statements {
				if st.Effect == policy.Allow && st.Principal != nil && st.Principal.Not {
					p.ReportStatement(ref, st, ref.OwnerARN, describe(ref)+" allows every principal not listed in NotPrincipal"+conditionNote(st))
				}
			}
		}
		return nil
	},
}
