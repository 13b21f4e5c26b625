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

// "IAM JSON policy elements: Resource", "Using wildcards in resource
// ARNs": wildcards work within a segment; "if the * wildcard is the last
// character of a resource ARN segment, it can expand to match beyond the
// colon boundaries"; the resource segment may contain ':' and '/'.
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
		{"arn:aws:ec2:*:*:instance/*", "arn:aws:ec2:us-east-1:123:instance/i-1", true},
		{"arn:aws:logs:*:*:log-group:name:*", "arn:aws:logs:us-east-1:1:log-group:name:log-stream:x", true},
		{"arn:*:s3:::b", "arn:aws-cn:s3:::b", true},
		{"arn:aws:s3:::b", "*", false}, // an ARN pattern does not grant actions without resources
		{"arn:*", "*", false},
		// A '*' that ends its segment spans the colons after it.
		{"arn:aws:ec2:*:instance/*", "arn:aws:ec2:us-east-1:123456789012:instance/i-1", true},
		{"arn:aws:ec2:us-*:instance/i-1", "arn:aws:ec2:us-east-1:123:instance/i-1", true},
		{"arn:aws:iam::*", "arn:aws:iam::123456789012:role/x", true},
		{"arn:*", "arn:aws:s3:::b", true},
		{"arn:*:*:*:*:*", "arn:aws:s3:::b", true},
		{"arn:*:*:*:*:*:*", "arn:aws:s3:::b", false}, // asks for a seventh segment
		{"arn:*:*:*:*:*:*", "arn:aws:logs:r:1:log-group:x", true},
		{"arn:aws:ec2:*:instance/*", "arn:aws:ec2:us-east-1:123:volume/v-1", false},
		// Other wildcards stay in their segment.
		{"arn:aws:ec2:us-*-1:*:instance/i-1", "arn:aws:ec2:us-east-1:123:instance/i-1", true},
		{"arn:aws:ec2:us-*-1:instance/i-1", "arn:aws:ec2:us-east-1:123:instance/i-1", false},
		{"arn:aws:s*3:::b", "arn:aws:sx:3:::b", false},
		{"arn:aws:s*3:::b", "arn:aws:sx3:::b", true},
		{"arn:aw?:s3:::b", "arn:aw::s3:::b", false},
		{"arn:a?s:s3:::b", "arn:aws:s3:::b", true},
		{"arn:a?s:*:b", "arn:aws:s3:::b", true},
		{"arn:a?s:*b", "arn:aws:s3:::bb", false}, // that * is not last in its segment
		{"arn:a?s:*", "arn:aws:s3:::bb", true},
		{"arn:aws:s3:::a?c", "arn:aws:s3:::a:c", true}, // in the resource segment ':' is a character
		// '?' is one character, and '*' never stops inside one ("€" is
		// three bytes), whichever matcher the pattern takes.
		{"arn:aws:s3:::b/?", "arn:aws:s3:::b/€", true},
		{"arn:aws:s3:::b/*??", "arn:aws:s3:::b/€", false},
		{"arn:a?s:s3:::b/*??", "arn:aws:s3:::b/€", false},
		{"arn:a?s:s3:::b/*?", "arn:aws:s3:::b/€", true},
		{"arn:a?s:s3:::b/*\xac", "arn:aws:s3:::b/€", false},
	}
	for _, tt := range tests {
		if got := MatchARN(tt.pattern, tt.arn); got != tt.want {
			t.Errorf("MatchARN(%q, %q) = %v, want %v", tt.pattern, tt.arn, got, tt.want)
		}
	}
}

// "IAM JSON policy elements: Condition operators", ARN condition
// operators: "each of the six colon-delimited components of the ARN is
// checked separately".
func TestMatchARNLike(t *testing.T) {
	tests := []struct {
		pattern, arn string
		want         bool
	}{
		{"arn:aws:iam::*:role/admin", "arn:aws:iam::123456789012:role/admin", true},
		{"arn:aws:ec2:*:*:instance/*", "arn:aws:ec2:us-east-1:123:instance/i-1", true},
		{"arn:aws:ec2:*:instance/*", "arn:aws:ec2:us-east-1:123456789012:instance/i-1", false},
		{"arn:aws:ec2:us-*:instance/i-1", "arn:aws:ec2:us-east-1:123:instance/i-1", false},
		{"arn:aws:logs:*:*:log-group:*", "arn:aws:logs:r:1:log-group:x:log-stream:y", true},
		{"*", "anything", true},
	}
	for _, tt := range tests {
		if got := MatchARNLike(tt.pattern, tt.arn); got != tt.want {
			t.Errorf("MatchARNLike(%q, %q) = %v, want %v", tt.pattern, tt.arn, got, tt.want)
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
		{"unknown: a wildcard in its place", "x/${aws:username}", open, "x/*", true, maybe},
		{"unterminated", "x/${aws:username", ctx, "x/${aws:username", true, yes},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, esc, st := substitute(tt.in, tt.ctx)
			if st != tt.state || (st != no && (p != tt.pattern || esc != tt.escaped)) {
				t.Errorf("substitute(%q) = %q, %v, %v; want %q, %v, %v", tt.in, p, esc, st, tt.pattern, tt.escaped, tt.state)
			}
		})
	}
	// The substituted literal star must not act as a wildcard.
	p, esc, _ := substitute("arn:aws:s3:::b/${aws:PrincipalTag/team}", ctx)
	if matchResourceARN(p, "arn:aws:s3:::b/blueprint", esc) || !matchResourceARN(p, "arn:aws:s3:::b/blue*", esc) {
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
		// The position-set matcher agrees with glob where glob is exact.
		if !restrictedWildcard(pattern, false) && globARN(pattern, s, false) != glob(pattern, s, false, false) {
			t.Errorf("globARN(%q, %q) disagrees with glob", pattern, s)
		}
		// Without wildcards in its first five segments, a Resource
		// pattern matches as the ArnLike operator does.
		if parts, aparts := strings.SplitN(pattern, ":", 6), strings.SplitN(s, ":", 6); len(parts) == 6 && len(aparts) == 6 &&
			!hasWildcard(strings.Join(parts[:5], ":")) && MatchARN(pattern, s) != MatchARNLike(pattern, s) {
			t.Errorf("MatchARN(%q, %q) != MatchARNLike", pattern, s)
		}
		// "If the * wildcard is the last character of a resource ARN
		// segment, it can expand to match beyond the colon boundaries."
		if parts := strings.SplitN(s, ":", 6); len(parts) == 6 && !hasWildcard(s) {
			for k := 1; k <= 5; k++ {
				head := strings.Join(parts[:k], ":")
				if !MatchARN(head+":*", s) || !MatchARN(head+"*", s) {
					t.Errorf("%q with a segment-final * does not match %q", head, s)
				}
			}
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
