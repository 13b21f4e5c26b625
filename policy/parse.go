package policy

import (
	"fmt"
	"strings"

	"github.com/iamscan/iamscan/jsonpos"
)

// Source is one input file, parsed once, with its line index; it turns
// byte offsets into Locations.
type Source struct {
	Name  string
	Data  []byte
	lines *jsonpos.Lines
	// fixed, when set, is returned for every span: the bytes are the
	// decoded form of a URL-encoded string, so the only position a reader
	// can find in the file is the string itself.
	fixed *Location
	// hint is where the last position asked for was: readers ask in
	// file order, so the next one is usually on or near it.
	hint jsonpos.Cursor
}

// NewSource wraps the contents of a named input.
func NewSource(name string, data []byte) *Source {
	return &Source{Name: name, Data: data}
}

// Span returns the Location of the bytes [off, end).
func (s *Source) Span(off, end int) Location {
	if s == nil {
		return Location{}
	}
	if s.fixed != nil {
		return *s.fixed
	}
	if s.lines == nil {
		s.lines = jsonpos.NewLines(s.Data)
	}
	l, c := s.lines.PosNear(off, &s.hint)
	el, ec := l, c
	if end > off {
		endHint := s.hint
		el, ec = s.lines.PosNear(end-1, &endHint)
		ec++ // SARIF end columns are exclusive
	}
	return Location{File: s.Name, Line: l, Col: c, EndLine: el, EndCol: ec}
}

// At returns the Location of a parsed value.
func (s *Source) At(v *jsonpos.Value) Location { return s.Span(v.Off, v.End) }

// ParseError turns a jsonpos syntax error into a Problem naming the file,
// line and column.
func (s *Source) ParseError(err error) Problem {
	if se, ok := err.(*jsonpos.SyntaxError); ok {
		return Problem{Loc: s.Span(se.Off, se.Off), Message: "invalid JSON: " + se.Msg}
	}
	return Problem{Loc: Location{File: s.Name}, Message: err.Error()}
}

// Parse parses a policy document from JSON text. Problems inside the
// document are in the result's Problems; an error is returned only when
// the text is not JSON at all.
func Parse(name string, data []byte) (*Document, error) {
	src := NewSource(name, data)
	v, err := jsonpos.Parse(data)
	if err != nil {
		return nil, src.ParseError(err)
	}
	return FromJSON(src, v), nil
}

// FromJSON builds a Document from a parsed JSON value of src.
func FromJSON(src *Source, v *jsonpos.Value) *Document {
	d := &Document{Loc: src.At(v)}
	p := &docParser{src: src, doc: d}
	if v.Kind != jsonpos.Object {
		p.problem(v, "a policy document must be a JSON object, found %s", v.Kind)
		return d
	}
	var stmt *jsonpos.Value
	for i := range v.Members {
		m := &v.Members[i]
		if p.duplicate(v.Members, i) {
			continue
		}
		switch m.Key {
		case "Version":
			d.Version = p.str(&m.Value, "Version")
			if d.Version != "" && d.Version != "2012-10-17" && d.Version != "2008-10-17" {
				p.problem(&m.Value, "unknown policy Version %q (expected 2012-10-17 or 2008-10-17)", d.Version)
			}
		case "Id":
			d.ID = p.str(&m.Value, "Id")
		case "Statement":
			stmt = &m.Value
		default:
			p.problem(&m.Value, "unknown policy element %q", m.Key)
		}
	}
	switch {
	case stmt == nil:
		p.problem(v, "policy document has no Statement")
	case stmt.Kind == jsonpos.Object:
		p.statement(stmt, 0)
	case stmt.Kind == jsonpos.Array:
		if len(stmt.Elems) == 0 {
			p.problem(stmt, "Statement is an empty list; the document grants and denies nothing")
		}
		for i := range stmt.Elems {
			p.statement(&stmt.Elems[i], i)
		}
	default:
		p.problem(stmt, "Statement must be an object or a list of objects, found %s", stmt.Kind)
	}
	if !d.PolicyVariables() {
		p.literalVariables()
	}
	return d
}

// literalVariables reports "${...}" in a document whose Version does not
// enable policy variables: AWS reads it as literal text, which is almost
// never what the author meant (the statement then grants or denies
// nothing they expected). Only documents without Version 2012-10-17 are
// walked, after parsing, because Version may follow Statement.
func (p *docParser) literalVariables() {
	version := "has no Version"
	if p.doc.Version != "" {
		version = fmt.Sprintf("has Version %q", p.doc.Version)
	}
	report := func(loc Location, what, value string) {
		p.doc.Problems = append(p.doc.Problems, Problem{Loc: loc, Message: fmt.Sprintf(
			"%s %q holds a policy variable, but the document %s: AWS reads it as literal text (variables need \"Version\": \"2012-10-17\")",
			what, value, version)})
	}
	for _, st := range p.doc.Statements {
		for _, r := range st.Resource.List {
			if strings.Contains(r, "${") {
				report(st.Resource.Loc, "Resource", r)
				break
			}
		}
		for _, c := range st.Condition {
			for _, v := range c.Values {
				if strings.Contains(v, "${") {
					report(c.Loc, "condition value", v)
					break
				}
			}
		}
	}
}

type docParser struct {
	src *Source
	doc *Document
}

func (p *docParser) problem(v *jsonpos.Value, format string, args ...any) {
	p.doc.Problems = append(p.doc.Problems, Problem{Loc: p.src.At(v), Message: fmt.Sprintf(format, args...)})
}

// duplicate reports a member whose key an earlier member of the same
// object already used. JSON parsers disagree on which copy wins, so a
// reader could see a different policy than AWS does: keep the first and
// say so.
func (p *docParser) duplicate(members []jsonpos.Member, i int) bool {
	for j := 0; j < i; j++ {
		if members[j].Key == members[i].Key {
			p.problem(&members[i].Value, "duplicate element %q; only the first is read", members[i].Key)
			return true
		}
	}
	return false
}

// repeated reports a key used twice in a Principal or Condition object.
// Both copies are read there (a second "AWS" may hold the wildcard that
// matters), but a reader must know AWS may see only one of them.
func (p *docParser) repeated(members []jsonpos.Member, i int, where string) {
	for j := 0; j < i; j++ {
		if members[j].Key == members[i].Key {
			p.problem(&members[i].Value, "duplicate element %q in %s; both copies are read, but AWS may read only one", members[i].Key, where)
			return
		}
	}
}

func (p *docParser) str(v *jsonpos.Value, what string) string {
	if v.Kind != jsonpos.String {
		p.problem(v, "%s must be a string, found %s", what, v.Kind)
		return ""
	}
	return v.Str
}

func (p *docParser) statement(v *jsonpos.Value, index int) {
	if v.Kind != jsonpos.Object {
		p.problem(v, "statement %d must be an object, found %s", index, v.Kind)
		return
	}
	s := &Statement{Index: index, Loc: p.src.At(v)}
	hasEffect := false
	for i := range v.Members {
		m := &v.Members[i]
		if p.duplicate(v.Members, i) {
			continue
		}
		switch m.Key {
		case "Sid":
			s.Sid = p.str(&m.Value, "Sid")
		case "Effect":
			hasEffect = true
			switch e := p.str(&m.Value, "Effect"); e {
			case "Allow":
				s.Effect = Allow
			case "Deny":
				s.Effect = Deny
			default:
				if m.Value.Kind == jsonpos.String {
					p.problem(&m.Value, "Effect must be \"Allow\" or \"Deny\", found %q", e)
				}
			}
		case "Action", "NotAction":
			p.values(&s.Action, m, "Action")
		case "Resource", "NotResource":
			p.values(&s.Resource, m, "Resource")
		case "Principal", "NotPrincipal":
			if s.Principal != nil {
				p.problem(&m.Value, "statement has both Principal and NotPrincipal")
				continue
			}
			s.Principal = p.principal(m)
		case "Condition":
			s.Condition = p.conditions(&m.Value)
		default:
			p.problem(&m.Value, "unknown statement element %q", m.Key)
		}
	}
	if !hasEffect {
		p.problem(v, "statement %d has no Effect", index)
	}
	if !s.Action.Present {
		p.problem(v, "statement %d has neither Action nor NotAction", index)
	}
	p.doc.Statements = append(p.doc.Statements, s)
}

func (p *docParser) values(dst *Values, m *jsonpos.Member, base string) {
	if dst.Present {
		p.problem(&m.Value, "statement has both %s and Not%s", base, base)
		return
	}
	dst.Present = true
	dst.Not = strings.HasPrefix(m.Key, "Not")
	dst.Loc = p.src.At(&m.Value)
	dst.List = p.stringList(&m.Value, m.Key)
	if len(dst.List) == 0 && m.Value.Kind == jsonpos.Array {
		p.problem(&m.Value, "%s is an empty list", m.Key)
	}
	// AWS rejects an empty action or resource. The entry is kept (it
	// matches no request) but the reader must learn the statement is
	// broken rather than see it silently grant or deny nothing.
	empty := func(v *jsonpos.Value) {
		if v.Kind == jsonpos.String && v.Str == "" {
			p.problem(v, "%s entry is an empty string, which AWS rejects", m.Key)
		}
	}
	empty(&m.Value)
	for i := range m.Value.Elems {
		empty(&m.Value.Elems[i])
	}
}

// stringList reads a string-or-list-of-strings element.
func (p *docParser) stringList(v *jsonpos.Value, what string) []string {
	switch v.Kind {
	case jsonpos.String:
		return []string{v.Str}
	case jsonpos.Array:
		out := make([]string, 0, len(v.Elems))
		for i := range v.Elems {
			e := &v.Elems[i]
			if e.Kind != jsonpos.String {
				p.problem(e, "%s entries must be strings, found %s", what, e.Kind)
				continue
			}
			out = append(out, e.Str)
		}
		return out
	}
	p.problem(v, "%s must be a string or a list of strings, found %s", what, v.Kind)
	return nil
}

func (p *docParser) principal(m *jsonpos.Member) *Principal {
	v := &m.Value
	pr := &Principal{Not: m.Key == "NotPrincipal", Loc: p.src.At(v)}
	switch v.Kind {
	case jsonpos.String:
		if v.Str != "*" {
			p.problem(v, "%s as a string must be \"*\", found %q", m.Key, v.Str)
		}
		pr.Wildcard = v.Str == "*"
	case jsonpos.Object:
		if len(v.Members) == 0 {
			p.problem(v, "%s is an empty object; it names no one", m.Key)
		}
		for i := range v.Members {
			pm := &v.Members[i]
			p.repeated(v.Members, i, m.Key)
			list := p.stringList(&pm.Value, m.Key+"."+pm.Key)
			if pm.Value.Kind == jsonpos.Array && len(pm.Value.Elems) == 0 {
				p.problem(&pm.Value, "%s.%s is an empty list", m.Key, pm.Key)
			}
			switch pm.Key {
			case "AWS":
				pr.AWS = append(pr.AWS, list...)
			case "Service":
				pr.Service = append(pr.Service, list...)
			case "Federated":
				pr.Federated = append(pr.Federated, list...)
			case "CanonicalUser":
				pr.CanonicalUser = append(pr.CanonicalUser, list...)
			default:
				p.problem(&pm.Value, "unknown principal type %q in %s", pm.Key, m.Key)
			}
		}
	default:
		p.problem(v, "%s must be \"*\" or an object, found %s", m.Key, v.Kind)
	}
	return pr
}

func (p *docParser) conditions(v *jsonpos.Value) []Condition {
	if v.Kind != jsonpos.Object {
		p.problem(v, "Condition must be an object, found %s", v.Kind)
		return nil
	}
	var out []Condition
	for i := range v.Members {
		op := &v.Members[i]
		p.repeated(v.Members, i, "Condition")
		if !ValidOperator(op.Key) {
			// IAM rejects the policy; evaluation treats the statement
			// as conditional rather than guess.
			msg := fmt.Sprintf("unknown condition operator %q; the statement is evaluated as conditional", op.Key)
			if s := suggestOperator(op.Key); s != "" {
				msg = fmt.Sprintf("unknown condition operator %q (did you mean %q?); the statement is evaluated as conditional", op.Key, s)
			}
			p.doc.Problems = append(p.doc.Problems, Problem{Loc: p.src.Span(op.KeyOff, op.KeyOff+len(op.Key)+2), Message: msg})
		}
		if op.Value.Kind != jsonpos.Object {
			p.problem(&op.Value, "condition operator %q must map to an object of keys, found %s", op.Key, op.Value.Kind)
			continue
		}
		for j := range op.Value.Members {
			k := &op.Value.Members[j]
			p.repeated(op.Value.Members, j, "condition "+op.Key)
			c := Condition{Operator: op.Key, Key: k.Key, Loc: p.src.Span(k.KeyOff, k.Value.End)}
			switch k.Value.Kind {
			case jsonpos.Array:
				for e := range k.Value.Elems {
					if s, ok := p.scalar(&k.Value.Elems[e], op.Key, k.Key); ok {
						c.Values = append(c.Values, s)
					}
				}
			default:
				if s, ok := p.scalar(&k.Value, op.Key, k.Key); ok {
					c.Values = append(c.Values, s)
				}
			}
			out = append(out, c)
		}
	}
	return out
}

func (p *docParser) scalar(v *jsonpos.Value, op, key string) (string, bool) {
	switch v.Kind {
	case jsonpos.String, jsonpos.Number:
		return v.Str, true
	case jsonpos.Bool:
		if v.Bool {
			return "true", true
		}
		return "false", true
	}
	p.problem(v, "condition %s %s: values must be strings, numbers or booleans, found %s", op, key, v.Kind)
	return "", false
}
