package rego

import (
	"fmt"
	"unicode/utf8"
)

// leavesOpen answers iam.glob_leaves_open: can the StringLike pattern
// match some value
//
//	prefix + X + separator + anything   (X + the end, when separator is "")
//
// where X does not contain the separator and at least one character of X
// is written by a wildcard of the pattern? Such an X is text the
// requester chooses: for GitHub's "repo:OWNER/...", prefix "repo:" and
// separator "/", an owner the pattern does not name. A pattern that
// cannot match any value of that shape (another format altogether)
// leaves nothing open.
//
// It runs the pattern as a nondeterministic automaton against a value
// the requester builds character by character: the prefix as given, then
// in X either a character the pattern names or a character no policy
// names (which only '*' or '?' can match: that sets the flag), then the
// separator, after which the remaining pattern can always be met. The
// states are (pattern position, prefix position, flag), so it takes
// O(len(pattern) * len(prefix)) steps and allocates little.
func leavesOpen(pattern, prefix, sep string) (bool, error) {
	if utf8.RuneCountInString(sep) > 1 {
		return false, fmt.Errorf("iam.glob_leaves_open: separator must be one character or empty, got %q", sep)
	}
	type state struct {
		i, k int // pattern position; prefix position (len(prefix): in X)
		open bool
	}
	inX := len(prefix)
	seen := map[state]bool{}
	var queue []state
	push := func(s state) {
		// A '*' may also match nothing: skip it too.
		for {
			if !seen[s] {
				seen[s] = true
				queue = append(queue, s)
			}
			if s.i < len(pattern) && pattern[s.i] == '*' {
				s.i++
				continue
			}
			return
		}
	}
	push(state{0, 0, false})
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		if s.open && sep == "" {
			return true, nil // X runs on to the end: the pattern's literals can follow
		}
		if s.i == len(pattern) {
			continue // no pattern left; more value to come
		}
		p := pattern[s.i]
		_, psize := utf8.DecodeRuneInString(pattern[s.i:])
		if s.k < inX {
			// The prefix, as given.
			_, size := utf8.DecodeRuneInString(prefix[s.k:])
			switch {
			case p == '*':
				push(state{s.i, s.k + size, false})
			case p == '?':
				push(state{s.i + 1, s.k + size, false})
			case pattern[s.i:s.i+psize] == prefix[s.k:s.k+size]:
				push(state{s.i + psize, s.k + size, false})
			}
			continue
		}
		// In X.
		switch {
		case p == '*' || p == '?':
			if s.open && sep != "" {
				return true, nil // the wildcard takes the separator too; anything may follow
			}
			next := s.i
			if p == '?' {
				next++
			}
			push(state{next, s.k, true}) // a character of the requester's choosing
		case sep != "" && pattern[s.i:s.i+psize] == sep:
			if s.open {
				return true, nil // X ends here; the rest of the pattern can be met
			}
			// X would end written by the pattern alone: pinned on this path.
		default:
			push(state{s.i + psize, s.k, s.open}) // the character the pattern names
		}
	}
	return false, nil
}
