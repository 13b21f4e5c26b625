// Package offline builds a snapshot from files. Each file's kind is
// detected from its content, so users can pass whatever they saved under
// whatever name:
//
//   - `aws iam get-account-authorization-details` output, with documents
//     as objects (CLI) or URL-encoded strings (raw API), one page, a
//     JSON list of pages, or pages in several files;
//   - the credential report, as CSV or as `aws iam get-credential-report`
//     JSON with base64 Content;
//   - `aws iam get-account-password-policy` and `get-account-summary`
//     output, and the CLI's NoSuchEntity error output (saved with 2>&1)
//     for an account without a password policy;
//   - a bare policy document (identity, trust or resource policy);
//   - iamscan's raw document (docs/raw-format.md), which holds all of the
//     above and what only the live collector sees.
//
// Input that is understood but wrong (unknown keys, wrong types,
// references to policies not in the input) becomes a snapshot Problem
// with file:line:col; input that cannot be read at all is an
// *InputError.
package offline

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"unicode/utf16"

	"github.com/iamscan/iamscan/jsonpos"
	"github.com/iamscan/iamscan/policy"
	"github.com/iamscan/iamscan/snapshot"
)

// Options tune Load. The zero value is valid.
type Options struct {
	// ResolveManaged returns the document of an AWS managed policy that
	// the input references but does not contain (iamscan embeds the AWS
	// managed policy set). Nil means none are resolved: such attachments
	// stay unresolved and are reported as Problems.
	ResolveManaged func(arn string) (*snapshot.ManagedPolicy, bool)
	// AccountID, when set, is the account the inputs belong to; otherwise
	// it comes from the raw document or from the ARNs in the inputs.
	AccountID string
}

// Input kinds recorded in snapshot.Input.Kind.
const (
	KindAuthorizationDetails = "authorization-details"
	KindCredentialReport     = "credential-report"
	KindPasswordPolicy       = "password-policy"
	KindAccountSummary       = "account-summary"
	KindPolicyDocument       = "policy-document"
	KindRaw                  = "iamscan-raw"
	// KindSkipped is a file found in an input directory and not read:
	// not a .json, .csv or .txt file, or a .txt file that holds no input.
	KindSkipped = "skipped"
)

// InputError is a file that could not be read at all: missing,
// unrecognized, or not well-formed. Line and Col are 0 when the error is
// about the whole file.
type InputError struct {
	Loc policy.Location
	Msg string
}

func (e *InputError) Error() string { return e.Loc.String() + ": " + e.Msg }

// Load reads every file in paths into one snapshot. A file named in
// paths is always read. Directories are walked recursively in name
// order, leaving out hidden files and directories (.git); there the
// extension decides, in any case (POLICY.JSON is read):
//
//   - .json and .csv files are read;
//   - .txt files are read when they hold an input (JSON, a credential
//     report or AWS CLI error output; `aws ... > report.txt` is common)
//     and skipped when they hold anything else, such as notes;
//   - every other file (README.md, a fixture's want file) is skipped.
//
// Skipped files are not dropped silently: each is listed in the
// snapshot's Inputs with Kind KindSkipped, after the files read.
//
// Input it cannot understand inside a recognized file (unknown keys,
// wrong types, unresolved policies) becomes a snapshot Problem. A file
// that is unreadable, unrecognized or malformed is an *InputError; Load
// reads all files anyway and returns every such error joined, with a nil
// snapshot.
func Load(paths []string, opt Options) (*snapshot.Snapshot, error) {
	files, errs := expand(paths)
	l := newLoader(opt)
	for _, f := range files {
		if f.mode == skipFile {
			if err := l.skip(f.path); err != nil {
				errs = append(errs, err)
			}
			continue
		}
		data, err := os.ReadFile(f.path)
		if err != nil {
			errs = append(errs, fileError(f.path, err))
			continue
		}
		if err := l.file(f.path, data, f.mode == readIfInput); err != nil {
			errs = append(errs, err)
		}
	}
	if len(l.snap.Inputs) == 0 && len(errs) == 0 {
		msg := "no input files (directories are searched for .json, .csv and .txt files)"
		if n := len(l.skipped); n > 0 {
			msg = fmt.Sprintf("no input files among the %d files found (directories are searched for .json, .csv and .txt files; a .txt file must hold an input)", n)
		}
		errs = append(errs, &InputError{Loc: policy.Location{File: strings.Join(paths, ", ")}, Msg: msg})
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return l.finish(), nil
}

// LoadBytes reads one in-memory input named name, as Load reads a file
// named in its paths.
// It serves tests, fuzzing and callers that already hold the bytes.
func LoadBytes(name string, data []byte, opt Options) (*snapshot.Snapshot, error) {
	l := newLoader(opt)
	if err := l.file(name, data, false); err != nil {
		return nil, err
	}
	return l.finish(), nil
}

// fileError is an InputError for a file system error; the path is in
// the location, so the message leaves it out.
func fileError(path string, err error) *InputError {
	msg := err.Error()
	if pe, ok := err.(*fs.PathError); ok {
		msg = pe.Err.Error()
	}
	return &InputError{Loc: policy.Location{File: path}, Msg: msg}
}

// readMode is how Load treats one file.
type readMode uint8

const (
	readFile    readMode = iota // an input: anything else in it is an error
	readIfInput                 // read when its content is an input, else skip it
	skipFile                    // record it as skipped, do not read it
)

type inputFile struct {
	path string
	mode readMode
}

// dirMode is how a file found by walking a directory is treated, by its
// extension in any case.
func dirMode(name string) readMode {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".json", ".csv":
		return readFile
	case ".txt":
		return readIfInput
	}
	return skipFile
}

// expand turns the arguments into a sorted, duplicate-free list of files.
func expand(paths []string) ([]inputFile, []error) {
	var files []inputFile
	var errs []error
	seen := map[string]bool{}
	add := func(f string, mode readMode) {
		if !seen[f] {
			seen[f] = true
			files = append(files, inputFile{f, mode})
		}
	}
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			errs = append(errs, fileError(p, err))
			continue
		}
		if !st.IsDir() {
			add(p, readFile)
			continue
		}
		var found []string
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				errs = append(errs, fileError(path, err))
				return nil
			}
			if path != p && strings.HasPrefix(d.Name(), ".") {
				if d.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
			switch {
			case d.IsDir():
			case d.Type().IsRegular() || d.Type()&fs.ModeSymlink != 0:
				found = append(found, path)
			default:
				errs = append(errs, &InputError{Loc: policy.Location{File: path}, Msg: "not a regular file; remove it from the input directory or name the inputs one by one"})
			}
			return nil
		})
		if err != nil {
			errs = append(errs, &InputError{Loc: policy.Location{File: p}, Msg: err.Error()})
		}
		sort.Strings(found)
		for _, f := range found {
			add(f, dirMode(f))
		}
	}
	return files, errs
}

// skip records a file a directory walk found and Load does not read,
// with its digest, so that reports show what lay beside the inputs.
func (l *loader) skip(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return fileError(path, err)
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return fileError(path, err)
	}
	l.skipped = append(l.skipped, snapshot.Input{Path: path, SHA256: hex.EncodeToString(h.Sum(nil)), Bytes: n, Kind: KindSkipped})
	return nil
}

// file detects the kind of one input and reads it. ifInput is for
// files Load may skip: content that is plainly no input (text that is
// neither a JSON object or list, a credential report nor AWS CLI error
// output) is recorded as skipped instead of being an error.
func (l *loader) file(name string, data []byte, ifInput bool) error {
	// The digest runs beside the parse: on a large dump it costs a tenth
	// of the load, and the machine has a second core.
	file := data
	digest := make(chan string, 1)
	go func() {
		sum := sha256.Sum256(file)
		digest <- hex.EncodeToString(sum[:])
	}()
	in := snapshot.Input{Path: name, Bytes: int64(len(file))}
	// Windows editors and Excel start UTF-8 files with a byte order mark.
	// It is not content, and editors count columns after it, so it goes
	// before anything reads or locates the bytes.
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	defer func() {
		// Every path below records the input (or the skipped file) or
		// returns an error; the recorded copy gets the digest here.
		sum := <-digest
		for _, list := range [][]snapshot.Input{l.snap.Inputs, l.skipped} {
			if n := len(list); n > 0 && list[n-1].Path == name && list[n-1].SHA256 == "" {
				list[n-1].SHA256 = sum
			}
		}
	}()
	data, err := fromUTF16(data)
	if err != nil {
		return &InputError{Loc: policy.Location{File: name}, Msg: err.Error()}
	}
	src := policy.NewSource(name, data)
	trimmed := bytes.TrimLeft(data, " \t\r\n")
	if len(trimmed) == 0 {
		return &InputError{Loc: policy.Location{File: name}, Msg: "empty file"}
	}
	if isCredentialReportCSV(trimmed) {
		in.Kind = KindCredentialReport
		l.snap.Inputs = append(l.snap.Inputs, in)
		return l.credentialReportCSV(src, data, nil)
	}
	if bytes.HasPrefix(trimmed, []byte(cliErrorPrefix)) {
		kind, err := l.cliError(src, len(data)-len(trimmed))
		if err != nil {
			return err
		}
		in.Kind = kind
		l.snap.Inputs = append(l.snap.Inputs, in)
		return nil
	}
	if ifInput && trimmed[0] != '{' && trimmed[0] != '[' {
		// Every IAM input in JSON is an object or a list.
		in.Kind = KindSkipped
		l.skipped = append(l.skipped, in)
		return nil
	}
	if strings.IndexByte(`{["-0123456789tfn`, trimmed[0]) < 0 {
		loc := src.Span(len(data)-len(trimmed), len(data)-len(trimmed))
		return &InputError{Loc: loc, Msg: "not a recognized input: expected JSON (an AWS CLI/API IAM output, a policy document or an iamscan raw document) or a credential report CSV"}
	}
	r := &reader{l: l, src: src}
	kind, err := r.json(jsonpos.NewIter(data))
	if err != nil {
		var se *jsonpos.SyntaxError
		if errors.As(err, &se) {
			p := src.ParseError(se)
			return &InputError{Loc: p.Loc, Msg: p.Message}
		}
		return err
	}
	in.Kind = kind
	l.snap.Inputs = append(l.snap.Inputs, in)
	return nil
}

// detect names the kind of a parsed JSON input from its keys.
func detect(v *jsonpos.Value) string {
	if v.Kind != jsonpos.Object {
		return ""
	}
	if f := v.Get("Format"); f != nil && f.Kind == jsonpos.String && f.Str == "iamscan-raw" {
		return KindRaw
	}
	for _, m := range v.Members {
		switch m.Key {
		case "UserDetailList", "GroupDetailList", "RoleDetailList", "Policies":
			return KindAuthorizationDetails
		case "SummaryMap":
			return KindAccountSummary
		case "PasswordPolicy":
			return KindPasswordPolicy
		case "Statement":
			return KindPolicyDocument
		}
	}
	if v.Get("Content") != nil || (v.Get("GeneratedTime") != nil && v.Get("ReportFormat") != nil) {
		return KindCredentialReport
	}
	return ""
}

// describeUnknown says why a JSON input (an object or a scalar; lists
// are pages or nothing) is not recognized.
func describeUnknown(v *jsonpos.Value) string {
	if v.Kind != jsonpos.Object {
		return fmt.Sprintf("a JSON %s is not an IAM input", v.Kind)
	}
	if hint := singleEntityHint(v); hint != "" {
		return hint
	}
	keys := make([]string, 0, 4)
	for i, m := range v.Members {
		if i == 4 {
			keys = append(keys, "...")
			break
		}
		keys = append(keys, m.Key)
	}
	return fmt.Sprintf("a JSON object with keys [%s] is none of get-account-authorization-details, get-credential-report, get-account-password-policy, get-account-summary, a policy document or an iamscan raw document", strings.Join(keys, ", "))
}

// singleEntityHint names the AWS CLI command a one-entity output came
// from. Users often save `aws iam get-role` and the like; telling them
// what to save instead helps more than listing the keys we expected.
func singleEntityHint(v *jsonpos.Value) string {
	whole := func(cmd, what string) string {
		return fmt.Sprintf("this is `aws iam %s` output, which holds one %s; save `aws iam get-account-authorization-details` output instead", cmd, what)
	}
	part := func(cmd, what, field string) string {
		return fmt.Sprintf("this is `aws iam %s` output, which holds one %s; save its %s alone as a policy document, or `aws iam get-account-authorization-details` output", cmd, what, field)
	}
	switch {
	case v.Get("Role") != nil:
		return whole("get-role", "role")
	case v.Get("User") != nil:
		return whole("get-user", "user")
	case v.Get("Group") != nil:
		return whole("get-group", "group")
	case v.Get("Policy") != nil:
		return whole("get-policy", "managed policy's metadata (not its document)")
	case v.Get("PolicyVersion") != nil:
		return part("get-policy-version", "policy version", "Document")
	case v.Get("PolicyDocument") != nil:
		for _, owner := range []string{"Role", "User", "Group"} {
			if v.Get(owner+"Name") != nil {
				return part("get-"+strings.ToLower(owner)+"-policy", "inline policy", "PolicyDocument")
			}
		}
	}
	return ""
}

// fromUTF16 returns data as UTF-8 when it is UTF-16 with a byte order
// mark, which is what Windows PowerShell 5's > writes: `aws iam ... >
// out.json` there gives UTF-16. Anything else is returned as it is.
func fromUTF16(data []byte) ([]byte, error) {
	var order binary.ByteOrder
	switch {
	case bytes.HasPrefix(data, []byte{0xff, 0xfe}):
		order = binary.LittleEndian
	case bytes.HasPrefix(data, []byte{0xfe, 0xff}):
		order = binary.BigEndian
	default:
		return data, nil
	}
	body := data[2:]
	if len(body)%2 != 0 {
		return nil, errors.New("UTF-16 text with an odd number of bytes (truncated?); save the file as UTF-8")
	}
	units := make([]uint16, len(body)/2)
	for i := range units {
		units[i] = order.Uint16(body[2*i:])
	}
	var out bytes.Buffer
	out.Grow(len(units))
	for _, r := range utf16.Decode(units) {
		out.WriteRune(r)
	}
	return out.Bytes(), nil
}
