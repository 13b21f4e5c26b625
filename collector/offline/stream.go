package offline

import (
	"github.com/iamscan/iamscan/jsonpos"
)

// json reads a JSON input and returns its kind. The lists of
// GetAccountAuthorizationDetails (at the top, in a list of pages, or in
// a raw document's AuthorizationDetails) are read one entry at a time as
// they stream past, so a large account never exists as one tree (a tree
// is several times the size of its file). Everything else is parsed as a
// tree and dispatched on its keys.
func (r *reader) json(it *jsonpos.Iter) (string, error) {
	kind, _ := it.Peek()
	start := it.Offset()
	switch kind {
	case jsonpos.Object:
		top, streamed, err := r.shallow(it, true)
		if err != nil {
			return "", err
		}
		if next, _ := it.Peek(); next == jsonpos.Object && (streamed || detect(top) == KindAuthorizationDetails) {
			// Pages concatenated into one file (cat page*.json).
			r.authorizationDetails(top)
			for next == jsonpos.Object {
				if err := r.page(it, start); err != nil {
					return "", err
				}
				next, _ = it.Peek()
			}
			return KindAuthorizationDetails, it.Finish()
		}
		if err := it.Finish(); err != nil {
			return "", err
		}
		return r.dispatch(top, streamed)
	case jsonpos.Array:
		pages := 0
		err := it.Array(func(int) error {
			pages++
			return r.page(it, start)
		})
		if err != nil {
			return "", err
		}
		if err := it.Finish(); err != nil {
			return "", err
		}
		if pages == 0 {
			return "", r.unrecognized(start, notPagesMsg)
		}
		return KindAuthorizationDetails, nil
	}
	v, err := it.Value()
	if err != nil {
		return "", err
	}
	if err := it.Finish(); err != nil {
		return "", err
	}
	return r.dispatch(v, false)
}

const notPagesMsg = "only get-account-authorization-details pages may be listed or concatenated in one file"

// page reads one get-account-authorization-details page of a list or a
// concatenation of pages; anything else makes the file unrecognized
// (reported at start).
func (r *reader) page(it *jsonpos.Iter, start int) error {
	if k, _ := it.Peek(); k != jsonpos.Object {
		return r.unrecognized(start, notPagesMsg)
	}
	page, streamed, err := r.shallow(it, false)
	if err != nil {
		return err
	}
	if !streamed && detect(page) != KindAuthorizationDetails {
		return r.unrecognized(start, notPagesMsg)
	}
	r.authorizationDetails(page)
	return nil
}

// shallow reads an object whose detail lists it streams through the
// entity readers; the returned value holds the other members. streamed
// reports whether it held detail lists. At the top, a raw document's
// AuthorizationDetails is read the same way.
func (r *reader) shallow(it *jsonpos.Iter, top bool) (*jsonpos.Value, bool, error) {
	it.Peek()
	v := &jsonpos.Value{Kind: jsonpos.Object, Off: it.Offset(), Members: []jsonpos.Member{}}
	streamed := false
	err := it.Object(func(key string, keyOff int) error {
		kind, _ := it.Peek()
		if kind == jsonpos.Array && isDetailList(key) {
			streamed = true
			pipe := r.startEntityPipe(key)
			defer pipe.close()
			return it.Array(func(int) error {
				slab := <-pipe.free
				e, err := it.BorrowIn(slab)
				if err != nil {
					return err
				}
				pipe.jobs <- entityJob{entity: e, slab: slab}
				return nil
			})
		}
		var val *jsonpos.Value
		var err error
		if top && kind == jsonpos.Object && key == "AuthorizationDetails" {
			val, _, err = r.shallow(it, false)
		} else {
			val, err = it.Value()
		}
		if err != nil {
			return err
		}
		v.Members = append(v.Members, jsonpos.Member{Key: key, KeyOff: keyOff, Value: *val})
		return nil
	})
	v.End = it.Offset()
	return v, streamed, err
}

// entityPipe converts the entities of one detail list on a second
// goroutine while the reader parses the next ones: on a large dump,
// parsing and converting each take about half of the load. Only the
// pipe's goroutine touches the loader's state until close returns, and it
// converts entities in input order, so results do not change.
type entityPipe struct {
	jobs chan entityJob
	// free holds the slabs parsed trees live in; an entity's slab comes
	// back once it is converted, which bounds memory.
	free chan *jsonpos.Slab
	done chan struct{}
}

type entityJob struct {
	entity *jsonpos.Value
	slab   *jsonpos.Slab
}

// entityPipeDepth is how many parsed entities may wait for conversion.
const entityPipeDepth = 16

func (r *reader) startEntityPipe(list string) *entityPipe {
	p := &entityPipe{
		jobs: make(chan entityJob, entityPipeDepth),
		free: make(chan *jsonpos.Slab, entityPipeDepth+2),
		done: make(chan struct{}),
	}
	for range entityPipeDepth + 2 {
		p.free <- new(jsonpos.Slab)
	}
	go func() {
		defer close(p.done)
		for job := range p.jobs {
			r.detailEntry(list, job.entity)
			p.free <- job.slab
		}
	}()
	return p
}

// close waits until every parsed entity is converted.
func (p *entityPipe) close() {
	close(p.jobs)
	<-p.done
}

func isDetailList(key string) bool {
	switch key {
	case "UserDetailList", "GroupDetailList", "RoleDetailList", "Policies":
		return true
	}
	return false
}

// detailEntry reads one entry of a detail list.
func (r *reader) detailEntry(list string, e *jsonpos.Value) {
	switch list {
	case "UserDetailList":
		r.user(e)
	case "GroupDetailList":
		r.group(e)
	case "RoleDetailList":
		r.role(e)
	case "Policies":
		r.managedPolicy(e)
	}
}

// dispatch reads a parsed input by kind.
func (r *reader) dispatch(v *jsonpos.Value, streamed bool) (string, error) {
	kind := detect(v)
	if streamed && kind != KindRaw {
		kind = KindAuthorizationDetails
	}
	var err error
	switch kind {
	case KindRaw:
		err = r.raw(v)
	case KindAuthorizationDetails:
		r.authorizationDetails(v)
	case KindCredentialReport:
		err = r.credentialReportJSON(v)
	case KindPasswordPolicy:
		r.passwordPolicyOutput(v)
	case KindAccountSummary:
		r.accountSummaryOutput(v)
	case KindPolicyDocument:
		r.standalone(v)
	default:
		return "", r.unrecognized(v.Off, describeUnknown(v))
	}
	return kind, err
}

func (r *reader) unrecognized(off int, why string) error {
	return &InputError{Loc: r.src.Span(off, off), Msg: "not a recognized input: " + why}
}
