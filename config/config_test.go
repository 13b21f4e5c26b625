package config

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/iamscan/iamscan/rules"
)

// testRules stands in for the built-in set: the configuration is checked
// against whatever rules the scan has.
func testRules() []*rules.Rule {
	mk := func(id string, params ...rules.Param) *rules.Rule {
		return &rules.Rule{Meta: rules.Meta{ID: id, Severity: rules.Medium, Params: params}}
	}
	return []*rules.Rule{
		mk("IAM025", rules.Param{Name: "days", Default: 90}),
		mk("IAM037"),
		mk("IAM052", rules.Param{Name: "trusted_accounts", Default: []string{}}),
		mk("IAM053", rules.Param{Name: "trusted_accounts", Default: []string{}}),
		mk("IAM099", rules.Param{Name: "strict", Default: false}, rules.Param{Name: "prefix", Default: "x"}),
	}
}

const full = `rules_dir: iam-rules
rules:
  IAM037: {enabled: false}
  IAM025:
    params:
      days: 60
  IAM052:
    severity: high
    params:
      trusted_accounts: ["444455556666", "777788889999"]
  IAM099:
    params: {strict: true, prefix: "y"}
suppressions:
  - rule: IAM053
    resource: "arn:aws:iam::111122223333:role/vendor-*"
    reason: Vendor cannot send an external id (SEC-123)
    expires: 2027-01-31
  - rule: IAM025
    resource: "*"
    reason: keys are rotated by the vault
`

func TestParseFull(t *testing.T) {
	c, err := Parse("/repo/.iamscan.yaml", []byte(full))
	if err != nil {
		t.Fatal(err)
	}
	if c.RulesDir != "/repo/iam-rules" {
		t.Errorf("RulesDir %q", c.RulesDir)
	}
	enabled, err := c.Rules(testRules())
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, r := range enabled {
		ids = append(ids, r.ID)
	}
	if want := []string{"IAM025", "IAM052", "IAM053", "IAM099"}; !reflect.DeepEqual(ids, want) {
		t.Errorf("enabled %v, want %v", ids, want)
	}
	if d := c.Disabled(); !reflect.DeepEqual(d, []string{"IAM037"}) {
		t.Errorf("disabled %v", d)
	}
	asOf := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	opt := c.Options(asOf)
	wantParams := map[string]map[string]any{
		"IAM025": {"days": 60},
		"IAM052": {"trusted_accounts": []string{"444455556666", "777788889999"}},
		"IAM099": {"strict": true, "prefix": "y"},
	}
	if !reflect.DeepEqual(opt.Params, wantParams) {
		t.Errorf("params %#v\nwant %#v", opt.Params, wantParams)
	}
	if !reflect.DeepEqual(opt.Severity, map[string]rules.Severity{"IAM052": rules.High}) || !opt.AsOf.Equal(asOf) {
		t.Errorf("severity %v, as of %v", opt.Severity, opt.AsOf)
	}
	s := c.Suppressions[0]
	if s.Rule != "IAM053" || s.Line != 14 || !s.Expires.Equal(time.Date(2027, 1, 31, 0, 0, 0, 0, time.UTC)) || s.Reason != "Vendor cannot send an external id (SEC-123)" {
		t.Errorf("suppression %+v", s)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct{ name, text, want string }{
		{"unknown top key", "rule_dir: x\n", `c.yaml:1: configuration: unknown key "rule_dir"`},
		{"unknown rule key", "rules:\n  IAM025:\n    enable: false\n", `c.yaml:3: rules.IAM025: unknown key "enable"`},
		{"enabled not bool", "rules:\n  IAM025:\n    enabled: nope\n", `c.yaml:3: rules.IAM025.enabled must be true or false`},
		{"bad severity", "rules:\n  IAM025: {severity: urgent}\n", `c.yaml:2: rules.IAM025.severity: unknown severity "urgent"`},
		{"duplicate rule", "rules:\n  IAM025: {}\n  IAM025: {}\n", `c.yaml:3: rules: duplicate rule IAM025`},
		{"suppression without reason", "suppressions:\n  - rule: IAM025\n    resource: '*'\n", `c.yaml:2: suppression: missing required key "reason"`},
		{"empty reason", "suppressions:\n  - rule: IAM025\n    resource: '*'\n    reason: ''\n", `c.yaml:4: suppression: reason must not be empty`},
		{"bad expiry", "suppressions:\n  - {rule: IAM025, resource: '*', reason: r, expires: next week}\n", `c.yaml:2: suppression expires: "next week" is not a date`},
		{"unknown suppression key", "suppressions:\n  - {rule: IAM025, resource: '*', reason: r, until: 2027-01-01}\n", `c.yaml:2: suppression: unknown key "until"`},
		{"suppressions not a list", "suppressions: {rule: IAM025}\n", `c.yaml:1: suppressions must be a list`},
		{"not yaml", "rules: [\n", `c.yaml: yaml: line 1`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("c.yaml", []byte(tt.text))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v\nwant it to contain %q", err, tt.want)
			}
		})
	}
}

// TestRulesErrors: mistakes only visible against the rule set.
func TestRulesErrors(t *testing.T) {
	tests := []struct{ name, text, want string }{
		{"unknown rule", "rules:\n  IAM999: {enabled: false}\n", `c.yaml:2: rules: unknown rule IAM999`},
		{"unknown param", "rules:\n  IAM025:\n    params: {dayz: 30}\n", `c.yaml:3: rules.IAM025.params: rule IAM025 has no parameter "dayz" (it takes days)`},
		{"param on rule without params", "rules:\n  IAM037:\n    params: {days: 30}\n", `(it takes none)`},
		{"int param given a string", "rules:\n  IAM025:\n    params: {days: ninety}\n", `c.yaml:3: rules.IAM025.params.days: want an integer, found "ninety"`},
		{"list param given a string", "rules:\n  IAM052:\n    params:\n      trusted_accounts: 444455556666\n", `c.yaml:4: rules.IAM052.params.trusted_accounts: want a list of strings`},
		{"bool param given a number", "rules:\n  IAM099:\n    params: {strict: 1}\n", `rules.IAM099.params.strict: want true or false`},
		{"suppression of unknown rule", "suppressions:\n  - {rule: IAM998, resource: '*', reason: r}\n", `c.yaml:2: suppression: unknown rule IAM998`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Parse("c.yaml", []byte(tt.text))
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.Rules(testRules())
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v\nwant it to contain %q", err, tt.want)
			}
		})
	}
}

func TestSuppress(t *testing.T) {
	c, err := Parse("cfg.yaml", []byte(full))
	if err != nil {
		t.Fatal(err)
	}
	findings := func() []rules.Finding {
		return []rules.Finding{
			{RuleID: "IAM053", Resource: "arn:aws:iam::111122223333:role/vendor-datadog"},
			{RuleID: "IAM053", Resource: "arn:aws:iam::111122223333:role/partner"},
			{RuleID: "IAM052", Resource: "arn:aws:iam::111122223333:role/vendor-datadog"},
		}
	}
	tests := []struct {
		name       string
		asOf       time.Time
		suppressed []bool
		warnings   []string
	}{
		{
			name:       "before expiry",
			asOf:       time.Date(2027, 1, 31, 23, 59, 0, 0, time.UTC),
			suppressed: []bool{true, false, false},
			warnings:   []string{"cfg.yaml:18: suppression of IAM025 on * matched no finding; remove it if the problem is fixed"},
		},
		{
			name:       "after expiry",
			asOf:       time.Date(2027, 2, 1, 0, 0, 0, 0, time.UTC),
			suppressed: []bool{false, false, false},
			warnings: []string{
				"cfg.yaml:14: suppression of IAM053 on arn:aws:iam::111122223333:role/vendor-* expired on 2027-01-31 and no longer applies (1 matching findings reported)",
				"cfg.yaml:18: suppression of IAM025 on * matched no finding; remove it if the problem is fixed",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := findings()
			ws := c.Suppress(fs, tt.asOf)
			for i, f := range fs {
				if f.Suppressed() != tt.suppressed[i] {
					t.Errorf("finding %d (%s %s): suppressed %v, want %v", i, f.RuleID, f.Resource, f.Suppressed(), tt.suppressed[i])
				}
			}
			if s := fs[0].Suppression; s != nil && (s.Reason != "Vendor cannot send an external id (SEC-123)" || s.Source != "cfg.yaml:14" || s.Expires.IsZero()) {
				t.Errorf("suppression record %+v", s)
			}
			var got []string
			for _, w := range ws {
				got = append(got, w.String())
			}
			if !reflect.DeepEqual(got, tt.warnings) {
				t.Errorf("warnings:\n%q\nwant:\n%q", got, tt.warnings)
			}
		})
	}
}

func TestLoadDefault(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	c, err := LoadDefault("")
	if err != nil || c.Path != "" || len(c.Settings) != 0 {
		t.Fatalf("no file: %+v, %v", c, err)
	}
	if err := os.WriteFile(filepath.Join(dir, ".iamscan.yaml"), []byte("rules:\n  IAM037: {enabled: false}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err = LoadDefault("")
	if err != nil || filepath.Base(c.Path) != ".iamscan.yaml" || len(c.Disabled()) != 1 {
		t.Fatalf("found file: %+v, %v", c, err)
	}
	if _, err := LoadDefault(filepath.Join(dir, "missing.yaml")); err == nil {
		t.Fatal("an explicit --config that does not exist must be an error")
	}
}
