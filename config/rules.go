package config

import (
	"errors"
	"fmt"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/iamscan/iamscan/rules"
)

// Rules checks the configuration against the available rules (built-in
// and custom) and returns the enabled ones, in the order given. A rule id
// or parameter the configuration names but no rule has is an error with
// the file and line; so is a parameter value whose type differs from the
// parameter's default. It also decodes the parameters for Options, so
// call it before Options.
func (c *Config) Rules(all []*rules.Rule) ([]*rules.Rule, error) {
	var errs []error
	errorf := func(line int, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%s: %s", c.source(line), fmt.Sprintf(format, args...)))
	}
	disabled := map[string]bool{}
	for i := range c.Settings {
		rc := &c.Settings[i]
		r := rules.Lookup(all, rc.ID)
		if r == nil {
			errorf(rc.Line, "rules: unknown rule %s", rc.ID)
			continue
		}
		if rc.Enabled != nil && !*rc.Enabled {
			disabled[rc.ID] = true
		}
		rc.Params = map[string]any{}
		for name, n := range rc.paramNodes {
			p := findParam(r, name)
			if p == nil {
				errorf(n.Line, "rules.%s.params: rule %s has no parameter %q%s", rc.ID, rc.ID, name, paramList(r))
				continue
			}
			v, err := decodeParam(n, p.Default)
			if err != nil {
				errorf(n.Line, "rules.%s.params.%s: %v", rc.ID, name, err)
				continue
			}
			rc.Params[name] = v
		}
	}
	for _, s := range c.Suppressions {
		if rules.Lookup(all, s.Rule) == nil {
			errorf(s.Line, "suppression: unknown rule %s", s.Rule)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	out := make([]*rules.Rule, 0, len(all))
	for _, r := range all {
		if !disabled[r.ID] {
			out = append(out, r)
		}
	}
	return out, nil
}

// Disabled returns the ids of the rules the configuration turns off.
func (c *Config) Disabled() []string {
	var out []string
	for _, rc := range c.Settings {
		if rc.Enabled != nil && !*rc.Enabled {
			out = append(out, rc.ID)
		}
	}
	return out
}

// Options returns the run options the configuration sets: severity
// overrides and the parameters decoded by Rules.
func (c *Config) Options(asOf time.Time) rules.Options {
	opt := rules.Options{AsOf: asOf, Params: map[string]map[string]any{}, Severity: map[string]rules.Severity{}}
	for _, rc := range c.Settings {
		if len(rc.Params) > 0 {
			opt.Params[rc.ID] = rc.Params
		}
		if rc.Severity != 0 {
			opt.Severity[rc.ID] = rc.Severity
		}
	}
	return opt
}

func findParam(r *rules.Rule, name string) *rules.Param {
	for i := range r.Params {
		if r.Params[i].Name == name {
			return &r.Params[i]
		}
	}
	return nil
}

func paramList(r *rules.Rule) string {
	if len(r.Params) == 0 {
		return " (it takes none)"
	}
	s := " (it takes"
	for i, p := range r.Params {
		if i > 0 {
			s += ","
		}
		s += " " + p.Name
	}
	return s + ")"
}

// decodeParam decodes a value to the Go type of the parameter's default,
// so rules read configured and default values alike.
func decodeParam(n *yaml.Node, def any) (any, error) {
	switch def.(type) {
	case int:
		var v int
		if n.Kind != yaml.ScalarNode || n.Tag != "!!int" || n.Decode(&v) != nil {
			return nil, fmt.Errorf("want an integer, found %q", n.Value)
		}
		return v, nil
	case bool:
		var v bool
		if n.Kind != yaml.ScalarNode || n.Tag != "!!bool" || n.Decode(&v) != nil {
			return nil, fmt.Errorf("want true or false, found %q", n.Value)
		}
		return v, nil
	case string:
		if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
			return nil, fmt.Errorf("want a string")
		}
		return n.Value, nil
	case []string:
		if n.Kind != yaml.SequenceNode {
			return nil, fmt.Errorf("want a list of strings")
		}
		out := make([]string, 0, len(n.Content))
		for _, e := range n.Content {
			if e.Kind != yaml.ScalarNode || e.Tag == "!!null" {
				return nil, fmt.Errorf("line %d: list entries must be strings", e.Line)
			}
			out = append(out, e.Value)
		}
		return out, nil
	}
	return nil, fmt.Errorf("the parameter's default has an unsupported type %T", def)
}
