# METADATA
# title: GitHub Actions OIDC trust admits any repository
# description: |
#   A role trusts GitHub Actions' OIDC provider
#   (token.actions.githubusercontent.com) for sts:AssumeRoleWithWebIdentity
#   and nothing pins the repository owner in the token's subject
#   (repo:OWNER/REPO:...): there is no condition on
#   token.actions.githubusercontent.com:sub, or its conditions do not
#   require a value (ForAllValues and ...IfExists operators are also true
#   when the key is absent; negated operators admit everyone else), or
#   every condition on it admits an owner it does not name: a StringLike
#   pattern whose wildcards can write part of the owner ("*", "repo:*",
#   "r*", "repo:acme*", "repo:*/app:*", "*:ref:refs/heads/main"), judged
#   by IAM's glob semantics, not by prefix. Every workflow of every
#   GitHub repository can get a token from that provider, so such a role
#   can be assumed by anyone on GitHub. Conditions on the same key are
#   ANDed, so one condition that pins the owner is enough. Patterns that
#   pin the owner (organization or user) are accepted; list deliberate
#   exceptions in trusted_subjects.
#   Trust policy files scanned on their own (a policy under review)
#   are checked too.
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
#     - https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html
#   params:
#     trusted_subjects:
#       doc: Subject patterns accepted as written, even with a wildcard owner.
#       default: []
#   needs: [policies]
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

sub_conditions(st) := [c | some c in st.conditions; c.key_lower == sub_key]

deny contains {"ref": st.ref, "principal": role.arn, "message": msg} if {
	some [role, st] in github_statements
	count(sub_conditions(st)) == 0
	msg := sprintf("%s trusts GitHub Actions OIDC without a token.actions.githubusercontent.com:sub condition", [trust.subject(role)])
}

# Conditions on the subject, but none that requires a value.
deny contains {"ref": st.ref, "principal": role.arn, "message": msg} if {
	some [role, st] in github_statements
	conds := sub_conditions(st)
	count(conds) > 0
	every c in conds {
		not trust.requires_value(c)
	}
	why := concat("; ", sort({trust.weakness(c, "subject") | some c in conds}))
	msg := sprintf("%s trusts GitHub Actions OIDC without a token.actions.githubusercontent.com:sub condition that requires a subject: %s", [trust.subject(role), why])
}

# Positive conditions, ANDed: the subject is pinned when one of them
# pins the owner with every value. Otherwise each value that leaves the
# owner open is a way in.
deny contains {"ref": st.ref, "principal": role.arn, "message": msg} if {
	some [role, st] in github_statements
	conds := [c | some c in sub_conditions(st); trust.requires_value(c)]
	count(conds) > 0
	not owner_pinned(conds)
	some c in conds
	some v in c.values
	owner_open(c, v)
	msg := sprintf("%s trusts GitHub Actions OIDC with sub pattern %q, which admits repositories of any owner", [trust.subject(role), v])
}

owner_pinned(conds) if {
	some c in conds
	every v in c.values {
		not owner_open(c, v)
	}
}

# owner_open(c, v) is true when the value admits an owner it does not
# name: a StringLike pattern whose wildcards can write part of the owner
# in repo:OWNER/... (StringEquals values are literal: "*" is an asterisk).
owner_open(c, v) if {
	endswith(lower(c.operator), "stringlike")
	not v in trusted_subjects
	iam.glob_leaves_open(v, "repo:", "/")
}

trusted_subjects := {s | some s in input.params.trusted_subjects}
