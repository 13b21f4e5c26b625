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

test_glob_match_is_string_like if {
	iam.glob_match("repo:acme/*", "repo:acme/app:ref:refs/heads/main")
	iam.glob_match("a?c", "abc")
	iam.glob_match("*", "")
	not iam.glob_match("repo:Acme/*", "repo:acme/app") # case-sensitive, unlike actions
	not iam.glob_match("a?c", "ac")
	not iam.glob_match("${aws:username}", "alice") # variables are not substituted
}

test_glob_leaves_open_finds_unpinned_segments if {
	# GitHub: the owner of repo:OWNER/REPO:...
	iam.glob_leaves_open("repo:*", "repo:", "/")
	iam.glob_leaves_open("r*", "repo:", "/")
	iam.glob_leaves_open("repo:*/infra:ref:refs/heads/main", "repo:", "/")
	iam.glob_leaves_open("repo:acme*", "repo:", "/")
	not iam.glob_leaves_open("repo:acme/*", "repo:", "/")
	not iam.glob_leaves_open("repo:acme/app:*", "repo:", "/")

	# EKS: the namespace of system:serviceaccount:NAMESPACE:NAME
	iam.glob_leaves_open("system:serviceaccount:*", "system:serviceaccount:", ":")
	not iam.glob_leaves_open("system:serviceaccount:prod:*", "system:serviceaccount:", ":")

	# An empty separator: the segment runs to the end of the value.
	iam.glob_leaves_open("system:serviceaccount:prod:*", "system:serviceaccount:prod:", "")
}

test_expand_actions_lists_the_catalog if {
	got := iam.expand_actions("iam:PassRol?")
	got == ["iam:PassRole"]
	every a in iam.expand_actions("S3:GetObjectV*") {
		startswith(a, "s3:GetObjectVersion")
	}
	count(iam.expand_actions("s3:GetObjectV*")) > 1
	iam.expand_actions("madeup:DoThing") == []
	"sts:AssumeRole" in iam.expand_actions("*")
	sorted := iam.expand_actions("ec2:Describe*")
	sorted == sort(sorted)
}

test_access_level_follows_the_reference if {
	iam.access_level("s3:GetObject") == "Read"
	iam.access_level("S3:LISTBUCKET") == "List"
	iam.access_level("s3:PutObject") == "Write"
	iam.access_level("iam:PutRolePolicy") == "Permissions management"
	iam.access_level("s3:PutObjectTagging") == "Tagging"
	iam.access_level("madeup:DoThing") == ""
	iam.access_level("s3:Get*") == "" # one action, not a pattern
}
