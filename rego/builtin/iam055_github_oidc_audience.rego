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

deny contains {"ref": st.ref, "principal": role.arn, "message": msg} if {
	some entry in input.trust.web_identity
	role := entry.role
	st := entry.statement
	trust.allows(st, "sts:AssumeRoleWithWebIdentity")
	some f in st.principal.federated
	trust.oidc_provider(f) == trust.github_issuer
	not trust.has_restriction(st, aud_key)
	msg := sprintf("%s trusts GitHub Actions OIDC without a token.actions.githubusercontent.com:aud condition", [trust.subject(role)])
}
