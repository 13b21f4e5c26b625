package config_test

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/iamscan/iamscan/config"
	"github.com/iamscan/iamscan/rego"
	"github.com/iamscan/iamscan/rules"
)

// TestDocumentedExample checks that the example of docs/configuration.md
// is a valid configuration for the built-in rules: the documentation
// cannot show keys, rules or parameters that do not exist.
func TestDocumentedExample(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "docs", "configuration.md"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile("(?s)```yaml\n(.*?)```").FindSubmatch(doc)
	if m == nil {
		t.Fatal("docs/configuration.md has no ```yaml block")
	}
	c, err := config.Parse("docs/configuration.md", m[1])
	if err != nil {
		t.Fatal(err)
	}
	all := append(rules.Builtin(), rego.Builtin()...)
	enabled, err := c.Rules(all)
	if err != nil {
		t.Fatal(err)
	}
	if len(enabled) != len(all)-1 || len(c.Suppressions) != 2 || c.RulesDir != filepath.Join("docs", "iam-rules") {
		t.Errorf("example: %d of %d rules enabled, %d suppressions, rules_dir %q", len(enabled), len(all), len(c.Suppressions), c.RulesDir)
	}
	opt := c.Options(c.Suppressions[0].Expires)
	if got := opt.Params["IAM025"]["days"]; got != 60 {
		t.Errorf("IAM025 days = %v", got)
	}
}
