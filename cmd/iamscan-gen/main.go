// Command iamscan-gen writes a synthetic AWS account for benchmarks: the
// output of `aws iam get-account-authorization-details` and a credential
// report, deterministic for a given seed.
//
//	iamscan-gen -size quota -out /tmp/quota
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

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
	acct := accountgen.Generate(opt)
	if err := os.MkdirAll(*out, 0o755); err != nil {
		fmt.Fprintf(stderr, "iamscan-gen: %v\n", err)
		return 1
	}
	for _, f := range []struct {
		name  string
		write func(io.Writer) error
	}{
		{"authorization-details.json", acct.WriteAuthorizationDetails},
		{"credential-report.csv", acct.WriteCredentialReport},
	} {
		if err := writeFile(filepath.Join(*out, f.name), f.write); err != nil {
			fmt.Fprintf(stderr, "iamscan-gen: %v\n", err)
			return 1
		}
	}
	return 0
}

func writeFile(path string, write func(io.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	if err := write(w); err != nil {
		f.Close()
		return fmt.Errorf("%s: %w", path, err)
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return fmt.Errorf("%s: %w", path, err)
	}
	return f.Close()
}
