package jsonpos

import "sort"

// Lines maps byte offsets of one input to 1-based line and column numbers.
// Columns count bytes, as most editors and SARIF's default do for ASCII.
type Lines struct {
	starts []int // offset of the first byte of each line
}

// NewLines indexes the line starts of data.
func NewLines(data []byte) *Lines {
	starts := make([]int, 1, len(data)/32+1)
	for i, c := range data {
		if c == '\n' {
			starts = append(starts, i+1)
		}
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
