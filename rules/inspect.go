package rules

// What the built-in Go rules share: which statements grant identity
// permissions and which are trust statements (listed once per scan),
// action and resource checks on top of policy.MatchAction and MatchARN,
// how a policy is named in a message, and where credential-report
// findings point.

import (
	"path/filepath"
	"strings"
	"time"

	"github.com/iamscan/iamscan/policy"
	"github.com/iamscan/iamscan/snapshot"
)

// statementRef is one statement with the document it belongs to.
type statementRef struct {
	ref        snapshot.PolicyRef
	st         *policy.Statement
	awsManaged bool // the document is an attached AWS managed policy
}

// identityAllows calls fn for every Allow statement that grants identity
// permissions: statements of managed, inline and standalone identity
// documents. Trust policies, resource policies (statements naming a
// Principal) and organization policies (an SCP's "Allow *" grants nothing)
// are left out, and Deny statements never reach an "allow" rule.
//
// AWS managed policies are skipped unless withAWSManaged: their statements
// are AWS's to write, and attaching them is what IAM008 reports. Managed
// policies used only as permissions boundaries are skipped too: a
// boundary caps permissions and grants none, so wildcards are its normal
// shape.
//
// The list is built once per scan and shared by every statement rule.
func identityAllows(p *Pass, withAWSManaged bool, fn func(ref snapshot.PolicyRef, st *policy.Statement)) {
	for _, sr := range sharedStatements(p).identity {
		if withAWSManaged || !sr.awsManaged {
			fn(sr.ref, sr.st)
		}
	}
}

// trustAllows calls fn for every Allow statement of a trust policy: each
// role's AssumeRolePolicyDocument and each standalone file that looks like
// one.
func trustAllows(p *Pass, fn func(ref snapshot.PolicyRef, st *policy.Statement)) {
	for _, sr := range sharedStatements(p).trust {
		fn(sr.ref, sr.st)
	}
}

type statementLists struct {
	identity, trust []statementRef
}

// sharedStatements sorts the snapshot's Allow statements into identity
// and trust statements, once per scan.
func sharedStatements(p *Pass) *statementLists {
	v, _ := p.Shared("rules/statements", func() (any, error) { return listStatements(p.Snapshot), nil })
	return v.(*statementLists)
}

func listStatements(s *snapshot.Snapshot) *statementLists {
	out := &statementLists{}
	trustFiles := map[*policy.Document]bool{}
	for _, sp := range s.Standalone {
		if sp.Trust {
			trustFiles[sp.Doc] = true
		}
	}
	boundaries := boundaryARNs(s)
	add := func(list *[]statementRef, ref snapshot.PolicyRef, awsManaged bool, identity bool) {
		for _, st := range ref.Doc.Statements {
			if st.Effect == policy.Allow && (!identity || st.Principal == nil) {
				*list = append(*list, statementRef{ref: ref, st: st, awsManaged: awsManaged})
			}
		}
	}
	for _, ref := range s.AllPolicies() {
		switch ref.Kind {
		case snapshot.PolicyManaged:
			attached := len(s.AttachedTo(ref.ARN)) > 0
			awsManaged := ref.Managed != nil && ref.Managed.AWSManaged
			if (awsManaged || boundaries[ref.ARN]) && !attached {
				continue
			}
			add(&out.identity, ref, awsManaged, true)
		case snapshot.PolicyInline:
			add(&out.identity, ref, false, true)
		case snapshot.PolicyStandalone:
			if trustFiles[ref.Doc] {
				add(&out.trust, ref, false, false)
			} else {
				add(&out.identity, ref, false, true)
			}
		case snapshot.PolicyTrust:
			add(&out.trust, ref, false, false)
		}
	}
	return out
}

// unattachedManaged reports whether a document is a managed policy known
// to be attached to nothing: no attachment in the input and an
// AttachmentCount of zero in it. A policy whose count is missing (an input
// that does not say) or above zero (attached outside the input) is in
// use as far as iamscan can tell, and so is every inline policy and every
// standalone file (a policy under review, as in a pull request).
func unattachedManaged(s *snapshot.Snapshot, ref snapshot.PolicyRef) bool {
	mp := ref.Managed
	if ref.Kind != snapshot.PolicyManaged || mp == nil {
		return false
	}
	return mp.AttachmentKnown && mp.AttachmentCount == 0 && len(s.AttachedTo(mp.ARN)) == 0
}

// boundaryARNs returns the managed policies used as permissions
// boundaries.
func boundaryARNs(s *snapshot.Snapshot) map[string]bool {
	out := map[string]bool{}
	for _, pr := range s.Principals() {
		if pr.Boundary != nil {
			out[pr.Boundary.PolicyARN] = true
		}
	}
	return out
}

// allowsAction reports whether the statement's Action (or NotAction)
// element covers the action.
func allowsAction(st *policy.Statement, action string) bool {
	hit := false
	for _, pat := range st.Action.List {
		if policy.MatchAction(pat, action) {
			hit = true
			break
		}
	}
	if st.Action.Not {
		return !hit
	}
	return hit
}

// onlyStars reports whether s is made of '*' only ("*", "**").
func onlyStars(s string) bool {
	return s != "" && strings.Trim(s, "*") == ""
}

// isEveryAction reports whether an Action pattern is the full wildcard:
// "*" or "*:*".
func isEveryAction(pattern string) bool {
	svc, name, found := strings.Cut(pattern, ":")
	if !found {
		return onlyStars(pattern)
	}
	return onlyStars(svc) && onlyStars(name)
}

// anyResource reports whether the statement's Resource element contains
// an entry that matches every resource (everyResource). NotResource is
// not "any resource" here: IAM004 owns it. Every rule that asks "on every
// resource?" (IAM001, IAM005, and through fullAdmin IAM006/IAM007) asks
// it here, so that "arn:*:*:*:*:*" counts for all of them or none.
func anyResource(s *snapshot.Snapshot, st *policy.Statement) bool {
	if st.Resource.Not {
		return false
	}
	for _, r := range st.Resource.List {
		if everyResource(s, r) {
			return true
		}
	}
	return false
}

// everyResource reports whether one Resource entry matches every resource
// of the account: "*", or an ARN pattern that leaves every part open
// ("arn:*:*:*:*:*", "arn:*", and "arn:aws:*:*:*:*" in an account of the
// aws partition). It is judged by policy.MatchARN, the Resource element's
// own wildcard rules, against probe ARNs of every shape: a regional
// resource, a global one (no region: IAM), one with neither region nor
// account (S3), one with a region and no account (API Gateway), each made
// of a character no policy names. A pattern matches them all only when
// wildcards cover each part. ("*" also matches the "*" of actions without
// resource-level permissions; an ARN pattern does not, but still grants
// every action that names a resource, which is what these rules are
// about.)
func everyResource(s *snapshot.Snapshot, pattern string) bool {
	if onlyStars(pattern) {
		return true
	}
	// Without a '*' a pattern matches ARNs of one length only; most
	// entries (a role, a bucket/*) leave here or at the first probe.
	if strings.IndexByte(pattern, '*') < 0 || !strings.HasPrefix(pattern, "arn:") {
		return false
	}
	part := s.Partition
	if part == "" {
		// A bare policy file: its own partition, when it names one,
		// is the partition it is written for.
		part = "aws"
		if p := strings.SplitN(pattern, ":", 3); len(p) == 3 && p[1] != "" && !strings.ContainsAny(p[1], "*?") {
			part = p[1]
		}
	}
	probes := awsProbes
	if part != "aws" {
		probes = resourceProbes(part)
	}
	for _, probe := range probes {
		if !policy.MatchARN(pattern, probe) {
			return false
		}
	}
	return true
}

// awsProbes are the probe ARNs of everyResource for the aws partition,
// built once.
var awsProbes = resourceProbes("aws")

// resourceProbes are ARNs of every shape in a partition, each part made
// of a character no policy names, sixteen times, so that only a '*'
// covers it (no real part is matched by a run of sixteen '?').
func resourceProbes(part string) [4]string {
	x := strings.Repeat("\x00", 16)
	return [4]string{
		"arn:" + part + ":" + x + ":" + x + ":" + x + ":" + x + "/" + x + ":" + x,
		"arn:" + part + ":" + x + "::" + x + ":" + x,
		"arn:" + part + ":" + x + ":::" + x,
		"arn:" + part + ":" + x + ":" + x + "::" + x,
	}
}

// coversResource reports whether the statement's Resource element matches
// the ARN (wildcards in the element; ARNs are case-sensitive), or its
// NotResource element leaves the ARN out: "everything but role/admin"
// still grants every other role.
func coversResource(st *policy.Statement, arn string) bool {
	if !st.Resource.Present {
		return false
	}
	hit := false
	for _, r := range st.Resource.List {
		if policy.MatchARN(r, arn) {
			hit = true
			break
		}
	}
	return hit != st.Resource.Not
}

// probeARN is the ARN of an IAM resource of the given kind ("role",
// "user", "policy", "group") that nobody would create in the scanned
// account: a Resource pattern that matches it matches every name of that
// kind, however it is written ("*", "arn:aws:iam::*:role/*",
// "arn:*:iam::ACCOUNT:*"), while patterns confined to a prefix or to
// the caller (user/${aws:username}) do not.
func probeARN(s *snapshot.Snapshot, kind string) string {
	account := s.AccountID
	if account == "" {
		account = "000000000000"
	}
	return probeIn(s, account, kind)
}

// probeIn is probeARN in the given account.
func probeIn(s *snapshot.Snapshot, account, kind string) string {
	return "arn:" + partition(s) + ":iam::" + account + ":" + kind + "/iamscan-probe/\x01any"
}

// coversNamedAccount reports whether, with the scanned account unknown (a
// bare policy file), a Resource pattern naming one account covers every
// name of the kind in that account ("arn:aws:iam::123456789012:role/*"):
// the file most likely speaks of its own account, which the probe of
// probeARN cannot stand for.
func coversNamedAccount(s *snapshot.Snapshot, st *policy.Statement, kind string) bool {
	if s.AccountID != "" || st.Resource.Not {
		return false
	}
	for _, r := range st.Resource.List {
		parts := strings.SplitN(r, ":", 6)
		if len(parts) != 6 || parts[4] == "" || strings.ContainsAny(parts[4], "*?") {
			continue
		}
		if policy.MatchARN(r, probeIn(s, parts[4], kind)) {
			return true
		}
	}
	return false
}

// partition is the snapshot's AWS partition, "aws" when unknown.
func partition(s *snapshot.Snapshot) string {
	if s.Partition == "" {
		return "aws"
	}
	return s.Partition
}

// reportOnEveryRole reports the identity statements that allow an action
// on every role (iam:PassRole, sts:AssumeRole). Full-admin statements are
// IAM001's.
func reportOnEveryRole(p *Pass, action string) {
	probe := probeARN(p.Snapshot, "role")
	identityAllows(p, false, func(ref snapshot.PolicyRef, st *policy.Statement) {
		if !st.Action.Not && !fullAdmin(p.Snapshot, st) && allowsAction(st, action) && (coversResource(st, probe) || coversNamedAccount(p.Snapshot, st, "role")) {
			p.ReportStatement(ref, st, ref.OwnerARN, describe(ref)+" allows "+action+" on every role"+conditionNote(st))
		}
	})
}

// describe names a policy document for a finding message: "policy Admin",
// "inline policy ops of role deploy", "trust policy of role deploy",
// "policy file admin.json".
func describe(ref snapshot.PolicyRef) string {
	switch ref.Kind {
	case snapshot.PolicyManaged:
		return "policy " + ref.Name
	case snapshot.PolicyInline:
		return "inline policy " + ref.Name + " of " + arnKindName(ref.OwnerARN)
	case snapshot.PolicyTrust:
		return "trust policy of " + arnKindName(ref.OwnerARN)
	case snapshot.PolicyOrg:
		return "organization policy " + ref.Name
	}
	// The base name only: the message (and so the fingerprint) must not
	// depend on the directory the scan was started from.
	return "policy file " + filepath.Base(ref.Name)
}

// arnKindName turns "arn:aws:iam::1:role/path/deploy" into "role deploy".
func arnKindName(arn string) string {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) < 6 {
		return arn
	}
	kind, rest, found := strings.Cut(parts[5], "/")
	if !found {
		return arn
	}
	return kind + " " + rest[strings.LastIndex(rest, "/")+1:]
}

// conditionNote is the suffix statement rules add to a message when the
// statement carries a Condition: the grant is still reported (conditions
// are often weak or absent at request time), but the reader is told.
func conditionNote(st *policy.Statement) string {
	if len(st.Condition) > 0 {
		return ", subject to a condition"
	}
	return ""
}

// withSeverity runs fn with every finding it reports set to sev (a
// per-finding severity; a configured override still wins, as Run applies
// it afterwards).
func withSeverity(p *Pass, sev Severity, fn func()) {
	orig := p.report
	p.report = func(f Finding) {
		f.Severity = sev
		orig(f)
	}
	defer func() { p.report = orig }()
	fn()
}

// reportRow records a credential-report finding, pointing at the row.
func reportRow(p *Pass, row *snapshot.CredentialRow, msg string) {
	p.Report(Finding{
		Resource:  row.ARN,
		Principal: row.ARN,
		Message:   msg,
		Location:  rowLocation(p.Snapshot.CredentialReport, row),
	})
}

// rowLocation is where a credential report row is in the input: the
// loader's span of it, else its line.
func rowLocation(cr *snapshot.CredentialReport, row *snapshot.CredentialRow) policy.Location {
	if row.Loc.File != "" {
		return row.Loc
	}
	return policy.Location{File: cr.Loc, Line: row.Line}
}

// userRows returns the credential report's IAM user rows (not root).
func userRows(s *snapshot.Snapshot) []*snapshot.CredentialRow {
	var out []*snapshot.CredentialRow
	for _, r := range s.CredentialReport.Rows {
		if !r.IsRoot {
			out = append(out, r)
		}
	}
	return out
}

// olderThan reports whether t is known and lies more than days before
// asOf.
func olderThan(t snapshot.Time, asOf time.Time, days int) bool {
	return t.Valid() && asOf.Sub(t.T) > time.Duration(days)*24*time.Hour
}

// within reports whether t is known and lies at most days before asOf.
func within(t snapshot.Time, asOf time.Time, days int) bool {
	return t.Valid() && !olderThan(t, asOf, days)
}

// neverUsed reports whether a last-used field says the credential has
// never been used. The report writes "N/A" for an access key never used
// and "no_information" for a password never used; "not_supported" or a
// missing value is unknown, never "unused".
func neverUsed(t snapshot.Time) bool {
	return !t.Valid() && (t.Raw == "N/A" || t.Raw == "no_information")
}

// inputPath returns the path of the first input of the given kind, for
// findings on data that carries no position of its own.
func inputPath(s *snapshot.Snapshot, kinds ...string) string {
	for _, in := range s.Inputs {
		for _, k := range kinds {
			if in.Kind == k {
				return in.Path
			}
		}
	}
	if len(s.Inputs) > 0 {
		return s.Inputs[0].Path
	}
	return ""
}

// rootARN is the account root's ARN.
func rootARN(s *snapshot.Snapshot) string {
	return "arn:" + partition(s) + ":iam::" + s.AccountID + ":root"
}
