package report

import (
	"bufio"
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/owenrumney/go-sarif/v3/pkg/report/v210/sarif"

	"github.com/iamscan/iamscan/policy"
	"github.com/iamscan/iamscan/rules"
)

// FingerprintKey names our fingerprint in SARIF partialFingerprints. The
// version suffix lets the fingerprint's recipe change without GitHub
// matching old alerts to new ones by accident.
const FingerprintKey = "iamscan/v1"

// srcRoot is the uriBaseId GitHub code scanning resolves to the
// repository checkout.
const srcRoot = "%SRCROOT%"

// SARIF writes a SARIF 2.1.0 log with one run, shaped for GitHub code
// scanning: every enabled rule in tool.driver.rules with help and
// security-severity, one result per finding (suppressed findings carry
// their justification), input problems and collection errors as
// tool execution notifications, and at most MaxSARIFResults results.
func SARIF(w io.Writer, r *Report) error {
	log := sarif.NewReport()
	run := sarif.NewRun()
	run.Tool = sarif.NewTool()
	driver := sarif.NewToolComponent()
	run.Tool.Driver = driver
	// name is required; an empty URI or version would not be valid, so
	// they are left out rather than written empty.
	driver.Name = ptr(cmp.Or(r.Tool.Name, "iamscan"))
	if r.Tool.InformationURI != "" {
		driver.InformationURI = ptr(r.Tool.InformationURI)
	}
	if r.Tool.Version != "" {
		driver.Version = ptr(r.Tool.Version)
		driver.SemanticVersion = ptr(r.Tool.Version)
	}

	// Rules in id order, whatever order the caller gave them in, so the
	// driver reads like `iamscan rules` and ruleIndex is stable.
	metas := make([]*rules.Meta, len(r.Rules))
	for i := range r.Rules {
		metas[i] = &r.Rules[i]
	}
	slices.SortStableFunc(metas, func(a, b *rules.Meta) int { return cmp.Compare(a.ID, b.ID) })
	index := make(map[string]int, len(r.Rules))
	for _, m := range metas {
		index[m.ID] = len(driver.Rules)
		driver.Rules = append(driver.Rules, sarifRule(m))
	}
	// A finding whose rule is not in the enabled set is a bug upstream;
	// still give it a descriptor so ruleIndex stays valid.
	for i := range r.Findings {
		id := r.Findings[i].RuleID
		if _, ok := index[id]; !ok {
			index[id] = len(driver.Rules)
			d := sarif.NewRule(id)
			d.Name = ptr(id)
			d.ShortDescription = mstr(id + " (no rule metadata in this report)")
			driver.Rules = append(driver.Rules, d)
		}
	}

	files := newSARIFFiles(r)
	kept := sarifOrder(r.Findings)
	cut := len(kept) > MaxSARIFResults
	if cut {
		kept = kept[:MaxSARIFResults]
	}

	run.AutomationDetails = sarif.NewRunAutomationDetails()
	run.AutomationDetails.ID = ptr(automationID(r))
	inv := sarif.NewInvocation()
	inv.ExecutionSuccessful = ptr(executionSuccessful(r))
	if !r.Scan.GeneratedAt.IsZero() {
		inv.EndTimeUtc = ptr(r.Scan.GeneratedAt.UTC().Format(time.RFC3339))
	}
	inv.ToolExecutionNotifications = notifications(r, index, cut, files)
	run.Invocations = append(run.Invocations, inv)

	props := sarif.NewPropertyBag()
	props.Add("accountId", r.Scan.AccountID)
	props.Add("partition", r.Scan.Partition)
	props.Add("ruleSetDigest", r.Scan.RuleSetDigest)
	if !r.Scan.AsOf.IsZero() {
		props.Add("asOf", r.Scan.AsOf.UTC().Format(time.RFC3339))
	}
	run.Properties = props

	log.AddRun(run)

	// The log is written around its results, which are streamed one at a
	// time: encoding 25,000 results into one buffer spent most of its
	// time growing (and page-faulting) that buffer.
	var skeleton bytes.Buffer
	if err := log.Write(&skeleton); err != nil {
		return err
	}
	// JSON strings cannot hold an unescaped quote, so this is the run's
	// own (empty) results array, never text from the input.
	head, tail, ok := bytes.Cut(skeleton.Bytes(), []byte(`"results":[]`))
	if !ok {
		return fmt.Errorf("sarif: no results array in the encoded run")
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	bw.Write(head)
	bw.WriteString(`"results":[`)
	rw := &sarifResultWriter{files: files, index: index, artifacts: map[*sarif.ArtifactLocation][]byte{}}
	var buf []byte
	for i, f := range kept {
		if i > 0 {
			bw.WriteByte(',')
		}
		var err error
		if buf, err = rw.append(buf[:0], f); err != nil {
			return err
		}
		bw.Write(buf)
	}
	bw.WriteByte(']')
	bw.Write(tail)
	return bw.Flush()
}

func sarifCutMessage(n int) string {
	return fmt.Sprintf("SARIF run cut to GitHub's limit of %d results: %d of %d findings left out, suppressed ones first, then the least severe (all are in the JSON report)",
		MaxSARIFResults, n-MaxSARIFResults, n)
}

// sarifOrder puts open findings before suppressed ones (each group keeps
// the report's severity order), so a cut drops accepted findings first.
func sarifOrder(fs []rules.Finding) []*rules.Finding {
	out := make([]*rules.Finding, 0, len(fs))
	for i := range fs {
		if !fs[i].Suppressed() {
			out = append(out, &fs[i])
		}
	}
	for i := range fs {
		if fs[i].Suppressed() {
			out = append(out, &fs[i])
		}
	}
	return out
}

func sarifRule(m *rules.Meta) *sarif.ReportingDescriptor {
	d := sarif.NewRule(m.ID)
	d.Name = ptr(ruleName(m.Title))
	d.ShortDescription = mstr(m.Title)
	d.FullDescription = mstr(m.Description)
	d.Help = &sarif.MultiformatMessageString{Text: ptr(helpText(m)), Markdown: ptr(helpMarkdown(m))}
	if len(m.References) > 0 {
		d.HelpURI = ptr(m.References[0])
	}
	cfg := sarif.NewReportingConfiguration()
	cfg.Level = sarifLevel(m.Severity)
	d.DefaultConfiguration = cfg
	props := sarif.NewPropertyBag()
	if s := securitySeverity(m.Severity); s != "" {
		props.Add("security-severity", s)
	}
	props.Add("precision", precision(m.Family))
	props.Add("problem.severity", problemSeverity(m.Severity))
	props.AddTag("security")
	props.AddTag(m.Family)
	for _, c := range m.CIS {
		props.AddTag(cisTag(c))
	}
	d.Properties = props
	return d
}

// ruleName turns a title into the PascalCase identifier SARIF expects in
// reportingDescriptor.name ("Root has access keys" → "RootHasAccessKeys").
// Apostrophes do not split words ("iamscan's" → "Iamscans"); a word with
// capitals keeps them ("NotAction", "OIDC", "GitHub"); and a lower-case
// prefix of an action or condition key, which names a service, is
// written the way AWS writes the service when it is an acronym
// ("iam:PassRole" → "IAMPassRole", "aws:SourceArn" → "AWSSourceArn")
// and capitalized otherwise ("lambda:InvokeFunction" →
// "LambdaInvokeFunction").
func ruleName(title string) string {
	title = strings.NewReplacer("'", "", "’", "").Replace(title)
	isWord := func(r rune) bool { return r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r)) }
	var b strings.Builder
	for title != "" {
		i := strings.IndexFunc(title, isWord)
		if i < 0 {
			break
		}
		title = title[i:]
		j := strings.IndexFunc(title, func(r rune) bool { return !isWord(r) })
		if j < 0 {
			j = len(title)
		}
		word := title[:j]
		title = title[j:]
		prefix := strings.HasPrefix(title, ":") && word == strings.ToLower(word)
		switch {
		case prefix && serviceAcronyms[word]:
			b.WriteString(strings.ToUpper(word))
		default:
			b.WriteString(strings.ToUpper(word[:1]) + word[1:])
		}
	}
	return b.String()
}

// serviceAcronyms are action and condition-key prefixes that AWS writes
// in capitals when it names the service.
var serviceAcronyms = map[string]bool{
	"aws": true, "iam": true, "sts": true, "kms": true, "s3": true, "ec2": true, "ecr": true, "ecs": true,
	"eks": true, "sns": true, "sqs": true, "ssm": true, "sso": true, "acm": true, "rds": true, "saml": true,
}

func cisTag(c rules.CISRef) string { return "CIS-AWS-" + c.Benchmark + "-" + c.Control }

func helpText(m *rules.Meta) string {
	var b strings.Builder
	b.WriteString(m.Description)
	b.WriteString("\n\nRemediation: ")
	b.WriteString(m.Remediation)
	for _, c := range m.CIS {
		fmt.Fprintf(&b, "\nCIS AWS Foundations Benchmark %s control %s", c.Benchmark, c.Control)
	}
	for _, ref := range m.References {
		b.WriteString("\nReference: " + ref)
	}
	return b.String()
}

func helpMarkdown(m *rules.Meta) string {
	var b strings.Builder
	fmt.Fprintf(&b, "## %s: %s\n\n%s\n\n### Remediation\n\n%s\n", m.ID, mdEscape(m.Title), m.Description, m.Remediation)
	if len(m.CIS) > 0 {
		b.WriteString("\n### CIS AWS Foundations Benchmark\n\n")
		for _, c := range m.CIS {
			fmt.Fprintf(&b, "- %s control %s\n", c.Benchmark, c.Control)
		}
	}
	if len(m.References) > 0 {
		b.WriteString("\n### References\n\n")
		for _, ref := range m.References {
			fmt.Fprintf(&b, "- <%s>\n", ref)
		}
	}
	return b.String()
}

// sarifLevel maps severities onto SARIF's three result levels.
func sarifLevel(s rules.Severity) string {
	switch {
	case s >= rules.High:
		return sarif.LevelError
	case s == rules.Medium:
		return sarif.LevelWarning
	}
	return sarif.LevelNote
}

// securitySeverity is GitHub's numeric severity, chosen inside the band
// GitHub maps to the same name (critical ≥ 9.0, high 7.0–8.9, medium
// 4.0–6.9, low 0.1–3.9). Info rules get none: they are notes about the
// input, not vulnerabilities, and GitHub then ranks them by level.
func securitySeverity(s rules.Severity) string {
	switch s {
	case rules.Critical:
		return "9.5"
	case rules.High:
		return "8.0"
	case rules.Medium:
		return "5.5"
	case rules.Low:
		return "3.0"
	}
	return ""
}

// problemSeverity is the non-security severity GitHub shows for alerts
// without a security-severity.
func problemSeverity(s rules.Severity) string {
	switch {
	case s >= rules.High:
		return "error"
	case s == rules.Medium:
		return "warning"
	}
	return "recommendation"
}

// precision says how often a rule's findings are real. Credential and
// usage rules read facts from AWS (the credential report); policy rules
// judge documents and can miss context the account has elsewhere.
func precision(family string) string {
	switch family {
	case rules.FamilyCredentials, rules.FamilyUnused:
		return "very-high"
	case rules.FamilyInput:
		return "medium"
	}
	return "high"
}

// sarifResultWriter writes results straight to bytes, in the shape and
// order go-sarif's Result encodes to (the test holds the two side by
// side): encoding 25,000 of those structs through encoding/json's
// reflection was most of the SARIF writer's time. The parts that are
// rare or shared (an artifact location, once per file; suppressions)
// are still encoded from go-sarif's types.
type sarifResultWriter struct {
	files     *sarifFiles
	index     map[string]int
	artifacts map[*sarif.ArtifactLocation][]byte
}

// append appends f's result to dst, followed by a newline as
// json.Encoder writes it.
func (w *sarifResultWriter) append(dst []byte, f *rules.Finding) ([]byte, error) {
	at := w.files.place(f.Location)
	al := w.files.artifact(at)
	art, ok := w.artifacts[al]
	if !ok {
		var err error
		if art, err = json.Marshal(al); err != nil {
			return nil, err
		}
		w.artifacts[al] = art
	}
	dst = append(dst, `{"partialFingerprints":{`...)
	dst = appendJSONString(dst, FingerprintKey)
	dst = append(dst, ':')
	dst = appendJSONString(dst, f.Fingerprint)
	dst = append(dst, `},"attachments":[],"codeFlows":[],"fixes":[],"graphTraversals":[],"graphs":[],"kind":"fail","level":`...)
	dst = appendJSONString(dst, sarifLevel(f.Severity))
	dst = append(dst, `,"locations":[{"annotations":[],"id":-1,"logicalLocations":[`...)
	if f.Resource != "" {
		dst = append(dst, `{"fullyQualifiedName":`...)
		dst = appendJSONString(dst, f.Resource)
		dst = append(dst, `,"index":-1,"kind":"resource","name":`...)
		dst = appendJSONString(dst, shortName(f.Resource))
		dst = append(dst, `,"parentIndex":-1}`...)
	}
	dst = append(dst, `],"physicalLocation":{"artifactLocation":`...)
	dst = append(dst, art...)
	if at.File != "" && at.Line > 0 {
		dst = append(dst, `,"region":{"byteOffset":-1,"charOffset":-1`...)
		for _, field := range [...]struct {
			name string
			v    int
		}{{`,"endColumn":`, at.EndCol}, {`,"endLine":`, at.EndLine}, {`,"startColumn":`, at.Col}} {
			if field.v > 0 {
				dst = append(dst, field.name...)
				dst = strconv.AppendInt(dst, int64(field.v), 10)
			}
		}
		dst = append(dst, `,"startLine":`...)
		dst = strconv.AppendInt(dst, int64(at.Line), 10)
		dst = append(dst, '}')
	}
	dst = append(dst, `},"relationships":[]}],"message":{"arguments":[],"text":`...)
	dst = appendJSONString(dst, f.Message)
	dst = append(dst, `},"rank":-1,"relatedLocations":[],"ruleId":`...)
	dst = appendJSONString(dst, f.RuleID)
	dst = append(dst, `,"ruleIndex":`...)
	dst = strconv.AppendInt(dst, int64(w.index[f.RuleID]), 10)
	dst = append(dst, `,"stacks":[]`...)
	if sup := suppressions(f.Suppression); sup != nil {
		b, err := json.Marshal(sup)
		if err != nil {
			return nil, err
		}
		dst = append(dst, `,"suppressions":`...)
		dst = append(dst, b...)
	}
	// No per-result property bag: GitHub ignores it, and at 25,000
	// results it was a third of the encoding time. The JSON report has
	// every field.
	return append(dst, `,"taxa":[]}`+"\n"...), nil
}

func suppressions(s *rules.Suppression) []*sarif.Suppression {
	if s == nil {
		return nil
	}
	sup := sarif.NewSuppression().WithKind("external").WithStatus("accepted").WithJustification(s.Reason)
	sp := sarif.NewPropertyBag()
	if s.Source != "" {
		sp.Add("source", s.Source)
	}
	if !s.Expires.IsZero() {
		sp.Add("expires", s.Expires.UTC().Format(time.RFC3339))
	}
	if len(sp.Properties) > 0 {
		sup.Properties = sp
	}
	return []*sarif.Suppression{sup}
}

// sarifFiles turns a finding's file into an artifact location, once per
// file.
type sarifFiles struct {
	root     string
	fallback string
	anchors  map[string]policy.Location
	inputs   map[string]bool
	cache    map[string]*sarif.ArtifactLocation
}

// place is where SARIF shows a location: the location itself, except that
// one in a file that is not an input and has no line (an embedded AWS
// managed policy, "aws-managed:NAME") moves to its anchor in the input
// (Report.Anchors), where the account attaches the policy.
func (f *sarifFiles) place(l policy.Location) policy.Location {
	if l.Line <= 0 && l.File != "" && !f.inputs[l.File] {
		if a, ok := f.anchors[l.File]; ok {
			return a
		}
	}
	return l
}

func newSARIFFiles(r *Report) *sarifFiles {
	f := &sarifFiles{root: r.Scan.SourceRoot, fallback: fallbackFile(r), anchors: r.Anchors, inputs: map[string]bool{}, cache: map[string]*sarif.ArtifactLocation{}}
	for _, in := range r.Scan.Inputs {
		f.inputs[in.Path] = true
	}
	return f
}

// artifact is where GitHub shows a finding. A location without a line
// that names no input file (an account-level fact, or a policy from
// iamscan's embedded AWS managed set, "aws-managed:NAME") is not a file
// anyone can open, so it points at the scan's first input instead.
func (f *sarifFiles) artifact(l policy.Location) *sarif.ArtifactLocation {
	file := l.File
	if file == "" || (l.Line <= 0 && !f.inputs[file]) {
		file = f.fallback
	}
	al, ok := f.cache[file]
	if !ok {
		al = artifact(file, f.root)
		f.cache[file] = al
	}
	return al
}

// shortName is the last segment of an ARN ("role/path/Name" → "Name").
func shortName(arn string) string {
	if i := strings.LastIndexAny(arn, "/:"); i >= 0 && i < len(arn)-1 {
		return arn[i+1:]
	}
	return arn
}

// physical turns a Location into a SARIF physical location: GitHub needs
// a file for every result; a region is given only when the line is known.
func (f *sarifFiles) physical(l policy.Location) *sarif.PhysicalLocation {
	l = f.place(l)
	return &sarif.PhysicalLocation{ArtifactLocation: f.artifact(l), Region: region(l)}
}

func region(l policy.Location) *sarif.Region {
	reg, ints := new(sarif.Region), new([4]int)
	if !fillRegion(reg, ints, l) {
		return nil
	}
	return reg
}

// fillRegion sets reg (pointing into ints) to l's span, and reports
// whether l has one: a region is written only when the line is known.
func fillRegion(reg *sarif.Region, ints *[4]int, l policy.Location) bool {
	if l.File == "" || l.Line <= 0 {
		return false
	}
	*ints = [4]int{l.Line, l.Col, l.EndLine, l.EndCol}
	*reg = sarif.Region{ByteOffset: -1, CharOffset: -1, StartLine: &ints[0]}
	if l.Col > 0 {
		reg.StartColumn = &ints[1]
	}
	if l.EndLine > 0 {
		reg.EndLine = &ints[2]
	}
	if l.EndCol > 0 {
		reg.EndColumn = &ints[3]
	}
	return true
}

// artifact makes an artifactLocation: relative to %SRCROOT% when the
// path is relative or inside the source root, else an absolute file URI.
func artifact(path, root string) *sarif.ArtifactLocation {
	al := sarif.NewArtifactLocation()
	if root != "" && !filepath.IsAbs(path) {
		// The scan read a relative path from the working directory, which
		// need not be the source root (--source-root elsewhere, or an
		// argument like ../x.json): compare both as absolute paths.
		if abs, err := filepath.Abs(path); err == nil {
			path = abs
		}
	}
	if filepath.IsAbs(path) {
		if root != "" {
			if abs, err := filepath.Abs(root); err == nil {
				root = abs
			}
			if rel, err := filepath.Rel(root, path); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
				al.URI = ptr((&url.URL{Path: filepath.ToSlash(rel)}).String())
				al.URIBaseID = ptr(srcRoot)
				return al
			}
		}
		al.URI = ptr((&url.URL{Scheme: "file", Path: filepath.ToSlash(path)}).String())
		return al
	}
	al.URI = ptr((&url.URL{Path: filepath.ToSlash(filepath.Clean(path))}).String())
	al.URIBaseID = ptr(srcRoot)
	return al
}

// fallbackFile is where findings without a file point: the first input,
// or a name for the account when the scan read no file (a live scan that
// kept no raw document).
func fallbackFile(r *Report) string {
	if len(r.Scan.Inputs) > 0 {
		return r.Scan.Inputs[0].Path
	}
	return "aws-account-" + orUnknown(r.Scan.AccountID)
}

func orUnknown(s string) string {
	if s == "" {
		return "unknown"
	}
	return s
}

// automationID is the run's category: one per account, so scans of
// several accounts uploaded to one repository do not close each other's
// alerts. The trailing slash leaves the run id empty.
func automationID(r *Report) string {
	p := r.Scan.Partition
	if p == "" {
		p = "aws"
	}
	return "iamscan/" + p + "-" + orUnknown(r.Scan.AccountID) + "/"
}

// executionSuccessful is false when the scan is incomplete: a collection
// call failed or a rule could not run.
func executionSuccessful(r *Report) bool {
	if len(r.CollectionErrors) > 0 {
		return false
	}
	for _, rr := range r.Results {
		if rr.Status == rules.StatusError {
			return false
		}
	}
	return true
}

func notifications(r *Report, index map[string]int, cut bool, files *sarifFiles) []*sarif.Notification {
	var out []*sarif.Notification
	add := func(level, msg string) *sarif.Notification {
		n := sarif.NewNotification()
		n.Level = level
		n.Message = text(msg)
		out = append(out, n)
		return n
	}
	for _, p := range r.Problems {
		n := add(sarif.LevelWarning, "input problem: "+p.Message)
		n.Locations = append(n.Locations, sarif.NewLocationWithPhysicalLocation(files.physical(p.Loc)))
	}
	for _, e := range r.CollectionErrors {
		msg := fmt.Sprintf("collection error: %s: %s: %s%s", e.Operation, e.Code, e.Message, expectedText(e))
		if len(e.Missing) > 0 {
			parts := make([]string, len(e.Missing))
			for i, d := range e.Missing {
				parts[i] = string(d)
			}
			msg += " (missing " + strings.Join(parts, ", ") + ")"
		}
		add(sarif.LevelError, msg)
	}
	for _, rr := range r.resultsWith(rules.StatusError) {
		n := add(sarif.LevelError, "rule "+rr.RuleID+" could not run: "+rr.Reason)
		n.AssociatedRule = ruleRef(rr.RuleID, index)
	}
	for _, rr := range r.resultsWith(rules.StatusNotEvaluable) {
		n := add(sarif.LevelNote, "rule "+rr.RuleID+" not evaluable: "+rr.Reason)
		n.AssociatedRule = ruleRef(rr.RuleID, index)
	}
	for _, w := range r.Warnings {
		add(sarif.LevelWarning, w.Message)
	}
	if cut && !hasWarning(r, "sarif-truncated") {
		add(sarif.LevelWarning, sarifCutMessage(len(r.Findings)))
	}
	if out == nil {
		out = []*sarif.Notification{}
	}
	return out
}

func hasWarning(r *Report, code string) bool {
	for _, w := range r.Warnings {
		if w.Code == code {
			return true
		}
	}
	return false
}

func ruleRef(id string, index map[string]int) *sarif.ReportingDescriptorReference {
	ref := sarif.NewReportingDescriptorReference()
	ref.ID = ptr(id)
	if i, ok := index[id]; ok {
		ref.Index = i
	}
	return ref
}

func mstr(s string) *sarif.MultiformatMessageString {
	return &sarif.MultiformatMessageString{Text: ptr(s)}
}

func text(s string) *sarif.Message {
	return sarif.NewTextMessage(s)
}

func ptr[T any](v T) *T { return &v }
