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

test_for_all_values_aud_says_why if {
	st := t.statement("sts:AssumeRoleWithWebIdentity", github, [sub, t.cond("ForAllValues:StringEquals", "token.actions.githubusercontent.com:aud", ["sts.amazonaws.com"])])
	msgs := {f.message | some f in iam055.deny} with input as t.with_trust(st, {})
	msgs == {"role app trusts GitHub Actions OIDC without a token.actions.githubusercontent.com:aud condition that requires an audience: ForAllValues:StringEquals is also true when the key is absent"}
}

test_wildcard_aud_says_why if {
	st := t.statement("sts:AssumeRoleWithWebIdentity", github, [sub, t.cond("StringLike", "token.actions.githubusercontent.com:aud", ["*"])])
	msgs := {f.message | some f in iam055.deny} with input as t.with_trust(st, {})
	msgs == {"role app trusts GitHub Actions OIDC without a token.actions.githubusercontent.com:aud condition that requires an audience: StringLike with only wildcard values admits every audience"}
}
