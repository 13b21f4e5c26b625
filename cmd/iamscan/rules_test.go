package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/iamscan/iamscan/collector/offline"
	"github.com/iamscan/iamscan/rules"
)

func iamscan(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestRulesListsBothEngines(t *testing.T) {
	t.Chdir(t.TempDir()) // no .iamscan.yaml around
	code, out, errOut := iamscan(t, "rules")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if got := strings.Fields(lines[0]); strings.Join(got, " ") != "ID SEVERITY ENGINE FAMILY TITLE" {
		t.Errorf("header %q", lines[0])
	}
	all, err := loadRules("")
	if err != nil {
		t.Fatal(err)
	}
	if len(lines)-1 != len(all) {
		t.Errorf("%d rows for %d rules", len(lines)-1, len(all))
	}
	for _, want := range []string{
		`(?m)^IAM052\s+medium\s+rego\s+trust\s+Cross-account trust to an account not in the trusted list$`,
		`(?m)^IAM001\s+critical\s+go\s+wildcards\s+`,
	} {
		if !regexp.MustCompile(want).MatchString(out) {
			t.Errorf("no row matching %s in\n%s", want, out)
		}
	}
}

func TestRulesJSON(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	if err := os.WriteFile(".iamscan.yaml", []byte("rules:\n  IAM037: {enabled: false}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := iamscan(t, "rules", "--format", "json")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var list []struct {
		ID, Engine, Title string
		Severity          rules.Severity
		Enabled           bool
	}
	if err := json.Unmarshal([]byte(out), &list); err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, r := range list {
		seen[r.Engine] = true
		if r.ID == "IAM037" && r.Enabled {
			t.Error("IAM037 is disabled by .iamscan.yaml but listed as enabled")
		}
		if r.ID == "IAM035" && (!r.Enabled || r.Severity != rules.Medium || r.Engine != "rego") {
			t.Errorf("IAM035 listed as %+v", r)
		}
	}
	if !seen["go"] || !seen["rego"] {
		t.Errorf("engines listed: %v", seen)
	}
}

func TestRulesErrors(t *testing.T) {
	t.Chdir(t.TempDir())
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"rules", "--format", "xml"}, `unknown format "xml"`},
		{[]string{"rules", "--rules-dir", "nope"}, "rules directory"},
		{[]string{"rules", "extra"}, `unexpected argument "extra"`},
		{[]string{"rules", "--config", "missing.yaml"}, "missing.yaml"},
		{[]string{"explain", "IAM999"}, "no rule IAM999"},
		{[]string{"explain"}, "usage: iamscan explain"},
	}
	for _, tt := range tests {
		code, _, errOut := iamscan(t, tt.args...)
		if code != exitUsage || !strings.Contains(errOut, tt.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit %d and %q", tt.args, code, errOut, exitUsage, tt.want)
		}
	}
}

func TestExplain(t *testing.T) {
	t.Chdir(t.TempDir())
	tests := []struct {
		id   string
		want []string
	}{
		{"IAM036", []string{
			"IAM036  Password policy remembers fewer than 24 passwords\n",
			"engine: rego   source: rego/builtin/iam036_password_reuse.rego",
			"\nDESCRIPTION\n  The account password policy prevents reuse",
			"\nREMEDIATION\n  aws iam update-account-password-policy --password-reuse-prevention 24",
			"min_reuse_prevention (default 24): Smallest acceptable number of remembered passwords.",
			"CIS AWS Foundations v3.0.0 1.9: Ensure IAM password policy prevents password reuse",
			"CIS AWS Foundations v5.0.0 1.8:",
			"\nNEEDS (without this input the rule is reported as not evaluable)\n  password-policy\n",
		}},
		{"iam001", []string{"IAM001  ", "engine: go"}},
	}
	for _, tt := range tests {
		code, out, errOut := iamscan(t, "explain", tt.id)
		if code != exitOK {
			t.Fatalf("%s: exit %d: %s", tt.id, code, errOut)
		}
		for _, w := range tt.want {
			if !strings.Contains(out, w) {
				t.Errorf("explain %s: no %q in\n%s", tt.id, w, out)
			}
		}
	}
}

// docRule returns the first ```rego block of docs/custom-rules.md: the
// how-to's example, which users copy.
func docRule(t *testing.T) string { return docBlock(t, 0) }

// docBlock returns the i-th ```rego block of docs/custom-rules.md.
func docBlock(t *testing.T, i int) string {
	t.Helper()
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	doc, err := os.ReadFile(filepath.Join(wd, "..", "..", "docs", "custom-rules.md"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile("(?s)```rego\n(.*?)```").FindAllSubmatch(doc, -1)
	if len(m) <= i {
		t.Fatalf("docs/custom-rules.md has %d ```rego blocks, want at least %d", len(m), i+1)
	}
	return string(m[i][1])
}

// TestCustomRuleHowTo follows docs/custom-rules.md: the example rule,
// saved as the how-to says, is listed by `iamscan rules`, explained, fires
// on an account that breaks it and not on one that does not; and a typo
// in it gives the file and line.
func TestCustomRuleHowTo(t *testing.T) {
	text := docRule(t) // before leaving the package directory
	testText := docBlock(t, 1)
	dir := t.TempDir()
	t.Chdir(dir)
	rulesDir := filepath.Join(dir, "iam-rules")
	if err := os.Mkdir(rulesDir, 0o755); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(rulesDir, "iam901_admin_group.rego")
	if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}

	if code, out, _ := iamscan(t, "rules", "--rules-dir", "iam-rules", "--format", "markdown"); code != exitOK || !strings.Contains(out, "\n## IAM901\n\n**Group grants AdministratorAccess**\n") {
		t.Errorf("rules --format markdown: exit %d:\n%s", code, out)
	}
	// The how-to's unit tests pass, and catch a broken rule.
	if err := os.WriteFile(filepath.Join(rulesDir, "iam901_admin_group_test.rego"), []byte(testText), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, out, errOut := iamscan(t, "rules", "--test", "--rules-dir", "iam-rules"); code != exitOK || !strings.Contains(out, "PASS custom.iam901_test.test_admin_group_fires (") || !strings.HasSuffix(out, "2 tests, 0 failed\n") {
		t.Errorf("rules --test: exit %d, stderr %s, stdout:\n%s", code, errOut, out)
	}
	wrong := strings.Replace(text, `not group.name in`, `group.name in`, 1)
	if err := os.WriteFile(file, []byte(wrong), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, out, _ := iamscan(t, "rules", "--test", "--rules-dir", "iam-rules"); code != exitFindings || !strings.Contains(out, "FAIL custom.iam901_test.test_admin_group_fires (") || !strings.HasSuffix(out, "2 tests, 2 failed\n") {
		t.Errorf("rules --test on a broken rule: exit %d, stdout:\n%s", code, out)
	}
	if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}

	code, out, errOut := iamscan(t, "rules", "--rules-dir", "iam-rules")
	if code != exitOK || !regexp.MustCompile(`(?m)^IAM901\s+high\s+rego\s+wildcards\s+Group grants AdministratorAccess$`).MatchString(out) {
		t.Fatalf("iamscan rules: exit %d, stderr %s, stdout:\n%s", code, errOut, out)
	}
	if code, out, _ := iamscan(t, "explain", "--rules-dir", "iam-rules", "IAM901"); code != exitOK || !strings.Contains(out, "allowed_groups (default [break-glass])") {
		t.Errorf("explain: exit %d:\n%s", code, out)
	}
	// rules_dir in .iamscan.yaml works like --rules-dir.
	if err := os.WriteFile(".iamscan.yaml", []byte("rules_dir: iam-rules\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	setup, err := setupRules("", "")
	if err != nil {
		t.Fatal(err)
	}
	r := rules.Lookup(setup.enabled, "IAM901")
	if r == nil {
		t.Fatal("rules_dir in .iamscan.yaml did not load IAM901")
	}

	group := func(name, policyARN string) string {
		return `{"GroupName": "` + name + `", "GroupId": "AGPA` + strings.ToUpper(name) + `", "Arn": "arn:aws:iam::111122223333:group/` + name + `",
		  "Path": "/", "CreateDate": "2024-01-01T00:00:00Z", "GroupPolicyList": [],
		  "AttachedManagedPolicies": [{"PolicyName": "AdministratorAccess", "PolicyArn": "` + policyARN + `"}]}`
	}
	tests := []struct {
		name, groups string
		want         []string
	}{
		{"fires", group("ops", "arn:aws:iam::aws:policy/AdministratorAccess") + "," + group("break-glass", "arn:aws:iam::aws:policy/AdministratorAccess"),
			[]string{"group ops has AdministratorAccess attached"}},
		{"customer policy of the same name", group("ops", "arn:aws:iam::111122223333:policy/AdministratorAccess"), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			gaad := `{"UserDetailList": [], "RoleDetailList": [], "Policies": [], "GroupDetailList": [` + tt.groups + `]}`
			snap, err := offline.LoadBytes("gaad.json", []byte(gaad), offline.Options{})
			if err != nil {
				t.Fatal(err)
			}
			res := rules.Run(snap, []*rules.Rule{r}, rules.Options{})
			var got []string
			for _, f := range res.Findings {
				got = append(got, f.Message)
				if f.Location.File != "gaad.json" || f.Location.Line != 1 || f.Resource != "arn:aws:iam::111122223333:group/ops" {
					t.Errorf("finding at %s on %s", f.Location, f.Resource)
				}
			}
			if strings.Join(got, "|") != strings.Join(tt.want, "|") || res.Rules[0].Status == rules.StatusError {
				t.Errorf("findings %q (%+v), want %q", got, res.Rules, tt.want)
			}
		})
	}

	// The typo the how-to shows.
	broken := strings.Replace(text, "#   severity: high", "#   sevrity: high", 1)
	if err := os.WriteFile(file, []byte(broken), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errOut = iamscan(t, "rules", "--rules-dir", "iam-rules")
	want := filepath.Join("iam-rules", "iam901_admin_group.rego") + `:8: custom: unknown field "sevrity"`
	if code != exitUsage || !strings.Contains(errOut, want) {
		t.Errorf("broken rule: exit %d, stderr %q; want %q", code, errOut, want)
	}
}

// TestCustomRuleCannotReuseABuiltinID: ids never change meaning, so a
// custom rule taking a built-in's id is refused at start-up, at the line
// of its id: custom rules take IAM900-IAM999.
func TestCustomRuleCannotReuseABuiltinID(t *testing.T) {
	text := strings.Replace(docRule(t), "id: IAM901", "id: IAM052", 1)
	dir := t.TempDir()
	t.Chdir(dir)
	if err := os.WriteFile(filepath.Join(dir, "x.rego"), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := iamscan(t, "rules", "--rules-dir", ".")
	if code != exitUsage || !strings.Contains(errOut, "x.rego:7: id IAM052: custom rules take ids IAM900 to IAM999") {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
}
