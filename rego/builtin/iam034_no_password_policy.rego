# METADATA
# title: No account password policy
# description: |
#   The account has no IAM password policy, so console passwords of IAM
#   users follow AWS's defaults: no minimum length beyond 8, no reuse
#   prevention, no complexity. A password policy is the baseline control
#   for every IAM user who signs in to the console. Without one, both CIS
#   password controls fail (minimum length 14 and reuse prevention), so
#   the rule maps to both: IAM035 and IAM036 judge a policy that exists.
# custom:
#   id: IAM034
#   severity: medium
#   family: credentials
#   remediation: |
#     Set a password policy with at least 14 characters and 24 remembered
#     passwords:
#     aws iam update-account-password-policy --minimum-password-length 14 --password-reuse-prevention 24
#     Better still, sign people in through IAM Identity Center or your
#     identity provider and remove IAM user passwords altogether.
#   references:
#     - https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_passwords_account-policy.html
#   cis:
#     v3.0.0: ["1.8", "1.9"]
#     v4.0.0: ["1.8", "1.9"]
#     v5.0.0: ["1.7", "1.8"]
#   needs: [password-policy]
package iamscan.rules.iam034

deny contains {"ref": input.account.password_policy_ref, "message": "the account has no IAM password policy"} if {
	input.password_policy == null
}
