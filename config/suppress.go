package config

import (
	"fmt"
	"time"

	"github.com/iamscan/iamscan/policy"
	"github.com/iamscan/iamscan/rules"
)

// Warning is something about the configuration the user should act on,
// though the scan can go on: an expired or unused suppression.
type Warning struct {
	Source  string `json:"source"` // file:line
	Message string `json:"message"`
}

func (w Warning) String() string { return w.Source + ": " + w.Message }

// expired reports whether a suppression no longer applies at asOf. The
// expiry date is inclusive: "expires: 2027-01-31" suppresses through the
// last second of that day (UTC).
func (s *Suppression) expired(asOf time.Time) bool {
	return !s.Expires.IsZero() && !asOf.Before(s.Expires.AddDate(0, 0, 1))
}

// matches reports whether the suppression covers a finding.
func (s *Suppression) matches(f *rules.Finding) bool {
	return s.Rule == f.RuleID && policy.MatchARN(s.Resource, f.Resource)
}

// Suppress marks the findings that a current suppression covers (the
// first matching suppression wins) and returns warnings for expired
// suppressions, which suppress nothing, and for unused ones. Suppressed
// findings stay in the list: reports show them, with the reason, as
// evidence for auditors.
func (c *Config) Suppress(findings []rules.Finding, asOf time.Time) []Warning {
	if asOf.IsZero() {
		asOf = time.Now()
	}
	used := make([]int, len(c.Suppressions))
	for i := range findings {
		f := &findings[i]
		for j := range c.Suppressions {
			s := &c.Suppressions[j]
			if !s.matches(f) {
				continue
			}
			used[j]++
			if s.expired(asOf) {
				continue
			}
			f.Suppression = &rules.Suppression{Reason: s.Reason, Expires: s.Expires, Source: c.source(s.Line)}
			break
		}
	}
	var warnings []Warning
	for j := range c.Suppressions {
		s := &c.Suppressions[j]
		switch {
		case s.expired(asOf):
			warnings = append(warnings, Warning{Source: c.source(s.Line), Message: fmt.Sprintf(
				"suppression of %s on %s expired on %s and no longer applies (%d matching findings reported)",
				s.Rule, s.Resource, s.Expires.Format(time.DateOnly), used[j])})
		case used[j] == 0:
			warnings = append(warnings, Warning{Source: c.source(s.Line), Message: fmt.Sprintf(
				"suppression of %s on %s matched no finding; remove it if the problem is fixed", s.Rule, s.Resource)})
		}
	}
	return warnings
}
