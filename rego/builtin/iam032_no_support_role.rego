# METADATA
# title: No role with AWSSupportAccess attached
# description: |
#   No IAM role in the account has the AWS managed policy AWSSupportAccess
#   attached. During an incident someone must be able to open and manage
#   AWS Support cases without using the root user or an administrator;
#   a dedicated support role, assumable by the people on call, gives that
#   access with least privilege. Attachments to users or groups do not
#   count: the benchmark asks for a role.
# custom:
#   id: IAM032
#   severity: low
#   family: credentials
#   remediation: |
#     Create a role for support staff (for example "aws-support"), attach
#     arn:aws:iam::aws:policy/AWSSupportAccess to it, and let only the
#     on-call group assume it:
#     aws iam create-role --role-name aws-support --assume-role-policy-document file://trust.json
#     aws iam attach-role-policy --role-name aws-support --policy-arn arn:aws:iam::aws:policy/AWSSupportAccess
#   references:
#     - https://docs.aws.amazon.com/awssupport/latest/user/accessing-support.html
#     - https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSSupportAccess.html
#   cis:
#     v3.0.0: "1.17"
#     v4.0.0: "1.17"
#     v5.0.0: "1.16"
#   needs: [authorization-details]
package iamscan.rules.iam032

deny contains {"ref": input.account.ref, "message": "no role has the AWSSupportAccess policy attached"} if {
	not support_role
}

support_role if {
	some role in input.roles
	some arn in role.attached_arns
	endswith(arn, ":iam::aws:policy/AWSSupportAccess")
}
