package iamscan.rules.iam056_test

import data.iamscan.lib.testinput as t
import data.iamscan.rules.iam056

eks := "oidc.eks.eu-west-1.amazonaws.com/id/ABCDEF"

eks_principal := t.federated([concat("", ["arn:aws:iam::111122223333:oidc-provider/", eks])])

test_eks_without_conditions_fires if {
	st := t.statement("sts:AssumeRoleWithWebIdentity", eks_principal, [])
	findings := iam056.deny with input as t.with_trust(st, {})
	count(findings) == 1
	some f in findings
	contains(f.message, eks)
}

test_eks_with_sub_passes if {
	st := t.statement("sts:AssumeRoleWithWebIdentity", eks_principal, [t.cond("StringEquals", concat("", [eks, ":sub"]), ["system:serviceaccount:ns:app"])])
	count(iam056.deny) == 0 with input as t.with_trust(st, {})
}

test_well_known_issuer_by_name if {
	st := t.statement("sts:AssumeRoleWithWebIdentity", t.federated(["cognito-identity.amazonaws.com"]), [])
	count(iam056.deny) == 1 with input as t.with_trust(st, {})
}

test_cognito_aud_passes if {
	st := t.statement("sts:AssumeRoleWithWebIdentity", t.federated(["cognito-identity.amazonaws.com"]), [t.cond("StringEquals", "cognito-identity.amazonaws.com:aud", ["eu-west-1:pool"])])
	count(iam056.deny) == 0 with input as t.with_trust(st, {})
}

test_unrelated_condition_does_not_pin if {
	st := t.statement("sts:AssumeRoleWithWebIdentity", eks_principal, [t.cond("Bool", "aws:SecureTransport", ["true"])])
	count(iam056.deny) == 1 with input as t.with_trust(st, {})
}

test_github_is_left_to_iam054 if {
	st := t.statement("sts:AssumeRoleWithWebIdentity", t.federated(["arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"]), [])
	count(iam056.deny) == 0 with input as t.with_trust(st, {})
}
