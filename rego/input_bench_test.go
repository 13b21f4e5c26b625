package rego

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/iamscan/iamscan/collector/offline"
)

// BenchmarkBuildInput measures building the Rego input of a generated
// account (written by BenchmarkScan first).
func BenchmarkBuildInput(b *testing.B) {
	dir := filepath.Join(os.TempDir(), "iamscan-accountgen-v1-quota-seed1")
	snap, err := offline.Load([]string{filepath.Join(dir, "authorization-details.json")}, offline.Options{})
	if err != nil {
		b.Skip("run BenchmarkScan/large first: ", err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		buildInput(snap, time.Time{})
	}
}
