// Command iamscan-bench measures a whole `iamscan scan` process against
// generated accounts and writes docs/PERFORMANCE.md.
//
// For each size it generates a deterministic account (internal/accountgen),
// then, N times each and in the same run: the floor (decoding the account's
// JSON into generic Go values with encoding/json, in a child process) and a
// full scan with every built-in rule and every report format. It reports the
// median wall time and peak RSS of each, their ratio, and the scan's split
// into load, engine, Go rules, Rego rules and reports (from `scan --timings`).
//
//	go run ./cmd/iamscan-bench -sizes small,large,quota -runs 5 -write docs/PERFORMANCE.md
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/iamscan/iamscan/internal/accountgen"
)

func main() {
	if len(os.Args) == 3 && os.Args[1] == "-floor" {
		os.Exit(floor(os.Args[2]))
	}
	os.Exit(run())
}

// floor decodes one file into generic values and prints the decode time.
func floor(path string) int {
	start := time.Now()
	data, err := os.ReadFile(path)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	fmt.Println(time.Since(start).Nanoseconds())
	return 0
}

type measurement struct {
	wall   time.Duration
	rssKiB int64
	phases map[string]time.Duration
}

type row struct {
	size           accountgen.Size
	inputMB        float64
	findings       int
	floor, scan    measurement // medians
	goOnly         measurement // median of the scans with the Rego rules disabled
	phaseMedianMap map[string]time.Duration
}

func run() int {
	sizes := flag.String("sizes", "small,large,quota", "comma-separated sizes to measure")
	runs := flag.Int("runs", 5, "runs per measurement; the median is reported")
	write := flag.String("write", "", "write the results into this Markdown file (docs/PERFORMANCE.md)")
	cache := flag.String("cache", filepath.Join(os.TempDir(), "iamscan-bench"), "directory for generated accounts and binaries")
	managed := flag.String("managed", "../shared/data/aws-managed-policies/managed-policies.json", "AWS managed policy documents to attach (skipped when absent)")
	flag.Parse()

	if err := os.MkdirAll(*cache, 0o755); err != nil {
		return fail(err)
	}
	bin := filepath.Join(*cache, "iamscan")
	if out, err := exec.Command("go", "build", "-o", bin, "./cmd/iamscan").CombinedOutput(); err != nil {
		return fail(fmt.Errorf("go build ./cmd/iamscan: %v\n%s", err, out))
	}
	self, err := os.Executable()
	if err != nil {
		return fail(err)
	}
	var awsManaged []accountgen.AWSManagedPolicy
	if _, err := os.Stat(*managed); err == nil {
		if awsManaged, err = accountgen.LoadAWSManaged(*managed); err != nil {
			return fail(err)
		}
	}

	goOnlyConfig, err := writeGoOnlyConfig(bin, *cache)
	if err != nil {
		return fail(err)
	}

	var rows []row
	for _, name := range strings.Split(*sizes, ",") {
		size, ok := accountgen.SizeByName(name)
		if !ok {
			return fail(fmt.Errorf("unknown size %q", name))
		}
		authz, report, err := accountgen.Cached(*cache, accountgen.Options{Size: size, Seed: 1, AWSManaged: awsManaged})
		if err != nil {
			return fail(err)
		}
		dir := filepath.Dir(authz)
		st, err := os.Stat(authz)
		if err != nil {
			return fail(err)
		}
		r := row{size: size, inputMB: float64(st.Size()) / 1e6, phaseMedianMap: map[string]time.Duration{}}
		var floors, scans, goOnlyScans []measurement
		for i := 0; i < *runs; i++ {
			fm, err := measure(self, []string{"-floor", authz}, nil)
			if err != nil {
				return fail(fmt.Errorf("floor: %w", err))
			}
			floors = append(floors, fm)
			out := filepath.Join(dir, "out")
			timings := filepath.Join(dir, "timings.json")
			sm, err := measure(bin, []string{"scan", "--as-of", "2026-11-01", "--out", out,
				"--format", "json,sarif,html,csv,markdown", "--fail-on", "none", "--quiet",
				"--timings", timings, authz, report}, nil)
			if err != nil {
				return fail(fmt.Errorf("scan: %w", err))
			}
			sm.phases, r.findings, err = readTimings(timings)
			if err != nil {
				return fail(err)
			}
			scans = append(scans, sm)
			gm, err := measure(bin, []string{"scan", "--as-of", "2026-11-01", "--out", out,
				"--format", "json,sarif,html,csv,markdown", "--fail-on", "none", "--quiet",
				"--config", goOnlyConfig, authz, report}, nil)
			if err != nil {
				return fail(fmt.Errorf("scan with Go rules only: %w", err))
			}
			goOnlyScans = append(goOnlyScans, gm)
			fmt.Fprintf(os.Stderr, "%s run %d: floor %v (%d MiB), scan %v (%d MiB), Go rules only %v\n", name, i+1,
				fm.wall.Round(time.Millisecond), fm.rssKiB/1024, sm.wall.Round(time.Millisecond), sm.rssKiB/1024,
				gm.wall.Round(time.Millisecond))
		}
		r.floor, r.scan, r.goOnly = median(floors), median(scans), median(goOnlyScans)
		for _, phase := range phaseNames {
			var ds []time.Duration
			for _, m := range scans {
				ds = append(ds, m.phases[phase])
			}
			r.phaseMedianMap[phase] = medianDuration(ds)
		}
		rows = append(rows, r)
	}
	table := render(rows, *runs)
	fmt.Print(table)
	if *write != "" {
		if err := writeSection(*write, table); err != nil {
			return fail(err)
		}
	}
	return 0
}

// writeGoOnlyConfig writes a configuration that disables every built-in
// Rego rule, so that the cost Rego adds to a scan can be measured as the
// difference between two whole scans.
func writeGoOnlyConfig(bin, dir string) (string, error) {
	out, err := exec.Command(bin, "rules", "--format", "json").Output()
	if err != nil {
		return "", fmt.Errorf("%s rules --format json: %w", bin, err)
	}
	var list []struct {
		ID     string `json:"id"`
		Engine string `json:"engine"`
	}
	if err := json.Unmarshal(out, &list); err != nil {
		return "", fmt.Errorf("%s rules --format json: %w", bin, err)
	}
	var b strings.Builder
	b.WriteString("# Written by iamscan-bench: every Rego rule off.\nrules:\n")
	disabled := 0
	for _, r := range list {
		if r.Engine == "rego" {
			fmt.Fprintf(&b, "  %s: {enabled: false}\n", r.ID)
			disabled++
		}
	}
	if disabled == 0 {
		return "", fmt.Errorf("%s rules lists no Rego rule", bin)
	}
	path := filepath.Join(dir, "go-rules-only.yaml")
	return path, os.WriteFile(path, []byte(b.String()), 0o644)
}

var phaseNames = []string{"setup", "load", "engine", "go-rules", "rego", "reports"}

// measure runs a command and returns its wall time and peak RSS. For the
// floor, the wall time is the decode time the child prints.
func measure(bin string, args []string, env []string) (measurement, error) {
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), env...)
	cmd.Stderr = os.Stderr
	start := time.Now()
	out, err := cmd.Output()
	wall := time.Since(start)
	if err != nil {
		return measurement{}, fmt.Errorf("%s %s: %w", bin, strings.Join(args, " "), err)
	}
	m := measurement{wall: wall}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		m.rssKiB = ru.Maxrss
	}
	if args[0] == "-floor" {
		var ns int64
		if _, err := fmt.Sscan(string(out), &ns); err != nil {
			return m, fmt.Errorf("floor printed %q", out)
		}
		m.wall = time.Duration(ns)
	}
	return m, nil
}

func readTimings(path string) (map[string]time.Duration, int, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, 0, err
	}
	var t struct {
		Phases   map[string]float64 `json:"phasesMs"`
		Findings int                `json:"findings"`
	}
	if err := json.Unmarshal(data, &t); err != nil {
		return nil, 0, fmt.Errorf("%s: %w", path, err)
	}
	out := map[string]time.Duration{}
	for k, ms := range t.Phases {
		out[k] = time.Duration(ms * float64(time.Millisecond))
	}
	return out, t.Findings, nil
}

func median(ms []measurement) measurement {
	walls := make([]time.Duration, len(ms))
	rss := make([]int64, len(ms))
	for i, m := range ms {
		walls[i], rss[i] = m.wall, m.rssKiB
	}
	slices.Sort(rss)
	return measurement{wall: medianDuration(walls), rssKiB: rss[len(rss)/2]}
}

func medianDuration(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

func render(rows []row, runs int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Measured %s on %s, %d cores, %s; median of %d runs.\n\n",
		time.Now().UTC().Format("2006-01-02"), cpuModel(), runtime.NumCPU(), runtime.Version(), runs)
	b.WriteString("| size | users / roles / policies / groups | input | findings | floor (encoding/json) | floor RSS | scan (all rules, all reports) | scan RSS | scan / floor |\n")
	b.WriteString("|---|---|---|---|---|---|---|---|---|\n")
	for _, r := range rows {
		fmt.Fprintf(&b, "| %s | %d / %d / %d / %d | %.1f MB | %d | %s | %d MiB | %s | %d MiB | %.2fx |\n",
			r.size.Name, r.size.Users, r.size.Roles, r.size.Policies, r.size.Groups, r.inputMB, r.findings,
			ms(r.floor.wall), r.floor.rssKiB/1024, ms(r.scan.wall), r.scan.rssKiB/1024,
			float64(r.scan.wall)/float64(r.floor.wall))
	}
	b.WriteString("\nWhat the Rego rules add (the same scan with every Rego rule disabled in a config file):\n\n")
	b.WriteString("| size | scan, Go rules only | scan, all rules | Rego adds |\n|---|---|---|---|\n")
	for _, r := range rows {
		fmt.Fprintf(&b, "| %s | %s | %s | %+.0f%% |\n", r.size.Name, ms(r.goOnly.wall), ms(r.scan.wall),
			100*(float64(r.scan.wall)/float64(r.goOnly.wall)-1))
	}
	b.WriteString("\nWhere a scan's time goes (medians; the whole process also includes start-up and writing files):\n\n")
	b.WriteString("| size | setup (rules, config) | load | engine (effective permissions) | Go rules | Rego rules | reports |\n|---|---|---|---|---|---|---|\n")
	for _, r := range rows {
		fmt.Fprintf(&b, "| %s |", r.size.Name)
		for _, p := range phaseNames {
			fmt.Fprintf(&b, " %s |", ms(r.phaseMedianMap[p]))
		}
		b.WriteString("\n")
	}
	if len(rows) >= 2 {
		a, z := rows[len(rows)-2], rows[len(rows)-1]
		fmt.Fprintf(&b, "\nGrowth from %s to %s: input x%.1f, scan time x%.1f.\n",
			a.size.Name, z.size.Name, z.inputMB/a.inputMB, float64(z.scan.wall)/float64(a.scan.wall))
	}
	return b.String()
}

func ms(d time.Duration) string { return fmt.Sprintf("%d ms", d.Milliseconds()) }

func cpuModel() string {
	data, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return runtime.GOARCH
	}
	for _, line := range strings.Split(string(data), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return runtime.GOARCH
}

// writeSection replaces the text between the results markers of the
// Markdown file, keeping the hand-written method around it.
func writeSection(path, table string) error {
	const begin, end = "<!-- results:begin -->", "<!-- results:end -->"
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	s := string(data)
	i, j := strings.Index(s, begin), strings.Index(s, end)
	if i < 0 || j < i {
		return fmt.Errorf("%s: no %s ... %s markers", path, begin, end)
	}
	s = s[:i+len(begin)] + "\n" + table + s[j:]
	return os.WriteFile(path, []byte(s), 0o644)
}

func fail(err error) int {
	fmt.Fprintln(os.Stderr, "iamscan-bench:", err)
	return 1
}
