package policy

import "strings"

// MatchAction reports whether an action pattern of a policy (e.g.
// "s3:Get*", "iam:*Policy*", "*") matches a concrete action name. IAM
// compares action names case-insensitively; "*" matches any run of
// characters (including ':', so "*:*" matches every action just like
// "*") and "?" exactly one character.
func MatchAction(pattern, action string) bool { return globFold(pattern, action) }

// MatchARN reports whether a resource pattern of a policy matches a
// resource ARN, as the Resource element and the Arn* condition operators
// compare them: case-sensitively, segment by segment. The first five
// colon-separated segments (arn, partition, service, region, account) are
// matched separately, so a wildcard never spans a ':' there; the sixth,
// the resource, may itself contain ':' and '/' and wildcards span them.
// The pattern "*" matches anything, including the "*" of actions that do
// not support resource-level permissions.
func MatchARN(pattern, arn string) bool { return matchARN(pattern, arn, false) }

func matchARN(pattern, arn string, escaped bool) bool {
	if pattern == "*" {
		return true
	}
	p, a := pattern, arn
	for seg := 0; seg < 5; seg++ {
		pi := indexUnescaped(p, ':', escaped)
		ai := strings.IndexByte(a, ':')
		if pi < 0 || ai < 0 {
			// Not six segments on both sides: compare what is left
			// as a whole. Only an unusual pattern (say "arn:*") or a
			// non-ARN resource gets here.
			return glob(p, a, escaped, false)
		}
		if !glob(p[:pi], a[:ai], escaped, false) {
			return false
		}
		p, a = p[pi+1:], a[ai+1:]
	}
	return glob(p, a, escaped, false)
}

func indexUnescaped(s string, c byte, escaped bool) int {
	if !escaped {
		return strings.IndexByte(s, c)
	}
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case c:
			return i
		}
	}
	return -1
}

// globFold matches case-insensitively (ASCII), without escapes.
func globFold(pattern, s string) bool { return glob(pattern, s, false, true) }

// glob matches s against pattern where '*' matches any run of bytes and
// '?' exactly one character. With escaped, a backslash makes the next
// pattern byte literal: that is how policy variables ${*}, ${?} and
// substituted values are kept from acting as wildcards. It runs in
// O(len(pattern)*len(s)) at worst and allocates nothing.
func glob(pattern, s string, escaped, fold bool) bool {
	px, sx := 0, 0
	starP, starS := -1, -1
	for sx < len(s) {
		if px < len(pattern) {
			c := pattern[px]
			switch {
			case c == '*':
				starP, starS = px, sx
				px++
				continue
			case c == '?':
				_, size := decodeRune(s, sx)
				px++
				sx += size
				continue
			case c == '\\' && escaped && px+1 < len(pattern):
				if eqByte(pattern[px+1], s[sx], fold) {
					px += 2
					sx++
					continue
				}
			default:
				if eqByte(c, s[sx], fold) {
					px++
					sx++
					continue
				}
			}
		}
		if starP >= 0 {
			px = starP + 1
			starS++
			sx = starS
			continue
		}
		return false
	}
	for px < len(pattern) && pattern[px] == '*' {
		px++
	}
	return px == len(pattern)
}

func eqByte(a, b byte, fold bool) bool {
	if a == b {
		return true
	}
	if !fold {
		return false
	}
	if 'A' <= a && a <= 'Z' {
		a += 'a' - 'A'
	}
	if 'A' <= b && b <= 'Z' {
		b += 'a' - 'A'
	}
	return a == b
}

// decodeRune returns the length of the UTF-8 sequence at s[i] so that '?'
// consumes one character, not one byte. Invalid bytes count as one.
func decodeRune(s string, i int) (rune, int) {
	c := s[i]
	n := 1
	switch {
	case c >= 0xF0:
		n = 4
	case c >= 0xE0:
		n = 3
	case c >= 0xC0:
		n = 2
	}
	if i+n > len(s) {
		n = 1
	}
	return rune(c), n
}
