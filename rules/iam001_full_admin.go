package rules

import (
	"github.com/iamscan/iamscan/policy"
	"github.com/iamscan/iamscan/snapshot"
)

// IAM001FullAdmin reports statements of policies in use that allow every
// action on every resource (unattached managed policies are IAM012's). A
// Condition does not silence it: the statement is still
// reported, one level lower (high), with the message saying so, because
// most conditions seen on such statements (source IP, MFA, tags) limit
// when the grant applies, not what it grants.
var IAM001FullAdmin = &Rule{
	Meta: Meta{
		ID:       "IAM001",
		Title:    "Policy allows every action on every resource",
		Severity: Critical,
		Family:   FamilyWildcards,
		Description: "An Allow statement with Action \"*\" (or \"*:*\", in any case) and Resource \"*\" (or an ARN " +
			"pattern that leaves every part open, such as \"arn:*:*:*:*:*\" or \"arn:*\") grants full " +
			"administrative access: whoever holds the policy can read every secret, change every resource and " +
			"grant themselves or others any permission, including disabling logging. CIS asks that no policy " +
			"granting \"*:*\" be attached, so the rule checks policies in use: inline policies, managed policies " +
			"attached to a user, group or role (or whose AttachmentCount says they are attached outside the input, " +
			"or does not say), AWS managed policies when attached, and standalone policy files, whose attachment " +
			"is unknown (a policy under review). A customer managed policy known to be attached to nothing is " +
			"IAM012's. Deny statements, trust policies and organization policies are " +
			"not identity grants and are ignored. A statement with a Condition is reported with high severity " +
			"and says so in its message.",
		Remediation: "Replace the statement with the actions and resources the principal needs (IAM Access Analyzer " +
			"can generate a policy from CloudTrail activity). Reserve administrator access to a few roles assumed " +
			"through SSO with MFA, and detach the policy from users, groups and roles that do not need it.",
		References: []string{
			"https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege",
			"https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-policy-generation.html",
		},
		CIS:    cis("1.16", "1.16", "1.15"),
		Needs:  []snapshot.Data{snapshot.DataPolicies},
		Source: "rules/iam001_full_admin.go",
	},
	Check: func(p *Pass) error {
		identityAllows(p, true, func(ref snapshot.PolicyRef, st *policy.Statement) {
			if !fullAdmin(p.Snapshot, st) || unattachedManaged(p.Snapshot, ref) {
				return
			}
			msg := describe(ref) + " allows every action on every resource"
			if len(st.Condition) > 0 {
				withSeverity(p, High, func() {
					p.ReportStatement(ref, st, ref.OwnerARN, msg+conditionNote(st))
				})
				return
			}
			p.ReportStatement(ref, st, ref.OwnerARN, msg)
		})
		return nil
	},
}

// fullAdmin reports whether a statement grants every action on every
// resource (what IAM001 reports; narrower rules skip such statements so
// one grant is not reported three times).
func fullAdmin(s *snapshot.Snapshot, st *policy.Statement) bool {
	if st.Action.Not || !anyResource(s, st) {
		return false
	}
	for _, a := range st.Action.List {
		if isEveryAction(a) {
			return true
		}
	}
	return false
}
