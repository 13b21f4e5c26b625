package rules_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/iamscan/iamscan/rules"
)

func TestBuiltinValidates(t *testing.T) {
	if err := rules.Validate(rules.Builtin()); err != nil {
		t.Fatal(err)
	}
}

func TestBuiltinMetadataComplete(t *testing.T) {
	prev := ""
	for _, r := range rules.Builtin() {
		if r.ID <= prev {
			t.Errorf("%s listed after %s: Builtin must be in id order", r.ID, prev)
		}
		prev = r.ID
		if r.Engine != "go" {
			t.Errorf("%s: engine %q, want go", r.ID, r.Engine)
		}
		if len(r.References) == 0 {
			t.Errorf("%s: no references", r.ID)
		}
		for _, ref := range r.References {
			if !strings.HasPrefix(ref, "https://docs.aws.amazon.com/") {
				t.Errorf("%s: reference %q is not AWS documentation", r.ID, ref)
			}
		}
		want := "rules/" + strings.ToLower(r.ID) + "_"
		if !strings.HasPrefix(r.Source, want) || !strings.HasSuffix(r.Source, ".go") {
			t.Errorf("%s: Source %q, want %s*.go", r.ID, r.Source, want)
		}
		for _, p := range r.Params {
			if p.Doc == "" || p.Default == nil {
				t.Errorf("%s: parameter %q lacks a doc or default", r.ID, p.Name)
			}
		}
	}
}

// The CIS mapping, per benchmark version, reviewed against the benchmark
// documents: v5.0.0 dropped "security questions" (v3/v4 1.3), so every
// later section-1 control moved down by one.
func TestCISMapping(t *testing.T) {
	want := map[string]string{
		"IAM001": "v3.0.0=1.16 v4.0.0=1.16 v5.0.0=1.15",
		"IAM020": "v3.0.0=1.4 v4.0.0=1.4 v5.0.0=1.3",
		"IAM021": "v3.0.0=1.5 v4.0.0=1.5 v5.0.0=1.4",
		"IAM022": "v3.0.0=1.6 v4.0.0=1.6 v5.0.0=1.5",
		"IAM023": "v3.0.0=1.7 v4.0.0=1.7 v5.0.0=1.6",
		"IAM024": "v3.0.0=1.10 v4.0.0=1.10 v5.0.0=1.9",
		"IAM025": "v3.0.0=1.14 v4.0.0=1.14 v5.0.0=1.13",
		"IAM026": "v3.0.0=1.12 v4.0.0=1.12 v5.0.0=1.11",
		"IAM027": "v3.0.0=1.13 v4.0.0=1.13 v5.0.0=1.12",
		"IAM029": "v3.0.0=1.11 v4.0.0=1.11 v5.0.0=1.10",
		"IAM030": "v3.0.0=1.15 v4.0.0=1.15 v5.0.0=1.14",
		"IAM033": "v3.0.0=1.19 v4.0.0=1.19 v5.0.0=1.18",
	}
	for _, r := range rules.Builtin() {
		var got []string
		for _, c := range r.CIS {
			got = append(got, fmt.Sprintf("%s=%s", c.Benchmark, c.Control))
		}
		if g := strings.Join(got, " "); g != want[r.ID] {
			t.Errorf("%s: CIS mapping %q, want %q", r.ID, g, want[r.ID])
		}
	}
}
