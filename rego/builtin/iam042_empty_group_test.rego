package iamscan.rules.iam042_test

import data.iamscan.rules.iam042

group(name, members) := {"name": name, "arn": sprintf("arn:aws:iam::111122223333:group/%s", [name]), "members": members, "ref": 5}

test_empty_group_fires if {
	findings := iam042.deny with input as {"groups": [group("old", 0), group("devs", 3)], "params": {}}
	findings == {{"ref": 5, "message": "group old has no members"}}
}

test_groups_with_members_pass if {
	count(iam042.deny) == 0 with input as {"groups": [group("devs", 1)], "params": {}}
}
