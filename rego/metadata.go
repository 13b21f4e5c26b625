package rego

import (
	"bytes"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
	"go.yaml.in/yaml/v3"

	"github.com/iamscan/iamscan/rules"
	"github.com/iamscan/iamscan/snapshot"
)

// OPA parses METADATA blocks leniently (unknown keys are ignored), and a
// typo in a rule's documentation must not ship silently. So we re-read the
// package's METADATA block ourselves, as YAML nodes, which gives each key
// its line: every error names the .rego file and the line of the key.

// metaBlock is the package-scoped METADATA comment block of one module:
// its YAML text and, for each YAML line, the line in the .rego file.
type metaBlock struct {
	file   string
	start  int // line of the "# METADATA" comment
	text   []byte
	rows   []int // rows[i] is the file line of YAML line i+1
	idLine int   // line of custom.id, once parsed
}

// line maps a YAML node's line back to the .rego file.
func (b *metaBlock) line(n *yaml.Node) int {
	if n == nil || n.Line < 1 || n.Line > len(b.rows) {
		return b.start
	}
	return b.rows[n.Line-1]
}

func (b *metaBlock) errorf(n *yaml.Node, format string, args ...any) error {
	return fmt.Errorf("%s:%d: %s", b.file, b.line(n), fmt.Sprintf(format, args...))
}

// findMetadata returns the METADATA block that precedes the package
// statement: the rule's documentation is package-scoped, one rule a file.
func findMetadata(file string, m *ast.Module) (*metaBlock, error) {
	pkgRow := m.Package.Location.Row
	var block *metaBlock
	for i := 0; i < len(m.Comments); i++ {
		c := m.Comments[i]
		if c.Location.Row >= pkgRow {
			break
		}
		if strings.TrimSpace(string(c.Text)) != "METADATA" {
			continue
		}
		b := &metaBlock{file: file, start: c.Location.Row}
		var buf bytes.Buffer
		prev := c.Location.Row
		for i++; i < len(m.Comments) && m.Comments[i].Location.Row == prev+1; i++ {
			cc := m.Comments[i]
			buf.Write(bytes.TrimPrefix(cc.Text, []byte(" ")))
			buf.WriteByte('\n')
			b.rows = append(b.rows, cc.Location.Row)
			prev = cc.Location.Row
		}
		i--
		b.text = buf.Bytes()
		block = b
	}
	if block == nil {
		return nil, fmt.Errorf("%s:%d: package %s has no \"# METADATA\" block before its package line", file, pkgRow, packageName(m))
	}
	return block, nil
}

// idPattern is the form of every rule id (rules.Validate checks it too,
// without a line to point at).
var idPattern = regexp.MustCompile(`^IAM[0-9]{3}$`)

// Allowed keys. Everything iamscan needs beyond OPA's title and
// description lives under custom, as OPA recommends for tool-specific data.
var (
	topKeys    = []string{"scope", "title", "description", "custom"}
	customKeys = []string{"id", "severity", "family", "remediation", "references", "cis", "params", "needs"}
	paramKeys  = []string{"doc", "default"}
	families   = []string{rules.FamilyWildcards, rules.FamilyCredentials, rules.FamilyUnused, rules.FamilyTrust, rules.FamilyEscalation, rules.FamilyInput}
	dataKinds  = []snapshot.Data{
		snapshot.DataAuthorizationDetails, snapshot.DataCredentialReport, snapshot.DataPasswordPolicy,
		snapshot.DataAccountSummary, snapshot.DataMFADevices, snapshot.DataIdentityProviders,
		snapshot.DataServerCertificates, snapshot.DataOrganizationPolicies, snapshot.DataPolicyDocuments, snapshot.DataPolicies,
	}
	cisVersions = []string{rules.CISv3, rules.CISv4, rules.CISv5}
)

// parseMeta decodes a METADATA block strictly into rule metadata.
func parseMeta(b *metaBlock) (rules.Meta, error) {
	var meta rules.Meta
	var doc yaml.Node
	if err := yaml.Unmarshal(b.text, &doc); err != nil {
		return meta, fmt.Errorf("%s:%d: METADATA is not valid YAML: %v", b.file, b.start, err)
	}
	if len(doc.Content) == 0 {
		return meta, fmt.Errorf("%s:%d: METADATA block is empty", b.file, b.start)
	}
	root := doc.Content[0]
	top, err := mapping(b, root, "METADATA", topKeys)
	if err != nil {
		return meta, err
	}
	var errs []error
	need := func(fields map[string]*yaml.Node, key, where string, at *yaml.Node) *yaml.Node {
		n := fields[key]
		if n == nil {
			errs = append(errs, b.errorf(at, "%s: missing required field %q", where, key))
		}
		return n
	}
	if n := top["scope"]; n != nil && n.Value != "package" {
		errs = append(errs, b.errorf(n, "scope must be \"package\" (one rule per file), found %q", n.Value))
	}
	meta.Title = scalar(b, need(top, "title", "METADATA", root), "title", &errs)
	meta.Description = scalar(b, need(top, "description", "METADATA", root), "description", &errs)
	customNode := need(top, "custom", "METADATA", root)
	if customNode == nil {
		return meta, joinErrs(errs)
	}
	custom, err := mapping(b, customNode, "custom", customKeys)
	if err != nil {
		return meta, joinErrs(append(errs, err))
	}
	if n := need(custom, "id", "custom", customNode); n != nil {
		b.idLine = b.line(n)
		meta.ID = scalar(b, n, "id", &errs)
		if meta.ID != "" && !idPattern.MatchString(meta.ID) {
			errs = append(errs, b.errorf(n, "id %q: a rule id is IAM followed by three digits", meta.ID))
		}
	}
	if n := need(custom, "severity", "custom", customNode); n != nil {
		sev, err := rules.ParseSeverity(n.Value)
		if err != nil {
			errs = append(errs, b.errorf(n, "severity: %v", err))
		}
		meta.Severity = sev
	}
	if n := need(custom, "family", "custom", customNode); n != nil {
		meta.Family = n.Value
		if !slices.Contains(families, n.Value) {
			errs = append(errs, b.errorf(n, "unknown family %q (want one of %s)", n.Value, strings.Join(families, ", ")))
		}
	}
	meta.Remediation = scalar(b, need(custom, "remediation", "custom", customNode), "remediation", &errs)
	if n := custom["references"]; n != nil {
		meta.References = stringList(b, n, "references", &errs)
	}
	if n := custom["cis"]; n != nil {
		meta.CIS = cisRefs(b, n, &errs)
	}
	if n := custom["params"]; n != nil {
		meta.Params = params(b, n, &errs)
	}
	if n := custom["needs"]; n != nil {
		for i, s := range stringList(b, n, "needs", &errs) {
			if !slices.Contains(dataKinds, snapshot.Data(s)) {
				errs = append(errs, b.errorf(n.Content[i], "needs: unknown data kind %q", s))
				continue
			}
			meta.Needs = append(meta.Needs, snapshot.Data(s))
		}
	}
	return meta, joinErrs(errs)
}

// mapping checks that n is a YAML mapping with only allowed keys and
// returns its values by key.
func mapping(b *metaBlock, n *yaml.Node, where string, allowed []string) (map[string]*yaml.Node, error) {
	if n.Kind != yaml.MappingNode {
		return nil, b.errorf(n, "%s must be a mapping", where)
	}
	out := make(map[string]*yaml.Node, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if allowed != nil && !slices.Contains(allowed, k.Value) {
			return nil, b.errorf(k, "%s: unknown field %q (allowed: %s)", where, k.Value, strings.Join(allowed, ", "))
		}
		if _, dup := out[k.Value]; dup {
			return nil, b.errorf(k, "%s: duplicate field %q", where, k.Value)
		}
		out[k.Value] = v
	}
	return out, nil
}

func scalar(b *metaBlock, n *yaml.Node, what string, errs *[]error) string {
	if n == nil {
		return ""
	}
	if n.Kind != yaml.ScalarNode || strings.TrimSpace(n.Value) == "" {
		*errs = append(*errs, b.errorf(n, "%s must be a non-empty string", what))
		return ""
	}
	return strings.TrimSpace(n.Value)
}

func stringList(b *metaBlock, n *yaml.Node, what string, errs *[]error) []string {
	if n.Kind != yaml.SequenceNode {
		*errs = append(*errs, b.errorf(n, "%s must be a list", what))
		return nil
	}
	out := make([]string, 0, len(n.Content))
	for _, e := range n.Content {
		out = append(out, scalar(b, e, what+" entry", errs))
	}
	return out
}

// cisRefs reads "cis: {v3.0.0: "1.17", v5.0.0: ["1.16"]}".
func cisRefs(b *metaBlock, n *yaml.Node, errs *[]error) []rules.CISRef {
	m, err := mapping(b, n, "cis", cisVersions)
	if err != nil {
		*errs = append(*errs, err)
		return nil
	}
	var out []rules.CISRef
	for _, v := range cisVersions { // fixed order, whatever the file's
		c := m[v]
		if c == nil {
			continue
		}
		controls := []string{c.Value}
		if c.Kind == yaml.SequenceNode {
			controls = stringList(b, c, "cis "+v, errs)
		} else if c.Kind != yaml.ScalarNode || c.Tag != "!!str" {
			*errs = append(*errs, b.errorf(c, "cis %s: control id must be a quoted string such as \"1.17\"", v))
			continue
		}
		for _, ctl := range controls {
			out = append(out, rules.CISRef{Benchmark: v, Control: ctl})
		}
	}
	return out
}

// params reads "params: {name: {doc: ..., default: ...}}" in file order.
func params(b *metaBlock, n *yaml.Node, errs *[]error) []rules.Param {
	if n.Kind != yaml.MappingNode {
		*errs = append(*errs, b.errorf(n, "params must be a mapping of name to {doc, default}"))
		return nil
	}
	var out []rules.Param
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		fields, err := mapping(b, v, "params."+k.Value, paramKeys)
		if err != nil {
			*errs = append(*errs, err)
			continue
		}
		p := rules.Param{Name: k.Value}
		p.Doc = scalar(b, fields["doc"], "params."+k.Value+".doc", errs)
		if fields["doc"] == nil {
			*errs = append(*errs, b.errorf(v, "params.%s: missing required field \"doc\"", k.Value))
		}
		d := fields["default"]
		if d == nil {
			*errs = append(*errs, b.errorf(v, "params.%s: missing required field \"default\"", k.Value))
			continue
		}
		def, err := paramDefault(d)
		if err != nil {
			*errs = append(*errs, b.errorf(d, "params.%s.default: %v", k.Value, err))
			continue
		}
		p.Default = def
		out = append(out, p)
	}
	return out
}

// paramDefault turns a YAML default into one of the types rules.Param
// documents: int, []string, string or bool.
func paramDefault(n *yaml.Node) (any, error) {
	switch n.Kind {
	case yaml.SequenceNode:
		out := []string{}
		for _, e := range n.Content {
			if e.Kind != yaml.ScalarNode {
				return nil, fmt.Errorf("list entries must be strings")
			}
			out = append(out, e.Value)
		}
		return out, nil
	case yaml.ScalarNode:
		switch n.Tag {
		case "!!int":
			var v int
			err := n.Decode(&v)
			return v, err
		case "!!bool":
			var v bool
			err := n.Decode(&v)
			return v, err
		case "!!str":
			return n.Value, nil
		}
	}
	return nil, fmt.Errorf("must be an integer, a boolean, a string or a list of strings")
}

func joinErrs(errs []error) error {
	if len(errs) == 0 {
		return nil
	}
	msgs := make([]string, len(errs))
	for i, e := range errs {
		msgs[i] = e.Error()
	}
	return fmt.Errorf("%s", strings.Join(msgs, "\n"))
}
