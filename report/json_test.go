package report

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/iamscan/iamscan/rules"
)

func reportSchemaPath() string { return filepath.Join("..", "docs", "report.schema.json") }

func writeJSON(t testing.TB, r *Report) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := JSON(&buf, r); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestJSONGoldenAndSchema(t *testing.T) {
	got := writeJSON(t, fixtureReport())
	sch := compileSchema(t, reportSchemaPath())
	if err := validateBytes(sch, got); err != nil {
		t.Fatalf("JSON report does not match docs/report.schema.json: %v", err)
	}
	// Indented for review, like the SARIF golden.
	var pretty bytes.Buffer
	if err := json.Indent(&pretty, got, "", "  "); err != nil {
		t.Fatal(err)
	}
	golden(t, "report.json", pretty.Bytes())
}

// The schema must be able to reject: each mutation of a valid report
// breaks one documented constraint.
func TestJSONSchemaRejects(t *testing.T) {
	sch := compileSchema(t, reportSchemaPath())
	base := writeJSON(t, fixtureReport())
	tests := []struct {
		name   string
		mutate func(m map[string]any)
	}{
		{"wrong schema version", func(m map[string]any) { m["schemaVersion"] = 2 }},
		{"unknown severity", func(m map[string]any) { finding(m, 0)["severity"] = "urgent" }},
		{"finding without fingerprint", func(m map[string]any) { delete(finding(m, 0), "fingerprint") }},
		{"bad rule id", func(m map[string]any) { finding(m, 0)["ruleId"] = "X1" }},
		{"suppression without reason", func(m map[string]any) { finding(m, 0)["suppression"] = map[string]any{} }},
		{"unknown top-level field", func(m map[string]any) { m["extra"] = true }},
		{"bad input digest", func(m map[string]any) {
			m["scan"].(map[string]any)["inputs"].([]any)[0].(map[string]any)["sha256"] = "xyz"
		}},
		{"unknown control status", func(m map[string]any) {
			m["cis"].([]any)[0].(map[string]any)["controls"].([]any)[0].(map[string]any)["status"] = "ok"
		}},
		{"missing summary", func(m map[string]any) { delete(m, "summary") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var m map[string]any
			if err := json.Unmarshal(base, &m); err != nil {
				t.Fatal(err)
			}
			tt.mutate(m)
			b, _ := json.Marshal(m)
			if err := validateBytes(sch, b); err == nil {
				t.Error("schema accepted the broken report")
			}
		})
	}
}

func finding(m map[string]any, i int) map[string]any {
	return m["findings"].([]any)[i].(map[string]any)
}

func TestJSONSummary(t *testing.T) {
	var doc jsonReport
	if err := json.Unmarshal(writeJSON(t, fixtureReport()), &doc); err != nil {
		t.Fatal(err)
	}
	s := doc.Summary
	// Fixture: 5 findings, one suppressed: critical 2 open (IAM001 role,
	// IAM020 root), low 2 open.
	wantOpen := map[string]int{"critical": 2, "high": 0, "medium": 0, "low": 2, "info": 0}
	for k, v := range wantOpen {
		if s.Open[k] != v {
			t.Errorf("open[%s] = %d, want %d", k, s.Open[k], v)
		}
	}
	if s.OpenTotal != 4 || s.Suppressed != 1 || s.Problems != 2 {
		t.Errorf("openTotal %d suppressed %d problems %d, want 4 1 2", s.OpenTotal, s.Suppressed, s.Problems)
	}
	wantRules := map[string]int{"pass": 1, "fail": 3, "not-evaluable": 1, "error": 1, "disabled": 1}
	for k, v := range wantRules {
		if s.Rules[k] != v {
			t.Errorf("rules[%s] = %d, want %d", k, s.Rules[k], v)
		}
	}
	if doc.Scan.WallTimeMs != 1234 || doc.SchemaVersion != 1 {
		t.Errorf("wallTimeMs %d schemaVersion %d", doc.Scan.WallTimeMs, doc.SchemaVersion)
	}
}

func TestCISMatrix(t *testing.T) {
	r := fixtureReport()
	ms := CISMatrix(r)
	if len(ms) != 3 {
		t.Fatalf("%d matrices, want 3", len(ms))
	}
	row := func(version, id string) ControlRow {
		for _, m := range ms {
			if m.Benchmark != version {
				continue
			}
			for _, c := range m.Controls {
				if c.ID == id {
					return c
				}
			}
		}
		t.Fatalf("no control %s %s", version, id)
		return ControlRow{}
	}
	tests := []struct {
		version, id string
		status      ControlStatus
		findings    []string
		suppressed  []string
		reason      string
	}{
		// IAM001: one open finding, one suppressed.
		{rules.CISv3, "1.16", ControlFail, []string{"a1b2c3d4e5f6a7b8c9d0e1f2"}, []string{"0f0e0d0c0b0a090807060504"}, ""},
		{rules.CISv5, "1.15", ControlFail, []string{"a1b2c3d4e5f6a7b8c9d0e1f2"}, []string{"0f0e0d0c0b0a090807060504"}, ""},
		// IAM020 fails; the same numbers mean other controls in v5.
		{rules.CISv4, "1.4", ControlFail, []string{"111111111111111111111111"}, nil, ""},
		{rules.CISv5, "1.3", ControlFail, []string{"111111111111111111111111"}, nil, ""},
		// IAM024 is not evaluable.
		{rules.CISv3, "1.10", ControlNotEvaluable, nil, nil, "IAM024: input has no credential-report"},
		{rules.CISv5, "1.9", ControlNotEvaluable, nil, nil, "IAM024: input has no credential-report"},
		// Nothing maps to contact details.
		{rules.CISv3, "1.1", ControlNotCovered, nil, nil, ""},
		{rules.CISv5, "1.21", ControlNotCovered, nil, nil, ""},
	}
	for _, tt := range tests {
		got := row(tt.version, tt.id)
		if got.Status != tt.status || !slices.Equal(got.Findings, orEmpty(tt.findings)) || !slices.Equal(got.Suppressed, orEmpty(tt.suppressed)) || got.Reason != tt.reason {
			t.Errorf("%s %s = %s %v %v %q, want %s %v %v %q", tt.version, tt.id, got.Status, got.Findings, got.Suppressed, got.Reason,
				tt.status, tt.findings, tt.suppressed, tt.reason)
		}
	}

	// Suppressing the only open finding behind a control makes it pass;
	// a passing rule alone makes it pass too.
	for i := range r.Findings {
		if r.Findings[i].RuleID == "IAM020" {
			r.Findings[i].Suppression = &rules.Suppression{Reason: "keys are being rotated out"}
		}
	}
	ms = CISMatrix(r)
	if got := row(rules.CISv4, "1.4"); got.Status != ControlPass || len(got.Suppressed) != 1 {
		t.Errorf("all findings suppressed: %s %v, want pass with one suppressed", got.Status, got.Suppressed)
	}
}

func TestRuleSetDigest(t *testing.T) {
	metas := fixtureReport().Rules
	a, err := RuleSetDigest(metas, nil)
	if err != nil {
		t.Fatal(err)
	}
	reversed := slices.Clone(metas)
	slices.Reverse(reversed)
	b, _ := RuleSetDigest(reversed, nil)
	c, _ := RuleSetDigest(metas, map[string]map[string]any{"IAM040": {"days": 30}})
	changed := slices.Clone(metas)
	changed[0].Severity = rules.Low
	d, _ := RuleSetDigest(changed, nil)
	if !strings.HasPrefix(a, "sha256:") || a != b {
		t.Errorf("digest depends on order: %s vs %s", a, b)
	}
	if a == c || a == d {
		t.Error("digest does not change with parameters or severity")
	}
}

// A severity set in the configuration is the rule's severity in every
// format: SARIF rule level and security-severity (GitHub ranks alerts by
// them), the JSON rule list (with the rule's own severity beside it), the
// HTML rule documentation and the rule-set digest.
func TestSeverityOverride(t *testing.T) {
	base := fixtureReport()
	r := fixtureReport()
	r.Rules, r.DefaultSeverity = EffectiveRules(r.Rules, map[string]rules.Severity{"IAM030": rules.Critical, "IAM001": rules.Critical})
	if len(r.DefaultSeverity) != 1 || r.DefaultSeverity["IAM030"] != rules.Low {
		t.Fatalf("defaults = %v, want only IAM030: low (IAM001 is critical already)", r.DefaultSeverity)
	}
	if base.Rules[3].ID != "IAM030" || base.Rules[3].Severity != rules.Low {
		t.Fatal("EffectiveRules changed its argument")
	}

	run := parseSARIF(t, writeSARIF(t, r)).Runs[0]
	for _, d := range run.Tool.Driver.Rules {
		if d.ID == "IAM030" {
			if d.DefaultConfiguration.Level != "error" || d.Properties["security-severity"] != "9.5" || d.Properties["problem.severity"] != "error" {
				t.Errorf("SARIF IAM030: level %q, security-severity %v, problem.severity %v; want error, 9.5, error",
					d.DefaultConfiguration.Level, d.Properties["security-severity"], d.Properties["problem.severity"])
			}
		}
	}

	var doc struct {
		Scan  struct{ RuleSetDigest string }
		Rules []struct {
			ID              string `json:"id"`
			Severity        string `json:"severity"`
			DefaultSeverity string `json:"defaultSeverity"`
		}
	}
	data := writeJSON(t, r)
	if err := validateBytes(compileSchema(t, reportSchemaPath()), data); err != nil {
		t.Errorf("JSON with an override does not match the schema: %v", err)
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	for _, m := range doc.Rules {
		want, wantDefault := "", ""
		switch m.ID {
		case "IAM030":
			want, wantDefault = "critical", "low"
		case "IAM001":
			want = "critical"
		default:
			continue
		}
		if m.Severity != want || m.DefaultSeverity != wantDefault {
			t.Errorf("JSON %s: severity %q default %q, want %q %q", m.ID, m.Severity, m.DefaultSeverity, want, wantDefault)
		}
	}

	page := string(writeHTML(t, r))
	if !strings.Contains(page, `<span class="sev sev-critical">critical</span> <span class="muted">(set in the configuration; the rule's own severity is low)</span>`) {
		t.Error("HTML rule documentation does not show the configured severity and the rule's own")
	}

	a, _ := RuleSetDigest(base.Rules, nil)
	b, _ := RuleSetDigest(r.Rules, nil)
	if a == b {
		t.Error("a severity override does not change the rule-set digest")
	}
}
