package live

import (
	"context"
	"errors"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	orgtypes "github.com/aws/aws-sdk-go-v2/service/organizations/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/iamscan/iamscan/internal/mototest"
)

// A write sent through a client built from the collector's own
// configuration is refused before it is serialized: the server never
// sees it.
func TestReadOnlyGuardRefusesWrites(t *testing.T) {
	endpoint := mototest.URL(t)
	proxy := mototest.NewProxy(t, endpoint)
	ctx := context.Background()
	cfg, err := loadConfig(ctx, &Options{EndpointURL: proxy.URL, MaxAttempts: 1})
	if err != nil {
		t.Fatal(err)
	}
	iamClient := iam.NewFromConfig(cfg)
	for _, c := range []struct {
		action string
		call   func() error
	}{
		{"iam:CreateUser", func() error {
			_, err := iamClient.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("intruder")})
			return err
		}},
		{"iam:UpdateAccountPasswordPolicy", func() error {
			_, err := iamClient.UpdateAccountPasswordPolicy(ctx, &iam.UpdateAccountPasswordPolicyInput{MinimumPasswordLength: aws.Int32(6)})
			return err
		}},
		// Generate*Report is allowed by name only for the credential report.
		{"iam:GenerateServiceLastAccessedDetails", func() error {
			_, err := iamClient.GenerateServiceLastAccessedDetails(ctx, &iam.GenerateServiceLastAccessedDetailsInput{Arn: aws.String("arn:aws:iam::123456789012:user/x")})
			return err
		}},
		{"organizations:CreateOrganization", func() error {
			_, err := organizations.NewFromConfig(cfg).CreateOrganization(ctx, &organizations.CreateOrganizationInput{FeatureSet: orgtypes.OrganizationFeatureSetAll})
			return err
		}},
		{"sts:GetSessionToken", func() error {
			_, err := sts.NewFromConfig(cfg).GetSessionToken(ctx, &sts.GetSessionTokenInput{})
			return err
		}},
	} {
		err := c.call()
		var refused *NotReadOnlyError
		if !errors.As(err, &refused) || refused.Action != c.action {
			t.Errorf("%s: err = %v, want the guard's refusal", c.action, err)
		}
		if code := errorCode(err); code != "NotReadOnly" {
			t.Errorf("%s: recorded as %q, want NotReadOnly", c.action, code)
		}
		op := c.action[strings.IndexByte(c.action, ':')+1:]
		if n := proxy.Requests(op); n != 0 {
			t.Errorf("%s reached the server %d times", c.action, n)
		}
	}
	// Reads pass.
	if _, err := iamClient.GetAccountSummary(ctx, &iam.GetAccountSummaryInput{}); err != nil {
		t.Errorf("GetAccountSummary through the guard: %v", err)
	}
	if _, err := adminClient(t, endpoint).GetUser(ctx, &iam.GetUserInput{UserName: aws.String("intruder")}); err == nil {
		t.Error("the refused CreateUser created the user")
	}
}

// clientPackages are the AWS services the collector calls, by Go package,
// with the prefix of their IAM actions.
var clientPackages = map[string]string{
	"github.com/aws/aws-sdk-go-v2/service/iam":           "iam",
	"github.com/aws/aws-sdk-go-v2/service/organizations": "organizations",
	"github.com/aws/aws-sdk-go-v2/service/sts":           "sts",
}

// credentialProviders are SDK functions that make API calls on the
// collector's behalf, with the operation they call.
var credentialProviders = map[string]string{
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds.NewAssumeRoleProvider": "sts:AssumeRole",
}

var paginatorName = regexp.MustCompile(`^New([A-Za-z]+)Paginator$`)

// operationsInCode type-checks this package's non-test files and lists
// every operation their code can call: each method called (or taken as a
// value) on an IAM, STS or Organizations client, each paginator built,
// each credential provider that calls STS. It fails on an AWS service
// package it does not know, so a new service cannot slip past.
func operationsInCode(t *testing.T) []string {
	t.Helper()
	// Export data of the dependencies, as the go command built them.
	out, err := exec.Command("go", "list", "-export", "-deps", "-f", "{{.ImportPath}}\t{{.Export}}", ".").Output()
	if err != nil {
		t.Fatalf("go list -export: %v", err)
	}
	exports := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if path, file, ok := strings.Cut(line, "\t"); ok && file != "" {
			exports[path] = file
		}
	}
	fset := token.NewFileSet()
	names, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	var files []*ast.File
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
		for _, spec := range f.Imports {
			path := strings.Trim(spec.Path.Value, `"`)
			service, isService := strings.CutPrefix(path, "github.com/aws/aws-sdk-go-v2/service/")
			if isService && clientPackages[path] == "" && !strings.HasSuffix(service, "/types") {
				t.Errorf("%s imports %s: add the service to clientPackages so its operations are checked", name, path)
			}
		}
	}
	conf := types.Config{Importer: importer.ForCompiler(fset, "gc", func(path string) (io.ReadCloser, error) {
		file, ok := exports[path]
		if !ok {
			return nil, errors.New("no export data for " + path)
		}
		return os.Open(file)
	})}
	info := &types.Info{Selections: map[*ast.SelectorExpr]*types.Selection{}, Uses: map[*ast.Ident]types.Object{}}
	if _, err := conf.Check("github.com/iamscan/iamscan/collector/live", fset, files, info); err != nil {
		t.Fatalf("type-checking the collector: %v", err)
	}

	seen := map[string]bool{}
	for _, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			se, ok := n.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			pos := fset.Position(se.Pos())
			if sel := info.Selections[se]; sel != nil && sel.Kind() != types.FieldVal {
				recv := sel.Recv()
				if p, ok := recv.(*types.Pointer); ok {
					recv = p.Elem()
				}
				named, ok := types.Unalias(recv).(*types.Named)
				if !ok || named.Obj().Pkg() == nil || named.Obj().Name() != "Client" {
					return true
				}
				prefix := clientPackages[named.Obj().Pkg().Path()]
				if prefix == "" {
					if strings.HasPrefix(named.Obj().Pkg().Path(), "github.com/aws/aws-sdk-go-v2/service/") {
						t.Errorf("%s: %s.%s on a client of an unknown service", pos, named.Obj().Pkg().Path(), se.Sel.Name)
					}
					return true
				}
				if se.Sel.Name != "Options" { // the client's settings, not an API call
					seen[prefix+":"+se.Sel.Name] = true
				}
				return true
			}
			fn, ok := info.Uses[se.Sel].(*types.Func)
			if !ok || fn.Pkg() == nil {
				return true
			}
			if prefix := clientPackages[fn.Pkg().Path()]; prefix != "" {
				if m := paginatorName.FindStringSubmatch(fn.Name()); m != nil {
					seen[prefix+":"+m[1]] = true
				}
				return true
			}
			if op := credentialProviders[fn.Pkg().Path()+"."+fn.Name()]; op != "" {
				seen[op] = true
			} else if fn.Pkg().Path() == "github.com/aws/aws-sdk-go-v2/credentials/stscreds" {
				t.Errorf("%s: stscreds.%s calls STS: add it to credentialProviders", pos, fn.Name())
			}
			return true
		})
	}
	ops := make([]string, 0, len(seen))
	for op := range seen {
		ops = append(ops, op)
	}
	slices.Sort(ops)
	return ops
}

// The read-only promise, checked on the code rather than on what one
// test run happened to call: every operation the collector's code can
// send is on the guard's list, the list holds nothing else, the shipped
// policy allows exactly the same, and all of them are reads.
func TestCollectorOperationsFromCode(t *testing.T) {
	inCode := operationsInCode(t)
	if len(inCode) < 10 {
		t.Fatalf("found only %d operations in the code (%v): the analysis is broken", len(inCode), inCode)
	}
	var guarded []string
	for op := range readOnlyOperations {
		guarded = append(guarded, op)
	}
	slices.Sort(guarded)
	allowed := policyActions(t)

	for _, op := range inCode {
		if !readOnlyOperations[op] {
			t.Errorf("the code calls %s, which the read-only guard refuses", op)
		}
		if !slices.Contains(allowed, op) {
			t.Errorf("the code calls %s, which %s does not allow", op, collectorPolicyFile)
		}
	}
	for _, op := range guarded {
		if !readOnlyAction.MatchString(op) {
			t.Errorf("the guard lets %s through, which is not a read-only operation", op)
		}
		if !slices.Contains(inCode, op) {
			t.Errorf("the guard lets %s through, which the code never calls", op)
		}
	}
	for _, op := range allowed {
		if !slices.Contains(inCode, op) {
			t.Errorf("%s allows %s, which the code never calls: not least privilege", collectorPolicyFile, op)
		}
	}
	t.Logf("operations in the code: %v", inCode)
}
