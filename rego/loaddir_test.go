package rego_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/iamscan/iamscan/rego"
	"github.com/iamscan/iamscan/rules"
)

const goodHeader = `# METADATA
# title: Role named test
# description: Roles must not be called test.
# custom:
#   id: IAM900
#   severity: low
#   family: unused
#   remediation: Rename the role.
#   needs: [authorization-details]
package custom.iam900
`

const goodBody = `
deny contains {"ref": role.ref, "message": sprintf("role %s is called test", [role.name])} if {
	some role in input.roles
	role.name == "test"
}
`

// TestLoadDirErrors feeds broken rule files to the loader: each error
// must name the file and the line of the mistake.
func TestLoadDirErrors(t *testing.T) {
	replace := func(old, new string) string { return strings.Replace(goodHeader, old, new, 1) + goodBody }
	tests := []struct {
		name, text string
		want       string // substring, after "FILE:"
	}{
		{"unknown custom field", replace("#   family: unused\n", "#   family: unused\n#   sevrity: high\n"), `rule.rego:8: custom: unknown field "sevrity"`},
		{"unknown top field", replace("# title:", "# authors: [me]\n# title:"), `rule.rego:2: METADATA: unknown field "authors"`},
		{"missing id", replace("#   id: IAM900\n", ""), `rule.rego:5: custom: missing required field "id"`},
		{"missing title", replace("# title: Role named test\n", ""), `rule.rego:2: METADATA: missing required field "title"`},
		{"bad severity", replace("severity: low", "severity: urgent"), `rule.rego:6: severity: unknown severity "urgent"`},
		{"bad family", replace("family: unused", "family: misc"), `rule.rego:7: unknown family "misc"`},
		{"bad needs", replace("[authorization-details]", "[gaad]"), `rule.rego:9: needs: unknown data kind "gaad"`},
		{"unquoted cis", replace("#   needs:", "#   cis:\n#     v3.0.0: 1.17\n#   needs:"), `rule.rego:10: cis v3.0.0: control id must be a quoted string`},
		{"unknown cis version", replace("#   needs:", "#   cis:\n#     v2.0.0: \"1.1\"\n#   needs:"), `rule.rego:10: cis: unknown field "v2.0.0"`},
		{"param without default", replace("#   needs:", "#   params:\n#     days:\n#       doc: Age.\n#   needs:"), `rule.rego:11: params.days: missing required field "default"`},
		{"no metadata", "package custom.x\n" + goodBody, `rule.rego:1: package custom.x has no "# METADATA" block`},
		{"no deny", goodHeader + "\nallow := true\n", `rule.rego:10: package custom.iam900 has no deny rule`},
		{"deny not a set", goodHeader + "\ndeny := {\"message\": \"x\"}\n", `rule.rego:12: deny must be a set of findings`},
		{"parse error", goodHeader + "\ndeny contains f if {\n\tf := \n}\n", `rule.rego:14: rego_parse_error: unexpected } token`},
		{"type error", goodHeader + "\ndeny contains f if {\n\tf := iam.action_matches(1, \"s3:GetObject\")\n}\n", `rule.rego:13: rego_type_error: iam.action_matches: invalid argument(s)`},
		{"type error in a catalog built-in", goodHeader + "\ndeny contains f if {\n\tf := iam.expand_actions([\"s3:*\"])\n}\n", `rule.rego:13: rego_type_error: iam.expand_actions: invalid argument(s)`},
		{"unknown function", goodHeader + "\ndeny contains f if {\n\tf := iam.no_such(\"x\")\n}\n", `rule.rego:13: rego_type_error: undefined function iam.no_such`},
		{"malformed id", replace("id: IAM900", "id: FOO"), `rule.rego:5: id "FOO": a rule id is IAM followed by three digits`},
		{"built-in id", replace("id: IAM900", "id: IAM031"), `rule.rego:5: id IAM031: custom rules take ids IAM900 to IAM999; lower ids are reserved`},
		{"invalid yaml", replace("# description: Roles must not be called test.", "# description: [unclosed"), `rule.rego:3: rego_parse_error: yaml: line 1:`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "rule.rego"), []byte(tt.text), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := rego.LoadDir(dir)
			if err == nil {
				t.Fatal("loaded a broken rule")
			}
			want := filepath.Join(dir, tt.want)
			if !strings.Contains(err.Error(), want) {
				t.Errorf("error:\n%v\nwant it to contain:\n%s", err, want)
			}
		})
	}
}

func TestLoadDirGoodRule(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "iam900.rego"), []byte(goodHeader+goodBody), 0o644); err != nil {
		t.Fatal(err)
	}
	// A test file beside it is not a rule.
	if err := os.WriteFile(filepath.Join(dir, "iam900_test.rego"), []byte("package custom.iam900_test\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	rs, err := rego.LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 1 || rs[0].ID != "IAM900" || rs[0].Engine != "rego" || rs[0].Source != filepath.Join(dir, "iam900.rego") {
		t.Fatalf("loaded %+v", rs)
	}
	if err := rules.Validate(rs); err != nil {
		t.Fatal(err)
	}
}

func TestLoadDirRejectsTwoRulesInOnePackage(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []string{"a.rego", "b.rego"} {
		text := strings.Replace(goodHeader, "IAM900", "IAM90"+n[:1], 1)
		text = strings.Replace(text, "IAM90a", "IAM901", 1)
		text = strings.Replace(text, "IAM90b", "IAM902", 1)
		if err := os.WriteFile(filepath.Join(dir, n), []byte(text+goodBody), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	_, err := rego.LoadDir(dir)
	if err == nil || !strings.Contains(err.Error(), "b.rego:1: rego_type_error: package annotation redeclared") {
		t.Fatalf("error %v; want a conflict naming b.rego:1", err)
	}
}

func TestLoadDirMissing(t *testing.T) {
	if _, err := rego.LoadDir(filepath.Join(t.TempDir(), "nope")); err == nil {
		t.Fatal("no error for a missing directory")
	}
}

// TestBadFindingIsARuleError: a custom rule that breaks the finding
// contract makes that rule error out, with the reason, rather than
// produce half-baked findings.
func TestBadFindingIsARuleError(t *testing.T) {
	tests := []struct{ body, want string }{
		{`deny contains {"message": "x", "colour": "red", "resource": "r"} if true`, `unknown field "colour"`},
		{`deny contains {"resource": "r"} if true`, "has no message"},
		{`deny contains {"message": "x"} if true`, "neither a resource nor a ref"},
		{`deny contains {"message": "x", "ref": 99999} if true`, "not a ref taken from the input"},
		{`deny contains "just a string" if true`, "is not an object"},
		{`deny contains {"message": 3, "resource": "r"} if true`, `field "message" must be a string`},
	}
	for _, tt := range tests {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "r.rego"), []byte(goodHeader+"\n"+tt.body+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		rs, err := rego.LoadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		snap := loadAccount(t)
		res := rules.Run(snap, rs, rules.Options{})
		if len(res.Rules) != 1 || res.Rules[0].Status != rules.StatusError || !strings.Contains(res.Rules[0].Reason, tt.want) {
			t.Errorf("%s: got %+v; want an error containing %q", tt.body, res.Rules, tt.want)
		}
	}
}

// runCustomRule writes a custom rule (goodHeader, then body) as r.rego in
// a fresh directory, loads it and runs it on the test account.
func runCustomRule(t *testing.T, body string) (dir string, res *rules.Result) {
	t.Helper()
	dir = t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "r.rego"), []byte(goodHeader+body), 0o644); err != nil {
		t.Fatal(err)
	}
	rs, err := rego.LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	return dir, rules.Run(loadAccount(t), rs, rules.Options{})
}

// TestWholeInputBuildsEverySection: a custom rule that reads input as a
// whole gets every section.
func TestWholeInputBuildsEverySection(t *testing.T) {
	_, res := runCustomRule(t, "\ndeny contains {\"message\": \"big\", \"resource\": \"r\"} if count(input) > 100\n")
	n := 0
	for k := range res.Shared {
		if strings.HasPrefix(k, "rego-input/") {
			n++
		}
	}
	if n != 4 || res.Rules[0].Status != rules.StatusPass {
		t.Errorf("built %d input groups (%v), status %+v; want all 4 and a pass", n, res.Shared, res.Rules[0])
	}
}

func TestTestErrors(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "r.rego"), []byte(goodHeader+goodBody), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "r_test.rego"), []byte("package custom.iam900_test\n\ntest_x if {\n\tcount(data.custom.iam900.deny) == \n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := rego.Test(context.Background(), dir)
	if want := filepath.Join(dir, "r_test.rego") + ":5: rego_parse_error"; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("error %v, want %q", err, want)
	}
	if _, err := rego.Test(context.Background(), filepath.Join(dir, "missing")); err == nil {
		t.Error("no error for a missing directory")
	}
}

// TestSectionsFollowCalls: a rule that calls into another rule's package
// gets the input sections that package reads.
func TestSectionsFollowCalls(t *testing.T) {
	dir := t.TempDir()
	b := strings.Replace(strings.Replace(goodHeader, "IAM900", "IAM902", 1), "custom.iam900", "custom.iam902", 1) +
		"\nuser_count := count(input.users)\n\ndeny contains {\"message\": \"x\", \"resource\": \"r\"} if false\n"
	a := goodHeader + "\ndeny contains {\"message\": sprintf(\"%d users\", [data.custom.iam902.user_count]), \"resource\": \"r\"} if true\n"
	for name, text := range map[string]string{"a.rego": a, "b.rego": b} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	rs, err := rego.LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	res := rules.Run(loadAccount(t), []*rules.Rule{rules.Lookup(rs, "IAM900")}, rules.Options{})
	if _, built := res.Shared["rego-input/users"]; !built || len(res.Findings) != 1 || res.Findings[0].Message != "1 users" {
		t.Errorf("shared %v, findings %+v, rules %+v", res.Shared, res.Findings, res.Rules)
	}
}

// TestBuiltinErrorIsARuleError: a built-in that fails at run time (here
// sprintf given a string instead of an array) makes the rule an error,
// naming the file and line, never a silent pass with no findings.
func TestBuiltinErrorIsARuleError(t *testing.T) {
	dir, res := runCustomRule(t, "\ndeny contains {\"ref\": role.ref, \"message\": msg} if {\n\tsome role in input.roles\n\tmsg := sprintf(\"role %s\", role.name)\n}\n")
	want := filepath.Join(dir, "r.rego") + ":14"
	if len(res.Rules) != 1 || res.Rules[0].Status != rules.StatusError || !strings.Contains(res.Rules[0].Reason, want) || !strings.Contains(res.Rules[0].Reason, "sprintf") {
		t.Errorf("got %+v; want an error at %s naming sprintf", res.Rules, want)
	}
}

// TestLoadDirDuplicateID: two custom rules with one id are refused, both
// named with the line of their id.
func TestLoadDirDuplicateID(t *testing.T) {
	dir := t.TempDir()
	other := strings.Replace(goodHeader, "package custom.iam900", "package custom.other", 1) + goodBody
	for name, text := range map[string]string{"a.rego": goodHeader + goodBody, "b.rego": other} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	_, err := rego.LoadDir(dir)
	want := filepath.Join(dir, "b.rego") + ":5: rule id IAM900 is already used by " + filepath.Join(dir, "a.rego") + ":5"
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("error %v, want %q", err, want)
	}
}

// TestLoadDirRecursive: rules in subdirectories load (and their tests
// run); hidden directories such as .git are skipped.
func TestLoadDirRecursive(t *testing.T) {
	dir := t.TempDir()
	write := func(rel, text string) {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	second := strings.NewReplacer("IAM900", "IAM901", "custom.iam900", "custom.iam901").Replace(goodHeader) + goodBody
	write("iam900.rego", goodHeader+goodBody)
	write("team/roles/iam901.rego", second)
	write("team/roles/iam901_test.rego", "package custom.iam901_test\n\ntest_quiet if count(data.custom.iam901.deny) == 0 with input as {\"roles\": []}\n")
	write(".git/hooks/broken.rego", "this is not rego")
	write("team/.old.rego", "neither is this")
	rs, err := rego.LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 2 || rs[1].ID != "IAM901" || rs[1].Source != filepath.Join(dir, "team", "roles", "iam901.rego") {
		t.Errorf("loaded %d rules (%v); want IAM900 and IAM901 from team/roles", len(rs), rs)
	}
	results, err := rego.Test(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(results) != 1 || !results[0].Pass || !strings.HasPrefix(results[0].Location, filepath.Join(dir, "team", "roles", "iam901_test.rego")) {
		t.Errorf("tests: %+v; want the one in team/roles, passing", results)
	}
}

// TestBuiltinIDsStayBelowTheCustomRange: IAM900-IAM999 are promised to
// users (docs/custom-rules.md); a built-in rule there would collide.
func TestBuiltinIDsStayBelowTheCustomRange(t *testing.T) {
	for _, r := range append(rules.Builtin(), rego.Builtin()...) {
		if r.ID >= "IAM900" {
			t.Errorf("built-in rule %s (%s) takes an id of the custom range IAM900-IAM999", r.ID, r.Source)
		}
	}
}
