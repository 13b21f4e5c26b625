package iamscan.rules.iam054_test

import data.iamscan.lib.testinput as t
import data.iamscan.rules.iam054

github := t.federated(["arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"])

aud := t.cond("StringEquals", "token.actions.githubusercontent.com:aud", ["sts.amazonaws.com"])

sub(op, v) := t.cond(op, "token.actions.githubusercontent.com:sub", [v])

gh(conditions) := t.statement("sts:AssumeRoleWithWebIdentity", github, conditions)

params := {"trusted_subjects": []}

test_missing_sub_fires if {
	findings := iam054.deny with input as t.with_trust(gh([aud]), params)
	count(findings) == 1
	some f in findings
	contains(f.message, "without a token.actions.githubusercontent.com:sub condition")
}

test_any_repo_patterns_fire if {
	every v in ["*", "repo:*", "repo:*/app:ref:refs/heads/main", "repo:org?/app:*", "*:ref:refs/heads/main", "repo:*:*", "r*", "repo*", "repo:acme*", "repo:*acme/app:*"] {
		findings := iam054.deny with input as t.with_trust(gh([aud, sub("StringLike", v)]), params)
		count(findings) == 1
		some f in findings
		f.message == sprintf("role app trusts GitHub Actions OIDC with sub pattern %q, which admits repositories of any owner", [v])
	}
}

test_for_any_value_like_is_judged_like_string_like if {
	count(iam054.deny) == 1 with input as t.with_trust(gh([aud, sub("ForAnyValue:StringLike", "repo:*")]), params)
	count(iam054.deny) == 0 with input as t.with_trust(gh([aud, sub("ForAnyValue:StringLike", "repo:acme/*")]), params)
}

# Conditions on one key are ANDed: a pinned one decides.
test_narrowest_condition_decides if {
	pinned := sub("StringEquals", "repo:acme/app:ref:refs/heads/main")
	count(iam054.deny) == 0 with input as t.with_trust(gh([aud, pinned, sub("StringLike", "repo:*")]), params)
	count(iam054.deny) == 0 with input as t.with_trust(gh([aud, sub("StringLike", "repo:*"), sub("StringLike", "repo:acme/*")]), params)
}

# Values of one condition are ORed: one open value is enough.
test_one_open_value_fires if {
	c := t.cond("StringLike", "token.actions.githubusercontent.com:sub", ["repo:acme/app:*", "*"])
	findings := iam054.deny with input as t.with_trust(gh([aud, c]), params)
	count(findings) == 1
	some f in findings
	contains(f.message, `sub pattern "*"`)
}

test_for_all_values_does_not_require_a_subject if {
	findings := iam054.deny with input as t.with_trust(gh([aud, sub("ForAllValues:StringLike", "repo:acme/app:*")]), params)
	count(findings) == 1
	some f in findings
	f.message == "role app trusts GitHub Actions OIDC without a token.actions.githubusercontent.com:sub condition that requires a subject: ForAllValues:StringLike is also true when the key is absent"
}

test_negated_sub_does_not_pin if {
	findings := iam054.deny with input as t.with_trust(gh([aud, sub("StringNotLike", "repo:evil/*")]), params)
	count(findings) == 1
	some f in findings
	contains(f.message, "StringNotLike admits every subject it does not list")
}

# A positive condition beside a ForAllValues one is judged on its own.
test_for_all_values_beside_a_pin_passes if {
	count(iam054.deny) == 0 with input as t.with_trust(gh([aud, sub("ForAllValues:StringLike", "repo:*"), sub("StringLike", "repo:acme/*")]), params)
}

test_pinned_owner_passes if {
	every v in ["repo:acme/app:ref:refs/heads/main", "repo:acme/*", "repo:acme/app:environment:prod"] {
		count(iam054.deny) == 0 with input as t.with_trust(gh([aud, sub("StringLike", v)]), params)
	}
}

test_string_equals_star_is_literal if {
	count(iam054.deny) == 0 with input as t.with_trust(gh([aud, sub("StringEquals", "repo:acme/app:ref:refs/heads/main")]), params)
	count(iam054.deny) == 0 with input as t.with_trust(gh([aud, sub("StringEquals", "repo:*")]), params)
}

test_if_exists_sub_does_not_count if {
	findings := iam054.deny with input as t.with_trust(gh([aud, sub("StringLikeIfExists", "repo:acme/app:*")]), params)
	count(findings) == 1
	some f in findings
	contains(f.message, "StringLikeIfExists is true when the key is absent")
}

test_trusted_subject_is_accepted if {
	count(iam054.deny) == 0 with input as t.with_trust(gh([aud, sub("StringLike", "repo:*/shared-infra:*")]), {"trusted_subjects": ["repo:*/shared-infra:*"]})
}

test_other_provider_is_not_github if {
	st := t.statement("sts:AssumeRoleWithWebIdentity", t.federated(["arn:aws:iam::111122223333:oidc-provider/gitlab.com"]), [])
	count(iam054.deny) == 0 with input as t.with_trust(st, params)
}
