package report

import (
	"bufio"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Input strings (role names, Sids, messages quoting them) are hostile
// until shown otherwise. Each text format has its own escaper here; HTML
// escaping is html/template's job.

// plain makes a string safe for a terminal or a one-line cell: control
// characters (ANSI escapes, newlines, bidi overrides) become visible
// \u escapes, so input cannot move the cursor or fake another line.
func plain(s string) string {
	if printableASCII(s) || !strings.ContainsFunc(s, unsafeRune) {
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

// printableASCII reports whether s is printable ASCII only (no control
// character, no DEL): nearly every string of a report is, and a byte loop
// says so at a fraction of the cost of decoding runes and looking each
// up in the Unicode tables.
func printableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] >= 0x7f {
			return false
		}
	}
	return true
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

// csvCell makes a cell safe to open and to print. Control characters
// other than tab and newline (ANSI escapes, carriage returns, C1 codes)
// become visible escapes as in the text summary, so that `cat
// iamscan.csv` cannot move a terminal's cursor or recolour it; a cell
// may still hold several lines (encoding/csv quotes it). Then formula
// injection is defused: a cell that starts with = + - @ or a tab (which
// some spreadsheets skip before looking for a formula) gets a leading
// apostrophe, as OWASP recommends.
func csvCell(s string) string {
	s = visibleControls(s, "\t\n")
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// isControl reports whether r is a C0 or C1 control character or DEL:
// the characters a terminal may act on rather than print.
func isControl(r rune) bool { return r < 0x20 || r >= 0x7f && r <= 0x9f }

// visibleControls replaces control characters, except those in keep,
// with their \x1b-style escapes.
func visibleControls(s, keep string) string {
	if printableASCII(s) || !strings.ContainsFunc(s, func(r rune) bool { return isControl(r) && !strings.ContainsRune(keep, r) }) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if isControl(r) && !strings.ContainsRune(keep, r) {
			q := strconv.QuoteRuneToASCII(r)
			b.WriteString(q[1 : len(q)-1])
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// writeVisible writes HTML markup with every control character other
// than tab and newline, every bidi control and U+2028/U+2029 written as a
// visible escape (\x1b, \r, \u202e), as the text summary shows them.
// html/template escapes markup but leaves these alone, so a role name with
// ANSI escapes would otherwise sit raw in the file and act on the
// terminal of anyone who prints it, and a bidi override would reorder what
// a table cell shows. Only input puts such characters in the markup; the
// data element is written separately (its strings are escaped by plain
// and encoding/json).
func writeVisible(w *bufio.Writer, p []byte) {
	start := 0
	for i := 0; i < len(p); {
		b := p[i]
		if b < utf8.RuneSelf {
			if b >= 0x20 && b != 0x7f || b == '\t' || b == '\n' {
				i++
				continue
			}
			w.Write(p[start:i])
			writeEscaped(w, rune(b))
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRune(p[i:])
		if r != utf8.RuneError && unsafeRune(r) {
			w.Write(p[start:i])
			writeEscaped(w, r)
			start = i + size
		}
		i += size
	}
	w.Write(p[start:])
}

func writeEscaped(w *bufio.Writer, r rune) {
	q := strconv.QuoteRuneToASCII(r)
	w.WriteString(q[1 : len(q)-1])
}
