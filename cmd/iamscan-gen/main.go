// Command iamscan-gen writes a synthetic AWS account for benchmarks: the
// output of `aws iam get-account-authorization-details` and a credential
// report, deterministic for a given seed.
//
//	iamscan-gen -size quota -out /tmp/quota
package main

import (
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/iamscan/iamscan/internal/accountgen"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stderr))
}

func run(args []string, stderr io.Writer) int {
	fs := flag.NewFlagSet("iamscan-gen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	size := fs.String("size", "small", "account size: small, large or quota")
	seed := fs.Uint64("seed", 1, "random seed; the same seed writes the same bytes")
	out := fs.String("out", ".", "directory to write authorization-details.json and credential-report.csv into")
	managed := fs.String("managed", "", "AWS managed policy set (iam-dataset layout) to attach from; default: a few built-in policies")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	sz, ok := accountgen.SizeByName(*size)
	if !ok {
		fmt.Fprintf(stderr, "iamscan-gen: unknown size %q (small, large or quota)\n", *size)
		return 2
	}
	opt := accountgen.Options{Size: sz, Seed: *seed}
	if *managed != "" {
		set, err := accountgen.LoadAWSManaged(*managed)
		if err != nil {
			fmt.Fprintf(stderr, "iamscan-gen: %v\n", err)
			return 2
		}
		opt.AWSManaged = set
	}
	if err := accountgen.Generate(opt).WriteFiles(*out); err != nil {
		fmt.Fprintf(stderr, "iamscan-gen: %v\n", err)
		return 1
	}
	return 0
}
