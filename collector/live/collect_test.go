package live

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/iamscan/iamscan/internal/mototest"
)

// rawJSON writes the result's document and reads it back generically, so
// that tests check what a reader of the file sees.
func rawJSON(t *testing.T, r *Result) map[string]any {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteRaw(&buf, r); err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatalf("raw document is not JSON: %v", err)
	}
	return doc
}

// path walks a decoded JSON value by keys and list indexes.
func path(t *testing.T, v any, steps ...any) any {
	t.Helper()
	for _, s := range steps {
		switch s := s.(type) {
		case string:
			m, ok := v.(map[string]any)
			if !ok {
				t.Fatalf("at %q: not an object: %T", s, v)
			}
			if v, ok = m[s]; !ok {
				t.Fatalf("missing key %q", s)
			}
		case int:
			l, ok := v.([]any)
			if !ok || s >= len(l) {
				t.Fatalf("at [%d]: not a list that long: %T", s, v)
			}
			v = l[s]
		}
	}
	return v
}

// byKey finds the object in a list whose key has the given value.
func byKey(t *testing.T, list any, key, value string) map[string]any {
	t.Helper()
	for _, e := range list.([]any) {
		if m := e.(map[string]any); m[key] == value {
			return m
		}
	}
	t.Fatalf("no entry with %s=%q", key, value)
	return nil
}

func collectMoto(t *testing.T, endpoint string, o Options) *Result {
	t.Helper()
	o.EndpointURL = endpoint
	res, err := Collect(context.Background(), o)
	if err != nil {
		t.Fatalf("Collect: %v", err)
	}
	return res
}

func TestCollectMotoAccount(t *testing.T) {
	endpoint := mototest.URL(t)
	f := populate(t, adminClient(t, endpoint))
	var progress bytes.Buffer
	res := collectMoto(t, endpoint, Options{Version: "test", Progress: &progress})
	if res.Incomplete() {
		t.Fatalf("collection incomplete: %+v", res.Raw.Collection.Errors)
	}
	doc := rawJSON(t, res)

	for key, want := range map[string]any{
		"Format": "iamscan-raw", "FormatVersion": 1.0, "AccountId": "123456789012", "Partition": "aws",
	} {
		if got := doc[key]; got != want {
			t.Errorf("%s = %v, want %v", key, got, want)
		}
	}
	if got := path(t, doc, "Collector", "Version"); got != "test" {
		t.Errorf("Collector.Version = %v", got)
	}
	if got := path(t, doc, "AccountAliases"); !slices.Equal(toStrings(got), []string{"iamscan-test"}) {
		t.Errorf("AccountAliases = %v", got)
	}

	t.Run("authorization details", func(t *testing.T) {
		ad := path(t, doc, "AuthorizationDetails")
		alice := byKey(t, path(t, ad, "UserDetailList"), "UserName", "alice")
		if got := toStrings(alice["GroupList"]); !slices.Equal(got, []string{"devs"}) {
			t.Errorf("alice GroupList = %v", got)
		}
		inline := path(t, alice, "UserPolicyList", 0)
		// The URL-encoded document became an object and its "+" survived.
		if got := path(t, inline, "PolicyDocument", "Statement", 0, "Resource"); got != "arn:aws:s3:::a+b" {
			t.Errorf("alice inline Resource = %v, want arn:aws:s3:::a+b", got)
		}
		if got := path(t, alice, "Tags", 0, "Value"); got != "audit" {
			t.Errorf("alice tag = %v", got)
		}
		if _, ok := alice["PermissionsBoundary"]; ok {
			t.Errorf("absent PermissionsBoundary written: %v", alice["PermissionsBoundary"])
		}

		app := byKey(t, path(t, ad, "RoleDetailList"), "RoleName", "app")
		if got := path(t, app, "AssumeRolePolicyDocument", "Statement", 0, "Principal", "Service"); got != "ec2.amazonaws.com" {
			t.Errorf("app trust principal = %v", got)
		}
		if got := path(t, app, "RolePolicyList", 0, "PolicyDocument", "Statement", 0, "Action"); got != "*" {
			t.Errorf("app inline action = %v", got)
		}
		devs := byKey(t, path(t, ad, "GroupDetailList"), "GroupName", "devs")
		if got := path(t, devs, "AttachedManagedPolicies", 0, "PolicyArn"); got != "arn:aws:iam::aws:policy/ReadOnlyAccess" {
			t.Errorf("devs attached = %v", got)
		}

		pol := byKey(t, path(t, ad, "Policies"), "Arn", f.policyARN)
		versions := path(t, pol, "PolicyVersionList").([]any)
		if len(versions) != 3 {
			t.Fatalf("read-s3 has %d versions, want all 3", len(versions))
		}
		defaults := 0
		for _, v := range versions {
			v := v.(map[string]any)
			if v["IsDefaultVersion"] == true {
				defaults++
				if v["VersionId"] != "v3" || path(t, v, "Document", "Statement", 0, "Action") != "*" {
					t.Errorf("default version = %v", v)
				}
			}
			if _, ok := path(t, v, "Document").(map[string]any); !ok {
				t.Errorf("version %v document not decoded to an object", v["VersionId"])
			}
		}
		if defaults != 1 {
			t.Errorf("%d default versions, want 1", defaults)
		}
		// MOTO_IAM_LOAD_MANAGED_POLICIES: AWS managed policies come too.
		byKey(t, path(t, ad, "Policies"), "Arn", "arn:aws:iam::aws:policy/ReadOnlyAccess")
	})

	t.Run("credential report", func(t *testing.T) {
		// One JSON string per CSV line (docs/raw-format.md).
		content := strings.Join(toStrings(path(t, doc, "CredentialReport", "Lines")), "\n")
		rows, err := csv.NewReader(strings.NewReader(content)).ReadAll()
		if err != nil {
			t.Fatalf("report is not CSV: %v", err)
		}
		users := map[string][]string{}
		for _, r := range rows[1:] {
			users[r[0]] = r
		}
		col := slices.Index(rows[0], "password_enabled")
		if col < 0 || users["alice"] == nil || users["alice"][col] != "true" || users["bob"][col] != "false" {
			t.Errorf("password_enabled: header %v, alice %v, bob %v", rows[0], users["alice"], users["bob"])
		}
		// moto dates every report 2015-02-02: not a time AWS could have
		// generated it for this collection, so CollectedAt is the
		// collection's own time (TestPlausibleReportTime covers the rule).
		generated := path(t, doc, "CredentialReport", "GeneratedTime").(string)
		collected, err := time.Parse(time.RFC3339, doc["CollectedAt"].(string))
		if err != nil {
			t.Fatal(err)
		}
		if generated != "2015-02-02T20:02:02Z" {
			t.Logf("moto now dates reports %s; the check below still holds", generated)
		}
		if time.Since(collected) > time.Hour || time.Until(collected) > time.Minute {
			t.Errorf("CollectedAt = %v, want about now (report generated %v)", collected, generated)
		}
	})

	t.Run("account settings", func(t *testing.T) {
		if got := path(t, doc, "PasswordPolicy", "PasswordPolicy", "MinimumPasswordLength"); got != 14.0 {
			t.Errorf("MinimumPasswordLength = %v", got)
		}
		if got := path(t, doc, "AccountSummary", "SummaryMap", "Users"); got != 2.0 {
			t.Errorf("SummaryMap.Users = %v", got)
		}
		mfa := byKey(t, path(t, doc, "VirtualMFADevices"), "SerialNumber", f.mfaSerial)
		if got := path(t, mfa, "User", "UserName"); got != "alice" {
			t.Errorf("MFA user = %v", got)
		}
		for _, secret := range []string{"Base32StringSeed", "QRCodePNG"} {
			if _, ok := mfa[secret]; ok {
				t.Errorf("MFA secret %s written", secret)
			}
		}
		oidc := byKey(t, path(t, doc, "OpenIDConnectProviders"), "Arn", f.oidcARN)
		if got := toStrings(oidc["ClientIDList"]); !slices.Equal(got, []string{"sts.amazonaws.com"}) {
			t.Errorf("OIDC ClientIDList = %v", got)
		}
		if !strings.Contains(oidc["Url"].(string), "token.actions.githubusercontent.com") {
			t.Errorf("OIDC Url = %v", oidc["Url"])
		}
		byKey(t, path(t, doc, "SAMLProviders"), "Arn", f.samlARN)
		byKey(t, path(t, doc, "ServerCertificates"), "ServerCertificateName", "legacy-elb")
		// moto's account is in no organization: no SCP applies, which is data.
		if got, ok := path(t, doc, "OrganizationPolicies").([]any); !ok || len(got) != 0 {
			t.Errorf("OrganizationPolicies = %v, want []", got)
		}
	})

	t.Run("collection", func(t *testing.T) {
		if errs := path(t, doc, "Collection", "Errors").([]any); len(errs) != 0 {
			t.Errorf("Errors = %v", errs)
		}
		calls := map[string]float64{}
		for _, c := range path(t, doc, "Collection", "Calls").([]any) {
			c := c.(map[string]any)
			calls[c["Operation"].(string)] = c["Calls"].(float64)
		}
		for op, want := range map[string]float64{
			"GetAccountAuthorizationDetails": 1, "GetCredentialReport": 1, "GetAccountPasswordPolicy": 1,
			"GetCallerIdentity": 1, "GetOpenIDConnectProvider": 1, "DescribeOrganization": 1,
		} {
			if calls[op] != want {
				t.Errorf("%s called %v times, want %v (all: %v)", op, calls[op], want, calls)
			}
		}
		// Without Verbose: a line per section with counts, none per call.
		for _, line := range []string{"[123456789012] done in", "authorization details: page 1, 2 users, 2 roles, 1 groups",
			"credential report:", "organization policies: the account is not in an organization"} {
			if !strings.Contains(progress.String(), line) {
				t.Errorf("progress lacks %q:\n%s", line, progress.String())
			}
		}
		if strings.Contains(progress.String(), "iam:GetAccountSummary") {
			t.Errorf("progress shows API calls without Verbose:\n%s", progress.String())
		}
	})

	// The same document, read back by the offline loader and scanned.
	t.Run("offline load and scan", func(t *testing.T) { checkLoadsAndScans(t, res, f) })
}

func toStrings(v any) []string {
	l, _ := v.([]any)
	out := make([]string, 0, len(l))
	for _, e := range l {
		s, _ := e.(string)
		out = append(out, s)
	}
	return out
}

// A missing password policy is data ("null"), not a failure.
func TestCollectMotoNoPasswordPolicy(t *testing.T) {
	endpoint := mototest.URL(t)
	res := collectMoto(t, endpoint, Options{})
	doc := rawJSON(t, res)
	v, ok := doc["PasswordPolicy"]
	if !ok || v != nil {
		t.Fatalf("PasswordPolicy = %v (present %v), want null", v, ok)
	}
	if res.Incomplete() {
		t.Errorf("no password policy made the collection incomplete: %+v", res.Raw.Collection.Errors)
	}
}

// The number of calls depends on pages, not on principals: moto answers
// GetAccountAuthorizationDetails in one page, so 2 and 60 users cost the
// same calls. (GenerateCredentialReport is left out: how often it is
// polled depends on how fast the report is ready, not on the account.)
func TestCollectMotoCallsDoNotGrowWithPrincipals(t *testing.T) {
	endpoint := mototest.URL(t)
	c := adminClient(t, endpoint)
	calls := func() map[string]int {
		m := map[string]int{}
		for _, r := range collectMoto(t, endpoint, Options{}).Raw.Collection.Calls {
			if r.Operation != "GenerateCredentialReport" {
				m[r.Operation] = r.Calls
			}
		}
		return m
	}
	addUsers(t, c, "few", 2)
	few := calls()
	addUsers(t, c, "many", 58)
	many := calls()
	if !maps.Equal(few, many) || few["GetAccountAuthorizationDetails"] != 1 {
		t.Errorf("calls with 2 users: %v\nwith 60 users: %v\nwant equal, one authorization details page", few, many)
	}
}

func TestPlausibleReportTime(t *testing.T) {
	started := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	now := started.Add(time.Minute)
	for _, c := range []struct {
		name      string
		generated time.Time
		want      bool
	}{
		{"just generated", now.Add(-10 * time.Second), true},
		{"reused report, 3h old", started.Add(-3 * time.Hour), true},
		{"skewed clock, 2 minutes ahead", now.Add(2 * time.Minute), true},
		{"moto's fixed date", time.Date(2015, 2, 2, 20, 2, 2, 0, time.UTC), false},
		{"two days old", started.Add(-48 * time.Hour), false},
		{"an hour in the future", now.Add(time.Hour), false},
		{"missing", time.Time{}, false},
	} {
		if got := plausibleReportTime(c.generated, started, now); got != c.want {
			t.Errorf("%s: plausibleReportTime(%v) = %v, want %v", c.name, c.generated, got, c.want)
		}
	}
}
