// Package shareddata locates the third-party IAM data that tests and
// benchmarks read from ../shared/data beside the repository (AWS managed
// policies, cloudsplaining's dumps, AWS CLI samples, the SARIF schemas;
// each folder's README gives origin and licence), and decides what a
// test does when the data is absent.
//
// The data is not copied into the repository. On a developer's machine
// without it, a test that needs it skips and says why. Under CI=true its
// absence is a failure, so that CI never turns green by skipping, unless
// IAMSCAN_SHARED_DATA=absent declares a CI that cannot have it (the
// GitHub workflow: the folder is not public).
package shareddata

import (
	"os"
	"path/filepath"
	"testing"
)

// Env names the variable that points at the data folder (default: the
// folder ../shared/data beside the module root), or says "absent".
const Env = "IAMSCAN_SHARED_DATA"

// Dir returns the shared data folder: $IAMSCAN_SHARED_DATA when it names
// one, else shared/data beside the module root. It does not check that
// the folder exists.
func Dir() string {
	if d := os.Getenv(Env); d != "" && d != "absent" {
		return d
	}
	return filepath.Join(filepath.Dir(moduleRoot()), "shared", "data")
}

// Find returns the path of parts under the shared data folder and whether
// it exists, for benchmarks and tests that can do without it.
func Find(parts ...string) (string, bool) {
	p := filepath.Join(append([]string{Dir()}, parts...)...)
	_, err := os.Stat(p)
	return p, err == nil
}

// Path returns the path of parts under the shared data folder. When it is
// missing the test skips with a message, or fails under CI.
func Path(t testing.TB, parts ...string) string {
	t.Helper()
	p, ok := Find(parts...)
	if !ok {
		if Required() {
			t.Fatalf("shared test data %s is missing, and CI=true requires it (set %s=absent only where CI cannot have it)", p, Env)
		}
		t.Skipf("shared test data %s is absent: this test needs ../shared/data beside the repository (or %s pointing at it)", p, Env)
	}
	return p
}

// Required reports whether a missing shared file must fail the test
// rather than skip it.
func Required() bool {
	return os.Getenv("CI") == "true" && os.Getenv(Env) != "absent"
}

// moduleRoot is the nearest directory above the working directory (a
// package directory, when tests run) that holds go.mod.
func moduleRoot() string {
	dir, err := os.Getwd()
	if err != nil {
		return "."
	}
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d
		}
		if filepath.Dir(d) == d {
			return dir
		}
	}
}
