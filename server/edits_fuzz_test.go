package server

// FuzzEdits checks the document store against a reference model of what a
// correct client holds after each didChange. The model is written here
// from the protocol, independently of position.go:
//
//   - lines end at "\n", "\r\n" or a lone "\r" (LSP 3.17, "Text Documents");
//   - a character counts UTF-16 code units (or bytes with UTF-8 positions);
//     a byte that is not valid UTF-8 is one character of one unit;
//   - a character past the end of its line means the line's end (the
//     specification); one inside a character (a surrogate half, a byte
//     inside a UTF-8 sequence) means that character's start;
//   - line N (one past the last) at character 0 means the end of the text;
//
// and the server's documented choices for what a correct client never
// sends (store.change): a position on a line past that, a range that ends
// before it starts, a change without text, or a version that does not
// increase reject the whole notification, and the document keeps its text
// and version. To fuzz:
//
//	go test -run XXX -fuzz FuzzEdits -fuzztime 4m -parallel 1 ./server

import (
	"bytes"
	"fmt"
	"math"
	"testing"
	"unicode/utf16"
	"unicode/utf8"

	"go.lsp.dev/protocol"
)

// modelLine is a line's text, terminator excluded, as byte offsets.
type modelLine struct{ start, end int }

func modelLines(text []byte) []modelLine {
	var ls []modelLine
	start := 0
	for i := 0; i < len(text); i++ {
		switch text[i] {
		case '\n':
			ls = append(ls, modelLine{start, i})
			start = i + 1
		case '\r':
			ls = append(ls, modelLine{start, i})
			if i+1 < len(text) && text[i+1] == '\n' {
				i++
			}
			start = i + 1
		}
	}
	return append(ls, modelLine{start, len(text)})
}

// modelOffset is the byte offset a client means by p, or false if p is
// on a line past the end.
func modelOffset(text []byte, p protocol.Position, utf8Positions bool) (int, bool) {
	ls := modelLines(text)
	if int64(p.Line) >= int64(len(ls)) {
		if int64(p.Line) == int64(len(ls)) && p.Character == 0 {
			return len(text), true
		}
		return 0, false
	}
	l := ls[p.Line]
	units := int64(0)
	for off := l.start; off < l.end; {
		r, size := utf8.DecodeRune(text[off:l.end])
		width := int64(1) // an invalid byte
		switch {
		case utf8Positions:
			width = int64(size)
		case r != utf8.RuneError || size > 1:
			width = int64(utf16.RuneLen(r))
		}
		if int64(p.Character) < units+width {
			return off, true
		}
		units += width
		off += size
	}
	return l.end, true
}

// modelChange applies one didChange to text, or returns false if the
// server must reject it.
func modelChange(text []byte, changes []contentChange, utf8Positions bool) ([]byte, bool) {
	for _, c := range changes {
		if c.Text == nil {
			return nil, false
		}
		if c.Range == nil {
			text = []byte(*c.Text)
			continue
		}
		start, ok1 := modelOffset(text, c.Range.Start, utf8Positions)
		end, ok2 := modelOffset(text, c.Range.End, utf8Positions)
		if !ok1 || !ok2 || end < start {
			return nil, false
		}
		text = bytes.Join([][]byte{text[:start:start], []byte(*c.Text), text[end:]}, nil)
	}
	return text, true
}

// editProgram decodes fuzz bytes into didChange notifications: how many
// changes, full or ranged or without text, positions mostly near the
// text, sometimes huge, and inserted bytes (any bytes).
type editProgram struct {
	data []byte
	i    int
}

func (p *editProgram) next() byte {
	if p.i >= len(p.data) {
		return 0
	}
	b := p.data[p.i]
	p.i++
	return b
}

func (p *editProgram) done() bool { return p.i >= len(p.data) }

func (p *editProgram) pos() protocol.Position {
	line, char := uint32(p.next()%16), uint32(p.next()%64)
	switch b := p.next(); {
	case b == 255:
		line = math.MaxUint32
	case b == 254:
		char = math.MaxUint32
	case b >= 240:
		line, char = char, line
	}
	return protocol.Position{Line: line, Character: char}
}

func (p *editProgram) text() *string {
	n := int(p.next() % 8)
	end := min(p.i+n, len(p.data))
	s := string(p.data[p.i:end])
	p.i = end
	return &s
}

// notification returns the next didChange's changes and whether its
// version goes up.
func (p *editProgram) notification() ([]contentChange, bool) {
	head := p.next()
	var changes []contentChange
	for range 1 + int(head%3) {
		switch p.next() % 8 {
		case 0:
			changes = append(changes, contentChange{Text: p.text()})
		case 1:
			changes = append(changes, contentChange{Range: &protocol.Range{Start: p.pos(), End: p.pos()}})
		default:
			changes = append(changes, contentChange{Range: &protocol.Range{Start: p.pos(), End: p.pos()}, Text: p.text()})
		}
	}
	return changes, head&0x80 == 0
}

func addEditSeeds(f *testing.F) {
	texts := []string{
		"",
		"package p\n\nfunc f() {}\n",
		"package p\r\n\r\nvar s = \"héllo 🙂\"\r\n",
		"a\rb\r\nc\nd\r",
		"x\xff\xfe\x80y\n\xf0\x9f\x99",
		"🙂🙂\n\t𝄞é\n",
	}
	programs := [][]byte{
		{0, 2, 0, 3, 0, 0, 5, 0, 3, 'a', 'b', 'c'}, // insertion
		{1, 2, 1, 0, 0, 0, 0, 0, 2, 'x', '\n', 2, 0, 1, 0, 0, 1, 0, 0, 1, 'y'},
		{0, 2, 0, 9, 0, 0, 2, 0, 0, 'q'},                   // reversed
		{0, 2, 0, 1, 0, 40, 0, 1, 0, 0, 2, 'z'},            // out of range
		{0, 2, 0, 1, 255, 0, 9, 9, 0, 0},                   // huge line
		{0, 2, 0, 1, 254, 0, 1, 254, 1, 'w'},               // huge character
		{0x80, 0, 3, 'a', 'b', 'c'},                        // stale version
		{0, 1, 0, 0, 0, 0, 0, 0},                           // no text
		{0, 2, 0, 1, 0, 0, 3, 0, 2, '\r', '\n'},            // inside a surrogate pair / UTF-8 sequence
		{2, 0, 2, 'a', '\r', 2, 0, 0, 0, 0, 0, 0, 1, '\n'}, // CR then LF
	}
	for _, s := range texts {
		for _, prog := range programs {
			f.Add(s, prog, false)
			f.Add(s, prog, true)
		}
	}
}

// FuzzEdits applies didChange notifications to the document store and
// compares the document with the model after each.
func FuzzEdits(f *testing.F) {
	addEditSeeds(f)
	f.Fuzz(func(t *testing.T, initial string, program []byte, utf8Positions bool) {
		enc := utf16Encoding
		if utf8Positions {
			enc = utf8Encoding
		}
		st := newStore()
		const uri = protocol.DocumentURI("file:///fuzz/a.go")
		if _, err := st.open(uri, 1, []byte(initial)); err != nil {
			t.Fatal(err)
		}
		model, version := []byte(initial), int32(1)
		p := &editProgram{data: program}
		for step := 0; !p.done() && step < 64; step++ {
			changes, up := p.notification()
			next := version
			if up {
				next++
			}
			want, ok := modelChange(model, changes, utf8Positions)
			if !up {
				ok = false
			}
			_, snap, err := st.change(uri, next, changes, enc)
			switch {
			case ok && err != nil:
				t.Fatalf("step %d: %s rejected: %v\ntext %q", step, describe(changes), err, model)
			case !ok && err == nil:
				t.Fatalf("step %d: %s accepted (giving %q), want it rejected\ntext %q", step, describe(changes), snap.text, model)
			case ok:
				model, version = want, next
			}
			_, cur, _ := st.get(uri)
			if !bytes.Equal(cur.text, model) || cur.version != version {
				t.Fatalf("step %d after %s: server holds %q at version %d, the client %q at version %d",
					step, describe(changes), cur.text, cur.version, model, version)
			}
			if !bytes.Equal(cur.lines.text, cur.text) {
				t.Fatalf("step %d: the line index is of another text", step)
			}
		}
	})
}

func describe(changes []contentChange) string {
	var b bytes.Buffer
	for _, c := range changes {
		if c.Range != nil {
			fmt.Fprintf(&b, "[%d:%d-%d:%d]", c.Range.Start.Line, c.Range.Start.Character, c.Range.End.Line, c.Range.End.Character)
		} else {
			b.WriteString("[full]")
		}
		if c.Text != nil {
			fmt.Fprintf(&b, "%q ", *c.Text)
		} else {
			b.WriteString("(no text) ")
		}
	}
	return b.String()
}
