// Package rulesdoc renders the rule catalog as Markdown: docs/rules.md
// for the built-in rules, and `iamscan rules --format markdown` for any
// rule set including custom rules. The text comes only from each rule's
// metadata, so the documentation cannot drift from what the rules say
// in reports.
package rulesdoc

import (
	"bytes"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/iamscan/iamscan/cis"
	"github.com/iamscan/iamscan/rules"
)

// Header is the first line of generated files, saying how to regenerate.
const Header = "<!-- Generated from the rules' metadata by `go test ./internal/rulesdoc -update`. Do not edit. -->"

// Markdown writes one section per rule, in id order, after a summary
// table.
func Markdown(w io.Writer, rs []*rules.Rule) error {
	rs = slices.Clone(rs)
	slices.SortFunc(rs, func(a, b *rules.Rule) int { return strings.Compare(a.ID, b.ID) })
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s\n\n# iamscan rules\n\n", Header)
	fmt.Fprintf(&b, "%d rules: %d in Go, %d in Rego. `iamscan explain ID` prints the same text; `.iamscan.yaml` sets severities, parameters and suppressions.\n\n", len(rs), count(rs, "go"), count(rs, "rego"))
	b.WriteString("| id | severity | engine | family | title |\n|---|---|---|---|---|\n")
	for _, r := range rs {
		fmt.Fprintf(&b, "| [%s](#%s) | %s | %s | %s | %s |\n", r.ID, strings.ToLower(r.ID), r.Severity, r.Engine, r.Family, cell(r.Title))
	}
	for _, r := range rs {
		section(&b, r)
	}
	_, err := w.Write(b.Bytes())
	return err
}

func count(rs []*rules.Rule, engine string) int {
	n := 0
	for _, r := range rs {
		if r.Engine == engine {
			n++
		}
	}
	return n
}

func section(b *bytes.Buffer, r *rules.Rule) {
	fmt.Fprintf(b, "\n## %s\n\n**%s**\n\n", r.ID, oneLine(r.Title))
	fmt.Fprintf(b, "Severity: %s · Family: %s · Engine: %s", r.Severity, r.Family, r.Engine)
	if r.Source != "" {
		fmt.Fprintf(b, " · Source: `%s`", r.Source)
	}
	b.WriteString("\n\n")
	b.WriteString(paragraph(r.Description))
	b.WriteString("\n**Remediation.** ")
	b.WriteString(paragraph(r.Remediation))
	if len(r.Params) > 0 {
		b.WriteString("\n| parameter | default | meaning |\n|---|---|---|\n")
		for _, p := range r.Params {
			fmt.Fprintf(b, "| `%s` | `%s` | %s |\n", p.Name, formatDefault(p.Default), cell(p.Doc))
		}
	}
	if len(r.CIS) > 0 {
		b.WriteString("\nCIS AWS Foundations Benchmark:\n\n")
		for _, c := range r.CIS {
			fmt.Fprintf(b, "- %s %s", c.Benchmark, c.Control)
			if ctl, ok := cis.Lookup(c.Benchmark, c.Control); ok {
				fmt.Fprintf(b, ": %s", ctl.Title)
			}
			b.WriteString("\n")
		}
	}
	if len(r.References) > 0 {
		b.WriteString("\nReferences:\n\n")
		for _, ref := range r.References {
			fmt.Fprintf(b, "- <%s>\n", ref)
		}
	}
	if len(r.Needs) > 0 {
		needs := make([]string, len(r.Needs))
		for i, n := range r.Needs {
			needs[i] = "`" + string(n) + "`"
		}
		fmt.Fprintf(b, "\nNeeds: %s (without it the rule is not evaluable).\n", strings.Join(needs, ", "))
	}
}

// paragraph keeps the metadata's line breaks but ends with one newline.
func paragraph(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return strings.Join(lines, "\n") + "\n"
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// cell makes text safe inside a Markdown table cell.
func cell(s string) string { return strings.ReplaceAll(oneLine(s), "|", `\|`) }

func formatDefault(v any) string {
	if l, ok := v.([]string); ok {
		return "[" + strings.Join(l, ", ") + "]"
	}
	return fmt.Sprint(v)
}
