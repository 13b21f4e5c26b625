package policy

import "strings"

// tri is a three-valued truth: a policy element can match, not match, or
// depend on request context the caller does not know.
type tri uint8

const (
	no tri = iota
	maybe
	yes
)

func (a tri) and(b tri) tri { return min(a, b) }
func (a tri) or(b tri) tri  { return max(a, b) }
func (a tri) not() tri      { return yes - a }

func triOf(b bool) tri {
	if b {
		return yes
	}
	return no
}

// Context holds the condition keys of a request. Key names are
// case-insensitive ("aws:SourceIp" and "AWS:sourceip" are one key); values
// keep their case. A key can be present (with one or more values), known
// to be absent, or unknown: with Complete unset, a key that was never set
// is unknown and any condition on it makes the decision Conditional rather
// than silently true or false.
type Context struct {
	values map[string][]string
	absent map[string]bool
	// Complete says the context lists every key of the request: a key
	// that was not set is absent.
	Complete bool
}

// NewContext returns an empty context; complete says whether unset keys
// are absent (true) or unknown (false).
func NewContext(complete bool) *Context {
	return &Context{values: map[string][]string{}, Complete: complete}
}

// Set gives a key its values (one for a single-valued key).
func (c *Context) Set(key string, values ...string) {
	if c.values == nil {
		c.values = map[string][]string{}
	}
	c.values[strings.ToLower(key)] = values
}

// SetAbsent records that the request does not carry a key, even when the
// context is not Complete.
func (c *Context) SetAbsent(key string) {
	if c.absent == nil {
		c.absent = map[string]bool{}
	}
	k := strings.ToLower(key)
	c.absent[k] = true
	delete(c.values, k)
}

// Keys returns the keys that have values, lower-cased.
func (c *Context) Keys() []string {
	out := make([]string, 0, len(c.values))
	for k := range c.values {
		out = append(out, k)
	}
	return out
}

type keyState uint8

const (
	keyPresent keyState = iota
	keyAbsent
	keyUnknown
)

// lookup finds a key case-insensitively without allocating for keys of
// up to 128 bytes.
func (c *Context) lookup(key string) ([]string, keyState) {
	if c == nil {
		return nil, keyUnknown
	}
	var buf [128]byte
	var vals []string
	var ok, gone bool
	if len(key) <= len(buf) {
		b := buf[:len(key)]
		for i := 0; i < len(key); i++ {
			ch := key[i]
			if 'A' <= ch && ch <= 'Z' {
				ch += 'a' - 'A'
			}
			b[i] = ch
		}
		vals, ok = c.values[string(b)]
		if !ok {
			gone = c.absent[string(b)]
		}
	} else {
		k := strings.ToLower(key)
		vals, ok = c.values[k]
		gone = c.absent[k]
	}
	switch {
	case ok:
		return vals, keyPresent
	case gone || c.Complete:
		return nil, keyAbsent
	}
	return nil, keyUnknown
}

// substitute replaces the policy variables of s (IAM JSON policy
// elements: "Policy variables"): ${key} takes the key's value from the
// request, ${key, 'default'} falls back to the default, and ${*}, ${?},
// ${$} stand for a literal '*', '?' and '$'. It returns the text as a glob
// pattern and whether that pattern uses backslash escapes (only when s
// had variables; substituted text never acts as a wildcard). The tri is
// no when a variable's key is absent without default (the element does
// not match), maybe when it is unknown: the pattern then has a '*' in
// place of each unknown variable, so that a caller can tell a text no
// value could match (see mayMatch).
//
// Only documents with "Version": "2012-10-17" have policy variables
// ("IAM JSON policy elements: Version"); callers pass other documents'
// text through unchanged (see Document.PolicyVariables).
func substitute(s string, ctx *Context) (pattern string, escaped bool, state tri) {
	i := strings.Index(s, "${")
	if i < 0 {
		return s, false, yes
	}
	var b strings.Builder
	state = yes
	literal := func(t string, wildcards bool) {
		for j := 0; j < len(t); j++ {
			ch := t[j]
			if ch == '\\' || (!wildcards && (ch == '*' || ch == '?')) {
				b.WriteByte('\\')
			}
			b.WriteByte(ch)
		}
	}
	for i >= 0 {
		literal(s[:i], true)
		end := strings.IndexByte(s[i:], '}')
		if end < 0 {
			literal(s[i:], true)
			s = ""
			break
		}
		inner := s[i+2 : i+end]
		s = s[i+end+1:]
		switch inner {
		case "*", "?", "$":
			literal(inner, false)
		default:
			key, def, hasDefault := parseVariable(inner)
			vals, st := ctx.lookup(key)
			switch {
			case st == keyPresent && len(vals) > 0:
				literal(vals[0], false)
			case hasDefault && st != keyUnknown:
				literal(def, false)
			case st == keyUnknown:
				state = state.and(maybe)
				b.WriteByte('*')
			default:
				state = no
			}
		}
		i = strings.Index(s, "${")
	}
	literal(s, true)
	return b.String(), true, state
}

// parseVariable splits "aws:username, 'default'" into key and default.
func parseVariable(inner string) (key, def string, hasDefault bool) {
	key, rest, found := strings.Cut(inner, ",")
	key = strings.TrimSpace(key)
	if !found {
		return key, "", false
	}
	rest = strings.TrimSpace(rest)
	if len(rest) >= 2 && rest[0] == '\'' && rest[len(rest)-1] == '\'' {
		return key, rest[1 : len(rest)-1], true
	}
	return key, rest, true
}

// mayMatch is the answer for a pattern with unknown variables (substitute
// returned maybe, with '*' in their place): maybe when some values of the
// variables could make it match s, no when none could. The whole-string
// glob, where every '*' spans everything and the pattern's own '*' and
// '?' stay wildcards, matches whatever any substitution matches under any
// operator (string equality, StringLike, Resource or ArnLike matching),
// so a miss is certain.
func mayMatch(pattern, s string, escaped, fold bool) tri {
	if glob(pattern, s, escaped, fold) {
		return maybe
	}
	return no
}

// Known reports whether the context says anything about a key: it has
// values, is known to be absent, or the context is Complete.
func (c *Context) Known(key string) bool {
	_, st := c.lookup(key)
	return st != keyUnknown
}

// variableKeys returns the condition keys of the policy variables in s
// (not the ${*}, ${?} and ${$} escapes).
func variableKeys(s string) []string {
	var out []string
	for {
		i := strings.Index(s, "${")
		if i < 0 {
			return out
		}
		end := strings.IndexByte(s[i:], '}')
		if end < 0 {
			return out
		}
		inner := s[i+2 : i+end]
		if inner != "*" && inner != "?" && inner != "$" {
			key, _, _ := parseVariable(inner)
			out = append(out, key)
		}
		s = s[i+end+1:]
	}
}
