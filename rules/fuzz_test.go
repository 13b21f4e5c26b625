package rules_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/iamscan/iamscan/collector/offline"
	"github.com/iamscan/iamscan/rules"
)

// FuzzBuiltinOnInput feeds arbitrary input through the offline loader and
// every built-in Go rule: whatever the loader accepts, no rule may fail
// (Run turns a panic into StatusError).
//
//	go test ./rules -run '^$' -fuzz FuzzBuiltinOnInput -fuzztime 60s
func FuzzBuiltinOnInput(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join("..", "fixtures", "IAM*", "*", "*.json"))
	csvs, _ := filepath.Glob(filepath.Join("..", "fixtures", "IAM*", "*", "*.csv"))
	for _, p := range append(seeds, csvs...) {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(filepath.Base(p), b)
		}
	}
	f.Add("p.json", []byte(`{"Statement":{"Effect":"Allow","NotPrincipal":"*","Action":[],"Resource":[]}}`))
	f.Add("p.json", []byte(`{"Statement":[{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::*"]},"Action":"sts:*","Condition":{"StringLike":{"aws:PrincipalArn":[""]}}}]}`))
	rs := rules.Builtin()
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		snap, err := offline.LoadBytes(name, data, offline.Options{})
		if err != nil {
			return
		}
		res := rules.Run(snap, rs, rules.Options{AsOf: asOf})
		for _, rr := range res.Rules {
			if rr.Status == rules.StatusError {
				t.Fatalf("%s failed on %q: %s", rr.RuleID, data, rr.Reason)
			}
		}
	})
}
