package offline

import (
	"encoding/json"
	"os"
	"runtime"
	"testing"
	"time"

	"github.com/iamscan/iamscan/internal/accountgen"
	"github.com/iamscan/iamscan/internal/benchaccount"
)

// BenchmarkLoad measures offline.Load of generated accounts against the
// floor the issue sets: decoding the same bytes into generic Go values
// with encoding/json. Compare Load/quota with Floor/quota:
//
//	go test ./collector/offline -run '^$' -bench 'Load|Floor' -benchmem -benchtime 5x
func BenchmarkLoad(b *testing.B) {
	for _, sz := range []accountgen.Size{accountgen.Small, accountgen.Large, accountgen.Quota} {
		b.Run(sz.Name, func(b *testing.B) {
			authz, report := benchaccount.Files(b, sz)
			st, _ := os.Stat(authz)
			b.SetBytes(st.Size())
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				s, err := Load([]string{authz, report}, Options{})
				if err != nil {
					b.Fatal(err)
				}
				if len(s.Users) != sz.Users || len(s.Roles) != sz.Roles || len(s.Groups) != sz.Groups {
					b.Fatalf("loaded %d users, %d roles, %d groups; generated %d, %d, %d", len(s.Users), len(s.Roles), len(s.Groups), sz.Users, sz.Roles, sz.Groups)
				}
			}
		})
	}
}

// BenchmarkFloor is the floor of BenchmarkLoad: reading the file and
// json.Unmarshal into any, with no positions, checks or model.
func BenchmarkFloor(b *testing.B) {
	for _, sz := range []accountgen.Size{accountgen.Small, accountgen.Large, accountgen.Quota} {
		b.Run(sz.Name, func(b *testing.B) {
			authz, _ := benchaccount.Files(b, sz)
			st, _ := os.Stat(authz)
			b.SetBytes(st.Size())
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				data, err := os.ReadFile(authz)
				if err != nil {
					b.Fatal(err)
				}
				var v any
				if err := json.Unmarshal(data, &v); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkLoadVsFloor alternates the floor and Load within each
// iteration and reports both and their ratio, so that load from other
// processes on a shared machine skews both alike:
//
//	go test ./collector/offline -run '^$' -bench LoadVsFloor -benchtime 5x
func BenchmarkLoadVsFloor(b *testing.B) {
	for _, sz := range []accountgen.Size{accountgen.Large, accountgen.Quota} {
		b.Run(sz.Name, func(b *testing.B) {
			authz, report := benchaccount.Files(b, sz)
			var load, floor time.Duration
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				start := time.Now()
				data, err := os.ReadFile(authz)
				if err != nil {
					b.Fatal(err)
				}
				var v any
				if err := json.Unmarshal(data, &v); err != nil {
					b.Fatal(err)
				}
				v, data = nil, nil
				floor += time.Since(start)
				runtime.GC() // each side starts from a clean heap

				start = time.Now()
				if _, err := Load([]string{authz, report}, Options{}); err != nil {
					b.Fatal(err)
				}
				load += time.Since(start)
				runtime.GC()
			}
			b.ReportMetric(float64(load.Milliseconds())/float64(b.N), "load-ms/op")
			b.ReportMetric(float64(floor.Milliseconds())/float64(b.N), "floor-ms/op")
			b.ReportMetric(float64(load)/float64(floor), "load/floor")
		})
	}
}
