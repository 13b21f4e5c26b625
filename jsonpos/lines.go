package jsonpos

import "bytes"

// Lines maps byte offsets of one input to 1-based line and column numbers.
// Columns count bytes, as most editors and SARIF's default do for ASCII.
//
// It keeps no index: a reader asks for positions in nearly increasing
// order, so counting the newlines between the previous position and the
// next (bytes.Count is vectorized) costs about one pass over the file in
// all. An index of a pretty-printed quota-size dump would hold millions
// of line starts and cost a tenth of the load to build.
type Lines struct {
	data []byte
}

// NewLines wraps data for position lookups.
func NewLines(data []byte) *Lines { return &Lines{data: data} }

// Cursor remembers where the last lookup landed. The zero value is the
// start of the input.
type Cursor struct {
	line  int // 0-based line of start
	start int // offset of the first byte of that line
}

// Pos returns the 1-based line and column of a byte offset.
func (l *Lines) Pos(off int) (line, col int) {
	var c Cursor
	return l.PosNear(off, &c)
}

// PosNear is Pos starting from the position in c, which it moves to the
// line it finds: cheap when offsets come in roughly increasing order.
// Offsets outside the input are clamped to it.
func (l *Lines) PosNear(off int, c *Cursor) (line, col int) {
	off = max(0, min(off, len(l.data)))
	if c.start < 0 || c.start > len(l.data) {
		*c = Cursor{}
	}
	nl := []byte{'\n'}
	if off >= c.start {
		if n := bytes.Count(l.data[c.start:off], nl); n > 0 {
			c.line += n
			c.start = bytes.LastIndexByte(l.data[:off], '\n') + 1
		}
	} else {
		// Every newline in [off, start) is a line to go back, including
		// the one ending the line before start.
		c.line -= bytes.Count(l.data[off:c.start], nl)
		c.start = bytes.LastIndexByte(l.data[:off], '\n') + 1
	}
	return c.line + 1, off - c.start + 1
}
