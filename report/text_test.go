package report

import (
	"bytes"
	"encoding/csv"
	"strconv"
	"strings"
	"testing"

	"github.com/iamscan/iamscan/snapshot"
)

func render(t *testing.T, f func(w *bytes.Buffer) error) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := f(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestTextFormatsGolden(t *testing.T) {
	r := fixtureReport()
	tests := []struct {
		golden string
		write  func(*bytes.Buffer, *Report) error
	}{
		{"report.csv", func(b *bytes.Buffer, r *Report) error { return CSV(b, r) }},
		{"report.md", func(b *bytes.Buffer, r *Report) error { return Markdown(b, r) }},
		{"report.txt", func(b *bytes.Buffer, r *Report) error { return Text(b, r) }},
	}
	for _, tt := range tests {
		t.Run(tt.golden, func(t *testing.T) {
			got := render(t, func(b *bytes.Buffer) error { return tt.write(b, r) })
			golden(t, tt.golden, got)
			if again := render(t, func(b *bytes.Buffer) error { return tt.write(b, r) }); !bytes.Equal(got, again) {
				t.Error("two writes of the same report differ")
			}
		})
	}
}

func TestCSV(t *testing.T) {
	r := fixtureReport()
	rows, err := csv.NewReader(bytes.NewReader(render(t, func(b *bytes.Buffer) error { return CSV(b, r) }))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(r.Findings)+1 {
		t.Fatalf("%d rows, want header + %d", len(rows), len(r.Findings))
	}
	if strings.Join(rows[0], ",") != strings.Join(CSVColumns, ",") {
		t.Errorf("header %v", rows[0])
	}
	col := map[string]int{}
	for i, c := range CSVColumns {
		col[c] = i
	}
	states := map[string]int{}
	for i, row := range rows[1:] {
		f := r.Findings[i]
		if row[col["fingerprint"]] != f.Fingerprint || row[col["rule_id"]] != f.RuleID {
			t.Errorf("row %d = %v, want finding %s", i, row[:2], f.Fingerprint)
		}
		states[row[col["state"]]]++
		for j, cell := range row {
			if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
				t.Errorf("row %d column %s starts with a formula character: %q", i, CSVColumns[j], cell)
			}
		}
	}
	if states["open"] != 4 || states["suppressed"] != 1 {
		t.Errorf("states %v, want 4 open and 1 suppressed", states)
	}
}

func TestCSVCell(t *testing.T) {
	tests := []struct{ in, want string }{
		{"=1+2", "'=1+2"}, {"+1", "'+1"}, {"-1", "'-1"}, {"@SUM(A1)", "'@SUM(A1)"},
		{"\tx", "'\tx"}, {"a=1", "a=1"}, {"", ""}, {"arn:aws:iam::1:root", "arn:aws:iam::1:root"},
		// Control characters other than tab and newline are shown, not
		// sent to the terminal that prints the file.
		{"\rx", `\rx`}, {"a\x1b[2Jb", `a\x1b[2Jb`}, {"\x1b]0;title\x07", `\x1b]0;title\a`}, {"del\x7f", `del\x7f`},
		{"csi\u009b31m", `csi\u009b31m`}, {"two\nlines", "two\nlines"}, {"tab\there", "tab\there"},
		{"\x00=1", `\x00=1`}, {"=\x1b", `'=\x1b`}, {"r\u00e9sum\u00e9 \u202e", "r\u00e9sum\u00e9 \u202e"},
	}
	for _, tt := range tests {
		if got := csvCell(tt.in); got != tt.want {
			t.Errorf("csvCell(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// No control character from the input reaches the CSV file: printing it
// with cat cannot clear the screen or recolour the terminal.
func TestCSVHasNoControlCharacters(t *testing.T) {
	r := fixtureReport()
	r.Findings[0].Sid = "csi\u009b2J del\x7f cr\r bell\x07"
	out := render(t, func(b *bytes.Buffer) error { return CSV(b, r) })
	for i, c := range string(out) {
		if isControl(c) && c != '\n' {
			t.Fatalf("CSV has control character %U at byte %d", c, i)
		}
	}
	for _, want := range []string{`inline:\x1b[2J\x1b[31mfake`, `csi\u009b2J del\x7f cr\r bell\a`} {
		if !bytes.Contains(out, []byte(want)) {
			t.Errorf("CSV lacks the visible escape %s", want)
		}
	}
}

func TestMarkdownEscapesInput(t *testing.T) {
	md := string(render(t, func(b *bytes.Buffer) error { return Markdown(b, fixtureReport()) }))
	for _, bad := range []string{"<img", "<svg", "<script", "</td>", "https://evil", "\x1b", "\u202e"} {
		if strings.Contains(md, bad) {
			t.Errorf("Markdown contains unescaped %q", bad)
		}
	}
	for _, want := range []string{"| critical | 2 |", "| low | 2 |", "4 open findings", "1 suppressed", "IAM024", "input has no credential\\-report", "2 input problems, 1 collection errors",
		"- GetCredentialReport: AccessDenied: not authorized &lt;img", "; missing: credential\\-report"} {
		if !strings.Contains(md, want) {
			t.Errorf("Markdown lacks %q", want)
		}
	}
	// Each table row must keep its five cells: an input "|" must not add one.
	for _, line := range strings.Split(md, "\n") {
		if strings.HasPrefix(line, "| critical |") || !strings.HasPrefix(line, "| ") || strings.Count(line, "|") < 6 {
			continue
		}
		if n := strings.Count(line, "|") - strings.Count(line, `\|`); n != 6 {
			t.Errorf("table row has %d unescaped pipes, want 6: %s", n, line)
		}
	}
}

func TestMdEscape(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain words", "plain words"},
		{"a|b", `a\|b`},
		{"<b>x</b>", "&lt;b&gt;x&lt;/b&gt;"},
		{"[x](y)", `\[x\]\(y\)`},
		{"https://e.x", `https\://e\.x`},
		{"*_`#", "\\*\\_\\`\\#"},
		{"line\nbreak", `line\\nbreak`}, // renders as the two characters \n
	}
	for _, tt := range tests {
		if got := mdEscape(tt.in); got != tt.want {
			t.Errorf("mdEscape(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestTextSummary(t *testing.T) {
	txt := string(render(t, func(b *bytes.Buffer) error { return Text(b, fixtureReport()) }))
	for _, want := range []string{
		"findings: 4 open (critical 2, high 0, medium 0, low 2, info 0), 1 suppressed",
		"fixtures/auth details.json:12",
		"(account)  arn:aws:iam::123456789012:root",
		"IAM024  input has no credential-report",
		"input problems: 2 (",
		// Which call failed and what it leaves out, not only how many.
		"collection errors: 1 AWS call failed",
		"  GetCredentialReport  AccessDenied: not authorized <img src=x",
		"           missing: credential-report\n",
	} {
		if !strings.Contains(txt, want) {
			t.Errorf("text summary lacks %q:\n%s", want, txt)
		}
	}
	if strings.ContainsAny(txt, "\x1b\u202e") {
		t.Error("text summary passes control characters from input to the terminal")
	}
	if strings.Contains(txt, "BreakGlass") {
		t.Error("text summary lists a suppressed finding among the top findings")
	}
}

// A collection error with several missing kinds, or none recorded, and
// hostile text in it.
func TestTextCollectionErrors(t *testing.T) {
	r := fixtureReport()
	r.CollectionErrors = []snapshot.CollectionError{
		{Operation: "GetAccountAuthorizationDetails", Code: "Throttling", Message: "rate exceeded\x1b[2J", Missing: []snapshot.Data{snapshot.DataAuthorizationDetails, snapshot.DataPolicies}},
		{Operation: "ListVirtualMFADevices", Code: "AccessDenied", Message: "no"},
		{Operation: "ListParents", Code: "AccessDeniedException", Message: "member account", Missing: []snapshot.Data{snapshot.DataOrganizationPolicies}, Expected: true},
	}
	txt := string(render(t, func(b *bytes.Buffer) error { return Text(b, r) }))
	for _, want := range []string{
		"collection errors: 3 AWS calls failed",
		"  GetAccountAuthorizationDetails  Throttling: rate exceeded\\x1b[2J\n           missing: authorization-details, policies\n",
		"  ListVirtualMFADevices  AccessDenied: no\n           missing: nothing recorded\n",
		"  ListParents  AccessDeniedException: member account (expected: only the management account and delegated administrators can read AWS Organizations)\n           missing: organization-policies\n",
	} {
		if !strings.Contains(txt, want) {
			t.Errorf("text summary lacks %q:\n%s", want, txt)
		}
	}
}

// The printable-ASCII short cut of plain and visibleControls must not
// change what they return: every rune up to U+3000, alone and between
// ASCII letters, against the rune-by-rune definitions.
func TestEscapersShortCut(t *testing.T) {
	byRune := func(s string, unsafe func(rune) bool) string {
		var b strings.Builder
		for _, r := range s {
			if unsafe(r) {
				q := strconv.QuoteRuneToASCII(r)
				b.WriteString(q[1 : len(q)-1])
				continue
			}
			b.WriteRune(r)
		}
		return b.String()
	}
	control := func(r rune) bool { return isControl(r) && r != '\t' && r != '\n' }
	for r := rune(0); r <= 0x3000; r++ {
		for _, s := range []string{string(r), "a" + string(r) + "b"} {
			if got, want := plain(s), byRune(s, unsafeRune); got != want {
				t.Fatalf("plain(%q) = %q, want %q", s, got, want)
			}
			if got, want := visibleControls(s, "\t\n"), byRune(s, control); got != want {
				t.Fatalf("visibleControls(%q) = %q, want %q", s, got, want)
			}
		}
	}
}

func TestPlain(t *testing.T) {
	tests := []struct{ in, want string }{
		{"ok", "ok"}, {"a\nb", `a\nb`}, {"\x1b[31m", `\x1b[31m`}, {"x\u202ey", `x\u202ey`}, {"é", "é"},
	}
	for _, tt := range tests {
		if got := plain(tt.in); got != tt.want {
			t.Errorf("plain(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
