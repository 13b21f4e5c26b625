package rules

import (
	"github.com/iamscan/iamscan/policy"
	"github.com/iamscan/iamscan/snapshot"
)

// IAM004AllowNotResource reports Allow statements written with NotResource.
var IAM004AllowNotResource = &Rule{
	Meta: Meta{
		ID:       "IAM004",
		Title:    "Allow statement uses NotResource",
		Severity: Medium,
		Family:   FamilyWildcards,
		Description: "\"Effect\": \"Allow\" with NotResource grants the listed actions on every resource except the " +
			"ones named, in every account and region, including resources created later. It is easy to get wrong " +
			"and hard to review. NotResource with Deny is a legitimate guard rail and is not reported.",
		Remediation: "Replace NotResource with a Resource element listing the ARNs (or ARN patterns) the principal " +
			"needs, or move the exclusion into a Deny statement.",
		References: []string{
			"https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notresource.html",
		},
		Needs:  []snapshot.Data{snapshot.DataPolicies},
		Source: "rules/iam004_allow_not_resource.go",
	},
	Check: func(p *Pass) error {
		identityAllows(p, false, func(ref snapshot.PolicyRef, st *policy.Statement) {
			if st.Resource.Not {
				p.ReportStatement(ref, st, ref.OwnerARN, describe(ref)+" allows actions on every resource not listed in NotResource"+conditionNote(st))
			}
		})
		return nil
	},
}
