package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/iamscan/iamscan/internal/rulesdoc"
	"github.com/iamscan/iamscan/rego"
	"github.com/iamscan/iamscan/rules"
)

// ruleListing is one row of `iamscan rules --format json`: the rule's
// metadata and whether the configuration leaves it on.
type ruleListing struct {
	rules.Meta
	Enabled bool `json:"enabled"`
}

func runRules(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("rules", flag.ContinueOnError)
	fs.SetOutput(stderr)
	format := fs.String("format", "table", "output format: table, json or markdown")
	rulesDir := fs.String("rules-dir", "", "also list the custom Rego rules in this directory")
	configPath := fs.String("config", "", "configuration file (default: .iamscan.yaml in the working directory, if any)")
	test := fs.Bool("test", false, "run the Rego unit tests (_test.rego) of the --rules-dir rules instead of listing")
	fs.Usage = func() {
		fmt.Fprint(stderr, "usage: iamscan rules [flags]\n\nLists every rule, Go and Rego, built-in and custom; with --test, runs\nthe unit tests of custom rules.\n\nflags:\n")
		fs.PrintDefaults()
	}
	rest, err := parseArgs(fs, args)
	if err != nil {
		return flagExit(err)
	}
	if len(rest) > 0 {
		fmt.Fprintf(stderr, "iamscan rules: unexpected argument %q\n", rest[0])
		return exitUsage
	}
	setup, err := setupRules(*configPath, *rulesDir)
	if err != nil {
		fmt.Fprintf(stderr, "iamscan rules: %v\n", err)
		return exitUsage
	}
	if *test {
		return testRules(setup.cfg.RulesDir, *rulesDir, stdout, stderr)
	}
	list := make([]ruleListing, 0, len(setup.all))
	for _, r := range setup.all {
		list = append(list, ruleListing{Meta: r.Meta, Enabled: slices.Contains(setup.enabled, r)})
	}
	slices.SortFunc(list, func(a, b ruleListing) int { return strings.Compare(a.ID, b.ID) })
	switch *format {
	case "json":
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		err = enc.Encode(list)
	case "table":
		err = rulesTable(stdout, list)
	case "markdown":
		err = rulesdoc.Markdown(stdout, setup.all)
	default:
		fmt.Fprintf(stderr, "iamscan rules: unknown format %q (want table, json or markdown)\n", *format)
		return exitUsage
	}
	if err != nil {
		fmt.Fprintf(stderr, "iamscan rules: %v\n", err)
		return exitUsage
	}
	return exitOK
}

func rulesTable(w io.Writer, list []ruleListing) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tSEVERITY\tENGINE\tFAMILY\tTITLE")
	for _, r := range list {
		title := r.Title
		if !r.Enabled {
			title += " (disabled)"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", r.ID, r.Severity, r.Engine, r.Family, oneLine(title))
	}
	return tw.Flush()
}

// oneLine keeps a table row on one line whatever a custom rule's title
// contains.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// flagExit maps a flag parsing error to an exit code: -h is not an error.
func flagExit(err error) int {
	if err == flag.ErrHelp {
		return exitOK
	}
	return exitUsage
}

// testRules runs the Rego unit tests of the custom rules directory and
// prints one line per test; exit 1 when any fails.
func testRules(configDir, flagDir string, stdout, stderr io.Writer) int {
	dir := configDir
	if flagDir != "" {
		dir = flagDir
	}
	if dir == "" {
		fmt.Fprintln(stderr, "iamscan rules --test: no rules directory (give --rules-dir or set rules_dir in .iamscan.yaml)")
		return exitUsage
	}
	results, err := rego.Test(context.Background(), dir)
	if err != nil {
		fmt.Fprintf(stderr, "iamscan rules --test: %v\n", err)
		return exitUsage
	}
	failed := 0
	for _, r := range results {
		status := "PASS"
		if !r.Pass {
			status, failed = "FAIL", failed+1
		}
		fmt.Fprintf(stdout, "%s %s (%s)", status, r.Name, r.Location)
		if r.Error != "" {
			fmt.Fprintf(stdout, ": %s", oneLine(r.Error))
		}
		fmt.Fprintln(stdout)
	}
	fmt.Fprintf(stdout, "%d tests, %d failed\n", len(results), failed)
	switch {
	case len(results) == 0:
		fmt.Fprintf(stderr, "iamscan rules --test: no test_ rules in %s\n", dir)
		return exitFindings
	case failed > 0:
		return exitFindings
	}
	return exitOK
}
