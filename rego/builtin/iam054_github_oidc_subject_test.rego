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
	every v in ["*", "repo:*", "repo:*/app:ref:refs/heads/main", "repo:org?/app:*", "*:ref:refs/heads/main", "repo:*:*"] {
		count(iam054.deny) == 1 with input as t.with_trust(gh([aud, sub("StringLike", v)]), params)
	}
}

test_pinned_owner_passes if {
	every v in ["repo:acme/app:ref:refs/heads/main", "repo:acme/*", "repo:acme/app:environment:prod"] {
		count(iam054.deny) == 0 with input as t.with_trust(gh([aud, sub("StringLike", v)]), params)
	}
}

test_string_equals_star_is_literal if {
	count(iam054.deny) == 0 with input as t.with_trust(gh([aud, sub("StringEquals", "repo:acme/app:ref:refs/heads/main")]), params)
}

test_if_exists_sub_does_not_count if {
	count(iam054.deny) == 1 with input as t.with_trust(gh([aud, sub("StringLikeIfExists", "repo:acme/app:*")]), params)
}

test_trusted_subject_is_accepted if {
	count(iam054.deny) == 0 with input as t.with_trust(gh([aud, sub("StringLike", "repo:*/shared-infra:*")]), {"trusted_subjects": ["repo:*/shared-infra:*"]})
}

test_other_provider_is_not_github if {
	st := t.statement("sts:AssumeRoleWithWebIdentity", t.federated(["arn:aws:iam::111122223333:oidc-provider/gitlab.com"]), [])
	count(iam054.deny) == 0 with input as t.with_trust(st, params)
}
