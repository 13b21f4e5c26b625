package rulesdoc_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/iamscan/iamscan/internal/rulesdoc"
	"github.com/iamscan/iamscan/rego"
	"github.com/iamscan/iamscan/rules"
	"github.com/iamscan/iamscan/snapshot"
)

var update = flag.Bool("update", false, "rewrite docs/rules.md from the rules' metadata")

var docPath = filepath.Join("..", "..", "docs", "rules.md")

// TestRulesDocIsCurrent fails when docs/rules.md differs from what the
// built-in rules' metadata renders to. Regenerate with
// go test ./internal/rulesdoc -update
func TestRulesDocIsCurrent(t *testing.T) {
	var got bytes.Buffer
	all := append(rules.Builtin(), rego.Builtin()...)
	if err := rulesdoc.Markdown(&got, all); err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile(docPath, got.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(docPath)
	if err != nil {
		t.Fatalf("%v (generate it with: go test ./internal/rulesdoc -update)", err)
	}
	if !bytes.Equal(got.Bytes(), want) {
		gl, wl := strings.Split(got.String(), "\n"), strings.Split(string(want), "\n")
		for i := 0; i < len(gl) && i < len(wl); i++ {
			if gl[i] != wl[i] {
				t.Fatalf("docs/rules.md is stale from line %d:\n  file: %q\n  want: %q\nregenerate with: go test ./internal/rulesdoc -update", i+1, wl[i], gl[i])
			}
		}
		t.Fatalf("docs/rules.md is stale (%d lines, want %d); regenerate with: go test ./internal/rulesdoc -update", len(wl), len(gl))
	}
}

func TestMarkdownSections(t *testing.T) {
	r := &rules.Rule{Meta: rules.Meta{
		ID: "IAM035", Title: "Short | passwords", Severity: rules.Medium, Family: "credentials", Engine: "rego",
		Description: "Why.\nMore why.", Remediation: "Fix it.",
		Params:     []rules.Param{{Name: "min_length", Doc: "Smallest length.", Default: 14}, {Name: "ids", Doc: "Ids.", Default: []string{"a", "b"}}},
		CIS:        []rules.CISRef{{Benchmark: rules.CISv3, Control: "1.8"}},
		References: []string{"https://example.com/x"},
		Needs:      []snapshot.Data{snapshot.DataPasswordPolicy},
	}}
	var b bytes.Buffer
	if err := rulesdoc.Markdown(&b, []*rules.Rule{r}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		rulesdoc.Header + "\n",
		"1 rules: 0 in Go, 1 in Rego.",
		`| [IAM035](#iam035) | medium | rego | credentials | Short \| passwords |`,
		"\n## IAM035\n\n**Short | passwords**\n\nSeverity: medium · Family: credentials · Engine: rego\n\nWhy.\nMore why.\n",
		"**Remediation.** Fix it.\n",
		"| `min_length` | `14` | Smallest length. |",
		"| `ids` | `[a, b]` | Ids. |",
		"- v3.0.0 1.8: Ensure IAM password policy requires minimum length of 14 or greater\n",
		"- <https://example.com/x>\n",
		"Needs: `password-policy` (without it the rule is not evaluable).",
	} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("no %q in\n%s", want, b.String())
		}
	}
}
