package policy

import (
	"bytes"
	"net/url"
	"testing"

	"github.com/iamscan/iamscan/jsonpos"
)

func FuzzParse(f *testing.F) {
	for _, seed := range []string{
		`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}`,
		`{"Statement":[{"Sid":"a","Effect":"Deny","NotAction":["iam:*"],"NotResource":"arn:aws:s3:::x"}]}`,
		`{"Statement":[{"Effect":"Allow","Principal":{"AWS":["*"],"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"aws:x":["a",1,true]},"Bool":{"aws:SecureTransport":false}}}]}`,
		`{"Statement":[{"Effect":"Allow","NotPrincipal":"*","Action":[]}]}`,
		`{"Version":1,"Statement":"x","Extra":null}`,
		`[]`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := Parse("in.json", data)
		if err != nil {
			if _, ok := err.(Problem); !ok {
				t.Fatalf("error %T is not a Problem", err)
			}
			return
		}
		lines := bytes.Count(data, []byte("\n")) + 1
		check := func(what string, l Location) {
			if l.File != "in.json" || l.Line < 1 || l.Line > lines || l.EndLine < l.Line || l.EndLine > lines || l.Col < 1 {
				t.Fatalf("%s location %+v outside the input (%d lines)", what, l, lines)
			}
		}
		checkDocument(t, d, check)

		// The same text URL-encoded, as the raw IAM API sends it, must
		// give the same document with every location on the string.
		enc := `"` + url.PathEscape(string(data)) + `"`
		v, err := jsonpos.Parse([]byte(enc))
		if err != nil {
			return // PathEscape keeps some bytes JSON strings reject
		}
		src := NewSource("enc.json", []byte(enc))
		ed := FromValue(src, v)
		if !ed.Encoded || len(ed.Statements) != len(d.Statements) || len(ed.Problems) != len(d.Problems) {
			t.Fatalf("encoded form differs: %d statements, %d problems; plain: %d, %d", len(ed.Statements), len(ed.Problems), len(d.Statements), len(d.Problems))
		}
		whole := src.At(v)
		checkDocument(t, ed, func(what string, l Location) {
			if l != whole {
				t.Fatalf("%s location %+v of an encoded document is not the string's %+v", what, l, whole)
			}
		})
	})
}

func checkDocument(t *testing.T, d *Document, check func(string, Location)) {
	t.Helper()
	check("document", d.Loc)
	for _, p := range d.Problems {
		check("problem "+p.Message, p.Loc)
	}
	for _, s := range d.Statements {
		check("statement", s.Loc)
		if s.Action.Present {
			check("action", s.Action.Loc)
		}
		if s.Resource.Present {
			check("resource", s.Resource.Loc)
		}
		if s.Principal != nil {
			check("principal", s.Principal.Loc)
		}
		for _, c := range s.Condition {
			check("condition", c.Loc)
		}
	}
}
