package report

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
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
	if err := WriteAll(outs, r, &stdout); err != nil {
		t.Fatal(err)
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
	err := WriteAll([]Output{{FormatJSON, filepath.Join(blocker, "x.json")}}, fixtureReport(), &bytes.Buffer{})
	if err == nil || !strings.Contains(err.Error(), "json report") {
		t.Fatalf("err = %v, want an error naming the json report", err)
	}
}
