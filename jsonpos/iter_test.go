package jsonpos

import (
	"reflect"
	"strings"
	"testing"
)

// rebuild walks data with an Iter, using Object and Array for every
// container, and returns the tree Parse would build.
func rebuild(data []byte) (*Value, error) {
	it := NewIter(data)
	v, err := walk(it)
	if err != nil {
		return nil, err
	}
	return v, it.Finish()
}

func walk(it *Iter) (*Value, error) {
	kind, ok := it.Peek()
	if !ok || (kind != Object && kind != Array) {
		return it.Value()
	}
	v := &Value{Kind: kind, Off: it.Offset()}
	var err error
	if kind == Object {
		v.Members = []Member{}
		err = it.Object(func(key string, keyOff int) error {
			c, err := walk(it)
			if err != nil {
				return err
			}
			v.Members = append(v.Members, Member{Key: key, KeyOff: keyOff, Value: *c})
			return nil
		})
	} else {
		v.Elems = []Value{}
		err = it.Array(func(int) error {
			c, err := walk(it)
			if err != nil {
				return err
			}
			v.Elems = append(v.Elems, *c)
			return nil
		})
	}
	v.End = it.Offset()
	return v, err
}

func TestIterMatchesParse(t *testing.T) {
	for _, in := range []string{
		`{}`, `[]`, ` {"a": [1, {"b": null, "c": "x"}], "d": []} `, `[[[]], {}]`, `"s"`, `12`,
		`{"a": }`, `[1,]`, `{"a":1} x`, `{"a" 1}`, `[`, ``,
	} {
		want, werr := Parse([]byte(in))
		got, gerr := rebuild([]byte(in))
		if (werr == nil) != (gerr == nil) {
			t.Errorf("%q: Parse error %v, Iter error %v", in, werr, gerr)
			continue
		}
		if werr != nil {
			if werr.(*SyntaxError).Off != gerr.(*SyntaxError).Off {
				t.Errorf("%q: Parse error at %d, Iter error at %d", in, werr.(*SyntaxError).Off, gerr.(*SyntaxError).Off)
			}
			continue
		}
		if !reflect.DeepEqual(want, got) {
			t.Errorf("%q: Iter tree %+v, Parse tree %+v", in, got, want)
		}
	}
}

// TestIterSkipsUnread: a value the callback leaves unread is still
// consumed and checked.
func TestIterSkipsUnread(t *testing.T) {
	it := NewIter([]byte(`{"a": [1, 2], "b": {"c": 3}, "d": "x"}`))
	var keys []string
	err := it.Object(func(key string, _ int) error {
		keys = append(keys, key)
		if key == "d" {
			v, err := it.Value()
			if err != nil || v.Str != "x" {
				t.Errorf("d = %+v, %v", v, err)
			}
		}
		return nil
	})
	if err != nil || len(keys) != 3 || it.Finish() != nil {
		t.Errorf("keys %v, error %v", keys, err)
	}
	it = NewIter([]byte(`{"a": [1, }`))
	if err := it.Object(func(string, int) error { return nil }); err == nil {
		t.Error("a malformed unread value passed")
	}
}

func FuzzIter(f *testing.F) {
	for _, s := range []string{`{"a":[1,{"b":null}],"c":"d"}`, `[[],{}]`, `{"a":}`, `"x"`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		want, werr := Parse(data)
		got, gerr := rebuild(data)
		if (werr == nil) != (gerr == nil) {
			t.Fatalf("Parse error %v, Iter error %v", werr, gerr)
		}
		if werr == nil && !reflect.DeepEqual(want, got) {
			t.Fatalf("Iter tree differs from Parse tree")
		}
	})
}

func TestIterDepth(t *testing.T) {
	for _, n := range []int{MaxDepth, MaxDepth + 1, MaxDepth + 2} {
		in := make([]byte, 0, 2*n)
		for i := 0; i < n; i++ {
			in = append(in, '[')
		}
		for i := 0; i < n; i++ {
			in = append(in, ']')
		}
		_, werr := Parse(in)
		_, gerr := rebuild(in)
		if (werr == nil) != (gerr == nil) {
			t.Errorf("depth %d: Parse error %v, Iter error %v", n, werr, gerr)
		}
	}
}

// TestBorrow: each borrowed element equals what Parse builds, while it
// is current.
func TestBorrow(t *testing.T) {
	in := []byte(`[{"a": [1, 2, {"b": ["x"]}]}, [[], {}], {"c": {"d": [true, null]}}, "s", ` + "[" + strings.Repeat(`{"k": [1]},`, 3000) + `{}]]`)
	whole, err := Parse(in)
	if err != nil {
		t.Fatal(err)
	}
	it := NewIter(in)
	err = it.Array(func(i int) error {
		v, err := it.Borrow()
		if err != nil {
			return err
		}
		if !reflect.DeepEqual(v, &whole.Elems[i]) {
			t.Errorf("element %d: borrowed %+v, parsed %+v", i, v, whole.Elems[i])
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// Trees borrowed into different slabs stay intact while the next one is
// parsed: the offline loader converts one entity while parsing the next.
func TestBorrowInKeepsEarlierTrees(t *testing.T) {
	it := NewIter([]byte(`[{"a": [1, 2], "b": {"c": "x"}}, {"a": [3], "b": {"c": "y"}}, {"a": [], "b": {}}]`))
	var slabs [2]Slab
	var trees []*Value
	err := it.Array(func(i int) error {
		v, err := it.BorrowIn(&slabs[i%2])
		trees = append(trees, v)
		if i == 1 {
			// Both earlier trees must still read as parsed.
			if got := trees[0].Get("b").Get("c").Str; got != "x" {
				t.Errorf("first tree changed while the second was parsed: c = %q", got)
			}
			if got := trees[1].Get("a").Elems[0].Str; got != "3" {
				t.Errorf("second tree: a[0] = %q", got)
			}
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	// The third tree reused the first slab: the first tree is gone, the
	// second (other slab) is intact, and Borrow still works afterwards.
	if got := trees[1].Get("b").Get("c").Str; got != "y" {
		t.Errorf("second tree overwritten by a tree in another slab: c = %q", got)
	}
	if len(trees[2].Get("a").Elems) != 0 {
		t.Errorf("third tree: %+v", trees[2])
	}
}
