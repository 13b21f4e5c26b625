package policy

import (
	"encoding/json"
	"errors"
	"os"
	"sort"
	"testing"

	"github.com/iamscan/iamscan/internal/shareddata"
)

// Every action pattern of every statement of the 1,645 AWS managed
// policies (iam-dataset snapshot in ../shared) expands against the
// catalog without a crash; patterns that match nothing are counted and
// listed, not dropped. The catalog and the policy snapshot come from
// different sources and dates, so a few unknown actions are expected
// (retired actions still in deprecated policies, actions newer than the
// catalog).
func TestExpandAWSManagedPolicies(t *testing.T) {
	path := shareddata.Path(t, "aws-managed-policies", "managed-policies.json")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var set struct {
		Policies map[string]struct {
			Deprecated bool            `json:"deprecated"`
			Document   json.RawMessage `json:"document"`
		} `json:"policies"`
	}
	if err := json.Unmarshal(data, &set); err != nil {
		t.Fatal(err)
	}
	c := DefaultCatalog()
	var policies, statements, patterns, problems int
	unknown := map[string]int{} // pattern → policies using it
	unknownServices := map[string]bool{}
	for name, p := range set.Policies {
		doc, err := Parse(name, p.Document)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		policies++
		problems += len(doc.Problems)
		for _, st := range doc.Statements {
			statements++
			patterns += len(st.Action.List)
			_, errs := c.Actions(st.Action)
			for _, err := range errs {
				var ue *UnknownActionError
				if !errors.As(err, &ue) {
					t.Fatalf("%s: unexpected error type %T", name, err)
				}
				unknown[ue.Pattern]++
				if ue.UnknownService {
					unknownServices[ue.Pattern] = true
				}
			}
		}
	}
	if policies < 1600 {
		t.Fatalf("read %d policies, want the 1,645 of the snapshot", policies)
	}
	names := make([]string, 0, len(unknown))
	for n := range unknown {
		names = append(names, n)
	}
	sort.Strings(names)
	t.Logf("%d policies, %d statements, %d action patterns, %d parse problems", policies, statements, patterns, problems)
	t.Logf("%d distinct patterns match no catalog action (%d of them with an unknown service prefix): %v", len(unknown), len(unknownServices), names)
	// A sanity bound, not a target: if most patterns were unknown the
	// catalog or the matcher would be broken.
	if len(unknown)*100 > patterns {
		t.Errorf("%d unknown patterns out of %d: catalog or matching is broken", len(unknown), patterns)
	}
}
