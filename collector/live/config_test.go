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
