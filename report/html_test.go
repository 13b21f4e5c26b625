package report

import (
	"bufio"
	"bytes"
	"encoding/json"
	"html"
	"regexp"
	"strings"
	"testing"
	"time"
)

func writeHTML(t testing.TB, r *Report) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := HTML(&buf, r); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestHTMLGolden(t *testing.T) {
	r := fixtureReport()
	got := writeHTML(t, r)
	golden(t, "report.html", got)
	if again := writeHTML(t, r); !bytes.Equal(got, again) {
		t.Error("two HTML writes of the same report differ")
	}
}

// Every hostile string from the fixture appears only escaped: no element
// or attribute an input string could have opened.
func TestHTMLEscapesInput(t *testing.T) {
	page := string(writeHTML(t, fixtureReport()))
	for _, bad := range []string{"<img", "<svg onload", "window.__xss=2</script>", "</td><script>", "onerror=\""} {
		if strings.Contains(page, bad) {
			t.Errorf("page contains unescaped %q", bad)
		}
	}
	// Exactly two script elements: the JSON data and our script.
	if n := strings.Count(strings.ToLower(page), "<script"); n != 2 {
		t.Errorf("%d <script elements, want 2", n)
	}
	// The escaped forms are there (the strings are shown, not dropped).
	for _, want := range []string{"&lt;img src=x onerror=", "&lt;/script&gt;&lt;script&gt;window.__xss=2"} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks escaped %q", want)
		}
	}
}

// Control characters in input names are shown, not written raw: the
// fixture's "\x1b[2J\x1b[31mfake" would clear a terminal that prints the
// page. Bidi overrides are shown too, so a name cannot reorder what a
// row says.
func TestHTMLShowsControlCharacters(t *testing.T) {
	r := fixtureReport()
	for i := range r.Findings {
		if r.Findings[i].Suppressed() {
			r.Findings[i].Suppression.Reason = "csi\u009b2J del\x7f cr\r"
		}
	}
	r.Problems[0].Message = "bell\x07"
	page := writeHTML(t, r)
	checkNoControlCharacters(t, page)
	for _, want := range []string{`csi\u009b2J del\x7f cr\r`, `bell\a`, `inline:\\x1b[2J\\x1b[31mfake\\u202e`, `\x1b[2J\x1b[31mfake\u202e</td>`} {
		if !bytes.Contains(page, []byte(want)) {
			t.Errorf("page lacks the visible escape %s", want)
		}
	}
}

func TestWriteVisible(t *testing.T) {
	for in, want := range map[string]string{
		"a\x1bb":                     `a\x1bb`,
		"a\u009bb \u00a9 \u00b7":     `a\u009bb` + " \u00a9 \u00b7",
		"\t\n\r\x00\x7f":             "\t\n" + `\r\x00\x7f`,
		"abc\u202edef \u2066x\u2069": `abc\u202edef \u2066x\u2069`,
		"bad \xc2 utf-8 \xff":        "bad \xc2 utf-8 \xff",
		"caf\u00e9 \u65e5\u672c":     "caf\u00e9 \u65e5\u672c",
	} {
		var buf bytes.Buffer
		bw := bufio.NewWriter(&buf)
		writeVisible(bw, []byte(in))
		bw.Flush()
		if buf.String() != want {
			t.Errorf("writeVisible(%q) = %q, want %q", in, buf.String(), want)
		}
	}
}

func TestHTMLDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{
		0: "0 s", 400 * time.Microsecond: "1 ms", 225460349 * time.Nanosecond: "225 ms", 1234 * time.Millisecond: "1.2 s",
		59*time.Second + 940*time.Millisecond: "59.9 s", 185 * time.Second: "3 min 5 s",
	} {
		if got := htmlDuration(d); got != want {
			t.Errorf("htmlDuration(%v) = %q, want %q", d, got, want)
		}
	}
}

// ARNs and paths break only after their separators.
func TestBreakable(t *testing.T) {
	seg := func(parts ...string) string {
		return `<span class="seg">` + strings.Join(parts, `</span><wbr><span class="seg">`) + `</span>`
	}
	for in, want := range map[string]string{
		"arn:aws:iam::111122223333:policy/Legacy-Everything": seg("arn:", "aws:", "iam::", "111122223333:", "policy/", "Legacy-Everything"),
		"/tmp/a b/<x>.json:12":                               seg("/", "tmp/", "a b/", "&lt;x&gt;.json:12"),
		"x.json:12:4":                                        seg("x.json:", "12:4"),
		"see https://x.example/a":                            seg("see https://", "x.example/", "a"),
		"plain & simple":                                     "plain &amp; simple",
		"ends/":                                              seg("ends/"),
	} {
		if got := string(breakable(in)); got != want {
			t.Errorf("breakable(%q) = %q, want %q", in, got, want)
		}
	}
}

var cspPattern = regexp.MustCompile(`<meta http-equiv="Content-Security-Policy" content="([^"]+)">`)

func TestHTMLContentSecurityPolicy(t *testing.T) {
	page := string(writeHTML(t, fixtureReport()))
	m := cspPattern.FindStringSubmatch(page)
	if m == nil {
		t.Fatal("no Content-Security-Policy meta tag")
	}
	csp := html.UnescapeString(m[1]) // as the browser reads the attribute
	for _, want := range []string{"default-src 'none'", "script-src 'sha256-", "style-src 'sha256-", "base-uri 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %q", csp, want)
		}
	}
	if strings.Contains(csp, "unsafe") {
		t.Errorf("CSP %q allows unsafe sources", csp)
	}
	// The hash names the script that is actually inline.
	p, _ := htmlPage()
	if !strings.Contains(page, "<script>"+string(p.script)+"</script>") || !strings.Contains(csp, cspHash([]byte(p.script))) {
		t.Error("inline script and its CSP hash do not match")
	}
	// Nothing is loaded from elsewhere.
	for _, bad := range []string{"src=\"", "<link", "@import", "url("} {
		if strings.Contains(page, bad) {
			t.Errorf("page references an external resource: %q", bad)
		}
	}
}

func TestHTMLSummaryWithoutJavaScript(t *testing.T) {
	page := string(writeHTML(t, fixtureReport()))
	for _, want := range []string{
		`id="count-open">4<`, `id="count-critical">2<`, `id="count-low">2<`, `id="count-high">0<`, `id="count-suppressed">1<`,
		`id="rules-not-evaluable">1<`, `id="rules-error">1<`,
		"Suppressed findings (1)", "break-glass role &lt;/td&gt;&lt;script&gt;",
		"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
		"action-catalog", "Remediation:",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
}

func TestHTMLDataCannotCloseScript(t *testing.T) {
	r := fixtureReport()
	r.Findings[0].Message = "</script><script>alert(1)</script>\u2028<!--"
	var buf bytes.Buffer
	bw := bufio.NewWriter(&buf)
	if err := writeHTMLData(bw, r); err != nil {
		t.Fatal(err)
	}
	bw.Flush()
	data := buf.Bytes()
	if !json.Valid(data) {
		t.Fatalf("embedded data is not JSON: %s", data)
	}
	for _, bad := range []string{"</", "<!--", "\u2028"} {
		if bytes.Contains(data, []byte(bad)) {
			t.Errorf("embedded data contains %q", bad)
		}
	}
}
