// Package benchaccount gives benchmarks the files of a generated account
// (internal/accountgen, seed 1), with the real AWS managed policy
// documents from the shared data attached when they are there, written
// once per machine under os.TempDir and shared by every package's
// benchmarks.
package benchaccount

import (
	"os"
	"testing"

	"github.com/iamscan/iamscan/internal/accountgen"
	"github.com/iamscan/iamscan/internal/shareddata"
)

// Files returns the authorization-details file and the credential report
// of the generated account of the given size.
func Files(tb testing.TB, size accountgen.Size) (authz, report string) {
	tb.Helper()
	opt := accountgen.Options{Size: size, Seed: 1}
	if path, ok := shareddata.Find("aws-managed-policies", "managed-policies.json"); ok {
		set, err := accountgen.LoadAWSManaged(path)
		if err != nil {
			tb.Fatal(err)
		}
		opt.AWSManaged = set
	}
	authz, report, err := accountgen.Cached(os.TempDir(), opt)
	if err != nil {
		tb.Fatal(err)
	}
	return authz, report
}
