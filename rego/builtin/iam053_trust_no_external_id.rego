# METADATA
# title: Cross-account trust without sts:ExternalId
# description: |
#   A role's trust policy lets another AWS account assume the role without
#   requiring an sts:ExternalId. When that account is a third party acting
#   for many customers (a SaaS vendor, an auditor), anyone who can make
#   the vendor assume roles can make it assume yours: the "confused
#   deputy". An external id that only you and the vendor know closes it.
#   Accounts of your own organization do not need one: statements that
#   restrict aws:PrincipalOrgID, and accounts listed in trusted_accounts,
#   are not reported.
#   Trust policy files scanned on their own (a policy under review)
#   are checked too when the scan also reads the account they belong
#   to: without it no account can be told from their own.
# custom:
#   id: IAM053
#   severity: medium
#   family: trust
#   remediation: |
#     Ask the third party for the external id it generated for you and add
#     "Condition": {"StringEquals": {"sts:ExternalId": "ID"}} to the trust
#     statement. For your own accounts, add them to trusted_accounts for
#     IAM053 in .iamscan.yaml or restrict aws:PrincipalOrgID.
#   references:
#     - https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html
#     - https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_common-scenarios_third-party.html
#   params:
#     trusted_accounts:
#       doc: Account ids of your own organization, which need no external id.
#       default: []
#   needs: [policies]
package iamscan.rules.iam053

import data.iamscan.lib.trust

deny contains {"ref": st.ref, "principal": role.arn, "message": msg} if {
	some entry in input.trust.cross_account
	role := entry.role
	st := entry.statement
	trust.allows(st, "sts:AssumeRole")
	not st.principal.not
	not trust.has_restriction(st, "sts:externalid")
	not trust.pins(st, "aws:principalorgid")
	some acct in trust.cross_accounts(role, st)
	not acct in trusted
	msg := sprintf("%s can be assumed from account %s without an sts:ExternalId condition", [trust.subject(role), acct])
}

# trusted is computed once per evaluation, not once per statement.
trusted := {a | some a in input.params.trusted_accounts}
