package iamscan.rules.iam055_test

import data.iamscan.lib.testinput as t
import data.iamscan.rules.iam055

github := t.federated(["arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"])

sub := t.cond("StringLike", "token.actions.githubusercontent.com:sub", ["repo:acme/app:*"])

test_missing_aud_fires if {
	st := t.statement("sts:AssumeRoleWithWebIdentity", github, [sub])
	count(iam055.deny) == 1 with input as t.with_trust(st, {})
}

test_aud_present_passes if {
	st := t.statement("sts:AssumeRoleWithWebIdentity", github, [sub, t.cond("StringEquals", "token.actions.githubusercontent.com:aud", ["sts.amazonaws.com"])])
	count(iam055.deny) == 0 with input as t.with_trust(st, {})
}

test_aud_for_another_issuer_does_not_count if {
	st := t.statement("sts:AssumeRoleWithWebIdentity", github, [sub, t.cond("StringEquals", "gitlab.com:aud", ["sts.amazonaws.com"])])
	count(iam055.deny) == 1 with input as t.with_trust(st, {})
}

test_non_web_identity_action_is_ignored if {
	st := t.statement("sts:AssumeRole", github, [sub])
	count(iam055.deny) == 0 with input as t.with_trust(st, {})
}
