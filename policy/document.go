// Package policy is the IAM policy language: documents with source
// positions, the action catalog, wildcard matching and request evaluation.
// It depends on the standard library only (and jsonpos for parsing).
package policy

import "fmt"

// Location is a span in an input file. Lines and columns are 1-based; a
// zero Line means the position is unknown (for example a document that
// came from the embedded managed-policy set).
type Location struct {
	File    string `json:"file,omitempty"`
	Line    int    `json:"line,omitempty"`
	Col     int    `json:"col,omitempty"`
	EndLine int    `json:"endLine,omitempty"`
	EndCol  int    `json:"endCol,omitempty"`
}

func (l Location) String() string {
	switch {
	case l.File == "":
		return "<unknown>"
	case l.Line == 0:
		return l.File
	}
	return fmt.Sprintf("%s:%d:%d", l.File, l.Line, l.Col)
}

// Problem is something in an input that the scanner could not understand
// or that does not follow the IAM grammar. Problems are reported to the
// user; nothing is dropped silently.
type Problem struct {
	Loc     Location `json:"location"`
	Message string   `json:"message"`
}

func (p Problem) Error() string { return p.Loc.String() + ": " + p.Message }

// Effect is Allow or Deny.
type Effect uint8

const (
	EffectInvalid Effect = iota
	Allow
	Deny
)

func (e Effect) String() string {
	switch e {
	case Allow:
		return "Allow"
	case Deny:
		return "Deny"
	}
	return "Invalid"
}

// Document is one parsed policy document.
type Document struct {
	Version    string // "" when absent
	ID         string
	Statements []*Statement
	Loc        Location
	// Encoded is true when the document arrived as a URL-encoded string
	// (the raw IAM API form); positions then point at that string.
	Encoded bool
	// Problems found while parsing this document.
	Problems []Problem
}

// Statement is one statement of a document. Exactly one of Action and
// NotAction is present in a valid statement, and likewise for Resource
// and NotResource, Principal and NotPrincipal.
type Statement struct {
	Sid       string
	Effect    Effect
	Action    Values // Action or, with Not set, NotAction
	Resource  Values // Resource or NotResource
	Principal *Principal
	Condition []Condition
	Index     int // position of the statement in its document, from 0
	Loc       Location
}

// Values is a string-or-list element (Action, NotAction, Resource,
// NotResource) as written.
type Values struct {
	Present bool
	Not     bool // NotAction / NotResource
	List    []string
	Loc     Location
}

// Principal is the Principal or NotPrincipal element. Wildcard is set for
// the bare string "*"; {"AWS": "*"} appears as AWS: ["*"].
type Principal struct {
	Not           bool
	Wildcard      bool
	AWS           []string
	Service       []string
	Federated     []string
	CanonicalUser []string
	Loc           Location
}

// Condition is one operator/key pair of a Condition block. Values hold
// strings as written; numbers and booleans as their JSON text.
type Condition struct {
	Operator string // as written, e.g. "ForAnyValue:StringLike", "StringEqualsIfExists"
	Key      string
	Values   []string
	Loc      Location
}

// PolicyVariables reports whether ${...} in the document's Resource and
// condition values are policy variables. "IAM JSON policy elements:
// Version": only version 2012-10-17 has them; without a Version element,
// or with 2008-10-17, "${aws:username}" is literal text.
func (d *Document) PolicyVariables() bool { return d.Version == "2012-10-17" }

// Statement returns the statement with the given Sid, or nil.
func (d *Document) Statement(sid string) *Statement {
	for _, s := range d.Statements {
		if s.Sid == sid {
			return s
		}
	}
	return nil
}
