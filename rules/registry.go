package rules

import (
	"fmt"
	"regexp"
	"slices"
)

var idPattern = regexp.MustCompile(`^IAM[0-9]{3}$`)

// Validate checks a rule set: unique, well-formed ids and complete
// metadata. The CLI calls it at start-up and a test calls it on the
// built-in set, so a rule with missing documentation cannot ship.
func Validate(rs []*Rule) error {
	seen := map[string]string{}
	var errs []error
	for _, r := range rs {
		where := r.ID
		if r.Source != "" {
			where = r.Source + ": " + r.ID
		}
		if prev, dup := seen[r.ID]; dup {
			errs = append(errs, fmt.Errorf("%s: duplicate rule id (also %s)", where, prev))
		}
		seen[r.ID] = where
		if !idPattern.MatchString(r.ID) {
			errs = append(errs, fmt.Errorf("%s: rule id must be IAM followed by three digits", where))
		}
		for field, v := range map[string]string{"title": r.Title, "description": r.Description, "remediation": r.Remediation, "family": r.Family} {
			if v == "" {
				errs = append(errs, fmt.Errorf("%s: missing %s", where, field))
			}
		}
		if r.Severity < Info || r.Severity > Critical {
			errs = append(errs, fmt.Errorf("%s: invalid severity %d", where, r.Severity))
		}
		if r.Check == nil {
			errs = append(errs, fmt.Errorf("%s: no Check function", where))
		}
		for _, c := range r.CIS {
			if !slices.Contains([]string{CISv3, CISv4, CISv5}, c.Benchmark) {
				errs = append(errs, fmt.Errorf("%s: unknown CIS benchmark version %q", where, c.Benchmark))
			}
		}
	}
	return joinErrors(errs)
}

func joinErrors(errs []error) error {
	if len(errs) == 0 {
		return nil
	}
	msg := errs[0].Error()
	for _, e := range errs[1:] {
		msg += "\n" + e.Error()
	}
	return fmt.Errorf("%s", msg)
}

// Lookup returns the rule with the given id, or nil.
func Lookup(rs []*Rule, id string) *Rule {
	for _, r := range rs {
		if r.ID == id {
			return r
		}
	}
	return nil
}
