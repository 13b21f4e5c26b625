package iamscan.rules.iam035_test

import data.iamscan.rules.iam035

run(pp) := findings if {
	findings := iam035.deny with input as {"password_policy": pp, "params": {"min_length": 14}}
}

test_short_minimum_fires if count(run({"minimum_password_length": 8, "ref": 1})) == 1

test_unset_minimum_fires if count(run({"ref": 1})) == 1

test_minimum_at_threshold_passes if count(run({"minimum_password_length": 14, "ref": 1})) == 0

test_no_policy_is_left_to_iam034 if count(run(null)) == 0

test_threshold_is_a_parameter if {
	count(iam035.deny) == 0 with input as {"password_policy": {"minimum_password_length": 12, "ref": 1}, "params": {"min_length": 12}}
}
