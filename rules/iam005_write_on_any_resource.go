package rules

import (
	"strings"

	"github.com/iamscan/iamscan/policy"
	"github.com/iamscan/iamscan/snapshot"
)

// IAM005WriteOnAnyResource reports Write and Permissions-management
// actions granted on Resource "*" although they accept specific ARNs.
var IAM005WriteOnAnyResource = &Rule{
	Meta: Meta{
		ID:       "IAM005",
		Title:    "Write or permissions-management actions allowed on every resource",
		Severity: Medium,
		Family:   FamilyWildcards,
		Description: "An Allow statement grants actions of access level Write or Permissions management on " +
			"Resource \"*\" (or an ARN pattern that leaves every part open, such as \"arn:*:*:*:*:*\") although those actions accept specific resource ARNs (per the Service Authorization " +
			"Reference, embedded in iamscan's action catalog). Such a grant lets the holder change or delete " +
			"every bucket, queue, key or function of the account instead of the ones it owns. Actions that only " +
			"accept \"*\" (for example s3:CreateBucket's siblings that have no resource type) are not findings: " +
			"there is nothing narrower to write. Full wildcards (\"*\") and service wildcards (\"s3:*\") are " +
			"left to IAM001 and IAM002; AWS managed policies to IAM008.",
		Remediation: "Replace Resource \"*\" with the ARNs (or ARN patterns such as arn:aws:s3:::app-data/*) the " +
			"workload writes to, or split the statement so that only actions without resource-level support " +
			"keep \"*\".",
		References: []string{
			"https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html",
			"https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_understand-policy-summary-access-level-summaries.html",
		},
		Needs:  []snapshot.Data{snapshot.DataPolicies},
		Source: "rules/iam005_write_on_any_resource.go",
	},
	Check: func(p *Pass) error {
		cat := policy.DefaultCatalog()
		identityAllows(p, false, func(ref snapshot.PolicyRef, st *policy.Statement) {
			if st.Action.Not || !anyResource(p.Snapshot, st) {
				return
			}
			var examples []string
			for _, pat := range st.Action.List {
				if isEveryAction(pat) {
					return // IAM001
				}
				if _, svcWide := serviceWildcard(pat); svcWide {
					continue // IAM002
				}
				set, err := cat.Expand(pat)
				if err != nil {
					continue // unknown actions grant nothing the catalog knows of
				}
				for id := range set.All() {
					a := cat.Action(id)
					if (a.Level == policy.LevelWrite || a.Level == policy.LevelPermissionsManagement) && a.ResourceLevel() {
						examples = append(examples, a.FullName())
						break // one example per pattern keeps messages short and stable
					}
				}
			}
			if len(examples) == 0 {
				return
			}
			if len(examples) > 3 {
				examples = examples[:3]
			}
			p.ReportStatement(ref, st, ref.OwnerARN, describe(ref)+" allows write or permissions-management actions on every resource although they accept specific ARNs ("+strings.Join(examples, ", ")+")"+conditionNote(st))
		})
		return nil
	},
}
