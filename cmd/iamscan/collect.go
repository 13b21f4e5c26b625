package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"golang.org/x/term"

	"github.com/iamscan/iamscan/collector/live"
)

// liveFlags are the flags of a live collection, shared by `collect` and
// `scan --live`.
type liveFlags struct {
	profile, region, endpointURL   string
	roleName, externalID, accounts string
	org                            bool
	concurrency                    int
	timeout                        time.Duration
	allowPartial, verbose, quiet   bool
}

func (lf *liveFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&lf.profile, "profile", "", "AWS shared-config profile (default: AWS_PROFILE or the default chain)")
	fs.StringVar(&lf.region, "region", "", "AWS region for the API clients (default: AWS_REGION or the profile's, else us-east-1; IAM is global)")
	fs.StringVar(&lf.endpointURL, "endpoint-url", "", "send every API call to this endpoint (tests, compatible APIs)")
	fs.StringVar(&lf.roleName, "role-name", "", "role to assume in each account of --accounts or --org")
	fs.StringVar(&lf.externalID, "external-id", "", "external id for assuming --role-name")
	fs.StringVar(&lf.accounts, "accounts", "", "comma list of account ids to collect through --role-name")
	fs.BoolVar(&lf.org, "org", false, "collect every active account of the organization through --role-name")
	fs.IntVar(&lf.concurrency, "concurrency", live.DefaultConcurrency, "accounts collected at once")
	fs.DurationVar(&lf.timeout, "timeout", 30*time.Minute, "stop the whole collection after this long; what was read by then is written (exit 3)")
	fs.BoolVar(&lf.allowPartial, "allow-partial", false, "exit 0 even when some calls failed (they are recorded in the document)")
	fs.BoolVar(&lf.verbose, "verbose", false, "print every API call on standard error")
}

func (lf *liveFlags) multi() bool { return lf.accounts != "" || lf.org }

// options turns the flags into collector options. Progress goes to
// stderr when it is a terminal (or with --verbose), never with --quiet.
func (lf *liveFlags) options(stderr io.Writer) live.Options {
	o := live.Options{
		Profile: lf.profile, Region: lf.region, EndpointURL: lf.endpointURL,
		RoleName: lf.roleName, ExternalID: lf.externalID, Org: lf.org,
		Concurrency: lf.concurrency, Verbose: lf.verbose, Version: version,
	}
	for _, id := range strings.Split(lf.accounts, ",") {
		if id = strings.TrimSpace(id); id != "" {
			o.Accounts = append(o.Accounts, id)
		}
	}
	if !lf.quiet && (lf.verbose || isTerminal(stderr)) {
		o.Progress = stderr
	}
	return o
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

func runCollect(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("collect", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, `usage: iamscan collect [flags]

Reads an AWS account's IAM state with read-only calls (the permissions are
in docs/iamscan-collector-policy.json) and writes iamscan's raw document,
which 'iamscan scan' reads. With --accounts or --org, assumes --role-name in
each account and writes one document per account plus index.json into the
--out directory.

Exit status: 0 collected, 2 usage, configuration or credential error,
3 incomplete: a call failed (see the document's Collection.Errors) and
--allow-partial was not given, or --timeout or an interrupt stopped the
collection (what was read by then is written, and index.json says which
accounts are incomplete).

flags:
`)
		fs.PrintDefaults()
	}
	var lf liveFlags
	lf.register(fs)
	out := fs.String("out", "", "output file (default account.json), or directory with --accounts/--org (default accounts)")
	fs.BoolVar(&lf.quiet, "quiet", false, "print nothing but errors")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "iamscan collect: unexpected arguments %q\n", fs.Args())
		return exitUsage
	}
	target := *out
	if target == "" {
		target = "account.json"
		if lf.multi() {
			target = "accounts"
		}
	}
	got, err := collectLive(&lf, target, stderr)
	if err != nil {
		fmt.Fprintln(stderr, "iamscan collect:", err)
		if got.stopped != nil {
			return exitIncomplete
		}
		return exitUsage
	}
	return got.exitCode(lf.allowPartial)
}

// collected is what a live collection wrote.
type collected struct {
	paths      []string // the raw documents written
	incomplete bool     // some data could not be read (see the documents)
	// stopped is why the collection was cut short (--timeout, an
	// interrupt), nil when it ran to its end.
	stopped error
}

// exitCode is collect's exit status: 3 when data is missing, unless
// --allow-partial accepts failed calls. A collection cut short is always
// 3: accounts or sections were never read at all, which is not the
// permission gap --allow-partial is for.
func (c collected) exitCode(allowPartial bool) int {
	if c.stopped != nil || (c.incomplete && !allowPartial) {
		return exitIncomplete
	}
	return exitOK
}

// collectLive collects as the flags say and writes the raw document to
// target (a file), or with several accounts one document per account and
// index.json into target (a directory). Failed calls are printed. When
// --timeout or an interrupt (SIGINT, SIGTERM) stops the collection, what
// was read is written all the same, and the result says it was stopped;
// err is only for a collection that wrote nothing.
func collectLive(lf *liveFlags, target string, stderr io.Writer) (collected, error) {
	signalled, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		// After the first interrupt, the next one ends the process as
		// usual, should writing what was read take too long.
		<-signalled.Done()
		stop()
	}()
	ctx, cancel := context.WithTimeoutCause(signalled, lf.timeout, fmt.Errorf("--timeout of %s reached", lf.timeout))
	defer cancel()
	o := lf.options(stderr)

	if !lf.multi() {
		res, err := live.Collect(ctx, o)
		if err != nil {
			if res != nil && res.Stopped != nil {
				return collected{stopped: res.Stopped}, fmt.Errorf("%w; nothing was written", err)
			}
			return collected{}, err
		}
		if err := writeRawFile(target, res); err != nil {
			return collected{}, err
		}
		reportCollection(stderr, lf.quiet, target, res)
		if res.Stopped != nil {
			fmt.Fprintf(stderr, "iamscan: the collection stopped before it completed (%v): %s holds what was read; the calls that did not complete are in its Collection.Errors\n", res.Stopped, target)
		}
		return collected{paths: []string{target}, incomplete: res.Incomplete(), stopped: res.Stopped}, nil
	}

	batch, err := live.CollectAll(ctx, o)
	if err != nil {
		var why error
		if ctx.Err() != nil {
			why = context.Cause(ctx)
			err = fmt.Errorf("the collection stopped before any account was read (%v); nothing was written: %w", why, err)
		}
		return collected{stopped: why}, err
	}
	idx, err := live.WriteAll(target, batch)
	if err != nil {
		return collected{}, err
	}
	var got collected
	counts := map[string]int{}
	for _, res := range batch.Results {
		e := idx.Accounts[res.AccountID]
		counts[e.Status]++
		if e.File == "" {
			fmt.Fprintf(stderr, "account %s: not collected: %s\n", res.AccountID, e.Error)
			continue
		}
		path := filepath.Join(target, e.File)
		got.paths = append(got.paths, path)
		reportCollection(stderr, lf.quiet, path, res)
	}
	if !lf.quiet {
		fmt.Fprintf(stderr, "wrote %s\n", filepath.Join(target, live.IndexFile))
	}
	if batch.Stopped != nil {
		fmt.Fprintf(stderr, "iamscan: the collection stopped before it completed (%v): %d accounts complete, %d incomplete, %d not collected; see %s\n",
			batch.Stopped, counts[live.StatusComplete], counts[live.StatusIncomplete], counts[live.StatusFailed], filepath.Join(target, live.IndexFile))
	}
	got.incomplete, got.stopped = batch.Incomplete(), batch.Stopped
	return got, nil
}

// writeRawFile writes one account's document (owner-only, replacing any
// file at path atomically), creating its directory if needed.
func writeRawFile(path string, res *live.Result) error {
	if dir := filepath.Dir(path); dir != "." {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
	}
	return live.WriteRawFile(path, res)
}

// reportCollection prints what was written and, always, what failed: a
// gap in the data must not go unnoticed even in a quiet pipeline.
func reportCollection(stderr io.Writer, quiet bool, path string, res *live.Result) {
	errs := res.Raw.Collection.Errors
	if !quiet {
		fmt.Fprintf(stderr, "wrote %s: account %s, %d API calls in %s, %d failed\n",
			path, res.AccountID, res.Calls, res.Duration.Round(time.Millisecond), len(errs))
	}
	for _, e := range errs {
		if e.Expected && quiet {
			continue
		}
		missing := "nothing"
		if len(e.Missing) > 0 {
			parts := make([]string, len(e.Missing))
			for i, m := range e.Missing {
				parts[i] = string(m)
			}
			missing = strings.Join(parts, ", ")
		}
		note := ""
		if e.Expected {
			note = " (expected for this account; not counted as incomplete)"
		}
		what := "failed"
		if e.Code == live.CodeTimedOut || e.Code == live.CodeInterrupted {
			what = "did not complete"
		}
		fmt.Fprintf(stderr, "account %s: %s %s: %s: %s; missing: %s%s\n", res.AccountID, e.Operation, what, e.Code, e.Message, missing, note)
	}
}

// scanLive is `scan --live`: collect into the report directory, then scan
// each collected account (into its own report directory when there are
// several). The exit status is 3 when the collection is incomplete and
// --allow-partial was not given, else the scan's.
func scanLive(paths []string, lf *liveFlags, f scanFlags, stdout, stderr io.Writer) int {
	if len(paths) > 0 || f.demo {
		fmt.Fprintln(stderr, "iamscan scan: --live collects its own input: give no paths and no --demo")
		return exitUsage
	}
	target := filepath.Join(f.out, "account.json")
	if lf.multi() {
		target = filepath.Join(f.out, "accounts")
	}
	got, err := collectLive(lf, target, stderr)
	if err != nil {
		fmt.Fprintln(stderr, "iamscan scan --live:", err)
		if got.stopped != nil {
			return exitIncomplete
		}
		return exitUsage
	}
	code := exitOK
	// A collection cut short is still scanned: the reports show what was
	// read, and the rules whose data is missing as not evaluable.
	for _, doc := range got.paths {
		account := f
		if lf.multi() {
			account.out = filepath.Join(f.out, strings.TrimSuffix(filepath.Base(doc), ".json"))
		}
		c, err := scan([]string{doc}, account, stdout, stderr)
		if err != nil {
			fmt.Fprintf(stderr, "iamscan scan: %s: %v\n", doc, err)
			return exitUsage
		}
		code = max(code, c)
	}
	if c := got.exitCode(lf.allowPartial); c != exitOK {
		return c
	}
	return code
}
