// Command iamscan audits AWS IAM: it reads an account's IAM state from
// files or from AWS, runs the built-in and custom rules, and writes SARIF,
// HTML, JSON, CSV, Markdown and text reports.
package main

import (
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"sort"
)

// Exit codes: 0 no findings at or above --fail-on, 1 findings, 2 usage or
// input error, 3 incomplete live collection (without --allow-partial), 4
// a rule could not run (the reports are written, but the scan is
// incomplete whatever it found).
const (
	exitOK         = 0
	exitFindings   = 1
	exitUsage      = 2
	exitIncomplete = 3
	exitRuleError  = 4
)

// command is one subcommand. Each lives in its own file.
type command struct {
	summary string
	run     func(args []string, stdout, stderr io.Writer) int
}

var commands = map[string]command{
	"version": {"print the version of iamscan and of its embedded data", runVersion},
	"collect": {"read an AWS account's (or organization's) IAM state into raw documents", runCollect},
	"scan":    {"scan IAM state from files (or the embedded demo) and write reports", runScan},
	"rules":   {"list every rule (Go and Rego, built-in and custom)", runRules},
	"explain": {"show a rule's documentation, parameters and CIS controls", runExplain},
	"can":     {"evaluate one request: may PRINCIPAL call ACTION on RESOURCE", runCan},
	"expand":  {"list the IAM actions an action pattern matches, with access levels", runExpand},
}

func main() {
	tuneGC()
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// gcPercent is the collector's target when GOGC is not set. A scan is a
// short batch job that keeps most of what it allocates (the snapshot, the
// permission sets, the findings) until its reports are written, so
// collecting less often than Go's default of 100 saves work without
// growing the heap much: on the quota-sized benchmark account, 400 cuts
// the scan's wall time by about a fifth for about 20% more peak memory
// (docs/PERFORMANCE.md). Higher settings grew memory and page faults
// faster than they saved collection.
const gcPercent = 400

// tuneGC sets gcPercent unless the user chose with GOGC.
func tuneGC() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercent)
	}
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stderr)
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "iamscan: unknown command %q\n\n", args[0])
		usage(stderr)
		return exitUsage
	}
	return cmd.run(args[1:], stdout, stderr)
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: iamscan COMMAND [flags] [args]\n\ncommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-9s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(w, "\nFlags may come before or after the arguments; \"--\" ends them.\nRun 'iamscan COMMAND -h' for a command's flags.")
}
