package rego

import "testing"

func TestLeavesOpen(t *testing.T) {
	tests := []struct {
		pattern, prefix, sep string
		want                 bool
	}{
		// GitHub subjects: is the owner the pattern's to name?
		{"repo:*", "repo:", "/", true},
		{"r*", "repo:", "/", true},
		{"repo*", "repo:", "/", true},
		{"*", "repo:", "/", true},
		{"*:ref:refs/heads/main", "repo:", "/", true},
		{"repo:*/infra:ref:refs/heads/main", "repo:", "/", true},
		{"repo:org?/app:*", "repo:", "/", true},
		{"repo:acme*", "repo:", "/", true},       // acme-evil is another owner
		{"repo:*acme/app:*", "repo:", "/", true}, // so is evilacme
		{"repo:???/app:*", "repo:", "/", true},
		{"repo:acme/*", "repo:", "/", false},
		{"repo:acme/app:*", "repo:", "/", false},
		{"repo:acme/app*", "repo:", "/", false},
		{"repo:acme/app:ref:refs/heads/main", "repo:", "/", false},
		{"repo:acme/*:environment:*", "repo:", "/", false},
		{"acme/*", "repo:", "/", false},                  // cannot match a repo: subject at all
		{"repository_owner:acme:*", "repo:", "/", false}, // another format
		{"", "repo:", "/", false},
		// EKS subjects: is the namespace pinned? the service account?
		{"system:serviceaccount:*", "system:serviceaccount:", ":", true},
		{"system:serviceaccount:prod-*:app", "system:serviceaccount:", ":", true},
		// The '*' may cover "serviceaccount:EVIL:" too (names with ':' are
		// not Kubernetes', but the function knows no format).
		{"system:*:prod:app", "system:serviceaccount:", ":", true},
		{"system:serviceaccount:*", "system:serviceaccount:", ":", true},
		{"system:serviceaccount?prod:app", "system:serviceaccount:", ":", false},
		{"system:serviceaccount:prod:*", "system:serviceaccount:", ":", false},
		{"system:serviceaccount:prod:*", "system:serviceaccount:prod:", "", true},
		{"system:serviceaccount:prod:app", "system:serviceaccount:prod:", "", false},
		{"system:serviceaccount:prod:app-?", "system:serviceaccount:prod:", "", true},
		// An empty prefix: the segment starts the value.
		{"*@example.com", "", "@", true},
		{"alice@example.com", "", "@", false},
		// Multi-byte characters count as one.
		{"ré?o:*", "répo:", "/", true},
		{"ré?o:x/*", "répo:", "/", false},
	}
	for _, tt := range tests {
		got, err := leavesOpen(tt.pattern, tt.prefix, tt.sep)
		if err != nil || got != tt.want {
			t.Errorf("leavesOpen(%q, %q, %q) = %v, %v; want %v", tt.pattern, tt.prefix, tt.sep, got, err, tt.want)
		}
	}
	if _, err := leavesOpen("x", "", "ab"); err == nil {
		t.Error("a two-character separator was accepted")
	}
}
