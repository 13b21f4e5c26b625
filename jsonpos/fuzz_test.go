package jsonpos

import (
	"bytes"
	"encoding/json"
	"testing"
	"unicode/utf8"
)

func FuzzParse(f *testing.F) {
	for _, seed := range []string{
		`{}`, `[]`, `""`, `0`, `-1.5e+3`, `true`, `null`,
		`{"a":[1,2,{"b":"\u00e9\ud83d\ude00"}],"c":null}`,
		`{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}`,
		`[1,`, `{"a"`, "\"\x01\"", `"\ud800"`, `{"a":1}x`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		v, err := Parse(data)
		if err != nil {
			se, ok := err.(*SyntaxError)
			if !ok {
				t.Fatalf("error %T is not a *SyntaxError", err)
			}
			if se.Off < 0 || se.Off > len(data) {
				t.Fatalf("error offset %d outside the input (%d bytes)", se.Off, len(data))
			}
			// encoding/json accepts invalid UTF-8 and nests deeper; on
			// input free of both, the two parsers must agree.
			if json.Valid(data) && utf8.Valid(data) && bytes.Count(data, []byte("["))+bytes.Count(data, []byte("{")) < MaxDepth {
				t.Fatalf("Parse rejected JSON that encoding/json accepts: %v", err)
			}
			return
		}
		if !json.Valid(data) {
			t.Fatalf("Parse accepted input that encoding/json rejects")
		}
		checkSpans(t, v, 0, len(data))
	})
}

// checkSpans asserts that every value lies within its parent's span.
func checkSpans(t *testing.T, v *Value, lo, hi int) {
	t.Helper()
	if v.Off < lo || v.End > hi || v.Off >= v.End {
		t.Fatalf("%s span [%d,%d) outside its parent [%d,%d)", v.Kind, v.Off, v.End, lo, hi)
	}
	for i := range v.Elems {
		checkSpans(t, &v.Elems[i], v.Off+1, v.End-1)
	}
	for i := range v.Members {
		m := &v.Members[i]
		if m.KeyOff <= v.Off || m.KeyOff >= m.Value.Off {
			t.Fatalf("key %q offset %d not between its object start %d and its value %d", m.Key, m.KeyOff, v.Off, m.Value.Off)
		}
		checkSpans(t, &m.Value, v.Off+1, v.End-1)
	}
}
