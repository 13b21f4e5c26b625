package report

import (
	"io"
	"testing"
	"time"
)

// BenchmarkFormats writes a 20,000-finding report in every format; the
// "all" case is the figure the design budget (300 ms) is about. Besides
// wall time it reports cpu-ms/op, the process's CPU time (GC included),
// which stays meaningful when the machine is shared.
//
//	go test ./report -run '^$' -bench Formats -benchtime 5x
func BenchmarkFormats(b *testing.B) {
	r := fixtureReport()
	r.Findings = manyFindings(r, 20000)
	for _, f := range formats {
		b.Run(string(f.name), func(b *testing.B) {
			start := cpuTime()
			for b.Loop() {
				if err := f.write(io.Discard, r); err != nil {
					b.Fatal(err)
				}
			}
			reportCPU(b, start)
		})
	}
	b.Run("all", func(b *testing.B) {
		start := cpuTime()
		for b.Loop() {
			for _, f := range formats {
				if err := f.write(io.Discard, r); err != nil {
					b.Fatal(err)
				}
			}
		}
		reportCPU(b, start)
	})
}

func reportCPU(b *testing.B, start time.Duration) {
	b.ReportMetric(float64((cpuTime()-start).Microseconds())/1000/float64(b.N), "cpu-ms/op")
}
