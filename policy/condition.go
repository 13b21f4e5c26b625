package policy

import (
	"bytes"
	"encoding/base64"
	"net/netip"
	"strconv"
	"strings"
	"time"
)

// opKind is the type family of a condition operator.
type opKind uint8

const (
	opUnknown opKind = iota
	opStringEquals
	opStringEqualsIgnoreCase
	opStringLike
	opNumericEquals
	opNumericLess
	opNumericLessEquals
	opNumericGreater
	opNumericGreaterEquals
	opDateEquals
	opDateLess
	opDateLessEquals
	opDateGreater
	opDateGreaterEquals
	opBool
	opBinaryEquals
	opIPAddress
	opArnLike
	opNull
)

type operator struct {
	kind    opKind
	negated bool // StringNotEquals, NotIpAddress, ArnNotLike, ...
}

// operatorNames lists every operator of "IAM JSON policy elements:
// Condition operators", without the IfExists suffix and set prefixes.
var operatorNames = [...]struct {
	name string
	op   operator
}{
	{"StringEquals", operator{opStringEquals, false}},
	{"StringNotEquals", operator{opStringEquals, true}},
	{"StringEqualsIgnoreCase", operator{opStringEqualsIgnoreCase, false}},
	{"StringNotEqualsIgnoreCase", operator{opStringEqualsIgnoreCase, true}},
	{"StringLike", operator{opStringLike, false}},
	{"StringNotLike", operator{opStringLike, true}},
	{"NumericEquals", operator{opNumericEquals, false}},
	{"NumericNotEquals", operator{opNumericEquals, true}},
	{"NumericLessThan", operator{opNumericLess, false}},
	{"NumericLessThanEquals", operator{opNumericLessEquals, false}},
	{"NumericGreaterThan", operator{opNumericGreater, false}},
	{"NumericGreaterThanEquals", operator{opNumericGreaterEquals, false}},
	{"DateEquals", operator{opDateEquals, false}},
	{"DateNotEquals", operator{opDateEquals, true}},
	{"DateLessThan", operator{opDateLess, false}},
	{"DateLessThanEquals", operator{opDateLessEquals, false}},
	{"DateGreaterThan", operator{opDateGreater, false}},
	{"DateGreaterThanEquals", operator{opDateGreaterEquals, false}},
	{"Bool", operator{opBool, false}},
	{"BinaryEquals", operator{opBinaryEquals, false}},
	{"IpAddress", operator{opIPAddress, false}},
	{"NotIpAddress", operator{opIPAddress, true}},
	{"ArnEquals", operator{opArnLike, false}},
	{"ArnLike", operator{opArnLike, false}},
	{"ArnNotEquals", operator{opArnLike, true}},
	{"ArnNotLike", operator{opArnLike, true}},
	{"Null", operator{opNull, false}},
}

// operators finds an operator by its lower-cased name.
var operators = func() map[string]operator {
	m := make(map[string]operator, len(operatorNames))
	for _, o := range operatorNames {
		m[strings.ToLower(o.name)] = o.op
	}
	return m
}()

type setOp uint8

const (
	setNone setOp = iota
	setForAll
	setForAny
)

// parsedOperator is a condition operator split into its parts.
type parsedOperator struct {
	operator
	set      setOp
	ifExists bool
	ok       bool
}

// parseOperator splits an operator name case-insensitively, without
// allocating: it runs for every condition of every evaluated statement.
func parseOperator(name string) parsedOperator {
	var p parsedOperator
	var buf [64]byte
	if len(name) > len(buf) {
		return p
	}
	b := buf[:len(name)]
	for i := 0; i < len(name); i++ {
		c := name[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		b[i] = c
	}
	if rest, ok := bytes.CutPrefix(b, []byte("forallvalues:")); ok {
		p.set, b = setForAll, rest
	} else if rest, ok := bytes.CutPrefix(b, []byte("foranyvalue:")); ok {
		p.set, b = setForAny, rest
	}
	if rest, ok := bytes.CutSuffix(b, []byte("ifexists")); ok && len(rest) > 0 {
		p.ifExists, b = true, rest
	}
	p.operator, p.ok = operators[string(b)]
	if p.kind == opNull && p.ifExists {
		p.ok = false // "NullIfExists" is not an operator
	}
	return p
}

// ValidOperator reports whether name is a condition operator IAM knows,
// with its optional ForAllValues:/ForAnyValue: prefix and IfExists suffix.
func ValidOperator(name string) bool { return parseOperator(name).ok }

// suggestOperator returns the known operator closest to an unknown one
// ("StringEqual" → "StringEquals"), with its set prefix, or "" when none
// is close.
func suggestOperator(name string) string {
	prefix, base := "", name
	if i := strings.LastIndexByte(base, ':'); i >= 0 {
		prefix, base = base[:i+1], base[i+1:]
		given, dist := strings.ToLower(prefix), 3
		for _, sp := range []string{"ForAllValues:", "ForAnyValue:"} {
			if d := editDistance(given, strings.ToLower(sp)); d < dist {
				prefix, dist = sp, d
			}
		}
	}
	best, bestDist := "", 3
	for _, o := range operatorNames {
		for _, cand := range []string{o.name, o.name + "IfExists"} {
			if d := editDistance(strings.ToLower(base), strings.ToLower(cand)); d < bestDist {
				best, bestDist = cand, d
			}
		}
	}
	if best == "" || !ValidOperator(prefix+best) {
		return ""
	}
	return prefix + best
}

// editDistance is the Levenshtein distance of two short strings.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// evalCondition evaluates one operator/key pair of a Condition block
// against the request context ("IAM JSON policy elements: Condition
// operators" and "Multivalued context keys"):
//
//   - A key missing from the request: positive operators are false,
//     negated ones (StringNotEquals, NotIpAddress, ...) true; IfExists
//     makes any operator true; ForAllValues is true, ForAnyValue false;
//     Null is true for "true".
//   - ForAllValues: every request value must match; ForAnyValue: at least
//     one. Without a set operator a multivalued key matches when any value
//     does (negated: when none does).
//   - A key whose presence is unknown gives maybe.
//
// vars says whether the document has policy variables (Version
// 2012-10-17); without, ${...} in values is literal text.
func evalCondition(c *Condition, ctx *Context, vars bool) tri {
	op := parseOperator(c.Operator)
	if !op.ok {
		// IAM rejects such a policy; we cannot tell what it would do.
		// matchStatement makes the whole statement maybe.
		return maybe
	}
	vals, state := ctx.lookup(c.Key)
	if state == keyUnknown {
		return maybe
	}
	if op.kind == opNull {
		if len(c.Values) == 0 {
			return no
		}
		absent := state == keyAbsent || len(vals) == 0
		want := strings.EqualFold(c.Values[0], "true")
		return triOf(absent == want)
	}
	if state == keyAbsent || len(vals) == 0 {
		switch {
		case op.ifExists:
			return yes
		case op.set == setForAll:
			return yes
		case op.set == setForAny:
			return no
		}
		return triOf(op.negated)
	}
	// matches reports whether one request value matches the condition
	// (negation applied per value, as the set operators require).
	matches := func(v string) tri {
		r := no
		for _, p := range c.Values {
			r = r.or(compare(op.kind, p, v, ctx, vars))
			if r == yes {
				break
			}
		}
		if op.negated {
			return r.not()
		}
		return r
	}
	switch op.set {
	case setForAll:
		r := yes
		for _, v := range vals {
			r = r.and(matches(v))
		}
		return r
	case setForAny:
		r := no
		for _, v := range vals {
			r = r.or(matches(v))
		}
		return r
	}
	if op.negated {
		// No value may match the positive operator.
		r := yes
		for _, v := range vals {
			r = r.and(matches(v))
		}
		return r
	}
	r := no
	for _, v := range vals {
		r = r.or(matches(v))
	}
	return r
}

// compare applies the positive form of an operator to one policy value
// and one request value. Policy variables are substituted in the string
// and ARN operators, the only ones where IAM supports them, when vars.
func compare(kind opKind, policyValue, value string, ctx *Context, vars bool) tri {
	switch kind {
	case opStringEquals, opStringEqualsIgnoreCase, opStringLike, opArnLike:
		p, escaped, st := policyValue, false, yes
		if vars {
			p, escaped, st = substitute(policyValue, ctx)
		}
		switch st {
		case no:
			return no
		case maybe:
			return mayMatch(p, value, escaped, kind == opStringEqualsIgnoreCase)
		}
		switch kind {
		case opStringEquals:
			return triOf(unescape(p, escaped) == value)
		case opStringEqualsIgnoreCase:
			return triOf(strings.EqualFold(unescape(p, escaped), value))
		case opStringLike:
			return triOf(glob(p, value, escaped, false))
		}
		return triOf(matchARNSegments(p, value, escaped))
	case opNumericEquals, opNumericLess, opNumericLessEquals, opNumericGreater, opNumericGreaterEquals:
		a, err1 := strconv.ParseFloat(strings.TrimSpace(value), 64)
		b, err2 := strconv.ParseFloat(strings.TrimSpace(policyValue), 64)
		if err1 != nil || err2 != nil {
			return no
		}
		return triOf(ordered(kind-opNumericEquals, cmpFloat(a, b)))
	case opDateEquals, opDateLess, opDateLessEquals, opDateGreater, opDateGreaterEquals:
		a, ok1 := parseDate(value)
		b, ok2 := parseDate(policyValue)
		if !ok1 || !ok2 {
			return no
		}
		return triOf(ordered(kind-opDateEquals, a.Compare(b)))
	case opBool:
		return triOf(strings.EqualFold(strings.TrimSpace(policyValue), strings.TrimSpace(value)))
	case opBinaryEquals:
		a, err1 := base64.StdEncoding.DecodeString(policyValue)
		b, err2 := base64.StdEncoding.DecodeString(value)
		if err1 != nil || err2 != nil {
			return triOf(policyValue == value)
		}
		return triOf(bytes.Equal(a, b))
	case opIPAddress:
		return triOf(ipMatch(policyValue, value))
	}
	return no
}

// ordered applies the n-th comparison of a family (equals, less than,
// less than equals, greater than, greater than equals) to a three-way
// comparison result c (request value against policy value).
func ordered(n opKind, c int) bool {
	switch n {
	case 0:
		return c == 0
	case 1:
		return c < 0
	case 2:
		return c <= 0
	case 3:
		return c > 0
	}
	return c >= 0
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// parseDate reads the date forms IAM accepts: ISO 8601 (with or without
// time and zone) and epoch seconds.
func parseDate(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05Z0700", "2006-01-02T15:04:05", "2006-01-02T15:04Z07:00", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return time.Unix(n, 0), true
	}
	return time.Time{}, false
}

// ipMatch reports whether the request's address lies in the policy's
// CIDR block (a bare address is a /32 or /128).
func ipMatch(cidr, addr string) bool {
	a, err := netip.ParseAddr(strings.TrimSpace(addr))
	if err != nil {
		return false
	}
	cidr = strings.TrimSpace(cidr)
	if !strings.Contains(cidr, "/") {
		b, err := netip.ParseAddr(cidr)
		return err == nil && b.Unmap() == a.Unmap()
	}
	p, err := netip.ParsePrefix(cidr)
	if err != nil {
		return false
	}
	return p.Masked().Contains(a.Unmap()) || p.Contains(a)
}

// unescape turns an escaped pattern back into literal text.
func unescape(p string, escaped bool) string {
	if !escaped || !strings.Contains(p, "\\") {
		return p
	}
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		if p[i] == '\\' && i+1 < len(p) {
			i++
		}
		b.WriteByte(p[i])
	}
	return b.String()
}
