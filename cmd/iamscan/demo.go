package main

import (
	"io/fs"
	"os"
	"path/filepath"

	"github.com/iamscan/iamscan/fixtures"
)

// extractDemo writes the embedded demo account into OUT/demo-input, so
// that findings point at files the user can open, and returns that path.
// The fixture's "asof" file is for the test harness; the scan gets the
// same date through --as-of instead.
func extractDemo(out string) ([]string, error) {
	dir := filepath.Join(out, "demo-input")
	if err := os.RemoveAll(dir); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	demo := fixtures.Demo()
	err := fs.WalkDir(demo, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || d.Name() == "asof" {
			return err
		}
		data, err := fs.ReadFile(demo, path)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dir, filepath.FromSlash(path)), data, 0o644)
	})
	return []string{dir}, err
}
