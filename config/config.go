// Package config reads .iamscan.yaml: which rules run, their severities
// and parameters, where custom Rego rules live, and which findings are
// accepted (suppressions, each with a reason and an optional expiry).
//
// Decoding is strict: an unknown key, a misspelled rule id or parameter,
// or a value of the wrong type is an error naming the file and line, so a
// typo never silently turns a control off.
//
//	rules_dir: iam-rules            # custom Rego rules, relative to this file
//	rules:
//	  IAM037: {enabled: false}
//	  IAM052:
//	    severity: high
//	    params:
//	      trusted_accounts: ["444455556666"]
//	suppressions:
//	  - rule: IAM053
//	    resource: "arn:aws:iam::111122223333:role/vendor-*"
//	    reason: Vendor cannot send an external id (SEC-123)
//	    expires: 2027-01-31
package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/iamscan/iamscan/rules"
)

// FileNames are the names looked for in the working directory.
var FileNames = []string{".iamscan.yaml", ".iamscan.yml"}

// Config is a decoded configuration file. The zero value (no file) runs
// every rule with its defaults and suppresses nothing.
type Config struct {
	// Path is the file the configuration came from; "" when none.
	Path string
	// RulesDir is the custom rules directory, resolved against the
	// configuration file's directory; "" when not set.
	RulesDir     string
	Settings     []RuleConfig // per-rule settings, in file order
	Suppressions []Suppression
}

// RuleConfig is the configuration of one rule.
type RuleConfig struct {
	ID       string
	Enabled  *bool          // nil: default (enabled)
	Severity rules.Severity // 0: the rule's own
	Params   map[string]any // decoded to the type of each parameter's default
	Line     int

	paramNodes map[string]*yaml.Node // checked against the rule in Rules
}

// Suppression accepts the findings of one rule on matching resources.
type Suppression struct {
	Rule string
	// Resource is a pattern matched like a policy's Resource element:
	// "*" and "?" wildcards, case-sensitive, per ARN segment.
	Resource string
	Reason   string
	// Expires is the last day the suppression applies (UTC); zero when
	// it does not expire.
	Expires time.Time
	Line    int
}

// source is "file:line" for reports and warnings.
func (c *Config) source(line int) string { return fmt.Sprintf("%s:%d", c.Path, line) }

// Find returns the configuration file in dir, or "" when there is none.
func Find(dir string) (string, error) {
	for _, n := range FileNames {
		p := filepath.Join(dir, n)
		_, err := os.Stat(p)
		if err == nil {
			return p, nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return "", err
		}
	}
	return "", nil
}

// LoadDefault loads path when it is given (--config), else the
// configuration file of the working directory if there is one, else an
// empty configuration.
func LoadDefault(path string) (*Config, error) {
	if path == "" {
		wd, err := os.Getwd()
		if err != nil {
			return nil, err
		}
		if path, err = Find(wd); err != nil || path == "" {
			return &Config{}, err
		}
	}
	return Load(path)
}

// Load reads and strictly decodes a configuration file.
func Load(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(path, data)
}

// Parse decodes configuration text; path names it in errors and
// anchors rules_dir.
func Parse(path string, data []byte) (*Config, error) {
	c := &Config{Path: path}
	d := &decoder{file: path}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	if len(doc.Content) == 0 {
		return c, nil // an empty file is an empty configuration
	}
	top := d.mapping(doc.Content[0], "configuration", "rules_dir", "rules", "suppressions")
	if n := top["rules_dir"]; n != nil {
		if dir := d.str(n, "rules_dir"); dir != "" {
			if !filepath.IsAbs(dir) {
				dir = filepath.Join(filepath.Dir(path), dir)
			}
			c.RulesDir = dir
		}
	}
	if n := top["rules"]; n != nil {
		c.Settings = d.rules(n)
	}
	if n := top["suppressions"]; n != nil {
		c.Suppressions = d.suppressions(n)
	}
	if err := errors.Join(d.errs...); err != nil {
		return nil, err
	}
	return c, nil
}

type decoder struct {
	file string
	errs []error
}

func (d *decoder) errorf(n *yaml.Node, format string, args ...any) {
	d.errs = append(d.errs, fmt.Errorf("%s:%d: %s", d.file, n.Line, fmt.Sprintf(format, args...)))
}

// mapping returns a mapping's values by key, reporting unknown and
// duplicate keys.
func (d *decoder) mapping(n *yaml.Node, what string, allowed ...string) map[string]*yaml.Node {
	out := map[string]*yaml.Node{}
	if n.Kind != yaml.MappingNode {
		d.errorf(n, "%s must be a mapping", what)
		return out
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		switch {
		case allowed != nil && !slices.Contains(allowed, k.Value):
			d.errorf(k, "%s: unknown key %q (allowed: %s)", what, k.Value, strings.Join(allowed, ", "))
		case out[k.Value] != nil:
			d.errorf(k, "%s: duplicate key %q", what, k.Value)
		default:
			out[k.Value] = v
		}
	}
	return out
}

func (d *decoder) str(n *yaml.Node, what string) string {
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		d.errorf(n, "%s must be a string", what)
		return ""
	}
	return n.Value
}

func (d *decoder) rules(n *yaml.Node) []RuleConfig {
	if n.Kind != yaml.MappingNode {
		d.errorf(n, "rules must be a mapping of rule id to settings")
		return nil
	}
	var out []RuleConfig
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		rc := RuleConfig{ID: k.Value, Line: k.Line}
		if slices.ContainsFunc(out, func(o RuleConfig) bool { return o.ID == rc.ID }) {
			d.errorf(k, "rules: duplicate rule %s", rc.ID)
			continue
		}
		fields := d.mapping(v, "rules."+rc.ID, "enabled", "severity", "params")
		if e := fields["enabled"]; e != nil {
			var b bool
			if e.Kind != yaml.ScalarNode || e.Tag != "!!bool" || e.Decode(&b) != nil {
				d.errorf(e, "rules.%s.enabled must be true or false", rc.ID)
			}
			rc.Enabled = &b
		}
		if s := fields["severity"]; s != nil {
			sev, err := rules.ParseSeverity(d.str(s, "rules."+rc.ID+".severity"))
			if err != nil {
				d.errorf(s, "rules.%s.severity: %v", rc.ID, err)
			}
			rc.Severity = sev
		}
		if p := fields["params"]; p != nil {
			rc.paramNodes = d.mapping(p, "rules."+rc.ID+".params")
		}
		out = append(out, rc)
	}
	return out
}

func (d *decoder) suppressions(n *yaml.Node) []Suppression {
	if n.Kind != yaml.SequenceNode {
		d.errorf(n, "suppressions must be a list")
		return nil
	}
	var out []Suppression
	for _, e := range n.Content {
		f := d.mapping(e, "suppression", "rule", "resource", "reason", "expires")
		s := Suppression{Line: e.Line}
		for _, req := range []struct {
			key string
			dst *string
		}{{"rule", &s.Rule}, {"resource", &s.Resource}, {"reason", &s.Reason}} {
			v := f[req.key]
			if v == nil {
				d.errorf(e, "suppression: missing required key %q", req.key)
				continue
			}
			*req.dst = strings.TrimSpace(d.str(v, "suppression "+req.key))
			if *req.dst == "" {
				d.errorf(v, "suppression: %s must not be empty", req.key)
			}
		}
		if x := f["expires"]; x != nil {
			t, err := parseDate(x.Value)
			if err != nil {
				d.errorf(x, "suppression expires: %v", err)
			}
			s.Expires = t
		}
		out = append(out, s)
	}
	return out
}

// parseDate reads a YYYY-MM-DD date (or an RFC 3339 time).
func parseDate(s string) (time.Time, error) {
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC(), nil
	}
	return time.Time{}, fmt.Errorf("%q is not a date (want YYYY-MM-DD)", s)
}
