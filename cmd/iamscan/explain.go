package main

import (
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/iamscan/iamscan/cis"
	"github.com/iamscan/iamscan/rules"
)

func runExplain(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("explain", flag.ContinueOnError)
	fs.SetOutput(stderr)
	rulesDir := fs.String("rules-dir", "", "also look among the custom Rego rules in this directory")
	configPath := fs.String("config", "", "configuration file (default: .iamscan.yaml in the working directory, if any)")
	fs.Usage = func() {
		fmt.Fprint(stderr, "usage: iamscan explain [flags] RULE-ID\n\nPrints a rule's documentation: what it checks and why, how to fix it,\nits parameters, CIS controls and references.\n\nflags:\n")
		fs.PrintDefaults()
	}
	rest, err := parseArgs(fs, args)
	if err != nil {
		return flagExit(err)
	}
	if len(rest) != 1 {
		fs.Usage()
		return exitUsage
	}
	setup, err := setupRules(*configPath, *rulesDir)
	if err != nil {
		fmt.Fprintf(stderr, "iamscan explain: %v\n", err)
		return exitUsage
	}
	id := strings.ToUpper(rest[0])
	r := rules.Lookup(setup.all, id)
	if r == nil {
		fmt.Fprintf(stderr, "iamscan explain: no rule %s ('iamscan rules' lists them)\n", id)
		return exitUsage
	}
	if err := explain(stdout, r); err != nil {
		fmt.Fprintf(stderr, "iamscan explain: %v\n", err)
		return exitUsage
	}
	return exitOK
}

// explain writes a rule's documentation as plain text.
func explain(w io.Writer, r *rules.Rule) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s  %s\n", r.ID, oneLine(r.Title))
	fmt.Fprintf(&b, "severity: %s   family: %s   engine: %s", r.Severity, r.Family, r.Engine)
	if r.Source != "" {
		fmt.Fprintf(&b, "   source: %s", r.Source)
	}
	b.WriteString("\n")
	section := func(title, body string) {
		fmt.Fprintf(&b, "\n%s\n", title)
		for _, line := range strings.Split(strings.TrimRight(body, "\n"), "\n") {
			fmt.Fprintf(&b, "  %s\n", line)
		}
	}
	section("DESCRIPTION", r.Description)
	section("REMEDIATION", r.Remediation)
	if len(r.Params) > 0 {
		var lines []string
		for _, p := range r.Params {
			lines = append(lines, fmt.Sprintf("%s (default %s): %s", p.Name, formatDefault(p.Default), p.Doc))
		}
		section("PARAMETERS (set under rules."+r.ID+".params in .iamscan.yaml)", strings.Join(lines, "\n"))
	}
	if len(r.CIS) > 0 {
		var lines []string
		for _, c := range r.CIS {
			line := "CIS AWS Foundations " + c.Benchmark + " " + c.Control
			if ctl, ok := cis.Lookup(c.Benchmark, c.Control); ok {
				line += ": " + ctl.Title
			}
			lines = append(lines, line)
		}
		section("CIS CONTROLS", strings.Join(lines, "\n"))
	}
	if len(r.References) > 0 {
		section("REFERENCES", strings.Join(r.References, "\n"))
	}
	if len(r.Needs) > 0 {
		needs := make([]string, len(r.Needs))
		for i, n := range r.Needs {
			needs[i] = string(n)
		}
		section("NEEDS (without this input the rule is reported as not evaluable)", strings.Join(needs, ", "))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// formatDefault writes a parameter default as it would be written in
// .iamscan.yaml.
func formatDefault(v any) string {
	switch d := v.(type) {
	case []string:
		return "[" + strings.Join(d, ", ") + "]"
	case string:
		return fmt.Sprintf("%q", d)
	}
	return fmt.Sprint(v)
}
