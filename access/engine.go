package access

import (
	"slices"
	"strings"

	"github.com/iamscan/iamscan/policy"
	"github.com/iamscan/iamscan/snapshot"
)

// Statements are sorted into categories by effect, condition and reach.
// Actions that do not support resource-level permissions are reached
// only through Resource "*" (an ARN pattern, even "arn:*", does not reach
// them; a NotResource one reaches them everywhere). An ARN pattern
// reaches only the actions that accept a resource type of its service
// (see reach.go): a Deny on arn:aws:s3:::secret/* does not touch
// iam:CreateUser, and NotResource arn:aws:s3:::secret/* leaves it allowed
// everywhere. Rather than masking every statement with the resource-level
// set, the engine accumulates raw categories and applies that mask once
// per principal (see finish); the service masks are applied as each
// statement is accumulated.
const (
	catAll      = iota // every resource: Resource "*", or what NotResource cannot exclude
	catAllRL           // every resource, resource-level actions only: a universal ARN pattern ("arn:*")
	catSome            // some resources: ARN patterns, or what NotResource may exclude
	catCond            // with conditions, Resource "*" or NotResource
	catCondSome        // with conditions, Resource ARNs
	catsPerEffect
	nCats = 2 * catsPerEffect // Allow categories, then Deny
)

// part is where a statement's actions go: a category, and the mask of
// actions its resources can reach (nil: all of them), or cannot (invert).
type part struct {
	cat    int
	mask   policy.ActionSet
	invert bool
}

// stmtSets is what one statement contributes: the expansions of its
// action patterns in one or two categories. A pattern that names one
// action (most patterns do) is kept as that action's id; the others as
// the catalog's shared expansion, never modified.
type stmtSets struct {
	patterns []policy.ActionSet
	ids      []policy.ActionID
	parts    []part
	unknown  []string
}

// or adds a statement's pattern to a category set through a part's mask.
func (pt part) or(dst, p policy.ActionSet) {
	switch {
	case pt.mask == nil:
		dst.Or(p)
	case pt.invert:
		dst.OrAndNot(p, pt.mask)
	default:
		dst.OrAnd(p, pt.mask)
	}
}

// add adds one action to a category set through a part's mask.
func (pt part) add(dst policy.ActionSet, id policy.ActionID) {
	if pt.mask == nil || pt.mask.Has(id) != pt.invert {
		dst.Add(id)
	}
}

// orInto adds the statement's actions to a category set through a part's
// mask.
func (ss *stmtSets) orInto(dst policy.ActionSet, pt part) {
	for _, p := range ss.patterns {
		pt.or(dst, p)
	}
	for _, id := range ss.ids {
		pt.add(dst, id)
	}
}

// docSets is a document's contribution. Small documents keep their
// statements and are accumulated pattern by pattern; large ones (AWS
// managed policies list hundreds of patterns) are merged once into one
// set per category.
type docSets struct {
	stmts   []*stmtSets
	cats    *[nCats]policy.ActionSet
	unknown []string
}

// mergeAbove is the number of patterns above which a document is merged,
// counting idsPerSet single actions as one pattern: setting that many
// bits costs about what OR-ing one whole set does.
const (
	mergeAbove = 16
	idsPerSet  = 64
)

// engine caches expansions for one snapshot.
type engine struct {
	c *policy.Catalog
	// resourceLevel holds the actions that accept resource ARNs.
	resourceLevel policy.ActionSet
	// reach maps ARN services to actions; svcReach caches what each
	// service segment reaches, masks the union for a Resource list with
	// several services.
	reach     *reachIndex
	partition string
	svcReach  map[string]policy.ActionSet
	masks     map[string]policy.ActionSet
	empty     policy.ActionSet
	// expanded caches catalog expansions by pattern as written: the
	// catalog's own cache is keyed by the lower-cased pattern and is
	// safe for concurrent use, both of which cost more.
	expanded map[string]expansion
	// notActions caches NotAction elements by their list (see
	// notAction).
	notActions map[string][]*notAction
	slab       []stmtSets
	docs       map[*policy.Document]*docSets
}

// scratch is one worker's memory for combining principals: sets reused
// for every principal, and the table that lets principals with equal
// permissions share one copy of each set.
type scratch struct {
	acc, bnd [nCats]policy.ActionSet
	out      [8]policy.ActionSet
	lv       levels
	intern   map[uint64][]policy.ActionSet
}

func newScratch(c *policy.Catalog) *scratch {
	w := &scratch{intern: map[uint64][]policy.ActionSet{}}
	for i := range w.acc {
		w.acc[i], w.bnd[i] = c.NewSet(), c.NewSet()
	}
	for i := range w.out {
		w.out[i] = c.NewSet()
	}
	w.lv = levels{c.NewSet(), c.NewSet(), c.NewSet(), c.NewSet(), c.NewSet(), c.NewSet()}
	return w
}

// expansion is what one action pattern covers: one action (set nil), or
// a set.
type notAction struct {
	list    []string
	set     policy.ActionSet
	unknown []string
}

type expansion struct {
	id  policy.ActionID
	set policy.ActionSet
	err error
}

// expand1 expands one action pattern. A plain action name costs a hash
// lookup and no set: 10,078 of the 11,127 distinct patterns of the
// quota benchmark account are such names.
func (e *engine) expand1(p string) expansion {
	if id, concrete, ok := e.c.Exact(p); concrete && ok {
		return expansion{id: id}
	}
	set, err := e.c.Expand(p)
	return expansion{set: set, err: err}
}

// levels are the finished categories of one principal's policies (or of
// its boundary).
type levels struct {
	allowAll, allowSome, allowCond policy.ActionSet
	denyAll, denySome, denyCond    policy.ActionSet
}

func newEngine(c *policy.Catalog, documents int, partition string) *engine {
	ix := reachIndexFor(c)
	if partition == "" {
		partition = "aws"
	}
	return &engine{
		c:             c,
		resourceLevel: ix.rl,
		reach:         ix,
		partition:     partition,
		svcReach:      map[string]policy.ActionSet{},
		masks:         map[string]policy.ActionSet{},
		empty:         c.NewSet(),
		docs:          make(map[*policy.Document]*docSets, documents),
		expanded:      make(map[string]expansion, 4096),
		notActions:    map[string][]*notAction{},
	}
}

// add accumulates a document into acc.
func (e *engine) add(acc *[nCats]policy.ActionSet, d *docSets) {
	if d.cats != nil {
		for i, s := range d.cats {
			acc[i].Or(s)
		}
		return
	}
	for _, ss := range d.stmts {
		for _, pt := range ss.parts {
			ss.orInto(acc[pt.cat], pt)
		}
	}
}

// finish turns raw categories into levels (overwriting lv).
func (e *engine) finish(acc *[nCats]policy.ActionSet, lv *levels) {
	rl := e.resourceLevel
	for eff, dst := range [2][3]policy.ActionSet{{lv.allowAll, lv.allowSome, lv.allowCond}, {lv.denyAll, lv.denySome, lv.denyCond}} {
		raw := acc[eff*catsPerEffect : (eff+1)*catsPerEffect]
		all, some, cond := dst[0], dst[1], dst[2]
		// all = All | (AllRL & RL)
		copy(all, raw[catAllRL])
		all.And(rl)
		all.Or(raw[catAll])
		// some = Some & RL
		copy(some, raw[catSome])
		some.And(rl)
		// cond = Cond | (CondSome & RL)
		copy(cond, raw[catCondSome])
		cond.And(rl)
		cond.Or(raw[catCond])
	}
}

// expand caches the documents a principal's permissions depend on, so
// that principal can then run on several workers with the caches only
// read.
func (e *engine) expand(s *snapshot.Snapshot, p *snapshot.Principal) {
	for _, ref := range s.IdentityPolicies(p) {
		e.doc(ref.Doc)
	}
	if b := p.Boundary; b != nil && b.Policy != nil && b.Policy.Default != nil {
		e.doc(b.Policy.Default)
	}
}

// principal combines a principal's cached documents into its
// permissions, using w's memory. After expand has seen the principal it
// only reads the engine, so workers with their own scratch may run it
// concurrently.
func (e *engine) principal(w *scratch, s *snapshot.Snapshot, p *snapshot.Principal) *Permissions {
	perms := &Permissions{Principal: p, catalog: e.c}
	var unknown []string
	for _, a := range w.acc {
		clear(a)
	}
	for _, ref := range s.IdentityPolicies(p) {
		d := e.doc(ref.Doc)
		e.add(&w.acc, d)
		unknown = append(unknown, d.unknown...)
	}
	every, some, cond, denied := w.out[0], w.out[1], w.out[2], w.out[3]
	e.finish(&w.acc, &w.lv)
	e.resolve(&w.lv, every, some, cond)
	copy(denied, w.lv.denyAll)
	if b := p.Boundary; b != nil {
		if b.Policy == nil || b.Policy.Default == nil {
			perms.BoundaryUnresolved = true
		} else {
			for _, a := range w.bnd {
				clear(a)
			}
			e.add(&w.bnd, e.doc(b.Policy.Default))
			e.finish(&w.bnd, &w.lv)
			be, bs, bc, tmp := w.out[4], w.out[5], w.out[6], w.out[7]
			e.resolve(&w.lv, be, bs, bc)
			// The effective level of an action is the lower of what the
			// identity policies and the boundary allow:
			// cond = (every|some|cond) & (be|bs|bc), some = (every|some) & (be|bs),
			// every = every & be, each without the levels above it.
			cond.Or(every)
			cond.Or(some)
			bc.Or(be)
			bc.Or(bs)
			cond.And(bc)
			some.Or(every)
			bs.Or(be)
			some.And(bs)
			every.And(be)
			some.AndNot(every)
			cond.AndNot(every)
			cond.AndNot(some)
			copy(tmp, w.lv.denyAll)
			denied.Or(tmp)
		}
	}
	perms.Everywhere = w.internSet(every)
	perms.Somewhere = w.internSet(some)
	perms.Conditional = w.internSet(cond)
	perms.Denied = w.internSet(denied)
	if len(unknown) > 0 {
		slices.Sort(unknown)
		perms.Unknown = slices.Compact(unknown)
	}
	return perms
}

// resolve turns accumulated allows and denies into the three allow
// levels, written to every, some and cond: a Deny on every resource
// removes an action; a Deny on some resources caps it at Somewhere; a
// conditional Deny caps it at Conditional.
func (e *engine) resolve(l *levels, every, some, cond policy.ActionSet) {
	copy(every, l.allowAll)
	every.AndNot(l.denySome)
	every.AndNot(l.denyCond)
	every.AndNot(l.denyAll)

	copy(some, l.allowAll)
	some.Or(l.allowSome)
	some.AndNot(every)
	some.AndNot(l.denyCond)
	some.AndNot(l.denyAll)

	copy(cond, l.allowAll)
	cond.Or(l.allowSome)
	cond.Or(l.allowCond)
	cond.AndNot(every)
	cond.AndNot(some)
	cond.AndNot(l.denyAll)
}

// internSet returns a set equal to the scratch set s: one shared with
// the worker's earlier principals when it exists (many principals have
// the same permissions), a new copy otherwise, nil when empty.
func (w *scratch) internSet(s policy.ActionSet) policy.ActionSet {
	if s.Empty() {
		return nil
	}
	key := uint64(14695981039346656037)
	for _, w := range s {
		key = (key ^ w) * 1099511628211
		key ^= key >> 29
	}
	for _, t := range w.intern[key] {
		if t.Equal(s) {
			return t
		}
	}
	s = s.Clone()
	w.intern[key] = append(w.intern[key], s)
	return s
}

func (e *engine) doc(d *policy.Document) *docSets {
	if ds, ok := e.docs[d]; ok {
		return ds
	}
	ds := &docSets{}
	patterns := 0
	for _, st := range d.Statements {
		ss := e.statement(st)
		if ss == nil {
			continue
		}
		ds.unknown = append(ds.unknown, ss.unknown...)
		ds.stmts = append(ds.stmts, ss)
		patterns += len(ss.patterns)*idsPerSet + len(ss.ids)
	}
	if patterns > mergeAbove*idsPerSet {
		cats := new([nCats]policy.ActionSet)
		for _, ss := range ds.stmts {
			for _, pt := range ss.parts {
				if cats[pt.cat] == nil {
					cats[pt.cat] = e.c.NewSet()
				}
				ss.orInto(cats[pt.cat], pt)
			}
		}
		ds.cats, ds.stmts = cats, nil
	}
	e.docs[d] = ds
	return ds
}

// statement expands a statement; doc calls it once per statement, since
// documents are cached. Statements the parser could not
// make sense of (no Effect, no Action) contribute nothing; the parser has
// reported them as problems.
func (e *engine) statement(st *policy.Statement) *stmtSets {
	if st.Effect == policy.EffectInvalid || !st.Action.Present {
		return nil
	}
	if len(e.slab) == 0 {
		e.slab = make([]stmtSets, 256)
	}
	ss := &e.slab[0]
	e.slab = e.slab[1:]
	if st.Action.Not {
		x := e.notAction(st.Action)
		ss.patterns = []policy.ActionSet{x.set}
		ss.unknown = append(ss.unknown, x.unknown...)
	} else {
		for _, p := range st.Action.List {
			x, ok := e.expanded[p]
			if !ok {
				x = e.expand1(p)
				e.expanded[p] = x
			}
			switch {
			case x.err != nil:
				ss.unknown = append(ss.unknown, p)
			case x.set == nil:
				ss.ids = append(ss.ids, x.id)
			default:
				ss.patterns = append(ss.patterns, x.set)
			}
		}
	}
	cond := len(st.Condition) > 0
	pick := func(plain, conditional int) int {
		if cond {
			return conditional
		}
		return plain
	}
	switch {
	case !st.Resource.Present || (!st.Resource.Not && containsStar(st.Resource.List)):
		ss.parts = []part{{cat: pick(catAll, catCond)}}
	case st.Resource.Not && containsStar(st.Resource.List):
		// NotResource "*" reaches nothing.
		ss.patterns, ss.ids = nil, nil
	case st.Resource.Not:
		universal, mask := e.listReach(st.Resource.List)
		switch {
		case universal:
			// Every ARN excluded: only the actions without
			// resource-level permissions, on "*", remain.
			ss.parts = []part{{cat: pick(catAll, catCond), mask: e.resourceLevel, invert: true}}
		case cond:
			ss.parts = []part{{cat: catCond}}
		default:
			// The actions whose resources the list may exclude are
			// allowed on some resources; the others everywhere.
			ss.parts = []part{{cat: catSome, mask: mask}, {cat: catAll, mask: mask, invert: true}}
		}
	default:
		universal, mask := e.listReach(st.Resource.List)
		switch {
		case universal:
			ss.parts = []part{{cat: pick(catAllRL, catCondSome)}}
		case mask.Empty():
			ss.patterns, ss.ids = nil, nil
		default:
			ss.parts = []part{{cat: pick(catSome, catCondSome), mask: mask}}
		}
	}
	if st.Effect == policy.Deny {
		for i := range ss.parts {
			ss.parts[i].cat += catsPerEffect
		}
	}
	return ss
}

// notAction expands a NotAction element. Its set is built (and
// complemented) once per distinct list: accounts repeat a few NotAction
// lists in thousands of statements (the quota benchmark account: 1,988
// statements, 4 lists). The cache is keyed by the list's first pattern
// and compares whole lists, which costs no allocation.
func (e *engine) notAction(v policy.Values) *notAction {
	var first string
	if len(v.List) > 0 {
		first = v.List[0]
	}
	for _, x := range e.notActions[first] {
		if slices.Equal(x.list, v.List) {
			return x
		}
	}
	x := &notAction{list: v.List}
	var errs []error
	x.set, errs = e.c.Actions(v)
	for _, err := range errs {
		if ue, ok := err.(*policy.UnknownActionError); ok {
			x.unknown = append(x.unknown, ue.Pattern)
		}
	}
	e.notActions[first] = append(e.notActions[first], x)
	return x
}

// listReach returns what the ARN patterns of a Resource or NotResource
// list can reach: every ARN (universal), or the actions of their
// services (empty when no pattern is an ARN).
func (e *engine) listReach(list []string) (universal bool, mask policy.ActionSet) {
	var sets []policy.ActionSet
	for _, p := range list {
		r := e.patternReach(p)
		switch r.kind {
		case reachUniversal:
			return true, nil
		case reachSome:
			if !slices.ContainsFunc(sets, func(s policy.ActionSet) bool { return sameSet(s, r.set) }) {
				sets = append(sets, r.set)
			}
		}
	}
	switch len(sets) {
	case 0:
		return false, e.empty
	case 1:
		return false, sets[0]
	}
	key := strings.Join(list, "\x00")
	if m, ok := e.masks[key]; ok {
		return false, m
	}
	m := e.c.NewSet()
	for _, s := range sets {
		m.Or(s)
	}
	e.masks[key] = m
	return false, m
}

// sameSet reports whether two sets are the same memory (the reach caches
// hand out one set per service).
func sameSet(a, b policy.ActionSet) bool { return len(a) > 0 && len(b) > 0 && &a[0] == &b[0] }

func containsStar(list []string) bool {
	for _, r := range list {
		if r == "*" {
			return true
		}
	}
	return false
}
