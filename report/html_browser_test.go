package report

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/iamscan/iamscan/rules"
)

// findChromium returns the headless browser the HTML test drives. It is
// skipped when none is installed, except under CI, where the browser is
// part of the test environment and its absence is a failure.
func findChromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("chromium is not installed; the HTML report test needs it (apt-get install chromium)")
	}
	t.Skip("chromium is not installed (apt-get install chromium); skipping the in-browser HTML report test")
	return ""
}

// browserPage is one headless Chromium tab with everything the page does
// recorded: network requests and console or CSP errors.
type browserPage struct {
	ctx      context.Context
	mu       sync.Mutex
	requests []string
	errors   []string
}

func newBrowser(t *testing.T) *browserPage {
	exe := findChromium(t)
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(exe),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 1000),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-extensions", true),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(func() { cancelTimeout(); cancelCtx(); cancelAlloc() })
	b := &browserPage{ctx: ctx}
	err := chromedp.Listen(ctx, func(ev any) {
		b.mu.Lock()
		defer b.mu.Unlock()
		switch ev := ev.(type) {
		case *network.EventRequestWillBeSent:
			b.requests = append(b.requests, ev.Request.URL)
		case *runtime.EventConsoleAPICalled:
			if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeWarning {
				b.errors = append(b.errors, fmt.Sprintf("console.%s: %v", ev.Type, ev.Args))
			}
		case *runtime.EventExceptionThrown:
			b.errors = append(b.errors, fmt.Sprintf("exception: %s at %s:%d", ev.ExceptionDetails.Text, ev.ExceptionDetails.URL, ev.ExceptionDetails.LineNumber))
		case *log.EventEntryAdded:
			// CSP violations and failed loads arrive here.
			if ev.Entry.Level == log.EntryLevelError || ev.Entry.Level == log.EntryLevelWarning {
				b.errors = append(b.errors, fmt.Sprintf("log %s: %s %s", ev.Entry.Source, ev.Entry.Text, ev.Entry.URL))
			}
		}
	})
	if err != nil {
		t.Fatalf("starting chromium: %v", err)
	}
	if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
		t.Fatalf("enabling network events: %v", err)
	}
	if _, err := chromedp.Call(ctx, log.Enable, cdp.Empty{}); err != nil {
		t.Fatalf("enabling log events: %v", err)
	}
	return b
}

// open loads a report file and returns how long navigation took (until
// the load event).
func (b *browserPage) open(t *testing.T, path string) time.Duration {
	t.Helper()
	start := time.Now()
	if err := chromedp.Do(b.ctx, chromedp.Navigate("file://"+path), chromedp.WaitReady(chromedp.ID("findings-body"))); err != nil {
		t.Fatalf("loading %s: %v", path, err)
	}
	return time.Since(start)
}

func eval[T any](t *testing.T, b *browserPage, js string) T {
	t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[T](js))
	if err != nil {
		t.Fatalf("evaluating %s: %v", js, err)
	}
	return v
}

// do runs a statement in the page.
func (b *browserPage) do(t *testing.T, js string) {
	t.Helper()
	eval[bool](t, b, "(() => { "+js+"; return true; })()")
}

func (b *browserPage) text(t *testing.T, id string) string {
	t.Helper()
	return strings.TrimSpace(eval[string](t, b, fmt.Sprintf("document.getElementById(%q).textContent", id)))
}

func (b *browserPage) rows(t *testing.T) []string {
	t.Helper()
	return eval[[]string](t, b, `Array.from(document.querySelectorAll('#findings-body tr')).map(tr => tr.innerText)`)
}

// checkClean fails the test if the page fetched anything but itself or
// logged an error, and if any planted payload ran.
func (b *browserPage) checkClean(t *testing.T, pageURL string) {
	t.Helper()
	if xss := eval[string](t, b, "typeof window.__xss"); xss != "undefined" {
		t.Error("an injected script ran: window.__xss is set")
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, u := range b.requests {
		if u != pageURL {
			t.Errorf("page made a network request: %s", u)
		}
	}
	for _, e := range b.errors {
		t.Errorf("browser reported: %s", e)
	}
}

func openMatching(r *Report, keep func(*rules.Finding) bool) int {
	n := 0
	for i := range r.Findings {
		if f := &r.Findings[i]; !f.Suppressed() && keep(f) {
			n++
		}
	}
	return n
}

func TestHTMLInBrowser(t *testing.T) {
	b := newBrowser(t)
	dir := t.TempDir()
	r := fixtureReport()
	path := filepath.Join(dir, "report.html")
	if err := os.WriteFile(path, writeHTML(t, r), 0o644); err != nil {
		t.Fatal(err)
	}
	b.open(t, path)
	c := r.Count()

	// The counts shown are the report's.
	want := map[string]string{"count-open": fmt.Sprint(c.OpenTotal), "count-suppressed": fmt.Sprint(c.Suppressed), "match-count": fmt.Sprint(c.OpenTotal)}
	for _, s := range severitiesDesc {
		want["count-"+s.String()] = fmt.Sprint(c.Open[s])
	}
	for id, w := range want {
		if got := b.text(t, id); got != w {
			t.Errorf("#%s shows %q, want %q", id, got, w)
		}
	}
	if rows := b.rows(t); len(rows) != c.OpenTotal {
		t.Errorf("table shows %d rows, want %d", len(rows), c.OpenTotal)
	}
	principals := map[string]bool{}
	openMatching(r, func(f *rules.Finding) bool {
		principals[f.Principal] = f.Principal != "" || principals[f.Principal]
		return true
	})
	delete(principals, "")
	if got := b.text(t, "principal-count"); got != fmt.Sprint(len(principals)) {
		t.Errorf("principal view counts %s principals, want %d", got, len(principals))
	}

	// Filtering by severity shows exactly the critical findings.
	b.do(t, `const s = document.getElementById('f-sev'); s.value = '5'; s.dispatchEvent(new Event('change'))`)
	rows := b.rows(t)
	if w := openMatching(r, func(f *rules.Finding) bool { return f.Severity == rules.Critical }); len(rows) != w || b.text(t, "match-count") != fmt.Sprint(w) {
		t.Errorf("severity filter: %d rows (count %s), want %d", len(rows), b.text(t, "match-count"), w)
	}
	for _, row := range rows {
		if !strings.HasPrefix(strings.ToLower(row), "critical") {
			t.Errorf("severity filter shows a non-critical row: %q", row)
		}
	}
	b.do(t, `const s = document.getElementById('f-sev'); s.value = '0'; s.dispatchEvent(new Event('change'))`)

	// Typing text narrows to the findings containing it.
	for _, q := range []string{"alice", "evil.example", "no such text"} {
		b.do(t, `document.getElementById('f-q').value = ''`)
		if err := chromedp.Do(b.ctx, chromedp.SendKeys(chromedp.ID("f-q"), q)); err != nil {
			t.Fatal(err)
		}
		w := openMatching(r, func(f *rules.Finding) bool {
			return strings.Contains(strings.ToLower(f.Resource+"\n"+f.Message+"\n"+f.Principal), strings.ToLower(q))
		})
		rows := b.rows(t)
		if len(rows) != w {
			t.Errorf("text filter %q: %d rows, want %d: %q", q, len(rows), w, rows)
		}
		for _, row := range rows {
			if !strings.Contains(strings.ToLower(row), strings.ToLower(q)) {
				t.Errorf("text filter %q shows a row without it: %q", q, row)
			}
		}
	}
	b.do(t, `const q = document.getElementById('f-q'); q.value = ''; q.dispatchEvent(new Event('input'))`)

	// The rule filter shows one rule's findings; the principal view's
	// button filters the table to that principal.
	b.do(t, `const s = document.getElementById('f-rule'); s.value = '3'; s.dispatchEvent(new Event('change'))`) // IAM030
	if w := openMatching(r, func(f *rules.Finding) bool { return f.RuleID == r.Rules[3].ID }); len(b.rows(t)) != w {
		t.Errorf("rule filter %s: %d rows, want %d", r.Rules[3].ID, len(b.rows(t)), w)
	}
	b.do(t, `const s = document.getElementById('f-rule'); s.value = '-1'; s.dispatchEvent(new Event('change'))`)
	alice := "arn:aws:iam::123456789012:user/alice"
	// The view names the rules that flag each principal.
	flagged := eval[string](t, b, fmt.Sprintf(`Array.from(document.querySelectorAll('#principals-body tr')).find(tr => tr.cells[0].textContent === %q).cells[1].textContent`, alice))
	if flagged != "IAM030" {
		t.Errorf("principal view: %s flagged by %q, want IAM030", alice, flagged)
	}
	b.do(t, fmt.Sprintf(`Array.from(document.querySelectorAll('#principals-body button')).find(x => x.textContent === %q).click()`, alice))
	rows = b.rows(t)
	if w := openMatching(r, func(f *rules.Finding) bool { return f.Principal == alice }); len(rows) != w || w == 0 {
		t.Errorf("principal %s: %d rows, want %d", alice, len(rows), w)
	}
	for _, row := range rows {
		if !strings.Contains(row, "alice") {
			t.Errorf("principal filter shows another principal's row: %q", row)
		}
	}
	b.do(t, `const p = document.getElementById('f-principal'); p.value = ''; p.dispatchEvent(new Event('input'))`)
	if rows := b.rows(t); len(rows) != c.OpenTotal {
		t.Errorf("after clearing the filters: %d rows, want %d", len(rows), c.OpenTotal)
	}

	// Sorting by resource orders the rows by resource, then reverses.
	resources := `Array.from(document.querySelectorAll('#findings-body tr td:nth-child(3)')).map(td => td.textContent)`
	for _, dir := range []string{"ascending", "descending"} {
		b.do(t, `document.querySelector('th[data-key="resource"] button').click()`)
		got := eval[[]string](t, b, resources)
		want := slices.Clone(got)
		slices.Sort(want)
		if dir == "descending" {
			slices.Reverse(want)
		}
		if len(got) != c.OpenTotal || !slices.Equal(got, want) {
			t.Errorf("sorted %s by resource: %q", dir, got)
		}
	}

	// Hostile strings render as text.
	if !eval[bool](t, b, `document.body.innerText.includes('</script><script>window.__xss=2</script>')`) {
		t.Error("the hostile Sid/reason is not shown as text")
	}

	png, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	shot := filepath.Join(dir, "report.png")
	os.WriteFile(shot, png, 0o644)
	t.Logf("screenshot: %s", shot)
	if extra := os.Getenv("IAMSCAN_SCREENSHOT"); extra != "" {
		os.WriteFile(extra, png, 0o644)
	}
	b.checkClean(t, "file://"+path)
}

// A 20,000-finding page must load and filter quickly; the figures are
// logged (timings are not asserted: CI machines vary).
func TestHTMLInBrowserLarge(t *testing.T) {
	if testing.Short() {
		t.Skip("loads a 20,000-finding report in Chromium")
	}
	b := newBrowser(t)
	dir := t.TempDir()
	// Warm the browser with the small report first: a person opens a
	// report in a browser that is already running, so the renderer's
	// start-up is not the page's load time.
	small := filepath.Join(dir, "small.html")
	if err := os.WriteFile(small, writeHTML(t, fixtureReport()), 0o644); err != nil {
		t.Fatal(err)
	}
	b.open(t, small)
	r := fixtureReport()
	r.Findings = manyFindings(r, 20000)
	path := filepath.Join(dir, "large.html")
	page := writeHTML(t, r)
	if err := os.WriteFile(path, page, 0o644); err != nil {
		t.Fatal(err)
	}
	wall := b.open(t, path)
	nav := eval[map[string]float64](t, b, `(() => { const n = performance.getEntriesByType('navigation')[0]; return {load: n.loadEventEnd - n.startTime, dom: n.domInteractive - n.startTime, init: performance.getEntriesByName('iamscan-init')[0].duration}; })()`)
	c := r.Count()
	if got := b.text(t, "match-count"); got != fmt.Sprint(c.OpenTotal) {
		t.Errorf("match count %s, want %d", got, c.OpenTotal)
	}
	if rows := b.rows(t); len(rows) != 100 {
		t.Errorf("first page has %d rows, want 100", len(rows))
	}

	// Time a filter in the page: the event handler (filter, sort, render
	// one page) plus the layout it forces.
	measure := func(js string) float64 {
		return eval[float64](t, b, `(() => { const t0 = performance.now(); `+js+`; document.body.offsetHeight; return performance.now() - t0; })()`)
	}
	sevMs := measure(`const s = document.getElementById('f-sev'); s.value = '4'; s.dispatchEvent(new Event('change'))`)
	if w := openMatching(r, func(f *rules.Finding) bool { return f.Severity == rules.High }); b.text(t, "match-count") != fmt.Sprint(w) {
		t.Errorf("severity filter: count %s, want %d", b.text(t, "match-count"), w)
	}
	textMs := measure(`const q = document.getElementById('f-q'); q.value = 'service-role-01'; q.dispatchEvent(new Event('input'))`)
	w := openMatching(r, func(f *rules.Finding) bool {
		return f.Severity == rules.High && strings.Contains(f.Resource, "service-role-01")
	})
	if got := b.text(t, "match-count"); got != fmt.Sprint(w) {
		t.Errorf("severity+text filter: count %s, want %d", got, w)
	}
	sortMs := measure(`document.querySelector('th[data-key="resource"] button').click()`)
	t.Logf("20,000 findings: HTML %d bytes; load %.0f ms (DOM interactive %.0f ms, script start-up %.0f ms; navigation seen from Go %v); severity filter %.1f ms; text filter %.1f ms; sort %.1f ms",
		len(page), nav["load"], nav["dom"], nav["init"], wall.Round(time.Millisecond), sevMs, textMs, sortMs)
	b.mu.Lock()
	b.requests = slices.DeleteFunc(b.requests, func(u string) bool { return u == "file://"+small })
	b.mu.Unlock()
	b.checkClean(t, "file://"+path)
	if bytes.Contains(page, []byte("<script src")) {
		t.Error("page loads a script from elsewhere")
	}

	// IAMSCAN_HTML_FILE names a report written by a real scan (for example
	// the quota-size benchmark account's): the same browser opens it too
	// and its figures are logged, for docs/PERFORMANCE.md.
	if file := os.Getenv("IAMSCAN_HTML_FILE"); file != "" {
		abs, err := filepath.Abs(file)
		if err != nil {
			t.Fatal(err)
		}
		wall := b.open(t, abs)
		nav := eval[map[string]float64](t, b, `(() => { const n = performance.getEntriesByType('navigation')[0]; return {load: n.loadEventEnd - n.startTime, dom: n.domInteractive - n.startTime}; })()`)
		shown := b.text(t, "match-count")
		sevMs := measure(`const s = document.getElementById('f-sev'); s.value = '4'; s.dispatchEvent(new Event('change'))`)
		textMs := measure(`const q = document.getElementById('f-q'); q.value = 'role'; q.dispatchEvent(new Event('input'))`)
		t.Logf("%s: %s findings shown after load; load %.0f ms (DOM interactive %.0f ms; navigation seen from Go %v); severity filter %.1f ms; text filter %.1f ms",
			file, shown, nav["load"], nav["dom"], wall.Round(time.Millisecond), sevMs, textMs)
	}
}

// The demo account's report, with real rules and findings, renders with
// the right counts and nothing blocked or logged.
func TestHTMLInBrowserDemo(t *testing.T) {
	b := newBrowser(t)
	r := demoReport(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "demo.html")
	if err := os.WriteFile(path, writeHTML(t, r), 0o644); err != nil {
		t.Fatal(err)
	}
	b.open(t, path)
	c := r.Count()
	if got := b.text(t, "match-count"); got != fmt.Sprint(c.OpenTotal) {
		t.Errorf("match count %s, want %d", got, c.OpenTotal)
	}
	if rows := b.rows(t); len(rows) != min(c.OpenTotal, 100) {
		t.Errorf("%d rows, want %d", len(rows), min(c.OpenTotal, 100))
	}
	for _, s := range severitiesDesc {
		if got := b.text(t, "count-"+s.String()); got != fmt.Sprint(c.Open[s]) {
			t.Errorf("%s count %s, want %d", s, got, c.Open[s])
		}
	}
	png, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	shot := filepath.Join(dir, "demo.png")
	os.WriteFile(shot, png, 0o644)
	t.Logf("screenshot: %s", shot)
	// The first screenful (summary, charts, start of the table) is what
	// a reader sees; IAMSCAN_DEMO_SCREENSHOT keeps a copy of it.
	if extra := os.Getenv("IAMSCAN_DEMO_SCREENSHOT"); extra != "" {
		top, err := chromedp.Run(b.ctx, chromedp.CaptureScreenshot())
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(extra, top, 0o644)
	}
	b.checkClean(t, "file://"+path)
}

// With JavaScript off, the summary and the most severe findings are still
// there: the counts, the no-script table, the suppressed list.
func TestHTMLInBrowserWithoutJavaScript(t *testing.T) {
	b := newBrowser(t)
	if _, err := chromedp.Call(b.ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		t.Fatal(err)
	}
	r := fixtureReport()
	path := filepath.Join(t.TempDir(), "report.html")
	if err := os.WriteFile(path, writeHTML(t, r), 0o644); err != nil {
		t.Fatal(err)
	}
	b.open(t, path)
	c := r.Count()
	for id, want := range map[string]int{"count-open": c.OpenTotal, "count-critical": c.Open[rules.Critical], "count-suppressed": c.Suppressed} {
		got, err := chromedp.Run(b.ctx, chromedp.TextContent(chromedp.ID(id)))
		if err != nil || strings.TrimSpace(got) != fmt.Sprint(want) {
			t.Errorf("#%s = %q (%v), want %d", id, got, err, want)
		}
	}
	rows, err := chromedp.Run(b.ctx, chromedp.Nodes(chromedp.CSSAll("noscript table tbody tr"), chromedp.AtLeast(0)))
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != c.OpenTotal {
		t.Errorf("no-script table has %d rows, want %d", len(rows), c.OpenTotal)
	}
	// The interactive table stays hidden: it would be empty.
	hidden, err := chromedp.Run(b.ctx, chromedp.Nodes(chromedp.CSSAll("#interactive[hidden]"), chromedp.AtLeast(0)))
	if err != nil || len(hidden) != 1 {
		t.Errorf("the interactive table is shown without JavaScript (%v)", err)
	}
}
