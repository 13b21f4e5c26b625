package baseline

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/iamscan/iamscan/rules"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name, text string
		want       []string // fingerprints, or nil when an error is wanted
		err        string
	}{
		{"report", `{"schemaVersion": 1, "tool": {"name": "iamscan"}, "findings": [
			{"ruleId": "IAM001", "fingerprint": "aaa", "location": {"file": "x"}},
			{"ruleId": "IAM002", "fingerprint": "bbb", "future": [1, 2]}]}`, []string{"aaa", "bbb"}, ""},
		{"no findings yet", `{"findings": []}`, []string{}, ""},
		{"not json", "{\n\"findings\": [,]}", nil, "prev.json:2: baseline is not valid JSON"},
		{"not a report", `{"Statement": []}`, nil, `prev.json: baseline is not an iamscan JSON report (no "findings" list`},
		{"findings of the wrong type", "{\n\"findings\": {}}", nil, "prev.json:2: baseline is not an iamscan JSON report"},
		{"finding without fingerprint", `{"findings": [{"fingerprint": "a"}, {"ruleId": "IAM001"}]}`, nil, "prev.json: finding 1 of the baseline has no fingerprint"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			set, err := Parse("prev.json", []byte(tt.text))
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got := []string{}
			for _, fp := range tt.want {
				if _, ok := set[fp]; ok {
					got = append(got, fp)
				}
			}
			if len(set) != len(tt.want) || !reflect.DeepEqual(got, tt.want) {
				t.Errorf("set %v, want %v", set, tt.want)
			}
		})
	}
}

func TestNew(t *testing.T) {
	p := filepath.Join(t.TempDir(), "prev.json")
	if err := os.WriteFile(p, []byte(`{"findings": [{"fingerprint": "old1"}, {"fingerprint": "old2"}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	set, err := Load(p)
	if err != nil {
		t.Fatal(err)
	}
	findings := []rules.Finding{{Fingerprint: "new1"}, {Fingerprint: "old1"}, {Fingerprint: "new2"}, {Fingerprint: "old2"}}
	var got []string
	for _, f := range set.New(findings) {
		got = append(got, f.Fingerprint)
	}
	if want := []string{"new1", "new2"}; !reflect.DeepEqual(got, want) {
		t.Errorf("new %v, want %v", got, want)
	}
	if n := len(Set(nil).New(findings)); n != 4 {
		t.Errorf("a nil baseline kept %d of 4 findings", n)
	}
	if _, err := Load(filepath.Join(t.TempDir(), "missing.json")); err == nil {
		t.Error("no error for a missing baseline")
	}
}
