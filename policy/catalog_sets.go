package policy

import (
	"iter"
	"math/bits"
)

// ActionSet is a set of catalog actions, one bit per ActionID. Union,
// intersection and difference over the ~22,000 actions cost a few hundred
// word operations, which is what makes effective permissions of a large
// account cheap. Make sets with Catalog.NewSet so that their lengths match;
// a nil set is empty.
type ActionSet []uint64

// Add inserts an action.
func (s ActionSet) Add(id ActionID) { s[id>>6] |= 1 << (uint(id) & 63) }

// Has reports whether the set holds an action.
func (s ActionSet) Has(id ActionID) bool {
	w := int(id >> 6)
	return w < len(s) && s[w]&(1<<(uint(id)&63)) != 0
}

// Or adds every action of t (in place).
func (s ActionSet) Or(t ActionSet) {
	for i := range min(len(s), len(t)) {
		s[i] |= t[i]
	}
}

// And keeps only the actions also in t (in place).
func (s ActionSet) And(t ActionSet) {
	for i := range s {
		if i < len(t) {
			s[i] &= t[i]
		} else {
			s[i] = 0
		}
	}
}

// AndNot removes the actions of t (in place).
func (s ActionSet) AndNot(t ActionSet) {
	for i := range min(len(s), len(t)) {
		s[i] &^= t[i]
	}
}

// OrAnd adds the actions of t that are also in mask (in place): s |= t & mask.
func (s ActionSet) OrAnd(t, mask ActionSet) {
	for i := range min(len(s), len(t), len(mask)) {
		s[i] |= t[i] & mask[i]
	}
}

// OrAndNot adds the actions of t that are not in mask (in place):
// s |= t &^ mask.
func (s ActionSet) OrAndNot(t, mask ActionSet) {
	for i := range min(len(s), len(t)) {
		w := t[i]
		if i < len(mask) {
			w &^= mask[i]
		}
		s[i] |= w
	}
}

// Clone returns a copy that can be modified.
func (s ActionSet) Clone() ActionSet {
	if s == nil {
		return nil
	}
	return append(ActionSet(nil), s...)
}

// Len is the number of actions in the set.
func (s ActionSet) Len() int {
	n := 0
	for _, w := range s {
		n += bits.OnesCount64(w)
	}
	return n
}

// Empty reports whether the set holds no action.
func (s ActionSet) Empty() bool {
	for _, w := range s {
		if w != 0 {
			return false
		}
	}
	return true
}

// Equal reports whether both sets hold the same actions.
func (s ActionSet) Equal(t ActionSet) bool {
	for i := range max(len(s), len(t)) {
		var a, b uint64
		if i < len(s) {
			a = s[i]
		}
		if i < len(t) {
			b = t[i]
		}
		if a != b {
			return false
		}
	}
	return true
}

// ContainsAll reports whether every action of t is in s.
func (s ActionSet) ContainsAll(t ActionSet) bool {
	for i, w := range t {
		var have uint64
		if i < len(s) {
			have = s[i]
		}
		if w&^have != 0 {
			return false
		}
	}
	return true
}

// Intersects reports whether s and t share an action.
func (s ActionSet) Intersects(t ActionSet) bool {
	for i := range min(len(s), len(t)) {
		if s[i]&t[i] != 0 {
			return true
		}
	}
	return false
}

// All iterates over the set's actions in id order.
func (s ActionSet) All() iter.Seq[ActionID] {
	return func(yield func(ActionID) bool) {
		for i, w := range s {
			for w != 0 {
				b := bits.TrailingZeros64(w)
				if !yield(ActionID(i*64 + b)) {
					return
				}
				w &= w - 1
			}
		}
	}
}

// trim clears the bits past the last action.
func (s ActionSet) trim(n int) {
	if r := n % 64; r != 0 && len(s) > 0 {
		s[len(s)-1] &= (1 << uint(r)) - 1
	}
}
