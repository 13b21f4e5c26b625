package access

import (
	"sort"
	"strings"
	"sync"

	"github.com/iamscan/iamscan/policy"
)

// An ARN pattern of a Resource or NotResource element can only match
// resources of the services its service segment names, and so only reach
// the actions that accept a resource type of those services. The
// resource types of an action come from the catalog with their ARN
// formats, whose service is not always the action's prefix:
// sts:AssumeRole takes arn:...:iam::...:role/..., so a pattern is
// compared with the formats, never with the action name.

// reachIndex maps the service segment of the catalog's ARN formats to the
// actions that accept a resource type with that format.
type reachIndex struct {
	// rl holds the actions that accept at least one resource type.
	rl       policy.ActionSet
	bySvc    map[string]policy.ActionSet
	services []string
	// anySvc holds the actions with a format whose service is itself a
	// variable (backup's recoveryPoint: arn:${Partition}:${Vendor}:...):
	// any pattern may reach them.
	anySvc policy.ActionSet
}

var reachIndexes sync.Map // *policy.Catalog → *reachIndex

func reachIndexFor(c *policy.Catalog) *reachIndex {
	if v, ok := reachIndexes.Load(c); ok {
		return v.(*reachIndex)
	}
	ix := &reachIndex{rl: c.NewSet(), bySvc: map[string]policy.ActionSet{}, anySvc: c.NewSet()}
	for i := range c.Len() {
		a := c.Action(policy.ActionID(i))
		for _, rt := range a.ResourceTypes {
			ix.rl.Add(a.ID)
			for _, f := range rt.ARNFormats {
				parts := strings.SplitN(f, ":", 4)
				if len(parts) < 4 {
					continue
				}
				svc := parts[2]
				if strings.Contains(svc, "${") {
					ix.anySvc.Add(a.ID)
					continue
				}
				set := ix.bySvc[svc]
				if set == nil {
					set = c.NewSet()
					ix.bySvc[svc] = set
					ix.services = append(ix.services, svc)
				}
				set.Add(a.ID)
			}
		}
	}
	sort.Strings(ix.services)
	v, _ := reachIndexes.LoadOrStore(c, ix)
	return v.(*reachIndex)
}

// reachKind says what an ARN pattern can match.
type reachKind uint8

const (
	reachNone      reachKind = iota // no ARN at all ("bucket/*", "arn:aws")
	reachSome                       // some resources of the services in the set
	reachUniversal                  // every ARN of the partition ("arn:*", "arn:aws:*:*:*:*")
)

type reach struct {
	kind reachKind
	// set holds the actions the pattern can reach (reachSome): those of
	// its services, or every action with resource types when the
	// service is not known.
	set policy.ActionSet
}

// patternReach says which actions an ARN pattern (not "*") can reach. It
// errs on the side of reaching: a pattern whose service segment it cannot
// read reaches every action that accepts resources.
//
// Only the service's set is cached: most ARN patterns of an account are
// distinct, and reading the first segments of one without allocating
// costs less than hashing it into a cache.
func (e *engine) patternReach(p string) reach {
	if universalARN(p, e.partition) {
		return reach{kind: reachUniversal}
	}
	all := reach{kind: reachSome, set: e.reach.rl}
	segs, n := arnSegments(p)
	seg0 := segs[0]
	switch {
	case strings.Contains(seg0, "${"):
		return all
	case !policy.MatchARN(seg0, "arn"):
		return reach{kind: reachNone}
	case strings.HasSuffix(seg0, "*"):
		// "If the * wildcard is the last character of a resource ARN
		// segment, it can expand to match beyond the colon boundaries."
		return all
	case n < 2:
		return reach{kind: reachNone}
	}
	if seg1 := segs[1]; strings.Contains(seg1, "${") || strings.HasSuffix(seg1, "*") {
		return all
	}
	if n < 3 {
		return reach{kind: reachNone}
	}
	svc := segs[2]
	if strings.Contains(svc, "${") {
		return all
	}
	if set, ok := e.svcReach[svc]; ok {
		return reach{kind: reachSome, set: set}
	}
	set := e.c.NewSet()
	set.Or(e.reach.anySvc)
	if !strings.ContainsAny(svc, "*?") {
		set.Or(e.reach.bySvc[svc])
	} else {
		for _, s := range e.reach.services {
			if policy.MatchARN(svc, s) {
				set.Or(e.reach.bySvc[s])
			}
		}
	}
	e.svcReach[svc] = set
	return reach{kind: reachSome, set: set}
}

// universalARN reports whether a Resource pattern matches every ARN of the
// partition: "arn:" then at most five segments, the first "*"s or the
// partition, the others, and the last, only '*' (a segment-final '*'
// spans the colons after it).
func universalARN(p, partition string) bool {
	rest, ok := strings.CutPrefix(p, "arn:")
	if !ok {
		return false
	}
	n := strings.Count(rest, ":") + 1
	if n > 5 {
		return false
	}
	for i := 0; ; i++ {
		s, after, more := strings.Cut(rest, ":")
		if (i != 0 || s != partition || n == 1) && (s == "" || strings.Trim(s, "*") != "") {
			return false
		}
		if !more {
			return true
		}
		rest = after
	}
}

// arnSegments splits a pattern at its first three colons into n <= 4
// segments, leaving the colons of a policy variable (${aws:username})
// alone.
func arnSegments(p string) (segs [4]string, n int) {
	depth, start := 0, 0
	for i := 0; i < len(p) && n < len(segs)-1; i++ {
		switch {
		case p[i] == '$' && i+1 < len(p) && p[i+1] == '{':
			depth++
		case p[i] == '}' && depth > 0:
			depth--
		case p[i] == ':' && depth == 0:
			segs[n] = p[start:i]
			n++
			start = i + 1
		}
	}
	segs[n] = p[start:]
	return segs, n + 1
}
