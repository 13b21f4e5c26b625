# METADATA
# title: Password policy allows passwords shorter than 14 characters
# description: |
#   The account password policy's minimum password length is below the
#   threshold (14 by default), or is not set. Length is what makes a
#   password resist guessing and offline cracking; CIS asks for 14.
# custom:
#   id: IAM035
#   severity: medium
#   family: credentials
#   remediation: |
#     aws iam update-account-password-policy --minimum-password-length 14
#     (the command replaces the whole policy: repeat the other settings).
#   references:
#     - https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_passwords_account-policy.html
#   cis:
#     v3.0.0: "1.8"
#     v4.0.0: "1.8"
#     v5.0.0: "1.7"
#   params:
#     min_length:
#       doc: Smallest acceptable minimum password length.
#       default: 14
#   needs: [password-policy]
package iamscan.rules.iam035

deny contains {"ref": pp.ref, "message": msg} if {
	pp := input.password_policy
	pp != null
	not long_enough(pp)
	msg := sprintf("the account password policy does not require at least %d characters", [input.params.min_length])
}

long_enough(pp) if pp.minimum_password_length >= input.params.min_length
