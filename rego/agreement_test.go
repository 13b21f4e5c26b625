package rego_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/iamscan/iamscan/collector/offline"
	"github.com/iamscan/iamscan/rego"
	"github.com/iamscan/iamscan/rules"
)

// TestIAM051AgreesWithIAM050 runs the Go rule IAM050 and the Rego rule
// IAM051 on the same trust statements. Between them they must report
// every statement open to any principal exactly once: IAM050 those with
// no condition, IAM051 those whose conditions do not narrow the caller.
// Both engines judge "any principal" and "narrowing condition" with the
// same Go functions.
func TestIAM051AgreesWithIAM050(t *testing.T) {
	tests := []struct {
		name, principal, condition string
		iam051                     bool
	}{
		{"secure transport only", `"*"`, `{"Bool": {"aws:SecureTransport": "true"}}`, true},
		{"user agent only", `{"AWS": "*"}`, `{"StringLike": {"aws:UserAgent": "aws-cli/*"}}`, true},
		{"account wildcard", `{"AWS": "arn:aws:iam::*:root"}`, `{"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}`, true},
		{"org id if exists", `"*"`, `{"StringEqualsIfExists": {"aws:PrincipalOrgID": "o-abc"}}`, true},
		{"negated account", `"*"`, `{"StringNotEquals": {"aws:PrincipalAccount": "999988887777"}}`, true},
		{"for all values org", `"*"`, `{"ForAllValues:StringEquals": {"aws:PrincipalOrgID": ["o-abc"]}}`, true},
		{"wildcard principal arn", `"*"`, `{"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/x"}}`, true},
		{"org id", `"*"`, `{"StringEquals": {"aws:PrincipalOrgID": "o-abc"}, "Bool": {"aws:SecureTransport": "true"}}`, false},
		{"key case", `"*"`, `{"StringEquals": {"AWS:PRINCIPALORGID": "o-abc"}}`, false},
		// The external id is not a secret and the caller picks it: with
		// any principal it narrows nothing (it used to count as narrowing).
		{"external id only", `"*"`, `{"StringEquals": {"sts:ExternalId": "x1"}}`, true},
		{"external id and account", `{"AWS": "*"}`, `{"StringEquals": {"sts:ExternalId": "x1", "aws:PrincipalAccount": "444455556666"}}`, false},
		{"no condition", `"*"`, ``, false}, // IAM050's
		{"named principal", `{"AWS": "arn:aws:iam::111122223333:root"}`, `{"Bool": {"aws:SecureTransport": "true"}}`, false},
	}
	var roles []string
	for i, tt := range tests {
		cond := ""
		if tt.condition != "" {
			cond = `, "Condition": ` + tt.condition
		}
		roles = append(roles, fmt.Sprintf(`{"RoleName": "r%d", "RoleId": "AROA%d", "Arn": "arn:aws:iam::111122223333:role/r%d", "Path": "/",
		  "CreateDate": "2024-01-01T00:00:00Z", "RolePolicyList": [], "AttachedManagedPolicies": [], "InstanceProfileList": [],
		  "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": %s, "Action": "sts:AssumeRole"%s}]}}`,
			i, i, i, tt.principal, cond))
	}
	gaad := `{"UserDetailList": [], "GroupDetailList": [], "Policies": [], "RoleDetailList": [` + strings.Join(roles, ",") + `]}`
	snap, err := offline.LoadBytes("gaad.json", []byte(gaad), offline.Options{})
	if err != nil {
		t.Fatal(err)
	}
	run := []*rules.Rule{rules.Lookup(rules.Builtin(), "IAM050"), rules.Lookup(rego.Builtin(), "IAM051")}
	if run[0] == nil || run[1] == nil {
		t.Fatal("IAM050 or IAM051 missing")
	}
	res := rules.Run(snap, run, rules.Options{})
	fired := map[string]map[string]bool{"IAM050": {}, "IAM051": {}}
	for _, f := range res.Findings {
		fired[f.RuleID][f.Resource] = true
	}
	for i, tt := range tests {
		arn := fmt.Sprintf("arn:aws:iam::111122223333:role/r%d", i)
		if got := fired["IAM051"][arn]; got != tt.iam051 {
			t.Errorf("%s: IAM051 fired %v, want %v", tt.name, got, tt.iam051)
		}
		// Open to any principal: weak conditions (IAM051's), or a wildcard
		// principal with no condition at all (IAM050's).
		open := tt.iam051 || (tt.condition == "" && strings.Contains(tt.principal, "*"))
		if both := fired["IAM050"][arn] && fired["IAM051"][arn]; both {
			t.Errorf("%s: IAM050 and IAM051 both fired on one statement", tt.name)
		}
		if once := fired["IAM050"][arn] || fired["IAM051"][arn]; once != open {
			t.Errorf("%s: reported %v, want %v (IAM050 %v, IAM051 %v)", tt.name, once, open, fired["IAM050"][arn], fired["IAM051"][arn])
		}
	}
}
