package server

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"go/ast"
	"go/scanner"
	"go/token"
	"go/types"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/failfast-dev/failfast/loader"
	"github.com/failfast-dev/failfast/runner"
)

// trimCache holds, for one graph, the package files that are not being
// edited, parsed once and trimmed for type-checking: function bodies and
// comments removed. Only the edited file is checked in full, so the cost of
// an edit grows with that file, not with its package: the other files
// contribute only their declarations. The trimmed files are never modified
// and are shared by concurrent checks.
type trimCache struct {
	g     *loader.Graph
	mu    sync.Mutex
	files map[string]*trimmedFile
}

type trimmedFile struct {
	stamp string
	file  *ast.File
	tf    *token.File
	decls []declInfo // file's declarations, for pruning
	// refs counts the cache's reference (until the file is parsed
	// again) and the checks' (until their result is dropped): tf leaves
	// the graph's file set with the last one, never under a check that
	// still uses it (go/types needs every file's token.File).
	refs int
}

func newTrimCache(g *loader.Graph) *trimCache {
	return &trimCache{g: g, files: map[string]*trimmedFile{}}
}

// get returns the trimmed syntax of path, parsing it when its content
// changed. A file that does not parse contributes what parsed. The caller
// puts it back when it no longer uses it.
func (c *trimCache) get(s *Server, path string) (*trimmedFile, error) {
	stamp, err := s.fileStamp(path)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	tf, ok := c.files[path]
	if ok && tf.stamp == stamp {
		tf.refs++
		c.mu.Unlock()
		return tf, nil
	}
	c.mu.Unlock()
	src, stamp, err := s.readSource(path)
	if err != nil {
		return nil, err
	}
	f, _ := c.g.ParseFile(path, src) // its errors are the file's own, reported when it is edited
	if f == nil {
		return nil, fmt.Errorf("parse %s: nothing parsed", path)
	}
	trimmed := trim(f)
	t := &trimmedFile{stamp: stamp, file: trimmed, tf: c.g.FileSet().File(f.FileStart), decls: declInfos(trimmed), refs: 2}
	c.mu.Lock()
	old := c.files[path]
	c.files[path] = t
	c.mu.Unlock()
	if old != nil {
		c.put(old)
	}
	return t, nil
}

// put drops a reference to t; the last one removes its file from the
// graph's file set.
func (c *trimCache) put(t *trimmedFile) {
	c.mu.Lock()
	t.refs--
	last := t.refs == 0
	c.mu.Unlock()
	if last && t.tf != nil {
		c.g.FileSet().RemoveFile(t.tf)
	}
}

// trim returns a copy of f for type-checking another file against it:
// function bodies, comments, and the values of variables with a declared
// type removed, and function literals emptied. Only declarations remain,
// which is all another file can depend on. The errors this causes (a
// missing return, an unused import) lie in f, and only the edited file's
// errors are kept. The copy shares f's unchanged nodes.
func trim(f *ast.File) *ast.File {
	c := *f
	c.Comments = nil
	c.Decls = make([]ast.Decl, len(f.Decls))
	for i, d := range f.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			cp := *d
			cp.Body = nil
			c.Decls[i] = &cp
		case *ast.GenDecl:
			c.Decls[i] = trimGenDecl(d)
		default:
			c.Decls[i] = d
		}
	}
	return &c
}

func trimGenDecl(d *ast.GenDecl) ast.Decl {
	if d.Tok != token.VAR {
		return d
	}
	cp := *d
	cp.Specs = make([]ast.Spec, len(d.Specs))
	for i, sp := range d.Specs {
		vs, ok := sp.(*ast.ValueSpec)
		if !ok {
			cp.Specs[i] = sp
			continue
		}
		v := *vs
		if v.Type != nil {
			v.Values = nil
		} else {
			v.Values = make([]ast.Expr, len(vs.Values))
			for j, e := range vs.Values {
				v.Values[j] = emptyFuncLits(e)
			}
		}
		cp.Specs[i] = &v
	}
	return &cp
}

// emptyFuncLits returns e, or a copy of it whose top-level function
// literal has an empty body (its type is all the declaration needs).
func emptyFuncLits(e ast.Expr) ast.Expr {
	if fl, ok := e.(*ast.FuncLit); ok {
		cp := *fl
		cp.Body = &ast.BlockStmt{Lbrace: fl.Body.Lbrace, Rbrace: fl.Body.Lbrace}
		return &cp
	}
	return e
}

// result is the analysis of one document snapshot.
type result struct {
	snap     *snapshot
	findings []runner.Finding
	// pkg is the checked package as the rules saw it: Syntax holds only
	// the analysed file, Types the whole package. Nil when the file is in
	// no package.
	pkg *loader.Package
	// release drops the analysed file from the graph's file set once the
	// result is replaced.
	release func()
	// partial: the rest of the package was seen without function bodies,
	// so what a rule learns from other files' bodies (a related place in
	// another file) is missing until the complete pass (analyseFull).
	partial bool
	// unsummarised: partial, and no complete pass of the package has run
	// yet, so the rules also lack the facts that a pass learns from the
	// other files' bodies (a function there that may return nil): the
	// complete pass is due at once, not after a pause.
	unsummarised bool
	// base is what the analysis of the document's next version may
	// reuse (see analyseDecl); nil when this one cannot serve.
	base *declBase
	// fix is the file-level view of the package that quick fixes work
	// on, when pkg is not one (a per-declaration result).
	fix *lazyView
}

// analyse runs the rules on a snapshot of an open file: the file is parsed
// and checked in full, the rest of its package from the trimmed cache.
// With prev, what the analysis of an earlier version of the same document
// left, an edit inside one function body re-checks only that function
// (analyseDecl); anything else is checked as a whole file.
func (s *Server) analyse(ctx context.Context, snap *snapshot, prev *declBase) (*result, error) {
	if snap.path == "" {
		return &result{snap: snap}, nil
	}
	if filepath.Ext(snap.path) != ".go" {
		return &result{snap: snap}, nil
	}
	m := s.ws.moduleFor(snap.path)
	dir := filepath.Dir(snap.path)
	for attempt := 0; ; attempt++ {
		g, tc, err := m.graphFor(ctx, dir)
		if err != nil {
			return nil, err
		}
		targets := g.TargetsFor(snap.path)
		if len(targets) == 0 {
			if m.firstMiss(snap.path, snap.text) {
				m.markStale() // a new file: the go command has not listed it yet
				continue
			}
			s.log.Debug("file is in no package of the build (excluded by build constraints?); not analysed", "file", snap.path)
			return &result{snap: snap}, nil
		}
		start := time.Now()
		if prev != nil && attempt == 0 {
			res, why, err := s.analyseDecl(ctx, m, g, tc, targets, snap, prev)
			if err != nil {
				return nil, err
			}
			if res != nil {
				return res, nil
			}
			s.log.Debug("checking the whole file", "file", snap.path, "version", snap.version, "reason", why)
		}
		f, perr := g.ParseFile(snap.path, snap.text)
		if f == nil {
			return nil, fmt.Errorf("parse %s: %w", snap.path, perr)
		}
		if f.Name == nil || f.Name.Name == "" {
			// Not even the package clause parsed (an empty file, no Go at
			// all, go/parser's nesting limit): nothing to analyse, and
			// the empty diagnostics say nothing was found.
			if tf := g.FileSet().File(f.FileStart); tf != nil {
				g.FileSet().RemoveFile(tf)
			}
			s.log.Warn("file not analysed: it does not parse", "file", snap.path, "version", snap.version, "err", perr)
			return &result{snap: snap}, nil
		}
		tf := g.FileSet().File(f.FileStart)
		held := &heldSyntax{fset: g.FileSet(), file: tf}
		release := held.release
		if m.headerChanged(snap.path, f) && attempt == 0 {
			release()
			s.log.Info("package clause or imports changed: listing the packages again", "file", snap.path)
			m.markStale()
			continue
		}
		r, err := m.runner(ctx)
		if err != nil {
			release()
			return nil, err
		}
		res := &result{snap: snap, release: release}
		base := &declBase{text: snap.text, decls: declSpans(tf, f), g: g, r: r, facts: r.FactsGeneration(factPaths(targets))}
		var errs []error
		for _, t := range targets {
			checkStart := time.Now()
			others, put, stamps := s.otherFiles(tc, t, snap.path)
			held.borrow(put)
			base.others = append(base.others, stamps)
			view, err := s.checkAgainst(ctx, g, tc, t, snap.path, f, others)
			checked := time.Since(checkStart)
			if err != nil {
				release()
				return nil, err
			}
			s.editedView(g, tc, t, view, snap.path, f, perr, snap.text)
			runStart := time.Now()
			findings, rerrs := r.Run(ctx, view)
			s.log.Debug("analysis phases", "file", snap.path, "target", t.ID, "typecheck", checked.String(), "rules", time.Since(runStart).String())
			if err := ctx.Err(); err != nil {
				release()
				return nil, err
			}
			errs = append(errs, rerrs...)
			for _, fd := range findings {
				if fd.Pos.Filename == snap.path {
					res.findings = append(res.findings, fd)
				}
			}
			if res.pkg == nil {
				res.pkg = view
			}
			partial := len(t.Files) > 1
			res.partial = res.partial || partial
			if partial && view.Types != nil && !r.Summarised(view.Types.Path()) {
				res.unsummarised = true
			}
		}
		res.findings = dedupe(res.findings)
		if perr == nil {
			base.findings = res.findings
			res.base = base
		}
		s.log.Debug("analysed", "file", snap.path, "version", snap.version, "findings", len(res.findings), "took", time.Since(start).String())
		for _, e := range errs {
			// A rule that panicked or failed: the others' findings stand.
			s.log.Error("a rule failed; its findings are missing", "file", snap.path, "err", e)
		}
		return res, nil
	}
}

// analyseFull runs the rules on a snapshot with its whole package checked
// in full, and returns the snapshot's findings: the complete pass that
// follows the per-edit one when the user pauses (see scheduler). Its cost
// grows with the package, which is why it waits.
//
// With from, the base of the per-edit result of the same snapshot, it also
// returns the base the next edit reuses (analyseDecl): from with these
// findings, at the facts this pass kept. The pass keeps its own package's
// facts, so from's generation no longer holds; the new one does when no
// package it imports kept other facts meanwhile (the background pass). Nil
// otherwise, and the next edit checks its whole file.
func (s *Server) analyseFull(ctx context.Context, snap *snapshot, from *declBase) ([]runner.Finding, *declBase, error) {
	m := s.ws.moduleFor(snap.path)
	g, _, err := m.graphFor(ctx, filepath.Dir(snap.path))
	if err != nil {
		return nil, nil, err
	}
	r, err := m.runner(ctx)
	if err != nil {
		return nil, nil, err
	}
	select {
	case s.wholePackage <- struct{}{}:
		defer func() { <-s.wholePackage }()
	case <-ctx.Done():
		return nil, nil, ctx.Err()
	}
	targets := g.TargetsFor(snap.path)
	imported := importedPaths(targets)
	before := r.FactsGeneration(imported)
	var out []runner.Finding
	for _, t := range targets {
		pkg, err := g.CheckWith(ctx, t, map[string][]byte{snap.path: snap.text})
		if err != nil {
			return nil, nil, err
		}
		findings, errs := r.Run(ctx, pkg)
		pkg.Release()
		if err := ctx.Err(); err != nil {
			return nil, nil, err
		}
		for _, e := range errs {
			s.log.Error("a rule failed; its findings are missing", "file", snap.path, "err", e)
		}
		for _, f := range findings {
			if f.Pos.Filename == snap.path {
				out = append(out, f)
			}
		}
	}
	out = dedupe(out)
	var next *declBase
	if from != nil && from.g == g && from.r == r && bytes.Equal(from.text, snap.text) && r.FactsGeneration(imported) == before {
		b := *from
		b.findings, b.facts = out, r.FactsGeneration(factPaths(targets))
		next = &b
	}
	return out, next, nil
}

// checkEdited type-checks the edited file f (parsed from src, with perr)
// in full against the declarations it needs from the other files of t, and
// returns the package as the rules see it: Syntax holds f only, Errors f's
// errors only, ReadFile answers src for f. Its CheckWith (a quick fix
// verifying a rewrite of f) re-checks the same way. put gives back the
// other files' trimmed syntax once the package is no longer used.
func (s *Server) checkEdited(ctx context.Context, g *loader.Graph, tc *trimCache, t *loader.Target, path string, f *ast.File, perr error, src []byte) (pkg *loader.Package, put func(), err error) {
	others, put, _ := s.otherFiles(tc, t, path)
	pkg, err = s.checkAgainst(ctx, g, tc, t, path, f, others)
	if err != nil {
		put()
		return nil, nil, err
	}
	s.editedView(g, tc, t, pkg, path, f, perr, src)
	return pkg, put, nil
}

// otherFiles returns the trimmed syntax of the files of t that a check of
// path is made against, the function that gives them back, and a stamp of
// their contents: the same stamp means the same declarations.
func (s *Server) otherFiles(tc *trimCache, t *loader.Target, path string) (others []*trimmedFile, put func(), stamps string) {
	isTest := strings.HasSuffix(path, "_test.go")
	var b strings.Builder
	for _, name := range t.Files {
		// A non-test file cannot refer to the package's test files:
		// leave them out (they are often most of it).
		if name == path || (!isTest && strings.HasSuffix(name, "_test.go")) {
			continue
		}
		other, err := tc.get(s, name)
		if err != nil {
			s.log.Warn("package file skipped", "file", name, "err", err)
			fmt.Fprintf(&b, "%s\x00skipped\n", name)
			continue
		}
		others = append(others, other)
		fmt.Fprintf(&b, "%s\x00%s\n", name, other.stamp)
	}
	put = func() {
		for _, o := range others {
			tc.put(o)
		}
	}
	return others, put, b.String()
}

// checkAgainst type-checks f against the declarations it needs from others.
func (s *Server) checkAgainst(ctx context.Context, g *loader.Graph, tc *trimCache, t *loader.Target, path string, f *ast.File, others []*trimmedFile) (*loader.Package, error) {
	files := append([]*ast.File{f}, prune(f, others)...)
	pkg, err := g.CheckFiles(ctx, t, files)
	if err != nil {
		return nil, fmt.Errorf("check %s: %w", path, err)
	}
	return pkg, nil
}

// editedView makes pkg, checked by checkAgainst, the package as the rules
// see it: Syntax holds f only, Errors f's errors only (and perr, its parse
// error), ReadFile answers src for f, and Recheck checks a rewrite of f
// the same way.
func (s *Server) editedView(g *loader.Graph, tc *trimCache, t *loader.Target, pkg *loader.Package, path string, f *ast.File, perr error, src []byte) {
	pkg.Syntax = []*ast.File{f}
	pkg.Partial = true
	pkg.Errors = errorsIn(pkg.Fset, pkg.Errors, path)
	if perr != nil {
		pkg.Errors = append(pkg.Errors, perr)
	}
	read := pkg.ReadFile
	pkg.ReadFile = func(name string) ([]byte, error) {
		if name == path {
			return src, nil
		}
		return read(name)
	}
	pkg.Recheck = func(ctx context.Context, overrides map[string][]byte) (*loader.Package, error) {
		next, ok := overrides[path]
		if !ok || len(overrides) != 1 {
			// Another file rewritten: check the whole package.
			return g.CheckWith(ctx, t, overrides)
		}
		f2, perr2 := g.ParseFile(path, next)
		if f2 == nil {
			return nil, fmt.Errorf("parse %s: %w", path, perr2)
		}
		p2, put2, err := s.checkEdited(ctx, g, tc, t, path, f2, perr2, next)
		if err != nil {
			if tf := g.FileSet().File(f2.FileStart); tf != nil {
				g.FileSet().RemoveFile(tf)
			}
			return nil, err
		}
		// The fixes compare the rewrite's errors, which lie in f2 only:
		// the other files' syntax is needed no longer than the check.
		put2()
		return p2, nil
	}
}

// errorsIn keeps the parse and type errors located in file.
func errorsIn(fset *token.FileSet, errs []error, file string) []error {
	var out []error
	for _, e := range errs {
		var te types.Error
		var se scanner.ErrorList
		switch {
		case errors.As(e, &te):
			if fset.PositionFor(te.Pos, false).Filename == file {
				out = append(out, e)
			}
		case errors.As(e, &se):
			// parse errors of other files are theirs
		default:
			out = append(out, e)
		}
	}
	return out
}

// heldSyntax is what one check holds in a module's graph: the analysed
// file's entry in the graph's file set, and the trimmed syntax of other
// files it borrowed from the trimCache. release gives them back, once.
type heldSyntax struct {
	fset *token.FileSet
	file *token.File
	puts []func()
	once sync.Once
}

// borrow records put, which returns a borrowed trimmed file.
func (h *heldSyntax) borrow(put func()) { h.puts = append(h.puts, put) }

func (h *heldSyntax) release() {
	h.once.Do(func() {
		if h.file != nil {
			h.fset.RemoveFile(h.file)
		}
		for _, put := range h.puts {
			put()
		}
	})
}

func dedupe(fs []runner.Finding) []runner.Finding {
	slices.SortFunc(fs, func(a, b runner.Finding) int {
		if a.Pos.Offset != b.Pos.Offset {
			return a.Pos.Offset - b.Pos.Offset
		}
		if a.Rule != b.Rule {
			return strings.Compare(a.Rule, b.Rule)
		}
		return strings.Compare(a.Message, b.Message)
	})
	return slices.CompactFunc(fs, func(a, b runner.Finding) bool {
		return a.Pos.Offset == b.Pos.Offset && a.Rule == b.Rule && a.Message == b.Message
	})
}
