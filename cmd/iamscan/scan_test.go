package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/iamscan/iamscan/rules"
)

// account is a small authorization-details file: one admin policy attached
// to a user, one role anyone can assume.
const account = `{
  "UserDetailList": [
    {"UserName": "alice", "UserId": "AIDAEXAMPLE1", "Path": "/",
     "Arn": "arn:aws:iam::111122223333:user/alice", "CreateDate": "2020-01-01T00:00:00Z",
     "GroupList": [], "UserPolicyList": [],
     "AttachedManagedPolicies": [{"PolicyName": "Admin", "PolicyArn": "arn:aws:iam::111122223333:policy/Admin"}]}
  ],
  "GroupDetailList": [],
  "RoleDetailList": [
    {"RoleName": "open", "RoleId": "AROAEXAMPLE1", "Path": "/",
     "Arn": "arn:aws:iam::111122223333:role/open", "CreateDate": "2020-01-01T00:00:00Z",
     "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [
       {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}]},
     "InstanceProfileList": [], "RolePolicyList": [], "AttachedManagedPolicies": [],
     "RoleLastUsed": {"LastUsedDate": "2026-10-30T00:00:00Z", "Region": "us-east-1"}}
  ],
  "Policies": [
    {"PolicyName": "Admin", "PolicyId": "ANPAEXAMPLE1", "Arn": "arn:aws:iam::111122223333:policy/Admin",
     "Path": "/", "DefaultVersionId": "v1", "AttachmentCount": 1, "IsAttachable": true,
     "CreateDate": "2020-01-01T00:00:00Z", "UpdateDate": "2020-01-01T00:00:00Z",
     "PolicyVersionList": [{"VersionId": "v1", "IsDefaultVersion": true, "CreateDate": "2020-01-01T00:00:00Z",
       "Document": {"Version": "2012-10-17", "Statement": [{"Sid": "All", "Effect": "Allow", "Action": "*", "Resource": "*"}]}}]}
  ]
}`

func writeInput(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errw bytes.Buffer
	code = run(args, &out, &errw)
	return code, out.String(), errw.String()
}

func TestScanExitCodes(t *testing.T) {
	input := writeInput(t, "authz.json", account)
	for _, tc := range []struct {
		name   string
		args   []string
		want   int
		stderr string
	}{
		{"no fail-on", []string{"--as-of", "2026-11-01"}, exitOK, ""},
		{"fail on critical", []string{"--fail-on", "critical", "--as-of", "2026-11-01"}, exitFindings, ""},
		{"unknown severity", []string{"--fail-on", "severe"}, exitUsage, `unknown severity "severe"`},
		{"bad as-of", []string{"--as-of", "yesterday"}, exitUsage, `--as-of "yesterday"`},
		{"unknown format", []string{"--format", "pdf"}, exitUsage, "pdf"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"scan", "--out", t.TempDir(), "--quiet", "--format", "json"}, tc.args...)
			code, _, stderr := runCLI(t, append(args, input)...)
			if code != tc.want {
				t.Fatalf("exit %d, want %d; stderr:\n%s", code, tc.want, stderr)
			}
			if !strings.Contains(stderr, tc.stderr) {
				t.Errorf("stderr lacks %q:\n%s", tc.stderr, stderr)
			}
		})
	}
}

func TestScanBadInputNamesFileAndLine(t *testing.T) {
	for _, tc := range []struct {
		name, content, want string
	}{
		{"truncated.json", "{\n  \"UserDetailList\": [\n    {\"UserName\": \"x\",\n", "truncated.json:4"},
		{"garbage.json", "\x00\x01\x02binary", "garbage.json:1:1"},
		{"empty.json", "", "empty.json"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			input := writeInput(t, tc.name, tc.content)
			code, _, stderr := runCLI(t, "scan", "--out", t.TempDir(), "--format", "json", input)
			if code != exitUsage {
				t.Fatalf("exit %d, want %d", code, exitUsage)
			}
			if !strings.Contains(stderr, tc.want) {
				t.Errorf("stderr does not name %q:\n%s", tc.want, stderr)
			}
		})
	}
}

// The rule set is prepared while the input loads; an error in it is still
// the one reported when the input (or the baseline) is broken too, and
// the demo is not written out for a scan that cannot run.
func TestScanSetupErrorComesFirst(t *testing.T) {
	cfg := writeInput(t, "bad.yaml", "rules:\n  IAM999:\n    enabled: false\n")
	broken := writeInput(t, "broken.json", "{")
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"broken input", []string{broken}},
		{"missing baseline", []string{"--baseline", filepath.Join(t.TempDir(), "none.json"), broken}},
		{"demo", []string{"--demo"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := t.TempDir()
			args := append([]string{"scan", "--out", out, "--quiet", "--format", "json", "--config", cfg}, tc.args...)
			code, _, stderr := runCLI(t, args...)
			if code != exitUsage || !strings.Contains(stderr, "IAM999") || strings.Contains(stderr, "broken.json") || strings.Contains(stderr, "none.json") {
				t.Errorf("exit %d, stderr:\n%s\nwant exit %d and only the configuration's error", code, stderr, exitUsage)
			}
			if entries, _ := os.ReadDir(out); len(entries) > 0 {
				t.Errorf("a failed scan wrote %d files to --out", len(entries))
			}
		})
	}
}

func TestScanWritesReportsAndSummary(t *testing.T) {
	input := writeInput(t, "authz.json", account)
	out := t.TempDir()
	code, stdout, stderr := runCLI(t, "scan", "--out", out, "--format", "json,sarif,html,csv,markdown", "--as-of", "2026-11-01", input)
	if code != exitOK {
		t.Fatalf("exit %d; stderr:\n%s", code, stderr)
	}
	for _, name := range []string{"iamscan.json", "iamscan.sarif", "iamscan.html", "iamscan.csv", "iamscan.md"} {
		if st, err := os.Stat(filepath.Join(out, name)); err != nil || st.Size() == 0 {
			t.Errorf("report %s not written: %v", name, err)
		}
	}
	if !strings.Contains(stdout, "IAM001") || !strings.Contains(stdout, "IAM050") {
		t.Errorf("summary does not show the admin policy and the open trust policy:\n%s", stdout)
	}
	var rep struct {
		Findings []struct {
			RuleID   string `json:"ruleId"`
			Resource string `json:"resource"`
		} `json:"findings"`
	}
	data, _ := os.ReadFile(filepath.Join(out, "iamscan.json"))
	if err := json.Unmarshal(data, &rep); err != nil {
		t.Fatalf("JSON report: %v", err)
	}
	found := map[string]bool{}
	for _, f := range rep.Findings {
		found[f.RuleID+" "+f.Resource] = true
	}
	for _, want := range []string{"IAM001 arn:aws:iam::111122223333:policy/Admin", "IAM050 arn:aws:iam::111122223333:role/open"} {
		if !found[want] {
			t.Errorf("JSON report lacks %s; has %v", want, found)
		}
	}
}

// Reports are deterministic for the same input and clock: a baseline or a
// golden diff must never change for no reason. With SOURCE_DATE_EPOCH the
// clock is fixed, so every format, and the summary on standard output,
// must be the same bytes run after run; nothing is left out of the
// comparison.
func TestScanIsDeterministic(t *testing.T) {
	input := writeInput(t, "authz.json", account)
	t.Setenv("SOURCE_DATE_EPOCH", "1795000000") // 2026-11-18T11:06:40Z
	files := []string{"iamscan.json", "iamscan.sarif", "iamscan.html", "iamscan.csv", "iamscan.md"}
	var first map[string][]byte
	for run := range 3 {
		out := t.TempDir()
		code, stdout, stderr := runCLI(t, "scan", "--out", out, "--format", "json,sarif,html,csv,markdown,text=-", "--as-of", "2026-11-01", input)
		if code != exitOK {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		got := map[string][]byte{"stdout": []byte(stdout)}
		for _, name := range files {
			data, err := os.ReadFile(filepath.Join(out, name))
			if err != nil {
				t.Fatal(err)
			}
			got[name] = data
		}
		if run == 0 {
			first = got
			continue
		}
		for name, data := range got {
			if !bytes.Equal(data, first[name]) {
				t.Errorf("run %d: %s differs from the first run's (%d vs %d bytes)", run+1, name, len(data), len(first[name]))
			}
		}
	}
	// The fixed clock is the generation time, and a stopped clock
	// measures no wall time.
	for _, want := range []string{`"generatedAt":"2026-11-18T11:06:40Z"`, `"wallTimeMs":0,`, `"asOf":"2026-11-01T00:00:00Z"`} {
		if !bytes.Contains(first["iamscan.json"], []byte(want)) {
			t.Errorf("JSON report lacks %s", want)
		}
	}
	if !bytes.Contains(first["iamscan.sarif"], []byte(`"endTimeUtc":"2026-11-18T11:06:40Z"`)) {
		t.Error("SARIF endTimeUtc is not the fixed clock's time")
	}
	if !bytes.Contains(first["iamscan.html"], []byte("<dt>Report generated</dt><dd>2026-11-18 11:06:40 UTC</dd>")) {
		t.Error("HTML does not show the fixed clock's time as the generation time")
	}
}

// Without SOURCE_DATE_EPOCH the report says when it was really
// generated, and how long the scan took, by the scan's clock; "as of"
// stays the date the rules measured from.
func TestScanGenerationTimeIsTheClocks(t *testing.T) {
	input := writeInput(t, "authz.json", account)
	t0 := time.Date(2027, 3, 4, 5, 6, 7, 0, time.UTC)
	calls := 0
	f := scanFlags{out: t.TempDir(), format: "json,sarif,html", failOn: "none", asOf: "2026-11-01", quiet: true,
		now: func() time.Time {
			calls++
			if calls == 1 {
				return t0
			}
			return t0.Add(1500 * time.Millisecond)
		}}
	var stdout, stderr bytes.Buffer
	if code, err := scan([]string{input}, f, &stdout, &stderr); code != exitOK || err != nil {
		t.Fatalf("exit %d, %v: %s", code, err, stderr.String())
	}
	data, err := os.ReadFile(filepath.Join(f.out, "iamscan.json"))
	if err != nil {
		t.Fatal(err)
	}
	var rep struct {
		Scan struct {
			AsOf        time.Time `json:"asOf"`
			GeneratedAt time.Time `json:"generatedAt"`
			WallTimeMs  int64     `json:"wallTimeMs"`
		} `json:"scan"`
	}
	if err := json.Unmarshal(data, &rep); err != nil {
		t.Fatal(err)
	}
	if !rep.Scan.GeneratedAt.Equal(t0.Add(time.Second)) || rep.Scan.WallTimeMs != 1500 || !rep.Scan.AsOf.Equal(time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("generatedAt %v, wallTimeMs %d, asOf %v; want %v, 1500, 2026-11-01", rep.Scan.GeneratedAt, rep.Scan.WallTimeMs, rep.Scan.AsOf, t0.Add(time.Second))
	}
	html, err := os.ReadFile(filepath.Join(f.out, "iamscan.html"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(html, []byte("<dt>Report generated</dt><dd>2027-03-04 05:06:08 UTC</dd>")) {
		t.Error("HTML \"Report generated\" is not the clock's time")
	}
	sarif, err := os.ReadFile(filepath.Join(f.out, "iamscan.sarif"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(sarif, []byte(`"endTimeUtc":"2027-03-04T05:06:08Z"`)) {
		t.Error("SARIF endTimeUtc is not the clock's time")
	}
}

// With neither --as-of nor a collection time in the input, "as of" is
// the scan's clock too: SOURCE_DATE_EPOCH makes such a scan reproducible.
func TestScanAsOfDefaultsToTheClock(t *testing.T) {
	input := writeInput(t, "authz.json", account)
	out := t.TempDir()
	t.Setenv("SOURCE_DATE_EPOCH", "1795000000")
	if code, _, stderr := runCLI(t, "scan", "--quiet", "--out", out, "--format", "json", input); code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	data, _ := os.ReadFile(filepath.Join(out, "iamscan.json"))
	if !bytes.Contains(data, []byte(`"asOf":"2026-11-18T11:06:40Z"`)) {
		t.Errorf("as-of is not SOURCE_DATE_EPOCH's time:\n%.400s", data)
	}
}

func TestScanRejectsBadSourceDateEpoch(t *testing.T) {
	input := writeInput(t, "authz.json", account)
	for _, v := range []string{"yesterday", "-5", "1.5"} {
		t.Setenv("SOURCE_DATE_EPOCH", v)
		code, _, stderr := runCLI(t, "scan", "--quiet", "--out", t.TempDir(), "--format", "json", input)
		if code != exitUsage || !strings.Contains(stderr, "SOURCE_DATE_EPOCH") {
			t.Errorf("SOURCE_DATE_EPOCH=%s: exit %d, stderr %q", v, code, stderr)
		}
	}
}

func TestUnknownCommand(t *testing.T) {
	code, _, stderr := runCLI(t, "frobnicate")
	if code != exitUsage || !strings.Contains(stderr, `unknown command "frobnicate"`) {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}

// A severity set in .iamscan.yaml reaches the rule metadata of every
// report, not only the findings: GitHub ranks alerts by the SARIF rule's
// security-severity, and the rule-set digest must tell the two rule sets
// apart.
func TestScanSeverityOverride(t *testing.T) {
	input := writeInput(t, "authz.json", account)
	cfg := writeInput(t, ".iamscan.yaml", "rules:\n  IAM030: {severity: critical}\n")
	type jsonReport struct {
		Scan struct {
			RuleSetDigest string `json:"ruleSetDigest"`
		} `json:"scan"`
		Rules []struct {
			ID              string `json:"id"`
			Severity        string `json:"severity"`
			DefaultSeverity string `json:"defaultSeverity"`
		} `json:"rules"`
		Findings []struct {
			RuleID   string `json:"ruleId"`
			Severity string `json:"severity"`
		} `json:"findings"`
	}
	scanWith := func(extra ...string) (jsonReport, []byte) {
		out := t.TempDir()
		args := append([]string{"scan", "--quiet", "--out", out, "--format", "json,sarif", "--as-of", "2026-11-01"}, extra...)
		if code, _, stderr := runCLI(t, append(args, input)...); code != exitOK {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		var rep jsonReport
		data, err := os.ReadFile(filepath.Join(out, "iamscan.json"))
		if err == nil {
			err = json.Unmarshal(data, &rep)
		}
		if err != nil {
			t.Fatal(err)
		}
		sarif, err := os.ReadFile(filepath.Join(out, "iamscan.sarif"))
		if err != nil {
			t.Fatal(err)
		}
		return rep, sarif
	}
	plain, _ := scanWith("--config", writeInput(t, "empty.yaml", ""))
	rep, sarifData := scanWith("--config", cfg)

	for _, f := range rep.Findings {
		if f.RuleID == "IAM030" && f.Severity != "critical" {
			t.Errorf("IAM030 finding has severity %s, want critical", f.Severity)
		}
	}
	found := false
	for _, m := range rep.Rules {
		if m.ID == "IAM030" {
			found = true
			if m.Severity != "critical" || m.DefaultSeverity != "low" {
				t.Errorf("JSON rules[IAM030]: severity %q default %q, want critical, low", m.Severity, m.DefaultSeverity)
			}
		}
	}
	if !found {
		t.Fatal("IAM030 is not among the JSON report's rules")
	}
	if rep.Scan.RuleSetDigest == plain.Scan.RuleSetDigest {
		t.Error("the rule-set digest does not change with a severity override")
	}

	var log struct {
		Runs []struct {
			Tool struct {
				Driver struct {
					Rules []struct {
						ID                   string                 `json:"id"`
						DefaultConfiguration struct{ Level string } `json:"defaultConfiguration"`
						Properties           map[string]any         `json:"properties"`
					} `json:"rules"`
				} `json:"driver"`
			} `json:"tool"`
			Results []struct {
				RuleID string `json:"ruleId"`
				Level  string `json:"level"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(sarifData, &log); err != nil {
		t.Fatal(err)
	}
	for _, d := range log.Runs[0].Tool.Driver.Rules {
		if d.ID == "IAM030" && (d.DefaultConfiguration.Level != "error" || d.Properties["security-severity"] != "9.5") {
			t.Errorf("SARIF rule IAM030: level %q security-severity %v, want error 9.5", d.DefaultConfiguration.Level, d.Properties["security-severity"])
		}
	}
	for _, res := range log.Runs[0].Results {
		if res.RuleID == "IAM030" && res.Level != "error" {
			t.Errorf("SARIF result IAM030 level %q, want error", res.Level)
		}
	}
}

// brokenRule is a custom Rego rule that fails when it runs: its helper
// function gives two values for one input, which OPA reports as an
// evaluation error (not a compile error, so the rule loads).
const brokenRule = `# METADATA
# title: Broken custom rule
# description: A rule that cannot run.
# custom:
#   id: IAM990
#   severity: low
#   family: wildcards
#   remediation: Fix the rule.
package custom.iam990

level(x) = 1 if x
level(x) = 2 if x

deny contains {"ref": 0, "message": "never"} if {
	level(true) == 3
}
`

// quietAccount has nothing worse than a low finding: alice has an inline
// policy (IAM030) that reads one bucket.
const quietAccount = `{
  "UserDetailList": [
    {"UserName": "alice", "UserId": "AIDAEXAMPLE1", "Path": "/",
     "Arn": "arn:aws:iam::111122223333:user/alice", "CreateDate": "2020-01-01T00:00:00Z",
     "GroupList": [], "AttachedManagedPolicies": [],
     "UserPolicyList": [{"PolicyName": "read", "PolicyDocument": {"Version": "2012-10-17", "Statement": [
       {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*"}]}}]}
  ],
  "GroupDetailList": [], "RoleDetailList": [], "Policies": []
}`

// A scan in which a rule could not run is incomplete: exit 4 with a
// message naming the rule and its error, whatever --fail-on says about
// the findings, and with --quiet too; the reports are still written and
// say so.
func TestScanRuleErrorIsIncomplete(t *testing.T) {
	input := writeInput(t, "authz.json", quietAccount)
	rulesDir := t.TempDir()
	if err := os.WriteFile(filepath.Join(rulesDir, "iam990_broken.rego"), []byte(brokenRule), 0o644); err != nil {
		t.Fatal(err)
	}
	scan := func(extra ...string) (code int, stdout, stderr, out string) {
		out = t.TempDir()
		args := append([]string{"scan", "--quiet", "--out", out, "--format", "json,sarif", "--as-of", "2026-11-01"}, extra...)
		code, stdout, stderr = runCLI(t, append(args, input)...)
		return code, stdout, stderr, out
	}
	// Without the broken rule: nothing at or above critical passes, a low
	// finding fails --fail-on low.
	for failOn, want := range map[string]int{"critical": exitOK, "low": exitFindings} {
		if code, _, stderr, _ := scan("--fail-on", failOn); code != want {
			t.Fatalf("without the broken rule, --fail-on %s: exit %d, want %d: %s", failOn, code, want, stderr)
		}
	}
	for _, failOn := range []string{"none", "critical", "low"} {
		t.Run("fail-on "+failOn, func(t *testing.T) {
			code, stdout, stderr, out := scan("--rules-dir", rulesDir, "--fail-on", failOn)
			if code != exitRuleError {
				t.Errorf("exit %d, want %d", code, exitRuleError)
			}
			if stdout != "" {
				t.Errorf("--quiet printed to stdout:\n%s", stdout)
			}
			if !strings.Contains(stderr, "incomplete: 1 rule could not run") || !strings.Contains(stderr, "  IAM990: ") ||
				!strings.Contains(stderr, "eval_conflict_error") || strings.Count(stderr, "\n") != 2 {
				t.Errorf("stderr does not name the rule and its error, on one line:\n%s", stderr)
			}
			data, err := os.ReadFile(filepath.Join(out, "iamscan.sarif"))
			if err != nil {
				t.Fatal("reports not written:", err)
			}
			if !bytes.Contains(data, []byte(`"executionSuccessful":false`)) {
				t.Error("SARIF says the execution was successful")
			}
		})
	}
}

func TestRuleErrors(t *testing.T) {
	results := []rules.RuleResult{{RuleID: "IAM001", Status: rules.StatusPass}, {RuleID: "IAM002", Status: rules.StatusError, Reason: "boom\nsecond line"}}
	if got := ruleErrors(results); len(got) != 1 || got[0].RuleID != "IAM002" {
		t.Errorf("ruleErrors = %v", got)
	}
	if got := visible("boom\nsecond\x1b[2J line"); got != `boom\nsecond\x1b[2J line` {
		t.Errorf("visible = %q", got)
	}
}

// sarifRegions maps each SARIF result's "ruleId resource" to its
// physical location (uri, region) and logical location.
type sarifPlace struct {
	URI                                        string
	StartLine, StartColumn, EndLine, EndColumn int
	FQN                                        string
}

func sarifPlaces(t *testing.T, data []byte) map[string][]sarifPlace {
	t.Helper()
	var log struct {
		Runs []struct {
			Results []struct {
				RuleID    string `json:"ruleId"`
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI string } `json:"artifactLocation"`
						Region           *struct {
							StartLine, StartColumn, EndLine, EndColumn int
						} `json:"region"`
					} `json:"physicalLocation"`
					LogicalLocations []struct {
						FullyQualifiedName string `json:"fullyQualifiedName"`
					} `json:"logicalLocations"`
				} `json:"locations"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(data, &log); err != nil {
		t.Fatal(err)
	}
	out := map[string][]sarifPlace{}
	for _, r := range log.Runs[0].Results {
		l := r.Locations[0]
		p := sarifPlace{URI: l.PhysicalLocation.ArtifactLocation.URI}
		if reg := l.PhysicalLocation.Region; reg != nil {
			p.StartLine, p.StartColumn, p.EndLine, p.EndColumn = reg.StartLine, reg.StartColumn, reg.EndLine, reg.EndColumn
		}
		if len(l.LogicalLocations) > 0 {
			p.FQN = l.LogicalLocations[0].FullyQualifiedName
		}
		out[r.RuleID] = append(out[r.RuleID], p)
	}
	return out
}

// lineOf returns the 1-based number of the first line of file containing
// s, and that line.
func lineOf(t *testing.T, file, s string) (int, string) {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	for i, line := range strings.Split(string(data), "\n") {
		if strings.Contains(line, s) {
			return i + 1, strings.TrimRight(line, "\r")
		}
	}
	t.Fatalf("%s has no line containing %q", file, s)
	return 0, ""
}

// Every SARIF result of the demo account has a place a reader can open:
// a credential report row marks the whole row; the password policy rules
// and the expired server certificate point at their objects; a finding
// on an AWS managed policy from iamscan's embedded set points where the
// account first attaches it, not at whatever input came first.
func TestScanSARIFLocations(t *testing.T) {
	t.Chdir(t.TempDir())
	if code, _, stderr := runCLI(t, "scan", "--demo", "--quiet", "--out", "out", "--format", "sarif"); code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	data, err := os.ReadFile(filepath.Join("out", "iamscan.sarif"))
	if err != nil {
		t.Fatal(err)
	}
	places := sarifPlaces(t, data)
	in := func(name string) string { return filepath.Join("out", "demo-input", name) }

	rootLine, root := lineOf(t, in("credential-report.csv"), "<root_account>")
	for _, id := range []string{"IAM020", "IAM021", "IAM023"} {
		for _, p := range places[id] {
			if p.URI != "out/demo-input/credential-report.csv" || p.StartLine != rootLine || p.EndLine != rootLine || p.StartColumn != 1 || p.EndColumn != len(root)+1 {
				t.Errorf("%s: %+v, want the root row: line %d, columns 1 to %d", id, p, rootLine, len(root)+1)
			}
		}
		if len(places[id]) == 0 {
			t.Errorf("no %s result in the demo", id)
		}
	}

	ppLine, _ := lineOf(t, in("get-account-password-policy.json"), `"PasswordPolicy"`)
	for _, id := range []string{"IAM035", "IAM036", "IAM037"} {
		for _, p := range places[id] {
			if p.URI != "out/demo-input/get-account-password-policy.json" || p.StartLine != ppLine || p.EndLine <= p.StartLine || p.StartColumn == 0 || p.EndColumn == 0 {
				t.Errorf("%s: %+v, want the PasswordPolicy object from line %d", id, p, ppLine)
			}
		}
		if len(places[id]) == 0 {
			t.Errorf("no %s result in the demo", id)
		}
	}

	certLine, _ := lineOf(t, in("iamscan-extras.json"), `"ServerCertificateName": "shop-2025"`)
	for _, p := range places["IAM033"] {
		if p.URI != "out/demo-input/iamscan-extras.json" || p.StartLine != certLine-1 || p.StartColumn == 0 || p.EndLine <= p.StartLine {
			t.Errorf("IAM033: %+v, want the certificate's entry from line %d", p, certLine-1)
		}
	}

	attachLine, _ := lineOf(t, in("get-account-authorization-details.json"), `"PolicyArn": "arn:aws:iam::aws:policy/AdministratorAccess"`)
	found := false
	for _, p := range places["IAM001"] {
		if p.FQN != "arn:aws:iam::aws:policy/AdministratorAccess" {
			continue
		}
		found = true
		// The entry {"PolicyName": ..., "PolicyArn": ...} spans the
		// line before the PolicyArn to the one after.
		if p.URI != "out/demo-input/get-account-authorization-details.json" || p.StartLine != attachLine-2 || p.EndLine != attachLine+1 {
			t.Errorf("IAM001 on AdministratorAccess: %+v, want the first attachment entry around line %d", p, attachLine)
		}
	}
	if !found {
		t.Error("no IAM001 result on AdministratorAccess in the demo")
	}
}

// The same input named by a relative and by an absolute path gives the
// same reports, fingerprints included: an input problem (IAM091) names
// its file, and a bare policy file is its own resource.
func TestScanIgnoresPathSpelling(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	if err := os.MkdirAll("in", 0o755); err != nil {
		t.Fatal(err)
	}
	withProblem := strings.Replace(account, `"GroupDetailList": [],`, `"GroupDetailList": [], "Surprise": 1,`, 1)
	for name, content := range map[string]string{
		"in/authz.json":        withProblem,
		"in/admin-policy.json": `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}`,
	} {
		if err := os.WriteFile(name, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv("SOURCE_DATE_EPOCH", "1795000000")
	formats := []string{"json", "sarif", "csv", "html", "md"}
	scan := func(out string, paths ...string) map[string][]byte {
		t.Helper()
		args := append([]string{"scan", "--quiet", "--out", out, "--format", "json,sarif,csv,html,markdown", "--as-of", "2026-11-01"}, paths...)
		if code, _, stderr := runCLI(t, args...); code != exitOK {
			t.Fatalf("%v: exit %d: %s", paths, code, stderr)
		}
		got := map[string][]byte{}
		for _, f := range formats {
			data, err := os.ReadFile(filepath.Join(out, "iamscan."+f))
			if err != nil {
				t.Fatal(err)
			}
			got[f] = data
		}
		return got
	}
	rel := scan("out", "in/authz.json", "in/admin-policy.json")
	// (A directory is read in name order, so its reports are compared
	// with each other.)
	relDir := scan("out", "in")
	for _, tc := range []struct {
		paths []string
		want  map[string][]byte
	}{
		{[]string{filepath.Join(dir, "in", "authz.json"), filepath.Join(dir, "in", "admin-policy.json")}, rel},
		{[]string{"./in/../in/authz.json", "in//admin-policy.json"}, rel},
		{[]string{filepath.Join(dir, "in")}, relDir},
		{[]string{"./in/"}, relDir},
	} {
		got := scan("out", tc.paths...)
		for _, f := range formats {
			if !bytes.Equal(got[f], tc.want[f]) {
				t.Errorf("%v: the %s report differs from the one for relative paths", tc.paths, f)
			}
		}
	}
	var rep struct {
		Findings []struct {
			RuleID   string `json:"ruleId"`
			Resource string `json:"resource"`
		} `json:"findings"`
	}
	if err := json.Unmarshal(rel["json"], &rep); err != nil {
		t.Fatal(err)
	}
	seen := map[string]string{}
	for _, f := range rep.Findings {
		seen[f.RuleID+" "+f.Resource] = f.Resource
	}
	for _, want := range []string{"IAM091 in/authz.json", "IAM001 in/admin-policy.json"} {
		if _, ok := seen[want]; !ok {
			t.Errorf("no finding %q; have %v", want, seen)
		}
	}
}

// A file in an input directory that is not an IAM input is named on the
// terminal and in the JSON report's warnings, never skipped in silence.
func TestScanNamesSkippedFiles(t *testing.T) {
	dir := t.TempDir()
	for name, content := range map[string]string{
		"authz.json": account,
		"NOTES.md":   "# not an input\n",
		"notes.txt":  "handover notes, not an input\n",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out := t.TempDir()
	code, stdout, _ := runCLI(t, "scan", "--out", out, "--format", "json", dir)
	if code != exitOK {
		t.Fatalf("exit %d", code)
	}
	data, err := os.ReadFile(filepath.Join(out, "iamscan.json"))
	if err != nil {
		t.Fatal(err)
	}
	var rep struct {
		Warnings []struct{ Code, Message string } `json:"warnings"`
	}
	if err := json.Unmarshal(data, &rep); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"NOTES.md", "notes.txt"} {
		if !strings.Contains(stdout, "skipped "+filepath.Join(dir, name)) {
			t.Errorf("the summary does not name skipped %s:\n%s", name, stdout)
		}
		found := false
		for _, w := range rep.Warnings {
			found = found || (w.Code == "input-skipped" && strings.Contains(w.Message, name))
		}
		if !found {
			t.Errorf("the JSON report has no input-skipped warning for %s: %+v", name, rep.Warnings)
		}
	}
}
