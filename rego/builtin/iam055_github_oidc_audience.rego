# METADATA
# title: GitHub Actions OIDC trust without an audience condition
# description: |
#   A role trusts GitHub Actions' OIDC provider for
#   sts:AssumeRoleWithWebIdentity without a condition on
#   token.actions.githubusercontent.com:aud. The audience pins the token
#   to AWS STS ("sts.amazonaws.com"); without it a token minted for
#   another audience is accepted too.
#   Trust policy files scanned on their own (a policy under review)
#   are checked too.
# custom:
#   id: IAM055
#   severity: medium
#   family: trust
#   remediation: |
#     Add "StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"}
#     to the trust statement's Condition.
#   references:
#     - https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/configuring-openid-connect-in-amazon-web-services
#   needs: [policies]
package iamscan.rules.iam055

import data.iamscan.lib.trust

aud_key := concat("", [trust.github_issuer, ":aud"])

github_statements contains [role, st] if {
	some entry in input.trust.web_identity
	role := entry.role
	st := entry.statement
	trust.allows(st, "sts:AssumeRoleWithWebIdentity")
	some f in st.principal.federated
	trust.oidc_provider(f) == trust.github_issuer
}

aud_conditions(st) := [c | some c in st.conditions; c.key_lower == aud_key]

deny contains {"ref": st.ref, "principal": role.arn, "message": msg} if {
	some [role, st] in github_statements
	count(aud_conditions(st)) == 0
	msg := sprintf("%s trusts GitHub Actions OIDC without a token.actions.githubusercontent.com:aud condition", [trust.subject(role)])
}

# Conditions on the audience, but none that restricts it: say why, so the
# message does not claim that no condition is there.
deny contains {"ref": st.ref, "principal": role.arn, "message": msg} if {
	some [role, st] in github_statements
	conds := aud_conditions(st)
	count(conds) > 0
	not trust.has_restriction(st, aud_key)
	why := concat("; ", sort({reason(c) | some c in conds}))
	msg := sprintf("%s trusts GitHub Actions OIDC without a token.actions.githubusercontent.com:aud condition that requires an audience: %s", [trust.subject(role), why])
}

reason(c) := trust.weakness(c, "audience") if {
	not trust.requires_value(c)
} else := sprintf("%s with only wildcard values admits every audience", [c.operator])
