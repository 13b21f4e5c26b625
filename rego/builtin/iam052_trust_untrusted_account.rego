# METADATA
# title: Cross-account trust to an account not in the trusted list
# description: |
#   A role's trust policy lets principals of another AWS account assume
#   the role, and that account is not in the configured list of trusted
#   accounts. Every account named in a trust policy can reach what the
#   role can reach; unknown accounts are how vendors, old acquisitions and
#   attackers keep a foothold. List your own and your vendors' accounts
#   in trusted_accounts to silence the known ones.
#   Trust policy files scanned on their own (a policy under review)
#   are checked too when the scan also reads the account they belong
#   to: without it no account can be told from their own.
# custom:
#   id: IAM052
#   severity: medium
#   family: trust
#   remediation: |
#     Confirm who owns the account. If it should not have access, remove it
#     from the trust policy (aws iam update-assume-role-policy). If it
#     should, add it to trusted_accounts for IAM052 in .iamscan.yaml.
#   references:
#     - https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_common-scenarios_aws-accounts.html
#   params:
#     trusted_accounts:
#       doc: Account ids that may be trusted by roles of this account (12 digits each).
#       default: []
#   needs: [policies]
package iamscan.rules.iam052

import data.iamscan.lib.trust

deny contains {"ref": st.ref, "principal": role.arn, "message": msg} if {
	some entry in input.trust.cross_account
	role := entry.role
	st := entry.statement
	trust.allows(st, "sts:AssumeRole")
	not st.principal.not
	some acct in trust.cross_accounts(role, st)
	not acct in trusted
	msg := sprintf("%s trusts account %s, which is not in the trusted accounts list", [trust.subject(role), acct])
}

# trusted is computed once per evaluation, not once per statement.
trusted := {a | some a in input.params.trusted_accounts}
