package policy

import "strings"

// MatchAction reports whether an action pattern of a policy (e.g.
// "s3:Get*", "iam:*Policy*", "*") matches a concrete action name. IAM
// compares action names case-insensitively; "*" matches any run of
// characters (including ':', so "*:*" matches every action just like
// "*") and "?" exactly one character.
func MatchAction(pattern, action string) bool { return globFold(pattern, action) }

// MatchARN reports whether an entry of a Resource or NotResource element
// matches a resource ARN ("IAM JSON policy elements: Resource", "Using
// wildcards in resource ARNs"): case-sensitively, with '*' matching any
// run of characters and '?' one character, within the colon-separated
// segments of the ARN (arn, partition, service, region, account, then
// the resource, which may itself contain ':' and '/'). "If the *
// wildcard is the last character of a resource ARN segment, it can
// expand to match beyond the colon boundaries": such a '*', and every
// wildcard of the resource segment, may span ':'. So
// "arn:aws:ec2:*:instance/*" matches
// "arn:aws:ec2:us-east-1:123456789012:instance/i-1", and "arn:*" every
// ARN, while the '*' of "arn:aws:ec2:us-*-1:..." stays in its segment.
// The pattern "*" matches anything, including the "*" of actions that do
// not support resource-level permissions; an ARN pattern never matches
// that "*".
//
// The Arn* condition operators compare segment by segment instead; see
// MatchARNLike.
func MatchARN(pattern, arn string) bool { return matchResourceARN(pattern, arn, false) }

// MatchARNLike reports whether an ArnLike or ArnEquals condition value
// matches an ARN ("IAM JSON policy elements: Condition operators", ARN
// condition operators): "each of the six colon-delimited components of
// the ARN is checked separately", so a wildcard never spans ':' in the
// first five segments; the sixth, the resource, may contain ':' and '/'
// and its wildcards span them.
func MatchARNLike(pattern, arn string) bool { return matchARNSegments(pattern, arn, false) }

// matchResourceARN is MatchARN on a pattern that may use backslash
// escapes (see glob).
func matchResourceARN(pattern, arn string, escaped bool) bool {
	if pattern == "*" {
		return true
	}
	if !restrictedWildcard(pattern, escaped) {
		// Every wildcard may span ':' (segment-final '*', or in the
		// resource segment): a plain glob is exact. A '?' or '*' of
		// the resource segment cannot reach one of the ARN's first
		// five colons, since the pattern's own five colons must be
		// matched before it.
		return glob(pattern, arn, escaped, false)
	}
	return globARN(pattern, arn, escaped)
}

// restrictedWildcard reports whether a pattern has a wildcard in its first
// five segments that must stay in its segment: a '?', or a '*' that is not
// the last character of its segment.
func restrictedWildcard(p string, escaped bool) bool {
	seg := 0
	for i := 0; i < len(p) && seg < 5; i++ {
		switch p[i] {
		case '\\':
			if escaped {
				i++
			}
		case ':':
			seg++
		case '?':
			return true
		case '*':
			for i+1 < len(p) && p[i+1] == '*' {
				i++
			}
			if i+1 < len(p) && p[i+1] != ':' {
				return true
			}
		}
	}
	return false
}

// globARN matches like glob, except that a restricted wildcard (see
// restrictedWildcard) cannot consume one of the ARN's first five colons,
// the segment separators. Different wildcards span different things, so
// the usual backtracking on the last '*' is not enough: it tracks the set
// of ARN positions the pattern read so far can end at, in
// O(len(pattern)*len(arn)). Only unusual patterns get here.
func globARN(p, a string, escaped bool) bool {
	var buf [2 * 257]bool
	var cur, next []bool
	if n := len(a) + 1; 2*n <= len(buf) {
		cur, next = buf[:n], buf[n:2*n]
	} else {
		cur, next = make([]bool, n), make([]bool, n)
	}
	// The separators are the colons up to and including the fifth.
	sepEnd, colons := len(a), 0
	for j := 0; j < len(a); j++ {
		if a[j] == ':' {
			if colons++; colons == 5 {
				sepEnd = j + 1
				break
			}
		}
	}
	isSep := func(j int) bool { return j < sepEnd && a[j] == ':' }
	cur[0] = true
	seg := 0
	for pi := 0; pi < len(p); {
		clear(next)
		alive := false
		switch c := p[pi]; {
		case c == '*':
			for pi < len(p) && p[pi] == '*' {
				pi++
			}
			spans := seg >= 5 || pi == len(p) || p[pi] == ':'
			run := false
			for j := 0; j <= len(a); j++ {
				run = run || cur[j]
				next[j] = run && charStart(a, j)
				alive = alive || next[j]
				if !spans && j < len(a) && isSep(j) {
					run = false
				}
			}
		case c == '?':
			pi++
			for j := 0; j < len(a); j++ {
				if cur[j] && !isSep(j) {
					next[j+charLen(a, j)] = true
					alive = true
				}
			}
		default:
			if c == '\\' && escaped && pi+1 < len(p) {
				pi++
				c = p[pi]
			} else if c == ':' {
				seg++
			}
			pi++
			for j := 0; j < len(a); j++ {
				if cur[j] && a[j] == c {
					next[j+1] = true
					alive = true
				}
			}
		}
		if !alive {
			return false
		}
		cur, next = next, cur
	}
	return cur[len(a)]
}

// matchARNSegments matches segment by segment: the first five
// colon-separated segments separately, the rest as a whole.
func matchARNSegments(pattern, arn string, escaped bool) bool {
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
				px++
				sx += charLen(s, sx)
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
			// The star takes one more character. Whole characters
			// keep the greedy search exact: from a later character
			// start there is never more text left to match.
			px = starP + 1
			starS += charLen(s, starS)
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

// charLen is the length of the character at s[i]: its first byte and
// every UTF-8 continuation byte (10xxxxxx) after it, so that '?' consumes
// one character, not one byte. On valid UTF-8 that is the rune's length;
// on invalid bytes both matchers (glob, globARN) agree on it, because they
// share this definition and charStart.
func charLen(s string, i int) int {
	n := 1
	for i+n < len(s) && s[i+n]&0xC0 == 0x80 {
		n++
	}
	return n
}

// charStart reports whether position j of s begins a character (or is the
// end): a '*' stops only there, never inside a multi-byte character.
func charStart(s string, j int) bool { return j == len(s) || s[j]&0xC0 != 0x80 }
