package report

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/owenrumney/go-sarif/v3/pkg/report/v210/sarif"

	"github.com/iamscan/iamscan/policy"
	"github.com/iamscan/iamscan/rules"
)

// structResult is the result as go-sarif's types describe it, encoded
// through encoding/json: the reference sarifResultWriter must match byte
// for byte.
func structResult(files *sarifFiles, index map[string]int, f *rules.Finding) *sarif.Result {
	loc := sarif.NewLocation()
	at := files.place(f.Location)
	loc.PhysicalLocation = &sarif.PhysicalLocation{ArtifactLocation: files.artifact(at), Region: region(at)}
	if f.Resource != "" {
		ll := sarif.NewLogicalLocation()
		ll.Kind, ll.FullyQualifiedName, ll.Name = ptr("resource"), ptr(f.Resource), ptr(shortName(f.Resource))
		loc.LogicalLocations = []*sarif.LogicalLocation{ll}
	}
	res := sarif.NewResult()
	res.PartialFingerprints = map[string]string{FingerprintKey: f.Fingerprint}
	res.RuleID, res.RuleIndex, res.Level = ptr(f.RuleID), index[f.RuleID], sarifLevel(f.Severity)
	res.Message = sarif.NewMessage().WithText(f.Message)
	res.Locations = []*sarif.Location{loc}
	res.Suppressions = suppressions(f.Suppression)
	return res
}

func TestSARIFResultWriterMatchesStructs(t *testing.T) {
	r := fixtureReport()
	r.Findings = append(r.Findings, manyFindings(r, 300)...)
	hostile := "a\"b\\c<d>&e\u2028\u2029\x01\x7f\xff é 中 😀"
	r.Findings = append(r.Findings,
		rules.Finding{RuleID: "IAM999", Severity: rules.Info, Message: hostile, Fingerprint: hostile},
		rules.Finding{RuleID: "IAM024", Severity: rules.Medium, Resource: "arn:aws:iam::1:user/" + hostile, Message: "",
			Location: policy.Location{File: hostile, Line: 3}},
		rules.Finding{RuleID: "IAM030", Severity: rules.High, Resource: "noseparator",
			Location: policy.Location{File: "aws-managed:ReadOnlyAccess"}},
		rules.Finding{RuleID: "IAM001", Severity: rules.Critical, Resource: "arn:aws:iam::1:role/x",
			Location:    policy.Location{File: "fixtures/auth details.json", Line: 7, EndLine: 9},
			Suppression: &rules.Suppression{Reason: hostile}},
	)
	for _, root := range []string{"", "fixtures"} {
		r.Scan.SourceRoot = root
		index := map[string]int{"IAM001": 0, "IAM020": 1, "IAM024": 2, "IAM030": 3}
		files := newSARIFFiles(r)
		w := &sarifResultWriter{files: newSARIFFiles(r), index: index, artifacts: map[*sarif.ArtifactLocation][]byte{}}
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		for i := range r.Findings {
			f := &r.Findings[i]
			want.Reset()
			if err := enc.Encode(structResult(files, index, f)); err != nil {
				t.Fatal(err)
			}
			got, err := w.append(nil, f)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want.Bytes()) {
				t.Fatalf("finding %d (source root %q):\n got %s\nwant %s", i, root, got, want.Bytes())
			}
		}
	}
}
