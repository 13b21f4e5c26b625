package access

import (
	"strings"
	"testing"
)

// The segment readers allocate nothing; they must still read patterns as
// the plain strings.Split versions below do.
func TestARNSegmentReaders(t *testing.T) {
	splitUniversal := func(p, partition string) bool {
		rest, ok := strings.CutPrefix(p, "arn:")
		if !ok {
			return false
		}
		segs := strings.Split(rest, ":")
		if len(segs) > 5 {
			return false
		}
		for i, s := range segs {
			if i == 0 && s == partition && len(segs) > 1 {
				continue
			}
			if s == "" || strings.Trim(s, "*") != "" {
				return false
			}
		}
		return true
	}
	patterns := []string{"", "arn", "arn:", "arn:*", "arn:aws", "arn:aws:*", "arn:aws:", "arn:*:*:*:*:*", "arn:*:*:*:*:*:*",
		"arn:aws:*:*:*:*", "arn:aws:s3:::b/*", "arn:aws-cn:*", "arn:**:*", "arn:aws:iam::*:role/${aws:username}",
		"arn:${aws:partition}:s3:::x", "arn:aws:s3${x:y}:::b", "arn:aws:iam::111111111111:user/*", "s3:::b/*", "*"}
	for _, p := range patterns {
		for _, partition := range []string{"aws", "aws-cn"} {
			if got, want := universalARN(p, partition), splitUniversal(p, partition); got != want {
				t.Errorf("universalARN(%q, %q) = %v, want %v", p, partition, got, want)
			}
		}
	}
	for p, want := range map[string][]string{
		"":                                 {""},
		"arn":                              {"arn"},
		"arn:aws:s3:::b/*":                 {"arn", "aws", "s3", "::b/*"},
		"arn:${aws:partition}:s3:::x":      {"arn", "${aws:partition}", "s3", "::x"},
		"arn:aws:iam::1:user/${aws:a}:x:y": {"arn", "aws", "iam", ":1:user/${aws:a}:x:y"},
		"arn:aws:":                         {"arn", "aws", ""},
	} {
		segs, n := arnSegments(p)
		if got := segs[:n]; strings.Join(got, "|") != strings.Join(want, "|") {
			t.Errorf("arnSegments(%q) = %q, want %q", p, got, want)
		}
	}
}
