package rego

import (
	"strings"
	"testing"
)

// FuzzParseMeta: no METADATA text makes the strict decoder panic, and
// every error names the file.
func FuzzParseMeta(f *testing.F) {
	f.Add([]byte("title: t\ndescription: d\ncustom:\n  id: IAM900\n  severity: low\n  family: unused\n  remediation: r\n  cis: {v3.0.0: \"1.1\"}\n  params: {days: {doc: d, default: 3}}\n  needs: [password-policy]\n"))
	f.Add([]byte("custom: [1]\n"))
	f.Add([]byte("custom:\n  params:\n    x: {default: {a: 1}}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		lines := 0
		for _, c := range data {
			if c == '\n' {
				lines++
			}
		}
		rows := make([]int, lines+1)
		for i := range rows {
			rows[i] = i + 2
		}
		b := &metaBlock{file: "f.rego", start: 1, text: data, rows: rows}
		_, err := parseMeta(b)
		if err == nil {
			return
		}
		for _, line := range strings.Split(err.Error(), "\n") {
			if !strings.HasPrefix(line, "f.rego:") {
				t.Errorf("error line without file:line: %q", line)
			}
		}
	})
}
