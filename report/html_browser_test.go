package report

import (
	"bytes"
	"context"
	"encoding/json"
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

// evidenceCounts is the summary of the JSON report written for the same
// Report, decoded here from its bytes: the counts the page shows must be
// the evidence report's, not recomputed by the test the way the page
// computes them.
type evidenceCounts struct {
	Open       map[string]int `json:"open"`
	OpenTotal  int            `json:"openTotal"`
	Suppressed int            `json:"suppressed"`
	Rules      map[string]int `json:"rules"`
}

func jsonCounts(t *testing.T, r *Report) evidenceCounts {
	t.Helper()
	var doc struct {
		Summary evidenceCounts `json:"summary"`
	}
	if err := json.Unmarshal(writeJSON(t, r), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Summary.Open) != len(severitiesDesc) || len(doc.Summary.Rules) != len(statuses) {
		t.Fatalf("JSON summary is missing counts: %+v", doc.Summary)
	}
	return doc.Summary
}

// checkCounts compares every count the summary shows with the JSON
// report's: open findings by severity and in total, suppressed, rules by
// status, and the findings heading.
func (b *browserPage) checkCounts(t *testing.T, j evidenceCounts) {
	t.Helper()
	want := map[string]int{"count-open": j.OpenTotal, "count-suppressed": j.Suppressed}
	for sev, n := range j.Open {
		want["count-"+sev] = n
	}
	for status, n := range j.Rules {
		want["rules-"+status] = n
	}
	for id, w := range want {
		if got := b.text(t, id); got != fmt.Sprint(w) {
			t.Errorf("#%s shows %q, the JSON report says %d", id, got, w)
		}
	}
}

// screenshot saves the page into dir (the test's temp dir) and, when the
// environment variable env names a path, there too.
func (b *browserPage) screenshot(t *testing.T, dir, name, env string) {
	t.Helper()
	png, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	shot := filepath.Join(dir, name)
	if err := os.WriteFile(shot, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", shot)
	if extra := os.Getenv(env); extra != "" {
		if err := os.WriteFile(extra, png, 0o644); err != nil {
			t.Errorf("%s: %v", env, err)
		} else {
			t.Logf("screenshot also at %s (%s)", extra, env)
		}
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
	c := jsonCounts(t, r)

	// The counts shown are the JSON report's.
	b.checkCounts(t, c)
	if got := b.text(t, "match-count"); got != fmt.Sprint(c.OpenTotal) {
		t.Errorf("findings heading says %s match, the JSON report has %d open", got, c.OpenTotal)
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

	b.screenshot(t, dir, "report.png", "IAMSCAN_SCREENSHOT")
	b.checkClean(t, "file://"+path)
}

// The pager moves through the findings 100 at a time: clicking next and
// previous changes the rows shown, and the page never shows a finding
// twice or skips one.
func TestHTMLInBrowserPaging(t *testing.T) {
	b := newBrowser(t)
	r := fixtureReport()
	r.Findings = manyFindings(r, 250)
	c := jsonCounts(t, r)
	if c.OpenTotal <= 200 {
		t.Fatalf("the test needs three pages; %d open findings", c.OpenTotal)
	}
	path := filepath.Join(t.TempDir(), "paging.html")
	if err := os.WriteFile(path, writeHTML(t, r), 0o644); err != nil {
		t.Fatal(err)
	}
	b.open(t, path)
	b.checkCounts(t, c)
	disabled := func(id string) bool {
		return eval[bool](t, b, fmt.Sprintf("document.getElementById(%q).disabled", id))
	}
	click := func(id string) {
		t.Helper()
		if err := chromedp.Do(b.ctx, chromedp.Click(chromedp.ID(id))); err != nil {
			t.Fatalf("clicking #%s: %v", id, err)
		}
	}
	type page struct {
		info string
		rows []string
	}
	current := func() page { return page{b.text(t, "page-info"), b.rows(t)} }

	first := current()
	if first.info != fmt.Sprintf("1–100 of %d", c.OpenTotal) || len(first.rows) != 100 || !disabled("prev") || disabled("next") {
		t.Fatalf("first page: %q, %d rows, prev disabled %v, next disabled %v", first.info, len(first.rows), disabled("prev"), disabled("next"))
	}
	click("next")
	second := current()
	if second.info != fmt.Sprintf("101–200 of %d", c.OpenTotal) || len(second.rows) != 100 || disabled("prev") {
		t.Errorf("second page: %q, %d rows", second.info, len(second.rows))
	}
	click("next")
	last := current()
	if want := c.OpenTotal - 200; last.info != fmt.Sprintf("201–%d of %d", c.OpenTotal, c.OpenTotal) || len(last.rows) != want || !disabled("next") {
		t.Errorf("last page: %q, %d rows (want %d), next disabled %v", last.info, len(last.rows), want, disabled("next"))
	}
	// Every open finding is on exactly one page.
	seen := map[string]int{}
	for _, p := range []page{first, second, last} {
		for _, row := range p.rows {
			seen[row]++
		}
	}
	if len(seen) != c.OpenTotal {
		t.Errorf("the three pages show %d distinct rows, want %d", len(seen), c.OpenTotal)
	}
	click("prev")
	if back := current(); back.info != second.info || !slices.Equal(back.rows, second.rows) {
		t.Errorf("previous from the last page shows %q, not the second page %q", back.info, second.info)
	}
	click("prev")
	if back := current(); !slices.Equal(back.rows, first.rows) || !disabled("prev") {
		t.Errorf("back on the first page: %q", back.info)
	}
	// A filter starts again on its first page.
	click("next")
	b.do(t, `const s = document.getElementById('f-sev'); s.value = '5'; s.dispatchEvent(new Event('change'))`)
	if info := b.text(t, "page-info"); info != fmt.Sprintf("1–%d of %d", min(100, c.Open["critical"]), c.Open["critical"]) {
		t.Errorf("after filtering on page 2: %q, want the first page of %d critical findings", info, c.Open["critical"])
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
	c := jsonCounts(t, r)
	b.checkCounts(t, c)
	if got := b.text(t, "match-count"); got != fmt.Sprint(c.OpenTotal) {
		t.Errorf("match count %s, the JSON report has %d open", got, c.OpenTotal)
	}
	if rows := b.rows(t); len(rows) != min(c.OpenTotal, 100) {
		t.Errorf("%d rows, want %d", len(rows), min(c.OpenTotal, 100))
	}
	// Findings of Rego rules are in the page like any other: filtering on
	// each Rego rule that found something shows its findings.
	regoFound := 0
	for i, m := range r.Rules {
		if m.Engine != "rego" {
			continue
		}
		want := openMatching(r, func(f *rules.Finding) bool { return f.RuleID == m.ID })
		if want == 0 {
			continue
		}
		regoFound++
		b.do(t, fmt.Sprintf(`const s = document.getElementById('f-rule'); s.value = '%d'; s.dispatchEvent(new Event('change'))`, i))
		rows := b.rows(t)
		if len(rows) != min(want, 100) {
			t.Errorf("rule filter %s (Rego): %d rows, want %d", m.ID, len(rows), want)
		}
		for _, row := range rows {
			if !strings.Contains(row, m.ID) {
				t.Errorf("rule filter %s shows another rule's row: %q", m.ID, row)
			}
		}
	}
	if regoFound == 0 {
		t.Error("no Rego rule has a finding in the demo report")
	}
	b.do(t, `const s = document.getElementById('f-rule'); s.value = '-1'; s.dispatchEvent(new Event('change'))`)
	// ARNs wrap at their separators only: a part of an ARN ("role/",
	// "deploy-github") is split over two lines only when it is wider than
	// its cell on its own. The window is narrowed so that many resources
	// need more than one line.
	if _, err := chromedp.Call(b.ctx, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{Width: 1000, Height: 1000, DeviceScaleFactor: 1}); err != nil {
		t.Fatal(err)
	}
	wraps := eval[map[string][]string](t, b, `(() => {
		const wrapped = [], broken = [];
		document.querySelectorAll('#findings-body td:nth-child(3), noscript td:nth-child(3)').forEach(td => {
			const cs = getComputedStyle(td);
			const avail = td.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
			const segs = Array.from(td.querySelectorAll('.seg'));
			if (segs.length === 0) return;
			if (segs[0].getBoundingClientRect().top !== segs[segs.length - 1].getBoundingClientRect().top) wrapped.push(td.textContent);
			for (const seg of segs) {
				const probe = document.createElement('span');
				probe.style.cssText = 'white-space:nowrap;position:absolute;visibility:hidden';
				probe.textContent = seg.textContent;
				td.appendChild(probe);
				const one = probe.getBoundingClientRect();
				probe.remove();
				if (seg.getBoundingClientRect().height > one.height * 1.5 && one.width <= avail) broken.push(td.textContent + ' (inside ' + seg.textContent + ')');
			}
		});
		return {wrapped, broken};
	})()`)
	if len(wraps["wrapped"]) == 0 {
		t.Error("no resource wraps in a 1000-pixel window; the test checks nothing")
	}
	for _, s := range wraps["broken"] {
		t.Errorf("resource wraps inside a part that fits on a line: %q", s)
	}
	t.Logf("%d resources wrap, all between their parts", len(wraps["wrapped"]))
	if _, err := chromedp.Call(b.ctx, emulation.ClearDeviceMetricsOverride, cdp.Empty{}); err != nil {
		t.Fatal(err)
	}
	b.screenshot(t, dir, "demo.png", "IAMSCAN_DEMO_SCREENSHOT")
	b.checkClean(t, "file://"+path)
}

// With JavaScript off, the summary and the most severe findings are still
// there: the counts (the JSON report's), the charts, the no-script table
// of at most 100 findings saying how many it leaves out, the suppressed
// list.
func TestHTMLInBrowserWithoutJavaScript(t *testing.T) {
	b := newBrowser(t)
	if _, err := chromedp.Call(b.ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		t.Fatal(err)
	}
	small := fixtureReport()
	large := fixtureReport()
	large.Findings = manyFindings(large, 250)
	for _, tc := range []struct {
		name  string
		r     *Report
		shown int
		note  string
	}{
		{"all shown", small, 4, "lists all 4 open findings"},
		{"capped", large, HTMLNoScriptFindings, fmt.Sprintf("lists the 100 most severe of %d open findings; the other %d are not shown without JavaScript", jsonCounts(t, large).OpenTotal, jsonCounts(t, large).OpenTotal-100)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := jsonCounts(t, tc.r)
			dir := t.TempDir()
			path := filepath.Join(dir, "report.html")
			if err := os.WriteFile(path, writeHTML(t, tc.r), 0o644); err != nil {
				t.Fatal(err)
			}
			b.open(t, path)
			b.checkCounts(t, c)
			rows := eval[[]string](t, b, `Array.from(document.querySelectorAll('noscript table tbody tr')).map(tr => tr.innerText)`)
			if len(rows) != tc.shown || len(rows) != min(c.OpenTotal, HTMLNoScriptFindings) {
				t.Errorf("no-script table has %d rows, want %d", len(rows), tc.shown)
			}
			if note := b.text(t, "noscript-note"); !strings.Contains(note, tc.note) {
				t.Errorf("no-script note %q lacks %q", note, tc.note)
			}
			// The rows are the most severe: in the report's order.
			if len(rows) > 0 && !strings.HasPrefix(strings.ToLower(rows[0]), "critical") {
				t.Errorf("first no-script row is not critical: %q", rows[0])
			}
			// The charts are drawn without script: one bar per severity.
			if n := eval[int](t, b, `document.querySelectorAll('svg rect[class^="bar-"]').length`); n < len(severitiesDesc) {
				t.Errorf("%d chart bars, want at least %d", n, len(severitiesDesc))
			}
			if n := eval[int](t, b, `document.querySelectorAll('#suppressed tbody tr').length`); n != c.Suppressed {
				t.Errorf("suppressed table has %d rows, the JSON report has %d suppressed", n, c.Suppressed)
			}
			// The interactive table stays hidden: it would be empty.
			if !eval[bool](t, b, `document.getElementById('interactive').hidden && document.getElementById('interactive').offsetParent === null`) {
				t.Error("the interactive table is shown without JavaScript")
			}
			if tc.name == "capped" {
				b.screenshot(t, dir, "noscript.png", "IAMSCAN_NOSCRIPT_SCREENSHOT")
			}
		})
	}
}
