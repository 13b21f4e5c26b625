// Package cpuclock reads the CPU time the process has used, so that
// benchmarks on a shared machine can report a figure other engineers'
// load does not inflate (wall time per op still counts too).
package cpuclock

import (
	"testing"
	"time"
)

// Used returns the user plus system CPU time of the process so far; zero
// where the platform cannot tell.
func Used() time.Duration { return used() }

// Measure runs a benchmark loop body with b.Loop and reports the CPU
// milliseconds it used per iteration as the "cpu-ms/op" metric.
func Measure(b *testing.B, body func()) {
	start := Used()
	n := 0
	for b.Loop() {
		body()
		n++
	}
	if n > 0 && start > 0 {
		b.ReportMetric(float64(Used()-start)/float64(time.Millisecond)/float64(n), "cpu-ms/op")
	}
}
