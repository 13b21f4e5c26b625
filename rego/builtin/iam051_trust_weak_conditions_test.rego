package iamscan.rules.iam051_test

import data.iamscan.lib.testinput as t
import data.iamscan.rules.iam051

weak := t.statement("sts:AssumeRole", t.anyone, [t.cond("Bool", "aws:SecureTransport", ["true"])])

test_any_principal_with_secure_transport_only_fires if {
	findings := iam051.deny with input as t.with_trust(weak, {})
	count(findings) == 1
	some f in findings
	f.ref == 7
	f.principal == "arn:aws:iam::111122223333:role/app"
}

test_account_wildcard_counts_as_any_principal if {
	st := t.statement("sts:AssumeRole", t.aws(["arn:aws:iam::*:root"]), [t.cond("StringLike", "aws:UserAgent", ["aws-cli/*"])])
	count(iam051.deny) == 1 with input as t.with_trust(st, {})
}

test_ifexists_identity_condition_is_weak if {
	st := t.statement("sts:AssumeRole", t.anyone, [t.cond("StringEqualsIfExists", "aws:PrincipalOrgID", ["o-abc"])])
	count(iam051.deny) == 1 with input as t.with_trust(st, {})
}

test_negated_identity_condition_is_weak if {
	st := t.statement("sts:AssumeRole", t.anyone, [t.cond("StringNotEquals", "aws:PrincipalAccount", ["999988887777"])])
	count(iam051.deny) == 1 with input as t.with_trust(st, {})
}

test_org_id_condition_narrows if {
	st := t.statement("sts:AssumeRole", t.anyone, [
		t.cond("Bool", "aws:SecureTransport", ["true"]),
		t.cond("StringEquals", "aws:PrincipalOrgID", ["o-abc"]),
	])
	count(iam051.deny) == 0 with input as t.with_trust(st, {})
}

test_condition_key_case_does_not_matter if {
	st := t.statement("sts:AssumeRole", t.anyone, [t.cond("StringEquals", "AWS:PRINCIPALORGID", ["o-abc"])])
	count(iam051.deny) == 0 with input as t.with_trust(st, {})
}

test_wildcard_value_does_not_narrow if {
	st := t.statement("sts:AssumeRole", t.anyone, [t.cond("StringLike", "aws:PrincipalArn", ["*"])])
	count(iam051.deny) == 1 with input as t.with_trust(st, {})
}

test_no_condition_is_left_to_iam050 if {
	st := t.statement("sts:AssumeRole", t.anyone, [])
	count(iam051.deny) == 0 with input as t.with_trust(st, {})
}

test_named_principal_is_not_reported if {
	st := t.statement("sts:AssumeRole", t.aws(["arn:aws:iam::111122223333:root"]), [t.cond("Bool", "aws:SecureTransport", ["true"])])
	count(iam051.deny) == 0 with input as t.with_trust(st, {})
}

test_deny_statement_is_not_reported if {
	st := object.union(weak, {"effect": "Deny"})
	count(iam051.deny) == 0 with input as t.with_trust(st, {})
}

test_action_wildcard_is_matched_by_the_engine if {
	st := object.union(weak, {"actions": ["STS:Assume*"]})
	count(iam051.deny) == 1 with input as t.with_trust(st, {})
}
