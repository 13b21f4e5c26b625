package offline

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/iamscan/iamscan/rules"
)

// Statements for the mixed-document cases.
const (
	stTrust    = `{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}`
	stAdmin    = `{"Effect": "Allow", "Action": "*", "Resource": "*"}`
	stRead     = `{"Sid": "Read", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}`
	stResource = `{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:root"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}`
)

// mixedDoc writes one statement per line, from line 2.
func mixedDoc(stmts ...string) string {
	return "{\"Statement\": [\n" + strings.Join(stmts, ",\n") + "\n]}"
}

// TestMixedStatementKinds: a bare document whose statements are not all
// of one kind (Principal or none) is one AWS rejects; each statement
// that does not fit the document's kind (that of most statements, of
// the first on a tie) is reported at its line, and every statement is
// checked as what it looks like.
func TestMixedStatementKinds(t *testing.T) {
	tests := []struct {
		name     string
		stmts    []string
		parts    string   // each part: trust or identity, and its statement indexes
		problems []string // substrings, in order
	}{
		{"one kind: identity", []string{stAdmin, stRead}, "identity[0 1]", nil},
		{"one kind: trust", []string{stTrust, stTrust}, "trust[0 1]", nil},
		{"one kind: resource", []string{stResource}, "identity[0]", nil},
		{"trust first, tie", []string{stTrust, stAdmin}, "trust[0] identity[1]", []string{
			"p.json:3:1: policy document: statement 1 has no Principal, which every statement of a trust policy needs (the other statements make the document one; AWS rejects it); it is checked as an identity policy statement"}},
		{"identity first, tie", []string{stRead, stTrust}, "identity[0] trust[1]", []string{
			"p.json:3:1: policy document: statement 1 has a Principal, which an identity policy may not have (the other statements make the document one; AWS rejects it); it is checked as a trust policy statement"}},
		{"mostly trust", []string{stAdmin, stTrust, stTrust}, "trust[1 2] identity[0]", []string{
			"p.json:2:1: policy document: statement 0 has no Principal, which every statement of a trust policy needs"}},
		{"mostly identity", []string{stAdmin, stTrust, stRead}, "identity[0 2] trust[1]", []string{
			"p.json:3:1: policy document: statement 1 has a Principal, which an identity policy may not have"}},
		{"identity with a resource statement", []string{stRead, stResource, stAdmin}, "identity[0 1 2]", []string{
			"p.json:3:1: policy document: statement 1 has a Principal, which an identity policy may not have (the other statements make the document one; AWS rejects it); it is read as a resource policy statement, which the identity policy rules do not check"}},
		{"resource with an identity statement", []string{stResource, stRead, stResource}, "identity[0 1 2]", []string{
			`p.json:3:1: policy document: statement 1 (Sid "Read") has no Principal, which every statement of a resource policy needs`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := LoadBytes("p.json", []byte(mixedDoc(tt.stmts...)), Options{})
			if err != nil {
				t.Fatal(err)
			}
			var parts []string
			for _, sp := range s.Standalone {
				kind := "identity"
				if sp.Trust {
					kind = "trust"
				}
				var idx []string
				for _, st := range sp.Doc.Statements {
					idx = append(idx, fmt.Sprint(st.Index))
				}
				parts = append(parts, kind+"["+strings.Join(idx, " ")+"]")
				if sp.Name != "p.json" {
					t.Errorf("part named %q", sp.Name)
				}
			}
			if got := strings.Join(parts, " "); got != tt.parts {
				t.Errorf("parts %s, want %s", got, tt.parts)
			}
			got := problemTexts(s)
			if len(got) != len(tt.problems) {
				t.Fatalf("problems %q, want %d", got, len(tt.problems))
			}
			for i, want := range tt.problems {
				if !strings.HasPrefix(got[i], want) {
					t.Errorf("problem %d:\n got %s\nwant %s", i, got[i], want)
				}
			}
		})
	}
}

// TestMixedDocumentFindings: the statement the old loader lost (an
// admin statement in a file a trust statement made a trust policy)
// reaches the identity rules, and the document's clash reaches IAM091.
func TestMixedDocumentFindings(t *testing.T) {
	s, err := LoadBytes("p.json", []byte(mixedDoc(stTrust, stAdmin)), Options{})
	if err != nil {
		t.Fatal(err)
	}
	res := rules.Run(s, rules.Builtin(), rules.Options{AsOf: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)})
	got := map[string]string{}
	for _, f := range res.Findings {
		got[f.RuleID] = fmt.Sprintf("%s:%d", f.Location.File, f.Location.Line)
	}
	if got["IAM001"] != "p.json:3" || got["IAM091"] != "p.json:3" {
		t.Errorf("findings at %v; want IAM001 and IAM091 at p.json:3", got)
	}
}
