package report

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/iamscan/iamscan/policy"
	"github.com/iamscan/iamscan/rules"
)

// writeAll runs every format on a report and returns the outputs by name.
func writeAll(t testing.TB, r *Report) map[Format][]byte {
	t.Helper()
	out := map[Format][]byte{}
	for _, f := range formats {
		var buf bytes.Buffer
		if err := f.write(&buf, r); err != nil {
			t.Fatalf("%s: %v", f.name, err)
		}
		out[f.name] = buf.Bytes()
	}
	return out
}

// Writers get reports that no scan should produce, and must still write
// well-formed output rather than panic.
func TestOddReports(t *testing.T) {
	withFinding := func(f rules.Finding) *Report {
		r := fixtureReport()
		r.Findings = []rules.Finding{f}
		return r
	}
	tests := []struct {
		name string
		r    *Report
	}{
		{"empty", &Report{}},
		{"no inputs, account-level finding", &Report{Findings: []rules.Finding{{RuleID: "IAM020", Severity: rules.Critical, Message: "m", Fingerprint: "f"}}}},
		{"finding of a rule not in the report", withFinding(rules.Finding{RuleID: "IAM999", Severity: rules.Low, Resource: "r", Message: "m", Fingerprint: "f"})},
		{"line without file", withFinding(rules.Finding{RuleID: "IAM001", Severity: rules.High, Message: "m", Fingerprint: "f", Location: policy.Location{Line: 3, Col: 1}})},
		{"absolute path outside the root", withFinding(rules.Finding{RuleID: "IAM001", Severity: rules.High, Message: "m", Fingerprint: "f", Location: policy.Location{File: "/etc/iam/a b.json", Line: 1}})},
		{"invalid UTF-8 and NUL", withFinding(rules.Finding{RuleID: "IAM001", Severity: rules.Medium, Resource: "arn:\xff\xfe\x00", Message: "bad \xc3\x28 \x00 end", Fingerprint: "f"})},
		{"only suppressed", withFinding(rules.Finding{RuleID: "IAM001", Severity: rules.Critical, Message: "m", Fingerprint: "f", Suppression: &rules.Suppression{Reason: "ok"}})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := writeAll(t, tt.r)
			validateSARIF(t, out[FormatSARIF])
			if !json.Valid(out[FormatJSON]) {
				t.Error("JSON report is not valid JSON")
			}
			if _, err := csv.NewReader(bytes.NewReader(out[FormatCSV])).ReadAll(); err != nil {
				t.Errorf("CSV: %v", err)
			}
			checkHTMLStructure(t, out[FormatHTML])
		})
	}
}

// checkHTMLStructure parses the page as a browser would and checks that
// input added no element or attribute: exactly our two script elements,
// no event-handler attributes, no javascript: URLs.
func checkHTMLStructure(t *testing.T, page []byte) {
	t.Helper()
	z := html.NewTokenizer(bytes.NewReader(page))
	scripts := 0
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
			continue
		}
		tok := z.Token()
		switch tok.Data {
		case "script":
			scripts++
		case "img", "iframe", "object", "embed", "base", "link", "form":
			t.Errorf("unexpected <%s> element", tok.Data)
		}
		for _, a := range tok.Attr {
			if strings.HasPrefix(strings.ToLower(a.Key), "on") {
				t.Errorf("<%s> has an event handler attribute %s=%q", tok.Data, a.Key, a.Val)
			}
			if strings.HasPrefix(strings.ToLower(strings.TrimSpace(a.Val)), "javascript:") {
				t.Errorf("<%s %s> is a javascript: URL", tok.Data, a.Key)
			}
		}
	}
	if scripts != 2 {
		t.Errorf("%d script elements, want 2 (data and code)", scripts)
	}
}

// checkNoControlCharacters fails when the page holds a control character
// other than tab and newline: input must not reach a terminal that
// prints the file.
func checkNoControlCharacters(t *testing.T, page []byte) {
	t.Helper()
	for i, c := range string(page) {
		if isControl(c) && c != '\t' && c != '\n' {
			t.Fatalf("page has control character %U at byte %d: %q", c, i, page[max(0, i-40):min(len(page), i+40)])
		}
	}
}

// FuzzHTMLEscaping puts arbitrary strings in every input-derived field
// and checks that the page's structure does not change and the embedded
// data still parses to the same strings.
func FuzzHTMLEscaping(f *testing.F) {
	for _, s := range []string{xssRole, xssSid, xssMessage, formula, ansi, "</script", "<!--<script>", "\u2028\u2029", "]]>", "{{.}}"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r := fixtureReport()
		r.Findings = append(r.Findings, rules.Finding{
			RuleID: "IAM001", Severity: rules.High, Resource: s, Principal: s, Policy: s, Sid: s, Message: s,
			Location: policy.Location{File: s, Line: 1}, Fingerprint: s,
		}, rules.Finding{
			RuleID: "IAM001", Severity: rules.Low, Resource: s, Message: s, Fingerprint: s + "x",
			Suppression: &rules.Suppression{Reason: s, Source: s},
		})
		r.Problems = append(r.Problems, policy.Problem{Loc: policy.Location{File: s}, Message: s})
		r.Scan.AccountID = s
		page := writeHTML(t, r)
		checkHTMLStructure(t, page)
		checkNoControlCharacters(t, page)
		start := bytes.Index(page, []byte(`id="iamscan-data">`))
		end := bytes.Index(page[start:], []byte("</script>"))
		var data struct{ Strings []string }
		if err := json.Unmarshal(page[start+len(`id="iamscan-data">`):start+end], &data); err != nil {
			t.Fatalf("embedded data does not parse: %v", err)
		}
		// encoding/json turns each invalid UTF-8 byte into U+FFFD; that
		// is the string a reader of the page can get back.
		var want string
		b, _ := json.Marshal(s)
		json.Unmarshal(b, &want)
		// The page shows control characters and bidi overrides as the
		// text summary does, escaped.
		want = plain(want)
		found := false
		for _, got := range data.Strings {
			if got == want {
				found = true
			}
		}
		if !found {
			t.Errorf("embedded data lost the string %q", s)
		}
	})
}
