package rules

import (
	"strings"
	"testing"
	"time"

	"github.com/iamscan/iamscan/policy"
	"github.com/iamscan/iamscan/snapshot"
)

func statement(t *testing.T, js string) *policy.Statement {
	t.Helper()
	d, err := policy.Parse("t.json", []byte(`{"Version":"2012-10-17","Statement":[`+js+`]}`))
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Problems) > 0 {
		t.Fatalf("test statement has problems: %v", d.Problems)
	}
	return d.Statements[0]
}

func TestFullAdmin(t *testing.T) {
	tests := []struct {
		stmt string
		want bool
	}{
		{`{"Effect":"Allow","Action":"*","Resource":"*"}`, true},
		{`{"Effect":"Allow","Action":["s3:GetObject","*:*"],"Resource":["arn:aws:s3:::b","*"]}`, true},
		{`{"Effect":"Allow","Action":"**","Resource":"*"}`, true},
		{`{"Effect":"Allow","Action":"*","Resource":"arn:aws:s3:::b/*"}`, false},
		{`{"Effect":"Allow","Action":"s3:*","Resource":"*"}`, false},
		{`{"Effect":"Allow","NotAction":"iam:*","Resource":"*"}`, false},
		{`{"Effect":"Allow","Action":"*","NotResource":"arn:aws:s3:::b"}`, false},
		{`{"Effect":"Allow","Action":"*:Get*","Resource":"*"}`, false},
		{`{"Effect":"Allow","Action":"*","Resource":"arn:*:*:*:*:*"}`, true},
		{`{"Effect":"Allow","Action":"*","Resource":"arn:*"}`, true},
	}
	s := &snapshot.Snapshot{AccountID: "111122223333", Partition: "aws"}
	for _, tt := range tests {
		if got := fullAdmin(s, statement(t, tt.stmt)); got != tt.want {
			t.Errorf("fullAdmin(%s) = %v, want %v", tt.stmt, got, tt.want)
		}
	}
}

// TestEveryResource: one judgement of "every resource" for every rule,
// by the Resource element's wildcard rules rather than string tests.
func TestEveryResource(t *testing.T) {
	tests := []struct {
		partition, pattern string
		want               bool
	}{
		{"aws", "*", true},
		{"aws", "**", true},
		{"aws", "arn:*:*:*:*:*", true},
		{"aws", "arn:*", true},
		{"aws", "arn:aws:*:*:*:*", true},
		{"aws", "arn:*:*:*:*:*/*", false}, // resources without a '/' are left out
		{"aws", "arn:aws-cn:*:*:*:*", false},
		{"aws-cn", "arn:aws-cn:*:*:*:*", true},
		{"", "arn:aws-us-gov:*:*:*:*", true}, // a bare file: the partition it names
		{"", "arn:*:*:*:*:*", true},
		{"aws", "arn:*:s3:::*", false},
		{"aws", "arn:*:*:*:111122223333:*", false},
		{"aws", "arn:*:*:?*:*:*", false}, // global resources have no region
		{"aws", "arn:*:*:*:*:?*", true},
		{"aws", "arn:aws:iam::*:*", false},
		{"aws", "arn:aws:?:*", false},           // one-character services only
		{"aws", "arn:aws:??:*", false},          // two-character services only
		{"aws", "ARN:*", false},                 // ARNs are case-sensitive
		{"aws", "arn:aws:s3:::bucket/?", false}, // no '*' at all
	}
	for _, tt := range tests {
		s := &snapshot.Snapshot{Partition: tt.partition}
		if got := everyResource(s, tt.pattern); got != tt.want {
			t.Errorf("everyResource(%q, partition %q) = %v, want %v", tt.pattern, tt.partition, got, tt.want)
		}
	}
}

func TestServiceWildcard(t *testing.T) {
	tests := []struct {
		pattern, svc string
		ok           bool
	}{
		{"s3:*", "s3", true},
		{"IAM:*", "iam", true},
		{"kms:**", "kms", true},
		{"s3:Get*", "", false},
		{"*", "", false},
		{"*:*", "", false},
		{"s3*:*", "", false},
		{":*", "", false},
	}
	for _, tt := range tests {
		svc, ok := serviceWildcard(tt.pattern)
		if svc != tt.svc || ok != tt.ok {
			t.Errorf("serviceWildcard(%q) = %q, %v; want %q, %v", tt.pattern, svc, ok, tt.svc, tt.ok)
		}
	}
}

func TestAllowsActionIgnoresCase(t *testing.T) {
	tests := []struct {
		stmt, action string
		want         bool
	}{
		{`{"Effect":"Allow","Action":"IAM:Pass*","Resource":"*"}`, "iam:PassRole", true},
		{`{"Effect":"Allow","Action":"iam:passrole","Resource":"*"}`, "iam:PassRole", true},
		{`{"Effect":"Allow","Action":"iam:Get*","Resource":"*"}`, "iam:PassRole", false},
		{`{"Effect":"Allow","NotAction":"iam:*","Resource":"*"}`, "iam:PassRole", false},
		{`{"Effect":"Allow","NotAction":"s3:*","Resource":"*"}`, "iam:PassRole", true},
	}
	for _, tt := range tests {
		if got := allowsAction(statement(t, tt.stmt), tt.action); got != tt.want {
			t.Errorf("allowsAction(%s, %s) = %v, want %v", tt.stmt, tt.action, got, tt.want)
		}
	}
}

func TestAnyRoleProbe(t *testing.T) {
	s := &snapshot.Snapshot{AccountID: "111122223333"}
	probe := probeARN(s, "role")
	tests := []struct {
		resource string
		want     bool
	}{
		{`"*"`, true},
		{`"arn:aws:iam::*:role/*"`, true},
		{`"arn:aws:iam::111122223333:role/*"`, true},
		{`"arn:*:iam::111122223333:*"`, true},
		{`"arn:aws:iam::111122223333:role/app-*"`, false},
		{`"arn:aws:iam::444455556666:role/*"`, false},
		{`"arn:aws:iam::111122223333:role/lambda-exec"`, false},
		{`{"Not":"arn:aws:iam::*:role/admin"}`, true},
		{`{"Not":"arn:aws:iam::*:role/*"}`, false},
		{`{"Not":"*"}`, false},
	}
	for _, tt := range tests {
		elem := `"Resource":` + tt.resource
		if not, ok := strings.CutPrefix(tt.resource, `{"Not":`); ok {
			elem = `"NotResource":` + strings.TrimSuffix(not, "}")
		}
		st := statement(t, `{"Effect":"Allow","Action":"iam:PassRole",`+elem+`}`)
		if got := coversResource(st, probe); got != tt.want {
			t.Errorf("Resource %s covers every role: %v, want %v", tt.resource, got, tt.want)
		}
	}
}

func TestAnyAWSPrincipal(t *testing.T) {
	tests := []struct {
		principal string
		want      bool
	}{
		{`"*"`, true},
		{`{"AWS":"*"}`, true},
		{`{"AWS":["arn:aws:iam::111122223333:root","*"]}`, true},
		{`{"AWS":["arn:aws:iam::*:root"]}`, true},
		{`{"AWS":"arn:aws:iam::*:role/deploy"}`, true},
		{`{"AWS":"arn:aws:iam::111122223333:root"}`, false},
		{`{"AWS":"111122223333"}`, false},
		{`{"Service":"ec2.amazonaws.com"}`, false},
		{`{"Federated":"cognito-identity.amazonaws.com"}`, false},
	}
	for _, tt := range tests {
		st := statement(t, `{"Effect":"Allow","Principal":`+tt.principal+`,"Action":"sts:AssumeRole"}`)
		if got := anyAWSPrincipal(st.Principal); got != tt.want {
			t.Errorf("anyAWSPrincipal(%s) = %v, want %v", tt.principal, got, tt.want)
		}
	}
	np := statement(t, `{"Effect":"Allow","NotPrincipal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"sts:AssumeRole"}`)
	if anyAWSPrincipal(np.Principal) {
		t.Error("NotPrincipal counted as any principal; it is IAM009's")
	}
}

func TestNarrowsCaller(t *testing.T) {
	tests := []struct {
		cond string
		want bool
	}{
		{`{"StringEquals":{"aws:PrincipalOrgID":"o-abc123"}}`, true},
		{`{"StringEquals":{"AWS:PrincipalOrgId":"o-abc123"}}`, true},
		{`{"StringEquals":{"aws:PrincipalAccount":["111122223333","444455556666"]}}`, true},
		{`{"StringEquals":{"aws:SourceAccount":"111122223333"}}`, true},
		{`{"StringEquals":{"sts:ExternalId":"7f3a9c"}}`, false}, // not a secret: the caller chooses it
		{`{"StringEquals":{"sts:ExternalId":"7f3a9c","aws:PrincipalAccount":"444455556666"}}`, true},
		{`{"ArnEquals":{"aws:PrincipalArn":"arn:aws:iam::111122223333:role/ci"}}`, true},
		{`{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::111122223333:role/ci-*"}}`, true},
		{`{"ArnLike":{"aws:SourceArn":"arn:aws:s3:::logs-bucket"}}`, true},
		{`{"ForAnyValue:StringLike":{"aws:PrincipalOrgPaths":"o-abc123/r-ab12/*"}}`, true},
		{`{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*:role/ci"}}`, false},
		{`{"StringLike":{"aws:PrincipalOrgID":"*"}}`, false},
		{`{"StringLike":{"aws:PrincipalOrgID":"o-*"}}`, false},
		{`{"StringLike":{"aws:PrincipalAccount":"1111*"}}`, false},
		{`{"StringLike":{"aws:SourceAccount":"????????????"}}`, false},
		{`{"ForAnyValue:StringLike":{"aws:PrincipalOrgPaths":"o-*/r-ab12/*"}}`, false},
		{`{"StringEqualsIfExists":{"aws:PrincipalOrgID":"o-abc123"}}`, false},
		{`{"ForAllValues:StringEquals":{"aws:PrincipalOrgPaths":"o-abc123/r-ab12/"}}`, false},
		{`{"StringNotEquals":{"aws:PrincipalOrgID":"o-abc123"}}`, false},
		{`{"Bool":{"aws:SecureTransport":"true"}}`, false},
		{`{"StringLike":{"aws:UserAgent":"*terraform*"}}`, false},
		{`{"Bool":{"aws:SecureTransport":"true"},"StringEquals":{"aws:PrincipalOrgID":"o-abc123"}}`, true},
	}
	for _, tt := range tests {
		st := statement(t, `{"Effect":"Allow","Principal":"*","Action":"sts:AssumeRole","Condition":`+tt.cond+`}`)
		if got := narrowsCaller(st.Condition); got != tt.want {
			t.Errorf("narrowsCaller(%s) = %v, want %v", tt.cond, got, tt.want)
		}
	}
}

func TestCredentialTimes(t *testing.T) {
	asOf := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	at := func(s string) snapshot.Time {
		tm, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return snapshot.Time{T: tm}
	}
	tests := []struct {
		name            string
		t               snapshot.Time
		older90, within bool
		never           bool
	}{
		{"91 days ago", at("2026-08-02T00:00:00Z"), true, false, false},
		{"exactly 90 days ago", at("2026-08-03T00:00:00Z"), false, true, false},
		{"yesterday", at("2026-10-31T00:00:00Z"), false, true, false},
		{"N/A (key never used)", snapshot.Time{Raw: "N/A"}, false, false, true},
		{"no_information (password never used)", snapshot.Time{Raw: "no_information"}, false, false, true},
		{"not_supported is unknown", snapshot.Time{Raw: "not_supported"}, false, false, false},
		{"missing is unknown", snapshot.Time{}, false, false, false},
	}
	for _, tt := range tests {
		if got := olderThan(tt.t, asOf, 90); got != tt.older90 {
			t.Errorf("%s: olderThan 90 = %v, want %v", tt.name, got, tt.older90)
		}
		if got := within(tt.t, asOf, 90); got != tt.within {
			t.Errorf("%s: within 90 = %v, want %v", tt.name, got, tt.within)
		}
		if got := neverUsed(tt.t); got != tt.never {
			t.Errorf("%s: neverUsed = %v, want %v", tt.name, got, tt.never)
		}
	}
}

func TestDescribe(t *testing.T) {
	tests := []struct {
		ref  snapshot.PolicyRef
		want string
	}{
		{snapshot.PolicyRef{Kind: snapshot.PolicyManaged, Name: "Admin", ARN: "arn:aws:iam::1:policy/Admin"}, "policy Admin"},
		{snapshot.PolicyRef{Kind: snapshot.PolicyInline, Name: "ops", OwnerARN: "arn:aws:iam::1:role/team/deploy"}, "inline policy ops of role deploy"},
		{snapshot.PolicyRef{Kind: snapshot.PolicyTrust, OwnerARN: "arn:aws:iam::1:role/deploy"}, "trust policy of role deploy"},
		{snapshot.PolicyRef{Kind: snapshot.PolicyStandalone, Name: "some/dir/admin.json"}, "policy file admin.json"},
	}
	for _, tt := range tests {
		if got := describe(tt.ref); got != tt.want {
			t.Errorf("describe(%+v) = %q, want %q", tt.ref, got, tt.want)
		}
	}
}
