// Package report turns one scan's outcome into the formats people and
// pipelines read: SARIF for GitHub code scanning, a self-contained HTML
// page, JSON evidence, CSV, a Markdown summary and a terminal summary.
//
// Every format is one function of (io.Writer, *Report), in the manner of
// gitleaks' reporters, and every one is deterministic: the same Report
// gives the same bytes. Nothing here reads a clock or a map in random
// order; times come from the Report.
package report

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"slices"
	"time"

	"github.com/iamscan/iamscan/policy"
	"github.com/iamscan/iamscan/rules"
	"github.com/iamscan/iamscan/snapshot"
)

// Report is everything a report shows about one scan of one account.
type Report struct {
	Tool Tool
	Scan Scan
	// Rules holds the metadata of every enabled rule, in id order, with
	// the severity the scan gave the rule's findings: the configuration's
	// override where there is one (see EffectiveRules).
	Rules []rules.Meta
	// DefaultSeverity holds, for each rule whose severity the
	// configuration overrides, the rule's own severity.
	DefaultSeverity map[string]rules.Severity
	// Results holds every rule's outcome, disabled rules included.
	Results []rules.RuleResult
	// Findings are sorted as rules.SortFindings sorts them; suppressed
	// findings stay in the list with their Suppression set.
	Findings []rules.Finding
	// Problems is input the scanner could not fully understand.
	Problems []policy.Problem
	// CollectionErrors are AWS calls a live collection could not make.
	CollectionErrors []snapshot.CollectionError
	// Warnings are about the scan itself: expired or unused
	// suppressions, a SARIF run cut at GitHub's limit (see LimitWarnings).
	Warnings []Warning
	// Anchors maps a location file that is not an input, the pseudo
	// file of a policy from iamscan's embedded AWS managed set
	// ("aws-managed:NAME"), to the place in the input SARIF shows
	// findings on it at: where the account attaches the policy (see
	// Anchors). Other formats show the finding's own location.
	Anchors map[string]policy.Location
}

// Tool identifies the scanner and the data it embeds.
type Tool struct {
	Name           string // "iamscan"
	Version        string // semantic version, e.g. "0.1.0"
	InformationURI string
	// Data lists embedded data sets and their versions (the action
	// catalog, the AWS managed policy set), in the order to print them.
	Data []DataVersion
}

// DataVersion is the version of one embedded data set.
type DataVersion struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// Scan describes what was scanned, and when.
type Scan struct {
	AccountID string
	Partition string
	// CollectedAt is when the account state was read; zero if unknown.
	CollectedAt time.Time
	// AsOf is the "now" that age-based rules used.
	AsOf time.Time
	// GeneratedAt is when the report was made (an injected clock, so
	// tests and re-runs can reproduce bytes).
	GeneratedAt time.Time
	// WallTime is how long the scan took.
	WallTime time.Duration
	Inputs   []snapshot.Input
	// RuleSetDigest identifies the rule set and its configuration (see
	// RuleSetDigest).
	RuleSetDigest string
	// SourceRoot is the directory SARIF locations are relative to
	// (%SRCROOT%, normally the repository root). When it is set, input
	// paths that are relative (and SourceRoot itself, if relative) are
	// relative to the working directory; when empty, relative input paths
	// are written as they are.
	SourceRoot string
}

// Warning is something about the scan itself that a reader should know.
type Warning struct {
	Code    string `json:"code"` // e.g. "suppression-expired", "sarif-truncated"
	Message string `json:"message"`
}

// Counts summarizes findings.
type Counts struct {
	// Open counts unsuppressed findings by severity, indexed by
	// rules.Severity (index 0 is unused).
	Open       [rules.Critical + 1]int
	OpenTotal  int
	Suppressed int
}

// Count tallies the report's findings.
func (r *Report) Count() Counts {
	var c Counts
	for i := range r.Findings {
		f := &r.Findings[i]
		if f.Suppressed() {
			c.Suppressed++
			continue
		}
		if f.Severity >= rules.Info && f.Severity <= rules.Critical {
			c.Open[f.Severity]++
		}
		c.OpenTotal++
	}
	return c
}

// statuses lists rule statuses in the order summaries print them.
var statuses = []rules.Status{rules.StatusPass, rules.StatusFail, rules.StatusNotEvaluable, rules.StatusError, rules.StatusDisabled}

// severitiesDesc lists severities from most to least severe, the order
// every summary prints them in.
var severitiesDesc = []rules.Severity{rules.Critical, rules.High, rules.Medium, rules.Low, rules.Info}

// resultsWith returns the rule results with the given status, in rule id
// order.
func (r *Report) resultsWith(s rules.Status) []rules.RuleResult {
	var out []rules.RuleResult
	for _, rr := range r.Results {
		if rr.Status == s {
			out = append(out, rr)
		}
	}
	slices.SortFunc(out, func(a, b rules.RuleResult) int { return cmp.Compare(a.RuleID, b.RuleID) })
	return out
}

// EffectiveRules returns the enabled rules' metadata as reports show it:
// in id order, each with the severity its findings get, which is the
// configuration's override (rules.Options.Severity) when there is one.
// defaults maps each overridden rule to its own severity (for
// Report.DefaultSeverity). SARIF rule levels and security-severity, the
// JSON rule list, the HTML rule documentation and RuleSetDigest all read
// the effective severity from here, so a rule raised to critical is
// critical everywhere, not only in its findings.
func EffectiveRules(metas []rules.Meta, overrides map[string]rules.Severity) (effective []rules.Meta, defaults map[string]rules.Severity) {
	effective = slices.Clone(metas)
	slices.SortStableFunc(effective, func(a, b rules.Meta) int { return cmp.Compare(a.ID, b.ID) })
	for i := range effective {
		m := &effective[i]
		if sev, ok := overrides[m.ID]; ok && sev != 0 && sev != m.Severity {
			if defaults == nil {
				defaults = map[string]rules.Severity{}
			}
			defaults[m.ID] = m.Severity
			m.Severity = sev
		}
	}
	return effective, defaults
}

// RuleSetDigest returns a SHA-256 over the enabled rules' metadata
// (which includes severities and parameter defaults) and the parameter
// overrides, so two scans with the same digest applied the same checks.
// Give it the effective metadata (EffectiveRules): a severity override
// changes what a scan reports and fails on, so it changes the digest.
func RuleSetDigest(metas []rules.Meta, params map[string]map[string]any) (string, error) {
	sorted := slices.Clone(metas)
	slices.SortFunc(sorted, func(a, b rules.Meta) int { return cmp.Compare(a.ID, b.ID) })
	// encoding/json sorts map keys, so params hash the same every time.
	b, err := json.Marshal(struct {
		Rules  []rules.Meta
		Params map[string]map[string]any
	}{sorted, params})
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(b)
	return "sha256:" + hex.EncodeToString(sum[:]), nil
}

// Anchors returns, for each AWS managed policy the snapshot took from
// iamscan's embedded set, where the account attaches it: the first
// attachment (to a user, group or role, or as a permissions boundary) in
// the order of the inputs and of their lines. A finding on such a policy
// is about the account's use of it, and code scanning needs a place in a
// file the repository holds; the policy's own text is not one. A policy
// attached nowhere the input shows gets the authorization details (or raw
// document) file, without a region.
func Anchors(snap *snapshot.Snapshot) map[string]policy.Location {
	order := map[string]int{}
	for i, in := range snap.Inputs {
		if _, ok := order[in.Path]; !ok {
			order[in.Path] = i
		}
	}
	before := func(a, b policy.Location) bool {
		oa, oka := order[a.File]
		ob, okb := order[b.File]
		if oka != okb {
			return oka
		}
		return cmp.Or(cmp.Compare(oa, ob), cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line), cmp.Compare(a.Col, b.Col)) < 0
	}
	first := map[*snapshot.ManagedPolicy]policy.Location{}
	note := func(owner policy.Location, as ...*snapshot.Attachment) {
		for _, a := range as {
			if a == nil || a.Policy == nil || !a.Policy.Embedded {
				continue
			}
			loc := a.Loc
			if loc.File == "" {
				loc = owner
			}
			if cur, ok := first[a.Policy]; loc.File != "" && (!ok || before(loc, cur)) {
				first[a.Policy] = loc
			}
		}
	}
	for _, u := range snap.Users {
		note(u.Loc, append(u.Attached, u.Boundary)...)
	}
	for _, g := range snap.Groups {
		note(g.Loc, g.Attached...)
	}
	for _, r := range snap.Roles {
		note(r.Loc, append(r.Attached, r.Boundary)...)
	}
	fallback := ""
	for _, in := range snap.Inputs {
		if in.Kind == string(snapshot.DataAuthorizationDetails) || in.Kind == "iamscan-raw" {
			fallback = in.Path
			break
		}
	}
	out := map[string]policy.Location{}
	for _, p := range snap.Policies {
		if !p.Embedded {
			continue
		}
		loc, ok := first[p]
		if !ok {
			if fallback == "" {
				continue
			}
			loc = policy.Location{File: fallback}
		}
		for _, file := range []string{p.Loc.File, docFile(p)} {
			if file != "" {
				out[file] = loc
			}
		}
	}
	return out
}

func docFile(p *snapshot.ManagedPolicy) string {
	if p.Default != nil {
		return p.Default.Loc.File
	}
	return ""
}

// MaxSARIFResults is GitHub code scanning's limit of results per run.
const MaxSARIFResults = 25000

// LimitWarnings returns the warnings the report needs before it is
// written because of format limits: today, a SARIF run holding more
// results than GitHub accepts. The caller appends them to r.Warnings so
// that every format, not only SARIF, tells the reader.
func LimitWarnings(r *Report) []Warning {
	if n := len(r.Findings); n > MaxSARIFResults {
		return []Warning{{
			Code:    "sarif-truncated",
			Message: sarifCutMessage(n),
		}}
	}
	return nil
}
