package report

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/iamscan/iamscan/policy"
	"github.com/iamscan/iamscan/rules"
	"github.com/iamscan/iamscan/snapshot"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// Hostile strings planted in the fixture. Each one, if a format failed
// to escape it, would run script (HTML), start a formula (CSV), become a
// link or markup (Markdown) or rewrite the terminal (text). The HTML
// payloads set window.__xss so the browser test can tell if one ran.
const (
	xssRole    = `<img src=x onerror="window.__xss=1">`
	xssSid     = `</script><script>window.__xss=2</script>`
	xssMessage = `statement allows "*" <svg onload=window.__xss=3> https://evil.example/x`
	formula    = `=HYPERLINK("http://evil.example","click")`
	ansi       = "\x1b[2J\x1b[31mfake\u202e"
)

var (
	t0      = time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	account = "123456789012"
)

// fixtureReport is a hand-made report with every kind of content a
// report can hold: each rule status, open and suppressed findings, a
// finding without a location, input problems, a collection error and a
// warning; hostile strings in every input-derived field.
func fixtureReport() *Report {
	metas := []rules.Meta{
		{
			ID: "IAM001", Title: "Full administrator statement", Severity: rules.Critical, Family: rules.FamilyWildcards,
			Description: "An Allow statement grants every action on every resource.",
			Remediation: "Replace `*` with the actions the principal needs.",
			References:  []string{"https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html"},
			CIS:         []rules.CISRef{{Benchmark: rules.CISv3, Control: "1.16"}, {Benchmark: rules.CISv4, Control: "1.16"}, {Benchmark: rules.CISv5, Control: "1.15"}},
			Needs:       []snapshot.Data{snapshot.DataAuthorizationDetails}, Engine: "go",
		},
		{
			ID: "IAM020", Title: "Root has active access keys", Severity: rules.Critical, Family: rules.FamilyCredentials,
			Description: "The root user has an active access key.", Remediation: "Delete the root user's access keys.",
			CIS:   []rules.CISRef{{Benchmark: rules.CISv3, Control: "1.4"}, {Benchmark: rules.CISv4, Control: "1.4"}, {Benchmark: rules.CISv5, Control: "1.3"}},
			Needs: []snapshot.Data{snapshot.DataCredentialReport}, Engine: "go",
		},
		{
			ID: "IAM024", Title: "Console user without MFA", Severity: rules.High, Family: rules.FamilyCredentials,
			Description: "A user who can sign in to the console has no MFA device.", Remediation: "Enable MFA for the user.",
			CIS:   []rules.CISRef{{Benchmark: rules.CISv3, Control: "1.10"}, {Benchmark: rules.CISv4, Control: "1.10"}, {Benchmark: rules.CISv5, Control: "1.9"}},
			Needs: []snapshot.Data{snapshot.DataCredentialReport}, Engine: "go",
		},
		{
			ID: "IAM030", Title: "User with directly attached policies", Severity: rules.Low, Family: rules.FamilyCredentials,
			Description: "A user receives permissions other than through groups.", Remediation: "Move the policies to a group.",
			CIS:    []rules.CISRef{{Benchmark: rules.CISv3, Control: "1.15"}, {Benchmark: rules.CISv4, Control: "1.15"}, {Benchmark: rules.CISv5, Control: "1.14"}},
			Engine: "go",
		},
		{
			ID: "IAM050", Title: "Role assumable by anyone", Severity: rules.Critical, Family: rules.FamilyTrust,
			Description: "A trust policy lets any principal assume the role.", Remediation: "Name the trusted principals.",
			Params: []rules.Param{{Name: "trusted_accounts", Doc: "accounts trusted", Default: []string{}}}, Engine: "rego", Source: "rego/iam050.rego",
		},
		{
			ID: "IAM091", Title: "Input not fully understood", Severity: rules.Info, Family: rules.FamilyInput,
			Description: "Part of the input could not be read.", Remediation: "Fix the input.", Engine: "go",
		},
	}
	auth := "fixtures/auth details.json"
	findings := []rules.Finding{
		{
			RuleID: "IAM001", Severity: rules.Critical, Resource: "arn:aws:iam::123456789012:role/" + xssRole,
			Principal: "arn:aws:iam::123456789012:role/" + xssRole, Policy: "inline:admin", Sid: xssSid,
			Message:     xssMessage,
			Location:    policy.Location{File: auth, Line: 12, Col: 9, EndLine: 16, EndCol: 10},
			Fingerprint: "a1b2c3d4e5f6a7b8c9d0e1f2",
		},
		{
			RuleID: "IAM001", Severity: rules.Critical, Resource: "arn:aws:iam::123456789012:policy/BreakGlass",
			Policy: "arn:aws:iam::123456789012:policy/BreakGlass", Sid: "All",
			Message:     "policy BreakGlass allows every action on every resource",
			Location:    policy.Location{File: auth, Line: 80, Col: 7, EndLine: 84, EndCol: 8},
			Fingerprint: "0f0e0d0c0b0a090807060504",
			Suppression: &rules.Suppression{Reason: "break-glass role </td><script>window.__xss=4</script> " + formula, Expires: t0.AddDate(0, 3, 0), Source: ".iamscan.yaml:7"},
		},
		{
			RuleID: "IAM020", Severity: rules.Critical, Resource: "arn:aws:iam::123456789012:root",
			Message: "root user has an active access key", Fingerprint: "111111111111111111111111",
		},
		{
			RuleID: "IAM030", Severity: rules.Low, Resource: "arn:aws:iam::123456789012:user/" + formula,
			Principal: "arn:aws:iam::123456789012:user/" + formula, Policy: "inline:" + ansi,
			Message:     "user " + formula + " has an inline policy " + ansi,
			Location:    policy.Location{File: auth, Line: 30, Col: 5, EndLine: 30, EndCol: 40},
			Fingerprint: "222222222222222222222222",
		},
		{
			RuleID: "IAM030", Severity: rules.Low, Resource: "arn:aws:iam::123456789012:user/alice",
			Principal: "arn:aws:iam::123456789012:user/alice", Policy: "arn:aws:iam::aws:policy/ReadOnlyAccess",
			Message:     "user alice has a directly attached policy",
			Location:    policy.Location{File: auth, Line: 44, Col: 5, EndLine: 47, EndCol: 6},
			Fingerprint: "333333333333333333333333",
		},
	}
	rules.SortFindings(findings)
	return &Report{
		Tool: Tool{Name: "iamscan", Version: "0.1.0", InformationURI: "https://github.com/iamscan/iamscan",
			Data: []DataVersion{{Name: "action-catalog", Version: "2026-11-01"}, {Name: "aws-managed-policies", Version: "2026-11-01"}}},
		Scan: Scan{
			AccountID: account, Partition: "aws", CollectedAt: t0.Add(-time.Hour), AsOf: t0, GeneratedAt: t0.Add(2 * time.Second),
			WallTime: 1234 * time.Millisecond,
			Inputs: []snapshot.Input{
				{Path: auth, SHA256: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", Bytes: 4096, Kind: "authorization-details"},
				{Path: "fixtures/" + xssRole + ".csv", SHA256: "60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752", Bytes: 512, Kind: "credential-report"},
			},
			RuleSetDigest: "sha256:5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8",
		},
		Rules: metas,
		Results: []rules.RuleResult{
			{RuleID: "IAM001", Status: rules.StatusFail, Findings: 2},
			{RuleID: "IAM020", Status: rules.StatusFail, Findings: 1},
			{RuleID: "IAM024", Status: rules.StatusNotEvaluable, Reason: "input has no credential-report"},
			{RuleID: "IAM030", Status: rules.StatusFail, Findings: 2},
			{RuleID: "IAM042", Status: rules.StatusDisabled, Reason: "disabled in .iamscan.yaml"},
			{RuleID: "IAM050", Status: rules.StatusError, Reason: "rule IAM050 panicked: " + xssSid},
			{RuleID: "IAM091", Status: rules.StatusPass},
		},
		Findings: findings,
		Problems: []policy.Problem{
			{Loc: policy.Location{File: auth, Line: 40, Col: 3, EndLine: 40, EndCol: 11}, Message: `unknown key "Effekt" ` + xssSid},
			{Loc: policy.Location{File: auth}, Message: "managed policy arn:aws:iam::123456789012:policy/Gone is attached but not in the input"},
		},
		CollectionErrors: []snapshot.CollectionError{
			{Operation: "GetCredentialReport", Code: "AccessDenied", Message: "not authorized " + xssRole, Missing: []snapshot.Data{snapshot.DataCredentialReport}},
		},
		Warnings: []Warning{{Code: "suppression-unused", Message: "suppression at .iamscan.yaml:12 matched no finding " + xssSid}},
	}
}

// golden compares got with testdata/NAME, or rewrites it under -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./report -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file; run go test ./report -update and review the diff\n%s", name, firstDiff(got, want))
	}
}

// firstDiff shows where two outputs first differ, enough to see why.
func firstDiff(got, want []byte) string {
	i := 0
	for i < len(got) && i < len(want) && got[i] == want[i] {
		i++
	}
	lo := max(0, i-80)
	return "got:  …" + string(got[lo:min(len(got), i+80)]) + "\nwant: …" + string(want[lo:min(len(want), i+80)])
}
