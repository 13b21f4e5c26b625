package report

import (
	"bytes"
	"encoding/csv"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/iamscan/iamscan/awsmanaged"
	"github.com/iamscan/iamscan/collector/offline"
	"github.com/iamscan/iamscan/fixtures"
	"github.com/iamscan/iamscan/rego"
	"github.com/iamscan/iamscan/rules"
)

// demoReport scans the embedded demo account with the built-in rules, Go
// and Rego, the way `iamscan scan --demo` does, so that every format is
// also tested on real rule metadata and real findings of both engines,
// not only the hand-made fixture.
func demoReport(t *testing.T) *Report {
	t.Helper()
	dir := t.TempDir()
	demo := fixtures.Demo()
	err := fs.WalkDir(demo, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(demo, path)
		if err != nil {
			return err
		}
		dst := filepath.Join(dir, filepath.FromSlash(path))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		return os.WriteFile(dst, data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	snap, err := offline.Load([]string{dir}, offline.Options{ResolveManaged: awsmanaged.Resolve})
	if err != nil {
		t.Fatal(err)
	}
	enabled := append(rules.Builtin(), rego.Builtin()...)
	if err := rules.Validate(enabled); err != nil {
		t.Fatal(err)
	}
	res := rules.Run(snap, enabled, rules.Options{AsOf: fixtures.DemoAsOf})
	metas := make([]rules.Meta, len(enabled))
	for i, r := range enabled {
		metas[i] = r.Meta
	}
	metas, _ = EffectiveRules(metas, nil)
	digest, err := RuleSetDigest(metas, nil)
	if err != nil {
		t.Fatal(err)
	}
	r := &Report{
		Tool: Tool{Name: "iamscan", Version: "0.1.0", InformationURI: "https://github.com/iamscan/iamscan",
			Data: []DataVersion{{Name: "aws-managed-policies", Version: awsmanaged.DataVersion()}}},
		Scan: Scan{AccountID: snap.AccountID, Partition: snap.Partition, CollectedAt: snap.CollectedAt,
			AsOf: fixtures.DemoAsOf, GeneratedAt: fixtures.DemoAsOf, WallTime: time.Second,
			Inputs: snap.Inputs, RuleSetDigest: digest, SourceRoot: dir},
		Rules: metas, Results: res.Rules, Findings: res.Findings,
		Problems: snap.Problems, CollectionErrors: snap.CollectionErrors,
	}
	if len(r.Findings) == 0 {
		t.Fatal("the demo account produced no findings; this test needs some")
	}
	for _, rr := range res.Rules {
		if rr.Status == rules.StatusError {
			t.Fatalf("rule %s could not run on the demo account: %s", rr.RuleID, rr.Reason)
		}
	}
	return r
}

func TestDemoScanReports(t *testing.T) {
	r := demoReport(t)

	sarifData := writeSARIF(t, r)
	validateSARIF(t, sarifData)
	run := parseSARIF(t, sarifData).Runs[0]
	if len(run.Results) != len(r.Findings) || len(run.Tool.Driver.Rules) != len(r.Rules) {
		t.Errorf("SARIF has %d results and %d rules, want %d and %d", len(run.Results), len(run.Tool.Driver.Rules), len(r.Findings), len(r.Rules))
	}
	for _, res := range run.Results {
		al := res.Locations[0].PhysicalLocation.ArtifactLocation
		if al.URIBaseID != srcRoot || strings.HasPrefix(al.URI, "file:") || strings.HasPrefix(al.URI, "/") {
			t.Errorf("%s: input under the source root is not relative to %%SRCROOT%%: %+v", res.RuleID, al)
		}
	}

	sch := compileSchema(t, reportSchemaPath())
	if err := validateBytes(sch, writeJSON(t, r)); err != nil {
		t.Errorf("demo JSON report does not match the schema: %v", err)
	}

	var csvOut bytes.Buffer
	if err := CSV(&csvOut, r); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&csvOut).ReadAll()
	if err != nil || len(rows) != len(r.Findings)+1 {
		t.Errorf("CSV: %d rows (err %v), want %d", len(rows), err, len(r.Findings)+1)
	}

	page := string(writeHTML(t, r))
	c := r.Count()
	if !strings.Contains(page, `id="count-open">`+strconv.Itoa(c.OpenTotal)+`<`) {
		t.Errorf("HTML does not show %d open findings", c.OpenTotal)
	}
	for _, w := range []func(*bytes.Buffer, *Report) error{
		func(b *bytes.Buffer, r *Report) error { return Markdown(b, r) },
		func(b *bytes.Buffer, r *Report) error { return Text(b, r) },
	} {
		var b bytes.Buffer
		if err := w(&b, r); err != nil || b.Len() == 0 {
			t.Errorf("summary format failed: %v", err)
		}
	}

	// Every CIS reference of a built-in rule lands in the matrix, on the
	// control it names.
	inMatrix := map[rules.CISRef][]string{}
	for _, m := range CISMatrix(r) {
		for _, row := range m.Controls {
			inMatrix[rules.CISRef{Benchmark: m.Benchmark, Control: row.ID}] = row.Rules
		}
	}
	refs := 0
	for _, m := range r.Rules {
		for _, ref := range m.CIS {
			refs++
			if !slices.Contains(inMatrix[ref], m.ID) {
				t.Errorf("%s maps to CIS %s %s but the matrix row lists %v", m.ID, ref.Benchmark, ref.Control, inMatrix[ref])
			}
		}
	}
	engines := map[string]int{}
	engine := map[string]string{}
	for _, m := range r.Rules {
		engine[m.ID] = m.Engine
	}
	for _, f := range r.Findings {
		engines[engine[f.RuleID]]++
	}
	if engines["go"] == 0 || engines["rego"] == 0 {
		t.Errorf("findings by engine %v: the demo report must carry findings of Go and Rego rules", engines)
	}
	t.Logf("demo: %d rules (%d CIS references), %d findings (%v by engine), %d input problems", len(r.Rules), refs, len(r.Findings), engines, len(r.Problems))
}
