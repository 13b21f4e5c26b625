// Package jsonpos parses JSON into a small tree that remembers where every
// value starts and ends in the input, so that findings and input errors can
// point at a file, line and column.
//
// It exists because encoding/json discards positions and, decoding into
// generic values, is also the slowest part of loading a large account: this
// parser allocates one node slice per array or object and copies strings
// only once.
package jsonpos

import (
	"encoding/binary"
	"fmt"
	"hash/maphash"
	"math/bits"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// Kind is the JSON type of a Value.
type Kind uint8

const (
	Null Kind = iota
	Bool
	Number
	String
	Array
	Object
)

func (k Kind) String() string {
	switch k {
	case Null:
		return "null"
	case Bool:
		return "boolean"
	case Number:
		return "number"
	case String:
		return "string"
	case Array:
		return "array"
	case Object:
		return "object"
	}
	return "invalid"
}

// Value is one JSON value. Str holds the decoded text of a string and the
// literal text of a number; Elems the items of an array; Members the
// members of an object, in input order (duplicates kept).
type Value struct {
	Kind    Kind
	Bool    bool
	Str     string
	Elems   []Value
	Members []Member
	// Off and End are the byte offsets of the value's first byte and one
	// past its last byte.
	Off, End int
}

// Member is one key/value pair of an object.
type Member struct {
	Key    string
	KeyOff int
	Value  Value
}

// Get returns the value of the first member named key, or nil.
func (v *Value) Get(key string) *Value {
	for i := range v.Members {
		if v.Members[i].Key == key {
			return &v.Members[i].Value
		}
	}
	return nil
}

// SyntaxError reports malformed JSON at a byte offset.
type SyntaxError struct {
	Off int
	Msg string
}

func (e *SyntaxError) Error() string { return e.Msg }

// MaxDepth bounds nesting so hostile input cannot exhaust the stack.
const MaxDepth = 512

// Parse parses exactly one JSON value (surrounded by optional white space).
func Parse(data []byte) (*Value, error) {
	p := newParser(data)
	p.skipSpace()
	v, err := p.value(0)
	if err != nil {
		return nil, err
	}
	p.skipSpace()
	if p.pos < len(p.data) {
		return nil, p.errorf("unexpected %s after the top-level value", p.describe())
	}
	return &v, nil
}

type parser struct {
	data []byte
	pos  int
	// interned holds the strings intern and key share (see intern).
	interned []string
	seed     maphash.Seed
	// elems and members are the stacks array and object collect their
	// children on.
	elems   []Value
	members []Member
	// With arena set (Iter.Borrow), finished arrays and objects take
	// their children from these slabs, which the next Borrow reuses.
	arena bool
	slabV []Value
	slabM []Member
}

func newParser(data []byte) parser {
	// One slot per 64 bytes of input, from 64 to 4096: a policy
	// document gets a small table, a large account the full one.
	n := 64
	for n < 4096 && n*64 < len(data) {
		n *= 2
	}
	return parser{data: data, interned: make([]string, n), seed: maphash.MakeSeed()}
}

func (p *parser) errorf(format string, args ...any) error {
	return &SyntaxError{Off: p.pos, Msg: fmt.Sprintf(format, args...)}
}

func (p *parser) describe() string {
	if p.pos >= len(p.data) {
		return "end of input"
	}
	c := p.data[p.pos]
	if c >= 0x20 && c < 0x7f {
		return strconv.Quote(string(c))
	}
	return fmt.Sprintf("byte 0x%02x", c)
}

func (p *parser) skipSpace() {
	d, i := p.data, p.pos
	for i < len(d) {
		switch d[i] {
		case ' ':
			// Pretty-printed input indents with runs of spaces (the AWS
			// CLI's output: 25 a line on average, over half of a large
			// file): read them eight at a time.
			i++
			for i+8 <= len(d) {
				if x := binary.LittleEndian.Uint64(d[i:]) ^ 0x2020202020202020; x != 0 {
					i += bits.TrailingZeros64(x) / 8
					break
				}
				i += 8
			}
		case '\t', '\n', '\r':
			i++
		default:
			p.pos = i
			return
		}
	}
	p.pos = i
}

// value parses the value at p.pos. Values are returned, not filled in
// through a pointer: a pointer into a caller's local made the compiler
// move every member and element to the heap.
func (p *parser) value(depth int) (Value, error) {
	var v Value
	if depth > MaxDepth {
		return v, p.errorf("nesting deeper than %d levels", MaxDepth)
	}
	if p.pos >= len(p.data) {
		return v, p.errorf("unexpected end of input, expected a value")
	}
	v.Off = p.pos
	var err error
	switch c := p.data[p.pos]; {
	case c == '{':
		err = p.object(&v, depth)
	case c == '[':
		err = p.array(&v, depth)
	case c == '"':
		v.Kind = String
		v.Str, err = p.str()
		v.End = p.pos
	case c == '-' || (c >= '0' && c <= '9'):
		err = p.number(&v)
	case c == 't':
		v.Kind, v.Bool = Bool, true
		err = p.literal(&v, "true")
	case c == 'f':
		v.Kind = Bool
		err = p.literal(&v, "false")
	case c == 'n':
		v.Kind = Null
		err = p.literal(&v, "null")
	default:
		err = p.errorf("unexpected %s, expected a value", p.describe())
	}
	return v, err
}

func (p *parser) literal(v *Value, word string) error {
	if len(p.data)-p.pos < len(word) || string(p.data[p.pos:p.pos+len(word)]) != word {
		return p.errorf("invalid literal, expected %s", word)
	}
	p.pos += len(word)
	v.End = p.pos
	return nil
}

func (p *parser) number(v *Value) error {
	start := p.pos
	d := p.data
	if d[p.pos] == '-' {
		p.pos++
	}
	digits := func() int {
		n := 0
		for p.pos < len(d) && d[p.pos] >= '0' && d[p.pos] <= '9' {
			p.pos++
			n++
		}
		return n
	}
	if p.pos < len(d) && d[p.pos] == '0' {
		p.pos++
	} else if digits() == 0 {
		return p.errorf("invalid number")
	}
	if p.pos < len(d) && d[p.pos] == '.' {
		p.pos++
		if digits() == 0 {
			return p.errorf("invalid number: no digits after the decimal point")
		}
	}
	if p.pos < len(d) && (d[p.pos] == 'e' || d[p.pos] == 'E') {
		p.pos++
		if p.pos < len(d) && (d[p.pos] == '+' || d[p.pos] == '-') {
			p.pos++
		}
		if digits() == 0 {
			return p.errorf("invalid number: no digits in the exponent")
		}
	}
	v.Kind = Number
	v.Str = string(d[start:p.pos])
	v.End = p.pos
	return nil
}

func (p *parser) array(v *Value, depth int) error {
	v.Kind = Array
	// Elements collect on a stack shared by all arrays and move to a
	// slice of exactly their number when the array closes: growing a
	// slice per array doubled the memory of the tree and the copying.
	base := len(p.elems)
	err := p.eachElem(func(int) error {
		e, err := p.value(depth + 1)
		p.elems = append(p.elems, e)
		return err
	})
	if err != nil {
		return err
	}
	v.End = p.pos
	v.Elems = p.finishElems(base)
	p.elems = p.elems[:base]
	return nil
}

func (p *parser) object(v *Value, depth int) error {
	v.Kind = Object
	base := len(p.members) // see array
	err := p.eachMember(func(key string, keyOff int) error {
		val, err := p.value(depth + 1)
		p.members = append(p.members, Member{Key: key, KeyOff: keyOff, Value: val})
		return err
	})
	if err != nil {
		return err
	}
	v.End = p.pos
	v.Members = p.finishMembers(base)
	p.members = p.members[:base]
	return nil
}

// eachElem reads the array at p.pos, calling fn with p.pos at each
// element; fn must read the element. It leaves p.pos after the ']'.
func (p *parser) eachElem(fn func(i int) error) error {
	p.pos++ // [
	p.skipSpace()
	if p.pos < len(p.data) && p.data[p.pos] == ']' {
		p.pos++
		return nil
	}
	for i := 0; ; i++ {
		p.skipSpace()
		if err := fn(i); err != nil {
			return err
		}
		p.skipSpace()
		if p.pos >= len(p.data) {
			return p.errorf("unexpected end of input in an array, expected ',' or ']'")
		}
		switch p.data[p.pos] {
		case ',':
			p.pos++
		case ']':
			p.pos++
			return nil
		default:
			return p.errorf("unexpected %s in an array, expected ',' or ']'", p.describe())
		}
	}
}

// eachMember reads the object at p.pos, calling fn with each key and
// p.pos at its value; fn must read the value. It leaves p.pos after the
// '}'.
func (p *parser) eachMember(fn func(key string, keyOff int) error) error {
	p.pos++ // {
	p.skipSpace()
	if p.pos < len(p.data) && p.data[p.pos] == '}' {
		p.pos++
		return nil
	}
	for {
		p.skipSpace()
		if p.pos >= len(p.data) || p.data[p.pos] != '"' {
			return p.errorf("unexpected %s in an object, expected a quoted key", p.describe())
		}
		keyOff := p.pos
		key, err := p.key()
		if err != nil {
			return err
		}
		p.skipSpace()
		if p.pos >= len(p.data) || p.data[p.pos] != ':' {
			return p.errorf("unexpected %s after an object key, expected ':'", p.describe())
		}
		p.pos++
		p.skipSpace()
		if err := fn(key, keyOff); err != nil {
			return err
		}
		p.skipSpace()
		if p.pos >= len(p.data) {
			return p.errorf("unexpected end of input in an object, expected ',' or '}'")
		}
		switch p.data[p.pos] {
		case ',':
			p.pos++
		case '}':
			p.pos++
			return nil
		default:
			return p.errorf("unexpected %s in an object, expected ',' or '}'", p.describe())
		}
	}
}

// finishElems moves the elements collected since base off the stack.
func (p *parser) finishElems(base int) []Value {
	kids := p.elems[base:]
	if !p.arena || len(kids) == 0 {
		return append([]Value{}, kids...)
	}
	n := len(kids)
	if cap(p.slabV)-len(p.slabV) < n {
		p.slabV = make([]Value, 0, max(n, 4096))
	}
	l := len(p.slabV)
	p.slabV = append(p.slabV, kids...)
	return p.slabV[l : l+n : l+n]
}

// finishMembers is finishElems for object members.
func (p *parser) finishMembers(base int) []Member {
	kids := p.members[base:]
	if !p.arena || len(kids) == 0 {
		return append([]Member{}, kids...)
	}
	n := len(kids)
	if cap(p.slabM)-len(p.slabM) < n {
		p.slabM = make([]Member, 0, max(n, 4096))
	}
	l := len(p.slabM)
	p.slabM = append(p.slabM, kids...)
	return p.slabM[l : l+n : l+n]
}

// intern returns short strings from a table: IAM inputs repeat a few
// values ("Allow", "*", "2012-10-17", "sts:AssumeRole", common actions)
// hundreds of thousands of times, and a shared copy saves an allocation
// each time and memory for as long as the snapshot lives. Long strings
// (ARNs, dates, unique ids of 21 characters) are mostly unique and are
// copied.
//
// The table is direct-mapped: a string's hash picks one slot, which
// keeps the last string that landed there. That costs a hash and a
// compare, where a map (the earlier table) cost about three times as
// much; two common strings that share a slot only cost allocations.
func (p *parser) intern(b []byte) string {
	if len(b) > 20 {
		return string(b)
	}
	return p.lookup(b)
}

// lookup returns the table's copy of b, storing one when the slot holds
// another string.
func (p *parser) lookup(b []byte) string {
	slot := &p.interned[maphash.Bytes(p.seed, b)&uint64(len(p.interned)-1)]
	if *slot == string(b) {
		return *slot
	}
	s := string(b)
	*slot = s
	return s
}

// key reads an object key, interned whatever its length: IAM documents
// repeat a few dozen keys millions of times. Looking the bytes up before
// converting them makes a known key cost no allocation.
func (p *parser) key() (string, error) {
	d := p.data
	start := p.pos + 1
	end := start
	for end < len(d) && d[end] != '"' && d[end] != '\\' && d[end] >= 0x20 && d[end] < 0x80 {
		end++
	}
	if end < len(d) && d[end] == '"' {
		p.pos = end + 1
		return p.lookup(d[start:end]), nil
	}
	return p.str()
}

// str reads a quoted string starting at p.pos and leaves p.pos after the
// closing quote.
func (p *parser) str() (string, error) {
	d := p.data
	p.pos++ // opening quote
	start := p.pos
	// Fast path: no escapes, only valid UTF-8.
	for p.pos < len(d) {
		c := d[p.pos]
		if c == '"' {
			s := d[start:p.pos]
			p.pos++
			if !utf8.Valid(s) {
				p.pos = start
				return "", p.errorf("invalid UTF-8 in a string")
			}
			return p.intern(s), nil
		}
		if c == '\\' {
			break
		}
		if c < 0x20 {
			return "", p.errorf("control character %s in a string", p.describe())
		}
		p.pos++
	}
	if p.pos >= len(d) {
		return "", p.errorf("unexpected end of input in a string")
	}
	buf := make([]byte, 0, p.pos-start+16)
	buf = append(buf, d[start:p.pos]...)
	for p.pos < len(d) {
		c := d[p.pos]
		switch {
		case c == '"':
			p.pos++
			if !utf8.Valid(buf) {
				return "", p.errorf("invalid UTF-8 in a string")
			}
			return string(buf), nil
		case c < 0x20:
			return "", p.errorf("control character %s in a string", p.describe())
		case c != '\\':
			buf = append(buf, c)
			p.pos++
			continue
		}
		p.pos++
		if p.pos >= len(d) {
			break
		}
		e := d[p.pos]
		p.pos++
		switch e {
		case '"', '\\', '/':
			buf = append(buf, e)
		case 'b':
			buf = append(buf, '\b')
		case 'f':
			buf = append(buf, '\f')
		case 'n':
			buf = append(buf, '\n')
		case 'r':
			buf = append(buf, '\r')
		case 't':
			buf = append(buf, '\t')
		case 'u':
			r, ok := p.hex4()
			if !ok {
				return "", p.errorf("invalid \\u escape in a string")
			}
			if utf16.IsSurrogate(r) {
				// A surrogate pair is two escapes. When the second is not
				// the low half, the first alone is U+FFFD and the second
				// is read on its own, as encoding/json does.
				pair := utf8.RuneError
				if p.pos+1 < len(d) && d[p.pos] == '\\' && d[p.pos+1] == 'u' {
					save := p.pos
					p.pos += 2
					if r2, ok2 := p.hex4(); ok2 {
						pair = utf16.DecodeRune(r, r2)
					}
					if pair == utf8.RuneError {
						p.pos = save
					}
				}
				r = pair
			}
			buf = utf8.AppendRune(buf, r)
		default:
			p.pos -= 2
			return "", p.errorf("invalid escape %q in a string", "\\"+string(e))
		}
	}
	return "", p.errorf("unexpected end of input in a string")
}

func (p *parser) hex4() (rune, bool) {
	if len(p.data)-p.pos < 4 {
		return 0, false
	}
	var r rune
	for _, c := range p.data[p.pos : p.pos+4] {
		r <<= 4
		switch {
		case c >= '0' && c <= '9':
			r |= rune(c - '0')
		case c >= 'a' && c <= 'f':
			r |= rune(c - 'a' + 10)
		case c >= 'A' && c <= 'F':
			r |= rune(c - 'A' + 10)
		default:
			return 0, false
		}
	}
	p.pos += 4
	return r, true
}
