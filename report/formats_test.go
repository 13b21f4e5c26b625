package report

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

func TestParseFormats(t *testing.T) {
	dir := filepath.Join("out", "dir")
	tests := []struct {
		spec    string
		want    []Output
		wantErr string
	}{
		{spec: "sarif", want: []Output{{FormatSARIF, filepath.Join(dir, "iamscan.sarif")}}},
		{spec: "sarif=out.sarif,csv,json=-", want: []Output{
			{FormatSARIF, "out.sarif"}, {FormatCSV, filepath.Join(dir, "iamscan.csv")}, {FormatJSON, "-"}}},
		{spec: " csv , md , txt=- ", want: []Output{
			{FormatCSV, filepath.Join(dir, "iamscan.csv")}, {FormatMarkdown, filepath.Join(dir, "iamscan.md")}, {FormatText, "-"}}},
		{spec: "JSON=a=b.json", want: []Output{{FormatJSON, "a=b.json"}}},
		{spec: "xml", wantErr: `unknown format "xml"`},
		{spec: "sarif,,json", wantErr: "empty entry"},
		{spec: "", wantErr: "empty entry"},
		{spec: "sarif=", wantErr: "empty path"},
		{spec: "json=-,text=-", wantErr: "both write to standard output"},
		{spec: "json=r.out,csv=./r.out", wantErr: "both write to r.out"},
		{spec: "json,json", wantErr: "both write to"},
	}
	for _, tt := range tests {
		t.Run(tt.spec, func(t *testing.T) {
			got, err := ParseFormats(tt.spec, dir)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestWriteAll(t *testing.T) {
	dir := t.TempDir()
	outs, err := ParseFormats("json,csv=-,md="+filepath.Join(dir, "sub", "summary.md"), dir)
	if err != nil {
		t.Fatal(err)
	}
	r := fixtureReport()
	var stdout bytes.Buffer
	if warns, err := WriteAll(outs, r, &stdout); err != nil || len(warns) > 0 {
		t.Fatal(warns, err)
	}
	var wantCSV, wantJSON, wantMD bytes.Buffer
	CSV(&wantCSV, r)
	JSON(&wantJSON, r)
	Markdown(&wantMD, r)
	if !bytes.Equal(stdout.Bytes(), wantCSV.Bytes()) {
		t.Error("standard output is not the CSV report")
	}
	for path, want := range map[string][]byte{
		filepath.Join(dir, "iamscan.json"):      wantJSON.Bytes(),
		filepath.Join(dir, "sub", "summary.md"): wantMD.Bytes(),
	} {
		got, err := os.ReadFile(path)
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s: err %v, content matches: %v", path, err, bytes.Equal(got, want))
		}
	}
	// No temporary files are left behind.
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".iamscan-") {
			t.Errorf("leftover temporary file %s", e.Name())
		}
	}
}

func TestWriteAllReportsUnwritablePath(t *testing.T) {
	dir := t.TempDir()
	blocker := filepath.Join(dir, "file")
	os.WriteFile(blocker, nil, 0o644)
	_, err := WriteAll([]Output{{FormatJSON, filepath.Join(blocker, "x.json")}}, fixtureReport(), &bytes.Buffer{})
	if err == nil || !strings.Contains(err.Error(), "json report") {
		t.Fatalf("err = %v, want an error naming the json report", err)
	}
}

// A SARIF report over GitHub's upload limit (10 MB gzipped) is written
// all the same, and WriteAll warns, naming the limit and the size the
// upload would have: the file's own size gzipped at the default level.
func TestWriteAllWarnsOfOversizedSARIF(t *testing.T) {
	r := fixtureReport()
	var plain bytes.Buffer
	if err := SARIF(&plain, r); err != nil {
		t.Fatal(err)
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(plain.Bytes())
	zw.Close()
	size := int64(gz.Len())

	dir := t.TempDir()
	outs := []Output{{FormatSARIF, filepath.Join(dir, "a.sarif")}, {FormatSARIF, Stdout}, {FormatJSON, filepath.Join(dir, "a.json")}}
	write := func() []Warning {
		t.Helper()
		var stdout bytes.Buffer
		warns, err := WriteAll(outs, r, &stdout)
		if err != nil {
			t.Fatal(err)
		}
		if file, _ := os.ReadFile(outs[0].Path); !bytes.Equal(file, plain.Bytes()) || !bytes.Equal(stdout.Bytes(), plain.Bytes()) {
			t.Error("the SARIF written is not the SARIF report")
		}
		return warns
	}
	if warns := write(); len(warns) != 0 {
		t.Fatalf("warnings at the real limit: %v", warns)
	}

	// Lower the limit to one byte less than the upload would be.
	defer func(old int64) { sarifGzipLimit = old }(sarifGzipLimit)
	sarifGzipLimit = size - 1
	warns := write()
	if len(warns) != 2 {
		t.Fatalf("%d warnings, want one per SARIF output: %v", len(warns), warns)
	}
	for i, where := range []string{outs[0].Path, "on standard output"} {
		w := warns[i]
		for _, want := range []string{"SARIF report " + where + " is " + megabytes(size) + " gzipped", "limit of " + megabytes(size-1) + " gzipped (" + strconv.FormatInt(size-1, 10) + " bytes)"} {
			if w.Code != "sarif-too-large" || !strings.Contains(w.Message, want) {
				t.Errorf("warning %q lacks %q", w.Message, want)
			}
		}
	}
	// Just at the limit the upload is accepted.
	sarifGzipLimit = size
	if warns := write(); len(warns) != 0 {
		t.Errorf("warned at exactly the limit: %v", warns)
	}
}

// The size estimate from a sample stays within a factor of two of the
// real gzipped size on SARIF-like text larger than the sample, which is
// the margin writeChecked relies on before skipping the exact count.
func TestSizeSampleEstimate(t *testing.T) {
	var text bytes.Buffer
	for i := 0; text.Len() < 5*sarifSampleBytes; i++ {
		fmt.Fprintf(&text, `{"ruleId":"IAM%03d","level":"warning","message":{"text":"role r-%d of path /p%d/ is flagged"},"partialFingerprints":{"iamscan/v1":"%024x"}},`+"\n", i%60, i, i%7, uint64(i)*2654435761)
	}
	sample, err := newSizeSample()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sample.Write(text.Bytes()); err != nil {
		t.Fatal(err)
	}
	estimate, err := sample.estimate()
	if err != nil {
		t.Fatal(err)
	}
	exact, err := gzipSize(gzip.DefaultCompression, func(w io.Writer) error { _, err := w.Write(text.Bytes()); return err })
	if err != nil {
		t.Fatal(err)
	}
	if sample.total != int64(text.Len()) || sample.sampled != sarifSampleBytes {
		t.Errorf("counted %d bytes, sampled %d; want %d and %d", sample.total, sample.sampled, text.Len(), sarifSampleBytes)
	}
	if ratio := float64(estimate) / float64(exact); ratio < 0.5 || ratio > 2 {
		t.Errorf("estimate %d is %.2f times the real gzipped size %d", estimate, ratio, exact)
	}
}
