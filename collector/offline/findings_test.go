package offline

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/iamscan/iamscan/awsmanaged"
	"github.com/iamscan/iamscan/internal/shareddata"
	"github.com/iamscan/iamscan/rules"
)

// TestURLEncodedSameFindings: scanning the raw API form (URL-encoded
// documents) and the CLI form of one account gives the same findings,
// positions aside, with AWS managed policies resolved from the embedded
// set.
func TestURLEncodedSameFindings(t *testing.T) {
	opt := Options{ResolveManaged: awsmanaged.Resolve}
	scan := func(file string) []string {
		s := mustLoad(t, opt, shareddata.Path(t, file))
		if len(s.Problems) != 0 {
			t.Errorf("%s: problems %v", file, problemTexts(s))
		}
		res := rules.Run(s, rules.Builtin(), rules.Options{AsOf: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)})
		var out []string
		for _, f := range res.Findings {
			out = append(out, fmt.Sprintf("%s %s %s %s %s %q %s", f.RuleID, f.Severity, f.Resource, f.Policy, f.Sid, f.Message, f.Fingerprint))
		}
		return out
	}
	plain := scan("cloudsplaining-examples/example_authz_v2.json")
	enc := scan("cloudsplaining-examples/example_authz_v2.urlencoded-documents.json")
	if len(plain) == 0 {
		t.Fatal("no findings: the GOAT group has AdministratorAccess, something must fire")
	}
	if a, b := strings.Join(plain, "\n"), strings.Join(enc, "\n"); a != b {
		t.Errorf("findings differ:\n--- decoded\n%s\n--- URL-encoded\n%s", a, b)
	}
}
