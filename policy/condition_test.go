package policy

import (
	"fmt"
	"strings"
	"testing"
)

// ctxWith builds a complete context (unset keys are absent) from
// key/values pairs; a key given as "?name" is unknown instead.
func ctxWith(kv ...any) *Context {
	c := NewContext(true)
	for i := 0; i+1 < len(kv); i += 2 {
		switch v := kv[i+1].(type) {
		case string:
			c.Set(kv[i].(string), v)
		case []string:
			c.Set(kv[i].(string), v...)
		}
	}
	return c
}

// Every operator of "IAM JSON policy elements: Condition operators",
// with a matching and a non-matching case, key-case and value-case rules.
func TestConditionOperators(t *testing.T) {
	tests := []struct {
		op, key string
		values  []string
		ctx     *Context
		want    tri
	}{
		// String condition operators
		{"StringEquals", "aws:username", []string{"alice", "bob"}, ctxWith("aws:username", "bob"), yes},
		{"StringEquals", "aws:username", []string{"alice"}, ctxWith("aws:username", "Alice"), no},  // values are case-sensitive
		{"StringEquals", "AWS:UserName", []string{"alice"}, ctxWith("aws:username", "alice"), yes}, // keys are not
		{"StringNotEquals", "aws:username", []string{"alice"}, ctxWith("aws:username", "bob"), yes},
		{"StringNotEquals", "aws:username", []string{"alice"}, ctxWith("aws:username", "alice"), no},
		{"StringEqualsIgnoreCase", "aws:username", []string{"ALICE"}, ctxWith("aws:username", "alice"), yes},
		{"StringNotEqualsIgnoreCase", "aws:username", []string{"ALICE"}, ctxWith("aws:username", "alice"), no},
		{"StringLike", "s3:prefix", []string{"home/*"}, ctxWith("s3:prefix", "home/alice/x"), yes},
		{"StringLike", "s3:prefix", []string{"home/?"}, ctxWith("s3:prefix", "home/ab"), no},
		{"StringNotLike", "s3:prefix", []string{"home/*"}, ctxWith("s3:prefix", "tmp/x"), yes},
		{"StringLike", "s3:prefix", []string{"home/${aws:username}/*"}, ctxWith("s3:prefix", "home/alice/x", "aws:username", "alice"), yes},
		{"StringLike", "s3:prefix", []string{"home/${aws:username}/*"}, ctxWith("s3:prefix", "home/bob/x", "aws:username", "alice"), no},
		// Numeric condition operators
		{"NumericEquals", "s3:max-keys", []string{"10"}, ctxWith("s3:max-keys", "10"), yes},
		{"NumericEquals", "s3:max-keys", []string{"10"}, ctxWith("s3:max-keys", "10.0"), yes},
		{"NumericNotEquals", "s3:max-keys", []string{"10"}, ctxWith("s3:max-keys", "10"), no},
		{"NumericLessThan", "s3:max-keys", []string{"10"}, ctxWith("s3:max-keys", "9"), yes},
		{"NumericLessThan", "s3:max-keys", []string{"10"}, ctxWith("s3:max-keys", "10"), no},
		{"NumericLessThanEquals", "s3:max-keys", []string{"10"}, ctxWith("s3:max-keys", "10"), yes},
		{"NumericGreaterThan", "s3:max-keys", []string{"10"}, ctxWith("s3:max-keys", "11"), yes},
		{"NumericGreaterThan", "s3:max-keys", []string{"10"}, ctxWith("s3:max-keys", "10"), no},
		{"NumericGreaterThanEquals", "s3:max-keys", []string{"10"}, ctxWith("s3:max-keys", "10"), yes},
		{"NumericEquals", "s3:max-keys", []string{"ten"}, ctxWith("s3:max-keys", "10"), no},
		// Date condition operators
		{"DateEquals", "aws:CurrentTime", []string{"2026-01-01T00:00:00Z"}, ctxWith("aws:CurrentTime", "2026-01-01T00:00:00Z"), yes},
		{"DateNotEquals", "aws:CurrentTime", []string{"2026-01-01T00:00:00Z"}, ctxWith("aws:CurrentTime", "2026-01-02T00:00:00Z"), yes},
		{"DateLessThan", "aws:CurrentTime", []string{"2026-01-01T00:00:00Z"}, ctxWith("aws:CurrentTime", "2025-12-31T23:59:59Z"), yes},
		{"DateLessThan", "aws:CurrentTime", []string{"2026-01-01"}, ctxWith("aws:CurrentTime", "2026-06-01T00:00:00Z"), no},
		{"DateLessThanEquals", "aws:EpochTime", []string{"1767225600"}, ctxWith("aws:EpochTime", "2026-01-01T00:00:00Z"), yes},
		{"DateGreaterThan", "aws:CurrentTime", []string{"2026-01-01T00:00:00Z"}, ctxWith("aws:CurrentTime", "2026-01-01T00:00:01Z"), yes},
		{"DateGreaterThanEquals", "aws:CurrentTime", []string{"2026-01-01T00:00:00Z"}, ctxWith("aws:CurrentTime", "2025-01-01T00:00:00Z"), no},
		// Boolean condition operators
		{"Bool", "aws:SecureTransport", []string{"true"}, ctxWith("aws:SecureTransport", "true"), yes},
		{"Bool", "aws:SecureTransport", []string{"true"}, ctxWith("aws:SecureTransport", "FALSE"), no},
		{"Bool", "aws:MultiFactorAuthPresent", []string{"false"}, ctxWith("aws:MultiFactorAuthPresent", "False"), yes},
		// Binary condition operators
		{"BinaryEquals", "key", []string{"QmluYXJ5VmFsdWU="}, ctxWith("key", "QmluYXJ5VmFsdWU="), yes},
		{"BinaryEquals", "key", []string{"QmluYXJ5VmFsdWU="}, ctxWith("key", "b3RoZXI="), no},
		// IP address condition operators
		{"IpAddress", "aws:SourceIp", []string{"203.0.113.0/24"}, ctxWith("aws:SourceIp", "203.0.113.7"), yes},
		{"IpAddress", "aws:SourceIp", []string{"203.0.113.0/24"}, ctxWith("aws:SourceIp", "203.0.114.7"), no},
		{"IpAddress", "aws:SourceIp", []string{"2001:db8::/32"}, ctxWith("aws:SourceIp", "2001:db8::1"), yes},
		{"IpAddress", "aws:SourceIp", []string{"203.0.113.7"}, ctxWith("aws:SourceIp", "203.0.113.7"), yes},
		{"NotIpAddress", "aws:SourceIp", []string{"203.0.113.0/24"}, ctxWith("aws:SourceIp", "198.51.100.1"), yes},
		{"NotIpAddress", "aws:SourceIp", []string{"203.0.113.0/24"}, ctxWith("aws:SourceIp", "203.0.113.1"), no},
		{"IpAddress", "aws:SourceIp", []string{"not-a-cidr"}, ctxWith("aws:SourceIp", "203.0.113.1"), no},
		// Amazon Resource Name (ARN) condition operators
		{"ArnEquals", "aws:SourceArn", []string{"arn:aws:sns:*:123456789012:topic"}, ctxWith("aws:SourceArn", "arn:aws:sns:us-east-1:123456789012:topic"), yes},
		{"ArnLike", "aws:SourceArn", []string{"arn:aws:s3:::bucket/*"}, ctxWith("aws:SourceArn", "arn:aws:s3:::bucket/x"), yes},
		{"ArnLike", "aws:PrincipalArn", []string{"arn:aws:iam::*:role/${aws:username}"}, ctxWith("aws:PrincipalArn", "arn:aws:iam::1:role/alice", "aws:username", "alice"), yes},
		{"ArnNotEquals", "aws:SourceArn", []string{"arn:aws:s3:::a"}, ctxWith("aws:SourceArn", "arn:aws:s3:::b"), yes},
		{"ArnNotLike", "aws:SourceArn", []string{"arn:aws:s3:::*"}, ctxWith("aws:SourceArn", "arn:aws:s3:::b"), no},
		// Condition operator to check existence of condition keys
		{"Null", "aws:TokenIssueTime", []string{"true"}, ctxWith(), yes},
		{"Null", "aws:TokenIssueTime", []string{"true"}, ctxWith("aws:TokenIssueTime", "2026-01-01T00:00:00Z"), no},
		{"Null", "aws:TokenIssueTime", []string{"false"}, ctxWith("aws:TokenIssueTime", "2026-01-01T00:00:00Z"), yes},
		{"Null", "aws:TokenIssueTime", []string{"false"}, NewContext(false), maybe},
		// Condition keys not present: positive operators false, negated true
		{"StringEquals", "aws:PrincipalOrgID", []string{"o-1"}, ctxWith(), no},
		{"StringNotEquals", "aws:PrincipalOrgID", []string{"o-1"}, ctxWith(), yes},
		{"NotIpAddress", "aws:SourceIp", []string{"10.0.0.0/8"}, ctxWith(), yes},
		// ...IfExists: true when the key is missing, the operator otherwise
		{"StringEqualsIfExists", "ec2:InstanceType", []string{"t3.micro"}, ctxWith(), yes},
		{"StringEqualsIfExists", "ec2:InstanceType", []string{"t3.micro"}, ctxWith("ec2:InstanceType", "m5.large"), no},
		{"StringEqualsIfExists", "ec2:InstanceType", []string{"t3.micro"}, ctxWith("ec2:InstanceType", "t3.micro"), yes},
		{"NumericLessThanIfExists", "s3:max-keys", []string{"5"}, ctxWith(), yes},
		// Unknown context: never a silent true or false
		{"StringEquals", "aws:SourceVpc", []string{"vpc-1"}, NewContext(false), maybe},
		{"StringNotEquals", "aws:SourceVpc", []string{"vpc-1"}, NewContext(false), maybe},
		{"StringEqualsIfExists", "aws:SourceVpc", []string{"vpc-1"}, NewContext(false), maybe},
		{"StringEquals", "aws:username", []string{"${aws:PrincipalTag/x}"}, func() *Context { c := NewContext(false); c.Set("aws:username", "a"); return c }(), maybe},
		// An operator IAM does not know
		{"StringSoundsLike", "aws:username", []string{"alice"}, ctxWith("aws:username", "alice"), maybe},
		{"NullIfExists", "aws:username", []string{"true"}, ctxWith(), maybe},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s/%s/%v", tt.op, tt.key, tt.values), func(t *testing.T) {
			c := &Condition{Operator: tt.op, Key: tt.key, Values: tt.values}
			if got := evalCondition(c, tt.ctx, true); got != tt.want {
				t.Errorf("evalCondition = %v, want %v", got, tt.want)
			}
		})
	}
}

// "Multivalued context keys" and "Set operators for multivalued context
// keys": ForAllValues on a missing key is true, ForAnyValue false.
func TestConditionSetOperators(t *testing.T) {
	tags := ctxWith("aws:TagKeys", []string{"env", "team"})
	tests := []struct {
		name, op string
		values   []string
		ctx      *Context
		want     tri
	}{
		{"ForAllValues all allowed", "ForAllValues:StringEquals", []string{"env", "team", "cost"}, tags, yes},
		{"ForAllValues one not allowed", "ForAllValues:StringEquals", []string{"env"}, tags, no},
		{"ForAllValues on a missing key is true", "ForAllValues:StringEquals", []string{"env"}, ctxWith(), yes},
		{"ForAllValues on an empty set is true", "ForAllValues:StringEquals", []string{"env"}, ctxWith("aws:TagKeys", []string{}), yes},
		{"ForAnyValue one matches", "ForAnyValue:StringEquals", []string{"team"}, tags, yes},
		{"ForAnyValue none matches", "ForAnyValue:StringEquals", []string{"cost"}, tags, no},
		{"ForAnyValue on a missing key is false", "ForAnyValue:StringEquals", []string{"team"}, ctxWith(), no},
		{"ForAnyValue IfExists on a missing key", "ForAnyValue:StringEqualsIfExists", []string{"team"}, ctxWith(), yes},
		{"ForAllValues negated: no value is listed", "ForAllValues:StringNotEquals", []string{"secret"}, tags, yes},
		{"ForAllValues negated: one value is listed", "ForAllValues:StringNotEquals", []string{"team"}, tags, no},
		{"ForAnyValue negated: some value not listed", "ForAnyValue:StringNotEquals", []string{"team"}, tags, yes},
		{"ForAnyValue negated: every value listed", "ForAnyValue:StringNotEquals", []string{"team", "env"}, tags, no},
		{"ForAnyValue StringLike", "ForAnyValue:StringLike", []string{"t*"}, tags, yes},
		{"set operator prefix is case-insensitive", "forallvalues:StringEquals", []string{"env"}, tags, no},
		{"no set operator on a multivalued key: any value", "StringEquals", []string{"team"}, tags, yes},
		{"no set operator, negated: no value may match", "StringNotEquals", []string{"team"}, tags, no},
		{"ForAllValues on an unknown key", "ForAllValues:StringEquals", []string{"env"}, NewContext(false), maybe},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &Condition{Operator: tt.op, Key: "aws:TagKeys", Values: tt.values}
			if got := evalCondition(c, tt.ctx, true); got != tt.want {
				t.Errorf("%s %v = %v, want %v", tt.op, tt.values, got, tt.want)
			}
		})
	}
}

// Condition evaluation never panics, and IfExists on a missing key is
// always true, whatever the operator and values.
func FuzzCondition(f *testing.F) {
	f.Add("StringLike", "aws:username", "a*", "alice")
	f.Add("ForAllValues:NumericLessThan", "k", "10", "9")
	f.Add("DateGreaterThanIfExists", "aws:CurrentTime", "2026-01-01", "1700000000")
	f.Add("IpAddress", "aws:SourceIp", "10.0.0.0/8", "::ffff:10.1.2.3")
	f.Add("ArnLike", "aws:SourceArn", "arn:aws:s3:::${aws:username}/*", "arn:aws:s3:::x/y")
	f.Add("BinaryEquals", "k", "=", "YQ==")
	f.Fuzz(func(t *testing.T, op, key, policyValue, value string) {
		ctx := NewContext(true)
		ctx.Set(key, value)
		ctx.Set("aws:username", value)
		evalCondition(&Condition{Operator: op, Key: key, Values: []string{policyValue}}, ctx, true)
		evalCondition(&Condition{Operator: op, Key: key, Values: []string{policyValue}}, NewContext(false), true)
		p := parseOperator(op)
		if p.ok && p.ifExists {
			if got := evalCondition(&Condition{Operator: op, Key: key, Values: []string{policyValue}}, NewContext(true), true); got != yes {
				t.Errorf("%s on a missing key = %v, want true", op, got)
			}
		}
		if p.ok && p.kind == opStringEquals && p.set == setNone && !p.negated && !hasVariable(policyValue) {
			ctx := NewContext(true)
			ctx.Set(key, policyValue)
			if evalCondition(&Condition{Operator: op, Key: key, Values: []string{policyValue}}, ctx, true) != yes {
				t.Errorf("%s does not match its own value %q", op, policyValue)
			}
		}
	})
}

func hasVariable(s string) bool {
	for i := 0; i+1 < len(s); i++ {
		if s[i] == '$' && s[i+1] == '{' {
			return true
		}
	}
	return false
}

// ValidOperator knows the operators of "IAM JSON policy elements:
// Condition operators" with their ForAllValues:/ForAnyValue: prefix and
// IfExists suffix (except Null, which takes no IfExists).
func TestValidOperator(t *testing.T) {
	for op, want := range map[string]bool{
		"StringEquals": true, "stringequals": true, "ForAnyValue:StringLikeIfExists": true, "ArnNotLikeIfExists": true,
		"Null": true, "NullIfExists": false, "StringEqual": false, "NoSuchOp": false, "": false, "IfExists": false,
		"ForAllValues:": false, "ForSomeValues:StringEquals": false, strings.Repeat("StringEquals", 10): false,
	} {
		if got := ValidOperator(op); got != want {
			t.Errorf("ValidOperator(%q) = %v, want %v", op, got, want)
		}
	}
	for op, want := range map[string]string{
		"StringEqual": "StringEquals", "ArnLke": "ArnLike", "ForAnyValues:StringLike": "ForAnyValue:StringLike",
		"DateLessThanIfExist": "DateLessThanIfExists", "NoSuchOp": "", "Frobnicate": "",
	} {
		if got := suggestOperator(op); got != want {
			t.Errorf("suggestOperator(%q) = %q, want %q", op, got, want)
		}
	}
}
