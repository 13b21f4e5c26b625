package jsonpos

// Iter reads one JSON text piece by piece: the caller walks the outer
// objects and arrays and parses only the values it wants as trees. It
// lets a loader hold one entity of a large account at a time instead of
// a tree of the whole file, which is several times the file's size.
type Iter struct {
	p     parser
	depth int
}

// NewIter starts reading data.
func NewIter(data []byte) *Iter {
	return &Iter{p: newParser(data)}
}

// Offset is the byte offset reached: after Object or Array returns, one
// past the closing bracket.
func (it *Iter) Offset() int { return it.p.pos }

// Peek skips white space and returns the kind of the next value without
// reading it; false at the end of input or at a byte no value starts with.
func (it *Iter) Peek() (Kind, bool) {
	p := &it.p
	p.skipSpace()
	if p.pos >= len(p.data) {
		return Null, false
	}
	switch c := p.data[p.pos]; {
	case c == '{':
		return Object, true
	case c == '[':
		return Array, true
	case c == '"':
		return String, true
	case c == '-' || (c >= '0' && c <= '9'):
		return Number, true
	case c == 't' || c == 'f':
		return Bool, true
	case c == 'n':
		return Null, true
	}
	return Null, false
}

// Value parses the next value as a tree.
func (it *Iter) Value() (*Value, error) {
	it.p.skipSpace()
	v, err := it.p.value(it.depth)
	if err != nil {
		return nil, err
	}
	return &v, nil
}

// Borrow is Value for a caller that is done with the tree before it
// asks for the next one: the tree's arrays and objects live in memory
// the next Borrow overwrites (its strings are not affected). Reading a
// large file entity by entity, this removes most of the allocation and
// garbage collection of building trees.
func (it *Iter) Borrow() (*Value, error) {
	p := &it.p
	clear(p.slabV)
	clear(p.slabM)
	p.slabV, p.slabM = p.slabV[:0], p.slabM[:0]
	p.arena = true
	defer func() { p.arena = false }()
	return it.Value()
}

// Slab is memory for the arrays and objects of one borrowed tree; see
// BorrowIn. The zero value is ready to use.
type Slab struct {
	values  []Value
	members []Member
}

// BorrowIn is Borrow with the tree's memory in s instead of the Iter's,
// so that several trees can be alive at once: a reader can hand one tree
// to another goroutine while it parses the next into a second slab. The
// tree is valid until s is passed to BorrowIn again.
func (it *Iter) BorrowIn(s *Slab) (*Value, error) {
	p := &it.p
	ownV, ownM := p.slabV, p.slabM
	clear(s.values)
	clear(s.members)
	p.slabV, p.slabM = s.values[:0], s.members[:0]
	p.arena = true
	defer func() {
		// Keep what the slab grew into for its next use, and give the
		// Iter its own slab back for Borrow.
		s.values, s.members = p.slabV, p.slabM
		p.slabV, p.slabM = ownV, ownM
		p.arena = false
	}()
	return it.Value()
}

// Object reads the next value, which must be an object, calling fn for
// each member in order. fn reads the member's value with Value, Object
// or Array; a value fn leaves unread is parsed and dropped. An error from
// fn stops the walk and is returned as is.
func (it *Iter) Object(fn func(key string, keyOff int) error) error {
	if err := it.enter('{', "an object"); err != nil {
		return err
	}
	defer func() { it.depth-- }()
	return it.p.eachMember(func(key string, keyOff int) error {
		return it.member(func() error { return fn(key, keyOff) })
	})
}

// Array reads the next value, which must be an array, calling fn for
// each element with its index; fn reads the element as Object's fn does.
func (it *Iter) Array(fn func(i int) error) error {
	if err := it.enter('[', "an array"); err != nil {
		return err
	}
	defer func() { it.depth-- }()
	return it.p.eachElem(func(i int) error {
		return it.member(func() error { return fn(i) })
	})
}

// enter checks that the next value opens with open and counts its depth.
func (it *Iter) enter(open byte, what string) error {
	p := &it.p
	p.skipSpace()
	if p.pos >= len(p.data) || p.data[p.pos] != open {
		return p.errorf("unexpected %s, expected %s", p.describe(), what)
	}
	if it.depth > MaxDepth {
		return p.errorf("nesting deeper than %d levels", MaxDepth)
	}
	it.depth++
	return nil
}

// member runs fn on the next value and reads the value if fn did not.
func (it *Iter) member(fn func() error) error {
	p := &it.p
	p.skipSpace()
	before := p.pos
	if err := fn(); err != nil {
		return err
	}
	if p.pos == before {
		_, err := p.value(it.depth)
		return err
	}
	return nil
}

// Finish reports anything but white space after the value read.
func (it *Iter) Finish() error {
	p := &it.p
	p.skipSpace()
	if p.pos < len(p.data) {
		return p.errorf("unexpected %s after the top-level value", p.describe())
	}
	return nil
}
