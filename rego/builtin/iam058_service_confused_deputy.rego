# METADATA
# title: Service trust without aws:SourceAccount or aws:SourceArn
# description: |
#   A role trusts an AWS service principal that acts on behalf of many
#   customers (by default: AWS Config, CloudTrail, CloudWatch Logs, SNS,
#   EventBridge Scheduler, Transfer Family, Bedrock) without a condition
#   on aws:SourceAccount, aws:SourceArn or aws:SourceOrgID. Another
#   customer could point the service at your role: the cross-service
#   confused deputy. Services that receive a role only through
#   iam:PassRole (EC2, Lambda, ECS tasks) are not listed by default. Low
#   severity: exploiting it needs the role's ARN and a service that does
#   not check ownership itself.
#   Trust policy files scanned on their own (a policy under review)
#   are checked too.
# custom:
#   id: IAM058
#   severity: low
#   family: trust
#   remediation: |
#     Add a condition naming your account or the resource that uses the
#     role, e.g. "StringEquals": {"aws:SourceAccount": "111122223333"} or
#     "ArnLike": {"aws:SourceArn": "arn:aws:logs:REGION:111122223333:*"}.
#   references:
#     - https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html#cross-service-confused-deputy-prevention
#   params:
#     services:
#       doc: Service principals that must be narrowed by a source condition.
#       default:
#         - config.amazonaws.com
#         - cloudtrail.amazonaws.com
#         - logs.amazonaws.com
#         - delivery.logs.amazonaws.com
#         - sns.amazonaws.com
#         - scheduler.amazonaws.com
#         - transfer.amazonaws.com
#         - bedrock.amazonaws.com
#   needs: [policies]
package iamscan.rules.iam058

import data.iamscan.lib.trust

source_keys := ["aws:sourceaccount", "aws:sourceorgid"]

deny contains {"ref": st.ref, "principal": role.arn, "message": msg} if {
	some entry in input.trust.service
	role := entry.role
	not role.service_linked
	st := entry.statement
	trust.allows(st, "sts:AssumeRole")
	some service in st.principal.service
	service in services
	not narrowed(st)
	msg := sprintf("%s trusts %s without an aws:SourceAccount or aws:SourceArn condition", [trust.subject(role), service])
}

narrowed(st) if {
	some key in source_keys
	trust.pins(st, key)
}

narrowed(st) if {
	some c in st.conditions
	c.key_lower == "aws:sourceorgpaths"
	trust.restricts(c)
	every v in c.values {
		not regex.match(`[*?]`, split(v, "/")[0])
	}
}

# An aws:SourceArn narrows only when every value names an account (or,
# for ARNs without one such as S3 buckets, a resource): "arn:aws:config:*:*:*"
# matches every customer's resources.
narrowed(st) if {
	some c in st.conditions
	c.key_lower == "aws:sourcearn"
	trust.restricts(c)
	every v in c.values {
		own_arn(v)
	}
}

own_arn(v) if {
	parts := split(v, ":")
	count(parts) >= 6
	parts[4] != ""
	not regex.match(`[*?]`, parts[4])
}

own_arn(v) if {
	parts := split(v, ":")
	count(parts) >= 6
	parts[4] == ""
	trim(concat(":", array.slice(parts, 5, count(parts))), "*?/") != ""
}

services := {s | some s in input.params.services}
