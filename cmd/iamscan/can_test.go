package main

import (
	"strings"
	"testing"
)

// canAccount: alice has an inline policy reading one bucket over TLS and
// a boundary; bob is in a group with AdministratorAccess, which the input
// leaves out (resolved from the embedded set), and an explicit deny.
const canAccount = `{
  "UserDetailList": [
    {"UserName": "alice", "UserId": "AIDAALICE", "Path": "/", "Arn": "arn:aws:iam::111122223333:user/alice",
     "CreateDate": "2020-01-01T00:00:00Z", "GroupList": [], "AttachedManagedPolicies": [],
     "PermissionsBoundary": {"PermissionsBoundaryType": "Policy", "PermissionsBoundaryArn": "arn:aws:iam::111122223333:policy/Boundary"},
     "UserPolicyList": [{"PolicyName": "reports", "PolicyDocument": {"Version": "2012-10-17", "Statement": [
       {"Sid": "ReadReports", "Effect": "Allow", "Action": ["s3:GetObject", "iam:CreateUser"], "Resource": ["arn:aws:s3:::reports/*", "*"],
        "Condition": {"Bool": {"aws:SecureTransport": "true"}}},
       {"Sid": "Home", "Effect": "Allow", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::home/${aws:username}/*"},
       {"Sid": "Until2020", "Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*", "Condition": {"DateLessThan": {"aws:CurrentTime": "2020-01-01T00:00:00Z"}}}]}}]},
    {"UserName": "bob", "UserId": "AIDABOB", "Path": "/", "Arn": "arn:aws:iam::111122223333:user/bob",
     "CreateDate": "2020-01-01T00:00:00Z", "GroupList": ["admins"], "UserPolicyList": [],
     "AttachedManagedPolicies": [{"PolicyName": "NoKMS", "PolicyArn": "arn:aws:iam::111122223333:policy/NoKMS"}]}
  ],
  "GroupDetailList": [
    {"GroupName": "admins", "GroupId": "AGPAADMINS", "Path": "/", "Arn": "arn:aws:iam::111122223333:group/admins",
     "CreateDate": "2020-01-01T00:00:00Z", "GroupPolicyList": [],
     "AttachedManagedPolicies": [{"PolicyName": "AdministratorAccess", "PolicyArn": "arn:aws:iam::aws:policy/AdministratorAccess"}]}
  ],
  "RoleDetailList": [],
  "Policies": [
    {"PolicyName": "Boundary", "PolicyId": "ANPAB", "Arn": "arn:aws:iam::111122223333:policy/Boundary", "Path": "/",
     "DefaultVersionId": "v1", "AttachmentCount": 1, "IsAttachable": true,
     "CreateDate": "2020-01-01T00:00:00Z", "UpdateDate": "2020-01-01T00:00:00Z",
     "PolicyVersionList": [{"VersionId": "v1", "IsDefaultVersion": true, "CreateDate": "2020-01-01T00:00:00Z",
       "Document": {"Version": "2012-10-17", "Statement": [{"Sid": "OnlyS3", "Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}}]},
    {"PolicyName": "NoKMS", "PolicyId": "ANPAN", "Arn": "arn:aws:iam::111122223333:policy/NoKMS", "Path": "/",
     "DefaultVersionId": "v1", "AttachmentCount": 1, "IsAttachable": true,
     "CreateDate": "2020-01-01T00:00:00Z", "UpdateDate": "2020-01-01T00:00:00Z",
     "PolicyVersionList": [{"VersionId": "v1", "IsDefaultVersion": true, "CreateDate": "2020-01-01T00:00:00Z",
       "Document": {"Version": "2012-10-17", "Statement": [{"Sid": "DenyKMS", "Effect": "Deny", "Action": "kms:*", "Resource": "*"}]}}]}
  ]
}`

func TestCan(t *testing.T) {
	input := writeInput(t, "authz.json", canAccount)
	tests := []struct {
		name     string
		args     []string
		code     int
		first    string
		contains []string
	}{
		{"allowed through a group's embedded AWS managed policy", []string{"user/bob", "ec2:RunInstances"}, 0, "allowed",
			[]string{"arn:aws:iam::aws:policy/AdministratorAccess"}},
		{"explicit deny", []string{"arn:aws:iam::111122223333:user/bob", "kms:Decrypt", "arn:aws:kms:us-east-1:111122223333:key/1"}, 1, "denied",
			[]string{"explicitly denied", "DenyKMS", "authz.json:"}},
		{"unknown context is conditional", []string{"user/alice", "s3:GetObject", "arn:aws:s3:::reports/q1.csv"}, 1, "conditional",
			[]string{"ReadReports", "aws:SecureTransport"}},
		{"context given", []string{"--context", "aws:SecureTransport=true", "user/alice", "s3:GetObject", "arn:aws:s3:::reports/q1.csv"}, 0, "allowed",
			[]string{"ReadReports", "OnlyS3"}},
		{"context says otherwise", []string{"--context", "aws:SecureTransport=false", "user/alice", "s3:GetObject", "arn:aws:s3:::reports/q1.csv"}, 1, "denied", nil},
		{"boundary blocks", []string{"--context", "aws:SecureTransport=true", "user/alice", "iam:CreateUser"}, 1, "denied",
			[]string{"permissions boundary"}},
		{"policy variable from the principal", []string{"user/alice", "s3:PutObject", "arn:aws:s3:::home/alice/f"}, 0, "allowed", []string{"Home"}},
		{"time-limited grant has expired (aws:CurrentTime defaults to now)", []string{"user/alice", "s3:ListBucket", "arn:aws:s3:::reports"}, 1, "denied", nil},
		{"time-limited grant at a given time", []string{"--context", "aws:CurrentTime=2019-06-01T00:00:00Z", "user/alice", "s3:ListBucket", "arn:aws:s3:::reports"}, 0, "allowed", []string{"Until2020"}},
		{"policy variable, other user's home", []string{"user/alice", "s3:PutObject", "arn:aws:s3:::home/bob/f"}, 1, "denied", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, append([]string{"can", "-i", input}, tt.args...)...)
			if code != tt.code {
				t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tt.code, out, errOut)
			}
			if first, _, _ := strings.Cut(out, "\n"); first != tt.first {
				t.Errorf("first line %q, want %q", first, tt.first)
			}
			for _, s := range tt.contains {
				if !strings.Contains(out, s) {
					t.Errorf("output lacks %q:\n%s", s, out)
				}
			}
		})
	}
}

func TestCanResourceAndSessionPolicies(t *testing.T) {
	input := writeInput(t, "authz.json", canAccount)
	queue := "arn:aws:sqs:us-east-1:444455556666:jobs"
	queuePolicy := writeInput(t, "queue.json", `{"Version":"2012-10-17","Statement":[{"Sid":"FromBob","Effect":"Allow",
	  "Principal":{"AWS":"arn:aws:iam::111122223333:user/bob"},"Action":"sqs:SendMessage","Resource":"`+queue+`"}]}`)
	onlyRead := writeInput(t, "session.json", `{"Version":"2012-10-17","Statement":[{"Sid":"ReadOnly","Effect":"Allow","Action":"s3:Get*","Resource":"*"}]}`)
	tests := []struct {
		name  string
		args  []string
		code  int
		first string
		has   string
	}{
		{"cross-account from the ARN, no resource policy", []string{"user/bob", "sqs:SendMessage", queue}, 1, "denied", "cross-account"},
		{"cross-account with a resource policy", []string{"--resource-policy", queuePolicy, "user/bob", "sqs:SendMessage", queue}, 0, "allowed", "FromBob"},
		{"same account named explicitly", []string{"--resource-account", "111122223333", "user/bob", "sqs:SendMessage", queue}, 0, "allowed", "AdministratorAccess"},
		{"session policy limits", []string{"--session-policy", onlyRead, "user/bob", "s3:PutObject", "arn:aws:s3:::b/k"}, 1, "denied", "session policy"},
		{"session policy allows", []string{"--session-policy", onlyRead, "user/bob", "s3:GetObject", "arn:aws:s3:::b/k"}, 0, "allowed", "ReadOnly"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, append([]string{"can", "-i", input}, tt.args...)...)
			if first, _, _ := strings.Cut(out, "\n"); code != tt.code || first != tt.first || !strings.Contains(out, tt.has) {
				t.Errorf("exit %d, want %d %s with %q\nstdout:\n%s\nstderr:\n%s", code, tt.code, tt.first, tt.has, out, errOut)
			}
		})
	}
	if code, _, _ := runCLI(t, "can", "-i", input, "--resource-policy", queuePolicy+".missing", "user/bob", "sqs:SendMessage", queue); code != exitUsage {
		t.Errorf("missing resource policy file: exit %d, want %d", code, exitUsage)
	}
}

func TestCanErrors(t *testing.T) {
	input := writeInput(t, "authz.json", canAccount)
	for _, args := range [][]string{
		{"can", "user/bob", "s3:GetObject"},                              // no input
		{"can", "-i", input, "user/bob"},                                 // no action
		{"can", "-i", input, "user/nobody", "s3:GetObject"},              // unknown principal
		{"can", "-i", input, "--context", "novalue", "user/bob", "s3:*"}, // malformed context
		{"can", "-i", input + ".missing", "user/bob", "s3:GetObject"},    // unreadable input
	} {
		if code, _, _ := runCLI(t, args...); code != exitUsage {
			t.Errorf("%v: exit %d, want %d", args, code, exitUsage)
		}
	}
}

func TestExpand(t *testing.T) {
	code, out, _ := runCLI(t, "expand", "iam:?etUser", "S3:GETOBJECT")
	want := "iam:GetUser\tRead\tuser\ns3:GetObject\tRead\taccesspointobject,object\n"
	if code != exitOK || out != want {
		t.Errorf("expand: exit %d, output\n%q\nwant\n%q", code, out, want)
	}
	if code, out, errOut := runCLI(t, "expand", "iam:ListRoles", "nosuch:Thing"); code != exitFindings || out != "iam:ListRoles\tList\t*\n" || !strings.Contains(errOut, "unknown service prefix") {
		t.Errorf("expand with an unknown service: exit %d, %q, %q", code, out, errOut)
	}
	if code, _, _ := runCLI(t, "expand"); code != exitUsage {
		t.Errorf("expand without pattern: exit %d", code)
	}
}

// roleAccount: alice may call sts:AssumeRole on any role; the roles trust
// a SAML provider only, the account, or alice herself.
const roleAccount = `{
  "UserDetailList": [
    {"UserName": "alice", "UserId": "AIDAALICE", "Path": "/", "Arn": "arn:aws:iam::111122223333:user/alice",
     "CreateDate": "2020-01-01T00:00:00Z", "GroupList": [], "AttachedManagedPolicies": [],
     "UserPolicyList": [{"PolicyName": "hop", "PolicyDocument": {"Version": "2012-10-17", "Statement": [
       {"Sid": "Hop", "Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"}]}}]},
    {"UserName": "bob", "UserId": "AIDABOB", "Path": "/", "Arn": "arn:aws:iam::111122223333:user/bob",
     "CreateDate": "2020-01-01T00:00:00Z", "GroupList": [], "AttachedManagedPolicies": [], "UserPolicyList": []}
  ],
  "GroupDetailList": [],
  "RoleDetailList": [
    {"RoleName": "okta-admins", "RoleId": "AROAOKTA", "Path": "/", "Arn": "arn:aws:iam::111122223333:role/okta-admins",
     "CreateDate": "2020-01-01T00:00:00Z", "RolePolicyList": [], "AttachedManagedPolicies": [], "InstanceProfileList": [], "Tags": [],
     "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{"Sid": "SAML", "Effect": "Allow",
       "Principal": {"Federated": "arn:aws:iam::111122223333:saml-provider/okta"}, "Action": "sts:AssumeRoleWithSAML"}]}},
    {"RoleName": "ops", "RoleId": "AROAOPS", "Path": "/", "Arn": "arn:aws:iam::111122223333:role/ops",
     "CreateDate": "2020-01-01T00:00:00Z", "RolePolicyList": [], "AttachedManagedPolicies": [], "InstanceProfileList": [], "Tags": [],
     "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{"Sid": "Account", "Effect": "Allow",
       "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "sts:AssumeRole"}]}},
    {"RoleName": "bobs", "RoleId": "AROABOBS", "Path": "/", "Arn": "arn:aws:iam::111122223333:role/bobs",
     "CreateDate": "2020-01-01T00:00:00Z", "RolePolicyList": [], "AttachedManagedPolicies": [], "InstanceProfileList": [], "Tags": [],
     "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{"Sid": "Bob", "Effect": "Allow",
       "Principal": {"AWS": "arn:aws:iam::111122223333:user/bob"}, "Action": "sts:AssumeRole"}]}}
  ],
  "Policies": []
}`

// "Policy evaluation logic": a role's trust policy must allow even within
// the account; naming the account delegates to identity policies, naming
// the user grants on its own.
func TestCanRoleTrust(t *testing.T) {
	input := writeInput(t, "authz.json", roleAccount)
	tests := []struct {
		name  string
		args  []string
		code  int
		first string
		has   string
	}{
		{"trust allows only SAML federation", []string{"user/alice", "sts:AssumeRole", "arn:aws:iam::111122223333:role/okta-admins"}, 1, "denied", "the role's trust policy does not"},
		{"trust names the account, identity allows", []string{"user/alice", "sts:AssumeRole", "arn:aws:iam::111122223333:role/ops"}, 0, "allowed", "Account"},
		{"trust names the account, no identity allow", []string{"user/bob", "sts:AssumeRole", "arn:aws:iam::111122223333:role/ops"}, 1, "denied", "identity"},
		{"trust names the user: no identity policy needed", []string{"user/bob", "sts:AssumeRole", "arn:aws:iam::111122223333:role/bobs"}, 0, "allowed", "Bob"},
		{"trust names someone else", []string{"user/alice", "sts:AssumeRole", "arn:aws:iam::111122223333:role/bobs"}, 1, "denied", "trust policy"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, append([]string{"can", "-i", input}, tt.args...)...)
			if first, _, _ := strings.Cut(out, "\n"); code != tt.code || first != tt.first || !strings.Contains(out, tt.has) {
				t.Errorf("exit %d, want %d %s with %q\nstdout:\n%s\nstderr:\n%s", code, tt.code, tt.first, tt.has, out, errOut)
			}
		})
	}
}
