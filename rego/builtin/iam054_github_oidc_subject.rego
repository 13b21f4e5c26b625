# METADATA
# title: GitHub Actions OIDC trust admits any repository
# description: |
#   A role trusts GitHub Actions' OIDC provider
#   (token.actions.githubusercontent.com) for sts:AssumeRoleWithWebIdentity
#   without a condition on token.actions.githubusercontent.com:sub, or
#   with a sub pattern whose owner part is a wildcard ("*", "repo:*",
#   "repo:*/app:*"). Every workflow of every GitHub repository can get a
#   token from that provider, so such a role can be assumed by anyone on
#   GitHub. Patterns that pin the owner (organization or user) are
#   accepted; list deliberate exceptions in trusted_subjects.
# custom:
#   id: IAM054
#   severity: critical
#   family: trust
#   remediation: |
#     Add a condition pinning the repository and, ideally, the branch or
#     environment:
#     "StringLike": {"token.actions.githubusercontent.com:sub": "repo:ORG/REPO:ref:refs/heads/main"}
#   references:
#     - https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/configuring-openid-connect-in-amazon-web-services
#     - https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_oidc.html#idp_oidc_Create_GitHub
#   params:
#     trusted_subjects:
#       doc: Subject patterns accepted as written, even with a wildcard owner.
#       default: []
#   needs: [authorization-details]
package iamscan.rules.iam054

import data.iamscan.lib.trust

sub_key := concat("", [trust.github_issuer, ":sub"])

github_statements contains [role, st] if {
	some entry in input.trust.web_identity
	role := entry.role
	st := entry.statement
	trust.allows(st, "sts:AssumeRoleWithWebIdentity")
	some f in st.principal.federated
	trust.oidc_provider(f) == trust.github_issuer
}

deny contains {"ref": st.ref, "principal": role.arn, "message": msg} if {
	some [role, st] in github_statements
	not trust.has_restriction(st, sub_key)
	msg := sprintf("role %s trusts GitHub Actions OIDC without a token.actions.githubusercontent.com:sub condition", [role.name])
}

deny contains {"ref": st.ref, "principal": role.arn, "message": msg} if {
	some [role, st] in github_statements
	some c in st.conditions
	c.key_lower == sub_key
	trust.restricts(c)
	contains(lower(c.operator), "like")
	some v in c.values
	any_owner(v)
	not v in trusted_subjects
	msg := sprintf("role %s trusts GitHub Actions OIDC with sub pattern %q, which admits repositories of any owner", [role.name, v])
}

# any_owner(v) is true when a StringLike sub pattern leaves the
# repository owner open: the owner is the text between "repo:" and "/".
any_owner(v) if startswith(v, "*")

any_owner(v) if {
	startswith(v, "repo:")
	owner := split(trim_prefix(v, "repo:"), "/")[0]
	regex.match(`[*?]`, owner)
}

any_owner(v) if {
	startswith(v, "repo:")
	not contains(v, "/")
}

trusted_subjects := {s | some s in input.params.trusted_subjects}
