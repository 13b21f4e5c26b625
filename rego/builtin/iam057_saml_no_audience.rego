# METADATA
# title: SAML trust without SAML:aud
# description: |
#   A role trusts a SAML identity provider for sts:AssumeRoleWithSAML
#   without a condition on SAML:aud. The audience ties the assertion to
#   the AWS sign-in endpoint (https://signin.aws.amazon.com/saml); without
#   it an assertion the provider issued for another service provider can
#   be replayed to assume the role.
#   Trust policy files scanned on their own (a policy under review)
#   are checked too.
# custom:
#   id: IAM057
#   severity: medium
#   family: trust
#   remediation: |
#     Add "StringEquals": {"SAML:aud": "https://signin.aws.amazon.com/saml"}
#     to the trust statement's Condition (the console adds it by default).
#   references:
#     - https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_saml.html
#     - https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#condition-keys-saml
#   needs: [policies]
package iamscan.rules.iam057

import data.iamscan.lib.trust

deny contains {"ref": st.ref, "principal": role.arn, "message": msg} if {
	some entry in input.trust.saml
	role := entry.role
	st := entry.statement
	trust.allows(st, "sts:AssumeRoleWithSAML")
	some f in st.principal.federated
	trust.saml_provider(f)
	not trust.has_restriction(st, "saml:aud")
	msg := sprintf("%s trusts SAML provider %s without a SAML:aud condition", [trust.subject(role), f])
}
