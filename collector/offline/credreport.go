package offline

import (
	"bytes"
	"encoding/base64"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/iamscan/iamscan/jsonpos"
	"github.com/iamscan/iamscan/policy"
	"github.com/iamscan/iamscan/snapshot"
)

// isCredentialReportCSV tells the report from other text by its header.
// AWS writes user and arn first, but columns are read by name, so a
// report whose columns a spreadsheet reordered is still one.
func isCredentialReportCSV(data []byte) bool {
	header := data
	if i := bytes.IndexByte(data, '\n'); i >= 0 {
		header = data[:i]
	}
	var user, arn bool
	for _, f := range bytes.Split(bytes.TrimSuffix(header, []byte("\r")), []byte(",")) {
		user = user || string(f) == "user"
		arn = arn || string(f) == "arn"
	}
	return user && arn
}

// credentialReportJSON reads `aws iam get-credential-report` output
// (base64 CSV in Content, with ReportFormat and GeneratedTime) and the
// raw document's form of it, which holds the CSV as one JSON string per
// line in Lines so that each row has a line of the file to point at.
func (r *reader) credentialReportJSON(v *jsonpos.Value) error {
	var content, lines, generated *jsonpos.Value
	for i := range v.Members {
		m := &v.Members[i]
		switch m.Key {
		case "Content":
			content = &m.Value
		case "Lines":
			lines = &m.Value
		case "GeneratedTime":
			generated = &m.Value
		case "ReportFormat":
			if f := r.str(&m.Value, "ReportFormat"); f != "" && f != "text/csv" {
				r.problem(&m.Value, "unknown ReportFormat %q (expected text/csv)", f)
			}
		default:
			r.unknown(m, "get-credential-report output")
		}
	}
	if lines != nil && lines.Kind != jsonpos.Null {
		if content != nil && content.Kind != jsonpos.Null {
			r.problem(content, "credential report has both Lines and Content; Lines is read")
		}
		return r.credentialReportLines(lines, generated)
	}
	if content == nil || content.Kind == jsonpos.Null {
		r.problem(v, "credential report output has no Content; the report is not evaluated")
		return nil
	}
	if content.Kind != jsonpos.String {
		r.problem(content, "credential report Content must be a base64 string, found %s", content.Kind)
		return nil
	}
	csvData, err := base64.StdEncoding.DecodeString(content.Str)
	if err != nil {
		return &InputError{Loc: r.at(content), Msg: "credential report Content is not valid base64: " + err.Error()}
	}
	if !isCredentialReportCSV(csvData) {
		return &InputError{Loc: r.at(content), Msg: "credential report Content does not decode to a credential report CSV (its header must start with user,arn,)"}
	}
	// The CSV's lines are all inside the one Content string: every row
	// points at it, and messages name the CSV line.
	at := r.at(content)
	return r.credentialReport(csvData, func(int) policy.Location { return at }, true, generated)
}

// credentialReportLines reads the CSV held as one string per line; each
// row points at the line and column of its own string.
func (r *reader) credentialReportLines(v *jsonpos.Value, generated *jsonpos.Value) error {
	if v.Kind != jsonpos.Array {
		return &InputError{Loc: r.at(v), Msg: fmt.Sprintf("credential report Lines must be a list of strings, found %s", v.Kind)}
	}
	var data []byte
	// elem[i] is the entry holding CSV line i+1 (an entry with a line
	// break in it holds several).
	elem := make([]int, 0, len(v.Elems))
	for i := range v.Elems {
		e := &v.Elems[i]
		if e.Kind != jsonpos.String {
			return &InputError{Loc: r.at(e), Msg: fmt.Sprintf("credential report Lines entries must be strings, found %s", e.Kind)}
		}
		data = append(data, e.Str...)
		data = append(data, '\n')
		for range strings.Count(e.Str, "\n") + 1 {
			elem = append(elem, i)
		}
	}
	if !isCredentialReportCSV(data) {
		loc := r.at(v)
		if len(v.Elems) > 0 {
			loc = r.at(&v.Elems[0])
		}
		return &InputError{Loc: loc, Msg: "credential report Lines do not hold a credential report CSV (the first must be the header, starting with user,arn,)"}
	}
	return r.credentialReport(data, func(line int) policy.Location {
		if line < 1 || line > len(elem) {
			return r.at(v)
		}
		return r.at(&v.Elems[elem[line-1]])
	}, false, generated)
}

// credentialReportCSV reads a raw credential report CSV file. A line's
// location spans the whole line, so that a finding on a row marks the row.
func (l *loader) credentialReportCSV(src *policy.Source, data []byte, generated *jsonpos.Value) error {
	r := &reader{l: l, src: src}
	var starts []int // byte offset of each line, made on first use
	return r.credentialReport(data, func(line int) policy.Location {
		if starts == nil {
			starts = append(starts, 0)
			for i, c := range data {
				if c == '\n' {
					starts = append(starts, i+1)
				}
			}
		}
		if line >= 1 && line <= len(starts) {
			start, end := starts[line-1], len(data)
			if line < len(starts) {
				end = starts[line]
			}
			end = start + len(bytes.TrimRight(data[start:end], "\r\n"))
			if end > start {
				return src.Span(start, end)
			}
		}
		return policy.Location{File: src.Name, Line: line, Col: 1}
	}, false, generated)
}

// report columns, in AWS order.
var reportColumns = []string{
	"user", "arn", "user_creation_time", "password_enabled", "password_last_used",
	"password_last_changed", "password_next_rotation", "mfa_active",
	"access_key_1_active", "access_key_1_last_rotated", "access_key_1_last_used_date",
	"access_key_1_last_used_region", "access_key_1_last_used_service",
	"access_key_2_active", "access_key_2_last_rotated", "access_key_2_last_used_date",
	"access_key_2_last_used_region", "access_key_2_last_used_service",
	"cert_1_active", "cert_1_last_rotated", "cert_2_active", "cert_2_last_rotated",
}

// credentialReport parses CSV bytes. lineLoc locates a CSV line (1-based)
// in the input file: the row's own line of a CSV file or of a Lines
// entry, or the one Content string that holds them all, in which case
// prefixed makes messages name the CSV line.
func (r *reader) credentialReport(data []byte, lineLoc func(line int) policy.Location, prefixed bool, generated *jsonpos.Value) error {
	l := r.l
	name := r.src.Name
	prefix := func(line int) string {
		if prefixed {
			return "credential report line " + strconv.Itoa(line) + ": "
		}
		return ""
	}
	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err != nil {
		return &InputError{Loc: lineLoc(1), Msg: prefix(1) + "credential report header: " + err.Error()}
	}
	col := make(map[string]int, len(header))
	for i, h := range header {
		// Two columns of one name leave no way to know which holds the
		// value AWS wrote (a spreadsheet edit gone wrong).
		if _, dup := col[h]; dup {
			return &InputError{Loc: lineLoc(1), Msg: prefix(1) + fmt.Sprintf("credential report column %q appears twice", h)}
		}
		col[h] = i
	}
	idx := make([]int, len(reportColumns))
	var missingCols []string
	for i, c := range reportColumns {
		j, ok := col[c]
		if !ok {
			j = -1
			missingCols = append(missingCols, c)
		}
		idx[i] = j
	}
	if idx[0] < 0 || idx[1] < 0 {
		return &InputError{Loc: lineLoc(1), Msg: prefix(1) + "credential report header must have user and arn columns"}
	}
	if len(missingCols) > 0 {
		l.problem(lineLoc(1), "%scredential report lacks columns %s; those fields are unknown", prefix(1), strings.Join(missingCols, ", "))
	}
	known := make(map[string]bool, len(reportColumns))
	for _, c := range reportColumns {
		known[c] = true
	}
	for _, h := range header {
		if !known[h] {
			l.problem(lineLoc(1), "%scredential report column %q is unknown; it is not read", prefix(1), h)
		}
	}
	rep := &snapshot.CredentialReport{Loc: name}
	var errs []error
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			line := 0
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.Line
			}
			errs = append(errs, &InputError{Loc: lineLoc(line), Msg: prefix(line) + "malformed credential report: " + err.Error()})
			break
		}
		line, _ := cr.FieldPos(0)
		if len(rec) != len(header) {
			errs = append(errs, &InputError{Loc: lineLoc(line), Msg: prefix(line) + "credential report row has " + strconv.Itoa(len(rec)) + " fields, the header has " + strconv.Itoa(len(header))})
			continue
		}
		if strings.TrimSpace(rec[idx[0]]) == "" {
			// A blank row from a spreadsheet, or a damaged one: no user to
			// attach the fields to.
			l.problem(lineLoc(line), "%scredential report row has no user name; it is not read", prefix(line))
			continue
		}
		// Rules point findings at the row: the line of the input file
		// that holds it, not its line in the CSV.
		row := &snapshot.CredentialRow{Line: lineLoc(line).Line, Loc: lineLoc(line)}
		p := rowParser{rec: rec, idx: idx, bad: func(column, value, want string) {
			l.problem(lineLoc(line), "%scredential report column %s: %q is not %s", prefix(line), column, value, want)
		}}
		row.User = p.text(0)
		row.ARN = p.text(1)
		row.UserCreationTime = p.time(2)
		row.PasswordEnabled = p.tri(3)
		row.PasswordLastUsed = p.time(4)
		row.PasswordLastChanged = p.time(5)
		row.PasswordNextRotation = p.time(6)
		row.MFAActive = p.tri(7)
		for k := 0; k < 2; k++ {
			b := 8 + 5*k
			row.AccessKeys[k] = snapshot.AccessKey{
				Active:          p.tri(b),
				LastRotated:     p.time(b + 1),
				LastUsed:        p.time(b + 2),
				LastUsedRegion:  p.text(b + 3),
				LastUsedService: p.text(b + 4),
			}
			row.Certs[k] = snapshot.Cert{Active: p.tri(18 + 2*k), LastRotated: p.time(19 + 2*k)}
		}
		row.IsRoot = row.User == "<root_account>"
		if row.IsRoot {
			rep.Root = row
		}
		l.noteARN(row.ARN, lineLoc(line))
		rep.Rows = append(rep.Rows, row)
	}
	if len(errs) > 0 {
		return errors.Join(errs...)
	}
	if generated != nil {
		rep.GeneratedTime = r.time(generated, "GeneratedTime")
	}
	if l.snap.CredentialReport != nil {
		l.problem(lineLoc(1), "a second credential report was given (the first came from %s); the newer one is kept", l.snap.CredentialReport.Loc)
		if rep.GeneratedTime.Before(l.snap.CredentialReport.GeneratedTime) {
			return nil
		}
	}
	l.snap.CredentialReport = rep
	l.snap.Present[snapshot.DataCredentialReport] = true
	if !l.collectedAtSet && !rep.GeneratedTime.IsZero() {
		l.snap.CollectedAt = rep.GeneratedTime
	}
	return nil
}

// rowParser reads the typed columns of one report row.
type rowParser struct {
	rec []string
	idx []int
	bad func(column, value, want string)
}

func (p rowParser) field(i int) (string, bool) {
	j := p.idx[i]
	if j < 0 {
		return "", false
	}
	return p.rec[j], true
}

func (p rowParser) text(i int) string {
	s, _ := p.field(i)
	if s == "N/A" {
		return ""
	}
	// The report's strings are few and repeated ("us-east-1", "s3"); a
	// copy detaches them from the reused record buffer.
	return strings.Clone(s)
}

func (p rowParser) tri(i int) snapshot.Tri {
	s, ok := p.field(i)
	if !ok {
		return snapshot.Unknown
	}
	switch {
	case strings.EqualFold(s, "true"):
		return snapshot.True
	case strings.EqualFold(s, "false"):
		return snapshot.False
	case s == "N/A" || s == "not_supported" || s == "no_information" || s == "":
		return snapshot.Unknown
	}
	p.bad(reportColumns[i], s, "true, false, N/A or not_supported")
	return snapshot.Unknown
}

func (p rowParser) time(i int) snapshot.Time {
	s, ok := p.field(i)
	if !ok {
		return snapshot.Time{}
	}
	switch s {
	case "N/A", "no_information", "not_supported":
		return snapshot.Time{Raw: s}
	case "":
		return snapshot.Time{}
	}
	if t, ok := parseTime(s); ok {
		return snapshot.Time{T: t}
	}
	p.bad(reportColumns[i], s, "a timestamp, N/A, no_information or not_supported")
	return snapshot.Time{Raw: strings.Clone(s)}
}
