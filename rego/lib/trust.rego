# Helpers shared by trust-policy rules, built-in and custom: who a trust
# statement lets assume a role, and which conditions really narrow that.
# Import with: import data.iamscan.lib.trust
package iamscan.lib.trust

# allows(st, action) is true when st is an Allow statement whose Action
# (or NotAction) admits action, one of sts:AssumeRole,
# sts:AssumeRoleWithSAML, sts:AssumeRoleWithWebIdentity,
# sts:SetSourceIdentity and sts:TagSession. Matched by the Go engine when
# the input is built (st.allows); for other actions, use
# iam.action_matches on st.actions.
allows(st, action) if st.allows[action]

# any_principal(st) is true when the statement admits every AWS
# principal: "*", {"AWS": "*"} or an account wildcard such as
# "arn:aws:iam::*:root" (NotPrincipal is IAM009's). Computed in Go by the
# function IAM050 uses.
any_principal(st) if st.any_principal

# cross_accounts(role, st) is the set of other accounts the statement
# names in its AWS principals (wildcards excluded: they are "any
# principal", a finding of their own). st.principal_accounts and
# role.account are parsed in Go. Empty for a trust policy file whose
# account the scan does not know: no account can be told from its own.
cross_accounts(role, st) := {acct |
	role.account != ""
	some acct in st.principal_accounts
	acct != role.account
}

# The "role" of a trust index entry is a role, or for a standalone trust
# policy file (a policy under review, not yet any role's) an object of
# the same shape with "file": true, the file's base name as name, an
# empty arn and the scanned account ("" when unknown). Messages name it
# with these, so that a role's finding reads as it always has:
#
# subject(role): "role NAME", or "the role of policy file NAME";
# policy(role): "trust policy of role NAME", or "policy file NAME" (as
# the Go rules describe a trust policy).
subject(role) := sprintf("the role of policy file %s", [role.name]) if role.file

subject(role) := sprintf("role %s", [role.name]) if not role.file

policy(role) := sprintf("policy file %s", [role.name]) if role.file

policy(role) := sprintf("trust policy of role %s", [role.name]) if not role.file

# positive_operators are those that admit only the listed values. Their
# negations admit everyone else; "...IfExists" passes when the key is
# absent; ForAllValues passes on an absent key: none of those narrow.
positive_operators := {
	"stringequals",
	"stringequalsignorecase",
	"stringlike",
	"arnequals",
	"arnlike",
	"foranyvalue:stringequals",
	"foranyvalue:stringlike",
}

# requires_value(c) is true when condition c requires its key to be
# present and to equal or match one of its values: a positive operator
# (not IfExists, not ForAllValues, not negated) with at least one value.
# Whether the values say anything is the caller's to judge.
requires_value(c) if {
	lower(c.operator) in positive_operators
	count(c.values) > 0
}

# weakness(c, what) says why condition c does not require a value of its
# key (a subject, an audience): the reason a condition that is there
# still lets every token in.
weakness(c, what) := sprintf("%s is also true when the key is absent", [c.operator]) if {
	startswith(lower(c.operator), "forallvalues:")
} else := sprintf("%s is true when the key is absent", [c.operator]) if {
	endswith(lower(c.operator), "ifexists")
} else := sprintf("%s admits every %s it does not list", [c.operator, what]) if {
	contains(lower(c.operator), "not")
} else := sprintf("%s does not require a %s", [c.operator, what])

# restricts(c) is true when condition c really restricts its key to
# specific values: a positive operator and values that are not only
# wildcards.
restricts(c) if {
	lower(c.operator) in positive_operators
	count(c.values) > 0
	every v in c.values {
		trim(v, "*?") != ""
	}
}

# narrows_identity(st) is true when some condition of st restricts the
# caller's identity, account or organization to specific values
# (aws:PrincipalOrgID, aws:PrincipalArn, aws:PrincipalAccount, ...; not
# sts:ExternalId, which the caller chooses and which is no secret).
# Computed in Go by the function IAM050 uses.
narrows_identity(st) if st.narrows_caller

# has_restriction(st, key) is true when st restricts the condition key
# (given in lower case).
has_restriction(st, key) if {
	some c in st.conditions
	c.key_lower == key
	restricts(c)
}

# pins(st, key) is true when st restricts the condition key (given in
# lower case) to values without any wildcard: for account and
# organization ids, where "o-*" or "1111*" admits others.
pins(st, key) if {
	some c in st.conditions
	c.key_lower == key
	restricts(c)
	every v in c.values {
		not regex.match(`[*?]`, v)
	}
}

# oidc_provider(f) is the issuer of a Federated principal that is an
# OpenID Connect provider: the part after "oidc-provider/" of an IAM
# provider ARN, or a well-known issuer given by name.
oidc_provider(f) := issuer if {
	parts := split(f, ":oidc-provider/")
	count(parts) == 2
	issuer := parts[1]
}

oidc_provider(f) := f if f in {"accounts.google.com", "cognito-identity.amazonaws.com", "graph.facebook.com", "www.amazon.com"}

# saml_provider(f) is true when a Federated principal is a SAML provider.
saml_provider(f) if contains(f, ":saml-provider/")

github_issuer := "token.actions.githubusercontent.com"
