package live

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/iamscan/iamscan/internal/mototest"
	"github.com/iamscan/iamscan/snapshot"
)

// hang holds a call until the client gives up on it.
const hang = time.Hour

// topKeys lists the top-level keys of a result's document.
func topKeys(t *testing.T, r *Result) []string {
	t.Helper()
	var keys []string
	for k := range rawJSON(t, r) {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// A collection cut short (here by its deadline, while the authorization
// details hang) keeps everything it read; the call that did not complete
// is recorded with the data it leaves out.
func TestCollectStoppedByTimeoutKeepsWhatWasRead(t *testing.T) {
	endpoint := mototest.URL(t)
	populate(t, adminClient(t, endpoint))
	proxy := mototest.NewProxy(t, endpoint)
	proxy.Delay = func(c mototest.Call) time.Duration {
		if c.Action == "GetAccountAuthorizationDetails" {
			return hang
		}
		return 0
	}
	why := errors.New("the test's time limit")
	ctx, cancel := context.WithTimeoutCause(context.Background(), 6*time.Second, why)
	defer cancel()
	start := time.Now()
	res, err := Collect(ctx, Options{EndpointURL: proxy.URL})
	if err != nil {
		t.Fatalf("Collect: %v", err)
	}
	if took := time.Since(start); took > 12*time.Second {
		t.Errorf("Collect took %s after a 6s deadline", took)
	}
	if res.Raw == nil || !errors.Is(res.Stopped, why) || res.Err != nil || !res.Incomplete() {
		t.Fatalf("result: raw %v, stopped %v, err %v, incomplete %v; want the document, stopped by the deadline", res.Raw != nil, res.Stopped, res.Err, res.Incomplete())
	}
	// The authorization details were cut short; on a loaded machine
	// other calls may have been too. Every call cut short says why and
	// what it leaves out, and every section not cut short is there.
	keyOf := map[snapshot.Data][]string{
		snapshot.DataAuthorizationDetails: {"AuthorizationDetails"}, snapshot.DataCredentialReport: {"CredentialReport"},
		snapshot.DataPasswordPolicy: {"PasswordPolicy"}, snapshot.DataAccountSummary: {"AccountSummary"},
		snapshot.DataMFADevices: {"VirtualMFADevices"}, snapshot.DataIdentityProviders: {"OpenIDConnectProviders", "SAMLProviders"},
		snapshot.DataServerCertificates: {"ServerCertificates"}, snapshot.DataOrganizationPolicies: {"OrganizationPolicies"},
	}
	cutShort := map[string]bool{}
	for _, e := range res.Raw.Collection.Errors {
		if e.Code != CodeTimedOut || e.Message != "not completed: the collection stopped (the test's time limit)" || e.Expected {
			t.Errorf("error %+v, want a call cut short by the deadline", e)
		}
		if e.Operation == "ListAccountAliases" {
			cutShort["AccountAliases"] = true
		}
		for _, d := range e.Missing {
			for _, k := range keyOf[d] {
				cutShort[k] = true
			}
		}
	}
	if !cutShort["AuthorizationDetails"] {
		t.Errorf("the hanging authorization details are not recorded as cut short: %+v", res.Raw.Collection.Errors)
	}
	keys := topKeys(t, res)
	for _, k := range []string{"AuthorizationDetails", "CredentialReport", "PasswordPolicy", "AccountSummary", "VirtualMFADevices",
		"OpenIDConnectProviders", "SAMLProviders", "ServerCertificates", "AccountAliases", "OrganizationPolicies"} {
		if slices.Contains(keys, k) == cutShort[k] && k != "SAMLProviders" && k != "OpenIDConnectProviders" {
			t.Errorf("%s: in the document %v, cut short %v", k, slices.Contains(keys, k), cutShort[k])
		}
	}
	if !slices.Contains(keys, "Caller") {
		t.Error("the caller identity, read before the deadline, is not in the document")
	}
	if len(cutShort) > 2 {
		t.Logf("on this machine the deadline also cut short %v", cutShort)
	}
	// Read back, the authorization details are missing, not empty.
	snap := loadRaw(t, res)
	if snap.Has(snapshot.DataAuthorizationDetails) || snap.Has(snapshot.DataCredentialReport) == cutShort["CredentialReport"] {
		t.Errorf("snapshot: authorization details %v, credential report %v", snap.Has(snapshot.DataAuthorizationDetails), snap.Has(snapshot.DataCredentialReport))
	}
}

// An interrupt (the context cancelled, as signal.NotifyContext does) is
// recorded as such.
func TestCollectStoppedByInterrupt(t *testing.T) {
	endpoint := mototest.URL(t)
	proxy := mototest.NewProxy(t, endpoint)
	ctx, cancel := context.WithCancelCause(context.Background())
	defer cancel(nil)
	interrupt := errors.New("interrupt signal received")
	proxy.Delay = func(c mototest.Call) time.Duration {
		if c.Action == "ListServerCertificates" {
			cancel(interrupt)
			return hang
		}
		return 0
	}
	res, err := Collect(ctx, Options{EndpointURL: proxy.URL})
	if err != nil {
		t.Fatalf("Collect: %v", err)
	}
	if !errors.Is(res.Stopped, interrupt) || res.Raw == nil {
		t.Fatalf("stopped %v, document %v", res.Stopped, res.Raw != nil)
	}
	var codes []string
	for _, e := range res.Raw.Collection.Errors {
		codes = append(codes, e.Operation+" "+e.Code)
		if e.Code != CodeInterrupted || !strings.Contains(e.Message, "interrupt signal received") || len(e.Missing) == 0 && e.Operation != "ListAccountAliases" {
			t.Errorf("error %+v, want Interrupted naming the cause and the data left out", e)
		}
	}
	if !slices.Contains(codes, "ListServerCertificates Interrupted") {
		t.Errorf("errors %v lack the interrupted ListServerCertificates", codes)
	}
}

// Several accounts, one at a time: the accounts read before the deadline
// are complete, the one being read is written with what it has, the ones
// after it are not started; the index says which is which.
func TestCollectAllStoppedKeepsFinishedAccounts(t *testing.T) {
	endpoint := mototest.URL(t)
	proxy := mototest.NewProxy(t, endpoint)
	proxy.GAADUsers = 1
	ctx, cancel := context.WithCancelCause(context.Background())
	defer cancel(nil)
	stop := errors.New("interrupt signal received")
	// The third account's authorization details: stop there.
	proxy.Delay = func(c mototest.Call) time.Duration {
		if c.Action == "GetAccountAuthorizationDetails" && c.Attempt == 3 {
			cancel(stop)
			return hang
		}
		return 0
	}
	accounts := []string{"111111111111", "222222222222", "333333333333", "444444444444"}
	batch, err := CollectAll(ctx, Options{EndpointURL: proxy.URL, Accounts: accounts, RoleName: "audit", Concurrency: 1})
	if err != nil {
		t.Fatalf("CollectAll: %v", err)
	}
	if !errors.Is(batch.Stopped, stop) || !batch.Incomplete() {
		t.Errorf("batch stopped %v, incomplete %v", batch.Stopped, batch.Incomplete())
	}
	if len(batch.Results) != 4 {
		t.Fatalf("%d results, want 4", len(batch.Results))
	}
	for _, r := range batch.Results[:2] {
		if r.Raw == nil || r.Incomplete() || r.Stopped != nil {
			t.Errorf("account %s, read before the stop: document %v, incomplete %v, stopped %v", r.AccountID, r.Raw != nil, r.Incomplete(), r.Stopped)
		}
	}
	cut, never := batch.Results[2], batch.Results[3]
	if cut.Raw == nil || !errors.Is(cut.Stopped, stop) || cut.Raw.AccountID != "333333333333" {
		t.Fatalf("account being read: document %v, stopped %v", cut.Raw != nil, cut.Stopped)
	}
	if errs := cut.Raw.Collection.Errors; !slices.ContainsFunc(errs, func(e CallError) bool {
		return e.Operation == "GetAccountAuthorizationDetails" && e.Code == CodeInterrupted
	}) {
		t.Errorf("errors of the account being read = %+v, want the interrupted authorization details", errs)
	}
	if never.Raw != nil || never.Err == nil || !strings.Contains(never.Err.Error(), "before this account's turn") {
		t.Errorf("account never started: document %v, err %v", never.Raw != nil, never.Err)
	}
	if n := proxy.Requests("AssumeRole"); n != 3 {
		t.Errorf("%d AssumeRole requests, want 3 (the fourth account never started)", n)
	}

	dir := t.TempDir()
	idx, err := WriteAll(dir, batch)
	if err != nil {
		t.Fatal(err)
	}
	if idx.Stopped != "interrupt signal received" {
		t.Errorf("index Stopped = %q", idx.Stopped)
	}
	for id, want := range map[string]string{"111111111111": StatusComplete, "222222222222": StatusComplete,
		"333333333333": StatusIncomplete, "444444444444": StatusFailed} {
		e := idx.Accounts[id]
		if e.Status != want {
			t.Errorf("index: %s is %s, want %s (%+v)", id, e.Status, want, e)
		}
		if _, err := os.Stat(filepath.Join(dir, id+".json")); (err == nil) != (want != StatusFailed) {
			t.Errorf("%s.json written = %v, want %v", id, err == nil, want != StatusFailed)
		}
	}
	if e := idx.Accounts["333333333333"]; !strings.Contains(e.Error, "cut short") {
		t.Errorf("index entry of the account cut short = %+v", e)
	}
}

// The concurrency bound is honoured: with the authorization details slowed
// down, at most Concurrency accounts are being read at once, and that
// many are.
func TestCollectAllHonoursConcurrency(t *testing.T) {
	endpoint := mototest.URL(t)
	proxy := mototest.NewProxy(t, endpoint)
	proxy.GAADUsers = 1
	proxy.Delay = func(c mototest.Call) time.Duration {
		if c.Action == "GetAccountAuthorizationDetails" {
			return 300 * time.Millisecond
		}
		return 0
	}
	w := &activeCount{}
	accounts := []string{"111111111111", "222222222222", "333333333333", "444444444444"}
	batch, err := CollectAll(context.Background(), Options{EndpointURL: proxy.URL, Accounts: accounts, RoleName: "audit",
		Concurrency: 2, Progress: w})
	if err != nil {
		t.Fatal(err)
	}
	if batch.Incomplete() {
		t.Fatalf("incomplete batch")
	}
	if w.max != 2 || w.started != len(accounts) {
		t.Errorf("at most %d accounts at once (%d started), want 2 of %d\n%s", w.max, w.started, len(accounts), w.log.String())
	}
}

// activeCount follows the progress lines: an account is active from
// "collecting as" to "done in".
type activeCount struct {
	mu                   sync.Mutex
	active, max, started int
	log                  strings.Builder
}

func (a *activeCount) Write(p []byte) (int, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.log.Write(p)
	switch line := string(p); {
	case strings.Contains(line, "] collecting as "):
		a.active++
		a.started++
		a.max = max(a.max, a.active)
	case strings.Contains(line, "] done in "):
		a.active--
	}
	return len(p), nil
}
