package report

import (
	"strconv"
	"strings"
	"unicode"
)

// Input strings (role names, Sids, messages quoting them) are hostile
// until shown otherwise. Each text format has its own escaper here; HTML
// escaping is html/template's job.

// plain makes a string safe for a terminal or a one-line cell: control
// characters (ANSI escapes, newlines, bidi overrides) become visible
// \u escapes, so input cannot move the cursor or fake another line.
func plain(s string) string {
	if !strings.ContainsFunc(s, unsafeRune) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if unsafeRune(r) {
			q := strconv.QuoteRuneToASCII(r) // e.g. '\x1b' or '\u202e'
			b.WriteString(q[1 : len(q)-1])
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

func unsafeRune(r rune) bool {
	return unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) || r == '\u2028' || r == '\u2029'
}

// mdEscape makes input text inert in GitHub-flavoured Markdown, inside a
// table cell or a list item: every punctuation character Markdown could
// read as syntax is backslash-escaped, characters HTML would read become
// entities, and '.' and ':' are escaped too so that "https://x" and
// "www.x" do not turn into links.
func mdEscape(s string) string {
	s = plain(s)
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '&':
			b.WriteString("&amp;")
		case '"':
			b.WriteString("&quot;")
		case '\\', '`', '*', '_', '{', '}', '[', ']', '(', ')', '#', '+', '-', '.', '!', '|', '~', ':', '@', '=', '$', '\'':
			b.WriteByte('\\')
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// csvCell defuses spreadsheet formula injection: a cell that starts with
// = + - @ (or a tab or carriage return, which some spreadsheets skip
// before looking for a formula) gets a leading apostrophe, as OWASP
// recommends. encoding/csv does the quoting.
func csvCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
