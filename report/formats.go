package report

import (
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
)

// Format names an output format.
type Format string

const (
	FormatSARIF    Format = "sarif"
	FormatJSON     Format = "json"
	FormatHTML     Format = "html"
	FormatCSV      Format = "csv"
	FormatMarkdown Format = "markdown"
	FormatText     Format = "text"
)

// formats lists every format with its file extension and writer, in the
// order `--help` prints them.
var formats = []struct {
	name    Format
	aliases []string
	ext     string
	write   func(io.Writer, *Report) error
}{
	{FormatSARIF, nil, "sarif", SARIF},
	{FormatJSON, nil, "json", JSON},
	{FormatHTML, nil, "html", HTML},
	{FormatCSV, nil, "csv", CSV},
	{FormatMarkdown, []string{"md"}, "md", Markdown},
	{FormatText, []string{"txt"}, "txt", Text},
}

// FormatNames lists the accepted format names, for usage messages.
func FormatNames() []string {
	out := make([]string, len(formats))
	for i, f := range formats {
		out[i] = string(f.name)
	}
	return out
}

// Output is one report to write: a format and where to.
type Output struct {
	Format Format
	// Path is a file path, or "-" for standard output.
	Path string
}

// Stdout is the Output.Path meaning standard output.
const Stdout = "-"

// ParseFormats reads a --format value: a comma-separated list of format
// names, each optionally followed by "=PATH". A bare name writes
// OUTDIR/iamscan.EXT; "-" as a path is standard output. Unknown formats,
// empty entries, two outputs to one file and two outputs to standard
// output are errors.
func ParseFormats(spec, outDir string) ([]Output, error) {
	var outs []Output
	seen := map[string]Format{}
	for item := range strings.SplitSeq(spec, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			return nil, fmt.Errorf("--format %q: empty entry", spec)
		}
		name, path, hasPath := strings.Cut(item, "=")
		f, ext, ok := lookupFormat(strings.TrimSpace(name))
		if !ok {
			return nil, fmt.Errorf("--format: unknown format %q (want one of %s)", name, strings.Join(FormatNames(), ", "))
		}
		path = strings.TrimSpace(path)
		switch {
		case hasPath && path == "":
			return nil, fmt.Errorf("--format: %q has an empty path", item)
		case !hasPath:
			path = filepath.Join(outDir, "iamscan."+ext)
		}
		key := path
		if path != Stdout {
			key = filepath.Clean(path)
		}
		if prev, dup := seen[key]; dup {
			if path == Stdout {
				return nil, fmt.Errorf("--format: %s and %s both write to standard output", prev, f)
			}
			return nil, fmt.Errorf("--format: %s and %s both write to %s", prev, f, key)
		}
		seen[key] = f
		outs = append(outs, Output{Format: f, Path: path})
	}
	return outs, nil
}

func lookupFormat(name string) (Format, string, bool) {
	name = strings.ToLower(name)
	for _, f := range formats {
		if string(f.name) == name {
			return f.name, f.ext, true
		}
		for _, a := range f.aliases {
			if a == name {
				return f.name, f.ext, true
			}
		}
	}
	return "", "", false
}

// Write writes one format.
func Write(w io.Writer, f Format, r *Report) error {
	for _, ff := range formats {
		if ff.name == f {
			return ff.write(w, r)
		}
	}
	return fmt.Errorf("unknown report format %q", f)
}

// WriteAll writes every output: files are written next to their final
// name and renamed into place, so a failed scan never leaves half a
// report where a pipeline expects a whole one. It returns warnings about
// what it wrote: a SARIF report too large for GitHub code scanning to
// accept (see MaxSARIFGzipBytes). The caller shows them; the reports are
// written by then and cannot carry them.
func WriteAll(outs []Output, r *Report, stdout io.Writer) ([]Warning, error) {
	// Files are written concurrently: the formats only read the report,
	// and on a large account each takes tens of milliseconds. Standard
	// output gets its reports one after the other, in the order given.
	errs := make([]error, len(outs))
	warns := make([]*Warning, len(outs))
	var wg sync.WaitGroup
	for i, o := range outs {
		if o.Path == Stdout {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			warns[i], errs[i] = writeFile(o, r)
		}()
	}
	for i, o := range outs {
		if o.Path == Stdout {
			var err error
			if warns[i], err = writeChecked(stdout, o, r); err != nil {
				errs[i] = fmt.Errorf("%s report to standard output: %w", o.Format, err)
			}
		}
	}
	wg.Wait()
	var out []Warning
	for _, w := range warns {
		if w != nil {
			out = append(out, *w)
		}
	}
	return out, errors.Join(errs...)
}

// MaxSARIFGzipBytes is GitHub code scanning's limit on a SARIF upload:
// 10 MB gzipped, read as 10,000,000 bytes (the stricter reading).
const MaxSARIFGzipBytes = 10_000_000

// sarifGzipLimit is MaxSARIFGzipBytes; tests lower it.
var sarifGzipLimit int64 = MaxSARIFGzipBytes

// writeChecked writes one output. A SARIF report is also measured on the
// side, as GitHub's upload will gzip it, without reading the file back:
// its raw size is counted and its first sarifSampleBytes are gzipped to
// estimate the compression ratio (SARIF repeats itself evenly: a quota
// account's 22 MB report gzips to 1.0 MB, and its first megabyte to 64 KB
// at the fastest level). A report whose raw size, or twice its estimate,
// is under the limit passes; only one that comes that close is gzipped in
// full again at the default level, the one the upload uses, to decide
// and to name the size. Gzipping every report in full cost a tenth of
// the whole report phase's CPU time.
func writeChecked(w io.Writer, o Output, r *Report) (*Warning, error) {
	if o.Format != FormatSARIF {
		return nil, Write(w, o.Format, r)
	}
	sample, err := newSizeSample()
	if err != nil {
		return nil, err
	}
	if err := SARIF(io.MultiWriter(w, sample), r); err != nil {
		return nil, err
	}
	estimate, err := sample.estimate()
	if err != nil || sample.total <= sarifGzipLimit || 2*estimate <= sarifGzipLimit {
		return nil, err
	}
	size, err := gzipSize(gzip.DefaultCompression, func(gz io.Writer) error { return SARIF(gz, r) })
	if err != nil || size <= sarifGzipLimit {
		return nil, err
	}
	where := o.Path
	if where == Stdout {
		where = "on standard output"
	}
	return &Warning{Code: "sarif-too-large", Message: fmt.Sprintf(
		"SARIF report %s is %s gzipped, over GitHub code scanning's limit of %s gzipped (%d bytes): the upload will be rejected; leave known findings out with --baseline or suppressions, or disable rules that report the input itself (IAM090, IAM091)",
		where, megabytes(size), megabytes(sarifGzipLimit), sarifGzipLimit)}, nil
}

// sarifSampleBytes is how much of a SARIF report is gzipped to estimate
// the size of all of it.
const sarifSampleBytes = 1 << 20

// sizeSample counts what is written to it and gzips the first
// sarifSampleBytes at the fastest level.
type sizeSample struct {
	total, sampled int64
	compressed     byteCounter
	gz             *gzip.Writer
}

func newSizeSample() (*sizeSample, error) {
	s := &sizeSample{}
	gz, err := gzip.NewWriterLevel(&s.compressed, gzip.BestSpeed)
	s.gz = gz
	return s, err
}

func (s *sizeSample) Write(p []byte) (int, error) {
	s.total += int64(len(p))
	if rest := sarifSampleBytes - s.sampled; rest > 0 {
		q := p[:min(int64(len(p)), rest)]
		s.sampled += int64(len(q))
		if _, err := s.gz.Write(q); err != nil {
			return 0, err
		}
	}
	return len(p), nil
}

// estimate is the gzipped size of everything written, extrapolated from
// the sample's compression ratio.
func (s *sizeSample) estimate() (int64, error) {
	if err := s.gz.Close(); err != nil {
		return 0, err
	}
	if s.sampled == 0 {
		return int64(s.compressed), nil
	}
	return int64(float64(s.compressed) * float64(s.total) / float64(s.sampled)), nil
}

// gzipSize runs write with a writer that gzips at level and counts the
// compressed bytes.
func gzipSize(level int, write func(io.Writer) error) (int64, error) {
	var n byteCounter
	gz, err := gzip.NewWriterLevel(&n, level)
	if err != nil {
		return 0, err
	}
	if err := write(gz); err != nil {
		return 0, err
	}
	if err := gz.Close(); err != nil {
		return 0, err
	}
	return int64(n), nil
}

type byteCounter int64

func (c *byteCounter) Write(p []byte) (int, error) {
	*c += byteCounter(len(p))
	return len(p), nil
}

// megabytes writes a byte count in decimal megabytes, as GitHub states
// its limit: "10.4 MB".
func megabytes(n int64) string {
	return strconv.FormatFloat(float64(n)/1e6, 'f', 1, 64) + " MB"
}

func writeFile(o Output, r *Report) (*Warning, error) {
	dir := filepath.Dir(o.Path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("%s report: %w", o.Format, err)
	}
	tmp, err := os.CreateTemp(dir, ".iamscan-*.tmp")
	if err != nil {
		return nil, fmt.Errorf("%s report: %w", o.Format, err)
	}
	defer os.Remove(tmp.Name()) // no-op after a successful rename
	warn, err := writeChecked(tmp, o, r)
	if err != nil {
		tmp.Close()
		return nil, fmt.Errorf("%s report %s: %w", o.Format, o.Path, err)
	}
	if err := tmp.Close(); err != nil {
		return nil, fmt.Errorf("%s report %s: %w", o.Format, o.Path, err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return nil, fmt.Errorf("%s report %s: %w", o.Format, o.Path, err)
	}
	if err := os.Rename(tmp.Name(), o.Path); err != nil {
		return nil, fmt.Errorf("%s report: %w", o.Format, err)
	}
	return warn, nil
}
