package live

import (
	"context"
	"encoding/pem"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/iamscan/iamscan/internal/mototest"
)

// AWS_CA_BUNDLE is set on many corporate machines (and on the CI ones):
// the collector must honour it, and say clearly when it is wrong.
func TestCollectHonoursCABundle(t *testing.T) {
	endpoint := mototest.URL(t)
	proxy := mototest.NewProxy(t, endpoint)
	proxy.GAADUsers = 1
	target, _ := url.Parse(proxy.URL)
	// A TLS endpoint whose certificate only the test's bundle trusts.
	tlsServer := httptest.NewTLSServer(httputil.NewSingleHostReverseProxy(target))
	t.Cleanup(tlsServer.Close)

	dir := t.TempDir()
	bundle := filepath.Join(dir, "bundle.pem")
	cert := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: tlsServer.Certificate().Raw})
	if err := os.WriteFile(bundle, cert, 0o600); err != nil {
		t.Fatal(err)
	}
	garbage := filepath.Join(dir, "garbage.pem")
	if err := os.WriteFile(garbage, []byte("not a certificate\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	systemBundle := ""
	for _, p := range []string{"/etc/ssl/certs/ca-certificates.crt", "/etc/pki/tls/certs/ca-bundle.crt", "/etc/ssl/cert.pem"} {
		if _, err := os.Stat(p); err == nil {
			systemBundle = p
			break
		}
	}

	for _, c := range []struct {
		name, bundle, endpoint string
		wantErr                string // substring; "" for success
	}{
		{"bundle trusting the endpoint", bundle, tlsServer.URL, ""},
		{"no bundle, untrusted endpoint", "", tlsServer.URL, "certificate"},
		{"system bundle, plain HTTP endpoint", systemBundle, proxy.URL, ""},
		{"missing bundle file", filepath.Join(dir, "missing.pem"), proxy.URL, "AWS_CA_BUNDLE=" + filepath.Join(dir, "missing.pem") + " cannot be read"},
		{"bundle without certificates", garbage, proxy.URL, "AWS_CA_BUNDLE=" + garbage + " holds no PEM certificate"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if c.bundle == "" && strings.Contains(c.name, "system") {
				t.Skip("no system CA bundle on this machine")
			}
			t.Setenv("AWS_CA_BUNDLE", c.bundle)
			res, err := Collect(context.Background(), Options{EndpointURL: c.endpoint, MaxAttempts: 1})
			if c.wantErr == "" {
				if err != nil {
					t.Fatalf("Collect: %v", err)
				}
				if res.Incomplete() {
					t.Fatalf("incomplete: %+v", res.Raw.Collection.Errors)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), c.wantErr) {
				t.Fatalf("Collect error = %v, want it to contain %q", err, c.wantErr)
			}
		})
	}
}

// IAM is global: without any region setting the clients still work.
func TestLoadConfigDefaultsRegion(t *testing.T) {
	mototest.Credentials(t)
	t.Setenv("AWS_REGION", "")
	t.Setenv("AWS_DEFAULT_REGION", "")
	cfg, err := loadConfig(context.Background(), &Options{})
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Region != "us-east-1" {
		t.Errorf("region = %q, want us-east-1", cfg.Region)
	}
	t.Setenv("AWS_REGION", "eu-west-3")
	if cfg, _ = loadConfig(context.Background(), &Options{}); cfg.Region != "eu-west-3" {
		t.Errorf("region = %q, want AWS_REGION's eu-west-3", cfg.Region)
	}
	if cfg, _ = loadConfig(context.Background(), &Options{Region: "ap-south-1"}); cfg.Region != "ap-south-1" {
		t.Errorf("region = %q, want the option's ap-south-1", cfg.Region)
	}
}

// A profile that does not exist is a configuration error naming it.
func TestLoadConfigUnknownProfile(t *testing.T) {
	mototest.Credentials(t)
	_, err := loadConfig(context.Background(), &Options{Profile: "no-such-profile"})
	if err == nil || !strings.Contains(err.Error(), "no-such-profile") {
		t.Fatalf("err = %v, want it to name the profile", err)
	}
}

// writeProfiles writes a shared config and credentials file and points
// the SDK at them, with no credentials in the environment.
func writeProfiles(t *testing.T, config, credentials string) {
	t.Helper()
	mototest.Credentials(t)
	dir := t.TempDir()
	for name, text := range map[string]string{"config": config, "credentials": credentials} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(dir, "config"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(dir, "credentials"))
	for _, k := range []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_CA_BUNDLE"} {
		t.Setenv(k, "")
	}
}

// A profile from the shared files gives the credentials, the region and
// the endpoint: every call is signed with the profile's key.
func TestCollectWithProfile(t *testing.T) {
	endpoint := mototest.URL(t)
	proxy := mototest.NewProxy(t, endpoint)
	proxy.GAADUsers = 1
	writeProfiles(t,
		"[default]\nregion = us-west-1\n\n[profile audit]\nregion = eu-west-2\nendpoint_url = "+proxy.URL+"\n",
		"[audit]\naws_access_key_id = AKIAPROFILEAUDIT0001\naws_secret_access_key = secret\n")
	keys := map[string]bool{}
	var mu sync.Mutex
	proxy.Fault = func(c mototest.Call) *mototest.Fault {
		mu.Lock()
		keys[c.AccessKey+" "+c.Region] = true
		mu.Unlock()
		return nil
	}
	res, err := Collect(context.Background(), Options{Profile: "audit"})
	if err != nil {
		t.Fatalf("Collect with the profile: %v", err)
	}
	if res.Incomplete() {
		t.Fatalf("incomplete: %+v", res.Raw.Collection.Errors)
	}
	if len(keys) != 1 || !keys["AKIAPROFILEAUDIT0001 eu-west-2"] {
		t.Errorf("calls signed with %v, want only the profile's key for its region", keys)
	}
	if proxy.Requests("GetCallerIdentity") != 1 {
		t.Errorf("the profile's endpoint_url was not used: %d GetCallerIdentity calls through it", proxy.Requests("GetCallerIdentity"))
	}
}

// A profile's ca_bundle that cannot be used is named with the profile,
// not left to the SDK's bare "open ...: no such file or directory".
func TestLoadConfigProfileCABundle(t *testing.T) {
	dir := t.TempDir()
	garbage := filepath.Join(dir, "garbage.pem")
	if err := os.WriteFile(garbage, []byte("not a certificate\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(dir, "nope.pem")
	writeProfiles(t, "[default]\nca_bundle = "+garbage+"\n\n[profile audit]\nca_bundle = "+missing+"\n", "")
	config := os.Getenv("AWS_CONFIG_FILE")

	_, err := loadConfig(context.Background(), &Options{Profile: "audit"})
	want := `ca_bundle = ` + missing + ` of profile "audit" (` + config + `) cannot be read: open ` + missing + `: no such file or directory`
	if err == nil || err.Error() != want {
		t.Errorf("profile audit: err = %v\nwant %s", err, want)
	}
	_, err = loadConfig(context.Background(), &Options{})
	want = `ca_bundle = ` + garbage + ` of profile "default" (` + config + `) holds no PEM certificate`
	if err == nil || err.Error() != want {
		t.Errorf("default profile: err = %v\nwant %s", err, want)
	}
	t.Setenv("AWS_PROFILE", "audit")
	if _, err = loadConfig(context.Background(), &Options{}); err == nil || !strings.Contains(err.Error(), `of profile "audit"`) {
		t.Errorf("AWS_PROFILE=audit: err = %v, want it to name profile audit", err)
	}
	// AWS_CA_BUNDLE wins over the profile's, as in the SDK.
	t.Setenv("AWS_CA_BUNDLE", garbage)
	if _, err = loadConfig(context.Background(), &Options{Profile: "audit"}); err == nil || !strings.HasPrefix(err.Error(), "AWS_CA_BUNDLE="+garbage) {
		t.Errorf("with AWS_CA_BUNDLE: err = %v, want it to name AWS_CA_BUNDLE", err)
	}
}
