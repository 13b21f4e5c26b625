# METADATA
# title: Password policy remembers fewer than 24 passwords
# description: |
#   The account password policy prevents reuse of fewer previous
#   passwords than the threshold (24 by default), or does not prevent
#   reuse at all. Without it a user forced to change a leaked password
#   can switch back to it.
# custom:
#   id: IAM036
#   severity: low
#   family: credentials
#   remediation: |
#     aws iam update-account-password-policy --password-reuse-prevention 24
#     (the command replaces the whole policy: repeat the other settings).
#   references:
#     - https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_passwords_account-policy.html
#   cis:
#     v3.0.0: "1.9"
#     v4.0.0: "1.9"
#     v5.0.0: "1.8"
#   params:
#     min_reuse_prevention:
#       doc: Smallest acceptable number of remembered passwords.
#       default: 24
#   needs: [password-policy]
package iamscan.rules.iam036

deny contains {"ref": pp.ref, "message": msg} if {
	pp := input.password_policy
	pp != null
	not remembers_enough(pp)
	msg := sprintf("the account password policy does not prevent reuse of the last %d passwords", [input.params.min_reuse_prevention])
}

remembers_enough(pp) if pp.password_reuse_prevention >= input.params.min_reuse_prevention
