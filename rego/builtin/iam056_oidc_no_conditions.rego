# METADATA
# title: OIDC provider trust without audience or subject conditions
# description: |
#   A role trusts an OpenID Connect provider other than GitHub Actions
#   for sts:AssumeRoleWithWebIdentity, and no condition pins who the token
#   was issued to. Then any token that provider issues, to any
#   application or workload it serves, can assume the role. GitHub
#   Actions trust is checked by IAM054 and IAM055.
#
#   For providers whose audience is the same for every tenant or chosen
#   by whoever asks for the token, only the subject counts, and a sub
#   pattern whose wildcards can write part of the tenant (judged by IAM's
#   glob semantics) does not pin it:
#
#   - EKS clusters (oidc.eks.REGION.amazonaws.com/id/ID): aud is always
#     sts.amazonaws.com, so the sub must name a namespace,
#     system:serviceaccount:NAMESPACE:NAME. A wildcard in NAME is
#     accepted (AWS documents namespace-wide roles); one that covers the
#     namespace, as in system:serviceaccount:*, admits every service
#     account of the cluster.
#   - gitlab.com: every CI job chooses its token's aud, so the sub must
#     name the group, project_path:GROUP/PROJECT:...
#   - Terraform Cloud (app.terraform.io): the default aud
#     aws.workload.identity is every organization's, so the sub must name
#     the organization, organization:ORG:...
#
#   For other providers (Google, Cognito, ...) a condition on aud, azp,
#   oaud or sub that requires a value pins the token, unless its
#   StringLike values start with a wildcard ("*.apps.googleusercontent.com"
#   admits every client). Conditions that do not require a value
#   (ForAllValues, ...IfExists, negated operators) never pin.
#   Trust policy files scanned on their own (a policy under review)
#   are checked too.
# custom:
#   id: IAM056
#   severity: high
#   family: trust
#   remediation: |
#     Add conditions on the provider's subject and audience keys, e.g. for
#     EKS: "StringEquals": {"oidc.eks.REGION.amazonaws.com/id/ID:sub":
#     "system:serviceaccount:NAMESPACE:NAME", "oidc.eks.REGION.amazonaws.com/id/ID:aud": "sts.amazonaws.com"};
#     for Terraform Cloud: "StringLike": {"app.terraform.io:sub":
#     "organization:ORG:project:PROJECT:workspace:WORKSPACE:run_phase:*"}.
#   references:
#     - https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_oidc.html
#     - https://docs.aws.amazon.com/eks/latest/userguide/associate-service-account-role.html
#     - https://docs.gitlab.com/ci/cloud_services/aws/
#     - https://developer.hashicorp.com/terraform/cloud-docs/workspaces/dynamic-provider-credentials/aws-configuration
#   needs: [policies]
package iamscan.rules.iam056

import data.iamscan.lib.trust

oidc_statements contains [role, st, issuer] if {
	some entry in input.trust.web_identity
	role := entry.role
	st := entry.statement
	trust.allows(st, "sts:AssumeRoleWithWebIdentity")
	some f in st.principal.federated
	issuer := trust.oidc_provider(f)
	issuer != trust.github_issuer
}

# tenancy(issuer) describes providers whose subject must name the tenant:
# the subject's text before the tenant, the character after it, what the
# tenant is and who an open pattern admits.
tenancy(issuer) := {
	"prefix": "system:serviceaccount:", "sep": ":",
	"names": "a namespace (system:serviceaccount:NAMESPACE:NAME)",
	"everyone": "every service account of the cluster",
	"open": "service accounts of any namespace",
} if regex.match(`^oidc\.eks\.[a-z0-9-]+\.amazonaws\.com(\.cn)?/id/`, lower(issuer))

tenancy(issuer) := {
	"prefix": "project_path:", "sep": "/",
	"names": "a group (project_path:GROUP/PROJECT:...)",
	"everyone": "every project on gitlab.com",
	"open": "projects of any group",
} if lower(issuer) == "gitlab.com"

tenancy(issuer) := {
	"prefix": "organization:", "sep": ":",
	"names": "an organization (organization:ORG:...)",
	"everyone": "every Terraform Cloud workspace",
	"open": "workspaces of any organization",
} if lower(issuer) == "app.terraform.io"

key(issuer, suffix) := concat(":", [lower(issuer), suffix])

# Providers with a tenant in the subject: the sub decides, and the
# conditions on it are ANDed, so one that pins the tenant with every
# value is enough.
sub_conditions(st, issuer) := [c |
	some c in st.conditions
	c.key_lower == key(issuer, "sub")
	trust.requires_value(c)
]

deny contains {"ref": st.ref, "principal": role.arn, "message": msg} if {
	some [role, st, issuer] in oidc_statements
	t := tenancy(issuer)
	count(sub_conditions(st, issuer)) == 0
	msg := sprintf("%s trusts OIDC provider %s without a sub condition naming %s, so %s can assume it", [trust.subject(role), issuer, t.names, t.everyone])
}

deny contains {"ref": st.ref, "principal": role.arn, "message": msg} if {
	some [role, st, issuer] in oidc_statements
	t := tenancy(issuer)
	conds := sub_conditions(st, issuer)
	count(conds) > 0
	not tenant_pinned(conds, t)
	some c in conds
	some v in c.values
	tenant_open(c, v, t)
	msg := sprintf("%s trusts OIDC provider %s with sub pattern %q, which admits %s", [trust.subject(role), issuer, v, t.open])
}

tenant_pinned(conds, t) if {
	some c in conds
	every v in c.values {
		not tenant_open(c, v, t)
	}
}

# StringEquals values are literal; a StringLike one is open when its
# wildcards can write part of the tenant.
tenant_open(c, v, t) if {
	endswith(lower(c.operator), "stringlike")
	iam.glob_leaves_open(v, t.prefix, t.sep)
}

# Other providers: audience or subject, if it names a value.
identity_conditions(st, issuer) := [c |
	some c in st.conditions
	some suffix in {"aud", "azp", "oaud", "sub"}
	c.key_lower == key(issuer, suffix)
]

deny contains {"ref": st.ref, "principal": role.arn, "message": msg} if {
	some [role, st, issuer] in oidc_statements
	not tenancy(issuer)
	count(identity_conditions(st, issuer)) == 0
	msg := sprintf("%s trusts OIDC provider %s without an audience or subject condition", [trust.subject(role), issuer])
}

deny contains {"ref": st.ref, "principal": role.arn, "message": msg} if {
	some [role, st, issuer] in oidc_statements
	not tenancy(issuer)
	conds := identity_conditions(st, issuer)
	count(conds) > 0
	every c in conds {
		not pins(c)
	}
	keys := concat(", ", sort({sprintf("%s %s", [c.operator, c.key]) | some c in conds}))
	msg := sprintf("%s trusts OIDC provider %s, but its audience and subject conditions (%s) do not require a value that names the client or subject", [trust.subject(role), issuer, keys])
}

pins(c) if {
	trust.restricts(c)
	every v in c.values {
		not wildcard_led(c, v)
	}
}

# A StringLike value that starts with a wildcard leaves the part that
# identifies the client or tenant open.
wildcard_led(c, v) if {
	endswith(lower(c.operator), "stringlike")
	regex.match(`^[*?]`, v)
}
