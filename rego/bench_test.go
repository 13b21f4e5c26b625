package rego_test

import (
	"syscall"
	"testing"
	"time"

	"github.com/iamscan/iamscan/awsmanaged"
	"github.com/iamscan/iamscan/collector/offline"
	"github.com/iamscan/iamscan/internal/accountgen"
	"github.com/iamscan/iamscan/internal/benchaccount"
	"github.com/iamscan/iamscan/rego"
	"github.com/iamscan/iamscan/rules"
	"github.com/iamscan/iamscan/snapshot"
)

// generatedAccount loads a generated account (written once per machine and
// shared with the other packages' benchmarks).
func generatedAccount(b *testing.B, sz accountgen.Size) *snapshot.Snapshot {
	b.Helper()
	authz, report := benchaccount.Files(b, sz)
	snap, err := offline.Load([]string{authz, report}, offline.Options{ResolveManaged: awsmanaged.Resolve})
	if err != nil {
		b.Fatal(err)
	}
	return snap
}

// BenchmarkScan runs every built-in rule on generated accounts: the Go
// rules alone, the Rego rules alone, and both, as a scan does. Each run
// is a fresh rules.Run, so shared values (effective permissions, the Rego
// input) are rebuilt every iteration. Rules run concurrently, so the
// figure to compare is cpu-ms/op (the process's CPU time per run, GC
// included), steadier than wall time on a shared machine: what Rego adds
// is all minus go.
//
//	go test ./rego -run '^$' -bench Scan/quota -benchtime 3x
func BenchmarkScan(b *testing.B) {
	goRules, regoRules := rules.Builtin(), rego.Builtin()
	all := append(append([]*rules.Rule{}, goRules...), regoRules...)
	for _, sz := range []accountgen.Size{accountgen.Large, accountgen.Quota} {
		var snap *snapshot.Snapshot
		for _, set := range []struct {
			name string
			rs   []*rules.Rule
		}{{"go", goRules}, {"rego", regoRules}, {"all", all}} {
			b.Run(sz.Name+"/"+set.name, func(b *testing.B) {
				if snap == nil {
					snap = generatedAccount(b, sz)
				}
				cpu0 := cpuTime()
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					rules.Run(snap, set.rs, rules.Options{AsOf: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)})
				}
				b.StopTimer()
				b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/1000/float64(b.N), "cpu-ms/op")
			})
		}
	}
}

// cpuTime is the process's user and system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
