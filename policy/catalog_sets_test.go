package policy

import (
	"slices"
	"testing"
)

func setOf(n int, ids ...ActionID) ActionSet {
	s := make(ActionSet, (n+63)/64)
	for _, id := range ids {
		s.Add(id)
	}
	return s
}

func members(s ActionSet) []ActionID {
	var out []ActionID
	for id := range s.All() {
		out = append(out, id)
	}
	return out
}

func TestActionSetOperations(t *testing.T) {
	const n = 130 // spans three words, the last one partial
	a := setOf(n, 0, 63, 64, 129)
	b := setOf(n, 63, 100, 129)
	tests := []struct {
		name string
		got  ActionSet
		want []ActionID
	}{
		{"or", func() ActionSet { s := a.Clone(); s.Or(b); return s }(), []ActionID{0, 63, 64, 100, 129}},
		{"and", func() ActionSet { s := a.Clone(); s.And(b); return s }(), []ActionID{63, 129}},
		{"and not", func() ActionSet { s := a.Clone(); s.AndNot(b); return s }(), []ActionID{0, 64}},
		{"and with a shorter set clears the rest", func() ActionSet { s := a.Clone(); s.And(ActionSet{1}); return s }(), []ActionID{0}},
		{"or with nil", func() ActionSet { s := a.Clone(); s.Or(nil); return s }(), []ActionID{0, 63, 64, 129}},
		{"or and", func() ActionSet { s := setOf(n, 1); s.OrAnd(a, b); return s }(), []ActionID{1, 63, 129}},
		{"or and not", func() ActionSet { s := setOf(n, 1); s.OrAndNot(a, b); return s }(), []ActionID{0, 1, 64}},
		{"or and not nil", func() ActionSet { s := setOf(n); s.OrAndNot(b, nil); return s }(), []ActionID{63, 100, 129}},
	}
	for _, tt := range tests {
		if got := members(tt.got); !slices.Equal(got, tt.want) {
			t.Errorf("%s = %v, want %v", tt.name, got, tt.want)
		}
	}
	if a.Len() != 4 || !a.Has(129) || a.Has(128) || a.Has(1000) || ActionSet(nil).Has(0) {
		t.Error("Len/Has")
	}
	if !a.Intersects(b) || a.Intersects(setOf(n, 1, 2)) {
		t.Error("Intersects")
	}
	if !a.ContainsAll(setOf(n, 0, 129)) || a.ContainsAll(b) || !a.ContainsAll(nil) {
		t.Error("ContainsAll")
	}
	if !a.Equal(a.Clone()) || a.Equal(b) || !ActionSet(nil).Equal(setOf(n)) || ActionSet(nil).Clone() != nil {
		t.Error("Equal/Clone")
	}
	if !setOf(n).Empty() || a.Empty() {
		t.Error("Empty")
	}
	// Stopping the iteration early is honoured.
	for id := range a.All() {
		if id != 0 {
			t.Errorf("first member %d", id)
		}
		break
	}
}

func TestCatalogAllAndComplement(t *testing.T) {
	c := DefaultCatalog()
	all := c.All()
	if all.Len() != c.Len() {
		t.Fatalf("All() has %d actions, want %d (bits past the last action must stay clear)", all.Len(), c.Len())
	}
	s3, _ := c.Expand("s3:*")
	rest := c.Complement(s3)
	if rest.Len()+s3.Len() != c.Len() || rest.Intersects(s3) {
		t.Errorf("Complement: %d + %d != %d", rest.Len(), s3.Len(), c.Len())
	}
	if got := c.Complement(nil); !got.Equal(all) {
		t.Error("Complement(nil) is not every action")
	}
}
