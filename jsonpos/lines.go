package jsonpos

import (
	"bytes"
	"sort"
)

// Lines maps byte offsets of one input to 1-based line and column numbers.
// Columns count bytes, as most editors and SARIF's default do for ASCII.
type Lines struct {
	starts []int // offset of the first byte of each line
}

// NewLines indexes the line starts of data.
func NewLines(data []byte) *Lines {
	// Counting first (bytes.Count is vectorized) sizes the index exactly:
	// pretty-printed account dumps have millions of lines.
	starts := make([]int, 1, bytes.Count(data, []byte{'\n'})+1)
	for off := 0; ; {
		i := bytes.IndexByte(data[off:], '\n')
		if i < 0 {
			break
		}
		off += i + 1
		starts = append(starts, off)
	}
	return &Lines{starts: starts}
}

// Pos returns the 1-based line and column of a byte offset.
func (l *Lines) Pos(off int) (line, col int) {
	i := sort.Search(len(l.starts), func(i int) bool { return l.starts[i] > off }) - 1
	if i < 0 {
		i = 0
	}
	return i + 1, off - l.starts[i] + 1
}

// PosNear is Pos for a caller that asks for offsets in roughly
// increasing order, as a reader walking a file does: it starts from the
// line index in *hint, walks a few lines forward or back, and leaves the
// line it found in *hint. A binary search over millions of lines per
// position cost a fifth of loading a large account.
func (l *Lines) PosNear(off int, hint *int) (line, col int) {
	i := *hint
	if i < 0 || i >= len(l.starts) || l.starts[i] > off {
		line, col = l.Pos(off)
		*hint = line - 1
		return line, col
	}
	for steps := 0; i+1 < len(l.starts) && l.starts[i+1] <= off; steps++ {
		if steps == 64 {
			line, col = l.Pos(off)
			*hint = line - 1
			return line, col
		}
		i++
	}
	*hint = i
	return i + 1, off - l.starts[i] + 1
}
