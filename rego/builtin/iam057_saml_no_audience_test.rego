package iamscan.rules.iam057_test

import data.iamscan.lib.testinput as t
import data.iamscan.rules.iam057

okta := t.federated(["arn:aws:iam::111122223333:saml-provider/Okta"])

test_saml_without_aud_fires if {
	st := t.statement("sts:AssumeRoleWithSAML", okta, [])
	count(iam057.deny) == 1 with input as t.with_trust(st, {})
}

test_saml_with_aud_passes if {
	st := t.statement("sts:AssumeRoleWithSAML", okta, [t.cond("StringEquals", "SAML:aud", ["https://signin.aws.amazon.com/saml"])])
	count(iam057.deny) == 0 with input as t.with_trust(st, {})
}

test_saml_with_other_condition_fires if {
	st := t.statement("sts:AssumeRoleWithSAML", okta, [t.cond("StringEquals", "SAML:sub_type", ["persistent"])])
	count(iam057.deny) == 1 with input as t.with_trust(st, {})
}

test_oidc_provider_is_not_saml if {
	st := t.statement("sts:AssumeRoleWithSAML", t.federated(["arn:aws:iam::111122223333:oidc-provider/gitlab.com"]), [])
	count(iam057.deny) == 0 with input as t.with_trust(st, {})
}
