package iamscan.rules.iam034_test

import data.iamscan.lib.testinput as t
import data.iamscan.rules.iam034

test_missing_policy_fires if {
	count(iam034.deny) == 1 with input as {"account": t.account, "password_policy": null, "params": {}}
}

test_present_policy_passes if {
	count(iam034.deny) == 0 with input as {"account": t.account, "password_policy": {"minimum_password_length": 8, "ref": 1}, "params": {}}
}
