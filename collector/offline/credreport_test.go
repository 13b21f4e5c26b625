package offline

import (
	"encoding/base64"
	"errors"
	"strings"
	"testing"

	"github.com/iamscan/iamscan/snapshot"
)

const reportHeader = "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated"

var reportRows = []string{
	"<root_account>,arn:aws:iam::111122223333:root,2020-01-01T00:00:00+00:00,not_supported,2024-11-02T08:00:01+00:00,not_supported,not_supported,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A",
	"alice,arn:aws:iam::111122223333:user/alice,2021-01-01T00:00:00+00:00,true,2024-11-01T00:00:00+00:00,2021-01-01T00:00:00+00:00,N/A,false,true,2021-01-01T00:00:00+00:00,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A",
	// mfa_active "maybe" is not a value the report can hold: a problem.
	"bob,arn:aws:iam::111122223333:user/bob,2021-01-01T00:00:00+00:00,false,N/A,N/A,N/A,maybe,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A",
}

// rawWithReport is a raw document whose credential report member is the
// given JSON text, written as the collector writes it: indented.
func rawWithReport(report string) string {
	return "{\n" +
		"  \"Format\": \"iamscan-raw\",\n" +
		"  \"FormatVersion\": 1,\n" +
		"  \"AccountId\": \"111122223333\",\n" +
		"  \"CredentialReport\": " + report + "\n" +
		"}\n"
}

// lineCol finds the line and column (1-based, in bytes) where needle
// starts in text.
func lineCol(t *testing.T, text, needle string) (int, int) {
	t.Helper()
	i := strings.Index(text, needle)
	if i < 0 {
		t.Fatalf("%q not in the document", needle)
	}
	line := strings.Count(text[:i], "\n") + 1
	return line, i - strings.LastIndex(text[:i], "\n")
}

// The raw document's Lines form: each row points at the line of its own
// string, and so do the problems found in it (with the column).
func TestCredentialReportLinesLocations(t *testing.T) {
	var b strings.Builder
	b.WriteString("{\n    \"GeneratedTime\": \"2024-12-04T10:00:00Z\",\n    \"ReportFormat\": \"text/csv\",\n    \"Lines\": [\n")
	for i, l := range append([]string{reportHeader}, reportRows...) {
		if i > 0 {
			b.WriteString(",\n")
		}
		b.WriteString(`      "` + l + `"`)
	}
	b.WriteString("\n    ]\n  }")
	doc := rawWithReport(b.String())

	s, err := LoadBytes("acct.json", []byte(doc), Options{})
	if err != nil {
		t.Fatal(err)
	}
	cr := s.CredentialReport
	if cr == nil || len(cr.Rows) != 3 || cr.Root == nil || cr.Loc != "acct.json" {
		t.Fatalf("report = %+v", cr)
	}
	for i, row := range cr.Rows {
		want, _ := lineCol(t, doc, `"`+reportRows[i][:strings.IndexByte(reportRows[i], ',')+1])
		if row.Line != want {
			t.Errorf("row %s: Line %d, want %d, the line of its string", row.User, row.Line, want)
		}
	}
	if cr.Rows[1].User != "alice" || cr.Rows[1].PasswordEnabled != snapshot.True || !cr.GeneratedTime.Equal(s.CollectedAt) {
		t.Errorf("alice row %+v, generated %v collected %v", cr.Rows[1], cr.GeneratedTime, s.CollectedAt)
	}
	bobLine, bobCol := lineCol(t, doc, `"bob,`)
	var found bool
	for _, p := range s.Problems {
		if strings.Contains(p.Message, "mfa_active") {
			found = true
			if p.Loc.File != "acct.json" || p.Loc.Line != bobLine || p.Loc.Col != bobCol {
				t.Errorf("problem %q at %s, want acct.json:%d:%d (bob's string)", p.Message, p.Loc, bobLine, bobCol)
			}
			if strings.Contains(p.Message, "credential report line") {
				t.Errorf("problem %q names a CSV line although it points at the row itself", p.Message)
			}
		} else {
			t.Errorf("unexpected problem %s", p)
		}
	}
	if !found {
		t.Errorf("no problem for bob's mfa_active; problems: %v", problemTexts(s))
	}
}

// The API's base64 Content form: every row is inside the one string, so
// rows and problems point at the Content value, never at an unrelated
// line of the document (line 2 is "Format").
func TestCredentialReportContentLocations(t *testing.T) {
	csv := strings.Join(append([]string{reportHeader}, reportRows...), "\n") + "\n"
	doc := rawWithReport("{\n    \"ReportFormat\": \"text/csv\",\n    \"Content\": \"" + base64.StdEncoding.EncodeToString([]byte(csv)) + "\"\n  }")
	s, err := LoadBytes("acct.json", []byte(doc), Options{})
	if err != nil {
		t.Fatal(err)
	}
	line, col := lineCol(t, doc, `"`+base64.StdEncoding.EncodeToString([]byte(csv))[:20])
	for _, row := range s.CredentialReport.Rows {
		if row.Line != line {
			t.Errorf("row %s: Line %d, want %d, the line of Content", row.User, row.Line, line)
		}
	}
	if len(s.Problems) != 1 {
		t.Fatalf("problems: %v", problemTexts(s))
	}
	p := s.Problems[0]
	if p.Loc.Line != line || p.Loc.Col != col || !strings.HasPrefix(p.Message, "credential report line 4: ") {
		t.Errorf("problem %q at %s, want %d:%d naming CSV line 4", p.Message, p.Loc, line, col)
	}
}

// A CSV file's rows keep their own line numbers.
func TestCredentialReportCSVLines(t *testing.T) {
	csv := strings.Join(append([]string{reportHeader}, reportRows...), "\n") + "\n"
	s, err := LoadBytes("report.csv", []byte(csv), Options{})
	if err != nil {
		t.Fatal(err)
	}
	for i, row := range s.CredentialReport.Rows {
		if row.Line != i+2 {
			t.Errorf("row %s: Line %d, want %d", row.User, row.Line, i+2)
		}
	}
}

func TestCredentialReportLinesErrors(t *testing.T) {
	for _, c := range []struct {
		name, report string
		want         string // "LINE:COL: message" of the input error
	}{
		{"not a list", `{"Lines": "user,arn"}`, "5:33: credential report Lines must be a list of strings, found string"},
		{"not a string", `{"Lines": ["` + reportHeader + `", 3]}`, "credential report Lines entries must be strings, found number"},
		{"no header", `{"Lines": ["alice,arn:aws:iam::111122223333:user/alice"]}`, "5:34: credential report Lines do not hold a credential report CSV"},
		{"empty", `{"Lines": []}`, "5:33: credential report Lines do not hold a credential report CSV"},
		{"short row", `{"Lines": ["` + reportHeader + `", "alice,arn:aws:iam::111122223333:user/alice"]}`, "credential report row has 2 fields, the header has 22"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := LoadBytes("acct.json", []byte(rawWithReport(c.report)), Options{})
			var ie *InputError
			if !errors.As(err, &ie) || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want an input error containing %q", err, c.want)
			}
		})
	}
}

// Lines and Content together: Lines is read, and the duplicate said.
func TestCredentialReportLinesAndContent(t *testing.T) {
	lines := `["` + reportHeader + `", "` + reportRows[1] + `"]`
	content := base64.StdEncoding.EncodeToString([]byte(reportHeader + "\n" + reportRows[0] + "\n" + reportRows[1] + "\n"))
	s, err := LoadBytes("acct.json", []byte(rawWithReport(`{"Content": "`+content+`", "Lines": `+lines+`}`)), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(s.CredentialReport.Rows) != 1 || s.CredentialReport.Rows[0].User != "alice" {
		t.Errorf("rows = %+v, want alice's from Lines", s.CredentialReport.Rows)
	}
	if got := problemTexts(s); len(got) != 1 || !strings.Contains(got[0], "both Lines and Content; Lines is read") {
		t.Errorf("problems = %v", got)
	}
}
