# METADATA
# title: Group with no members
# description: |
#   An IAM group has no users. Empty groups with policies attached are
#   dormant grants: anyone later added to the group (by mistake or by an
#   attacker with iam:AddUserToGroup) gets their permissions, and they
#   clutter reviews. Remove what is no longer used.
# custom:
#   id: IAM042
#   severity: low
#   family: unused
#   remediation: |
#     If the group is no longer needed, detach its policies, delete its
#     inline policies and delete it:
#     aws iam delete-group --group-name NAME
#   references:
#     - https://docs.aws.amazon.com/IAM/latest/UserGuide/id_groups_manage_delete.html
#   needs: [authorization-details]
package iamscan.rules.iam042

deny contains {"ref": group.ref, "message": sprintf("group %s has no members", [group.name])} if {
	some group in input.groups
	group.members == 0
}
