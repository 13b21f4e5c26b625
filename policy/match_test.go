package policy

import (
	"strings"
	"testing"
)

// "IAM JSON policy elements: Action": action names are case-insensitive;
// '*' and '?' are wildcards.
func TestMatchAction(t *testing.T) {
	tests := []struct {
		pattern, action string
		want            bool
	}{
		{"s3:GetObject", "s3:GetObject", true},
		{"s3:getobject", "S3:GETOBJECT", true}, // case-insensitive action names
		{"s3:Get*", "s3:GetObject", true},
		{"s3:Get*", "s3:PutObject", false},
		{"iam:*Policy*", "iam:AttachUserPolicy", true},
		{"iam:*Policy*", "iam:CreateUser", false},
		{"iam:?etUser", "iam:GetUser", true},
		{"iam:?etUser", "iam:GetUsers", false},
		{"*", "ec2:RunInstances", true},
		{"*:*", "ec2:RunInstances", true}, // "*:*" matches like "*"
		{"s3:*", "s3express:CreateSession", false},
		{"s3*", "s3express:CreateSession", true},
		{"", "s3:GetObject", false},
		{"s3:GetObject", "", false},
		{"**", "", true},
	}
	for _, tt := range tests {
		if got := MatchAction(tt.pattern, tt.action); got != tt.want {
			t.Errorf("MatchAction(%q, %q) = %v, want %v", tt.pattern, tt.action, got, tt.want)
		}
	}
}

// "IAM JSON policy elements: Resource": ARN wildcards work within a
// segment; the resource segment may contain ':' and '/'.
func TestMatchARN(t *testing.T) {
	tests := []struct {
		pattern, arn string
		want         bool
	}{
		{"*", "arn:aws:s3:::bucket", true},
		{"*", "*", true},
		{"arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket/a/b.txt", true},
		{"arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket", false},
		{"arn:aws:s3:::bucket*", "arn:aws:s3:::bucket-2/x", true},
		{"arn:aws:s3:::Bucket/*", "arn:aws:s3:::bucket/x", false}, // case-sensitive
		{"arn:aws:iam::*:role/admin", "arn:aws:iam::123456789012:role/admin", true},
		{"arn:aws:iam::*:role/admin", "arn:aws:iam::123456789012:role/admin2", false},
		{"arn:aws:iam::12345678901?:user/*", "arn:aws:iam::123456789012:user/a", true},
		// a wildcard in the region segment does not reach into the account
		{"arn:aws:ec2:us-*:instance/i-1", "arn:aws:ec2:us-east-1:123:instance/i-1", false},
		{"arn:aws:ec2:*:*:instance/*", "arn:aws:ec2:us-east-1:123:instance/i-1", true},
		{"arn:aws:logs:*:*:log-group:name:*", "arn:aws:logs:us-east-1:1:log-group:name:log-stream:x", true},
		{"arn:*:s3:::b", "arn:aws-cn:s3:::b", true},
		{"arn:aws:s3:::b", "*", false}, // an ARN pattern does not grant actions without resources
		{"arn:*", "arn:aws:s3:::b", true},
	}
	for _, tt := range tests {
		if got := MatchARN(tt.pattern, tt.arn); got != tt.want {
			t.Errorf("MatchARN(%q, %q) = %v, want %v", tt.pattern, tt.arn, got, tt.want)
		}
	}
}

// "IAM policy elements: Variables and tags".
func TestSubstitute(t *testing.T) {
	ctx := NewContext(true)
	ctx.Set("aws:username", "alice")
	ctx.Set("aws:PrincipalTag/team", "blue*")
	open := NewContext(false)
	tests := []struct {
		name, in string
		ctx      *Context
		pattern  string
		escaped  bool
		state    tri
	}{
		{"no variables", "arn:aws:s3:::b/*", ctx, "arn:aws:s3:::b/*", false, yes},
		{"username", "arn:aws:s3:::b/${aws:username}/*", ctx, "arn:aws:s3:::b/alice/*", true, yes},
		{"key case-insensitive", "${AWS:UserName}", ctx, "alice", true, yes},
		{"tag value is literal", "${aws:PrincipalTag/team}", ctx, `blue\*`, true, yes},
		{"literal star", "a${*}b", ctx, `a\*b`, true, yes},
		{"literal question mark", "a${?}b", ctx, `a\?b`, true, yes},
		{"literal dollar", "${$}x", ctx, "$x", true, yes},
		{"default used when absent", "${aws:PrincipalTag/none, 'dflt'}", ctx, "dflt", true, yes},
		{"absent without default", "x/${aws:PrincipalTag/none}", ctx, "x/", true, no},
		{"unknown", "x/${aws:username}", open, "x/", true, maybe},
		{"unterminated", "x/${aws:username", ctx, "x/${aws:username", true, yes},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, esc, st := substitute(tt.in, tt.ctx)
			if st != tt.state || (st == yes && (p != tt.pattern || esc != tt.escaped)) {
				t.Errorf("substitute(%q) = %q, %v, %v; want %q, %v, %v", tt.in, p, esc, st, tt.pattern, tt.escaped, tt.state)
			}
		})
	}
	// The substituted literal star must not act as a wildcard.
	p, esc, _ := substitute("arn:aws:s3:::b/${aws:PrincipalTag/team}", ctx)
	if matchARN(p, "arn:aws:s3:::b/blueprint", esc) || !matchARN(p, "arn:aws:s3:::b/blue*", esc) {
		t.Error("a variable's value acted as a wildcard")
	}
}

// Invariants of matching: a pattern without wildcards matches itself; a
// wildcard-free text matches the pattern "*" and its own prefix+"*".
func FuzzMatch(f *testing.F) {
	for _, s := range []string{"s3:GetObject", "arn:aws:s3:::b/*", "iam:*Policy*", "arn:aws:iam::1:role/a?b", "*:*", "", "a\\b", "${aws:username}", "ü?*"} {
		f.Add(s, s)
	}
	f.Fuzz(func(t *testing.T, pattern, s string) {
		if MatchAction(pattern, s) != MatchAction(asciiUpper(pattern), s) {
			t.Errorf("MatchAction(%q, %q) depends on the pattern's case", pattern, s)
		}
		// Segment-wise ARN matching is stricter than matching the whole.
		if MatchARN(pattern, s) && !glob(pattern, s, false, false) {
			t.Errorf("MatchARN(%q, %q) but the whole-string glob does not match", pattern, s)
		}
		if !strings.Contains(pattern, `\`) && glob(pattern, s, true, false) != glob(pattern, s, false, false) {
			t.Errorf("escape mode changed the meaning of %q, which has no backslash", pattern)
		}
		if p, esc, st := substitute(pattern, NewContext(false)); st == yes && !esc && p != pattern {
			t.Errorf("substitute changed %q without variables to %q", pattern, p)
		}
		if !MatchAction(s, s) && !hasWildcard(s) {
			t.Errorf("action pattern %q does not match itself", s)
		}
		if !MatchARN(s, s) && !hasWildcard(s) {
			t.Errorf("ARN pattern %q does not match itself", s)
		}
		if !MatchAction("*", s) || !MatchARN("*", s) {
			t.Errorf("* does not match %q", s)
		}
		if !MatchAction(s+"*", s) && !hasWildcard(s) {
			t.Errorf("%q* does not match %q", s, s)
		}
	})
}

func asciiUpper(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'a' <= c && c <= 'z' {
			b[i] = c - 'a' + 'A'
		}
	}
	return string(b)
}

func hasWildcard(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == '*' || s[i] == '?' {
			return true
		}
	}
	return false
}

func BenchmarkMatchAction(b *testing.B) {
	for b.Loop() {
		MatchAction("iam:*Policy*", "iam:CreatePolicyVersion")
	}
}
