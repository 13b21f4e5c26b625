package live

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	orgtypes "github.com/aws/aws-sdk-go-v2/service/organizations/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/iamscan/iamscan/internal/mototest"
	"github.com/iamscan/iamscan/snapshot"
)

// orgFixture is an organization in moto: the management account
// 123456789012 (populated like a single account), a member in an OU with
// its own SCP, and a member directly under the root.
type orgFixture struct {
	inOU, atRoot string // member account ids
	scpName      string // attached to the OU only
}

func populateOrg(t *testing.T, endpoint string) orgFixture {
	t.Helper()
	ctx := context.Background()
	c := organizations.NewFromConfig(adminConfig(t, endpoint))
	must[*organizations.CreateOrganizationOutput](t, "CreateOrganization")(c.CreateOrganization(ctx, &organizations.CreateOrganizationInput{FeatureSet: orgtypes.OrganizationFeatureSetAll}))
	root := must[*organizations.ListRootsOutput](t, "ListRoots")(c.ListRoots(ctx, &organizations.ListRootsInput{})).Roots[0]
	var f orgFixture
	for _, name := range []string{"in-ou", "at-root"} {
		out := must[*organizations.CreateAccountOutput](t, "CreateAccount")(c.CreateAccount(ctx, &organizations.CreateAccountInput{
			AccountName: aws.String(name), Email: aws.String(name + "@example.com")}))
		id := aws.ToString(out.CreateAccountStatus.AccountId)
		if name == "in-ou" {
			f.inOU = id
		} else {
			f.atRoot = id
		}
	}
	ou := must[*organizations.CreateOrganizationalUnitOutput](t, "CreateOrganizationalUnit")(c.CreateOrganizationalUnit(ctx, &organizations.CreateOrganizationalUnitInput{
		ParentId: root.Id, Name: aws.String("prod")}))
	must[*organizations.MoveAccountOutput](t, "MoveAccount")(c.MoveAccount(ctx, &organizations.MoveAccountInput{
		AccountId: aws.String(f.inOU), SourceParentId: root.Id, DestinationParentId: ou.OrganizationalUnit.Id}))
	f.scpName = "deny-leaving"
	scp := must[*organizations.CreatePolicyOutput](t, "CreatePolicy")(c.CreatePolicy(ctx, &organizations.CreatePolicyInput{
		Name: aws.String(f.scpName), Description: aws.String("test"), Type: orgtypes.PolicyTypeServiceControlPolicy,
		Content: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"organizations:LeaveOrganization","Resource":"*"}]}`)}))
	must[*organizations.AttachPolicyOutput](t, "AttachPolicy")(c.AttachPolicy(ctx, &organizations.AttachPolicyInput{
		PolicyId: scp.Policy.PolicySummary.Id, TargetId: ou.OrganizationalUnit.Id}))
	return f
}

func orgPolicyNames(t *testing.T, r *Result) []string {
	t.Helper()
	var names []string
	for _, p := range path(t, rawJSON(t, r), "OrganizationPolicies").([]any) {
		p := p.(map[string]any)
		if !json.Valid([]byte(p["Content"].(string))) {
			t.Errorf("policy %v Content is not JSON: %v", p["Name"], p["Content"])
		}
		names = append(names, p["Name"].(string))
		if typ := p["Type"]; typ != "SERVICE_CONTROL_POLICY" && typ != "RESOURCE_CONTROL_POLICY" {
			t.Errorf("policy %v has type %v", p["Name"], typ)
		}
	}
	slices.Sort(names)
	return names
}

func TestCollectAllOrganization(t *testing.T) {
	endpoint := mototest.URL(t)
	populate(t, adminClient(t, endpoint))
	f := populateOrg(t, endpoint)
	proxy := mototest.NewProxy(t, endpoint)

	batch, err := CollectAll(context.Background(), Options{EndpointURL: proxy.URL, Org: true, RoleName: "iamscan-audit", Concurrency: 2})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	byID := map[string]*Result{}
	for _, r := range batch.Results {
		ids = append(ids, r.AccountID)
		byID[r.AccountID] = r
		if r.Incomplete() {
			t.Errorf("account %s incomplete: err %v", r.AccountID, r.Err)
			if r.Raw != nil {
				t.Errorf("errors: %+v", r.Raw.Collection.Errors)
			}
		}
	}
	want := []string{"123456789012", f.inOU, f.atRoot}
	slices.Sort(want)
	if !slices.Equal(ids, want) {
		t.Fatalf("collected %v, want the organization's accounts %v", ids, want)
	}
	if t.Failed() {
		return
	}
	// Each document is the assumed account's own.
	for id, r := range byID {
		if r.Raw.AccountID != id || !strings.Contains(r.Raw.Caller.Arn, "assumed-role/iamscan-audit/iamscan") {
			t.Errorf("account %s: document of %s as %s", id, r.Raw.AccountID, r.Raw.Caller.Arn)
		}
		if n := callCounts(r)["AssumeRole"]; n != 1 {
			t.Errorf("account %s: %d AssumeRole calls, want 1", id, n)
		}
	}
	if got := byID["123456789012"]; len(path(t, rawJSON(t, got), "AuthorizationDetails", "UserDetailList").([]any)) != 2 {
		t.Errorf("management account users not collected through the role")
	}

	// FullAWSAccess (SCP) and RCPFullAWSAccess (RCP) on the root apply to
	// both members, the OU's SCP only to the member in it, none to the
	// management account.
	if got := orgPolicyNames(t, byID[f.inOU]); !slices.Equal(got, []string{"FullAWSAccess", "RCPFullAWSAccess", f.scpName}) {
		t.Errorf("SCPs of the account in the OU = %v", got)
	}
	if got := orgPolicyNames(t, byID[f.atRoot]); !slices.Equal(got, []string{"FullAWSAccess", "RCPFullAWSAccess"}) {
		t.Errorf("SCPs of the account under the root = %v", got)
	}
	if got := orgPolicyNames(t, byID["123456789012"]); len(got) != 0 {
		t.Errorf("SCPs of the management account = %v, want none (they do not apply to it)", got)
	}
	// Each account says which organization it is in; the caller's is
	// read once, and so is each policy.
	if n := proxy.Requests("DescribeOrganization"); n != 4 {
		t.Errorf("DescribeOrganization requested %d times, want once per account (3) and once for the caller", n)
	}
	if n := proxy.Requests("DescribePolicy"); n != 3 {
		t.Errorf("DescribePolicy requested %d times, want once per policy (3)", n)
	}
	if !slices.Contains(batch.Actions, "organizations:ListAccounts") {
		t.Errorf("batch actions %v lack organizations:ListAccounts", batch.Actions)
	}

	dir := t.TempDir()
	idx, err := WriteAll(dir, batch)
	if err != nil {
		t.Fatal(err)
	}
	var onDisk Index
	b, err := os.ReadFile(filepath.Join(dir, IndexFile))
	if err != nil || json.Unmarshal(b, &onDisk) != nil {
		t.Fatalf("index.json unreadable: %v", err)
	}
	if len(onDisk.Accounts) != 3 || len(idx.Accounts) != 3 {
		t.Fatalf("index has %d accounts, want 3", len(onDisk.Accounts))
	}
	for id, e := range onDisk.Accounts {
		if e.Status != StatusComplete || e.File != id+".json" {
			t.Errorf("index entry %s = %+v", id, e)
		}
		var doc map[string]any
		b, err := os.ReadFile(filepath.Join(dir, e.File))
		if err != nil || json.Unmarshal(b, &doc) != nil || doc["AccountId"] != id {
			t.Errorf("%s: not the raw document of %s (%v)", e.File, id, err)
		}
	}

	// This collection makes every kind of call the collector has (the
	// management account has an OIDC provider, members have parents and
	// policies), so it checks the shipped policy against real calls.
	t.Run("collector policy", func(t *testing.T) {
		called := slices.Clone(batch.Actions)
		for _, r := range batch.Results {
			called = append(called, r.Actions...)
		}
		checkCollectorPolicy(t, called)
	})
}

// One account whose role cannot be assumed fails alone and visibly.
func TestCollectAllOneAccountDenied(t *testing.T) {
	endpoint := mototest.URL(t)
	proxy := mototest.NewProxy(t, endpoint)
	proxy.GAADUsers = 1
	const denied, open = "222222222222", "111111111111"
	proxy.Fault = func(c mototest.Call) *mototest.Fault {
		if c.Action == "AssumeRole" && strings.Contains(c.Params.Get("RoleArn"), denied) {
			return mototest.AccessDenied
		}
		return nil
	}
	batch, err := CollectAll(context.Background(), Options{EndpointURL: proxy.URL, Accounts: []string{denied, open, denied}, RoleName: "audit"})
	if err != nil {
		t.Fatal(err)
	}
	if len(batch.Results) != 2 {
		t.Fatalf("%d results, want 2 (duplicates removed)", len(batch.Results))
	}
	ok, bad := batch.Results[0], batch.Results[1]
	if ok.AccountID != open || ok.Incomplete() || ok.Raw.AccountID != open {
		t.Errorf("open account: %+v", ok)
	}
	if bad.AccountID != denied || bad.Raw != nil || bad.Err == nil ||
		!strings.Contains(bad.Err.Error(), "arn:aws:iam::222222222222:role/audit") || !strings.Contains(bad.Err.Error(), "AccessDenied") {
		t.Errorf("denied account: %+v (err %v)", bad, bad.Err)
	}
	if !batch.Incomplete() {
		t.Error("batch not incomplete")
	}
	idx, err := WriteAll(t.TempDir(), batch)
	if err != nil {
		t.Fatal(err)
	}
	if e := idx.Accounts[denied]; e.Status != StatusFailed || e.File != "" || !strings.Contains(e.Error, "AccessDenied") {
		t.Errorf("index entry of the denied account = %+v", e)
	}
	if e := idx.Accounts[open]; e.Status != StatusComplete {
		t.Errorf("index entry of the open account = %+v", e)
	}
}

func TestOptionsValidate(t *testing.T) {
	for _, c := range []struct {
		name string
		o    Options
		want string // substring of the error; "" for valid
	}{
		{"own account", Options{}, ""},
		{"accounts", Options{Accounts: []string{"111111111111"}, RoleName: "audit"}, ""},
		{"org", Options{Org: true, RoleName: "audit"}, ""},
		{"short id", Options{Accounts: []string{"1111"}, RoleName: "audit"}, `"1111" is not 12 digits`},
		{"both", Options{Accounts: []string{"111111111111"}, Org: true, RoleName: "audit"}, "either accounts or org"},
		{"no role", Options{Org: true}, "needs a role name"},
		{"bad role", Options{Org: true, RoleName: "a/b"}, `"a/b" is not a valid IAM role name`},
		{"role alone", Options{RoleName: "audit"}, "needs accounts or org"},
	} {
		err := c.o.validate()
		if (err == nil) != (c.want == "") || (err != nil && !strings.Contains(err.Error(), c.want)) {
			t.Errorf("%s: validate() = %v, want %q", c.name, err, c.want)
		}
	}
}

// An account in an organization the caller is not in: its own
// credentials say so, and its policies are read with them, never taken
// for "no organization" from the caller's point of view.
func TestCollectAllAccountInAnotherOrganization(t *testing.T) {
	endpoint := mototest.URL(t)
	ctx := context.Background()
	// Account 111111111111 founds an organization and creates a member;
	// the caller, 123456789012, is in none.
	cfg := adminConfig(t, endpoint)
	founder := cfg.Copy()
	founder.Credentials = aws.NewCredentialsCache(stscreds.NewAssumeRoleProvider(sts.NewFromConfig(cfg), "arn:aws:iam::111111111111:role/admin"))
	org := organizations.NewFromConfig(founder)
	must[*organizations.CreateOrganizationOutput](t, "CreateOrganization")(org.CreateOrganization(ctx, &organizations.CreateOrganizationInput{FeatureSet: orgtypes.OrganizationFeatureSetAll}))
	created := must[*organizations.CreateAccountOutput](t, "CreateAccount")(org.CreateAccount(ctx, &organizations.CreateAccountInput{
		AccountName: aws.String("member"), Email: aws.String("member@example.com")}))
	member := aws.ToString(created.CreateAccountStatus.AccountId)

	batch, err := CollectAll(ctx, Options{EndpointURL: endpoint, Accounts: []string{member}, RoleName: "audit"})
	if err != nil {
		t.Fatal(err)
	}
	r := batch.Results[0]
	if r.Raw == nil {
		t.Fatalf("account not collected: %v", r.Err)
	}
	// The member's own credentials see its organization, the caller's see
	// none: the member's policies must not be reported as "none apply".
	// (AWS would then let a delegated administrator's role read them;
	// moto answers ListParents from a member with AccountNotFound, so
	// here they are recorded as not collected.)
	doc := rawJSON(t, r)
	if got, ok := doc["OrganizationPolicies"]; ok {
		names := orgPolicyNames(t, r)
		if len(names) == 0 {
			t.Fatalf("OrganizationPolicies = %v: a member of an organization reported as restricted by nothing", got)
		}
		return
	}
	errs := r.Raw.Collection.Errors
	if len(errs) != 1 || !slices.Equal(errs[0].Missing, []snapshot.Data{snapshot.DataOrganizationPolicies}) {
		t.Errorf("OrganizationPolicies absent, but Errors = %+v", errs)
	}
}

// The two entry points refuse each other's work before any call.
func TestCollectEntryPoints(t *testing.T) {
	ctx := context.Background()
	if _, err := Collect(ctx, Options{Org: true, RoleName: "audit"}); err == nil || !strings.Contains(err.Error(), "use CollectAll") {
		t.Errorf("Collect with Org: err = %v", err)
	}
	if _, err := CollectAll(ctx, Options{}); err == nil || !strings.Contains(err.Error(), "no accounts to collect") {
		t.Errorf("CollectAll without accounts: err = %v", err)
	}
}
