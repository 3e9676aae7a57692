package server

import (
	"fmt"
	"unicode/utf16"
	"unicode/utf8"

	"go.lsp.dev/protocol"
)

// encoding is the unit LSP positions count characters in.
type encoding string

const (
	utf16Encoding encoding = "utf-16" // the protocol's default
	utf8Encoding  encoding = "utf-8"
)

// lineIndex maps between byte offsets in a text and LSP positions. Lines end
// at "\n", "\r\n" or a lone "\r", as the specification says (clients split
// lines so); a terminator belongs to no character position a client can
// address (positions past the end of a line's text are clamped to it).
type lineIndex struct {
	text   []byte
	starts []int // byte offset of each line's start
}

func newLineIndex(text []byte) *lineIndex {
	starts := []int{0}
	for i, b := range text {
		if b == '\n' || (b == '\r' && (i+1 == len(text) || text[i+1] != '\n')) {
			starts = append(starts, i+1)
		}
	}
	return &lineIndex{text: text, starts: starts}
}

// lineEnd returns the offset of the end of line's text, before its "\n",
// "\r\n" or "\r".
func (x *lineIndex) lineEnd(line int) int {
	if line+1 >= len(x.starts) {
		return len(x.text)
	}
	end := x.starts[line+1] - 1 // the '\n' or lone '\r'
	if x.text[end] == '\n' && end > x.starts[line] && x.text[end-1] == '\r' {
		end--
	}
	return end
}

// offset converts an LSP position to a byte offset. A line past the end is
// an error; a character past the end of its line is clamped to the line's
// end, as the specification asks; a character inside a UTF-16 surrogate
// pair or a UTF-8 sequence rounds down to the character's start.
func (x *lineIndex) offset(p protocol.Position, enc encoding) (int, error) {
	line := int(p.Line)
	if line >= len(x.starts) {
		if line == len(x.starts) && p.Character == 0 {
			return len(x.text), nil // the position just after a final newline's line
		}
		return 0, fmt.Errorf("position %d:%d is past the last line (%d)", p.Line, p.Character, len(x.starts)-1)
	}
	start, end := x.starts[line], x.lineEnd(line)
	want := int(p.Character)
	units := 0
	for off := start; off < end; {
		r, size := utf8.DecodeRune(x.text[off:end])
		n := utf16.RuneLen(r)
		if enc == utf8Encoding {
			n = size // a byte that is not UTF-8 counts one, as in UTF-16
		} else if r == utf8.RuneError && size == 1 { // invalid UTF-8: one unit
			n = 1
		}
		if units+n > want {
			return off, nil
		}
		units += n
		off += size
	}
	return end, nil
}

// position converts a byte offset (clamped to the text) to an LSP position.
func (x *lineIndex) position(off int, enc encoding) protocol.Position {
	off = max(0, min(off, len(x.text)))
	line := searchLine(x.starts, off)
	start := x.starts[line]
	if enc == utf8Encoding {
		return protocol.Position{Line: uint32(line), Character: uint32(off - start)}
	}
	units := 0
	for i := start; i < off; {
		r, size := utf8.DecodeRune(x.text[i:off])
		n := utf16.RuneLen(r)
		if n < 0 {
			n = 1
		}
		units += n
		i += size
	}
	return protocol.Position{Line: uint32(line), Character: uint32(units)}
}

// searchLine returns the line containing offset off.
func searchLine(starts []int, off int) int {
	lo, hi := 0, len(starts)-1
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if starts[mid] <= off {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return lo
}

// rangeOf converts a byte range to an LSP range.
func (x *lineIndex) rangeOf(start, end int, enc encoding) protocol.Range {
	if end < start {
		end = start
	}
	return protocol.Range{Start: x.position(start, enc), End: x.position(end, enc)}
}

// offsets converts an LSP range to byte offsets, rejecting an inverted range.
func (x *lineIndex) offsets(r protocol.Range, enc encoding) (int, int, error) {
	start, err := x.offset(r.Start, enc)
	if err != nil {
		return 0, 0, fmt.Errorf("range start: %w", err)
	}
	end, err := x.offset(r.End, enc)
	if err != nil {
		return 0, 0, fmt.Errorf("range end: %w", err)
	}
	if end < start {
		return 0, 0, fmt.Errorf("range %d:%d-%d:%d ends before it starts", r.Start.Line, r.Start.Character, r.End.Line, r.End.Character)
	}
	return start, end, nil
}
