package offline

import (
	"os"
	"path/filepath"
	"testing"
)

// sharedData is the third-party IAM data kept beside the repository.
var sharedData = filepath.Join("..", "..", "..", "shared", "data")

// shared returns the path of a file under ../shared/data, skipping the
// test when it is absent, except under CI where its absence is a failure.
func shared(t testing.TB, rel string) string {
	t.Helper()
	p := filepath.Join(sharedData, rel)
	if _, err := os.Stat(p); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("shared test data %s is missing (CI=true): %v", p, err)
		}
		t.Skipf("shared test data %s is absent; skipping (it lives in ../shared beside the repository)", p)
	}
	return p
}
