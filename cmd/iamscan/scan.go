package main

import (
	"cmp"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/iamscan/iamscan/awsmanaged"
	"github.com/iamscan/iamscan/baseline"
	"github.com/iamscan/iamscan/collector/offline"
	"github.com/iamscan/iamscan/fixtures"
	"github.com/iamscan/iamscan/policy"
	"github.com/iamscan/iamscan/report"
	"github.com/iamscan/iamscan/rules"
	"github.com/iamscan/iamscan/snapshot"
)

// informationURI is where SARIF and HTML reports send readers for docs.
const informationURI = "https://github.com/iamscan/iamscan"

type scanFlags struct {
	out, format, failOn, asOf, timings, sourceRoot string
	configPath, rulesDir, baselinePath             string
	cpuProfile, memProfile                         string
	demo, quiet                                    bool
	// now is the scan's clock: the report's generation time and its wall
	// time come from it, and so does "as of" when neither --as-of nor the
	// input says. runScan sets it from SOURCE_DATE_EPOCH (see scanClock);
	// nil means the system clock.
	now func() time.Time
}

// clock returns the scan's clock.
func (f *scanFlags) clock() func() time.Time {
	if f.now == nil {
		return time.Now
	}
	return f.now
}

// scanClock returns the clock a scan runs with. SOURCE_DATE_EPOCH (the
// reproducible-builds convention: seconds since 1970, UTC) stops it at
// that time, so that a scan of the same input writes the same bytes: the
// report says it was generated then and took no time. Without it the
// clock is the system's.
func scanClock(sourceDateEpoch string) (func() time.Time, error) {
	if sourceDateEpoch == "" {
		return time.Now, nil
	}
	secs, err := strconv.ParseInt(sourceDateEpoch, 10, 64)
	if err != nil || secs < 0 {
		return nil, fmt.Errorf("SOURCE_DATE_EPOCH=%q: want a number of seconds since 1970-01-01 UTC", sourceDateEpoch)
	}
	fixed := time.Unix(secs, 0).UTC()
	return func() time.Time { return fixed }, nil
}

func runScan(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("scan", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, `usage: iamscan scan [flags] PATH...

Scans IAM state read from files: get-account-authorization-details output
(CLI or raw API form), credential reports, password policies, account
summaries, bare policy documents and iamscan raw documents. PATH may be a
directory. Reports go to --out; a summary goes to standard output.

Exit status: 0 no open finding at or above --fail-on, 1 findings at or above
it, 2 usage or input error, 3 incomplete --live collection, 4 a rule could
not run (the reports are written; the scan is incomplete, whatever it found).

Environment: SOURCE_DATE_EPOCH (seconds since 1970) fixes the clock, so that
reports of the same input are byte for byte the same (docs/reports.md).

flags:
`)
		fs.PrintDefaults()
	}
	var f scanFlags
	fs.StringVar(&f.out, "out", "iamscan-report", "directory for the reports")
	fs.StringVar(&f.format, "format", "json,sarif,html", "comma list of formats ("+strings.Join(report.FormatNames(), ", ")+"), each optionally name=PATH; PATH - is standard output")
	fs.StringVar(&f.failOn, "fail-on", "none", "exit 1 when an open finding is at or above this severity (info, low, medium, high, critical, none)")
	fs.StringVar(&f.asOf, "as-of", "", "date (YYYY-MM-DD or RFC 3339) that age-based rules measure from; default: the input's collection time, else now")
	fs.StringVar(&f.timings, "timings", "", "write the time spent in each phase to this JSON file (for benchmarks)")
	fs.StringVar(&f.cpuProfile, "cpuprofile", "", "write a CPU profile of the scan to this file (for performance work)")
	fs.StringVar(&f.memProfile, "memprofile", "", "write a heap profile at the end of the scan to this file")
	fs.StringVar(&f.sourceRoot, "source-root", "", "directory SARIF locations are relative to (default: the current directory)")
	fs.StringVar(&f.configPath, "config", "", "configuration file (default: .iamscan.yaml in the current directory, when present)")
	fs.StringVar(&f.rulesDir, "rules-dir", "", "directory of custom Rego rules (overrides the configuration's rules_dir)")
	fs.StringVar(&f.baselinePath, "baseline", "", "previous iamscan JSON report: show only findings that are new since then")
	fs.BoolVar(&f.demo, "demo", false, "scan the embedded demo account (no AWS account or files needed)")
	fs.BoolVar(&f.quiet, "quiet", false, "print nothing but errors")
	var lf liveFlags
	liveScan := fs.Bool("live", false, "collect from AWS into --out first, then scan that (collection flags as for 'iamscan collect'; exit 3 when incomplete)")
	lf.register(fs)
	paths, err := parseArgs(fs, args)
	if err != nil {
		return exitUsage
	}
	if f.now, err = scanClock(os.Getenv("SOURCE_DATE_EPOCH")); err != nil {
		fmt.Fprintln(stderr, "iamscan scan:", err)
		return exitUsage
	}
	if *liveScan {
		lf.quiet = f.quiet
		return scanLive(paths, &lf, f, stdout, stderr)
	}
	if len(paths) == 0 && !f.demo {
		fmt.Fprintln(stderr, "iamscan scan: no input: give files or directories, or --demo")
		fs.Usage()
		return exitUsage
	}
	stopProfiles, err := startProfiles(f.cpuProfile, f.memProfile)
	if err != nil {
		fmt.Fprintln(stderr, "iamscan scan:", err)
		return exitUsage
	}
	code, err := scan(paths, f, stdout, stderr)
	if perr := stopProfiles(); perr != nil && err == nil {
		err = perr
	}
	if err != nil {
		fmt.Fprintln(stderr, "iamscan scan:", err)
		return exitUsage
	}
	return code
}

// phases records where a scan's time goes, for --timings. It reads the
// system clock: the figures are for benchmarks and never reach a report.
type phases struct {
	start time.Time
	last  time.Time
	ms    map[string]float64
}

func newPhases() *phases {
	now := time.Now()
	return &phases{start: now, last: now, ms: map[string]float64{}}
}

func (p *phases) mark(name string) {
	now := time.Now()
	p.ms[name] += float64(now.Sub(p.last).Microseconds()) / 1000
	p.last = now
}

func scan(paths []string, f scanFlags, stdout, stderr io.Writer) (int, error) {
	now := f.clock()
	started := now()
	timing := newPhases()
	threshold, err := parseFailOn(f.failOn)
	if err != nil {
		return 0, err
	}
	outs, err := report.ParseFormats(f.format, f.out)
	if err != nil {
		return 0, err
	}
	// Loading keeps one core busy parsing and the other converting part
	// of the time. The rule set (configuration, Rego compilation) and the
	// embedded data every scan reads (the action catalog, the AWS
	// managed policies) are prepared beside it, not before it or on the
	// rules' path. A set-up error still wins over any later one.
	var (
		setup      *ruleSetup
		setupErr   error
		setupTime  time.Duration
		setupReady = make(chan struct{})
	)
	go func() {
		defer close(setupReady)
		start := time.Now()
		setup, setupErr = setupRules(f.configPath, f.rulesDir)
		setupTime = time.Since(start)
	}()
	go func() {
		awsmanaged.Preload()
		policy.DefaultCatalog()
	}()
	waitSetup := func() error {
		<-setupReady
		return setupErr
	}
	var known baseline.Set
	if f.baselinePath != "" {
		if known, err = baseline.Load(f.baselinePath); err != nil {
			return 0, cmp.Or(waitSetup(), err)
		}
	}
	if f.demo {
		// Not for a scan that will fail: this writes files.
		if err := waitSetup(); err != nil {
			return 0, err
		}
		if paths, err = extractDemo(f.out); err != nil {
			return 0, err
		}
		if f.asOf == "" {
			f.asOf = fixtures.DemoAsOf.Format(time.RFC3339)
		}
	}

	snap, loadErr := offline.Load(inputNames(paths), offline.Options{ResolveManaged: awsmanaged.Resolve})
	if err := cmp.Or(waitSetup(), loadErr); err != nil {
		return 0, err
	}
	// The phases overlap: setup is its own time, load the time until
	// both are done.
	timing.ms["setup"] = float64(setupTime.Microseconds()) / 1000
	timing.mark("load")

	asOf, err := resolveAsOf(f.asOf, snap, now)
	if err != nil {
		return 0, err
	}
	opts := setup.cfg.Options(asOf)
	res := rules.Run(snap, setup.enabled, opts)
	splitRuleTime(timing, setup.enabled, res)
	for _, id := range setup.cfg.Disabled() {
		res.Rules = append(res.Rules, rules.RuleResult{RuleID: id, Status: rules.StatusDisabled, Reason: "disabled in " + setup.cfg.Path})
	}
	var warnings []report.Warning
	for _, in := range snap.Inputs {
		if in.Kind == offline.KindSkipped {
			warnings = append(warnings, report.Warning{Code: "input-skipped",
				Message: fmt.Sprintf("skipped %s: not an IAM input (only .json, .csv and .txt files holding one are read)", in.Path)})
		}
	}
	for _, w := range setup.cfg.Suppress(res.Findings, asOf) {
		warnings = append(warnings, report.Warning{Code: "config", Message: w.String()})
	}
	if known != nil {
		before := len(res.Findings)
		res.Findings = known.New(res.Findings)
		warnings = append(warnings, report.Warning{Code: "baseline",
			Message: fmt.Sprintf("%d findings already in the baseline %s are not shown", before-len(res.Findings), f.baselinePath)})
	}

	rep := buildReport(snap, setup.enabled, res, opts, f.sourceRoot)
	rep.Warnings = append(warnings, rep.Warnings...)
	// The report was generated now; the scan took until now.
	done := now()
	rep.Scan.GeneratedAt = done.UTC().Truncate(time.Second)
	rep.Scan.WallTime = done.Sub(started)
	written, err := report.WriteAll(outs, rep, stdout)
	if err != nil {
		return 0, err
	}
	// Said even with --quiet: the upload of such a report will fail.
	for _, w := range written {
		fmt.Fprintf(stderr, "iamscan scan: warning: %s\n", w.Message)
	}
	timing.mark("reports")

	if !f.quiet && !writesTextToStdout(outs) {
		if err := report.Text(stdout, rep); err != nil {
			return 0, err
		}
		for _, o := range outs {
			if o.Path != report.Stdout {
				fmt.Fprintf(stdout, "wrote %s report: %s\n", o.Format, o.Path)
			}
		}
	}
	if f.timings != "" {
		if err := writeTimings(f.timings, timing, len(res.Findings)); err != nil {
			return 0, err
		}
	}
	if failed := ruleErrors(res.Rules); len(failed) > 0 {
		// Said even with --quiet: a check that did not run is neither a
		// pass nor a finding, and --fail-on cannot judge what it missed.
		fmt.Fprintf(stderr, "iamscan scan: incomplete: %d %s could not run, so the scan cannot say the account passes them (exit %d):\n",
			len(failed), plural(len(failed), "rule", "rules"), exitRuleError)
		for _, rr := range failed {
			fmt.Fprintf(stderr, "  %s: %s\n", rr.RuleID, visible(rr.Reason))
		}
		return exitRuleError, nil
	}
	return failOnExit(rep.Findings, threshold), nil
}

// ruleErrors returns the results of the rules that could not run.
func ruleErrors(results []rules.RuleResult) []rules.RuleResult {
	var out []rules.RuleResult
	for _, rr := range results {
		if rr.Status == rules.StatusError {
			out = append(out, rr)
		}
	}
	return out
}

// visible keeps an error message (a Rego trace, say) on one terminal
// line: newlines and other control characters are shown as \n-style
// escapes rather than acted on.
func visible(s string) string {
	var b strings.Builder
	for _, r := range s {
		if unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) {
			q := strconv.QuoteRuneToASCII(r)
			b.WriteString(q[1 : len(q)-1])
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// splitRuleTime attributes the rules phase to the engine (shared
// computations such as effective permissions), Go rules and Rego rules.
func splitRuleTime(clock *phases, ruleSet []*rules.Rule, res *rules.Result) {
	engine := map[string]string{}
	for _, r := range ruleSet {
		engine[r.ID] = r.Engine
	}
	var goRules, regoRules, shared time.Duration
	for _, rr := range res.Rules {
		if engine[rr.RuleID] == "rego" {
			regoRules += rr.Elapsed
		} else {
			goRules += rr.Elapsed
		}
	}
	for key, d := range res.Shared {
		if strings.HasPrefix(key, "rego") {
			regoRules += d
		} else {
			shared += d
		}
	}
	now := time.Now()
	clock.ms["engine"] += float64(shared.Microseconds()) / 1000
	clock.ms["go-rules"] += float64(goRules.Microseconds()) / 1000
	clock.ms["rego"] += float64(regoRules.Microseconds()) / 1000
	clock.last = now
}

func writeTimings(path string, clock *phases, findings int) error {
	data, err := json.MarshalIndent(struct {
		PhasesMs map[string]float64 `json:"phasesMs"`
		TotalMs  float64            `json:"totalMs"`
		Findings int                `json:"findings"`
	}{clock.ms, float64(time.Since(clock.start).Microseconds()) / 1000, findings}, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, data, 0o644)
}

func writesTextToStdout(outs []report.Output) bool {
	for _, o := range outs {
		if o.Path == report.Stdout {
			return true
		}
	}
	return false
}

// buildReport assembles the report model. The rule metadata carries the
// severities the configuration set (opts.Severity), so that SARIF rule
// levels, the JSON rule list and the rule-set digest agree with the
// findings, which rules.Run already gave those severities.
func buildReport(snap *snapshot.Snapshot, ruleSet []*rules.Rule, res *rules.Result, opts rules.Options, sourceRoot string) *report.Report {
	metas := make([]rules.Meta, 0, len(ruleSet))
	for _, r := range ruleSet {
		metas = append(metas, r.Meta)
	}
	metas, defaults := report.EffectiveRules(metas, opts.Severity)
	digest, _ := report.RuleSetDigest(metas, opts.Params)
	asOf := opts.AsOf
	if sourceRoot == "" {
		sourceRoot, _ = os.Getwd()
	}
	rep := &report.Report{
		Tool: report.Tool{
			Name: "iamscan", Version: version, InformationURI: informationURI,
			Data: []report.DataVersion{
				{Name: "iam-action-catalog", Version: policy.CatalogVersion()},
				{Name: "aws-managed-policies", Version: awsmanaged.DataVersion()},
			},
		},
		Scan: report.Scan{
			AccountID: snap.AccountID, Partition: snap.Partition,
			CollectedAt: snap.CollectedAt, AsOf: asOf,
			Inputs: snap.Inputs, RuleSetDigest: digest, SourceRoot: sourceRoot,
		},
		Rules:            metas,
		DefaultSeverity:  defaults,
		Results:          res.Rules,
		Findings:         res.Findings,
		Problems:         snap.Problems,
		CollectionErrors: snap.CollectionErrors,
		Anchors:          report.Anchors(snap),
	}
	rep.Warnings = append(rep.Warnings, report.LimitWarnings(rep)...)
	return rep
}

// inputNames spells each path argument one way, however it was given:
// relative to the working directory when the file is under it
// ("accounts/a.json" for "./accounts/a.json" and for
// "/repo/accounts/a.json" run in /repo), absolute otherwise. Input paths
// name the files in every report and are part of what identifies a
// finding about a file (an input problem, IAM091, names its file; a bare
// policy file is its own resource), so a relative and an absolute
// spelling of one file must give the same fingerprints, and the same
// reports. The working directory is the default --source-root, so these
// names are what SARIF shows under %SRCROOT%.
func inputNames(paths []string) []string {
	wd, err := os.Getwd()
	if err != nil {
		return paths
	}
	out := make([]string, len(paths))
	for i, p := range paths {
		abs := p
		if !filepath.IsAbs(abs) {
			abs = filepath.Join(wd, abs)
		}
		abs = filepath.Clean(abs)
		out[i] = abs
		if rel, err := filepath.Rel(wd, abs); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			out[i] = rel
		}
	}
	return out
}

// resolveAsOf picks "now" for age-based rules: the flag, else when the
// input was collected, else the scan's clock.
func resolveAsOf(flagValue string, snap *snapshot.Snapshot, now func() time.Time) (time.Time, error) {
	if flagValue != "" {
		for _, layout := range []string{time.RFC3339, "2006-01-02"} {
			if t, err := time.Parse(layout, flagValue); err == nil {
				return t.UTC(), nil
			}
		}
		return time.Time{}, fmt.Errorf("--as-of %q: want YYYY-MM-DD or RFC 3339", flagValue)
	}
	if !snap.CollectedAt.IsZero() {
		return snap.CollectedAt.UTC(), nil
	}
	return now().UTC().Truncate(time.Second), nil
}

func parseFailOn(s string) (rules.Severity, error) {
	if s == "none" || s == "" {
		return 0, nil
	}
	sev, err := rules.ParseSeverity(s)
	if err != nil {
		return 0, fmt.Errorf("--fail-on: %w", err)
	}
	return sev, nil
}

// failOnExit returns exitFindings when an open (unsuppressed) finding is
// at or above the threshold; a zero threshold never fails.
func failOnExit(findings []rules.Finding, threshold rules.Severity) int {
	if threshold == 0 {
		return exitOK
	}
	for _, f := range findings {
		if !f.Suppressed() && f.Severity >= threshold {
			return exitFindings
		}
	}
	return exitOK
}
