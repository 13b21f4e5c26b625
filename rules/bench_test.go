package rules_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/iamscan/iamscan/awsmanaged"
	"github.com/iamscan/iamscan/collector/offline"
	"github.com/iamscan/iamscan/internal/accountgen"
	"github.com/iamscan/iamscan/rules"
	"github.com/iamscan/iamscan/snapshot"
)

// loadGenerated writes a generated account to a temporary directory and
// loads it as the CLI would. Loading is outside the measured loop: this
// benchmark is about the rules.
func loadGenerated(b *testing.B, sz accountgen.Size) *snapshot.Snapshot {
	b.Helper()
	dir := b.TempDir()
	acct := accountgen.Generate(accountgen.Options{Size: sz, Seed: 1})
	for name, write := range map[string]func(*os.File) error{
		"authorization-details.json": func(f *os.File) error { return acct.WriteAuthorizationDetails(f) },
		"credential-report.csv":      func(f *os.File) error { return acct.WriteCredentialReport(f) },
	} {
		f, err := os.Create(filepath.Join(dir, name))
		if err != nil {
			b.Fatal(err)
		}
		if err := write(f); err != nil {
			b.Fatal(err)
		}
		if err := f.Close(); err != nil {
			b.Fatal(err)
		}
	}
	snap, err := offline.Load([]string{dir}, offline.Options{ResolveManaged: awsmanaged.Resolve})
	if err != nil {
		b.Fatal(err)
	}
	return snap
}

// BenchmarkBuiltin runs every built-in Go rule on generated accounts,
// all together (effective permissions computed once and shared, as in a
// scan) and, on the large account, one by one (each paying for what it
// needs). Accounts are generated only for the sizes the -bench filter
// selects.
//
//	go test ./rules -run '^$' -bench 'Builtin/large' -benchtime 3x
//	go test ./rules -run '^$' -bench 'Builtin/quota/all' -benchtime 1x
func BenchmarkBuiltin(b *testing.B) {
	for _, sz := range []accountgen.Size{accountgen.Small, accountgen.Large, accountgen.Quota} {
		b.Run(sz.Name, func(b *testing.B) {
			snap := loadGenerated(b, sz)
			opt := rules.Options{AsOf: asOf}
			b.Run("all", func(b *testing.B) {
				for b.Loop() {
					rules.Run(snap, rules.Builtin(), opt)
				}
			})
			if sz != accountgen.Large {
				return
			}
			for _, r := range rules.Builtin() {
				b.Run(r.ID, func(b *testing.B) {
					for b.Loop() {
						rules.Run(snap, []*rules.Rule{r}, opt)
					}
				})
			}
		})
	}
}
