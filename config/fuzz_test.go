package config

import (
	"testing"
	"time"
)

// FuzzParse: no configuration text, however broken, makes Parse, Rules
// or Suppress panic.
func FuzzParse(f *testing.F) {
	f.Add([]byte(full))
	f.Add([]byte("rules:\n  IAM025:\n    params: {days: [1, 2]}\n"))
	f.Add([]byte("suppressions:\n  - &a {rule: IAM025, resource: '*', reason: r}\n  - *a\n"))
	f.Add([]byte("rules: !!binary aGVsbG8=\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Parse("f.yaml", data)
		if err != nil {
			return
		}
		if _, err := c.Rules(testRules()); err != nil {
			return
		}
		c.Options(time.Time{})
		c.Suppress(nil, time.Time{})
	})
}
