package cli

import (
	"fmt"
	"io"
	"os"
)

// progress prints "checked N/M packages" on one self-overwriting line when
// stderr is a terminal, and nothing otherwise (logs and CI stay clean).
type progress struct {
	w          io.Writer
	count, all int
	on         bool
}

func newProgress(w io.Writer, all int) *progress {
	p := &progress{w: w, all: all}
	if f, ok := w.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			p.on = all > 20
		}
	}
	return p
}

func (p *progress) step() {
	p.count++
	if p.on {
		fmt.Fprintf(p.w, "\rfailfast: checked %d/%d packages", p.count, p.all)
	}
}

func (p *progress) done() {
	if p.on {
		fmt.Fprint(p.w, "\r\033[K")
	}
}
