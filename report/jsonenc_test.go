package report

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/iamscan/iamscan/policy"
	"github.com/iamscan/iamscan/rules"
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

// appendFinding must write what encoding/json writes for a finding, and
// must learn about any field the finding types gain.
func TestAppendFindingMatchesEncodingJSON(t *testing.T) {
	fields := func(v any) []string {
		var out []string
		ty := reflect.TypeOf(v)
		for i := range ty.NumField() {
			out = append(out, ty.Field(i).Name+" "+string(ty.Field(i).Tag))
		}
		return out
	}
	for _, c := range []struct {
		v    any
		want []string
	}{
		{rules.Finding{}, []string{`RuleID json:"ruleId"`, `Severity json:"severity"`, `Resource json:"resource"`,
			`Principal json:"principal,omitempty"`, `Policy json:"policy,omitempty"`, `Sid json:"sid,omitempty"`,
			`Message json:"message"`, `Location json:"location"`, `Fingerprint json:"fingerprint"`, `Suppression json:"suppression,omitempty"`}},
		{policy.Location{}, []string{`File json:"file,omitempty"`, `Line json:"line,omitempty"`, `Col json:"col,omitempty"`,
			`EndLine json:"endLine,omitempty"`, `EndCol json:"endCol,omitempty"`}},
		{rules.Suppression{}, []string{`Reason json:"reason"`, `Expires json:"expires,omitzero"`, `Source json:"source,omitempty"`}},
	} {
		if got := fields(c.v); !slices.Equal(got, c.want) {
			t.Fatalf("%T has fields %q; appendFinding writes %q: update both", c.v, got, c.want)
		}
	}

	r := fixtureReport()
	fs := append(r.Findings, manyFindings(r, 200)...)
	hostile := "a\"b\\c<d>&e\u2028\x01\x7f\xff é 😀"
	expires := time.Date(2027, 1, 2, 3, 4, 5, 600, time.FixedZone("x", 3600))
	fs = append(fs,
		rules.Finding{},
		rules.Finding{RuleID: hostile, Severity: rules.Severity(42), Resource: hostile, Principal: hostile, Policy: hostile, Sid: hostile,
			Message: hostile, Fingerprint: hostile, Location: policy.Location{File: hostile, Line: -1, Col: 2, EndLine: 0, EndCol: 4}},
		rules.Finding{Location: policy.Location{Line: 5}},
		rules.Finding{Location: policy.Location{EndCol: 5}, Suppression: &rules.Suppression{}},
		rules.Finding{Suppression: &rules.Suppression{Reason: hostile, Expires: expires, Source: hostile}},
	)
	var want bytes.Buffer
	enc := json.NewEncoder(&want)
	for i := range fs {
		want.Reset()
		if err := enc.Encode(&fs[i]); err != nil {
			t.Fatal(err)
		}
		got, err := appendFinding(nil, &fs[i])
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want.Bytes()) {
			t.Fatalf("finding %d:\n got %s\nwant %s", i, got, want.Bytes())
		}
	}
}
