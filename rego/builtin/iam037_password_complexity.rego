# METADATA
# title: Password policy does not require character classes
# description: |
#   The account password policy does not require one of symbols, numbers,
#   upper-case or lower-case letters. Older CIS benchmarks (v1.x, controls
#   1.5 to 1.8) asked for all four; current guidance favours length over
#   composition rules, hence the low severity. One finding per missing
#   requirement.
# custom:
#   id: IAM037
#   severity: low
#   family: credentials
#   remediation: |
#     aws iam update-account-password-policy --require-symbols --require-numbers --require-uppercase-characters --require-lowercase-characters
#     (the command replaces the whole policy: repeat the other settings).
#   references:
#     - https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_passwords_account-policy.html
#   needs: [password-policy]
package iamscan.rules.iam037

requirements := {
	"require_symbols": "symbols",
	"require_numbers": "numbers",
	"require_uppercase_characters": "upper-case letters",
	"require_lowercase_characters": "lower-case letters",
}

deny contains {"ref": pp.ref, "message": msg} if {
	pp := input.password_policy
	pp != null
	some field, what in requirements
	not pp[field] == true
	msg := sprintf("the account password policy does not require %s", [what])
}
