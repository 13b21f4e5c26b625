package report

import (
	"bufio"
	"bytes"
	"encoding/json"
	"html"
	"regexp"
	"strings"
	"testing"
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
