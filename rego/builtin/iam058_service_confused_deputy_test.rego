package iamscan.rules.iam058_test

import data.iamscan.lib.testinput as t
import data.iamscan.rules.iam058

params := {"services": ["config.amazonaws.com", "logs.amazonaws.com"]}

test_listed_service_without_source_fires if {
	st := t.statement("sts:AssumeRole", t.service(["config.amazonaws.com"]), [])
	count(iam058.deny) == 1 with input as t.with_trust(st, params)
}

test_source_account_passes if {
	st := t.statement("sts:AssumeRole", t.service(["config.amazonaws.com"]), [t.cond("StringEquals", "aws:SourceAccount", ["111122223333"])])
	count(iam058.deny) == 0 with input as t.with_trust(st, params)
}

test_source_arn_passes if {
	st := t.statement("sts:AssumeRole", t.service(["logs.amazonaws.com"]), [t.cond("ArnLike", "aws:SourceArn", ["arn:aws:logs:eu-west-1:111122223333:*"])])
	count(iam058.deny) == 0 with input as t.with_trust(st, params)
}

test_unlisted_service_is_ignored if {
	st := t.statement("sts:AssumeRole", t.service(["ec2.amazonaws.com"]), [])
	count(iam058.deny) == 0 with input as t.with_trust(st, params)
}

test_service_linked_role_is_exempt if {
	st := t.statement("sts:AssumeRole", t.service(["config.amazonaws.com"]), [])
	role := object.union(t.role("AWSServiceRoleForConfig", [st]), {"service_linked": true})
	count(iam058.deny) == 0 with input as t.with_roles([role], params)
}
