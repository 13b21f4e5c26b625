package iamscan.rules.iam037_test

import data.iamscan.rules.iam037

run(pp) := findings if {
	findings := iam037.deny with input as {"password_policy": pp, "params": {}}
}

all_classes := {"require_symbols": true, "require_numbers": true, "require_uppercase_characters": true, "require_lowercase_characters": true, "ref": 1}

test_all_required_passes if count(run(all_classes)) == 0

test_each_missing_class_is_one_finding if {
	findings := run({"require_symbols": false, "require_numbers": true, "ref": 1})
	count(findings) == 3
	msgs := {f.message | some f in findings}
	msgs == {
		"the account password policy does not require symbols",
		"the account password policy does not require upper-case letters",
		"the account password policy does not require lower-case letters",
	}
}

test_no_policy_is_left_to_iam034 if count(run(null)) == 0
