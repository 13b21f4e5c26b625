package report

import (
	"encoding/csv"
	"io"
	"strconv"
	"time"
)

// CSVColumns is the CSV header. Columns are only ever added at the end,
// so scripts that read by position keep working.
var CSVColumns = []string{
	"fingerprint", "rule_id", "rule_title", "severity", "state",
	"resource", "principal", "policy", "sid",
	"file", "line", "column", "message",
	"suppression_reason", "suppression_expires", "suppression_source",
}

// CSV writes one row per finding, suppressed findings included (their
// state column says so), in the report's order.
func CSV(w io.Writer, r *Report) error {
	titles := map[string]string{}
	for _, m := range r.Rules {
		titles[m.ID] = m.Title
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(CSVColumns); err != nil {
		return err
	}
	row := make([]string, len(CSVColumns))
	for i := range r.Findings {
		f := &r.Findings[i]
		state, reason, expires, source := "open", "", "", ""
		if s := f.Suppression; s != nil {
			state, reason, source = "suppressed", s.Reason, s.Source
			if !s.Expires.IsZero() {
				expires = s.Expires.UTC().Format(time.RFC3339)
			}
		}
		line, col := "", ""
		if f.Location.Line > 0 {
			line = strconv.Itoa(f.Location.Line)
			col = strconv.Itoa(f.Location.Col)
		}
		row = append(row[:0], f.Fingerprint, f.RuleID, titles[f.RuleID], f.Severity.String(), state,
			f.Resource, f.Principal, f.Policy, f.Sid,
			f.Location.File, line, col, f.Message,
			reason, expires, source)
		for j := range row {
			row[j] = csvCell(row[j])
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
