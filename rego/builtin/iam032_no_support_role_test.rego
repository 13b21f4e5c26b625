package iamscan.rules.iam032_test

import data.iamscan.lib.testinput as t
import data.iamscan.rules.iam032

support := object.union(t.role("support", []), {"attached_arns": ["arn:aws:iam::aws:policy/AWSSupportAccess"]})

test_no_support_role_fires if {
	findings := iam032.deny with input as {"account": t.account, "roles": [t.role("app", [])], "params": {}}
	count(findings) == 1
	some f in findings
	f.ref == t.account.ref
}

test_no_roles_at_all_fires if {
	count(iam032.deny) == 1 with input as {"account": t.account, "roles": [], "params": {}}
}

test_support_role_passes if {
	count(iam032.deny) == 0 with input as {"account": t.account, "roles": [t.role("app", []), support], "params": {}}
}

test_customer_policy_with_same_name_does_not_count if {
	fake := object.union(t.role("support", []), {"attached_arns": ["arn:aws:iam::111122223333:policy/AWSSupportAccess"]})
	count(iam032.deny) == 1 with input as {"account": t.account, "roles": [fake], "params": {}}
}
