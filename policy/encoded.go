package policy

import (
	"net/url"
	"strconv"

	"github.com/iamscan/iamscan/jsonpos"
)

// FromValue builds a Document from a policy document as the IAM API and
// the AWS CLI write it: either a JSON object (the CLI decodes documents)
// or a string. A string is URL-encoded JSON in the raw API form (what the
// SDKs return) and plain JSON text in some tools' output (Organizations'
// policy Content, or moto's AssumeRolePolicyDocument); only the former is
// decoded, so that a literal '%' in plain JSON survives.
//
// Every Location of a document read from a string points at that string:
// positions inside the decoded text would match nothing in the file.
// Problems (bad encoding, bad JSON, wrong grammar) are in the Document;
// the result is never nil.
func FromValue(src *Source, v *jsonpos.Value) *Document {
	if v.Kind != jsonpos.String {
		return FromJSON(src, v)
	}
	at := src.At(v)
	text, encoded := decodeDocument(v.Str)
	if text == nil {
		return &Document{Loc: at, Encoded: true, Problems: []Problem{{Loc: at,
			Message: "policy document is neither JSON nor valid URL-encoded JSON"}}}
	}
	inner := &Source{Name: src.Name, Data: text, fixed: &at}
	parsed, err := jsonpos.Parse(text)
	if err != nil {
		msg := "policy document string is not valid JSON"
		if encoded {
			msg = "URL-decoded policy document is not valid JSON"
		}
		if se, ok := err.(*jsonpos.SyntaxError); ok {
			// The position inside the decoded text still helps the
			// reader find the mistake.
			l, c := jsonpos.NewLines(text).Pos(se.Off)
			msg += ": " + se.Msg + " (decoded line " + strconv.Itoa(l) + ", column " + strconv.Itoa(c) + ")"
		}
		return &Document{Loc: at, Encoded: encoded, Problems: []Problem{{Loc: at, Message: msg}}}
	}
	d := FromJSON(inner, parsed)
	d.Encoded = encoded
	return d
}

// decodeDocument returns the JSON text of a document string and whether it
// was URL-encoded; nil when the string is neither.
func decodeDocument(s string) ([]byte, bool) {
	if looksLikeJSON(s) {
		return []byte(s), false
	}
	// PathUnescape, not QueryUnescape: the API encodes with %XX only, and
	// a '+' in a document (e.g. "arn:aws:s3:::a+b") is a plus sign.
	dec, err := url.PathUnescape(s)
	if err != nil {
		return nil, true
	}
	return []byte(dec), true
}

func looksLikeJSON(s string) bool {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case ' ', '\t', '\n', '\r':
			continue
		case '{':
			return true
		}
		return false
	}
	return false
}
