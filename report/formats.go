package report

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
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
// report where a pipeline expects a whole one.
func WriteAll(outs []Output, r *Report, stdout io.Writer) error {
	// Files are written concurrently: the formats only read the report,
	// and on a large account each takes tens of milliseconds. Standard
	// output gets its reports one after the other, in the order given.
	errs := make([]error, len(outs))
	var wg sync.WaitGroup
	for i, o := range outs {
		if o.Path == Stdout {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = writeFile(o, r)
		}()
	}
	for i, o := range outs {
		if o.Path == Stdout {
			if err := Write(stdout, o.Format, r); err != nil {
				errs[i] = fmt.Errorf("%s report to standard output: %w", o.Format, err)
			}
		}
	}
	wg.Wait()
	return errors.Join(errs...)
}

func writeFile(o Output, r *Report) error {
	dir := filepath.Dir(o.Path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("%s report: %w", o.Format, err)
	}
	tmp, err := os.CreateTemp(dir, ".iamscan-*.tmp")
	if err != nil {
		return fmt.Errorf("%s report: %w", o.Format, err)
	}
	defer os.Remove(tmp.Name()) // no-op after a successful rename
	if err := Write(tmp, o.Format, r); err != nil {
		tmp.Close()
		return fmt.Errorf("%s report %s: %w", o.Format, o.Path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("%s report %s: %w", o.Format, o.Path, err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return fmt.Errorf("%s report %s: %w", o.Format, o.Path, err)
	}
	if err := os.Rename(tmp.Name(), o.Path); err != nil {
		return fmt.Errorf("%s report: %w", o.Format, err)
	}
	return nil
}
