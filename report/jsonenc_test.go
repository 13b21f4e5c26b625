package report

import (
	"encoding/json"
	"math/rand/v2"
	"testing"
)

// appendJSONString must write what encoding/json writes: every rune up
// to U+FFFF and a sample beyond, alone and in text, invalid UTF-8 and
// random byte strings.
func TestAppendJSONStringMatchesEncodingJSON(t *testing.T) {
	check := func(s string) {
		t.Helper()
		want, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		if got := appendJSONString(nil, s); string(got) != string(want) {
			t.Fatalf("appendJSONString(%q) = %s, want %s", s, got, want)
		}
	}
	for r := rune(0); r <= 0xffff; r++ {
		check(string(r))
		check("a<" + string(r) + "&b")
	}
	for r := rune(0x10000); r <= 0x10ffff; r += 97 {
		check(string(r))
	}
	for b := range 256 {
		check(string([]byte{byte(b)}))
		check("x" + string([]byte{byte(b), 0x80}) + "y")
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		buf := make([]byte, rng.IntN(24))
		for i := range buf {
			buf[i] = byte(rng.IntN(256))
		}
		check(string(buf))
	}
}
