package live

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"testing"
)

// collectorPolicyFile is the least-privilege policy shipped for the
// collector's principal.
var collectorPolicyFile = filepath.Join("..", "..", "docs", "iamscan-collector-policy.json")

// readOnlyAction is what the collector may call: reads, the credential
// report (generating it changes no IAM state), and the caller identity
// and role assumption that multi-account collection needs.
var readOnlyAction = regexp.MustCompile(`^(iam|organizations):(List|Get|Describe)[A-Za-z]+$|^iam:Generate[A-Za-z]*Report$|^sts:(GetCallerIdentity|AssumeRole)$`)

// policyActions lists the Allow actions of the shipped policy.
func policyActions(t *testing.T) []string {
	t.Helper()
	b, err := os.ReadFile(collectorPolicyFile)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Statement []struct {
			Effect string
			Action json.RawMessage
		}
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatalf("%s: %v", collectorPolicyFile, err)
	}
	var actions []string
	for _, s := range doc.Statement {
		if s.Effect != "Allow" {
			t.Errorf("%s: unexpected %s statement", collectorPolicyFile, s.Effect)
		}
		var list []string
		if json.Unmarshal(s.Action, &list) != nil {
			var one string
			if err := json.Unmarshal(s.Action, &one); err != nil {
				t.Fatalf("%s: Action %s", collectorPolicyFile, s.Action)
			}
			list = []string{one}
		}
		actions = append(actions, list...)
	}
	slices.Sort(actions)
	return actions
}

// checkCollectorPolicy asserts that the shipped policy allows exactly the
// actions called (recorded by the SDK middleware during a collection),
// and that they are all read-only.
func checkCollectorPolicy(t *testing.T, called []string) {
	t.Helper()
	slices.Sort(called)
	called = slices.Compact(called)
	allowed := policyActions(t)
	for _, a := range called {
		if !readOnlyAction.MatchString(a) {
			t.Errorf("the collector called %s, which is not a read-only operation", a)
		}
		if !slices.Contains(allowed, a) {
			t.Errorf("the collector called %s, which %s does not allow", a, collectorPolicyFile)
		}
	}
	for _, a := range allowed {
		if !readOnlyAction.MatchString(a) {
			t.Errorf("%s allows %s, which is not read-only", collectorPolicyFile, a)
		}
		if !slices.Contains(called, a) {
			t.Errorf("%s allows %s, which the collector never called: not least privilege", collectorPolicyFile, a)
		}
	}
}

func TestReadOnlyActionPattern(t *testing.T) {
	for action, want := range map[string]bool{
		"iam:GetAccountAuthorizationDetails":     true,
		"iam:GenerateCredentialReport":           true,
		"iam:GenerateServiceLastAccessedDetails": false,
		"organizations:DescribePolicy":           true,
		"sts:GetCallerIdentity":                  true,
		"sts:AssumeRole":                         true,
		"iam:CreateUser":                         false,
		"iam:PutUserPolicy":                      false,
		"iam:UpdateAccountPasswordPolicy":        false,
		"organizations:AttachPolicy":             false,
		"sts:AssumeRoleWithWebIdentity":          false,
		"iam:*":                                  false,
		"iam:Get*":                               false,
	} {
		if got := readOnlyAction.MatchString(action); got != want {
			t.Errorf("readOnlyAction(%s) = %v, want %v", action, got, want)
		}
	}
}
