package main

import (
	"flag"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestParseArgs(t *testing.T) {
	tests := []struct {
		args    []string
		rest    []string
		out     string
		quiet   bool
		wantErr string
	}{
		{args: []string{"a.json", "--quiet"}, rest: []string{"a.json"}, quiet: true},
		{args: []string{"a.json", "--out", "dir", "b.json"}, rest: []string{"a.json", "b.json"}, out: "dir"},
		{args: []string{"a.json", "-out=dir", "b.json", "-quiet"}, rest: []string{"a.json", "b.json"}, out: "dir", quiet: true},
		// A value flag takes the next argument, even one that looks like a flag.
		{args: []string{"--out", "--quiet", "a.json"}, rest: []string{"a.json"}, out: "--quiet"},
		// "--" ends the flags; a lone "-" is an argument.
		{args: []string{"--quiet", "--", "-x.json", "--out"}, rest: []string{"-x.json", "--out"}, quiet: true},
		{args: []string{"-", "--quiet"}, rest: []string{"-"}, quiet: true},
		{args: []string{"a.json", "--quiet=false"}, rest: []string{"a.json"}},
		{args: []string{"a.json", "--nope"}, wantErr: "flag provided but not defined: -nope"},
		{args: []string{"a.json", "--out"}, wantErr: "flag needs an argument: -out"},
		{args: nil, rest: nil},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			fs := flag.NewFlagSet("x", flag.ContinueOnError)
			fs.SetOutput(io.Discard)
			out := fs.String("out", "", "")
			quiet := fs.Bool("quiet", false, "")
			rest, err := parseArgs(fs, tt.args)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(rest, tt.rest) || *out != tt.out || *quiet != tt.quiet {
				t.Errorf("rest %q out %q quiet %v; want %q %q %v", rest, *out, *quiet, tt.rest, tt.out, tt.quiet)
			}
		})
	}
}

// Flags may follow the paths on every subcommand that takes arguments.
func TestFlagsAfterArguments(t *testing.T) {
	input := writeInput(t, "authz.json", account)
	out := t.TempDir()
	code, stdout, stderr := runCLI(t, "scan", input, "--quiet", "--out", out, "--format", "json", "--as-of", "2026-11-01")
	if code != exitOK || stdout != "" || strings.Contains(stderr, "no such file") {
		t.Fatalf("scan PATH --quiet ...: exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	if _, err := os.Stat(filepath.Join(out, "iamscan.json")); err != nil {
		t.Errorf("--out after the path was not applied: %v", err)
	}

	// After "--" a name that starts with "-" is a file.
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "-odd.json"), []byte(account), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	if code, _, stderr := runCLI(t, "scan", "--quiet", "--out", t.TempDir(), "--format", "json", "--", "-odd.json"); code != exitOK {
		t.Errorf("scan -- -odd.json: exit %d: %s", code, stderr)
	}

	code, _, stderr = runCLI(t, "explain", "IAM001", "--config", filepath.Join(dir, "none.yaml"))
	if code != exitUsage || !strings.Contains(stderr, "none.yaml") {
		t.Errorf("explain ID --config MISSING: exit %d, stderr %q (the flag after the id was not read)", code, stderr)
	}
	if code, stdout, stderr = runCLI(t, "explain", "iam001", "--rules-dir", ""); code != exitOK || !strings.Contains(stdout, "IAM001") {
		t.Errorf("explain ID --rules-dir '': exit %d\n%s%s", code, stdout, stderr)
	}
	if code, _, stderr = runCLI(t, "rules", "--format", "json", "stray"); code != exitUsage || !strings.Contains(stderr, `unexpected argument "stray"`) {
		t.Errorf("rules --format json stray: exit %d, stderr %q", code, stderr)
	}

	// can: the input and the context may follow PRINCIPAL ACTION RESOURCE.
	code, stdout, stderr = runCLI(t, "can", "user/alice", "iam:CreateUser", "*", "-i", input, "--context", "aws:MultiFactorAuthPresent=true")
	if code != exitOK || !strings.HasPrefix(stdout, "allowed") {
		t.Errorf("can PRINCIPAL ACTION RESOURCE -i INPUT: exit %d\n%s%s", code, stdout, stderr)
	}
	// expand: a pattern before a flag is a pattern, not the end of the flags.
	code, stdout, stderr = runCLI(t, "expand", "s3:GetObject", "--nope")
	if code != exitUsage || !strings.Contains(stderr, "-nope") {
		t.Errorf("expand PATTERN --nope: exit %d, the flag after the pattern was not read\n%s%s", code, stdout, stderr)
	}
}
