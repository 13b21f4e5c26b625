package rego

import (
	"context"
	"fmt"
	"maps"
	"path"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"

	"github.com/iamscan/iamscan/collector/offline"
)

// inputOf builds the Rego input of a GAAD document and returns it as Go
// values, the way a rule sees it.
func inputOf(t *testing.T, gaad string) map[string]any {
	t.Helper()
	snap, err := offline.LoadBytes("gaad.json", []byte(gaad), offline.Options{})
	if err != nil {
		t.Fatal(err)
	}
	in := buildInput(snap, time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC))
	v, err := ast.JSON(in.sections.withParams(ast.ObjectTerm()))
	if err != nil {
		t.Fatal(err)
	}
	return v.(map[string]any)
}

func rolesGAAD(statements ...string) string {
	var roles []string
	for i, st := range statements {
		roles = append(roles, fmt.Sprintf(`{"RoleName": "r%d", "RoleId": "AROA%d", "Arn": "arn:aws:iam::111122223333:role/r%d", "Path": "/",
		  "CreateDate": "2024-01-01T00:00:00Z", "RolePolicyList": [], "AttachedManagedPolicies": [], "InstanceProfileList": [],
		  "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [%s]}}`, i, i, i, st))
	}
	return `{"UserDetailList": [], "GroupDetailList": [], "Policies": [], "RoleDetailList": [` + strings.Join(roles, ",") + `]}`
}

// TestTrustStatementFacts checks what Go computes for the trust rules:
// the STS actions a statement grants (matched by the policy engine), the
// accounts its principals name, and the trust index kinds it is filed
// under.
func TestTrustStatementFacts(t *testing.T) {
	tests := []struct {
		name, statement string
		allows          []string
		accounts        []string
		kinds           []string
	}{
		{"wildcard action, any principal",
			`{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "STS:*"}`,
			[]string{"sts:AssumeRole", "sts:AssumeRoleWithSAML", "sts:AssumeRoleWithWebIdentity", "sts:SetSourceIdentity", "sts:TagSession"},
			nil, []string{"any_principal"}},
		{"not action",
			`{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:root"}, "NotAction": ["sts:AssumeRoleWith*", "sts:TagSession"]}`,
			[]string{"sts:AssumeRole", "sts:SetSourceIdentity"}, []string{"444455556666"}, []string{"cross_account"}},
		{"deny grants nothing",
			`{"Effect": "Deny", "Principal": {"AWS": "arn:aws:iam::444455556666:root"}, "Action": "sts:AssumeRole"}`,
			nil, []string{"444455556666"}, nil},
		{"accounts: bare id, ARN, own account, wildcard, duplicates",
			`{"Effect": "Allow", "Principal": {"AWS": ["777788889999", "arn:aws:iam::444455556666:role/x", "arn:aws:iam::444455556666:root", "arn:aws:iam::111122223333:root", "arn:aws:iam::*:root"]}, "Action": "sts:AssumeRole"}`,
			[]string{"sts:AssumeRole"}, []string{"111122223333", "444455556666", "777788889999"}, []string{"any_principal", "cross_account"}},
		{"same account only",
			`{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/ci"}, "Action": "sts:AssumeRole"}`,
			[]string{"sts:AssumeRole"}, []string{"111122223333"}, nil},
		{"web identity",
			`{"Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"}, "Action": "sts:AssumeRoleWithWebIdentity"}`,
			[]string{"sts:AssumeRoleWithWebIdentity"}, nil, []string{"web_identity"}},
		{"saml",
			`{"Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::111122223333:saml-provider/Okta"}, "Action": ["sts:AssumeRoleWithSAML", "sts:TagSession"]}`,
			[]string{"sts:AssumeRoleWithSAML", "sts:TagSession"}, nil, []string{"saml"}},
		{"service",
			`{"Effect": "Allow", "Principal": {"Service": ["config.amazonaws.com"]}, "Action": "sts:AssumeRole"}`,
			[]string{"sts:AssumeRole"}, nil, []string{"service"}},
	}
	stmts := make([]string, len(tests))
	for i, tt := range tests {
		stmts[i] = tt.statement
	}
	in := inputOf(t, rolesGAAD(stmts...))
	roles := in["roles"].([]any)
	index := in["trust"].(map[string]any)
	for i, tt := range tests {
		st := roles[i].(map[string]any)["trust"].([]any)[0].(map[string]any)
		allows := slices.Sorted(maps.Keys(st["allows"].(map[string]any)))
		if !slices.Equal(allows, tt.allows) {
			t.Errorf("%s: allows %v, want %v", tt.name, allows, tt.allows)
		}
		var accounts []string
		for _, a := range st["principal_accounts"].([]any) {
			accounts = append(accounts, a.(string))
		}
		if !reflect.DeepEqual(accounts, tt.accounts) {
			t.Errorf("%s: principal_accounts %v, want %v", tt.name, accounts, tt.accounts)
		}
		var kinds []string
		for _, k := range trustKinds {
			for _, e := range index[k].([]any) {
				if e.(map[string]any)["statement"].(map[string]any)["ref"] == st["ref"] {
					kinds = append(kinds, k)
				}
			}
		}
		if !reflect.DeepEqual(kinds, tt.kinds) {
			t.Errorf("%s: filed under %v, want %v", tt.name, kinds, tt.kinds)
		}
	}
}

// TestTestBuildersMatchTheInput keeps the Rego unit tests honest: the
// builders in rego/lib/testinput_test.rego must produce objects with the
// same keys as the input Go builds, or the tests would test a fiction.
func TestTestBuildersMatchTheInput(t *testing.T) {
	in := inputOf(t, rolesGAAD(`{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole", "Condition": {"Bool": {"aws:SecureTransport": "true"}}}`))
	goRole := in["roles"].([]any)[0].(map[string]any)
	goStmt := goRole["trust"].([]any)[0].(map[string]any)

	var opts []func(*rego.Rego)
	for _, f := range []string{"trust.rego", "testinput_test.rego"} {
		m, err := parseFile(embedded, path.Join("lib", f), f)
		if err != nil {
			t.Fatal(err)
		}
		opts = append(opts, rego.ParsedModule(m))
	}
	opts = append(opts, regoOptions()...)
	opts = append(opts, rego.Query(`x := data.iamscan.lib.testinput.with_trust(data.iamscan.lib.testinput.statement("sts:AssumeRole", data.iamscan.lib.testinput.anyone, [data.iamscan.lib.testinput.cond("Bool", "aws:SecureTransport", ["true"])]), {})`))
	rs, err := rego.New(opts...).Eval(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	test := rs[0].Bindings["x"].(map[string]any)
	testRole := test["roles"].([]any)[0].(map[string]any)
	testStmt := testRole["trust"].([]any)[0].(map[string]any)
	for _, c := range []struct {
		what          string
		goObj, tstObj map[string]any
	}{
		{"input", in, test},
		{"account", in["account"].(map[string]any), test["account"].(map[string]any)},
		{"role", goRole, testRole},
		{"statement", goStmt, testStmt},
		{"principal", goStmt["principal"].(map[string]any), testStmt["principal"].(map[string]any)},
		{"condition", goStmt["conditions"].([]any)[0].(map[string]any), testStmt["conditions"].([]any)[0].(map[string]any)},
		{"trust index", in["trust"].(map[string]any), test["trust"].(map[string]any)},
	} {
		gk, tk := slices.Sorted(maps.Keys(c.goObj)), slices.Sorted(maps.Keys(c.tstObj))
		if c.what == "input" {
			// The trust tests leave out sections they do not read;
			// what they have must exist in the real input.
			for _, k := range tk {
				if !slices.Contains(gk, k) {
					t.Errorf("test input has %q, the real input does not", k)
				}
			}
			continue
		}
		if !reflect.DeepEqual(gk, tk) {
			t.Errorf("%s keys differ:\n  go:   %v\n  test: %v", c.what, gk, tk)
		}
	}
}

// TestTrustFilesJoinTheTrustIndex: a standalone trust policy document is
// judged by the trust rules through the trust index, as a role-shaped
// object with "file": true, without becoming one of input.roles.
func TestTrustFilesJoinTheTrustIndex(t *testing.T) {
	doc := `{"Version": "2012-10-17", "Statement": [
	  {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole", "Condition": {"Bool": {"aws:SecureTransport": "true"}}},
	  {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:root"}, "Action": "sts:AssumeRole"}]}`
	snap, err := offline.LoadBytes("some/dir/trust.json", []byte(doc), offline.Options{})
	if err != nil {
		t.Fatal(err)
	}
	v, err := ast.JSON(buildInput(snap, time.Time{}).sections.withParams(ast.ObjectTerm()))
	if err != nil {
		t.Fatal(err)
	}
	in := v.(map[string]any)
	if roles := in["roles"].([]any); len(roles) != 0 {
		t.Errorf("input.roles = %v, want none", roles)
	}
	index := in["trust"].(map[string]any)
	entries := index["any_principal"].([]any)
	if len(entries) != 1 {
		t.Fatalf("any_principal = %v, want the file's open statement", entries)
	}
	file := entries[0].(map[string]any)["role"].(map[string]any)
	if file["file"] != true || file["name"] != "trust.json" || file["arn"] != "" || file["account"] != "" {
		t.Errorf("file entry = %v", file)
	}
	// The account is unknown: naming another one is not "cross-account".
	if ca := index["cross_account"].([]any); len(ca) != 0 {
		t.Errorf("cross_account = %v, want none while the account is unknown", ca)
	}
}
