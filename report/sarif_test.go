package report

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/iamscan/iamscan/policy"
	"github.com/iamscan/iamscan/rules"
	"github.com/iamscan/iamscan/snapshot"
)

func writeSARIF(t testing.TB, r *Report) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := SARIF(&buf, r); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// sarifLog is the part of a SARIF log the tests inspect.
type sarifLog struct {
	Runs []struct {
		Tool struct {
			Driver struct {
				Name            string `json:"name"`
				SemanticVersion string `json:"semanticVersion"`
				InformationURI  string `json:"informationUri"`
				Rules           []struct {
					ID                   string `json:"id"`
					Name                 string `json:"name"`
					ShortDescription     struct{ Text string }
					FullDescription      struct{ Text string }
					Help                 struct{ Text, Markdown string }
					DefaultConfiguration struct{ Level string }
					Properties           map[string]any `json:"properties"`
				} `json:"rules"`
			} `json:"driver"`
		} `json:"tool"`
		Results []struct {
			RuleID    string `json:"ruleId"`
			RuleIndex int    `json:"ruleIndex"`
			Level     string `json:"level"`
			Message   struct{ Text string }
			Locations []struct {
				PhysicalLocation struct {
					ArtifactLocation struct {
						URI       string `json:"uri"`
						URIBaseID string `json:"uriBaseId"`
					} `json:"artifactLocation"`
					Region *struct {
						StartLine, StartColumn, EndLine, EndColumn int
					} `json:"region"`
				} `json:"physicalLocation"`
				LogicalLocations []struct {
					FullyQualifiedName string `json:"fullyQualifiedName"`
				} `json:"logicalLocations"`
			} `json:"locations"`
			PartialFingerprints map[string]string `json:"partialFingerprints"`
			Suppressions        []struct {
				Kind, Status, Justification string
			} `json:"suppressions"`
		} `json:"results"`
		AutomationDetails struct{ ID string } `json:"automationDetails"`
		Invocations       []struct {
			ExecutionSuccessful        bool `json:"executionSuccessful"`
			ToolExecutionNotifications []struct {
				Level   string
				Message struct{ Text string }
			} `json:"toolExecutionNotifications"`
		} `json:"invocations"`
	} `json:"runs"`
}

func parseSARIF(t testing.TB, data []byte) sarifLog {
	t.Helper()
	var l sarifLog
	if err := json.Unmarshal(data, &l); err != nil {
		t.Fatal(err)
	}
	if len(l.Runs) != 1 {
		t.Fatalf("%d runs, want 1", len(l.Runs))
	}
	return l
}

func TestSARIFGolden(t *testing.T) {
	r := fixtureReport()
	got := writeSARIF(t, r)
	validateSARIF(t, got)
	// The golden copy is indented so that a review can read its diff;
	// json.Indent is deterministic, so byte equality still holds.
	var pretty bytes.Buffer
	if err := json.Indent(&pretty, got, "", "  "); err != nil {
		t.Fatal(err)
	}
	golden(t, "report.sarif", pretty.Bytes())
	if again := writeSARIF(t, r); !bytes.Equal(got, again) {
		t.Error("two SARIF writes of the same report differ")
	}
}

func TestSARIFContent(t *testing.T) {
	r := fixtureReport()
	l := parseSARIF(t, writeSARIF(t, r))
	run := l.Runs[0]
	d := run.Tool.Driver
	if d.Name != "iamscan" || d.SemanticVersion != "0.1.0" || d.InformationURI == "" {
		t.Errorf("driver = %q %q %q", d.Name, d.SemanticVersion, d.InformationURI)
	}
	if len(d.Rules) != len(r.Rules) {
		t.Fatalf("%d rules in driver, want %d", len(d.Rules), len(r.Rules))
	}
	band := map[rules.Severity][2]float64{rules.Critical: {9, 10}, rules.High: {7, 8.9}, rules.Medium: {4, 6.9}, rules.Low: {0.1, 3.9}}
	for i, m := range r.Rules {
		dr := d.Rules[i]
		if dr.ID != m.ID || dr.ShortDescription.Text != m.Title || dr.FullDescription.Text != m.Description {
			t.Errorf("rule %d = %q, want %s with title and description", i, dr.ID, m.ID)
		}
		if !strings.Contains(dr.Help.Markdown, m.Remediation) || !strings.Contains(dr.Help.Text, m.Remediation) {
			t.Errorf("%s: help lacks the remediation", m.ID)
		}
		if dr.Name == "" || strings.ContainsAny(dr.Name, " /") {
			t.Errorf("%s: name %q is not an identifier", m.ID, dr.Name)
		}
		tags := fmt.Sprint(dr.Properties["tags"])
		if !strings.Contains(tags, "security") {
			t.Errorf("%s: tags %s lack security", m.ID, tags)
		}
		for _, c := range m.CIS {
			if !strings.Contains(tags, cisTag(c)) {
				t.Errorf("%s: tags %s lack %s", m.ID, tags, cisTag(c))
			}
		}
		if dr.Properties["precision"] == nil {
			t.Errorf("%s: no precision", m.ID)
		}
		ss, has := dr.Properties["security-severity"].(string)
		if b, want := band[m.Severity]; want {
			v, err := strconv.ParseFloat(ss, 64)
			if err != nil || v < b[0] || v > b[1] {
				t.Errorf("%s (%s): security-severity %q outside %v", m.ID, m.Severity, ss, b)
			}
		} else if has {
			t.Errorf("%s (%s): unexpected security-severity %q", m.ID, m.Severity, ss)
		}
		if want := sarifLevel(m.Severity); dr.DefaultConfiguration.Level != want {
			t.Errorf("%s: level %q, want %q", m.ID, dr.DefaultConfiguration.Level, want)
		}
	}

	if len(run.Results) != len(r.Findings) {
		t.Fatalf("%d results, want %d", len(run.Results), len(r.Findings))
	}
	suppressed := 0
	for _, res := range run.Results {
		if d.Rules[res.RuleIndex].ID != res.RuleID {
			t.Errorf("result %s has ruleIndex %d naming %s", res.RuleID, res.RuleIndex, d.Rules[res.RuleIndex].ID)
		}
		fp := res.PartialFingerprints[FingerprintKey]
		f := findingByFingerprint(r, fp)
		if f == nil {
			t.Fatalf("result with fingerprint %q matches no finding", fp)
		}
		if res.Message.Text != f.Message {
			t.Errorf("%s: message %q, want %q", fp, res.Message.Text, f.Message)
		}
		loc := res.Locations[0]
		if got := loc.LogicalLocations[0].FullyQualifiedName; got != f.Resource {
			t.Errorf("%s: logical location %q, want %q", fp, got, f.Resource)
		}
		al := loc.PhysicalLocation.ArtifactLocation
		if al.URIBaseID != srcRoot || al.URI == "" {
			t.Errorf("%s: artifact %+v", fp, al)
		}
		reg := loc.PhysicalLocation.Region
		switch {
		case f.Location.Line == 0 && reg != nil:
			t.Errorf("%s: region %+v for a finding without a line", fp, reg)
		case f.Location.Line > 0 && (reg == nil || reg.StartLine != f.Location.Line || reg.StartColumn != f.Location.Col || reg.EndLine != f.Location.EndLine || reg.EndColumn != f.Location.EndCol):
			t.Errorf("%s: region %+v, want %v", fp, reg, f.Location)
		}
		if f.Location.File == "" && al.URI != "fixtures/auth%20details.json" {
			t.Errorf("%s: account-level finding points at %q, want the first input", fp, al.URI)
		}
		if f.Suppressed() {
			suppressed++
			if len(res.Suppressions) != 1 || res.Suppressions[0].Justification != f.Suppression.Reason || res.Suppressions[0].Kind != "external" {
				t.Errorf("%s: suppressions %+v", fp, res.Suppressions)
			}
		} else if len(res.Suppressions) != 0 {
			t.Errorf("%s: open finding has suppressions %+v", fp, res.Suppressions)
		}
	}
	if suppressed != 1 {
		t.Errorf("%d suppressed results, want 1", suppressed)
	}
	if id := run.AutomationDetails.ID; !strings.Contains(id, account) {
		t.Errorf("automationDetails.id %q does not name the account", id)
	}
	inv := run.Invocations[0]
	if inv.ExecutionSuccessful {
		t.Error("executionSuccessful is true despite a collection error and a rule error")
	}
	// 2 problems + 1 collection error + 1 rule error + 1 not evaluable + 1 warning.
	if n := len(inv.ToolExecutionNotifications); n != 6 {
		t.Errorf("%d notifications, want 6: %+v", n, inv.ToolExecutionNotifications)
	}
}

func findingByFingerprint(r *Report, fp string) *rules.Finding {
	for i := range r.Findings {
		if r.Findings[i].Fingerprint == fp {
			return &r.Findings[i]
		}
	}
	return nil
}

// manyFindings makes n distinct findings spread over the fixture's rules,
// with long realistic fields, every tenth one suppressed.
func manyFindings(r *Report, n int) []rules.Finding {
	out := make([]rules.Finding, n)
	sevs := []rules.Severity{rules.Critical, rules.High, rules.Medium, rules.Low, rules.Info}
	for i := range out {
		m := r.Rules[i%len(r.Rules)]
		role := fmt.Sprintf("arn:aws:iam::123456789012:role/team-%03d/service-role-%05d", i%200, i)
		out[i] = rules.Finding{
			RuleID: m.ID, Severity: sevs[i%len(sevs)], Resource: role, Principal: role,
			Policy: fmt.Sprintf("inline:policy-%d", i%37), Sid: fmt.Sprintf("Stmt%d", i%11),
			Message:     fmt.Sprintf("role service-role-%05d: statement Stmt%d allows s3:* on arn:aws:s3:::bucket-%d/*", i, i%11, i%97),
			Location:    policy.Location{File: fmt.Sprintf("accounts/prod/auth-%d.json", i%5), Line: 10 + i%5000, Col: 7, EndLine: 14 + i%5000, EndCol: 8},
			Fingerprint: fmt.Sprintf("%024x", i*7919+1),
		}
		if i%10 == 9 {
			out[i].Suppression = &rules.Suppression{Reason: "accepted by the platform team", Source: ".iamscan.yaml:3"}
		}
	}
	rules.SortFindings(out)
	return out
}

// GitHub rejects runs over 25,000 results and files over 10 MB gzipped:
// a larger scan is cut (open findings kept first) with a notification,
// and the file stays under the size limit.
func TestSARIFGitHubLimits(t *testing.T) {
	if testing.Short() {
		t.Skip("writes and validates a 25,000-result SARIF file")
	}
	r := fixtureReport()
	r.Findings = manyFindings(r, MaxSARIFResults+1000)
	r.Warnings = append(r.Warnings, LimitWarnings(r)...)
	data := writeSARIF(t, r)
	validateSARIF(t, data)
	run := parseSARIF(t, data).Runs[0]
	if n := len(run.Results); n != MaxSARIFResults {
		t.Errorf("%d results, want %d", n, MaxSARIFResults)
	}
	// 26,000 findings, one in ten suppressed: 23,400 open, all kept.
	open := 0
	for _, res := range run.Results {
		if len(res.Suppressions) == 0 {
			open++
		}
	}
	if open != 23400 {
		t.Errorf("%d open results kept, want all 23400", open)
	}
	cutNotes := 0
	for _, n := range run.Invocations[0].ToolExecutionNotifications {
		if strings.Contains(n.Message.Text, "cut to GitHub's limit") {
			cutNotes++
		}
	}
	if cutNotes != 1 {
		t.Errorf("%d notifications about the cut, want 1", cutNotes)
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(data)
	zw.Close()
	t.Logf("SARIF with %d results: %d bytes, %d bytes gzipped", len(run.Results), len(data), gz.Len())
	if gz.Len() > MaxSARIFGzipBytes {
		t.Errorf("gzipped SARIF is %d bytes, GitHub's limit is %d", gz.Len(), MaxSARIFGzipBytes)
	}
}

func TestSARIFNoFindingsNoInputs(t *testing.T) {
	r := &Report{Tool: Tool{Name: "iamscan", Version: "0.1.0", InformationURI: "https://github.com/iamscan/iamscan"}}
	data := writeSARIF(t, r)
	validateSARIF(t, data)
	run := parseSARIF(t, data).Runs[0]
	if len(run.Results) != 0 || !run.Invocations[0].ExecutionSuccessful {
		t.Errorf("empty report: %d results, executionSuccessful %v", len(run.Results), run.Invocations[0].ExecutionSuccessful)
	}
	if !strings.Contains(string(data), `"results":[]`) {
		t.Error("results must be present (GitHub requires the array) even when empty")
	}
}

func TestArtifactLocation(t *testing.T) {
	tests := []struct {
		path, root string
		uri, base  string
	}{
		{"auth.json", "", "auth.json", srcRoot},
		{"./iam/../iam/auth.json", "", "iam/auth.json", srcRoot},
		{"dir with space/a#b.json", "", "dir%20with%20space/a%23b.json", srcRoot},
		{"/repo/iam/auth.json", "/repo", "iam/auth.json", srcRoot},
		{"/elsewhere/auth.json", "/repo", "file:///elsewhere/auth.json", ""},
		{"/repo2/auth.json", "/repo", "file:///repo2/auth.json", ""},
		{"/tmp/auth.json", "", "file:///tmp/auth.json", ""},
		{"a:b.json", "", "./a:b.json", srcRoot},
	}
	for _, tt := range tests {
		al := artifact(tt.path, tt.root)
		base := ""
		if al.URIBaseID != nil {
			base = *al.URIBaseID
		}
		if *al.URI != tt.uri || base != tt.base {
			t.Errorf("artifact(%q, %q) = %q base %q, want %q base %q", tt.path, tt.root, *al.URI, base, tt.uri, tt.base)
		}
	}
}

// TestArtifactRelativePath: a relative input path is relative to the
// working directory the scan read it from, whatever --source-root says;
// the URI must be relative to the source root (or absolute when the file
// is outside it), never a path that climbs out of it with "..".
func TestArtifactRelativePath(t *testing.T) {
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		path, root string
		uri, base  string
	}{
		{"testdata/auth.json", wd, "testdata/auth.json", srcRoot},
		{"testdata/auth.json", filepath.Join(wd, "testdata"), "auth.json", srcRoot},
		{"testdata/auth.json", "testdata", "auth.json", srcRoot},
		{"../report/auth.json", wd, "auth.json", srcRoot},
		{"../auth.json", wd, (&url.URL{Scheme: "file", Path: filepath.ToSlash(filepath.Join(filepath.Dir(wd), "auth.json"))}).String(), ""},
	}
	for _, tt := range tests {
		al := artifact(tt.path, tt.root)
		base := ""
		if al.URIBaseID != nil {
			base = *al.URIBaseID
		}
		if *al.URI != tt.uri || base != tt.base {
			t.Errorf("artifact(%q, %q) = %q base %q, want %q base %q", tt.path, tt.root, *al.URI, base, tt.uri, tt.base)
		}
	}
}

// Where a finding points in SARIF: its own file when it is an input or
// has a line; otherwise (account-level facts, embedded AWS managed
// policies) the scan's first input.
func TestSARIFFileChoice(t *testing.T) {
	files := newSARIFFiles(fixtureReport())
	first := "fixtures/auth%20details.json"
	tests := []struct {
		loc  policy.Location
		want string
	}{
		{policy.Location{}, first},
		{policy.Location{File: "aws-managed:AdministratorAccess"}, first},
		{policy.Location{File: "fixtures/auth details.json"}, first},
		{policy.Location{File: "fixtures/" + xssRole + ".csv"}, "fixtures/%3Cimg%20src=x%20onerror=%22window.__xss=1%22%3E.csv"},
		{policy.Location{File: "policies/extra.json", Line: 3, Col: 1}, "policies/extra.json"},
		{policy.Location{File: "policies/extra.json"}, first},
	}
	for _, tt := range tests {
		if got := *files.artifact(tt.loc).URI; got != tt.want {
			t.Errorf("artifact(%+v) = %q, want %q", tt.loc, got, tt.want)
		}
	}
}

// A policy from iamscan's embedded AWS managed set is anchored where the
// account first attaches it (in input order, then line), whichever
// principal holds that attachment; one attached nowhere the input shows
// falls back to the authorization details file. SARIF places findings on
// it there, with the attachment's region.
func TestAnchors(t *testing.T) {
	admin := &snapshot.ManagedPolicy{ARN: "arn:aws:iam::aws:policy/AdministratorAccess", Name: "AdministratorAccess", Embedded: true,
		Loc: policy.Location{File: "aws-managed:AdministratorAccess"}, Default: &policy.Document{Loc: policy.Location{File: "aws-managed:AdministratorAccess"}}}
	boundary := &snapshot.ManagedPolicy{ARN: "arn:aws:iam::aws:policy/PowerUserAccess", Name: "PowerUserAccess", Embedded: true,
		Loc: policy.Location{File: "aws-managed:PowerUserAccess"}}
	unused := &snapshot.ManagedPolicy{ARN: "arn:aws:iam::aws:policy/ReadOnlyAccess", Name: "ReadOnlyAccess", Embedded: true,
		Loc: policy.Location{File: "aws-managed:ReadOnlyAccess"}}
	inInput := &snapshot.ManagedPolicy{ARN: "arn:aws:iam::aws:policy/SecurityAudit", Name: "SecurityAudit",
		Loc: policy.Location{File: "b.json", Line: 90}}
	at := func(file string, line int) policy.Location {
		return policy.Location{File: file, Line: line, Col: 9, EndLine: line, EndCol: 80}
	}
	snap := &snapshot.Snapshot{
		Inputs: []snapshot.Input{{Path: "report.csv", Kind: "credential-report"}, {Path: "b.json", Kind: "authorization-details"}, {Path: "a.json", Kind: "authorization-details"}},
		// Users come first in the snapshot, but the role's attachment
		// is earlier in the input: b.json is read before a.json.
		Users: []*snapshot.User{{Principal: snapshot.Principal{Loc: at("a.json", 3), Attached: []*snapshot.Attachment{{Policy: admin, Loc: at("a.json", 5)}}}}},
		Roles: []*snapshot.Role{
			{Principal: snapshot.Principal{Loc: at("b.json", 40), Attached: []*snapshot.Attachment{{Policy: admin, Loc: at("b.json", 44)}, {Policy: inInput, Loc: at("b.json", 45)}},
				Boundary: &snapshot.Attachment{Policy: boundary, Loc: at("b.json", 50)}}},
			{Principal: snapshot.Principal{Loc: at("b.json", 20), Attached: []*snapshot.Attachment{{Policy: admin, Loc: at("b.json", 22)}}}},
		},
		Policies: []*snapshot.ManagedPolicy{admin, boundary, unused, inInput},
	}
	anchors := Anchors(snap)
	want := map[string]policy.Location{
		"aws-managed:AdministratorAccess": at("b.json", 22),
		"aws-managed:PowerUserAccess":     at("b.json", 50),
		"aws-managed:ReadOnlyAccess":      {File: "b.json"},
	}
	if len(anchors) != len(want) {
		t.Errorf("anchors %v, want %v", anchors, want)
	}
	for file, w := range want {
		if anchors[file] != w {
			t.Errorf("anchor of %s = %#v, want %#v", file, anchors[file], w)
		}
	}

	r := fixtureReport()
	r.Scan.Inputs = snap.Inputs
	r.Anchors = anchors
	r.Findings = []rules.Finding{{RuleID: "IAM001", Severity: rules.Critical, Resource: admin.ARN, Message: "m", Fingerprint: "f",
		Location: policy.Location{File: "aws-managed:AdministratorAccess"}}}
	res := parseSARIF(t, writeSARIF(t, r)).Runs[0].Results[0].Locations[0].PhysicalLocation
	if res.ArtifactLocation.URI != "b.json" || res.Region == nil || res.Region.StartLine != 22 || res.Region.StartColumn != 9 || res.Region.EndColumn != 80 {
		t.Errorf("SARIF places the finding at %s %+v, want b.json line 22", res.ArtifactLocation.URI, res.Region)
	}
	// Without anchors (a Go caller that sets none) the first input.
	r.Anchors = nil
	if res := parseSARIF(t, writeSARIF(t, r)).Runs[0].Results[0].Locations[0].PhysicalLocation; res.ArtifactLocation.URI != "report.csv" || res.Region != nil {
		t.Errorf("without anchors: %s %+v, want report.csv without a region", res.ArtifactLocation.URI, res.Region)
	}
}

// SARIF rule names are PascalCase identifiers a reader can still read:
// apostrophes do not split words, capitals are kept, and a service prefix
// is written the way AWS writes the service.
func TestRuleName(t *testing.T) {
	for title, want := range map[string]string{
		"Root user has no MFA": "RootUserHasNoMFA",
		"AWS managed policy differs from iamscan's embedded version":  "AWSManagedPolicyDiffersFromIamscansEmbeddedVersion",
		"iam:PassRole allowed on every role":                          "IAMPassRoleAllowedOnEveryRole",
		"sts:AssumeRole allowed on every role":                        "STSAssumeRoleAllowedOnEveryRole",
		"Cross-account trust without sts:ExternalId":                  "CrossAccountTrustWithoutSTSExternalId",
		"Service trust without aws:SourceAccount or aws:SourceArn":    "ServiceTrustWithoutAWSSourceAccountOrAWSSourceArn",
		"SAML trust without SAML:aud":                                 "SAMLTrustWithoutSAMLAud",
		"Write or permissions-management actions allowed":             "WriteOrPermissionsManagementActionsAllowed",
		"lambda:InvokeFunction on every function":                     "LambdaInvokeFunctionOnEveryFunction",
		"Password policy allows passwords shorter than 14 characters": "PasswordPolicyAllowsPasswordsShorterThan14Characters",
		"GitHub Actions OIDC trust admits any repository":             "GitHubActionsOIDCTrustAdmitsAnyRepository",
		"Rôle “quoted” don’t":                                         "RLeQuotedDont",
	} {
		if got := ruleName(title); got != want {
			t.Errorf("ruleName(%q) = %q, want %q", title, got, want)
		}
	}
}

// The driver lists rules in id order even when the report's rules are
// not, and every ruleIndex still names its result's rule.
func TestSARIFRulesInIDOrder(t *testing.T) {
	r := fixtureReport()
	slices.Reverse(r.Rules)
	run := parseSARIF(t, writeSARIF(t, r)).Runs[0]
	var ids []string
	for _, d := range run.Tool.Driver.Rules {
		ids = append(ids, d.ID)
	}
	if !slices.IsSorted(ids) || len(ids) != len(r.Rules) {
		t.Errorf("driver rules %v, want %d rules in id order", ids, len(r.Rules))
	}
	for _, res := range run.Results {
		if ids[res.RuleIndex] != res.RuleID {
			t.Errorf("result %s has ruleIndex %d (%s)", res.RuleID, res.RuleIndex, ids[res.RuleIndex])
		}
	}
}
