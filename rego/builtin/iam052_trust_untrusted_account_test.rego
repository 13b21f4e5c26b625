package iamscan.rules.iam052_test

import data.iamscan.lib.testinput as t
import data.iamscan.rules.iam052

other := t.statement("sts:AssumeRole", t.aws(["arn:aws:iam::444455556666:root"]), [])

test_unlisted_account_fires if {
	findings := iam052.deny with input as t.with_trust(other, {"trusted_accounts": []})
	count(findings) == 1
	some f in findings
	contains(f.message, "444455556666")
}

test_listed_account_is_trusted if {
	count(iam052.deny) == 0 with input as t.with_trust(other, {"trusted_accounts": ["444455556666"]})
}

test_bare_account_id_is_recognized if {
	st := t.statement("sts:AssumeRole", t.aws(["444455556666"]), [])
	count(iam052.deny) == 1 with input as t.with_trust(st, {"trusted_accounts": ["777788889999"]})
}

test_same_account_is_not_cross_account if {
	st := t.statement("sts:AssumeRole", t.aws(["arn:aws:iam::111122223333:role/admin"]), [])
	count(iam052.deny) == 0 with input as t.with_trust(st, {"trusted_accounts": []})
}

test_each_untrusted_account_is_reported if {
	st := t.statement("sts:AssumeRole", t.aws(["arn:aws:iam::444455556666:root", "arn:aws:iam::777788889999:user/x", "arn:aws:iam::111122223333:root"]), [])
	count(iam052.deny) == 2 with input as t.with_trust(st, {"trusted_accounts": []})
}

test_wildcard_principal_is_left_to_iam050 if {
	count(iam052.deny) == 0 with input as t.with_trust(t.statement("sts:AssumeRole", t.anyone, []), {"trusted_accounts": []})
}
