package iamscan.rules.iam053_test

import data.iamscan.lib.testinput as t
import data.iamscan.rules.iam053

vendor := ["arn:aws:iam::444455556666:root"]

test_cross_account_without_external_id_fires if {
	st := t.statement("sts:AssumeRole", t.aws(vendor), [])
	count(iam053.deny) == 1 with input as t.with_trust(st, {"trusted_accounts": []})
}

test_external_id_condition_passes if {
	st := t.statement("sts:AssumeRole", t.aws(vendor), [t.cond("StringEquals", "sts:ExternalId", ["a1b2c3"])])
	count(iam053.deny) == 0 with input as t.with_trust(st, {"trusted_accounts": []})
}

test_external_id_if_exists_does_not_count if {
	st := t.statement("sts:AssumeRole", t.aws(vendor), [t.cond("StringEqualsIfExists", "sts:ExternalId", ["a1b2c3"])])
	count(iam053.deny) == 1 with input as t.with_trust(st, {"trusted_accounts": []})
}

test_own_organization_needs_no_external_id if {
	st := t.statement("sts:AssumeRole", t.aws(vendor), [t.cond("StringEquals", "aws:PrincipalOrgID", ["o-abc"])])
	count(iam053.deny) == 0 with input as t.with_trust(st, {"trusted_accounts": []})
}

test_trusted_account_needs_no_external_id if {
	st := t.statement("sts:AssumeRole", t.aws(vendor), [])
	count(iam053.deny) == 0 with input as t.with_trust(st, {"trusted_accounts": ["444455556666"]})
}

test_same_account_needs_no_external_id if {
	st := t.statement("sts:AssumeRole", t.aws(["arn:aws:iam::111122223333:root"]), [])
	count(iam053.deny) == 0 with input as t.with_trust(st, {"trusted_accounts": []})
}

# A trust policy file's account is known only when the scan reads the
# account too; until then no account can be told from its own.
test_trust_file_needs_its_account if {
	st := t.statement("sts:AssumeRole", t.aws(["arn:aws:iam::444455556666:root"]), [])
	count(iam053.deny) == 0 with input as t.with_trust_file(t.trust_file("trust.json", "", [st]), {"trusted_accounts": []})
	findings := iam053.deny with input as t.with_trust_file(t.trust_file("trust.json", "111122223333", [st]), {"trusted_accounts": []})
	findings == {{"ref": 7, "principal": "", "message": "the role of policy file trust.json can be assumed from account 444455556666 without an sts:ExternalId condition"}}
}
