package live

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"testing"

	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/smithy-go/middleware"

	"github.com/iamscan/iamscan/internal/mototest"
	"github.com/iamscan/iamscan/snapshot"
)

// callCounts is Collection.Calls as a map, by operation.
func callCounts(r *Result) map[string]int {
	m := map[string]int{}
	for _, c := range r.Raw.Collection.Calls {
		m[c.Operation] = c.Calls
	}
	return m
}

// attemptLog records, per operation, the attempts (retries included) that
// failed with an error other than the throttling the tests inject.
type attemptLog struct {
	mu     sync.Mutex
	errors map[string][]string
}

// install adds the recorder after the SDK's retry middleware, where each
// attempt passes.
func (a *attemptLog) install(stack *middleware.Stack) error {
	return stack.Finalize.Insert(middleware.FinalizeMiddlewareFunc("iamscanTestAttempts",
		func(ctx context.Context, in middleware.FinalizeInput, next middleware.FinalizeHandler) (middleware.FinalizeOutput, middleware.Metadata, error) {
			out, md, err := next.HandleFinalize(ctx, in)
			if err != nil && !strings.Contains(err.Error(), "Throttling") && !strings.Contains(err.Error(), "TooManyRequests") {
				a.mu.Lock()
				if a.errors == nil {
					a.errors = map[string][]string{}
				}
				op := awsmiddleware.GetOperationName(ctx)
				a.errors[op] = append(a.errors[op], err.Error())
				a.mu.Unlock()
			}
			return out, md, err
		}), "Retry", middleware.After)
}

func (a *attemptLog) otherFailures(op string) []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return slices.Clone(a.errors[op])
}

// GetAccountAuthorizationDetails costs one call per 1,000 entities and
// nothing else grows with the account. moto answers in one page whatever
// MaxItems says, so the proxy serves the pages here.
func TestCollectPagesAuthorizationDetails(t *testing.T) {
	endpoint := mototest.URL(t)
	var others map[string]int
	for _, c := range []struct{ users, pages int }{{1, 1}, {1000, 1}, {1001, 2}, {2500, 3}, {4000, 4}} {
		t.Run(fmt.Sprint(c.users, " users"), func(t *testing.T) {
			proxy := mototest.NewProxy(t, endpoint)
			proxy.GAADUsers = c.users
			res := collectMoto(t, proxy.URL, Options{})
			calls := callCounts(res)
			if got := calls["GetAccountAuthorizationDetails"]; got != c.pages {
				t.Errorf("%d authorization details calls, want %d", got, c.pages)
			}
			for _, m := range proxy.MaxItems() {
				if m != "1000" {
					t.Errorf("MaxItems = %q, want the largest page, 1000", m)
				}
			}
			users := path(t, rawJSON(t, res), "AuthorizationDetails", "UserDetailList").([]any)
			if len(users) != c.users {
				t.Fatalf("%d users collected, want %d", len(users), c.users)
			}
			for i, u := range users {
				if name := u.(map[string]any)["UserName"]; name != fmt.Sprintf("user%05d", i) {
					t.Fatalf("user %d is %v: a page was lost, repeated or reordered", i, name)
				}
			}
			// The credential report is polled until ready: its calls depend
			// on timing, not on the account.
			delete(calls, "GetAccountAuthorizationDetails")
			delete(calls, "GenerateCredentialReport")
			if others == nil {
				others = calls
			} else if !maps.Equal(calls, others) {
				t.Errorf("other calls changed with the number of users:\n%v\nwas\n%v", calls, others)
			}
		})
	}
}

// Throttled calls are retried by the SDK (adaptive mode) and not counted
// as calls; the collection completes.
func TestCollectSurvivesThrottling(t *testing.T) {
	endpoint := mototest.URL(t)
	proxy := mototest.NewProxy(t, endpoint)
	proxy.GAADUsers = 1500
	const maxFaults = 6
	injected := 0
	proxy.Fault = func(c mototest.Call) *mototest.Fault {
		if c.Seq%2 != 0 || injected == maxFaults {
			return nil
		}
		injected++
		if c.Params == nil { // Organizations
			return mototest.TooManyRequests
		}
		return mototest.Throttling
	}
	attempts := &attemptLog{}
	res := collectMoto(t, proxy.URL, Options{APIOptions: []func(*middleware.Stack) error{attempts.install}})
	if res.Incomplete() {
		t.Fatalf("throttling made the collection incomplete: %+v", res.Raw.Collection.Errors)
	}
	if proxy.Injected("") != maxFaults {
		t.Fatalf("injected %d faults, want %d (too few calls to test)", proxy.Injected(""), maxFaults)
	}
	// Every request the proxy answered without a fault is one recorded
	// call, except an attempt that failed on the way back for another
	// reason (a connection reset on a loaded machine), which the SDK
	// retries too: such attempts are allowed, and named.
	for op, n := range callCounts(res) {
		extra := proxy.Requests(op) - proxy.Injected(op) - n
		if other := attempts.otherFailures(op); extra < 0 || extra > len(other) {
			t.Errorf("%s: %d calls recorded, want %d requests - %d throttled (attempts that failed otherwise: %q)",
				op, n, proxy.Requests(op), proxy.Injected(op), other)
		} else if extra > 0 {
			t.Logf("%s: %d attempts retried for other reasons: %q", op, extra, other)
		}
	}
	if got := callCounts(res)["GetAccountAuthorizationDetails"]; got != 2 {
		t.Errorf("%d authorization details calls, want 2 pages", got)
	}
}

// A call throttled on every attempt gives up after MaxAttempts and is
// recorded like any failure.
func TestCollectGivesUpOnPersistentThrottling(t *testing.T) {
	endpoint := mototest.URL(t)
	proxy := mototest.NewProxy(t, endpoint)
	proxy.GAADUsers = 1
	proxy.FailOn("GetAccountSummary", mototest.Throttling)
	res := collectMoto(t, proxy.URL, Options{MaxAttempts: 3})
	if got := proxy.Requests("GetAccountSummary"); got != 3 {
		t.Errorf("%d attempts, want MaxAttempts = 3", got)
	}
	want := []CallError{{Operation: "GetAccountSummary", Code: "Throttling", Message: "Rate exceeded",
		Missing: []snapshot.Data{snapshot.DataAccountSummary}}}
	if !slices.EqualFunc(res.Raw.Collection.Errors, want, equalCallError) {
		t.Errorf("Errors = %+v, want %+v", res.Raw.Collection.Errors, want)
	}
	if !res.Incomplete() {
		t.Error("Incomplete() = false")
	}
}

func equalCallError(a, b CallError) bool {
	return a.Operation == b.Operation && a.Code == b.Code && a.Message == b.Message &&
		slices.Equal(a.Missing, b.Missing) && a.Expected == b.Expected
}

// An AccessDenied on one call leaves out exactly the data it reads,
// records why, and the rest of the account is still collected.
func TestCollectRecordsAccessDenied(t *testing.T) {
	endpoint := mototest.URL(t)
	populate(t, adminClient(t, endpoint))
	allKeys := []string{"AuthorizationDetails", "CredentialReport", "PasswordPolicy", "AccountSummary", "VirtualMFADevices",
		"OpenIDConnectProviders", "SAMLProviders", "ServerCertificates", "OrganizationPolicies", "AccountAliases"}
	for _, c := range []struct {
		deny       string
		fault      *mototest.Fault
		missing    []snapshot.Data
		absent     []string // keys left out of the document
		incomplete bool
	}{
		{"GetAccountAuthorizationDetails", mototest.AccessDenied, []snapshot.Data{snapshot.DataAuthorizationDetails}, []string{"AuthorizationDetails"}, true},
		{"GenerateCredentialReport", mototest.AccessDenied, []snapshot.Data{snapshot.DataCredentialReport}, []string{"CredentialReport"}, true},
		{"GetCredentialReport", mototest.AccessDenied, []snapshot.Data{snapshot.DataCredentialReport}, []string{"CredentialReport"}, true},
		// Denied is not "no policy": the key is absent, not null.
		{"GetAccountPasswordPolicy", mototest.AccessDenied, []snapshot.Data{snapshot.DataPasswordPolicy}, []string{"PasswordPolicy"}, true},
		{"GetAccountSummary", mototest.AccessDenied, []snapshot.Data{snapshot.DataAccountSummary}, []string{"AccountSummary"}, true},
		{"ListVirtualMFADevices", mototest.AccessDenied, []snapshot.Data{snapshot.DataMFADevices}, []string{"VirtualMFADevices"}, true},
		{"GetOpenIDConnectProvider", mototest.AccessDenied, []snapshot.Data{snapshot.DataIdentityProviders}, []string{"OpenIDConnectProviders"}, true},
		{"ListSAMLProviders", mototest.AccessDenied, []snapshot.Data{snapshot.DataIdentityProviders}, []string{"SAMLProviders"}, true},
		{"ListServerCertificates", mototest.AccessDenied, []snapshot.Data{snapshot.DataServerCertificates}, []string{"ServerCertificates"}, true},
		{"ListAccountAliases", mototest.AccessDenied, []snapshot.Data{}, []string{"AccountAliases"}, true},
		// A member account may not read its organization: recorded, the
		// SCPs are missing, but the collection is not incomplete.
		{"DescribeOrganization", mototest.OrgAccessDenied, []snapshot.Data{snapshot.DataOrganizationPolicies}, []string{"OrganizationPolicies"}, false},
	} {
		t.Run(c.deny, func(t *testing.T) {
			proxy := mototest.NewProxy(t, endpoint)
			// moto's own answer is 5 MB of AWS managed policies: a
			// synthetic page keeps this table fast.
			proxy.GAADUsers = 2
			proxy.FailOn(c.deny, c.fault)
			res := collectMoto(t, proxy.URL, Options{})
			want := []CallError{{Operation: c.deny, Code: c.fault.Code, Message: c.fault.Message, Missing: c.missing, Expected: !c.incomplete}}
			if !slices.EqualFunc(res.Raw.Collection.Errors, want, equalCallError) {
				t.Errorf("Errors = %+v\nwant %+v", res.Raw.Collection.Errors, want)
			}
			if res.Incomplete() != c.incomplete {
				t.Errorf("Incomplete() = %v, want %v", res.Incomplete(), c.incomplete)
			}
			doc := rawJSON(t, res)
			// The document itself says whether the refusal was expected
			// (not a gap of the audit), and the loader reads that.
			if got := path(t, doc, "Collection", "Errors", 0, "Expected"); got != !c.incomplete {
				t.Errorf("document Collection.Errors[0].Expected = %v, want %v", got, !c.incomplete)
			}
			if snap := loadRaw(t, res); len(snap.Problems) != 0 {
				t.Errorf("loader problems: %v", snap.Problems)
			}
			for _, k := range allKeys {
				_, present := doc[k]
				if absent := slices.Contains(c.absent, k); present == absent {
					t.Errorf("key %s present = %v, want %v", k, present, !absent)
				}
			}
			var denied bool
			for _, call := range res.Raw.Collection.Calls {
				if call.Operation == c.deny {
					denied = call.Error == c.fault.Code
				}
			}
			if !denied {
				t.Errorf("Collection.Calls does not show %s failing with %s: %+v", c.deny, c.fault.Code, res.Raw.Collection.Calls)
			}
		})
	}
}

// Without the caller's identity there is nothing to attribute data to:
// the collection fails with a message naming the cause.
func TestCollectFailsWithoutCallerIdentity(t *testing.T) {
	endpoint := mototest.URL(t)
	proxy := mototest.NewProxy(t, endpoint)
	proxy.FailOn("GetCallerIdentity", mototest.AccessDenied)
	res, err := Collect(context.Background(), Options{EndpointURL: proxy.URL})
	if err == nil || !strings.Contains(err.Error(), "AccessDenied") || !strings.Contains(err.Error(), "caller identity") {
		t.Fatalf("err = %v, want an AccessDenied on the caller identity", err)
	}
	if res == nil || res.Raw != nil || !res.Incomplete() {
		t.Errorf("result = %+v, want no document and incomplete", res)
	}
	if got := proxy.Requests("GetAccountAuthorizationDetails"); got != 0 {
		t.Errorf("collected %d authorization details pages for an unknown account", got)
	}
}
