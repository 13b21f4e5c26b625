package report

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/iamscan/iamscan/internal/shareddata"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

// compileSchemaFile compiles one JSON Schema file, asserting formats (so
// a "uri" that is not a URI is an error, as GitHub's upload would warn).
func compileSchemaFile(path string) (*jsonschema.Schema, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	dropMisplacedKeywords(doc)
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	url := "file:///" + filepath.ToSlash(filepath.Base(path))
	if err := c.AddResource(url, doc); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	sch, err := c.Compile(url)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return sch, nil
}

func compileSchema(t testing.TB, path string) *jsonschema.Schema {
	t.Helper()
	sch, err := compileSchemaFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return sch
}

// dropMisplacedKeywords deletes property definitions that are not
// schemas. GitHub's copy of the SARIF schema has one: an "anyOf" array
// moved inside region's "properties", where it names a property called
// "anyOf" instead of constraining the region. GitHub's own (lenient)
// validator ignores it; a draft 2020-12 compiler rejects the whole
// schema, so we remove it and validate everything else as GitHub does.
func dropMisplacedKeywords(doc any) {
	root, _ := doc.(map[string]any)
	defs, _ := root["definitions"].(map[string]any)
	for _, def := range defs {
		props, _ := def.(map[string]any)["properties"].(map[string]any)
		for name, v := range props {
			if _, isList := v.([]any); isList {
				delete(props, name)
			}
		}
	}
}

// sarifValidators compiles the OASIS SARIF schema and GitHub's copy
// once per test binary. ok is false when the shared data is absent
// (outside CI; under CI that is a failure).
var sarifValidators = sync.OnceValues(func() (map[string]*jsonschema.Schema, error) {
	dir, ok := shareddata.Find("sarif-schema")
	if !ok {
		return nil, nil
	}
	out := map[string]*jsonschema.Schema{}
	for name, file := range map[string]string{"oasis": "sarif-schema-2.1.0.json", "github": "codeql-action-sarif-schema-2.1.0.json"} {
		sch, err := compileSchemaFile(filepath.Join(dir, file))
		if err != nil {
			return nil, err
		}
		out[name] = sch
	}
	return out, nil
})

func sarifSchemasFor(t testing.TB) map[string]*jsonschema.Schema {
	t.Helper()
	sarifDir := shareddata.Path(t, "sarif-schema") // skips or fails when absent
	schemas, err := sarifValidators()
	if err != nil || len(schemas) != 2 {
		t.Fatalf("compiling the SARIF schemas in %s: %v", sarifDir, err)
	}
	return schemas
}

// validateSARIF checks a SARIF log against both schemas. Without the
// shared schemas (outside CI) it logs that it could not, and the calling
// test goes on with its other checks.
func validateSARIF(t testing.TB, data []byte) {
	t.Helper()
	if _, ok := shareddata.Find("sarif-schema"); !ok && !shareddata.Required() {
		t.Log("SARIF not validated: ../shared/data/sarif-schema is missing")
		return
	}
	for name, sch := range sarifSchemasFor(t) {
		if err := validateBytes(sch, data); err != nil {
			t.Errorf("SARIF does not validate against the %s schema: %v", name, err)
		}
	}
}

func validateBytes(sch *jsonschema.Schema, data []byte) error {
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		return err
	}
	return sch.Validate(inst)
}

// The validator must be able to fail: GitHub's invalid samples are
// rejected by both schemas and its valid sample accepted.
func TestSARIFValidatorRejectsInvalidSamples(t *testing.T) {
	dir := shareddata.Path(t, "sarif-schema")
	tests := []struct {
		file  string
		valid bool
	}{
		{"codeql-action-valid-sarif.sarif", true},
		{"codeql-action-invalid-sarif.sarif", false},
		{"codeql-action-with-invalid-uri.sarif", false},
	}
	for _, tt := range tests {
		data, err := os.ReadFile(filepath.Join(dir, tt.file))
		if err != nil {
			t.Fatal(err)
		}
		for name, sch := range sarifSchemasFor(t) {
			err := validateBytes(sch, data)
			if (err == nil) != tt.valid {
				t.Errorf("%s against the %s schema: valid = %v, want %v (%v)", tt.file, name, err == nil, tt.valid, err)
			}
		}
	}
}
