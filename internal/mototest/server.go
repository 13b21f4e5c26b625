// Package mototest runs moto_server, an emulator of the AWS API, for
// tests that exercise the live collector end to end, and a proxy in front
// of it that injects faults (throttling, access denied) and serves
// multi-page GetAccountAuthorizationDetails answers, which moto does not.
//
// A package using it calls Main from its TestMain so that the server,
// shared by all the package's tests, is stopped at the end.
package mototest

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"
)

// One server per test binary: it takes seconds to start (it loads every
// AWS managed policy), so each test resets its state instead.
var server struct {
	once sync.Once
	cmd  *exec.Cmd
	url  string
	err  error
	log  string // moto_server's output, kept when a test fails
}

// Main runs the tests and stops the server if one was started.
func Main(m *testing.M) int {
	code := m.Run()
	if server.cmd != nil && server.cmd.Process != nil {
		// moto_server runs in its own process group: end it and any
		// worker it forked, and nothing else.
		_ = syscall.Kill(-server.cmd.Process.Pid, syscall.SIGTERM)
		_ = server.cmd.Wait()
	}
	if server.log != "" {
		if code == 0 {
			os.Remove(server.log) // a machine running tests all day must not collect them
		} else {
			fmt.Fprintf(os.Stderr, "moto_server's log: %s\n", server.log)
		}
	}
	return code
}

// URL returns the endpoint of a freshly reset moto server, with fake AWS
// credentials for it in the environment (so the test must not be
// parallel). Without moto_server the test is skipped, except under
// CI=true where that is a failure.
func URL(t testing.TB) string {
	t.Helper()
	bin, err := exec.LookPath("moto_server")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("moto_server is not installed (pip install 'moto[server]'): the live collection tests need it under CI")
		}
		t.Skip("moto_server is not installed (pip install 'moto[server]'); skipping the live collection test")
	}
	server.once.Do(func() { server.url, server.err = start(bin) })
	if server.err != nil {
		t.Fatal(server.err)
	}
	resp, err := http.Post(server.url+"/moto-api/reset", "", nil)
	if err != nil {
		t.Fatalf("resetting moto: %v", err)
	}
	resp.Body.Close()
	Credentials(t)
	return server.url
}

// Credentials points the SDK at fake credentials and no shared config,
// so that a developer's own profile never leaks into a test.
func Credentials(t testing.TB) {
	dir := t.TempDir()
	for k, v := range map[string]string{
		"AWS_ACCESS_KEY_ID":           "testing",
		"AWS_SECRET_ACCESS_KEY":       "testing",
		"AWS_SESSION_TOKEN":           "",
		"AWS_PROFILE":                 "",
		"AWS_DEFAULT_PROFILE":         "",
		"AWS_REGION":                  "us-east-1",
		"AWS_ENDPOINT_URL":            "",
		"AWS_CONFIG_FILE":             filepath.Join(dir, "config"),
		"AWS_SHARED_CREDENTIALS_FILE": filepath.Join(dir, "credentials"),
		"AWS_EC2_METADATA_DISABLED":   "true",
	} {
		t.Setenv(k, v)
	}
}

func start(bin string) (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	cmd := exec.Command(bin, "-H", "127.0.0.1", "-p", fmt.Sprint(port))
	cmd.Env = append(os.Environ(), "MOTO_IAM_LOAD_MANAGED_POLICIES=true")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	stopWithParent(cmd.SysProcAttr)
	log, err := os.CreateTemp("", "moto-*.log")
	if err != nil {
		return "", err
	}
	cmd.Stdout, cmd.Stderr = log, log
	server.log = log.Name()
	err = cmd.Start()
	log.Close() // the server has its own copy
	if err != nil {
		return "", fmt.Errorf("starting moto_server: %w", err)
	}
	server.cmd = cmd
	url := fmt.Sprintf("http://127.0.0.1:%d", port)
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	for ctx.Err() == nil {
		resp, err := http.Get(url + "/moto-api/")
		if err == nil {
			resp.Body.Close()
			return url, nil
		}
		time.Sleep(100 * time.Millisecond)
	}
	return "", fmt.Errorf("moto_server did not answer on %s within 90s (log: %s)", url, log.Name())
}
