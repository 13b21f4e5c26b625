package policy

import (
	"fmt"
	"strings"
	"testing"

	"github.com/iamscan/iamscan/internal/cpuclock"
)

func doc(t testing.TB, name, js string) NamedPolicy {
	t.Helper()
	d, err := Parse(name, []byte(js))
	if err != nil || len(d.Problems) > 0 {
		t.Fatalf("%s: %v %v", name, err, d.Problems)
	}
	return NamedPolicy{Name: name, Doc: d}
}

const (
	alice     = "arn:aws:iam::111111111111:user/alice"
	bucket    = "arn:aws:s3:::reports"
	objectARN = "arn:aws:s3:::reports/2026/q1.csv"
)

// Table of evaluation rules from "Policy evaluation logic" and "IAM JSON
// policy elements" pages of the IAM User Guide.
func TestEvaluate(t *testing.T) {
	allowS3 := doc(t, "allow-s3", `{"Version":"2012-10-17","Statement":[{"Sid":"S3","Effect":"Allow","Action":"s3:*","Resource":"*"}]}`)
	allowAll := doc(t, "admin", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}`)
	allowStarStar := doc(t, "admin2", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*:*","Resource":"*"}}`)
	denyDelete := doc(t, "deny-delete", `{"Version":"2012-10-17","Statement":[{"Sid":"NoDelete","Effect":"Deny","Action":"s3:Delete*","Resource":"*"}]}`)
	denyNotAction := doc(t, "deny-not-iam", `{"Version":"2012-10-17","Statement":[{"Sid":"OnlyIAM","Effect":"Deny","NotAction":"iam:*","Resource":"*"}]}`)
	allowNotResource := doc(t, "allow-not-secret", `{"Version":"2012-10-17","Statement":[{"Sid":"NotSecret","Effect":"Allow","Action":"s3:GetObject","NotResource":"arn:aws:s3:::secret/*"}]}`)
	allowHome := doc(t, "home", `{"Version":"2012-10-17","Statement":[{"Sid":"Home","Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::home/${aws:username}/*"}]}`)
	allowMFA := doc(t, "mfa", `{"Version":"2012-10-17","Statement":[{"Sid":"MFA","Effect":"Allow","Action":"ec2:*","Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}]}`)
	denyNoMFA := doc(t, "deny-no-mfa", `{"Version":"2012-10-17","Statement":[{"Sid":"DenyNoMFA","Effect":"Deny","Action":"*","Resource":"*","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}}]}`)
	boundaryS3 := doc(t, "boundary", `{"Version":"2012-10-17","Statement":[{"Sid":"Boundary","Effect":"Allow","Action":["s3:*","ec2:Describe*"],"Resource":"*"}]}`)
	scpNoEC2 := doc(t, "scp", `{"Version":"2012-10-17","Statement":[{"Sid":"All","Effect":"Allow","Action":"*","Resource":"*"},{"Sid":"NoEC2","Effect":"Deny","Action":"ec2:*","Resource":"*"}]}`)
	scpOnlyS3 := doc(t, "scp-s3", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}`)
	bucketToAlice := doc(t, "bucket-policy", `{"Version":"2012-10-17","Statement":[{"Sid":"Alice","Effect":"Allow","Principal":{"AWS":"`+alice+`"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::reports/*"}]}`)
	bucketToAccount := doc(t, "bucket-policy", `{"Version":"2012-10-17","Statement":[{"Sid":"Account","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::reports/*"}]}`)
	bucketNotPrincipal := doc(t, "bucket-policy", `{"Version":"2012-10-17","Statement":[{"Sid":"OnlyBob","Effect":"Deny","NotPrincipal":{"AWS":"arn:aws:iam::111111111111:user/bob"},"Action":"s3:*","Resource":"*"}]}`)
	bucketNotPrincipalAlice := doc(t, "bucket-policy", `{"Version":"2012-10-17","Statement":[{"Sid":"OnlyAlice","Effect":"Deny","NotPrincipal":{"AWS":"`+alice+`"},"Action":"s3:*","Resource":"*"}]}`)
	sessionS3Get := doc(t, "session", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:Get*","Resource":"*"}]}`)

	complete := NewContext(true)
	complete.Set("aws:username", "alice")
	mfaTrue := NewContext(true)
	mfaTrue.Set("aws:MultiFactorAuthPresent", "true")
	unknown := NewContext(false)

	tests := []struct {
		name      string
		action    string
		resource  string
		resAcct   string
		ctx       *Context
		ps        PolicySet
		want      Decision
		explicit  bool
		deciding  string // Sid or policy of a deciding statement, when checked
		reasonHas string
	}{
		{"identity allow", "s3:GetObject", objectARN, "", complete, PolicySet{Identity: []NamedPolicy{allowS3}}, Allowed, false, "S3", ""},
		{"implicit deny without any allow", "ec2:RunInstances", "*", "", complete, PolicySet{Identity: []NamedPolicy{allowS3}}, Denied, false, "", "no identity-based"},
		{"case-insensitive action names", "S3:GETOBJECT", objectARN, "", complete, PolicySet{Identity: []NamedPolicy{allowS3}}, Allowed, false, "", ""},
		{"* allows every action", "kms:Decrypt", "*", "", complete, PolicySet{Identity: []NamedPolicy{allowAll}}, Allowed, false, "", ""},
		{"*:* allows every action like *", "kms:Decrypt", "*", "", complete, PolicySet{Identity: []NamedPolicy{allowStarStar}}, Allowed, false, "", ""},
		{"explicit deny wins over allow", "s3:DeleteObject", objectARN, "", complete, PolicySet{Identity: []NamedPolicy{allowS3, denyDelete}}, Denied, true, "NoDelete", ""},
		{"Deny with NotAction denies what is not listed", "s3:GetObject", objectARN, "", complete, PolicySet{Identity: []NamedPolicy{allowAll, denyNotAction}}, Denied, true, "OnlyIAM", ""},
		{"Deny with NotAction leaves the listed actions", "iam:GetUser", "*", "", complete, PolicySet{Identity: []NamedPolicy{allowAll, denyNotAction}}, Allowed, false, "", ""},
		{"Allow with NotResource allows other resources", "s3:GetObject", objectARN, "", complete, PolicySet{Identity: []NamedPolicy{allowNotResource}}, Allowed, false, "NotSecret", ""},
		{"Allow with NotResource excludes the listed ones", "s3:GetObject", "arn:aws:s3:::secret/k", "", complete, PolicySet{Identity: []NamedPolicy{allowNotResource}}, Denied, false, "", ""},
		{"policy variable inside an ARN matches", "s3:PutObject", "arn:aws:s3:::home/alice/f", "", complete, PolicySet{Identity: []NamedPolicy{allowHome}}, Allowed, false, "Home", ""},
		{"policy variable inside an ARN does not match others", "s3:PutObject", "arn:aws:s3:::home/bob/f", "", complete, PolicySet{Identity: []NamedPolicy{allowHome}}, Denied, false, "", ""},
		{"policy variable with unknown value is conditional", "s3:PutObject", "arn:aws:s3:::home/bob/f", "", unknown, PolicySet{Identity: []NamedPolicy{allowHome}}, Conditional, false, "Home", ""},
		{"condition holds", "ec2:StartInstances", "*", "", mfaTrue, PolicySet{Identity: []NamedPolicy{allowMFA}}, Allowed, false, "MFA", ""},
		{"condition on missing key fails", "ec2:StartInstances", "*", "", complete, PolicySet{Identity: []NamedPolicy{allowMFA}}, Denied, false, "", ""},
		{"condition on unknown key is conditional", "ec2:StartInstances", "*", "", unknown, PolicySet{Identity: []NamedPolicy{allowMFA}}, Conditional, false, "MFA", ""},
		{"IfExists deny on a missing key denies", "s3:GetObject", objectARN, "", complete, PolicySet{Identity: []NamedPolicy{allowS3, denyNoMFA}}, Denied, true, "DenyNoMFA", ""},
		{"IfExists deny with the key present and true", "s3:GetObject", objectARN, "", mfaTrue, PolicySet{Identity: []NamedPolicy{allowS3, denyNoMFA}}, Allowed, false, "", ""},
		{"conditional deny makes an allow conditional", "s3:GetObject", objectARN, "", unknown, PolicySet{Identity: []NamedPolicy{allowS3, denyNoMFA}}, Conditional, false, "DenyNoMFA", ""},
		{"boundary allows", "s3:GetObject", objectARN, "", complete, PolicySet{Identity: []NamedPolicy{allowAll}, Boundary: []NamedPolicy{boundaryS3}}, Allowed, false, "Boundary", ""},
		{"boundary must allow too", "iam:CreateUser", "*", "", complete, PolicySet{Identity: []NamedPolicy{allowAll}, Boundary: []NamedPolicy{boundaryS3}}, Denied, false, "admin", "permissions boundary"},
		{"boundary alone grants nothing", "s3:GetObject", objectARN, "", complete, PolicySet{Boundary: []NamedPolicy{boundaryS3}}, Denied, false, "", "no identity-based"},
		{"SCP deny wins", "ec2:RunInstances", "*", "", complete, PolicySet{Identity: []NamedPolicy{allowAll}, SCPs: []NamedPolicy{scpNoEC2}}, Denied, true, "NoEC2", ""},
		{"SCP must allow", "iam:CreateUser", "*", "", complete, PolicySet{Identity: []NamedPolicy{allowAll}, SCPs: []NamedPolicy{scpOnlyS3}}, Denied, false, "", "service control policy"},
		{"SCP allows", "s3:GetObject", objectARN, "", complete, PolicySet{Identity: []NamedPolicy{allowAll}, SCPs: []NamedPolicy{scpOnlyS3}}, Allowed, false, "", ""},
		{"RCP must allow", "iam:CreateUser", "*", "", complete, PolicySet{Identity: []NamedPolicy{allowAll}, RCPs: []NamedPolicy{scpOnlyS3}}, Denied, false, "", "resource control policy"},
		{"session policy limits", "s3:PutObject", objectARN, "", complete, PolicySet{Identity: []NamedPolicy{allowAll}, Session: []NamedPolicy{sessionS3Get}}, Denied, false, "", "session policy"},
		{"session policy allows", "s3:GetObject", objectARN, "", complete, PolicySet{Identity: []NamedPolicy{allowAll}, Session: []NamedPolicy{sessionS3Get}}, Allowed, false, "", ""},
		{"same account: resource policy naming the user grants alone", "s3:GetObject", objectARN, "", complete, PolicySet{Resource: []NamedPolicy{bucketToAlice}}, Allowed, false, "Alice", ""},
		{"same account: resource policy naming the account delegates", "s3:GetObject", objectARN, "", complete, PolicySet{Resource: []NamedPolicy{bucketToAccount}}, Denied, false, "", ""},
		{"same account: user named in resource policy passes the boundary", "s3:GetObject", objectARN, "", complete, PolicySet{Resource: []NamedPolicy{bucketToAlice}, Boundary: []NamedPolicy{doc(t, "b", `{"Statement":{"Effect":"Allow","Action":"ec2:*","Resource":"*"}}`)}}, Allowed, false, "", ""},
		{"cross account: resource policy alone is not enough", "s3:GetObject", objectARN, "222222222222", complete, PolicySet{Resource: []NamedPolicy{bucketToAlice}}, Denied, false, "", "cross-account"},
		{"cross account: identity alone is not enough", "s3:GetObject", objectARN, "222222222222", complete, PolicySet{Identity: []NamedPolicy{allowS3}}, Denied, false, "", "cross-account"},
		{"cross account: both allow", "s3:GetObject", objectARN, "222222222222", complete, PolicySet{Identity: []NamedPolicy{allowS3}, Resource: []NamedPolicy{bucketToAccount}}, Allowed, false, "", ""},
		{"NotPrincipal deny applies to others", "s3:GetObject", objectARN, "", complete, PolicySet{Identity: []NamedPolicy{allowS3}, Resource: []NamedPolicy{bucketNotPrincipal}}, Denied, true, "OnlyBob", ""},
		// "NotPrincipal with Deny": AWS "might validate the account first
		// and then the user"; naming only the user may still deny it.
		{"NotPrincipal deny naming only the user may still deny it", "s3:GetObject", objectARN, "", complete, PolicySet{Identity: []NamedPolicy{allowS3}, Resource: []NamedPolicy{bucketNotPrincipalAlice}}, Conditional, false, "OnlyAlice", ""},
		{"resource policy statement for another principal is ignored", "s3:GetObject", objectARN, "", complete, PolicySet{Resource: []NamedPolicy{doc(t, "bp", `{"Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:user/bob"},"Action":"s3:*","Resource":"*"}}`)}}, Denied, false, "", ""},
		{"a policy missing from the input makes an allow conditional", "s3:GetObject", objectARN, "", complete, PolicySet{Identity: []NamedPolicy{allowS3, {Name: "arn:aws:iam::111111111111:policy/gone"}}}, Conditional, false, "arn:aws:iam::111111111111:policy/gone", ""},
		{"a missing boundary document makes an allow conditional", "s3:GetObject", objectARN, "", complete, PolicySet{Identity: []NamedPolicy{allowS3}, Boundary: []NamedPolicy{{Name: "boundary"}}}, Conditional, false, "boundary", ""},
		{"an explicit deny still decides next to a missing policy", "s3:DeleteObject", objectARN, "", complete, PolicySet{Identity: []NamedPolicy{allowS3, denyDelete, {Name: "gone"}}}, Denied, true, "NoDelete", ""},
		{"a missing policy alone grants nothing for sure", "s3:GetObject", objectARN, "", complete, PolicySet{Identity: []NamedPolicy{{Name: "gone"}}}, Conditional, false, "gone", ""},
		{"an empty resource is *: ARN patterns do not match it", "s3:ListAllMyBuckets", "", "", complete, PolicySet{Identity: []NamedPolicy{allowHome}}, Denied, false, "", ""},
		{"an empty resource is *: Resource * matches it", "s3:ListAllMyBuckets", "", "", complete, PolicySet{Identity: []NamedPolicy{allowS3}}, Allowed, false, "S3", ""},
		{"resource policy with Principal *", "s3:GetObject", bucket, "", complete, PolicySet{Resource: []NamedPolicy{doc(t, "bp", `{"Statement":{"Sid":"Public","Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}}`)}}, Allowed, false, "Public", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := &Request{PrincipalARN: alice, Action: tt.action, Resource: tt.resource, ResourceAccount: tt.resAcct, Context: tt.ctx}
			got := Evaluate(req, &tt.ps)
			if got.Decision != tt.want || got.Explicit != tt.explicit {
				t.Fatalf("Evaluate = %v (explicit %v, %s), want %v (explicit %v)", got.Decision, got.Explicit, got.Reason, tt.want, tt.explicit)
			}
			if tt.deciding != "" && !hasDeciding(got, tt.deciding) {
				t.Errorf("deciding statements %v lack %s", got.Statements, tt.deciding)
			}
			if tt.reasonHas != "" && !strings.Contains(got.Reason, tt.reasonHas) {
				t.Errorf("reason %q does not mention %q", got.Reason, tt.reasonHas)
			}
			if got.Decision != Denied || got.Explicit {
				if len(got.Statements) == 0 {
					t.Errorf("decision %v has no deciding statement", got.Decision)
				}
			}
		})
	}
}

func hasDeciding(r Result, id string) bool {
	for _, d := range r.Statements {
		if d.Sid == id || d.Policy == id {
			return true
		}
	}
	return false
}

func TestDecidingLocation(t *testing.T) {
	p := doc(t, "policy.json", "{\"Version\":\"2012-10-17\",\n\"Statement\":[\n{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"}]}")
	r := Evaluate(&Request{PrincipalARN: alice, Action: "s3:GetObject", Resource: "*", Context: NewContext(true)}, &PolicySet{Identity: []NamedPolicy{p}})
	if len(r.Statements) != 1 || r.Statements[0].Loc.File != "policy.json" || r.Statements[0].Loc.Line != 3 {
		t.Fatalf("deciding statements %+v, want policy.json line 3", r.Statements)
	}
	if s := r.Statements[0].String(); !strings.Contains(s, "policy.json:3:1") || !strings.Contains(s, "#0") {
		t.Errorf("String() = %q", s)
	}
}

func BenchmarkEvaluate(b *testing.B) {
	identity := []NamedPolicy{
		doc(b, "p1", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:Get*","s3:List*"],"Resource":["arn:aws:s3:::reports","arn:aws:s3:::reports/*"]},{"Effect":"Allow","Action":["ec2:Describe*","cloudwatch:Get*"],"Resource":"*"}]}`),
		doc(b, "p2", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:PutObject","Resource":"arn:aws:s3:::home/${aws:username}/*","Condition":{"Bool":{"aws:SecureTransport":"true"}}},{"Effect":"Deny","Action":"s3:DeleteBucket","Resource":"*"}]}`),
		doc(b, "p3", `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","NotAction":["iam:*","sts:*","s3:*","ec2:*","cloudwatch:*"],"Resource":"*","Condition":{"StringNotEquals":{"aws:RequestedRegion":["eu-west-1","us-east-1"]}}}]}`),
	}
	ctx := NewContext(true)
	ctx.Set("aws:username", "alice")
	ctx.Set("aws:SecureTransport", "true")
	ctx.Set("aws:RequestedRegion", "eu-west-1")
	req := &Request{PrincipalARN: alice, Action: "s3:PutObject", Resource: "arn:aws:s3:::home/alice/x", Context: ctx}
	ps := &PolicySet{Identity: identity}
	if r := Evaluate(req, ps); r.Decision != Allowed {
		b.Fatalf("benchmark request is %v: %s", r.Decision, r.Reason)
	}
	b.ReportAllocs()
	start := cpuclock.Used()
	for b.Loop() {
		Evaluate(req, ps)
	}
	b.ReportMetric(float64(cpuclock.Used()-start)/float64(b.N), "cpu-ns/op")
}

// Evaluation never panics on any parsed document, and two documented
// invariants hold: a Deny of every action on every resource wins over
// anything ("explicit deny"), and without any Allow nothing is allowed
// ("implicit deny").
func FuzzEvaluate(f *testing.F) {
	f.Add(`{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}`, "s3:GetObject", "arn:aws:s3:::b/k", "k")
	f.Add(`{"Statement":[{"Effect":"Allow","NotAction":"iam:*","NotResource":"arn:aws:s3:::x","Condition":{"ForAnyValue:StringLike":{"aws:TagKeys":"a*"}}}]}`, "ec2:RunInstances", "*", "a1")
	f.Add(`{"Statement":{"Effect":"Allow","Principal":"*","Action":"*","Resource":"arn:aws:s3:::${aws:username}/*","Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}}}`, "s3:PutObject", "arn:aws:s3:::alice/x", "10.1.2.3")
	f.Fuzz(func(t *testing.T, js, action, resource, value string) {
		d, err := Parse("fuzz.json", []byte(js))
		if err != nil {
			return
		}
		ctx := NewContext(false)
		ctx.Set("aws:username", value)
		ctx.Set("aws:SourceIp", value)
		ctx.Set("aws:TagKeys", value, value+"x")
		req := &Request{PrincipalARN: alice, Action: action, Resource: resource, Context: ctx}
		np := NamedPolicy{Name: "fuzz", Doc: d}
		for _, ps := range []PolicySet{{Identity: []NamedPolicy{np}}, {Resource: []NamedPolicy{np}}, {Identity: []NamedPolicy{np}, Boundary: []NamedPolicy{np}, SCPs: []NamedPolicy{np}}} {
			r := Evaluate(req, &ps)
			if r.Decision > Conditional {
				t.Fatalf("decision %d out of range", r.Decision)
			}
			hasAllow := false
			for _, st := range d.Statements {
				hasAllow = hasAllow || st.Effect == Allow
			}
			if !hasAllow && r.Decision != Denied {
				t.Fatalf("no Allow statement, yet %v", r.Decision)
			}
		}
		deny, _ := Parse("deny.json", []byte(`{"Statement":{"Effect":"Deny","Action":"*","Resource":"*"}}`))
		r := Evaluate(req, &PolicySet{Identity: []NamedPolicy{np, {Name: "deny", Doc: deny}}})
		if r.Decision != Denied || !r.Explicit {
			t.Fatalf("Deny * on * did not win: %v explicit=%v", r.Decision, r.Explicit)
		}
	})
}

// A conditional answer names the context keys it depends on: condition
// keys and policy variables the context does not know.
func TestConditionalNamesUnknownKeys(t *testing.T) {
	p := doc(t, "p", `{"Version":"2012-10-17","Statement":[{"Sid":"S","Effect":"Allow","Action":"s3:*",
	  "Resource":"arn:aws:s3:::home/${aws:username}/*",
	  "Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"},"StringEquals":{"s3:prefix":"${aws:PrincipalTag/team, 'x'}"},"Bool":{"aws:SecureTransport":"true"}}}]}`)
	ctx := NewContext(false)
	ctx.Set("aws:SecureTransport", "true")
	r := Evaluate(&Request{PrincipalARN: alice, Action: "s3:GetObject", Resource: "arn:aws:s3:::home/alice/x", Context: ctx}, &PolicySet{Identity: []NamedPolicy{p}})
	if r.Decision != Conditional || len(r.Statements) != 1 {
		t.Fatalf("Evaluate = %v %v", r.Decision, r.Statements)
	}
	want := []string{"aws:username", "aws:SourceIp", "s3:prefix", "aws:PrincipalTag/team"}
	if got := r.Statements[0].Unknown; strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("Unknown = %v, want %v", got, want)
	}
	if s := r.Statements[0].String(); !strings.Contains(s, "unknown: aws:username, aws:SourceIp") {
		t.Errorf("String() = %q", s)
	}
}

// "IAM JSON policy elements: Version": "If you do not include a Version
// element, ... variables such as ${aws:username} aren't recognized as
// variables and are instead treated as literal strings in the policy";
// the same holds for the older version 2008-10-17.
func TestPolicyVariablesNeedVersion(t *testing.T) {
	const body = `"Statement":[{"Sid":"Home","Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::home/${aws:username}/*"},
	  {"Sid":"Team","Effect":"Allow","Action":"sqs:*","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalTag/team":"${aws:username}"}}}]`
	ctx := NewContext(true)
	ctx.Set("aws:username", "alice")
	ctx.Set("aws:PrincipalTag/team", "alice")
	literal := NewContext(true)
	literal.Set("aws:username", "alice")
	literal.Set("aws:PrincipalTag/team", "${aws:username}")
	tests := []struct {
		name, version, action, resource string
		ctx                             *Context
		want                            Decision
	}{
		{"2012-10-17: substituted in Resource", `"Version":"2012-10-17",`, "s3:GetObject", "arn:aws:s3:::home/alice/f", ctx, Allowed},
		{"2012-10-17: substituted in a condition", `"Version":"2012-10-17",`, "sqs:SendMessage", "arn:aws:sqs:us-east-1:111111111111:q", ctx, Allowed},
		{"2012-10-17: the literal text is not the value", `"Version":"2012-10-17",`, "s3:GetObject", "arn:aws:s3:::home/${aws:username}/f", ctx, Denied},
		{"no Version: literal in Resource", ``, "s3:GetObject", "arn:aws:s3:::home/alice/f", ctx, Denied},
		{"no Version: the literal text matches", ``, "s3:GetObject", "arn:aws:s3:::home/${aws:username}/f", ctx, Allowed},
		{"no Version: literal in a condition", ``, "sqs:SendMessage", "arn:aws:sqs:us-east-1:111111111111:q", ctx, Denied},
		{"no Version: the condition compares the literal text", ``, "sqs:SendMessage", "arn:aws:sqs:us-east-1:111111111111:q", literal, Allowed},
		{"2008-10-17: literal in Resource", `"Version":"2008-10-17",`, "s3:GetObject", "arn:aws:s3:::home/alice/f", ctx, Denied},
		{"2008-10-17: literal in a condition", `"Version":"2008-10-17",`, "sqs:SendMessage", "arn:aws:sqs:us-east-1:111111111111:q", literal, Allowed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := Parse("p", []byte("{"+tt.version+body+"}"))
			if err != nil {
				t.Fatal(err)
			}
			// The parser warns of the literal variables (two of them)
			// exactly when the version makes them literal.
			if wantProblems := map[bool]int{true: 0, false: 2}[d.PolicyVariables()]; len(d.Problems) != wantProblems {
				t.Errorf("%d problems, want %d: %v", len(d.Problems), wantProblems, d.Problems)
			}
			p := NamedPolicy{Name: "p", Doc: d}
			r := Evaluate(&Request{PrincipalARN: alice, Action: tt.action, Resource: tt.resource, Context: tt.ctx}, &PolicySet{Identity: []NamedPolicy{p}})
			if r.Decision != tt.want {
				t.Errorf("Evaluate = %v (%s), want %v", r.Decision, r.Reason, tt.want)
			}
		})
	}
	// Without policy variables an unknown aws:username is no reason for
	// a conditional answer.
	d, err := Parse("p", []byte("{"+body+"}"))
	if err != nil {
		t.Fatal(err)
	}
	p := NamedPolicy{Name: "p", Doc: d}
	r := Evaluate(&Request{PrincipalARN: alice, Action: "s3:GetObject", Resource: "arn:aws:s3:::home/${aws:username}/f", Context: NewContext(false)}, &PolicySet{Identity: []NamedPolicy{p}})
	if r.Decision != Allowed {
		t.Errorf("literal ${aws:username} with unknown context: %v (%s), want allowed", r.Decision, r.Reason)
	}
}

// An unknown policy variable makes a match conditional only when some
// value could make it match ("Policy variables": the value is substituted
// as literal text, so it can stand for any text): otherwise no value can,
// and the entry does not match.
func TestUnknownVariableThatCannotMatch(t *testing.T) {
	p := doc(t, "p", `{"Version":"2012-10-17","Statement":[{"Sid":"Home","Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::home/${aws:username}/*"},
	  {"Sid":"Suffix","Effect":"Allow","Action":"sqs:*","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalTag/team":"${aws:username}-team"}}},
	  {"Sid":"Arn","Effect":"Allow","Action":"sns:*","Resource":"*","Condition":{"ArnLike":{"aws:SourceArn":"arn:aws:sns:*:${aws:PrincipalAccount}:*"}}}]}`)
	ctx := NewContext(false)
	ctx.Set("aws:PrincipalTag/team", "blue")
	ctx.Set("aws:SourceArn", "arn:aws:s3:::bucket")
	tests := []struct {
		name, action, resource string
		want                   Decision
	}{
		{"Resource: no value reaches another prefix", "s3:GetObject", "arn:aws:s3:::other/x", Denied},
		{"Resource: some value may match", "s3:GetObject", "arn:aws:s3:::home/bob/x", Conditional},
		{"Resource: an ARN pattern never matches *", "s3:ListAllMyBuckets", "*", Denied},
		{"StringEquals: no value ends in -team", "sqs:SendMessage", "arn:aws:sqs:us-east-1:111111111111:q", Denied},
		{"ArnLike: no value makes an SNS ARN match an S3 one", "sns:Publish", "arn:aws:sns:us-east-1:111111111111:t", Denied},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Evaluate(&Request{PrincipalARN: alice, Action: tt.action, Resource: tt.resource, Context: ctx}, &PolicySet{Identity: []NamedPolicy{p}})
			if r.Decision != tt.want {
				t.Errorf("Evaluate = %v (%s), want %v", r.Decision, r.Reason, tt.want)
			}
		})
	}
}

// "IAM JSON policy elements: Condition operators": IAM rejects a policy
// whose condition uses an operator it does not know, so no one can say
// what such a statement would do. Evaluate treats it as maybe: never a
// match, never a silent non-match, whatever its other conditions say.
func TestUnknownConditionOperator(t *testing.T) {
	parse := func(js string) NamedPolicy {
		d, err := Parse("p.json", []byte(js))
		if err != nil || len(d.Problems) == 0 {
			t.Fatalf("%v %v: want a problem for the unknown operator", err, d.Problems)
		}
		return NamedPolicy{Name: "p", Doc: d}
	}
	allowTypo := parse(`{"Version":"2012-10-17","Statement":{"Sid":"Typo","Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEqual":{"aws:PrincipalTag/team":"blue"},"Bool":{"aws:SecureTransport":"true"}}}}`)
	denyTypo := parse(`{"Version":"2012-10-17","Statement":{"Sid":"DenyTypo","Effect":"Deny","Action":"s3:*","Resource":"*","Condition":{"NoSuchOp":{"aws:PrincipalTag/team":"blue"}}}}`)
	allowS3 := doc(t, "allow", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}`)
	ctx := NewContext(true)
	ctx.Set("aws:PrincipalTag/team", "blue")
	ctx.Set("aws:SecureTransport", "false") // the valid condition fails: still maybe
	tests := []struct {
		name     string
		action   string
		ps       PolicySet
		want     Decision
		explicit bool
	}{
		{"an Allow with an unknown operator is conditional", "s3:GetObject", PolicySet{Identity: []NamedPolicy{allowTypo}}, Conditional, false},
		{"its action must still match", "ec2:RunInstances", PolicySet{Identity: []NamedPolicy{allowTypo}}, Denied, false},
		{"a Deny with an unknown operator makes an allow conditional", "s3:GetObject", PolicySet{Identity: []NamedPolicy{allowS3, denyTypo}}, Conditional, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Evaluate(&Request{PrincipalARN: alice, Action: tt.action, Resource: "*", Context: ctx}, &tt.ps)
			if r.Decision != tt.want || r.Explicit != tt.explicit {
				t.Fatalf("Evaluate = %v explicit=%v (%s), want %v", r.Decision, r.Explicit, r.Reason, tt.want)
			}
			if r.Decision == Conditional {
				found := false
				for _, d := range r.Statements {
					if len(d.BadOperators) > 0 && strings.Contains(d.String(), "condition operator IAM does not know") {
						found = true
					}
				}
				if !found {
					t.Errorf("no deciding statement names the unknown operator: %v", r.Statements)
				}
			}
		})
	}
}

// Principal and NotPrincipal in resource-based policies, per caller kind:
// "IAM JSON policy elements: Principal"; "AWS JSON policy elements:
// NotPrincipal" ("Specifying NotPrincipal with Deny"); "Permissions
// boundaries for IAM entities" (resource-based policies, and NotPrincipal
// with Deny); "Session policies"; "Policy evaluation logic".
func TestResourcePolicyPrincipals(t *testing.T) {
	const (
		acct    = "111111111111"
		root    = "arn:aws:iam::111111111111:root"
		role    = "arn:aws:iam::111111111111:role/team/app"
		session = "arn:aws:sts::111111111111:assumed-role/app/job-42"
	)
	bucketPolicy := func(effect, principal string) NamedPolicy {
		return doc(t, "bucket-policy", `{"Version":"2012-10-17","Statement":[{"Sid":"S","Effect":"`+effect+`",`+principal+`,"Action":"s3:GetObject","Resource":"arn:aws:s3:::reports/*"}]}`)
	}
	notPrincipal := func(arns ...string) NamedPolicy {
		return bucketPolicy("Deny", `"NotPrincipal":{"AWS":["`+strings.Join(arns, `","`)+`"]}`)
	}
	allowTo := func(arns ...string) NamedPolicy {
		return bucketPolicy("Allow", `"Principal":{"AWS":["`+strings.Join(arns, `","`)+`"]}`)
	}
	allowS3 := doc(t, "allow-s3", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}`)
	boundaryEC2 := doc(t, "boundary", `{"Version":"2012-10-17","Statement":[{"Sid":"EC2","Effect":"Allow","Action":"ec2:*","Resource":"*"}]}`)
	boundaryS3 := doc(t, "boundary", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}`)
	sessionEC2 := doc(t, "session", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ec2:*","Resource":"*"}]}`)
	public := bucketPolicy("Allow", `"Principal":"*"`)

	tests := []struct {
		name      string
		principal string
		ps        PolicySet
		want      Decision
		explicit  bool
		reasonHas string
	}{
		// NotPrincipal with Deny: exempt only when every level is listed.
		{"user: account and user listed: exempt", alice, PolicySet{Identity: []NamedPolicy{allowS3}, Resource: []NamedPolicy{notPrincipal(root, alice)}}, Allowed, false, ""},
		{"user: account id and user listed: exempt", alice, PolicySet{Identity: []NamedPolicy{allowS3}, Resource: []NamedPolicy{notPrincipal(acct, alice)}}, Allowed, false, ""},
		{"user: only the account listed: denied", alice, PolicySet{Identity: []NamedPolicy{allowS3}, Resource: []NamedPolicy{notPrincipal(root)}}, Denied, true, ""},
		{"user: only the user listed: may be denied", alice, PolicySet{Identity: []NamedPolicy{allowS3}, Resource: []NamedPolicy{notPrincipal(alice)}}, Conditional, false, ""},
		{"user: another user listed: denied", alice, PolicySet{Identity: []NamedPolicy{allowS3}, Resource: []NamedPolicy{notPrincipal(root, "arn:aws:iam::111111111111:user/bob")}}, Denied, true, ""},
		{"user with a boundary: always denied", alice, PolicySet{Identity: []NamedPolicy{allowS3}, Boundary: []NamedPolicy{boundaryS3}, Resource: []NamedPolicy{notPrincipal(root, alice)}}, Denied, true, ""},
		{"session: account, role and session listed: exempt", session, PolicySet{Identity: []NamedPolicy{allowS3}, Resource: []NamedPolicy{notPrincipal(root, role, session)}}, Allowed, false, ""},
		{"session: role not listed: may be denied", session, PolicySet{Identity: []NamedPolicy{allowS3}, Resource: []NamedPolicy{notPrincipal(root, session)}}, Conditional, false, ""},
		{"session: session not listed: denied", session, PolicySet{Identity: []NamedPolicy{allowS3}, Resource: []NamedPolicy{notPrincipal(root, role)}}, Denied, true, ""},
		{"role: account and role but no session listed: its sessions are denied", role, PolicySet{Identity: []NamedPolicy{allowS3}, Resource: []NamedPolicy{notPrincipal(root, role)}}, Denied, true, ""},
		{"role: one of its sessions listed: depends on the session", role, PolicySet{Identity: []NamedPolicy{allowS3}, Resource: []NamedPolicy{notPrincipal(root, role, session)}}, Conditional, false, ""},
		{"NotPrincipal * spares everyone", alice, PolicySet{Identity: []NamedPolicy{allowS3}, Resource: []NamedPolicy{bucketPolicy("Deny", `"NotPrincipal":"*"`)}}, Allowed, false, ""},

		// Same-account grants and the permissions boundary.
		{"user named directly: not limited by the boundary", alice, PolicySet{Resource: []NamedPolicy{allowTo(alice)}, Boundary: []NamedPolicy{boundaryEC2}}, Allowed, false, ""},
		{"Principal * grants, but the boundary still limits", alice, PolicySet{Resource: []NamedPolicy{public}, Boundary: []NamedPolicy{boundaryEC2}}, Denied, false, "permissions boundary"},
		{"Principal * grants without a boundary", alice, PolicySet{Resource: []NamedPolicy{public}}, Allowed, false, ""},
		{"the account named: delegation, the boundary still limits", alice, PolicySet{Identity: []NamedPolicy{allowS3}, Resource: []NamedPolicy{allowTo(root)}, Boundary: []NamedPolicy{boundaryEC2}}, Denied, false, "permissions boundary"},
		{"role named: grants alone", role, PolicySet{Resource: []NamedPolicy{allowTo(role)}}, Allowed, false, ""},
		{"role named: limited by the role's boundary", role, PolicySet{Resource: []NamedPolicy{allowTo(role)}, Boundary: []NamedPolicy{boundaryEC2}}, Denied, false, "permissions boundary"},
		{"role ARN named, a session calls: grants", session, PolicySet{Resource: []NamedPolicy{allowTo(role)}}, Allowed, false, ""},
		{"role ARN named, a session calls: limited by the session policy", session, PolicySet{Resource: []NamedPolicy{allowTo(role)}, Session: []NamedPolicy{sessionEC2}}, Denied, false, "session policy"},
		{"session ARN named: not limited by boundary or session policy", session, PolicySet{Resource: []NamedPolicy{allowTo(session)}, Boundary: []NamedPolicy{boundaryEC2}, Session: []NamedPolicy{sessionEC2}}, Allowed, false, ""},
		{"a session of the role named, the role evaluated: conditional", role, PolicySet{Resource: []NamedPolicy{allowTo(session)}}, Conditional, false, ""},
		{"user named: still limited by a session policy", alice, PolicySet{Resource: []NamedPolicy{allowTo(alice)}, Session: []NamedPolicy{sessionEC2}}, Denied, false, "session policy"},
		{"cross account: the boundary is never lifted", alice, PolicySet{Identity: []NamedPolicy{allowS3}, Resource: []NamedPolicy{allowTo(alice)}, Boundary: []NamedPolicy{boundaryEC2}}, Denied, false, "permissions boundary"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := &Request{PrincipalARN: tt.principal, Action: "s3:GetObject", Resource: objectARN, Context: NewContext(true)}
			if strings.HasPrefix(tt.name, "cross account") {
				req.ResourceAccount = "222222222222"
			}
			got := Evaluate(req, &tt.ps)
			if got.Decision != tt.want || got.Explicit != tt.explicit {
				t.Fatalf("Evaluate = %v (explicit %v, %s), want %v (explicit %v)", got.Decision, got.Explicit, got.Reason, tt.want, tt.explicit)
			}
			if tt.reasonHas != "" && !strings.Contains(got.Reason, tt.reasonHas) {
				t.Errorf("reason %q does not mention %q", got.Reason, tt.reasonHas)
			}
		})
	}
}

// A role's trust policy is a resource-based policy that must allow even
// within the account ("Policy evaluation logic": role trust policies and
// KMS key policies are exceptions; STS AssumeRole: "To allow a user to
// assume a role in the same account, you can ... attach a policy to the
// user that allows the user to call AssumeRole (as long as the role's
// trust policy trusts the account), or add the user as a principal
// directly in the role's trust policy").
func TestRoleTrustPolicy(t *testing.T) {
	const target = "arn:aws:iam::111111111111:role/deploy"
	trust := func(principal string) NamedPolicy {
		return doc(t, "trust", `{"Version":"2012-10-17","Statement":[{"Sid":"Trust","Effect":"Allow","Principal":`+principal+`,"Action":"sts:AssumeRole"}]}`)
	}
	saml := doc(t, "trust", `{"Version":"2012-10-17","Statement":[{"Sid":"SAML","Effect":"Allow","Principal":{"Federated":"arn:aws:iam::111111111111:saml-provider/okta"},"Action":"sts:AssumeRoleWithSAML","Condition":{"StringEquals":{"SAML:aud":"https://signin.aws.amazon.com/saml"}}}]}`)
	canAssume := doc(t, "identity", `{"Version":"2012-10-17","Statement":[{"Sid":"Hop","Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}]}`)
	boundaryS3 := doc(t, "boundary", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}`)
	tests := []struct {
		name      string
		ps        PolicySet
		resAcct   string
		want      Decision
		reasonHas string
	}{
		{"trust names the account, identity allows", PolicySet{Identity: []NamedPolicy{canAssume}, Resource: []NamedPolicy{trust(`{"AWS":"arn:aws:iam::111111111111:root"}`)}}, "", Allowed, ""},
		{"trust names the account, no identity allow", PolicySet{Resource: []NamedPolicy{trust(`{"AWS":"111111111111"}`)}}, "", Denied, "identity"},
		{"trust names the user: no identity policy needed", PolicySet{Resource: []NamedPolicy{trust(`{"AWS":"` + alice + `"}`)}}, "", Allowed, ""},
		{"trust names the user, but the boundary must allow sts:AssumeRole", PolicySet{Resource: []NamedPolicy{trust(`{"AWS":"` + alice + `"}`)}, Boundary: []NamedPolicy{boundaryS3}}, "", Denied, "permissions boundary"},
		{"identity allows, trust allows only SAML federation", PolicySet{Identity: []NamedPolicy{canAssume}, Resource: []NamedPolicy{saml}}, "", Denied, "trust policy"},
		{"identity allows, trust names another user", PolicySet{Identity: []NamedPolicy{canAssume}, Resource: []NamedPolicy{trust(`{"AWS":"arn:aws:iam::111111111111:user/bob"}`)}}, "", Denied, "trust policy"},
		{"cross account: trust names the account and identity allows", PolicySet{Identity: []NamedPolicy{canAssume}, Resource: []NamedPolicy{trust(`{"AWS":"arn:aws:iam::111111111111:root"}`)}}, "222222222222", Allowed, ""},
		{"trust policy missing from the input: it may allow", PolicySet{Identity: []NamedPolicy{canAssume}, Resource: []NamedPolicy{{Name: "trust"}}}, "", Conditional, ""},
		{"cross account: trust names the user, identity must allow too", PolicySet{Resource: []NamedPolicy{trust(`{"AWS":"` + alice + `"}`)}}, "222222222222", Denied, "cross-account"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.ps.RoleTrust = true
			got := Evaluate(&Request{PrincipalARN: alice, Action: "sts:AssumeRole", Resource: target, ResourceAccount: tt.resAcct, Context: NewContext(true)}, &tt.ps)
			if got.Decision != tt.want {
				t.Fatalf("Evaluate = %v (%s), want %v", got.Decision, got.Reason, tt.want)
			}
			if tt.reasonHas != "" && !strings.Contains(got.Reason, tt.reasonHas) {
				t.Errorf("reason %q does not mention %q", got.Reason, tt.reasonHas)
			}
		})
	}
}

// "Service control policies (SCPs)": SCPs do not affect service-linked
// roles.
func TestSCPsSpareServiceLinkedRoles(t *testing.T) {
	allowAll := doc(t, "admin", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}`)
	denyAll := doc(t, "scp", `{"Version":"2012-10-17","Statement":[{"Sid":"Nothing","Effect":"Deny","Action":"*","Resource":"*"}]}`)
	onlyS3 := doc(t, "scp", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}`)
	for _, tt := range []struct {
		principal string
		scp       NamedPolicy
		want      Decision
	}{
		{"arn:aws:iam::111111111111:role/aws-service-role/elasticloadbalancing.amazonaws.com/AWSServiceRoleForElasticLoadBalancing", denyAll, Allowed},
		{"arn:aws:iam::111111111111:role/aws-service-role/elasticloadbalancing.amazonaws.com/AWSServiceRoleForElasticLoadBalancing", onlyS3, Allowed},
		{"arn:aws:iam::111111111111:role/app", denyAll, Denied},
		{"arn:aws:iam::111111111111:role/app", onlyS3, Denied},
	} {
		got := Evaluate(&Request{PrincipalARN: tt.principal, Action: "ec2:DescribeInstances", Resource: "*", Context: NewContext(true)},
			&PolicySet{Identity: []NamedPolicy{allowAll}, SCPs: []NamedPolicy{tt.scp}})
		if got.Decision != tt.want {
			t.Errorf("%s with SCP %v: %v (%s), want %v", tt.principal, tt.scp.Doc.Statements[0].Sid, got.Decision, got.Reason, tt.want)
		}
	}
}

// Explanations ("Policy evaluation logic"): a conditional answer lists
// the allows that hold as well as the statements that depend on unknown
// context; an implicit deny names the layer that lacked an allow, and the
// layers that did allow.
func TestExplanations(t *testing.T) {
	allowS3 := doc(t, "allow-s3", `{"Version":"2012-10-17","Statement":[{"Sid":"S3","Effect":"Allow","Action":"s3:*","Resource":"*"}]}`)
	allowS3MFA := doc(t, "allow-s3-mfa", `{"Version":"2012-10-17","Statement":[{"Sid":"S3MFA","Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}]}`)
	denyNoMFA := doc(t, "deny-no-mfa", `{"Version":"2012-10-17","Statement":[{"Sid":"DenyNoMFA","Effect":"Deny","Action":"*","Resource":"*","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}}]}`)
	boundaryS3 := doc(t, "boundary", `{"Version":"2012-10-17","Statement":[{"Sid":"Ceiling","Effect":"Allow","Action":"s3:*","Resource":"*"}]}`)
	boundaryEC2 := doc(t, "boundary", `{"Version":"2012-10-17","Statement":[{"Sid":"Ceiling","Effect":"Allow","Action":"ec2:*","Resource":"*"}]}`)
	scpEC2 := doc(t, "scp", `{"Version":"2012-10-17","Statement":[{"Sid":"EC2","Effect":"Allow","Action":"ec2:*","Resource":"*"}]}`)
	type stmt struct {
		sid   string
		maybe bool
	}
	tests := []struct {
		name   string
		ps     PolicySet
		want   Decision
		reason string
		stmts  []stmt
	}{
		{"conditional: the certain allow and the deny that may apply", PolicySet{Identity: []NamedPolicy{allowS3, denyNoMFA}}, Conditional,
			"allowed only if conditions on unknown context hold", []stmt{{"S3", false}, {"DenyNoMFA", true}}},
		{"conditional: the maybe allow and the boundary that lets it through", PolicySet{Identity: []NamedPolicy{allowS3MFA}, Boundary: []NamedPolicy{boundaryS3}}, Conditional,
			"allowed only if conditions on unknown context hold", []stmt{{"S3MFA", true}, {"Ceiling", false}}},
		{"boundary allows, no identity-based policy does", PolicySet{Boundary: []NamedPolicy{boundaryS3}}, Denied,
			"implicitly denied: the permissions boundary allows it, but no identity-based policy does", []stmt{{"Ceiling", false}}},
		{"identity allows, the boundary does not", PolicySet{Identity: []NamedPolicy{allowS3}, Boundary: []NamedPolicy{boundaryEC2}}, Denied,
			"implicitly denied: an identity-based policy allows it, but the permissions boundary does not", []stmt{{"S3", false}}},
		{"identity and boundary allow, no SCP does", PolicySet{Identity: []NamedPolicy{allowS3}, Boundary: []NamedPolicy{boundaryS3}, SCPs: []NamedPolicy{scpEC2}}, Denied,
			"implicitly denied: an identity-based policy and the permissions boundary allow it, but no service control policy does", []stmt{{"S3", false}, {"Ceiling", false}}},
		{"two gates block", PolicySet{Identity: []NamedPolicy{allowS3}, Boundary: []NamedPolicy{boundaryEC2}, SCPs: []NamedPolicy{scpEC2}}, Denied,
			"implicitly denied: an identity-based policy allows it, but no service control policy does and the permissions boundary does not", []stmt{{"S3", false}}},
		{"nothing allows", PolicySet{Identity: []NamedPolicy{boundaryEC2}}, Denied,
			"implicitly denied: no identity-based policy allows it", nil},
	}
	ctx := NewContext(false)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Evaluate(&Request{PrincipalARN: alice, Action: "s3:GetObject", Resource: objectARN, Context: ctx}, &tt.ps)
			if r.Decision != tt.want || r.Reason != tt.reason {
				t.Fatalf("Evaluate = %v %q, want %v %q", r.Decision, r.Reason, tt.want, tt.reason)
			}
			var got []stmt
			for _, d := range r.Statements {
				got = append(got, stmt{d.Sid, d.Maybe})
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.stmts) {
				t.Errorf("statements %v, want %v", got, tt.stmts)
			}
		})
	}
}
