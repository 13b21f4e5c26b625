# METADATA
# title: Trust policy lets any principal assume the role under weak conditions only
# description: |
#   A role's trust policy allows sts:AssumeRole to any AWS principal
#   ("*", {"AWS": "*"} or an account wildcard) and has conditions, but
#   none of them restricts who the caller is: conditions
#   on aws:SecureTransport, aws:UserAgent, aws:RequestedRegion, time or
#   source IP, negated operators, "...IfExists" and ForAllValues variants
#   (which pass when the key is absent) all leave the role assumable by
#   any AWS account in the world. So does an sts:ExternalId condition
#   alone: the caller passes whatever external id it likes and AWS says
#   the id is not a secret, so it stops a confused deputy but not a
#   stranger who learns it. Only a positive test on the caller's
#   identity, account or organization (aws:PrincipalOrgID,
#   aws:PrincipalAccount, aws:PrincipalArn, aws:SourceAccount,
#   aws:SourceArn) narrows it. IAM050 reports the open
#   statements with no condition at all and this rule those whose
#   conditions give a false sense of safety, naming the conditions: each
#   open statement gets one finding. It is as severe as IAM050, since a
#   weak condition stops no attacker. Both rules judge principals and
#   conditions with the same Go functions.
#   Trust policy files scanned on their own (a policy under review)
#   are checked too.
# custom:
#   id: IAM051
#   severity: critical
#   family: trust
#   remediation: |
#     Name the principals that may assume the role instead of "*", or add
#     a condition that pins the caller, for example
#     "StringEquals": {"aws:PrincipalOrgID": "o-xxxxxxxxxx"}.
#   references:
#     - https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
#     - https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
#     - https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-user_externalid.html
#   needs: [policies]
package iamscan.rules.iam051

import data.iamscan.lib.trust

deny contains {"ref": st.ref, "principal": role.arn, "message": msg} if {
	some entry in input.trust.any_principal
	role := entry.role
	st := entry.statement
	trust.allows(st, "sts:AssumeRole")
	trust.any_principal(st)
	count(st.conditions) > 0
	not trust.narrows_identity(st)
	keys := concat(", ", sort({c.key | some c in st.conditions}))
	msg := sprintf("%s lets any AWS principal assume it; its conditions (%s) do not restrict who the caller is", [trust.policy(role), keys])
}
