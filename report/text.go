package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/iamscan/iamscan/rules"
	"github.com/iamscan/iamscan/snapshot"
)

// TextTopFindings is how many findings the terminal summary lists.
const TextTopFindings = 20

// Text writes the terminal summary: counts by severity, the most severe
// open findings with file:line, rules that could not judge the input,
// and how many input problems there were. Control characters from input
// are shown escaped, so a name cannot rewrite the terminal.
func Text(w io.Writer, r *Report) error {
	var b strings.Builder
	c := r.Count()
	fmt.Fprintf(&b, "%s %s: account %s", plain(r.Tool.Name), plain(r.Tool.Version), plain(orUnknown(r.Scan.AccountID)))
	if !r.Scan.AsOf.IsZero() {
		fmt.Fprintf(&b, ", as of %s", r.Scan.AsOf.UTC().Format("2006-01-02 15:04 MST"))
	}
	b.WriteString("\n")
	parts := make([]string, 0, len(severitiesDesc))
	for _, s := range severitiesDesc {
		parts = append(parts, fmt.Sprintf("%s %d", s, c.Open[s]))
	}
	fmt.Fprintf(&b, "findings: %d open (%s), %d suppressed\n", c.OpenTotal, strings.Join(parts, ", "), c.Suppressed)

	top := topOpen(r.Findings, TextTopFindings)
	if len(top) > 0 {
		b.WriteString("\n")
		for _, f := range top {
			fmt.Fprintf(&b, "  %-8s %s  %s\n", strings.ToUpper(f.Severity.String()), f.RuleID, plain(f.Message))
			where := plain(locationText(f))
			if where == "" {
				where = "(account)"
			}
			fmt.Fprintf(&b, "           %s  %s\n", where, plain(f.Resource))
		}
		if more := c.OpenTotal - len(top); more > 0 {
			fmt.Fprintf(&b, "  …and %d more\n", more)
		}
	}
	if ne := r.resultsWith(rules.StatusNotEvaluable); len(ne) > 0 {
		b.WriteString("\nnot evaluable:\n")
		for _, rr := range ne {
			fmt.Fprintf(&b, "  %s  %s\n", rr.RuleID, plain(rr.Reason))
		}
	}
	if errs := r.resultsWith(rules.StatusError); len(errs) > 0 {
		b.WriteString("\nrules that could not run:\n")
		for _, rr := range errs {
			fmt.Fprintf(&b, "  %s  %s\n", rr.RuleID, plain(rr.Reason))
		}
	}
	if n := len(r.Problems); n > 0 {
		fmt.Fprintf(&b, "\ninput problems: %d (input the scanner could not fully understand, listed in the JSON, SARIF and HTML reports)\n", n)
	}
	if errs := r.CollectionErrors; len(errs) > 0 {
		fmt.Fprintf(&b, "\ncollection errors: %d AWS %s failed; rules that need what is missing are not evaluable:\n", len(errs), plural(len(errs), "call", "calls"))
		for _, e := range errs {
			fmt.Fprintf(&b, "  %s  %s: %s%s\n           missing: %s\n", plain(e.Operation), plain(e.Code), plain(e.Message), expectedText(e), missingText(e))
		}
	}
	for _, wn := range r.Warnings {
		fmt.Fprintf(&b, "warning: %s\n", plain(wn.Message))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// expectedText marks a refusal that is normal for the caller's position.
func expectedText(e snapshot.CollectionError) string {
	if e.Expected {
		return " (expected: only the management account and delegated administrators can read AWS Organizations)"
	}
	return ""
}

// missingText names the data a failed collection call leaves out.
func missingText(e snapshot.CollectionError) string {
	if len(e.Missing) == 0 {
		return "nothing recorded"
	}
	parts := make([]string, len(e.Missing))
	for i, d := range e.Missing {
		parts[i] = plain(string(d))
	}
	return strings.Join(parts, ", ")
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
