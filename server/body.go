package server

import (
	"context"
	"fmt"
	"go/ast"
	"go/scanner"
	"go/token"
	"go/types"
	"maps"
	"path/filepath"
	"slices"
	"sync"

	"github.com/failfast-dev/failfast/loader"
	"github.com/failfast-dev/failfast/runner"
)

// A heldPackage is the package of one target of an open document checked
// with every function body of the document blanked. Function bodies declare
// nothing at package level, so the package stays right for every edit
// inside a body for as long as the document's declarations, the package
// listing and the other files stay the same (what analyseDecl compares):
// such an edit type-checks the edited body alone against it (checkBody),
// instead of checking every signature and type again.
//
// The held parse is named after the document in a directory of its own
// (heldName), so that a place a rule finds in it (the declaration of a
// function the edited body calls) can be told from a place in the edited
// text and moved through the edits made since (heldEdits).
type heldPackage struct {
	t     *loader.Target
	path  string // the document's file
	name  string // heldName(path)
	text  []byte // the text the held parse was made from
	pkg   *types.Package
	scope token.Pos // a position in the held file's scope, outside every function
	// gen holds the held parse's declarations that are not functions or
	// imports (types, values), which the rules see beside the edited
	// function, as in the file-level path; genInfo is their part of the
	// held check's type information.
	gen     *ast.File
	genDecl []declInfo // gen's declarations, for pruning (pruneTo)
	genInfo *types.Info
	sizes   types.Sizes
	stamps  string // the other files' stamps it was checked against

	mu   sync.Mutex
	refs int
	free func()

	// use serializes the checks against pkg and the rules' runs over
	// them: a check adds the edited function's scope to the held file's
	// scope (go/types links every new scope into its parent), so two must
	// not overlap, nor a rule read the scopes meanwhile. A cancelled
	// analysis may still run beside its document's next one.
	use sync.Mutex
}

// heldName is the file name of the held parse of path.
func heldName(path string) string {
	return filepath.Join(filepath.Dir(path), ".failfast-held", filepath.Base(path))
}

// retain counts one more result that uses h; release gives it back, and
// the last one frees h's syntax.
func (h *heldPackage) retain() { h.mu.Lock(); h.refs++; h.mu.Unlock() }

func (h *heldPackage) release() {
	h.mu.Lock()
	h.refs--
	last := h.refs == 0
	h.mu.Unlock()
	if last {
		h.free()
	}
}

// holdPackage checks target t of the document at path, whose text is
// text and declarations spans, with every function body blanked, against
// the package's other files pruned to what any of the document's
// declarations and bodies name.
func (s *Server) holdPackage(ctx context.Context, g *loader.Graph, tc *trimCache, t *loader.Target, path string, text []byte, spans []declSpan) (*heldPackage, error) {
	blank := blankBodies(text, spans, -1, change{})
	name := heldName(path)
	f, perr := g.ParseFile(name, blank)
	if perr != nil {
		return nil, fmt.Errorf("parse %s with its bodies blanked: %w", path, perr)
	}
	if f == nil {
		return nil, fmt.Errorf("parse %s with its bodies blanked: no file", path)
	}
	tf := g.FileSet().File(f.FileStart)
	for _, d := range f.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok {
			fd.Body = nil
		}
	}
	others, put, stamps := s.otherFiles(tc, t, path)
	s.held.Add(1)
	free := func() {
		g.FileSet().RemoveFile(tf)
		put()
		s.held.Add(-1)
	}
	pkg, err := g.CheckFiles(ctx, t, append([]*ast.File{f}, pruneTo(textNames(text), others)...))
	if err != nil {
		free()
		return nil, fmt.Errorf("check %s: %w", path, err)
	}
	gen := *f
	gen.Decls, gen.Imports = nil, nil
	for _, d := range f.Decls {
		if gd, ok := d.(*ast.GenDecl); ok && gd.Tok != token.IMPORT {
			gen.Decls = append(gen.Decls, d)
		}
	}
	return &heldPackage{
		t: t, path: path, name: name, text: text, pkg: pkg.Types, scope: f.Name.End(),
		gen: &gen, genDecl: declInfos(&gen), genInfo: infoOf(pkg.TypesInfo, &gen), sizes: pkg.Sizes, stamps: stamps,
		refs: 1, free: free,
	}, nil
}

// textNames returns every identifier of a Go source text, bodies included:
// the names an edit of any body may use from the package's other files.
func textNames(src []byte) []string {
	var sc scanner.Scanner
	fset := token.NewFileSet()
	sc.Init(fset.AddFile("", -1, len(src)), src, nil, 0)
	seen := map[string]bool{}
	var out []string
	for {
		_, tok, lit := sc.Scan()
		if tok == token.EOF {
			return out
		}
		if tok == token.IDENT && !seen[lit] {
			seen[lit] = true
			out = append(out, lit)
		}
	}
}

// infoOf returns the part of info about the nodes of f.
func infoOf(info *types.Info, f *ast.File) *types.Info {
	out := loader.NewInfo()
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case nil:
			return false
		case *ast.Ident:
			if o, ok := info.Defs[n]; ok {
				out.Defs[n] = o
			}
			if o, ok := info.Uses[n]; ok {
				out.Uses[n] = o
			}
			if in, ok := info.Instances[n]; ok {
				out.Instances[n] = in
			}
		case *ast.SelectorExpr:
			if sel, ok := info.Selections[n]; ok {
				out.Selections[n] = sel
			}
		}
		if e, ok := n.(ast.Expr); ok {
			if tv, ok := info.Types[e]; ok {
				out.Types[e] = tv
			}
		}
		if o, ok := info.Implicits[n]; ok {
			out.Implicits[n] = o
		}
		if sc, ok := info.Scopes[n]; ok {
			out.Scopes[n] = sc
		}
		return true
	})
	return out
}

// cloneInfo returns a copy of info whose maps may be added to.
func cloneInfo(info *types.Info) *types.Info {
	out := loader.NewInfo()
	maps.Copy(out.Types, info.Types)
	maps.Copy(out.Defs, info.Defs)
	maps.Copy(out.Uses, info.Uses)
	maps.Copy(out.Implicits, info.Implicits)
	maps.Copy(out.Selections, info.Selections)
	maps.Copy(out.Scopes, info.Scopes)
	maps.Copy(out.Instances, info.Instances)
	return out
}

// checkBody type-checks the body of fn, the edited function of f (parsed
// from src, the document's text), alone against h's package, and returns
// the package as the rules see it: Syntax holds f cut down to its imports
// and fn, and h's declarations that are not functions; TypesInfo knows
// their nodes. The body is checked as a function literal with the
// receiver as its first parameter, in the scope of h's file. It fails for
// what it cannot check that way (a generic function or receiver, a type
// error, a name h's package lacks), and the caller checks the file.
func (h *heldPackage) checkBody(fset *token.FileSet, f *ast.File, fn *ast.FuncDecl, src []byte) (*loader.Package, error) {
	if fn.Type.TypeParams != nil {
		return nil, fmt.Errorf("%s is generic", fn.Name.Name)
	}
	var fields []*ast.Field
	if fn.Recv != nil {
		for _, r := range fn.Recv.List {
			t := ast.Unparen(r.Type)
			if star, ok := t.(*ast.StarExpr); ok {
				t = ast.Unparen(star.X)
			}
			switch t.(type) {
			case *ast.IndexExpr, *ast.IndexListExpr:
				return nil, fmt.Errorf("%s has a generic receiver", fn.Name.Name)
			}
		}
		fields = append(fields, fn.Recv.List...)
	}
	nrecv := len(fields)
	if fn.Type.Params != nil {
		fields = append(fields, fn.Type.Params.List...)
	}
	// A literal's parameters are all named or all unnamed; the receiver
	// and the parameters need not agree.
	named := false
	for _, fl := range fields {
		named = named || len(fl.Names) > 0
	}
	if named {
		for i, fl := range fields {
			if len(fl.Names) == 0 {
				fields[i] = &ast.Field{Names: []*ast.Ident{{Name: "_", NamePos: fl.Pos()}}, Type: fl.Type}
			}
		}
	}
	lit := &ast.FuncLit{
		Type: &ast.FuncType{Func: fn.Type.Func, Params: &ast.FieldList{Opening: fn.Type.Pos(), List: fields}, Results: fn.Type.Results},
		Body: fn.Body,
	}
	info := cloneInfo(h.genInfo)
	if err := types.CheckExpr(fset, h.pkg, h.scope, lit, info); err != nil {
		return nil, fmt.Errorf("checking the body of %s alone: %w", fn.Name.Name, err)
	}
	sig, ok := info.TypeOf(lit).(*types.Signature)
	if !ok {
		return nil, fmt.Errorf("no signature for %s", fn.Name.Name)
	}
	params := sig.Params()
	var recv *types.Var
	var rest []*types.Var
	for i := range params.Len() {
		switch {
		case i < nrecv:
			recv = params.At(i)
		default:
			rest = append(rest, params.At(i))
		}
	}
	info.Defs[fn.Name] = types.NewFunc(fn.Name.Pos(), h.pkg, fn.Name.Name,
		types.NewSignatureType(recv, nil, nil, types.NewTuple(rest...), sig.Results(), sig.Variadic()))
	cut := *f
	cut.Decls = nil
	for _, d := range f.Decls {
		if gd, ok := d.(*ast.GenDecl); ok && gd.Tok == token.IMPORT {
			cut.Decls = append(cut.Decls, d)
		}
	}
	cut.Decls = append(cut.Decls, fn)
	path := h.path
	view := &loader.Package{
		Target: h.t, Fset: fset, Syntax: []*ast.File{&cut, h.prunedGen(fn)}, Types: h.pkg, TypesInfo: info,
		Sizes: h.sizes, Partial: true,
	}
	view.ReadFile = func(name string) ([]byte, error) {
		if name == path {
			return src, nil
		}
		return nil, fmt.Errorf("read %s: not the edited file", name)
	}
	return view, nil
}

// prunedGen returns h.gen cut down, as the package's other files are for
// an edited file (pruneTo), to the declarations that fn names and what
// they name in turn: what a rule may look up about the edited function
// (a constant's declaration and its comment, a variable's initial value),
// without the rest of the file's types and values for every rule to walk
// again at each edit.
func (h *heldPackage) prunedGen(fn *ast.FuncDecl) *ast.File {
	return pruneTo(identNames(fn), []*trimmedFile{{file: h.gen, decls: h.genDecl}})[0]
}

// heldMover returns the function that moves the places of a finding that
// lie in h's held parse (heldName) to the document's text, through edits,
// the changes from h.text to it, in order; tf is the current parse.
func (h *heldPackage) heldMover(edits []change, tf *token.File) func(runner.Finding) runner.Finding {
	at := func(p token.Position) (token.Position, bool) {
		if p.Filename != h.name || !p.IsValid() {
			return p, false
		}
		o := p.Offset
		for _, c := range edits {
			o = c.shift(o)
		}
		return tf.PositionFor(tf.Pos(min(o, tf.Size())), false), true
	}
	quote := filepath.Base(h.path) + ":"
	return func(fd runner.Finding) runner.Finding {
		if len(fd.Related) == 0 {
			return fd
		}
		lines := map[int]int{}
		rel := make([]runner.Related, len(fd.Related))
		for i, r := range fd.Related {
			p, moved := at(r.Pos)
			e, _ := at(r.End)
			if moved && p.Line != r.Pos.Line {
				lines[r.Pos.Line] = p.Line
			}
			rel[i] = runner.Related{Pos: p, End: e, Message: r.Message}
		}
		fd.Related = rel
		if len(lines) > 0 {
			fd.Message = requote(fd.Message, quote, lines)
		}
		return fd
	}
}

// maxHeld bounds the held packages alive at once, each about one check
// of its document's package by declarations: past it, an edit inside a
// body of a document that holds none checks its function with the file,
// as before held packages, until one is freed (its document's next
// non-body edit, a re-listing, or its close).
const maxHeld = 8

// maxHeldEdits bounds the changes the places of a held package are moved
// through, and the scopes of checked bodies its file scope collects: past
// it, the package is checked again from the current text.
const maxHeldEdits = 256

// bodyViews returns, per target, the package view of the edited function
// fn of f checked alone against the held packages (prev's, or made from
// snap's text when prev has none), the held packages (one reference, the
// caller's, also when no view could be made: they serve the next edit),
// and the changes from their text to snap's. views is nil, with the
// reason, when fn cannot be checked alone; otherwise the held packages are
// in use (heldPackage.use) until the caller calls done, once the rules
// have run over the views.
func (s *Server) bodyViews(ctx context.Context, g *loader.Graph, tc *trimCache, targets []*loader.Target, snap *snapshot, prev *declBase, c change, f *ast.File, spans []declSpan, fn *ast.FuncDecl) (holds []*heldPackage, edits []change, views []*loader.Package, done func(), why string) {
	var locked []*heldPackage
	done = func() {
		for _, h := range locked {
			h.use.Unlock()
		}
		locked = nil
	}
	holds, edits = prev.held, append(slices.Clone(prev.heldEdits), c)
	if len(holds) == len(targets) && len(edits) <= maxHeldEdits {
		for _, h := range holds {
			h.retain()
		}
	} else {
		holds, edits = nil, nil
		if int(s.held.Load())+len(targets) > maxHeld {
			return nil, nil, nil, done, fmt.Sprintf("%d packages are held for other documents (at most %d)", s.held.Load(), maxHeld)
		}
		for _, t := range targets {
			h, err := s.holdPackage(ctx, g, tc, t, snap.path, snap.text, spans)
			if err != nil {
				for _, h := range holds {
					h.release()
				}
				return nil, nil, nil, done, err.Error()
			}
			holds = append(holds, h)
		}
	}
	for k, h := range holds {
		_, put, stamps := s.otherFiles(tc, targets[k], snap.path)
		put()
		if h.t != targets[k] || h.stamps != stamps || stamps != prev.others[k] {
			done()
			return holds, edits, nil, done, "another file of the package changed"
		}
		h.use.Lock()
		locked = append(locked, h)
		view, err := h.checkBody(g.FileSet(), f, fn, snap.text)
		if err != nil {
			done()
			return holds, edits, nil, done, err.Error()
		}
		views = append(views, view)
	}
	return holds, edits, views, done, ""
}
