package rules_test

import (
	"slices"
	"testing"
	"time"

	"github.com/iamscan/iamscan/rules"
	"github.com/iamscan/iamscan/snapshot"
)

var asOf = time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)

func ts(s string) snapshot.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return snapshot.Time{T: t}
}

// credSnapshot builds a snapshot holding only a credential report.
func credSnapshot(rows ...*snapshot.CredentialRow) *snapshot.Snapshot {
	cr := &snapshot.CredentialReport{Loc: "report.csv"}
	for i, r := range rows {
		r.Line = i + 2
		if r.IsRoot {
			cr.Root = r
			r.ARN = "arn:aws:iam::111122223333:root"
		} else {
			r.ARN = "arn:aws:iam::111122223333:user/" + r.User
		}
		cr.Rows = append(cr.Rows, r)
	}
	return &snapshot.Snapshot{
		AccountID:        "111122223333",
		CredentialReport: cr,
		Present:          map[snapshot.Data]bool{snapshot.DataCredentialReport: true},
	}
}

func messages(t *testing.T, r *rules.Rule, s *snapshot.Snapshot) []string {
	t.Helper()
	res := rules.Run(s, []*rules.Rule{r}, rules.Options{AsOf: asOf})
	if st := res.Rules[0].Status; st == rules.StatusError || st == rules.StatusNotEvaluable {
		t.Fatalf("%s: %s (%s)", r.ID, st, res.Rules[0].Reason)
	}
	var out []string
	for _, f := range res.Findings {
		if f.Location.File != "report.csv" || f.Location.Line == 0 {
			t.Errorf("%s: finding %q points at %v, want a line of report.csv", r.ID, f.Message, f.Location)
		}
		out = append(out, f.Message)
	}
	slices.Sort(out)
	return out
}

// Unknown values (N/A, not_supported, no_information where it does not
// mean "never") must never be read as false.
func TestCredentialRulesKeepUnknownApart(t *testing.T) {
	active := snapshot.AccessKey{Active: snapshot.True, LastRotated: ts("2026-10-01T00:00:00Z"), LastUsed: ts("2026-10-30T00:00:00Z")}
	tests := []struct {
		name string
		rule *rules.Rule
		rows []*snapshot.CredentialRow
		want []string
	}{
		{"root MFA unknown", rules.IAM021RootNoMFA,
			[]*snapshot.CredentialRow{{IsRoot: true, MFAActive: snapshot.Unknown}}, nil},
		{"root MFA false", rules.IAM021RootNoMFA,
			[]*snapshot.CredentialRow{{IsRoot: true, MFAActive: snapshot.False}}, []string{"root user has no MFA device"}},
		{"root key status unknown", rules.IAM020RootAccessKeys,
			[]*snapshot.CredentialRow{{IsRoot: true, AccessKeys: [2]snapshot.AccessKey{{Active: snapshot.Unknown}}}}, nil},
		{"console user MFA unknown", rules.IAM024ConsoleUserNoMFA,
			[]*snapshot.CredentialRow{{User: "a", PasswordEnabled: snapshot.True, MFAActive: snapshot.Unknown}}, nil},
		{"password status unknown", rules.IAM024ConsoleUserNoMFA,
			[]*snapshot.CredentialRow{{User: "a", PasswordEnabled: snapshot.Unknown, MFAActive: snapshot.False}}, nil},
		{"root is not a console user", rules.IAM024ConsoleUserNoMFA,
			[]*snapshot.CredentialRow{{IsRoot: true, User: "<root_account>", PasswordEnabled: snapshot.True, MFAActive: snapshot.False}}, nil},
		{"rotation date not_supported", rules.IAM025AccessKeyRotation,
			[]*snapshot.CredentialRow{{User: "a", AccessKeys: [2]snapshot.AccessKey{{Active: snapshot.True, LastRotated: snapshot.Time{Raw: "not_supported"}}}}}, nil},
		{"rotated 91 days ago", rules.IAM025AccessKeyRotation,
			[]*snapshot.CredentialRow{{User: "a", AccessKeys: [2]snapshot.AccessKey{{Active: snapshot.True, LastRotated: ts("2026-08-02T00:00:00Z")}}}},
			[]string{"access key 1 of user a not rotated in 90 days"}},
		{"inactive old key", rules.IAM025AccessKeyRotation,
			[]*snapshot.CredentialRow{{User: "a", AccessKeys: [2]snapshot.AccessKey{{Active: snapshot.False, LastRotated: ts("2020-01-01T00:00:00Z")}}}}, nil},
		{"second key status unknown", rules.IAM027MultipleAccessKeys,
			[]*snapshot.CredentialRow{{User: "a", AccessKeys: [2]snapshot.AccessKey{active, {Active: snapshot.Unknown}}}}, nil},
		{"two active keys", rules.IAM027MultipleAccessKeys,
			[]*snapshot.CredentialRow{{User: "a", AccessKeys: [2]snapshot.AccessKey{active, active}}}, []string{"user a has two active access keys"}},
		{"password last use not_supported", rules.IAM026UnusedCredentials,
			[]*snapshot.CredentialRow{{User: "a", PasswordEnabled: snapshot.True, PasswordLastUsed: snapshot.Time{Raw: "not_supported"}, PasswordLastChanged: ts("2020-01-01T00:00:00Z")}}, nil},
		{"password never used, set long ago", rules.IAM026UnusedCredentials,
			[]*snapshot.CredentialRow{{User: "a", PasswordEnabled: snapshot.True, PasswordLastUsed: snapshot.Time{Raw: "no_information"}, PasswordLastChanged: ts("2020-01-01T00:00:00Z")}},
			[]string{"console password of user a unused for 45 days"}},
		{"never signed in but creation unknown", rules.IAM043ConsoleUserNeverSignedIn,
			[]*snapshot.CredentialRow{{User: "a", PasswordEnabled: snapshot.True, PasswordLastUsed: snapshot.Time{Raw: "no_information"}, UserCreationTime: snapshot.Time{Raw: "not_supported"}}}, nil},
		{"key last use unknown is not never used", rules.IAM029InitialAccessKey,
			[]*snapshot.CredentialRow{{User: "a", UserCreationTime: ts("2026-01-01T00:00:00Z"), AccessKeys: [2]snapshot.AccessKey{{Active: snapshot.True, LastRotated: ts("2026-01-01T00:00:01Z"), LastUsed: snapshot.Time{Raw: "not_supported"}}}}}, nil},
		{"key created eleven minutes after the user", rules.IAM029InitialAccessKey,
			[]*snapshot.CredentialRow{{User: "a", UserCreationTime: ts("2026-01-01T00:00:00Z"), AccessKeys: [2]snapshot.AccessKey{{Active: snapshot.True, LastRotated: ts("2026-01-01T00:11:00Z"), LastUsed: snapshot.Time{Raw: "N/A"}}}}}, nil},
		{"root used exactly at the threshold", rules.IAM023RootRecentUse,
			[]*snapshot.CredentialRow{{IsRoot: true, PasswordLastUsed: ts("2026-08-03T00:00:00Z")}}, []string{"root user password used within 90 days"}},
		{"root used a day before the threshold", rules.IAM023RootRecentUse,
			[]*snapshot.CredentialRow{{IsRoot: true, PasswordLastUsed: ts("2026-08-02T00:00:00Z")}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := messages(t, tt.rule, credSnapshot(tt.rows...))
			if !slices.Equal(got, tt.want) {
				t.Errorf("%s: got %q, want %q", tt.rule.ID, got, tt.want)
			}
		})
	}
}

// A rule that needs the credential report is "not evaluable" without it,
// never "pass".
func TestCredentialRulesNeedTheReport(t *testing.T) {
	s := &snapshot.Snapshot{Present: map[snapshot.Data]bool{snapshot.DataAuthorizationDetails: true}}
	res := rules.Run(s, []*rules.Rule{rules.IAM020RootAccessKeys, rules.IAM024ConsoleUserNoMFA}, rules.Options{AsOf: asOf})
	for _, rr := range res.Rules {
		if rr.Status != rules.StatusNotEvaluable {
			t.Errorf("%s: status %s without a credential report, want %s", rr.RuleID, rr.Status, rules.StatusNotEvaluable)
		}
	}
}

// Messages state the threshold, so a configured parameter shows up in
// them and the fingerprint stays stable as days pass.
func TestAgeRulesUseParameters(t *testing.T) {
	s := credSnapshot(&snapshot.CredentialRow{User: "a", AccessKeys: [2]snapshot.AccessKey{{Active: snapshot.True, LastRotated: ts("2026-09-01T00:00:00Z")}}})
	run := func(at time.Time, params map[string]map[string]any) []rules.Finding {
		return rules.Run(s, []*rules.Rule{rules.IAM025AccessKeyRotation}, rules.Options{AsOf: at, Params: params}).Findings
	}
	if f := run(asOf, nil); len(f) != 0 {
		t.Fatalf("61-day-old key reported with the default of 90 days: %v", f)
	}
	f := run(asOf, map[string]map[string]any{"IAM025": {"days": 30}})
	if len(f) != 1 || f[0].Message != "access key 1 of user a not rotated in 30 days" {
		t.Fatalf("with days=30: %+v", f)
	}
	later := run(asOf.AddDate(0, 1, 0), map[string]map[string]any{"IAM025": {"days": 30}})
	if len(later) != 1 || later[0].Fingerprint != f[0].Fingerprint {
		t.Errorf("fingerprint changed as the key aged: %v vs %v", later, f)
	}
}
