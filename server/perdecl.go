package server

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"go/ast"
	"go/token"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/failfast-dev/failfast/loader"
	"github.com/failfast-dev/failfast/runner"
)

// declBase is what the analysis of one version of a document leaves for
// the next: its text, where its declarations are, its findings, and what
// those findings were computed from. The next version may reuse the
// findings of every declaration it did not edit (analyseDecl) only while
// all of that is unchanged. It is never modified.
type declBase struct {
	text     []byte
	decls    []declSpan
	findings []runner.Finding // the document's, as published
	g        *loader.Graph
	r        *runner.Runner
	facts    uint64   // r.FactsGeneration(factPaths(targets)) before the rules ran
	others   []string // per target, the stamps of the other files checked against
	// held, per target, is the package with the document's bodies
	// blanked that an edited body is checked against (checkBody), and
	// heldEdits the changes from its text to this one, in order; nil
	// until an edit inside a body builds it.
	held      []*heldPackage
	heldEdits []change
}

// declSpan is where a top-level declaration lies, in byte offsets: from
// its first token to its end and, for a function with a body, its braces
// (-1 without one).
type declSpan struct {
	pos, end       int
	lbrace, rbrace int
	imports        bool // an import declaration
}

// declSpans returns the spans of f's declarations. f must have parsed
// without errors (every position valid).
func declSpans(tf *token.File, f *ast.File) []declSpan {
	out := make([]declSpan, len(f.Decls))
	for i, d := range f.Decls {
		sp := declSpan{pos: tf.Offset(d.Pos()), end: tf.Offset(d.End()), lbrace: -1, rbrace: -1}
		switch d := d.(type) {
		case *ast.FuncDecl:
			if d.Body != nil {
				sp.lbrace, sp.rbrace = tf.Offset(d.Body.Lbrace), tf.Offset(d.Body.Rbrace)
			}
		case *ast.GenDecl:
			sp.imports = d.Tok == token.IMPORT
		}
		out[i] = sp
	}
	return out
}

// change is the one byte range in which two texts differ: old[start:oldEnd]
// became new[start:newEnd], and everything before and after is equal.
type change struct {
	start, oldEnd, newEnd int
}

// diff returns the change from old to new; false when they are equal.
func diff(old, new []byte) (change, bool) {
	if bytes.Equal(old, new) {
		return change{}, false
	}
	n := min(len(old), len(new))
	p := 0
	for p < n && old[p] == new[p] {
		p++
	}
	q := 0
	for q < n-p && old[len(old)-1-q] == new[len(new)-1-q] {
		q++
	}
	return change{start: p, oldEnd: len(old) - q, newEnd: len(new) - q}, true
}

// shift maps an offset of the old text to the new one. An offset inside
// the changed range (whose text is gone) maps to its start.
func (c change) shift(o int) int {
	switch {
	case o < c.start:
		return o
	case o >= c.oldEnd:
		return o + c.newEnd - c.oldEnd
	default:
		return c.start
	}
}

// enclosingBody returns the index of the function declaration whose body
// holds the whole change strictly inside its braces, or -1: then the edit
// may change a signature, a type, an import or a package-level value, or
// span declarations.
func (b *declBase) enclosingBody(c change) int {
	for i, d := range b.decls {
		if d.lbrace >= 0 && d.lbrace < c.start && c.oldEnd <= d.rbrace {
			return i
		}
	}
	return -1
}

// analyseDecl analyses snap by re-checking only the function whose body an
// edit since prev changed: its body alone, against the package held from
// an earlier check with every body blanked (bodyViews), or, when it cannot
// be, the file parsed with every other function body blanked out (same
// offsets, same lines) and those functions type-checked by signature only,
// like the package's other files. The rules run on the edited function and
// the file's other declarations, and only the edited function's findings
// are taken from them. The findings of the file's other declarations are
// prev's, moved by the edit.
//
// That is the file-level analysis's answer as long as those findings do
// not depend on the edited body, which is what the text shows: the rest of
// the file is byte for byte the same, and prev's findings were computed
// against the same package listing, rules and other files (each
// compared). A finding of another declaration that depends on the edited
// body (through a fact the rules export about the edited function,
// or a related place inside it), or on facts kept since prev (outdated, in
// the log), keeps prev's answer until the whole-package pass that follows
// a pause (analyseFull) replaces every finding. (Checking the whole file
// whenever facts change costs a file check per edit while the package's
// first pass and the background pass keep facts; running the complete
// pass at once costs more, since each edit cancels it.) Where the edit
// cannot be shown to stay inside one body that still parses, the answer is
// nil with the reason, and the caller checks the whole file.
func (s *Server) analyseDecl(ctx context.Context, m *module, g *loader.Graph, tc *trimCache, targets []*loader.Target, snap *snapshot, prev *declBase) (*result, string, error) {
	r, err := m.runner(ctx)
	if err != nil {
		return nil, "", err
	}
	switch {
	case prev.g != g:
		return nil, "the packages were listed again", nil
	case prev.r != r:
		return nil, "the rules changed", nil
	case len(prev.others) != len(targets):
		return nil, "the file's packages changed", nil
	}
	// Facts kept since prev (a whole-package pass of this package or of
	// one it imports) may change the other declarations' findings: they
	// are published as they were until the complete pass after a pause
	// replaces them, like those that depend on the edited body. The base
	// keeps prev's generation, so the edits until then say so too.
	outdated := prev.facts != r.FactsGeneration(factPaths(targets))
	c, changed := diff(prev.text, snap.text)
	if !changed {
		return nil, "the text did not change", nil
	}
	edited := prev.enclosingBody(c)
	if edited < 0 {
		return nil, "the edit is not inside one function body", nil
	}
	start := time.Now()
	spans := make([]declSpan, len(prev.decls))
	for i, d := range prev.decls {
		spans[i] = declSpan{c.shift(d.pos), c.shift(d.end), c.shift(d.lbrace), c.shift(d.rbrace), d.imports}
	}
	held := &heldSyntax{fset: g.FileSet()}
	release := held.release
	// The edited body alone against the held package (body.go), from a
	// parse of the edited function and the imports only; failing that,
	// the file with its other bodies blanked.
	var (
		f     *ast.File
		tf    *token.File
		fn    *ast.FuncDecl
		holds []*heldPackage
		edits []change
		views []*loader.Package
		why   string
	)
	done := func() {}
	defer func() { done() }()
	if kf, kfn, ok := parseEdited(g, snap, spans, edited); !ok {
		why = "the edited function does not parse on its own"
	} else {
		holds, edits, views, done, why = s.bodyViews(ctx, g, tc, targets, snap, prev, c, kf, spans, kfn)
		if holds != nil {
			hs := holds
			held.borrow(func() {
				for _, h := range hs {
					h.release()
				}
			})
		}
		ktf := g.FileSet().File(kf.FileStart)
		if views != nil {
			f, tf, fn, held.file = kf, ktf, kfn, ktf
		} else {
			g.FileSet().RemoveFile(ktf)
		}
	}
	alone := views != nil // the edited body checked against the held package
	if !alone {
		if ctx.Err() != nil {
			release()
			return nil, "", ctx.Err()
		}
		var perr error
		f, perr = g.ParseFile(snap.path, blankBodies(snap.text, prev.decls, edited, c))
		if f != nil {
			tf = g.FileSet().File(f.FileStart)
			held.file = tf
		}
		if perr != nil || f == nil || len(f.Decls) != len(prev.decls) {
			release()
			return nil, "the edited function does not parse on its own", nil
		}
		if parsed := declSpans(tf, f); !slices.Equal(parsed, spans) {
			release()
			return nil, "the edit moved a declaration boundary", nil
		}
		fn = f.Decls[edited].(*ast.FuncDecl)
		s.log.Debug("checking the edited function with its file", "file", snap.path, "version", snap.version, "function", fn.Name.Name, "reason", why)
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd != fn {
				fd.Body = nil // declared by its signature, as in the other files
			}
		}
		for k, t := range targets {
			others, put, stamps := s.otherFiles(tc, t, snap.path)
			held.borrow(put)
			if stamps != prev.others[k] {
				release()
				return nil, "another file of the package changed", nil
			}
			view, err := s.checkAgainst(ctx, g, tc, t, snap.path, f, others)
			if err != nil {
				release()
				return nil, "", err
			}
			s.editedView(g, tc, t, view, snap.path, f, nil, snap.text)
			views = append(views, view)
		}
		// The rules see the edited function and the file's other
		// declarations (imports, types, values), not the functions left
		// without a body: those are the other files' kind of declaration.
		// f is this analysis's own, so it is cut down in place, after
		// every target's type-check and before any rule runs.
		decls := f.Decls[:0:0]
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); !ok || fd == fn {
				decls = append(decls, d)
			}
		}
		f.Decls = decls
	}
	checked := time.Since(start)
	lo, hi := spans[edited].pos, spans[edited].end
	inEdited := func(fd runner.Finding) bool {
		return fd.Pos.Filename == snap.path && fd.Pos.Offset >= lo && fd.Pos.Offset < hi
	}
	res := &result{snap: snap, release: release, partial: true}
	var errs []error
	runStart := time.Now()
	for k, view := range views {
		findings, rerrs := r.Run(ctx, view)
		if err := ctx.Err(); err != nil {
			release()
			return nil, "", err
		}
		errs = append(errs, rerrs...)
		move := func(fd runner.Finding) runner.Finding { return fd }
		if alone {
			move = holds[k].heldMover(edits, tf)
		}
		for _, fd := range findings {
			if inEdited(fd) {
				res.findings = append(res.findings, move(fd))
			}
		}
		if view.Types != nil && !r.Summarised(view.Types.Path()) {
			res.unsummarised = true
		}
	}
	for _, e := range errs {
		s.log.Error("a rule failed; its findings are missing", "file", snap.path, "err", e)
	}
	moved := c.mover(tf, snap.path)
	oldLo, oldHi := prev.decls[edited].pos, prev.decls[edited].end
	for _, fd := range prev.findings {
		if fd.Pos.Filename == snap.path && fd.Pos.Offset >= oldLo && fd.Pos.Offset < oldHi {
			continue // the edited function's: found again above
		}
		res.findings = append(res.findings, moved(fd))
	}
	res.findings = dedupe(res.findings)
	res.base = &declBase{text: snap.text, decls: spans, findings: res.findings, g: g, r: r, facts: prev.facts, others: prev.others,
		held: holds, heldEdits: edits}
	res.fix = &lazyView{build: func(ctx context.Context) (*loader.Package, func(), error) {
		return s.fileView(ctx, g, tc, targets[0], snap)
	}}
	rel := res.release
	res.release = func() {
		res.fix.drop()
		rel()
	}
	s.log.Debug("analysed one function", "file", snap.path, "version", snap.version, "function", fn.Name.Name,
		"alone", alone, "findings", len(res.findings), "outdated", outdated, "typecheck", checked.String(), "rules", time.Since(runStart).String())
	return res, "", nil
}

// factPaths returns the paths of the packages whose facts the rules read
// when they analyse targets: theirs and those of the module packages they
// import, directly or not (the runner holds facts of no others).
func factPaths(targets []*loader.Target) []string {
	seen := map[*loader.Target]bool{}
	var out []string
	var walk func(t *loader.Target)
	walk = func(t *loader.Target) {
		if seen[t] {
			return
		}
		seen[t] = true
		out = append(out, t.PkgPath)
		for _, d := range t.Deps() {
			walk(d)
		}
	}
	for _, t := range targets {
		walk(t)
	}
	return out
}

// importedPaths returns factPaths(targets) without the targets' own
// packages: the packages whose facts a check of targets reads and does
// not keep.
func importedPaths(targets []*loader.Target) []string {
	own := map[string]bool{}
	for _, t := range targets {
		own[t.PkgPath] = true
	}
	return slices.DeleteFunc(factPaths(targets), func(p string) bool { return own[p] })
}

// parseEdited parses snap's text with everything blanked (line breaks
// kept) but the package clause and imports, and the edited declaration
// with the comments before it: the edited function's syntax at its place
// in the text, for a fraction of the file's cost. spans are the text's
// declarations. ok is false unless the text parses without error to the
// imports and that one function, at its span.
func parseEdited(g *loader.Graph, snap *snapshot, spans []declSpan, edited int) (*ast.File, *ast.FuncDecl, bool) {
	// The header runs to the first declaration that is not an import:
	// the package clause, the imports and the comments between.
	imports := 0
	for imports < len(spans) && spans[imports].imports {
		imports++
	}
	header := len(snap.text)
	if imports < len(spans) {
		header = spans[imports].pos
	}
	lead := 0
	if edited > 0 {
		lead = spans[edited-1].end
	}
	want := spans[edited]
	text := bytes.Clone(snap.text)
	for i := range text {
		keep := i < header || i >= lead && i < want.end
		if !keep && text[i] != '\n' {
			text[i] = ' '
		}
	}
	f, err := g.ParseFile(snap.path, text)
	if f == nil {
		return nil, nil, false
	}
	tf := g.FileSet().File(f.FileStart)
	fail := func() (*ast.File, *ast.FuncDecl, bool) {
		g.FileSet().RemoveFile(tf)
		return nil, nil, false
	}
	if err != nil || len(f.Decls) != imports+1 {
		return fail()
	}
	fn, ok := f.Decls[imports].(*ast.FuncDecl)
	if !ok || fn.Body == nil {
		return fail()
	}
	if got := declSpans(tf, f)[imports]; got != want {
		return fail()
	}
	return f, fn, true
}

// blankBodies returns text with the body of every function but the
// edited one replaced by spaces, its line breaks kept: parsing it costs
// little, and every position in it is the position in text. The bodies'
// offsets are decls' (of the text before the change c).
func blankBodies(text []byte, decls []declSpan, edited int, c change) []byte {
	out := bytes.Clone(text)
	for i, d := range decls {
		if i == edited || d.lbrace < 0 {
			continue
		}
		for j := c.shift(d.lbrace) + 1; j < c.shift(d.rbrace); j++ {
			if out[j] != '\n' {
				out[j] = ' '
			}
		}
	}
	return out
}

// mover returns the function that moves a finding of the text before c to
// the text after it, whose positions tf (of the edited file, path) knows.
// A message that quotes a line of the file at a related place ("returns
// nil at server.go:2740", whose related place is that line) quotes the
// line that place moved to.
func (c change) mover(tf *token.File, path string) func(runner.Finding) runner.Finding {
	at := func(p token.Position) token.Position {
		if p.Filename != path || !p.IsValid() {
			return p
		}
		return tf.PositionFor(tf.Pos(min(c.shift(p.Offset), tf.Size())), false)
	}
	quote := filepath.Base(path) + ":"
	return func(fd runner.Finding) runner.Finding {
		lines := map[int]int{}
		fd.Pos, fd.End = at(fd.Pos), at(fd.End)
		if len(fd.Related) > 0 {
			rel := make([]runner.Related, len(fd.Related))
			for i, r := range fd.Related {
				p := at(r.Pos)
				if r.Pos.Filename == path && p.Line != r.Pos.Line {
					lines[r.Pos.Line] = p.Line
				}
				rel[i] = runner.Related{Pos: p, End: at(r.End), Message: r.Message}
			}
			fd.Related = rel
		}
		if len(lines) > 0 {
			fd.Message = requote(fd.Message, quote, lines)
		}
		return fd
	}
}

// requote replaces each "name.go:N" in msg (quote is "name.go:") whose N
// lines maps, by the line it maps to.
func requote(msg, quote string, lines map[int]int) string {
	var b []byte
	rest := msg
	for {
		i := indexQuote(rest, quote)
		if i < 0 {
			break
		}
		j := i + len(quote)
		k := j
		for k < len(rest) && rest[k] >= '0' && rest[k] <= '9' {
			k++
		}
		n, err := strconv.Atoi(rest[j:k])
		to, ok := lines[n]
		b = append(b, rest[:j]...)
		if err == nil && ok {
			b = strconv.AppendInt(b, int64(to), 10)
		} else {
			b = append(b, rest[j:k]...)
		}
		rest = rest[k:]
	}
	return string(append(b, rest...))
}

// indexQuote finds quote in s where it begins a file name (not inside a
// longer one, as "xserver.go:" for "server.go:") and a line number follows.
func indexQuote(s, quote string) int {
	for off := 0; ; {
		i := bytes.Index([]byte(s[off:]), []byte(quote))
		if i < 0 {
			return -1
		}
		i += off
		j := i + len(quote)
		startsName := i == 0 || s[i-1] == ' ' || s[i-1] == '(' || s[i-1] == '/'
		if startsName && j < len(s) && s[j] >= '0' && s[j] <= '9' {
			return i
		}
		off = i + 1
	}
}

// fileView parses and checks snap's file in full, as the file-level
// analysis does, for the quick fixes of a per-declaration result.
func (s *Server) fileView(ctx context.Context, g *loader.Graph, tc *trimCache, t *loader.Target, snap *snapshot) (*loader.Package, func(), error) {
	f, perr := g.ParseFile(snap.path, snap.text)
	if f == nil {
		return nil, nil, fmt.Errorf("parse %s: %w", snap.path, perr)
	}
	tf := g.FileSet().File(f.FileStart)
	pkg, put, err := s.checkEdited(ctx, g, tc, t, snap.path, f, perr, snap.text)
	if err != nil {
		g.FileSet().RemoveFile(tf)
		return nil, nil, err
	}
	return pkg, func() {
		g.FileSet().RemoveFile(tf)
		put()
	}, nil
}

// lazyView is a package view built on first use and dropped with the
// result that holds it.
type lazyView struct {
	build func(context.Context) (*loader.Package, func(), error)

	mu      sync.Mutex
	pkg     *loader.Package
	release func()
	dropped bool
}

var errDropped = errors.New("the analysis was replaced by a newer one")

// get builds the view, once.
func (v *lazyView) get(ctx context.Context) (*loader.Package, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.dropped {
		return nil, errDropped
	}
	if v.pkg == nil {
		pkg, release, err := v.build(ctx)
		if err != nil {
			return nil, fmt.Errorf("checking the file for its quick fixes: %w", err)
		}
		v.pkg, v.release = pkg, release
	}
	return v.pkg, nil
}

// drop releases the view, if it was built, and refuses to build it since.
func (v *lazyView) drop() {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.dropped = true
	if v.release != nil {
		v.release()
		v.release = nil
	}
}

// fixPackage returns the package view the quick fixes of res work on: the
// file checked in full (the edited file's every function body typed).
func (res *result) fixPackage(ctx context.Context) (*loader.Package, error) {
	if res.fix != nil {
		return res.fix.get(ctx)
	}
	return res.pkg, nil
}
