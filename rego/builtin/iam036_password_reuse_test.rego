package iamscan.rules.iam036_test

import data.iamscan.rules.iam036

run(pp) := findings if {
	findings := iam036.deny with input as {"password_policy": pp, "params": {"min_reuse_prevention": 24}}
}

test_low_reuse_prevention_fires if count(run({"password_reuse_prevention": 5, "ref": 1})) == 1

test_unset_reuse_prevention_fires if count(run({"ref": 1})) == 1

test_24_passes if count(run({"password_reuse_prevention": 24, "ref": 1})) == 0

test_no_policy_is_left_to_iam034 if count(run(null)) == 0
