package cis_test

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/iamscan/iamscan/cis"
	"github.com/iamscan/iamscan/rules"
)

// The rules package names benchmark versions itself (it must not import
// this catalog); the two spellings must agree.
func TestVersionsMatchRulesConstants(t *testing.T) {
	want := []string{rules.CISv3, rules.CISv4, rules.CISv5}
	if got := cis.Versions(); !slices.Equal(got, want) {
		t.Fatalf("cis.Versions() = %v, rules constants = %v", got, want)
	}
}

// Every built-in rule's CIS reference must name a control that exists.
func TestBuiltinRuleReferencesExist(t *testing.T) {
	for _, r := range rules.Builtin() {
		for _, ref := range r.CIS {
			if _, ok := cis.Lookup(ref.Benchmark, ref.Control); !ok {
				t.Errorf("%s: CIS %s control %s is not in the catalog", r.ID, ref.Benchmark, ref.Control)
			}
		}
	}
}

// The catalog is typed by hand; check its shape: section-1 ids numbered
// 1.1, 1.2, ... without gaps or duplicates, non-empty titles.
func TestCatalogShape(t *testing.T) {
	wantCount := map[string]int{cis.V3: 22, cis.V4: 22, cis.V5: 21}
	for _, b := range cis.Benchmarks() {
		if len(b.Controls) != wantCount[b.Version] {
			t.Errorf("%s: %d controls, want %d", b.Version, len(b.Controls), wantCount[b.Version])
		}
		if !strings.Contains(b.Title, b.Version) {
			t.Errorf("%s: title %q does not name the version", b.Version, b.Title)
		}
		for i, ctl := range b.Controls {
			if want := "1." + strconv.Itoa(i+1); ctl.ID != want {
				t.Errorf("%s: control %d has id %q, want %q", b.Version, i, ctl.ID, want)
			}
			if ctl.Title == "" || ctl.Section == "" {
				t.Errorf("%s %s: empty title or section", b.Version, ctl.ID)
			}
		}
	}
}

func TestLookup(t *testing.T) {
	tests := []struct {
		version, id string
		ok          bool
		contains    string
	}{
		{cis.V3, "1.16", true, "administrative privileges"},
		{cis.V4, "1.16", true, "administrative privileges"},
		{cis.V5, "1.15", true, "administrative privileges"},
		{cis.V5, "1.3", true, "access key"},
		{cis.V3, "1.3", true, "security questions"},
		{cis.V5, "1.22", false, ""},
		{cis.V3, "2.1", false, ""},
		{"v9.9.9", "1.1", false, ""},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s/%s", tt.version, tt.id), func(t *testing.T) {
			ctl, ok := cis.Lookup(tt.version, tt.id)
			if ok != tt.ok {
				t.Fatalf("Lookup ok = %v, want %v", ok, tt.ok)
			}
			if ok && !strings.Contains(ctl.Title, tt.contains) {
				t.Errorf("title %q does not contain %q", ctl.Title, tt.contains)
			}
		})
	}
}

// Benchmarks returns a copy: changing it must not change the catalog.
func TestBenchmarksIsACopy(t *testing.T) {
	bs := cis.Benchmarks()
	bs[0].Controls[0].Title = "changed"
	if ctl, _ := cis.Lookup(bs[0].Version, "1.1"); ctl.Title == "changed" {
		t.Fatal("Benchmarks() exposes the catalog's backing array")
	}
}
