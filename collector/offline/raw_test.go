package offline

import (
	"strings"
	"testing"

	"github.com/iamscan/iamscan/snapshot"
)

// Collection.Errors entries say whether the collector expected the
// failure (Organizations refusing a member account); the data is missing
// either way.
func TestRawCollectionErrorExpected(t *testing.T) {
	doc := func(expected string) []byte {
		return []byte(`{"Format":"iamscan-raw","FormatVersion":1,"OrganizationPolicies":[],"Collection":{"Calls":[],"Errors":[
{"Operation":"DescribeOrganization","Code":"AccessDeniedException","Message":"no","Missing":["organization-policies"],"Expected":` + expected + `}]}}`)
	}
	for _, c := range []struct {
		expected string
		problem  string // "" for none
		want     bool
	}{
		{"true", "", true},
		{"false", "", false},
		{`"yes"`, "Collection.Errors Expected must be true or false, found string", false},
	} {
		s, err := LoadBytes("acct.json", doc(c.expected), Options{})
		if err != nil {
			t.Fatal(err)
		}
		got := strings.Join(problemTexts(s), "\n")
		if (c.problem == "") != (got == "") || !strings.Contains(got, c.problem) {
			t.Errorf("Expected %s: problems %q, want %q", c.expected, got, c.problem)
		}
		if s.Has(snapshot.DataOrganizationPolicies) || len(s.CollectionErrors) != 1 {
			t.Fatalf("Expected %s: organization policies present %v, errors %+v; want missing, one error", c.expected, s.Has(snapshot.DataOrganizationPolicies), s.CollectionErrors)
		}
		if got := s.CollectionErrors[0].Expected; got != c.want {
			t.Errorf("Expected %s: read as %v, want %v", c.expected, got, c.want)
		}
	}
}
