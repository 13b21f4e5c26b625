package iamscan.rules.iam051_test

import data.iamscan.lib.testinput as t
import data.iamscan.rules.iam051

# Whether a principal is "any" and whether conditions narrow the caller
# are computed in Go (rego/input.go, with IAM050's functions) and tested
# there; these tests cover what the Rego rule adds.

weak := t.statement("sts:AssumeRole", t.anyone, [
	t.cond("Bool", "aws:SecureTransport", ["true"]),
	t.cond("StringLike", "aws:UserAgent", ["aws-cli/*"]),
])

test_weak_conditions_fire_and_are_named if {
	findings := iam051.deny with input as t.with_trust(weak, {})
	findings == {{
		"ref": 7,
		"principal": "arn:aws:iam::111122223333:role/app",
		"message": "trust policy of role app lets any AWS principal assume it; its conditions (aws:SecureTransport, aws:UserAgent) do not restrict who the caller is",
	}}
}

test_narrowing_condition_passes if {
	st := object.union(weak, {"narrows_caller": true})
	count(iam051.deny) == 0 with input as t.with_trust(st, {})
}

test_no_condition_is_iam050_alone if {
	st := t.statement("sts:AssumeRole", t.anyone, [])
	count(iam051.deny) == 0 with input as t.with_trust(st, {})
}

test_named_principal_is_not_reported if {
	st := object.union(weak, {"any_principal": false, "principal": t.aws(["arn:aws:iam::111122223333:root"])})
	count(iam051.deny) == 0 with input as t.with_trust(st, {})
}

test_deny_statement_is_not_reported if {
	st := object.union(object.remove(weak, ["allows"]), {"effect": "Deny", "allows": {}})
	count(iam051.deny) == 0 with input as t.with_trust(st, {})
}

test_other_action_is_ignored if {
	st := object.union(object.remove(weak, ["allows"]), {"actions": ["sts:AssumeRoleWithSAML"], "allows": {"sts:AssumeRoleWithSAML": true}})
	count(iam051.deny) == 0 with input as t.with_trust(st, {})
}

test_trust_file_is_judged_too if {
	st := t.statement("sts:AssumeRole", t.anyone, [t.cond("Bool", "aws:SecureTransport", ["true"])])
	findings := iam051.deny with input as t.with_trust_file(t.trust_file("trust.json", "", [st]), {})
	findings == {{"ref": 7, "principal": "", "message": "policy file trust.json lets any AWS principal assume it; its conditions (aws:SecureTransport) do not restrict who the caller is"}}
}
