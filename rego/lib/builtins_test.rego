# The iam.* built-ins call the Go policy engine; these tests pin what
# Rego rules can rely on.
package iamscan.lib.builtins_test

test_action_matches_is_case_insensitive if {
	iam.action_matches("S3:get*", "s3:GetObject")
	iam.action_matches("*", "iam:PassRole")
	iam.action_matches("*:*", "iam:PassRole")
	not iam.action_matches("s3:Get*", "s3:PutObject")
	not iam.action_matches("iam:Pass?ole", "iam:PassRoles")
}

test_arn_matches_by_segment if {
	iam.arn_matches("arn:aws:iam::*:role/*", "arn:aws:iam::111122223333:role/app")
	iam.arn_matches("*", "arn:aws:s3:::bucket")
	iam.arn_matches("arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket/a/b:c")
	not iam.arn_matches("arn:aws:iam::*:role/*", "arn:aws:iam::111122223333:user/app")
	not iam.arn_matches("arn:aws:iam::111122223333:role/App", "arn:aws:iam::111122223333:role/app")
}
