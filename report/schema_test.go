package report

import (
	"bytes"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// compileSchema compiles one JSON Schema file, asserting formats (so a
// "uri" that is not a URI is an error, as GitHub's upload would warn).
func compileSchema(t testing.TB, path string) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	dropMisplacedKeywords(doc)
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	url := "file:///" + filepath.ToSlash(filepath.Base(path))
	if err := c.AddResource(url, doc); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	sch, err := c.Compile(url)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
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

// sarifSchemas are the OASIS schema and GitHub's copy, compiled once.
var sarifSchemas = struct {
	once sync.Once
	s    map[string]*jsonschema.Schema
}{}

func sarifValidators(t testing.TB) map[string]*jsonschema.Schema {
	dir := sharedDir(t, "sarif-schema")
	sarifSchemas.once.Do(func() {
		sarifSchemas.s = map[string]*jsonschema.Schema{
			"oasis":  compileSchema(t, filepath.Join(dir, "sarif-schema-2.1.0.json")),
			"github": compileSchema(t, filepath.Join(dir, "codeql-action-sarif-schema-2.1.0.json")),
		}
	})
	return sarifSchemas.s
}

// validateSARIF checks a SARIF log against both schemas.
func validateSARIF(t testing.TB, data []byte) {
	t.Helper()
	for name, sch := range sarifValidators(t) {
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
	dir := sharedDir(t, "sarif-schema")
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
		for name, sch := range sarifValidators(t) {
			err := validateBytes(sch, data)
			if (err == nil) != tt.valid {
				t.Errorf("%s against the %s schema: valid = %v, want %v (%v)", tt.file, name, err == nil, tt.valid, err)
			}
		}
	}
}
