package shareddata

import (
	"os"
	"path/filepath"
	"testing"
)

func TestRequired(t *testing.T) {
	for _, tt := range []struct {
		ci, env string
		want    bool
	}{
		{"", "", false},
		{"true", "", true},
		{"true", "/some/dir", true},
		{"true", "absent", false},
		{"false", "", false},
	} {
		t.Setenv("CI", tt.ci)
		t.Setenv(Env, tt.env)
		if got := Required(); got != tt.want {
			t.Errorf("CI=%q %s=%q: Required() = %v, want %v", tt.ci, Env, tt.env, got, tt.want)
		}
	}
}

func TestFindFollowsTheVariable(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "sarif-schema"), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv(Env, dir)
	if p, ok := Find("sarif-schema"); !ok || p != filepath.Join(dir, "sarif-schema") {
		t.Errorf("Find = %q, %v", p, ok)
	}
	if _, ok := Find("nope"); ok {
		t.Error("Find reports a missing folder as present")
	}
	t.Setenv(Env, "absent")
	if got, want := Dir(), filepath.Join(filepath.Dir(moduleRoot()), "shared", "data"); got != want {
		t.Errorf("Dir() with %s=absent = %q, want the default %q", Env, got, want)
	}
}

// Path skips where the data may be missing and fails where it may not.
func TestPathSkipsOrFails(t *testing.T) {
	t.Setenv(Env, t.TempDir())
	for _, tt := range []struct {
		ci         string
		wantFailed bool
	}{{"", false}, {"true", true}} {
		t.Setenv("CI", tt.ci)
		fake := &recorder{}
		func() {
			defer func() { recover() }()
			Path(fake, "missing")
		}()
		if fake.failed != tt.wantFailed || fake.skipped == tt.wantFailed {
			t.Errorf("CI=%q: failed=%v skipped=%v, want failed=%v", tt.ci, fake.failed, fake.skipped, tt.wantFailed)
		}
	}
}

// recorder is a testing.TB that notes Fatalf and Skipf and stops the
// caller as they would (by panicking, recovered above).
type recorder struct {
	testing.TB
	failed, skipped bool
}

type stop struct{}

func (r *recorder) Helper()                           {}
func (r *recorder) Fatalf(format string, args ...any) { r.failed = true; panic(stop{}) }
func (r *recorder) Skipf(format string, args ...any)  { r.skipped = true; panic(stop{}) }
