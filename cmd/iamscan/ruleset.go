package main

import (
	"fmt"

	"github.com/iamscan/iamscan/config"
	"github.com/iamscan/iamscan/rego"
	"github.com/iamscan/iamscan/rules"
)

// loadRules returns every rule iamscan can run: the built-in Go rules,
// the built-in Rego rules and, when rulesDir is set, the custom Rego
// rules in it, validated together (so a custom rule cannot reuse a
// built-in id). `scan`, `rules` and `explain` all build their list here.
func loadRules(rulesDir string) ([]*rules.Rule, error) {
	all := append(rules.Builtin(), rego.Builtin()...)
	if rulesDir != "" {
		custom, err := rego.LoadDir(rulesDir)
		if err != nil {
			return nil, fmt.Errorf("custom rules:\n%w", err)
		}
		all = append(all, custom...)
	}
	if err := rules.Validate(all); err != nil {
		return nil, fmt.Errorf("invalid rule set:\n%w", err)
	}
	return all, nil
}

// ruleSetup is the configuration and the rules it selects.
type ruleSetup struct {
	cfg     *config.Config
	all     []*rules.Rule // every available rule
	enabled []*rules.Rule // what the configuration leaves on, checked against it
}

// setupRules loads the configuration (configPath, else .iamscan.yaml in
// the working directory, else none) and the rules; a --rules-dir flag
// wins over the configuration's rules_dir.
func setupRules(configPath, rulesDirFlag string) (*ruleSetup, error) {
	cfg, err := config.LoadDefault(configPath)
	if err != nil {
		return nil, err
	}
	dir := cfg.RulesDir
	if rulesDirFlag != "" {
		dir = rulesDirFlag
	}
	all, err := loadRules(dir)
	if err != nil {
		return nil, err
	}
	enabled, err := cfg.Rules(all)
	if err != nil {
		return nil, err
	}
	return &ruleSetup{cfg: cfg, all: all, enabled: enabled}, nil
}
