package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/iamscan/iamscan/rules"
)

// MarkdownTopFindings is how many findings the Markdown summary lists.
const MarkdownTopFindings = 10

// Markdown writes a short summary for $GITHUB_STEP_SUMMARY or a pull
// request comment: counts by severity, the most severe open findings,
// and what the scan could not judge. It has no links, and input text is
// escaped so that a hostile name renders as text.
func Markdown(w io.Writer, r *Report) error {
	var b strings.Builder
	c := r.Count()
	fmt.Fprintf(&b, "## iamscan: account %s\n\n", mdEscape(orUnknown(r.Scan.AccountID)))
	fmt.Fprintf(&b, "**%d open findings**, %d suppressed", c.OpenTotal, c.Suppressed)
	if !r.Scan.AsOf.IsZero() {
		fmt.Fprintf(&b, " · as of %s", r.Scan.AsOf.UTC().Format("2006-01-02 15:04 MST"))
	}
	fmt.Fprintf(&b, " · %s %s\n\n", mdEscape(r.Tool.Name), mdEscape(r.Tool.Version))

	b.WriteString("| Severity | Open |\n|---|---:|\n")
	for _, s := range severitiesDesc {
		fmt.Fprintf(&b, "| %s | %d |\n", s, c.Open[s])
	}

	titles := map[string]string{}
	for _, m := range r.Rules {
		titles[m.ID] = m.Title
	}
	top := topOpen(r.Findings, MarkdownTopFindings)
	if len(top) > 0 {
		fmt.Fprintf(&b, "\n### Top findings\n\n| Severity | Rule | Resource | Finding | Location |\n|---|---|---|---|---|\n")
		for _, f := range top {
			fmt.Fprintf(&b, "| %s | %s %s | %s | %s | %s |\n", f.Severity, f.RuleID, mdEscape(titles[f.RuleID]),
				mdEscape(f.Resource), mdEscape(f.Message), mdEscape(locationText(f)))
		}
		if more := c.OpenTotal - len(top); more > 0 {
			fmt.Fprintf(&b, "\n…and %d more open findings in the full report.\n", more)
		}
	}

	if ne := r.resultsWith(rules.StatusNotEvaluable); len(ne) > 0 {
		b.WriteString("\n### Not evaluable\n\n")
		for _, rr := range ne {
			fmt.Fprintf(&b, "- %s: %s\n", rr.RuleID, mdEscape(rr.Reason))
		}
	}
	if errs := r.resultsWith(rules.StatusError); len(errs) > 0 {
		b.WriteString("\n### Rules that could not run\n\n")
		for _, rr := range errs {
			fmt.Fprintf(&b, "- %s: %s\n", rr.RuleID, mdEscape(rr.Reason))
		}
	}
	if n, m := len(r.Problems), len(r.CollectionErrors); n+m > 0 {
		fmt.Fprintf(&b, "\n%d input problems, %d collection errors (details in the full report).\n", n, m)
	}
	if len(r.CollectionErrors) > 0 {
		b.WriteString("\n### AWS calls that failed\n\n")
		for _, e := range r.CollectionErrors {
			fmt.Fprintf(&b, "- %s: %s: %s%s; missing: %s\n", mdEscape(e.Operation), mdEscape(e.Code), mdEscape(e.Message), mdEscape(expectedText(e)), mdEscape(missingText(e)))
		}
	}
	if len(r.Warnings) > 0 {
		b.WriteString("\n### Warnings\n\n")
		for _, wn := range r.Warnings {
			fmt.Fprintf(&b, "- %s\n", mdEscape(wn.Message))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// topOpen returns the first n open findings; the report's order puts the
// most severe first.
func topOpen(fs []rules.Finding, n int) []*rules.Finding {
	var out []*rules.Finding
	for i := range fs {
		if len(out) == n {
			break
		}
		if !fs[i].Suppressed() {
			out = append(out, &fs[i])
		}
	}
	return out
}

// locationText is "file:line" or the file alone or "" for findings
// about the account as a whole.
func locationText(f *rules.Finding) string {
	l := f.Location
	switch {
	case l.File == "":
		return ""
	case l.Line == 0:
		return l.File
	}
	return fmt.Sprintf("%s:%d", l.File, l.Line)
}
