# METADATA
# title: OIDC provider trust without audience or subject conditions
# description: |
#   A role trusts an OpenID Connect provider other than GitHub Actions
#   (EKS clusters, Google, Cognito, GitLab, Terraform Cloud, ...) for
#   sts:AssumeRoleWithWebIdentity with no condition on the provider's
#   aud, azp or sub keys. Then any token that provider issues, to any
#   application or workload it serves, can assume the role: for an EKS
#   cluster, every service account of every namespace. GitHub Actions
#   trust is checked by IAM054 and IAM055.
# custom:
#   id: IAM056
#   severity: high
#   family: trust
#   remediation: |
#     Add conditions on the provider's audience and subject keys, e.g. for
#     EKS: "StringEquals": {"oidc.eks.REGION.amazonaws.com/id/ID:sub":
#     "system:serviceaccount:NAMESPACE:NAME", "oidc.eks.REGION.amazonaws.com/id/ID:aud": "sts.amazonaws.com"}.
#   references:
#     - https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_oidc.html
#     - https://docs.aws.amazon.com/eks/latest/userguide/associate-service-account-role.html
#   needs: [authorization-details]
package iamscan.rules.iam056

import data.iamscan.lib.trust

deny contains {"ref": st.ref, "principal": role.arn, "message": msg} if {
	some entry in input.trust.web_identity
	role := entry.role
	st := entry.statement
	trust.allows(st, "sts:AssumeRoleWithWebIdentity")
	some f in st.principal.federated
	issuer := trust.oidc_provider(f)
	issuer != trust.github_issuer
	not pinned(st, lower(issuer))
	msg := sprintf("role %s trusts OIDC provider %s without an audience or subject condition", [role.name, issuer])
}

pinned(st, issuer) if {
	some suffix in {"aud", "azp", "oaud", "sub"}
	trust.has_restriction(st, concat(":", [issuer, suffix]))
}
