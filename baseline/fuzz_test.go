package baseline

import "testing"

// FuzzParse: no file makes Parse panic.
func FuzzParse(f *testing.F) {
	f.Add([]byte(`{"findings": [{"fingerprint": "a"}]}`))
	f.Add([]byte(`{"findings": [null]}`))
	f.Add([]byte("{\n\"findings\": [,]}"))
	f.Fuzz(func(t *testing.T, data []byte) {
		Parse("f.json", data)
	})
}
