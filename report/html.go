package report

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/iamscan/iamscan/rules"
)

//go:embed html/report.html.tmpl html/report.css html/report.js
var htmlAssets embed.FS

// HTMLNoScriptFindings is how many findings the page lists for readers
// without JavaScript.
const HTMLNoScriptFindings = 100

var htmlPage = sync.OnceValues(func() (*htmlTemplate, error) {
	css, err := htmlAssets.ReadFile("html/report.css")
	if err != nil {
		return nil, err
	}
	js, err := htmlAssets.ReadFile("html/report.js")
	if err != nil {
		return nil, err
	}
	tmpl, err := template.New("report.html.tmpl").Funcs(template.FuncMap{
		"date": htmlDate,
		"dur":  htmlDuration,
		"loc":  locationText,
		"brk":  breakable,
		"join": func(s []string) string { return strings.Join(s, ", ") },
	}).ParseFS(htmlAssets, "html/report.html.tmpl")
	if err != nil {
		return nil, err
	}
	// The page runs only the script and style whose hashes the CSP
	// names: an injected <script> or inline handler cannot run even if
	// escaping failed somewhere, and nothing may be fetched.
	csp := fmt.Sprintf("default-src 'none'; script-src '%s'; style-src '%s'; base-uri 'none'; form-action 'none'",
		cspHash(js), cspHash(css))
	return &htmlTemplate{tmpl: tmpl, style: template.CSS(css), script: template.JS(js), csp: csp}, nil
})

type htmlTemplate struct {
	tmpl   *template.Template
	style  template.CSS
	script template.JS
	csp    string
}

func cspHash(b []byte) string {
	sum := sha256.Sum256(b)
	return "sha256-" + base64.StdEncoding.EncodeToString(sum[:])
}

// htmlView is what the template reads: the report plus figures computed
// once here rather than in template logic.
type htmlView struct {
	R             *Report
	CSP           string
	Style         template.CSS
	Script        template.JS
	Account       string
	AsOf          string
	Counts        Counts
	Sev           []htmlBar
	Families      []htmlBar
	ChartWidth    int
	SevHeight     int
	FamHeight     int
	RuleStatus    []htmlBar
	CouldNotJudge []rules.RuleResult
	Top           []*rules.Finding
	NotShown      int // open findings the no-script table leaves out
	Suppressed    []*rules.Finding
	Matrix        []Matrix
	MatrixSummary map[string]string
	Rules         []htmlRule
}

type htmlBar struct {
	Name             string
	Level            int
	Count            int
	Y, Width, LabelX int
}

type htmlRule struct {
	rules.Meta
	Status rules.Status
	// DefaultSeverity is the rule's own severity when the configuration
	// overrides it; zero otherwise.
	DefaultSeverity rules.Severity
}

const (
	chartBarMax = 300
	chartRow    = 24
)

// HTML writes one self-contained page: inline CSS, script and SVG, a
// Content-Security-Policy that allows nothing else, a summary readable
// without JavaScript, and an interactive findings table (filters, sort,
// pages of 100) built from data embedded as JSON.
func HTML(w io.Writer, r *Report) error {
	page, err := htmlPage()
	if err != nil {
		return err
	}
	c := r.Count()
	v := &htmlView{
		R: r, CSP: page.csp, Style: page.style, Script: page.script,
		Account: orUnknown(r.Scan.AccountID), AsOf: htmlDate(r.Scan.AsOf), Counts: c,
		ChartWidth: 150 + chartBarMax + 60, Top: topOpen(r.Findings, HTMLNoScriptFindings),
		Matrix: CISMatrix(r), MatrixSummary: map[string]string{},
	}
	v.NotShown = c.OpenTotal - len(v.Top)
	maxSev := 0
	for _, s := range severitiesDesc {
		maxSev = max(maxSev, c.Open[s])
	}
	for i, s := range severitiesDesc {
		v.Sev = append(v.Sev, bar(s.String(), int(s), c.Open[s], maxSev, i, 90))
	}
	v.SevHeight = len(v.Sev) * chartRow
	v.Families = familyBars(r)
	v.FamHeight = max(1, len(v.Families)) * chartRow

	status := map[string]rules.Status{}
	counts := map[rules.Status]int{}
	for _, rr := range r.Results {
		status[rr.RuleID] = rr.Status
		counts[rr.Status]++
	}
	for _, s := range statuses {
		v.RuleStatus = append(v.RuleStatus, htmlBar{Name: string(s), Count: counts[s]})
	}
	v.CouldNotJudge = append(r.resultsWith(rules.StatusError), r.resultsWith(rules.StatusNotEvaluable)...)
	for i := range r.Findings {
		if r.Findings[i].Suppressed() {
			v.Suppressed = append(v.Suppressed, &r.Findings[i])
		}
	}
	for _, m := range v.Matrix {
		n := map[ControlStatus]int{}
		for _, c := range m.Controls {
			n[c.Status]++
		}
		v.MatrixSummary[m.Benchmark] = fmt.Sprintf("%d fail, %d pass, %d not evaluable, %d not covered",
			n[ControlFail], n[ControlPass], n[ControlNotEvaluable], n[ControlNotCovered])
	}
	for _, m := range r.Rules {
		v.Rules = append(v.Rules, htmlRule{Meta: m, Status: status[m.ID], DefaultSeverity: r.DefaultSeverity[m.ID]})
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	// The markup goes through writeVisible, which shows control and bidi
	// characters from input as escapes.
	var markup bytes.Buffer
	if err := page.tmpl.Execute(&markup, v); err != nil {
		return err
	}
	writeVisible(bw, markup.Bytes())
	// The findings data is streamed between the page and its script
	// rather than passed through the template as one large string.
	bw.WriteString(`<script type="application/json" id="iamscan-data">`)
	if err := writeHTMLData(bw, r); err != nil {
		return err
	}
	bw.WriteString("</script>\n")
	markup.Reset()
	if err := page.tmpl.ExecuteTemplate(&markup, "tail", v); err != nil {
		return err
	}
	writeVisible(bw, markup.Bytes())
	return bw.Flush()
}

func bar(name string, level, count, maxCount, row, x0 int) htmlBar {
	width := 0
	if maxCount > 0 {
		width = count * chartBarMax / maxCount
	}
	if count > 0 {
		width = max(width, 2) // a non-zero count stays visible
	}
	return htmlBar{Name: name, Level: level, Count: count, Y: row*chartRow + 2, Width: width, LabelX: x0 + width + 6}
}

// familyBars counts open findings per rule family, in the order families
// first appear among the enabled rules.
func familyBars(r *Report) []htmlBar {
	family := map[string]string{}
	var order []string
	seen := map[string]bool{}
	for _, m := range r.Rules {
		family[m.ID] = m.Family
		if !seen[m.Family] {
			seen[m.Family] = true
			order = append(order, m.Family)
		}
	}
	counts := map[string]int{}
	for i := range r.Findings {
		if f := &r.Findings[i]; !f.Suppressed() {
			fam, ok := family[f.RuleID]
			if !ok {
				fam = "other"
				if !seen[fam] {
					seen[fam] = true
					order = append(order, fam)
				}
			}
			counts[fam]++
		}
	}
	maxCount := 0
	for _, n := range counts {
		maxCount = max(maxCount, n)
	}
	out := make([]htmlBar, len(order))
	for i, fam := range order {
		out[i] = bar(fam, 0, counts[fam], maxCount, i, 150)
	}
	return out
}

// writeHTMLData writes the JSON the page's script reads: rules once, a
// table of strings (a principal's ARN, a policy or a Sid is stored once
// however many findings repeat it), then one array of integers per open
// finding: severity, rule index, and string indexes for resource,
// principal, message, location, fingerprint, policy and Sid. Only the
// string table holds input; encoding/json escapes <, > and & (and
// U+2028/2029) in it, so no input string can close the <script> element
// that holds the data.
func writeHTMLData(w *bufio.Writer, r *Report) error {
	type rule struct {
		ID    string `json:"id"`
		Title string `json:"title"`
	}
	index := map[string]int{}
	var rs []rule
	for _, m := range r.Rules {
		index[m.ID] = len(rs)
		rs = append(rs, rule{m.ID, plain(m.Title)})
	}
	// Strings are shown as the text summary shows them: control
	// characters and bidi overrides as visible escapes (plain), so that
	// a name cannot hide or reorder what the table says.
	strs := []string{""}
	ids := map[string]int{"": 0}
	intern := func(s string) int {
		i, ok := ids[s]
		if !ok {
			i = len(strs)
			ids[s] = i
			strs = append(strs, plain(s))
		}
		return i
	}
	// Messages and fingerprints are (nearly) unique per
	// finding: hashing them to find the rare repeat costs more than the
	// bytes it would save.
	add := func(s string) int {
		strs = append(strs, plain(s))
		return len(strs) - 1
	}
	rows := make([]byte, 0, 48*len(r.Findings))
	rows = append(rows, '[')
	first := true
	for i := range r.Findings {
		f := &r.Findings[i]
		if f.Suppressed() {
			continue
		}
		ri, ok := index[f.RuleID]
		if !ok {
			ri = len(rs)
			index[f.RuleID] = ri
			rs = append(rs, rule{f.RuleID, f.RuleID})
		}
		if !first {
			rows = append(rows, ',')
		}
		first = false
		for j, n := range [...]int{int(f.Severity), ri, intern(f.Resource), intern(f.Principal), add(f.Message),
			intern(locationText(f)), add(f.Fingerprint), intern(f.Policy), intern(f.Sid)} {
			if j == 0 {
				rows = append(rows, '[')
			} else {
				rows = append(rows, ',')
			}
			rows = strconv.AppendInt(rows, int64(n), 10)
		}
		rows = append(rows, ']')
	}
	rows = append(rows, ']')

	enc := json.NewEncoder(w)
	w.WriteString(`{"rules":`)
	if err := enc.Encode(orEmpty(rs)); err != nil {
		return err
	}
	w.WriteString(`,"strings":[`)
	var buf []byte
	for i, s := range strs {
		if i > 0 {
			w.WriteByte(',')
		}
		// As enc.Encode(s) writes it, newline included.
		buf = append(appendJSONString(buf[:0], s), '\n')
		w.Write(buf)
	}
	w.WriteString(`],"findings":`)
	w.Write(rows)
	_, err := w.WriteString("}")
	return err
}

// htmlDuration shows a wall time the way a person reads one: "0 s",
// "225 ms", "1.2 s", "3 min 5 s".
func htmlDuration(d time.Duration) string {
	switch {
	case d <= 0:
		return "0 s"
	case d < time.Second:
		return fmt.Sprintf("%d ms", max(1, d.Round(time.Millisecond).Milliseconds()))
	case d < time.Minute:
		return fmt.Sprintf("%.1f s", d.Seconds())
	}
	d = d.Round(time.Second)
	return fmt.Sprintf("%d min %d s", int(d.Minutes()), int(d.Seconds())%60)
}

// breakable escapes an ARN or a path for HTML so that it wraps only
// after its separators (: and /): "arn:aws:iam::111122223333:role/" +
// "deploy-github", never "deploy-" + "github" (browsers break after a
// hyphen) nor in the middle of a name. Each part up to and including a
// run of separators is an inline-block (class "seg"), which a line never
// splits unless the part alone is wider than the cell; <wbr> between
// parts lets the line break there. Neither adds text, so a copied ARN is
// unchanged. A string without separators is only escaped.
func breakable(s string) template.HTML {
	if !strings.ContainsAny(s, ":/") {
		return template.HTML(template.HTMLEscapeString(s))
	}
	var b strings.Builder
	for i, part := range arnParts(s) {
		if i > 0 {
			b.WriteString("<wbr>")
		}
		b.WriteString(`<span class="seg">`)
		b.WriteString(template.HTMLEscapeString(part))
		b.WriteString("</span>")
	}
	return template.HTML(b.String())
}

// arnParts cuts s after each run of ':' and '/', except before a line
// number that ends it ("details.json:476" stays whole).
func arnParts(s string) []string {
	var parts []string
	start := 0
	for i := 0; i < len(s); i++ {
		if (s[i] == ':' || s[i] == '/') && i+1 < len(s) && s[i+1] != ':' && s[i+1] != '/' && !(s[i] == ':' && allDigits(s[i+1:])) {
			parts = append(parts, s[start:i+1])
			start = i + 1
		}
	}
	return append(parts, s[start:])
}

func allDigits(s string) bool {
	return s != "" && strings.Trim(s, "0123456789") == ""
}

func htmlDate(t time.Time) string {
	if t.IsZero() {
		return "unknown"
	}
	return t.UTC().Format("2006-01-02 15:04:05 MST")
}
