package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/iamscan/iamscan/internal/mototest"
)

// The moto server the live tests share is stopped after the package's
// tests.
func TestMain(m *testing.M) { os.Exit(mototest.Main(m)) }

// denyProxy answers AccessDenied for one operation and forwards the rest
// to moto (with a one-user authorization details page, to stay fast).
func denyProxy(t *testing.T, endpoint, operation string) string {
	proxy := mototest.NewProxy(t, endpoint)
	proxy.GAADUsers = 1
	proxy.FailOn(operation, mototest.AccessDenied)
	return proxy.URL
}

func readRawDoc(t *testing.T, path string) map[string]any {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return doc
}

func TestCollectCommand(t *testing.T) {
	endpoint := mototest.URL(t)
	denied := denyProxy(t, endpoint, "GetCredentialReport")
	dir := t.TempDir()
	for _, tc := range []struct {
		name       string
		args       []string
		want       int
		stderrHas  []string
		stderrNot  []string
		wantOutput string // file that must hold a raw document
	}{
		{"complete", []string{"collect", "--endpoint-url", endpoint, "--out", filepath.Join(dir, "a", "account.json")}, exitOK,
			[]string{"wrote " + filepath.Join(dir, "a", "account.json") + ": account 123456789012"},
			[]string{"[123456789012]"}, // stderr is no terminal: no progress
			filepath.Join(dir, "a", "account.json")},
		{"verbose shows progress", []string{"collect", "--endpoint-url", endpoint, "--verbose", "--out", filepath.Join(dir, "v.json")}, exitOK,
			[]string{"[123456789012] iam:GetAccountAuthorizationDetails", "[123456789012] done in"}, nil, filepath.Join(dir, "v.json")},
		{"denied call is incomplete", []string{"collect", "--endpoint-url", denied, "--out", filepath.Join(dir, "d.json")}, exitIncomplete,
			[]string{"GetCredentialReport failed: AccessDenied", "missing: credential-report"}, nil, filepath.Join(dir, "d.json")},
		{"allow partial", []string{"collect", "--endpoint-url", denied, "--allow-partial", "--quiet", "--out", filepath.Join(dir, "p.json")}, exitOK,
			[]string{"GetCredentialReport failed: AccessDenied"}, []string{"wrote"}, filepath.Join(dir, "p.json")},
		{"stopped before anything was read", []string{"collect", "--endpoint-url", endpoint, "--timeout", "1ms", "--out", filepath.Join(dir, "t.json")}, exitIncomplete,
			[]string{"the collection stopped before the caller identity was read (--timeout of 1ms reached); nothing was written"}, nil, ""},
		{"bad account id", []string{"collect", "--accounts", "123", "--role-name", "audit"}, exitUsage,
			[]string{`account id "123" is not 12 digits`}, nil, ""},
		{"stray argument", []string{"collect", "extra"}, exitUsage, []string{`unexpected arguments ["extra"]`}, nil, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := runCLI(t, tc.args...)
			if code != tc.want {
				t.Errorf("exit %d, want %d; stderr:\n%s", code, tc.want, stderr)
			}
			for _, s := range tc.stderrHas {
				if !strings.Contains(stderr, s) {
					t.Errorf("stderr lacks %q:\n%s", s, stderr)
				}
			}
			for _, s := range tc.stderrNot {
				if strings.Contains(stderr, s) {
					t.Errorf("stderr has %q:\n%s", s, stderr)
				}
			}
			if tc.wantOutput != "" {
				if doc := readRawDoc(t, tc.wantOutput); doc["Format"] != "iamscan-raw" || doc["AccountId"] != "123456789012" {
					t.Errorf("%s is not the account's raw document", tc.wantOutput)
				}
				if st, err := os.Stat(tc.wantOutput); err != nil {
					t.Error(err)
				} else if st.Mode().Perm() != 0o600 {
					t.Errorf("%s: mode %v, want 0600", tc.wantOutput, st.Mode().Perm())
				}
			}
		})
	}
}

func TestCollectCommandBadCABundle(t *testing.T) {
	mototest.Credentials(t)
	missing := filepath.Join(t.TempDir(), "nope.pem")
	t.Setenv("AWS_CA_BUNDLE", missing)
	code, _, stderr := runCLI(t, "collect", "--out", filepath.Join(t.TempDir(), "x.json"))
	if code != exitUsage || !strings.Contains(stderr, "AWS_CA_BUNDLE="+missing+" cannot be read") {
		t.Errorf("exit %d, stderr %q; want 2 naming AWS_CA_BUNDLE", code, stderr)
	}
}

func TestCollectCommandAccounts(t *testing.T) {
	endpoint := mototest.URL(t)
	proxy := mototest.NewProxy(t, endpoint)
	proxy.GAADUsers = 1
	out := filepath.Join(t.TempDir(), "accounts")
	code, _, stderr := runCLI(t, "collect", "--endpoint-url", proxy.URL, "--role-name", "audit",
		"--accounts", "111111111111, 222222222222", "--out", out)
	if code != exitOK {
		t.Fatalf("exit %d; stderr:\n%s", code, stderr)
	}
	for _, id := range []string{"111111111111", "222222222222"} {
		if doc := readRawDoc(t, filepath.Join(out, id+".json")); doc["AccountId"] != id {
			t.Errorf("%s.json holds account %v", id, doc["AccountId"])
		}
	}
	idx := readRawDoc(t, filepath.Join(out, "index.json"))
	if accounts, _ := idx["Accounts"].(map[string]any); len(accounts) != 2 {
		t.Errorf("index.json accounts = %v", idx["Accounts"])
	}
}

func TestScanLive(t *testing.T) {
	endpoint := mototest.URL(t)
	for _, tc := range []struct {
		name     string
		endpoint string
		extra    []string
		want     int
	}{
		{"complete", endpoint, nil, exitOK},
		{"incomplete", denyProxy(t, endpoint, "GetAccountSummary"), nil, exitIncomplete},
		{"incomplete allowed", denyProxy(t, endpoint, "GetAccountSummary"), []string{"--allow-partial"}, exitOK},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := t.TempDir()
			args := append([]string{"scan", "--live", "--endpoint-url", tc.endpoint, "--out", out, "--format", "json", "--quiet"}, tc.extra...)
			code, _, stderr := runCLI(t, args...)
			if code != tc.want {
				t.Fatalf("exit %d, want %d; stderr:\n%s", code, tc.want, stderr)
			}
			if doc := readRawDoc(t, filepath.Join(out, "account.json")); doc["AccountId"] != "123456789012" {
				t.Errorf("collected document holds account %v", doc["AccountId"])
			}
			report := readRawDoc(t, filepath.Join(out, "iamscan.json"))
			if len(report) == 0 {
				t.Errorf("empty report next to the collected document")
			}
		})
	}
	code, _, stderr := runCLI(t, "scan", "--live", "some/path")
	if code != exitUsage || !strings.Contains(stderr, "--live collects its own input") {
		t.Errorf("scan --live with a path: exit %d, stderr %q", code, stderr)
	}
}

// --timeout stops the collection but keeps what was read: the document
// is written with the sections that completed, the call cut short is
// named, and the exit status is 3, even with --allow-partial.
func TestCollectCommandTimeout(t *testing.T) {
	endpoint := mototest.URL(t)
	proxy := mototest.NewProxy(t, endpoint)
	proxy.Delay = func(c mototest.Call) time.Duration {
		if c.Action == "GetAccountAuthorizationDetails" {
			return time.Hour // never answered
		}
		return 0
	}
	out := filepath.Join(t.TempDir(), "account.json")
	code, _, stderr := runCLI(t, "collect", "--endpoint-url", proxy.URL, "--timeout", "3s", "--allow-partial", "--out", out)
	checkStoppedCollection(t, code, stderr, out,
		"GetAccountAuthorizationDetails did not complete: TimedOut: not completed: the collection stopped (--timeout of 3s reached); missing: authorization-details",
		"the collection stopped before it completed (--timeout of 3s reached): "+out+" holds what was read")
}

// checkStoppedCollection asserts what a collection stopped while
// GetAccountAuthorizationDetails was pending leaves: exit 3 (whatever
// --allow-partial says), stderr naming the call and the reason, and a
// document holding the caller identity read before, without the
// authorization details that never came.
func checkStoppedCollection(t *testing.T, code int, stderr, out string, wantStderr ...string) map[string]any {
	t.Helper()
	if code != exitIncomplete {
		t.Errorf("exit %d, want 3 (a collection cut short); stderr:\n%s", code, stderr)
	}
	for _, s := range wantStderr {
		if !strings.Contains(stderr, s) {
			t.Errorf("stderr lacks %q:\n%s", s, stderr)
		}
	}
	doc := readRawDoc(t, out)
	if _, ok := doc["AuthorizationDetails"]; ok {
		t.Error("authorization details that never came are in the document")
	}
	if _, ok := doc["Caller"]; !ok {
		t.Error("the caller identity, read before the collection stopped, is not in the document")
	}
	return doc
}

// Several accounts, one at a time, interrupted (SIGINT) while the third
// is read: the first two are written whole, the third with what it
// has, and index.json says which is which.
func TestCollectCommandInterruptAccounts(t *testing.T) {
	endpoint := mototest.URL(t)
	proxy := mototest.NewProxy(t, endpoint)
	proxy.GAADUsers = 1
	var once sync.Once
	proxy.Delay = func(c mototest.Call) time.Duration {
		if c.Action == "GetAccountAuthorizationDetails" && c.Attempt >= 3 {
			// collect has diverted SIGINT to its context by now.
			once.Do(func() { _ = syscall.Kill(os.Getpid(), syscall.SIGINT) })
			return time.Hour
		}
		return 0
	}
	out := filepath.Join(t.TempDir(), "accounts")
	code, _, stderr := runCLI(t, "collect", "--endpoint-url", proxy.URL, "--role-name", "audit",
		"--accounts", "111111111111,222222222222,333333333333", "--concurrency", "1", "--out", out)
	if code != exitIncomplete {
		t.Errorf("exit %d, want 3; stderr:\n%s", code, stderr)
	}
	want := "the collection stopped before it completed (interrupt signal received): 2 accounts complete, 1 incomplete, 0 not collected; see " + filepath.Join(out, "index.json")
	if !strings.Contains(stderr, want) {
		t.Errorf("stderr lacks %q:\n%s", want, stderr)
	}
	var idx struct {
		Stopped  string
		Accounts map[string]struct{ File, Status, Error string }
	}
	b, err := os.ReadFile(filepath.Join(out, "index.json"))
	if err != nil || json.Unmarshal(b, &idx) != nil {
		t.Fatalf("index.json: %v", err)
	}
	if idx.Stopped != "interrupt signal received" {
		t.Errorf("index Stopped = %q", idx.Stopped)
	}
	for id, want := range map[string]string{"111111111111": "complete", "222222222222": "complete", "333333333333": "incomplete"} {
		e := idx.Accounts[id]
		if e.Status != want || e.File != id+".json" {
			t.Errorf("index entry %s = %+v, want %s with its file", id, e, want)
			continue
		}
		doc := readRawDoc(t, filepath.Join(out, e.File))
		if _, ok := doc["AuthorizationDetails"]; ok != (want == "complete") {
			t.Errorf("%s: AuthorizationDetails present = %v", e.File, ok)
		}
	}
}

// An interrupt (SIGINT) is handled like the timeout: the document is
// written with what was read, and the exit status is 3.
func TestCollectCommandInterrupt(t *testing.T) {
	endpoint := mototest.URL(t)
	proxy := mototest.NewProxy(t, endpoint)
	proxy.GAADUsers = 1
	var once sync.Once
	proxy.Delay = func(c mototest.Call) time.Duration {
		if c.Action != "GetAccountAuthorizationDetails" {
			return 0
		}
		// collect has diverted SIGINT to its context by now.
		once.Do(func() { _ = syscall.Kill(os.Getpid(), syscall.SIGINT) })
		return time.Hour
	}
	out := filepath.Join(t.TempDir(), "account.json")
	code, _, stderr := runCLI(t, "collect", "--endpoint-url", proxy.URL, "--out", out)
	doc := checkStoppedCollection(t, code, stderr, out,
		"GetAccountAuthorizationDetails did not complete: Interrupted: not completed: the collection stopped (interrupt signal received)",
		"the collection stopped before it completed (interrupt signal received): "+out+" holds what was read")
	errs, _ := doc["Collection"].(map[string]any)["Errors"].([]any)
	for _, e := range errs {
		if code := e.(map[string]any)["Code"]; code != "Interrupted" {
			t.Errorf("error %v, want only calls interrupted", e)
		}
	}
}

// The document replaces an earlier file atomically and owner-only, even
// when the earlier file was readable by others.
func TestCollectCommandReplacesFileOwnerOnly(t *testing.T) {
	endpoint := mototest.URL(t)
	dir := t.TempDir()
	out := filepath.Join(dir, "account.json")
	if err := os.WriteFile(out, []byte("an older, longer document that must not survive in part\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(out, 0o644); err != nil {
		t.Fatal(err)
	}
	proxy := mototest.NewProxy(t, endpoint)
	proxy.GAADUsers = 1
	if code, _, stderr := runCLI(t, "collect", "--endpoint-url", proxy.URL, "--out", out); code != exitOK {
		t.Fatalf("exit %d; stderr:\n%s", code, stderr)
	}
	st, err := os.Stat(out)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("mode %v after replacing a 0644 file, want 0600", st.Mode().Perm())
	}
	if doc := readRawDoc(t, out); doc["AccountId"] != "123456789012" {
		t.Errorf("document = %v", doc["AccountId"])
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 {
		t.Errorf("directory holds %d entries, want only account.json (no temporary file left)", len(entries))
	}
}

// scan --live with several accounts: one document per account and one
// report directory per account.
func TestScanLiveAccounts(t *testing.T) {
	endpoint := mototest.URL(t)
	proxy := mototest.NewProxy(t, endpoint)
	proxy.GAADUsers = 1
	out := t.TempDir()
	code, _, stderr := runCLI(t, "scan", "--live", "--endpoint-url", proxy.URL, "--role-name", "audit",
		"--accounts", "111111111111,222222222222", "--out", out, "--format", "json", "--quiet")
	if code != exitOK {
		t.Fatalf("exit %d; stderr:\n%s", code, stderr)
	}
	for _, id := range []string{"111111111111", "222222222222"} {
		if doc := readRawDoc(t, filepath.Join(out, "accounts", id+".json")); doc["AccountId"] != id {
			t.Errorf("accounts/%s.json holds account %v", id, doc["AccountId"])
		}
		report := readRawDoc(t, filepath.Join(out, id, "iamscan.json"))
		inputs, _ := json.Marshal(report["scan"])
		if !strings.Contains(string(inputs), id+".json") {
			t.Errorf("%s/iamscan.json does not scan %s.json: %s", id, id, inputs)
		}
	}
	if _, err := os.Stat(filepath.Join(out, "accounts", "index.json")); err != nil {
		t.Error(err)
	}
}

// --profile reaches the collector: the profile's credentials, region and
// endpoint_url are used, with nothing else set.
func TestCollectCommandProfile(t *testing.T) {
	endpoint := mototest.URL(t)
	proxy := mototest.NewProxy(t, endpoint)
	proxy.GAADUsers = 1
	dir := t.TempDir()
	config := "[profile audit]\nregion = eu-west-2\nendpoint_url = " + proxy.URL + "\n"
	credentials := "[audit]\naws_access_key_id = AKIAPROFILEAUDIT0002\naws_secret_access_key = secret\n"
	for name, text := range map[string]string{"config": config, "credentials": credentials} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(dir, "config"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(dir, "credentials"))
	for _, k := range []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_REGION"} {
		t.Setenv(k, "")
	}
	var mu sync.Mutex
	var foreign []string
	proxy.Fault = func(c mototest.Call) *mototest.Fault {
		if c.AccessKey != "AKIAPROFILEAUDIT0002" {
			mu.Lock()
			foreign = append(foreign, c.Action+" signed by "+c.AccessKey)
			mu.Unlock()
		}
		return nil
	}
	out := filepath.Join(dir, "account.json")
	if code, _, stderr := runCLI(t, "collect", "--profile", "audit", "--out", out); code != exitOK {
		t.Fatalf("exit %d; stderr:\n%s", code, stderr)
	}
	if proxy.Requests("GetCallerIdentity") == 0 || len(foreign) > 0 {
		t.Errorf("%d calls through the profile's endpoint; signed by another key: %v", proxy.Requests("GetCallerIdentity"), foreign)
	}
	if doc := readRawDoc(t, out); doc["AccountId"] != "123456789012" {
		t.Errorf("document of account %v", doc["AccountId"])
	}
}
