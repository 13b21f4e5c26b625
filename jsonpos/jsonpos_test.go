package jsonpos

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

func TestParseValues(t *testing.T) {
	tests := []struct {
		in   string
		kind Kind
		str  string
		b    bool
	}{
		{`null`, Null, "", false},
		{` true `, Bool, "", true},
		{`false`, Bool, "", false},
		{`0`, Number, "0", false},
		{`-12.5e+3`, Number, "-12.5e+3", false},
		{`1E9`, Number, "1E9", false},
		{`""`, String, "", false},
		{`"plain"`, String, "plain", false},
		{`"a\"b\\c\/d\b\f\n\r\t"`, String, "a\"b\\c/d\b\f\n\r\t", false},
		{`"\u00e9\u4e2d"`, String, "é中", false},
		{`"\ud83d\ude00"`, String, "😀", false},
		{`"\ud800"`, String, "\ufffd", false},
		{`"\ud800\u0041"`, String, "\ufffdA", false},
		{`"\udc00x"`, String, "\ufffdx", false},
		{`"é 中"`, String, "é 中", false},
	}
	for _, tt := range tests {
		v, err := Parse([]byte(tt.in))
		if err != nil {
			t.Errorf("Parse(%s): %v", tt.in, err)
			continue
		}
		if v.Kind != tt.kind || v.Str != tt.str || v.Bool != tt.b {
			t.Errorf("Parse(%s) = %s %q %v; want %s %q %v", tt.in, v.Kind, v.Str, v.Bool, tt.kind, tt.str, tt.b)
		}
		// encoding/json decodes every string the same way.
		if tt.kind == String {
			var want string
			if err := json.Unmarshal([]byte(tt.in), &want); err != nil || want != v.Str {
				t.Errorf("Parse(%s) = %q, encoding/json says %q (%v)", tt.in, v.Str, want, err)
			}
		}
		trimmed := strings.TrimSpace(tt.in)
		if off := strings.Index(tt.in, trimmed); v.Off != off || v.End != off+len(trimmed) {
			t.Errorf("Parse(%s) span [%d,%d), want [%d,%d)", tt.in, v.Off, v.End, off, off+len(trimmed))
		}
	}
}

func TestParseTree(t *testing.T) {
	in := `{"a": [1, {"b": null}], "a": "dup", "": {}}`
	v, err := Parse([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	type span struct {
		key      string
		off, end int
	}
	var got []span
	for _, m := range v.Members {
		got = append(got, span{m.Key, m.Value.Off, m.Value.End})
	}
	want := []span{{"a", 6, 22}, {"a", 29, 34}, {"", 40, 42}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("members = %v, want %v", got, want)
	}
	if g := v.Get("a"); g == nil || g.Kind != Array || len(g.Elems) != 2 {
		t.Errorf("Get returns the first duplicate: %+v", g)
	}
	inner := v.Members[0].Value.Elems[1]
	if inner.Off != 10 || inner.End != 21 || inner.Members[0].KeyOff != 11 || inner.Get("b").Kind != Null || inner.Get("x") != nil {
		t.Errorf("inner object = %+v", inner)
	}
	if e := v.Get(""); e.Members == nil || len(e.Members) != 0 {
		t.Errorf("empty object members = %#v", e.Members)
	}
	if a, _ := Parse([]byte(`[]`)); a.Elems == nil || len(a.Elems) != 0 {
		t.Errorf("empty array elems = %#v", a.Elems)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		in  string
		off int
		msg string
	}{
		{``, 0, "unexpected end of input, expected a value"},
		{`   `, 3, "unexpected end of input, expected a value"},
		{`{`, 1, "unexpected end of input in an object, expected a quoted key"},
		{`{"a"`, 4, "unexpected end of input after an object key, expected ':'"},
		{`{"a":1,}`, 7, `unexpected "}" in an object, expected a quoted key`},
		{`{"a":1 "b":2}`, 7, `unexpected "\"" in an object, expected ',' or '}'`},
		{`{a:1}`, 1, `unexpected "a" in an object, expected a quoted key`},
		{`[1,]`, 3, `unexpected "]", expected a value`},
		{`[1 2]`, 3, `unexpected "2" in an array, expected ',' or ']'`},
		{`[1`, 2, "unexpected end of input in an array, expected ',' or ']'"},
		{`"abc`, 4, "unexpected end of input in a string"},
		{`"a\`, 3, "unexpected end of input in a string"},
		{"\"a\x01\"", 2, "control character byte 0x01 in a string"},
		{`"\x"`, 1, `invalid escape "\\x" in a string`},
		{`"\u12"`, 3, `invalid \u escape in a string`},
		{"\"\xff\"", 1, "invalid UTF-8 in a string"},
		{`tru`, 0, "invalid literal, expected true"},
		{`nul`, 0, "invalid literal, expected null"},
		{`-`, 1, "invalid number"},
		{`01`, 1, `unexpected "1" after the top-level value`},
		{`1.`, 2, "invalid number: no digits after the decimal point"},
		{`1e`, 2, "invalid number: no digits in the exponent"},
		{`{} {}`, 3, `unexpected "{" after the top-level value`},
		{"\x00", 0, "unexpected byte 0x00, expected a value"},
		{strings.Repeat("[", MaxDepth+2), MaxDepth + 1, "nesting deeper than 512 levels"},
	}
	for _, tt := range tests {
		_, err := Parse([]byte(tt.in))
		se, ok := err.(*SyntaxError)
		if !ok {
			t.Errorf("Parse(%q) error = %v, want a *SyntaxError", tt.in, err)
			continue
		}
		if se.Off != tt.off || se.Msg != tt.msg {
			t.Errorf("Parse(%q) = %d %q; want %d %q", tt.in, se.Off, se.Msg, tt.off, tt.msg)
		}
		if json.Valid([]byte(tt.in)) && !strings.Contains(tt.msg, "nesting") && !strings.Contains(tt.msg, "UTF-8") {
			t.Errorf("Parse(%q) fails but encoding/json accepts it", tt.in)
		}
	}
}

func TestLines(t *testing.T) {
	data := []byte("ab\ncd\n\nef")
	l := NewLines(data)
	tests := []struct{ off, line, col int }{
		{0, 1, 1}, {1, 1, 2}, {2, 1, 3}, {3, 2, 1}, {5, 2, 3}, {6, 3, 1}, {7, 4, 1}, {8, 4, 2}, {9, 4, 3},
	}
	for _, tt := range tests {
		if line, col := l.Pos(tt.off); line != tt.line || col != tt.col {
			t.Errorf("Pos(%d) = %d:%d, want %d:%d", tt.off, line, col, tt.line, tt.col)
		}
	}
}

func TestKindString(t *testing.T) {
	for k, want := range map[Kind]string{Null: "null", Bool: "boolean", Number: "number", String: "string", Array: "array", Object: "object", Kind(99): "invalid"} {
		if k.String() != want {
			t.Errorf("%d.String() = %q, want %q", k, k.String(), want)
		}
	}
}

// TestPosNear: every offset, asked in any order from any earlier
// position, gives what Pos gives, and offsets outside the input clamp.
func TestPosNear(t *testing.T) {
	data := []byte(strings.Repeat("a\n\nbcd\n", 50) + "tail")
	l := NewLines(data)
	for _, start := range []int{-1, 0, 3, 80, 10000} {
		var c Cursor
		l.PosNear(start, &c)
		for _, off := range []int{0, 1, 2, 5, 6, 7, 200, 199, 3, 349, 350, 353, 354, 2} {
			wl, wc := l.Pos(off)
			if gl, gc := l.PosNear(off, &c); gl != wl || gc != wc {
				t.Errorf("PosNear(%d) after %d = %d:%d, want %d:%d", off, start, gl, gc, wl, wc)
			}
		}
	}
	// Against a plain count, for every offset, walking backwards.
	var c Cursor
	for off := len(data); off >= 0; off-- {
		wantLine := 1 + strings.Count(string(data[:off]), "\n")
		wantCol := off - (strings.LastIndex(string(data[:off]), "\n") + 1) + 1
		if gl, gc := l.PosNear(off, &c); gl != wantLine || gc != wantCol {
			t.Fatalf("PosNear(%d) walking back = %d:%d, want %d:%d", off, gl, gc, wantLine, wantCol)
		}
	}
	if line, col := l.Pos(len(data) + 5); line != 151 || col != 5 {
		t.Errorf("Pos past the end = %d:%d, want the end, 151:5", line, col)
	}
	if line, col := l.Pos(-3); line != 1 || col != 1 {
		t.Errorf("Pos before the start = %d:%d, want 1:1", line, col)
	}
}

// White space is skipped eight spaces at a time; runs of every length,
// mixed with the other white space characters, must end where they end.
func TestWhiteSpaceRuns(t *testing.T) {
	for n := range 41 {
		for _, ws := range []string{" ", "\n", "\t", "\r", " \n", "\n "} {
			pad := strings.Repeat(" ", n) + ws + strings.Repeat(" ", n%9)
			in := "{" + pad + `"k"` + pad + ":" + pad + `[` + pad + `1` + pad + `]` + pad + "}" + pad
			v, err := Parse([]byte(in))
			if err != nil {
				t.Fatalf("Parse(%q): %v", in, err)
			}
			m := v.Members[0]
			if want := 1 + len(pad); m.KeyOff != want {
				t.Fatalf("%q: key at %d, want %d", in, m.KeyOff, want)
			}
			if want := strings.Index(in, "["); m.Value.Off != want || m.Value.Elems[0].Off != strings.Index(in, "1") {
				t.Fatalf("%q: array at %d, element at %d", in, m.Value.Off, m.Value.Elems[0].Off)
			}
			if v.End != len(in)-len(pad) {
				t.Fatalf("%q: object ends at %d, want %d", in, v.End, len(in)-len(pad))
			}
		}
	}
}

// The intern table keeps one string per slot; far more distinct short
// strings and keys than slots must still come back right.
func TestInternTableCollisions(t *testing.T) {
	var b strings.Builder
	b.WriteString("[")
	var want []string
	for i := range 3000 {
		s := strings.Repeat("x", i%7) + strconv.Itoa(i*7919%3000)
		want = append(want, s, s)
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `{%q:%q}`, s, s)
	}
	b.WriteString("]")
	v, err := Parse([]byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	for i, e := range v.Elems {
		if m := e.Members[0]; m.Key != want[2*i] || m.Value.Str != want[2*i+1] {
			t.Fatalf("element %d = {%q: %q}, want {%q: %q}", i, m.Key, m.Value.Str, want[2*i], want[2*i+1])
		}
	}
}
