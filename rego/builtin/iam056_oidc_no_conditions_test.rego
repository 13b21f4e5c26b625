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

eks_sub(op, v) := t.cond(op, concat("", [eks, ":sub"]), [v])

eks_aud := t.cond("StringEquals", concat("", [eks, ":aud"]), ["sts.amazonaws.com"])

eks_with(conditions) := t.statement("sts:AssumeRoleWithWebIdentity", eks_principal, conditions)

# The audience of an EKS token is always sts.amazonaws.com: it pins
# nothing, and every service account of the cluster gets in.
test_eks_audience_alone_fires if {
	findings := iam056.deny with input as t.with_trust(eks_with([eks_aud]), {})
	count(findings) == 1
	some f in findings
	f.message == sprintf("role app trusts OIDC provider %s without a sub condition naming a namespace (system:serviceaccount:NAMESPACE:NAME), so every service account of the cluster can assume it", [eks])
}

test_eks_namespace_wildcard_fires if {
	every v in ["system:serviceaccount:*", "system:serviceaccount:*:app", "system:serviceaccount:team-*:app", "*"] {
		findings := iam056.deny with input as t.with_trust(eks_with([eks_aud, eks_sub("StringLike", v)]), {})
		count(findings) == 1
		some f in findings
		f.message == sprintf("role app trusts OIDC provider %s with sub pattern %q, which admits service accounts of any namespace", [eks, v])
	}
}

test_eks_pinned_namespace_passes if {
	every v in ["system:serviceaccount:prod:app", "system:serviceaccount:prod:*", "system:serviceaccount:prod:app-?"] {
		count(iam056.deny) == 0 with input as t.with_trust(eks_with([eks_aud, eks_sub("StringLike", v)]), {})
	}
	# StringEquals values are literal.
	count(iam056.deny) == 0 with input as t.with_trust(eks_with([eks_sub("StringEquals", "system:serviceaccount:*")]), {})
}

test_eks_conditions_are_anded if {
	both := [eks_sub("StringLike", "system:serviceaccount:*"), eks_sub("StringEquals", "system:serviceaccount:prod:app")]
	count(iam056.deny) == 0 with input as t.with_trust(eks_with(both), {})
}

test_eks_sub_that_requires_nothing_fires if {
	every op in ["ForAllValues:StringLike", "StringLikeIfExists", "StringNotLike"] {
		count(iam056.deny) == 1 with input as t.with_trust(eks_with([eks_aud, eks_sub(op, "system:serviceaccount:prod:app")]), {})
	}
}

test_gitlab_and_terraform_need_the_tenant_in_sub if {
	gitlab := t.federated(["arn:aws:iam::111122223333:oidc-provider/gitlab.com"])
	aud_only := t.statement("sts:AssumeRoleWithWebIdentity", gitlab, [t.cond("StringEquals", "gitlab.com:aud", ["https://gitlab.com"])])
	count(iam056.deny) == 1 with input as t.with_trust(aud_only, {})
	any_group := t.statement("sts:AssumeRoleWithWebIdentity", gitlab, [t.cond("StringLike", "gitlab.com:sub", ["project_path:*/infra:ref_type:branch:ref:main"])])
	count(iam056.deny) == 1 with input as t.with_trust(any_group, {})
	own_group := t.statement("sts:AssumeRoleWithWebIdentity", gitlab, [t.cond("StringLike", "gitlab.com:sub", ["project_path:acme/*"])])
	count(iam056.deny) == 0 with input as t.with_trust(own_group, {})

	tfc := t.federated(["arn:aws:iam::111122223333:oidc-provider/app.terraform.io"])
	tfc_aud := t.statement("sts:AssumeRoleWithWebIdentity", tfc, [t.cond("StringEquals", "app.terraform.io:aud", ["aws.workload.identity"])])
	count(iam056.deny) == 1 with input as t.with_trust(tfc_aud, {})
	tfc_org := t.statement("sts:AssumeRoleWithWebIdentity", tfc, [t.cond("StringLike", "app.terraform.io:sub", ["organization:acme:project:*:workspace:*:run_phase:*"])])
	count(iam056.deny) == 0 with input as t.with_trust(tfc_org, {})
}

test_other_provider_wildcard_led_values_do_not_pin if {
	google := t.federated(["accounts.google.com"])
	any_client := t.statement("sts:AssumeRoleWithWebIdentity", google, [t.cond("StringLike", "accounts.google.com:aud", ["*.apps.googleusercontent.com"])])
	count(iam056.deny) == 1 with input as t.with_trust(any_client, {})
	one_client := t.statement("sts:AssumeRoleWithWebIdentity", google, [t.cond("StringEquals", "accounts.google.com:aud", ["1234-abc.apps.googleusercontent.com"])])
	count(iam056.deny) == 0 with input as t.with_trust(one_client, {})
	if_exists := t.statement("sts:AssumeRoleWithWebIdentity", google, [t.cond("StringEqualsIfExists", "accounts.google.com:aud", ["1234-abc.apps.googleusercontent.com"])])
	count(iam056.deny) == 1 with input as t.with_trust(if_exists, {})
}
