package rules

import (
	"strings"

	"github.com/iamscan/iamscan/policy"
	"github.com/iamscan/iamscan/snapshot"
)

// sensitiveServices are those whose every action together amounts to
// control over identities, keys or the organization: a wildcard on them
// is reported as high rather than medium.
var sensitiveServices = map[string]bool{"iam": true, "sts": true, "organizations": true, "kms": true}

// IAM002ServiceWildcard reports Allow statements granting every action of
// one service ("s3:*").
var IAM002ServiceWildcard = &Rule{
	Meta: Meta{
		ID:       "IAM002",
		Title:    "Policy allows every action of a service",
		Severity: Medium,
		Family:   FamilyWildcards,
		Description: "An Allow statement with an action such as \"s3:*\" grants every current and future action " +
			"of that service, including deletions and permission changes (s3:PutBucketPolicy, " +
			"kms:ScheduleKeyDeletion). For iam, sts, organizations and kms the finding is high: every action of " +
			"those services together lets the holder escalate to administrator or destroy keys. Matching ignores " +
			"case (\"S3:*\" counts). Customer managed, inline and standalone identity policies are checked; AWS " +
			"managed policies are left to IAM008.",
		Remediation: "List the actions the workload uses instead of the service wildcard (access levels in the " +
			"Service Authorization Reference help; IAM Access Analyzer can generate a policy from activity), and " +
			"scope Resource to the ARNs it needs.",
		References: []string{
			"https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege",
			"https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html",
		},
		Needs:  []snapshot.Data{snapshot.DataPolicies},
		Source: "rules/iam002_service_wildcard.go",
	},
	Check: func(p *Pass) error {
		identityAllows(p, false, func(ref snapshot.PolicyRef, st *policy.Statement) {
			if st.Action.Not {
				return
			}
			seen := map[string]bool{}
			for _, a := range st.Action.List {
				svc, ok := serviceWildcard(a)
				if !ok || seen[svc] {
					continue
				}
				seen[svc] = true
				msg := describe(ref) + " allows every " + svc + " action (" + svc + ":*)" + conditionNote(st)
				sev := Medium
				if sensitiveServices[svc] {
					sev = High
				}
				withSeverity(p, sev, func() { p.ReportStatement(ref, st, ref.OwnerARN, msg) })
			}
		})
		return nil
	},
}

// serviceWildcard returns the lower-cased service of a pattern that grants
// every action of one named service: "s3:*", "IAM:**".
func serviceWildcard(pattern string) (string, bool) {
	svc, name, found := strings.Cut(pattern, ":")
	if !found || !onlyStars(name) || svc == "" || strings.ContainsAny(svc, "*?") {
		return "", false
	}
	return strings.ToLower(svc), true
}
