package fixes

import (
	"bytes"
	"errors"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"sort"
	"strconv"
	"strings"

	"github.com/dave/dst"
	"github.com/dave/dst/decorator"
	"github.com/dave/dst/dstutil"
	"golang.org/x/tools/go/ast/astutil"

	"github.com/failfast-dev/failfast/loader"
	"github.com/failfast-dev/failfast/runner"
)

// target is a finding located in its package's syntax.
type target struct {
	pkg      *loader.Package
	f        runner.Finding
	file     *ast.File
	tf       *token.File
	filename string
	src      []byte
	info     *types.Info
	// start and end are the finding's range; path holds the nodes
	// enclosing it, innermost first.
	start, end token.Pos
	path       []ast.Node
}

// locate finds the file and nodes of finding f in pkg.
func locate(pkg *loader.Package, f runner.Finding) (*target, error) {
	if pkg == nil || pkg.Fset == nil {
		return nil, errors.New("no package syntax (was it released?)")
	}
	for _, file := range pkg.Syntax {
		tf := pkg.Fset.File(file.FileStart)
		if tf == nil || tf.Name() != f.Pos.Filename {
			continue
		}
		src, err := pkg.ReadFile(tf.Name())
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", tf.Name(), err)
		}
		if len(src) != tf.Size() {
			return nil, fmt.Errorf("%s changed since it was checked (%d bytes, was %d)", tf.Name(), len(src), tf.Size())
		}
		startOff, endOff := f.Pos.Offset, f.End.Offset
		if f.End.Filename == "" {
			endOff = startOff
		}
		if startOff < 0 || startOff > tf.Size() || endOff < startOff || endOff > tf.Size() {
			return nil, fmt.Errorf("offsets %d-%d lie outside %s (%d bytes)", startOff, endOff, tf.Name(), tf.Size())
		}
		t := &target{pkg: pkg, f: f, file: file, tf: tf, filename: tf.Name(), src: src, info: pkg.TypesInfo,
			start: tf.Pos(startOff), end: tf.Pos(endOff)}
		t.path, _ = enclosingPath(file, t.start, t.end)
		return t, nil
	}
	return nil, fmt.Errorf("%s is not a file of package %s", f.Pos.Filename, pkg.PkgPath)
}

// enclosingPath is astutil.PathEnclosingInterval(file, start, end),
// computed within the top-level declaration that contains the interval
// when one does: astutil sorts every declaration of the file at each call,
// which made fixing every finding of a file quadratic in its size (minutes
// for a generated file of 50,000 lines).
func enclosingPath(file *ast.File, start, end token.Pos) ([]ast.Node, bool) {
	decls := file.Decls
	i := sort.Search(len(decls), func(i int) bool { return decls[i].End() > start })
	if i < len(decls) && decls[i].Pos() <= start && end <= decls[i].End() {
		one := &ast.File{Package: file.Package, Name: file.Name, Decls: decls[i : i+1], FileStart: file.FileStart, FileEnd: file.FileEnd}
		if path, exact := astutil.PathEnclosingInterval(one, start, end); len(path) > 0 && path[len(path)-1] == one {
			path[len(path)-1] = file
			return path, exact
		}
	}
	return astutil.PathEnclosingInterval(file, start, end)
}

// node returns the innermost node of type N in the path that starts where
// the finding starts.
func node[N ast.Node](t *target) (N, bool) {
	for _, n := range t.path {
		if x, ok := n.(N); ok && n.Pos() == t.start {
			return x, true
		}
	}
	var zero N
	return zero, false
}

// pathTo returns the nodes enclosing n, innermost (n itself) first.
func (t *target) pathTo(n ast.Node) []ast.Node {
	p, _ := enclosingPath(t.file, n.Pos(), n.End())
	for i, x := range p {
		if x == n {
			return p[i:]
		}
	}
	return p
}

// text returns the source text of n.
func (t *target) text(n ast.Node) string {
	return string(t.src[t.tf.Offset(n.Pos()):t.tf.Offset(n.End())])
}

// relatedRange returns the range of the finding's first related location
// in the same file, or NoPos.
func (t *target) relatedRange() (token.Pos, token.Pos) {
	for _, r := range t.f.Related {
		if r.Pos.Filename != t.filename || r.Pos.Offset < 0 || r.Pos.Offset > t.tf.Size() {
			continue
		}
		end := r.Pos.Offset
		if r.End.Filename == t.filename && r.End.Offset >= end && r.End.Offset <= t.tf.Size() {
			end = r.End.Offset
		}
		return t.tf.Pos(r.Pos.Offset), t.tf.Pos(end)
	}
	return token.NoPos, token.NoPos
}

// stmtInBlock returns the statement enclosing n that sits directly in a
// block or case clause, refusing when moving code out of the expression
// would change when it runs: through a function literal, the right of &&
// or ||, a loop condition, or a statement with an init part.
func (t *target) stmtInBlock(n ast.Node) (ast.Stmt, error) {
	path := t.pathTo(n)
	for i := 1; i < len(path); i++ {
		child, parent := path[i-1], path[i]
		switch p := parent.(type) {
		case *ast.FuncLit:
			return nil, errors.New("the expression is inside a function literal")
		case *ast.BinaryExpr:
			if (p.Op == token.LAND || p.Op == token.LOR) && child == p.Y {
				return nil, errors.New("the expression is evaluated only if " + t.text(p.X) + " allows it")
			}
		case *ast.ForStmt:
			return nil, errors.New("the expression is part of a loop header")
		case *ast.IfStmt:
			if child == p.Cond && p.Init != nil {
				return nil, errors.New("the expression is evaluated after the if statement's init")
			}
		case *ast.SwitchStmt:
			if child == p.Tag && p.Init != nil {
				return nil, errors.New("the expression is evaluated after the switch statement's init")
			}
		case *ast.BlockStmt, *ast.CaseClause, *ast.CommClause:
			s, ok := child.(ast.Stmt)
			if !ok {
				return nil, errors.New("no statement encloses the expression")
			}
			switch s.(type) {
			case *ast.ExprStmt, *ast.AssignStmt, *ast.ReturnStmt, *ast.DeclStmt, *ast.SendStmt,
				*ast.IncDecStmt, *ast.GoStmt, *ast.DeferStmt, *ast.IfStmt, *ast.SwitchStmt, *ast.RangeStmt:
				return s, nil
			}
			return nil, fmt.Errorf("cannot insert code before a %T", s)
		}
		if _, ok := parent.(ast.Stmt); ok {
			switch parent.(type) {
			case *ast.IfStmt, *ast.SwitchStmt, *ast.RangeStmt, *ast.ExprStmt, *ast.AssignStmt, *ast.ReturnStmt,
				*ast.DeclStmt, *ast.SendStmt, *ast.IncDecStmt, *ast.GoStmt, *ast.DeferStmt:
			default:
				return nil, fmt.Errorf("the expression is part of a %T", parent)
			}
		}
	}
	return nil, errors.New("no statement encloses the expression")
}

// fn describes the innermost function enclosing a position.
type fn struct {
	node ast.Node // *ast.FuncDecl or *ast.FuncLit
	decl *ast.FuncDecl
	sig  *types.Signature
	body *ast.BlockStmt
}

func (t *target) funcAt(n ast.Node) (*fn, error) {
	for _, x := range t.pathTo(n) {
		switch d := x.(type) {
		case *ast.FuncLit:
			sig, ok := t.info.TypeOf(d).(*types.Signature)
			if !ok {
				return nil, errors.New("the function literal has no type information")
			}
			return &fn{node: d, sig: sig, body: d.Body}, nil
		case *ast.FuncDecl:
			obj, ok := t.info.Defs[d.Name].(*types.Func)
			if !ok {
				return nil, errors.New("the function has no type information")
			}
			sig, ok := obj.Type().(*types.Signature)
			if !ok {
				return nil, errors.New("the function has no signature")
			}
			return &fn{node: d, decl: d, sig: sig, body: d.Body}, nil
		}
	}
	return nil, errors.New("the finding is not inside a function")
}

// scopeAt returns the innermost scope at pos.
func (t *target) scopeAt(pos token.Pos) *types.Scope {
	if t.pkg.Types == nil {
		return nil
	}
	return t.pkg.Types.Scope().Innermost(pos)
}

// rewrite is one fix being built on a fresh dst tree of the target's file.
type rewrite struct {
	*target
	opts Options
	dec  *decorator.Decorator
	df   *dst.File
	// touched are the declarations the rewrite changes; imports is set
	// when it adds an import.
	touched []ast.Node
	imports bool
	taken   map[string]bool   // names this rewrite declared
	added   map[string]string // import path → name, for imports this rewrite added
	// raw, when set, are the rewrite's edits of the text itself (for
	// comments, which dst does not model as nodes).
	raw []Edit
}

// textEdit makes the rewrite a plain text edit.
func (rw *rewrite) textEdit(e Edit) error {
	rw.raw = append(rw.raw, e)
	return nil
}

func newRewrite(t *target, opts Options) (*rewrite, error) {
	if hasBadSyntax(t.file) {
		return nil, errors.New("the file does not parse")
	}
	if t.pkg.Types == nil || t.info == nil {
		return nil, errors.New("the package has no type information")
	}
	dec := decorator.NewDecorator(t.pkg.Fset)
	df, err := dec.DecorateFile(t.file)
	if err != nil {
		return nil, fmt.Errorf("decorate %s: %w", t.filename, err)
	}
	return &rewrite{target: t, opts: opts, dec: dec, df: df, taken: map[string]bool{}}, nil
}

// dstOf returns the dst node decorated from n.
func (rw *rewrite) dstOf(n ast.Node) (dst.Node, error) {
	d, ok := rw.dec.Dst.Nodes[n]
	if !ok {
		return nil, fmt.Errorf("no dst node for the %T at %s", n, rw.pkg.Fset.Position(n.Pos()))
	}
	rw.touch(n)
	return d, nil
}

func dstAs[N dst.Node](rw *rewrite, n ast.Node) (N, error) {
	var zero N
	d, err := rw.dstOf(n)
	if err != nil {
		return zero, err
	}
	x, ok := d.(N)
	if !ok {
		return zero, fmt.Errorf("the dst node of a %T is a %T", n, d)
	}
	return x, nil
}

// touch records the top-level declaration enclosing n as changed.
func (rw *rewrite) touch(n ast.Node) {
	for _, d := range rw.file.Decls {
		if d.Pos() <= n.Pos() && n.End() <= d.End() {
			rw.touched = append(rw.touched, d)
			return
		}
	}
}

// regions returns where the rewrite may change the original text.
func (rw *rewrite) regions() []region {
	var rs []region
	for _, d := range rw.touched {
		start := d.Pos()
		if fd, ok := d.(*ast.FuncDecl); ok && fd.Doc != nil {
			start = fd.Doc.Pos()
		}
		if gd, ok := d.(*ast.GenDecl); ok && gd.Doc != nil {
			start = gd.Doc.Pos()
		}
		rs = append(rs, region{lineStart(rw.src, rw.tf.Offset(start)), lineEnd(rw.src, rw.tf.Offset(d.End()))})
	}
	if rw.imports {
		start := lineStart(rw.src, rw.tf.Offset(rw.file.Name.End()))
		end := len(rw.src)
		for _, d := range rw.file.Decls {
			if gd, ok := d.(*ast.GenDecl); ok && gd.Tok == token.IMPORT {
				end = lineEnd(rw.src, rw.tf.Offset(gd.End()))
				continue
			}
			if end == len(rw.src) {
				end = lineStart(rw.src, rw.tf.Offset(d.Pos()))
			}
			break
		}
		rs = append(rs, region{start, end})
	}
	return rs
}

// pruneImports removes the imports the rewrite made unused: a package
// the original file used whose name no longer appears as a qualifier
// (errors.New became fmt.Errorf).
func (rw *rewrite) pruneImports() {
	used := map[string]bool{}
	dst.Inspect(rw.df, func(n dst.Node) bool {
		if sel, ok := n.(*dst.SelectorExpr); ok {
			if id, ok := sel.X.(*dst.Ident); ok {
				used[id.Name] = true
			}
		}
		return true
	})
	for _, imp := range rw.file.Imports {
		var pn *types.PkgName
		if imp.Name != nil {
			pn, _ = rw.info.Defs[imp.Name].(*types.PkgName)
		} else {
			pn, _ = rw.info.Implicits[imp].(*types.PkgName)
		}
		if pn == nil || pn.Name() == "_" || pn.Name() == "." || pn.Name() == "C" || used[pn.Name()] {
			continue
		}
		wasUsed := false
		for _, obj := range rw.info.Uses {
			if obj == types.Object(pn) {
				wasUsed = true
				break
			}
		}
		if !wasUsed {
			continue // unused before the rewrite: not ours to remove
		}
		rw.removeImport(imp)
	}
}

// removeImport deletes the dst spec of imp, and its declaration when it
// was the last.
func (rw *rewrite) removeImport(imp *ast.ImportSpec) {
	dSpec, ok := rw.dec.Dst.Nodes[imp].(*dst.ImportSpec)
	if !ok {
		return
	}
	for i, d := range rw.df.Decls {
		gd, ok := d.(*dst.GenDecl)
		if !ok || gd.Tok != token.IMPORT {
			continue
		}
		for j, sp := range gd.Specs {
			if sp != dSpec {
				continue
			}
			gd.Specs = append(gd.Specs[:j], gd.Specs[j+1:]...)
			if len(gd.Specs) == 0 {
				rw.df.Decls = append(rw.df.Decls[:i], rw.df.Decls[i+1:]...)
			}
			rw.imports = true
			for k, x := range rw.df.Imports {
				if x == dSpec {
					rw.df.Imports = append(rw.df.Imports[:k], rw.df.Imports[k+1:]...)
					break
				}
			}
			return
		}
	}
}

func (rw *rewrite) print() ([]byte, error) {
	var buf bytes.Buffer
	if err := decorator.NewRestorer().Fprint(&buf, rw.df); err != nil {
		return nil, fmt.Errorf("print the rewritten file: %w", err)
	}
	return buf.Bytes(), nil
}

// slot returns the statement list holding s and s's index in it.
func (rw *rewrite) slot(s ast.Stmt) (*[]dst.Stmt, int, error) {
	path := rw.pathTo(s)
	if len(path) < 2 {
		return nil, 0, errors.New("the statement has no parent")
	}
	ds, err := rw.dstOf(s)
	if err != nil {
		return nil, 0, err
	}
	parent, err := rw.dstOf(path[1])
	if err != nil {
		return nil, 0, err
	}
	var list *[]dst.Stmt
	switch p := parent.(type) {
	case *dst.BlockStmt:
		list = &p.List
	case *dst.CaseClause:
		list = &p.Body
	case *dst.CommClause:
		list = &p.Body
	default:
		return nil, 0, fmt.Errorf("the statement is in a %T, not a block", parent)
	}
	for i, x := range *list {
		if x == ds {
			return list, i, nil
		}
	}
	return nil, 0, errors.New("the statement is not in its parent's list")
}

func (rw *rewrite) insert(s ast.Stmt, after bool, stmts ...dst.Stmt) error {
	list, i, err := rw.slot(s)
	if err != nil {
		return err
	}
	if len(stmts) == 0 {
		return nil
	}
	// The blank lines around s stay around the group s now belongs to.
	first, last := stmts[0].Decorations(), stmts[len(stmts)-1].Decorations()
	first.Before, last.After = dst.NewLine, dst.NewLine
	anchor := (*list)[i].Decorations()
	if after {
		last.After, anchor.After = anchor.After, dst.NewLine
		i++
	} else {
		first.Before, anchor.Before = anchor.Before, dst.NewLine
	}
	*list = append((*list)[:i], append(stmts, (*list)[i:]...)...)
	return nil
}

// replaceWithName replaces the node n, inside statement s, by the
// identifier name: the first step of hoisting an expression out of s into a
// variable declared before it.
func (rw *rewrite) replaceWithName(s ast.Stmt, n dst.Node, name string) error {
	dStmt, err := rw.dstOf(s)
	if err != nil {
		return err
	}
	replaced := false
	dstutil.Apply(dStmt, func(c *dstutil.Cursor) bool {
		if c.Node() == n {
			c.Replace(dst.NewIdent(name))
			replaced = true
			return false
		}
		return !replaced
	}, nil)
	if !replaced {
		return errors.New("could not replace the expression")
	}
	return nil
}

func (rw *rewrite) replace(s ast.Stmt, stmts ...dst.Stmt) error {
	list, i, err := rw.slot(s)
	if err != nil {
		return err
	}
	old := (*list)[i]
	if len(stmts) > 0 {
		// Keep the comments around the replaced statement.
		stmts[0].Decorations().Start = old.Decorations().Start
		stmts[0].Decorations().Before = old.Decorations().Before
		last := stmts[len(stmts)-1].Decorations()
		last.End = old.Decorations().End
		last.After = old.Decorations().After
	}
	*list = append((*list)[:i], append(stmts, (*list)[i+1:]...)...)
	return nil
}

// parseStmts parses Go statements into dst nodes to splice into the tree.
func parseStmts(src string) ([]dst.Stmt, error) {
	f, err := decorator.NewDecorator(token.NewFileSet()).Parse("package p\n\nfunc _() {\n" + src + "\n}\n")
	if err != nil {
		return nil, fmt.Errorf("internal error: generated code does not parse: %w\n%s", err, src)
	}
	for _, d := range f.Decls {
		if fd, ok := d.(*dst.FuncDecl); ok {
			return fd.Body.List, nil
		}
	}
	return nil, errors.New("internal error: no function in generated code")
}

// parseExpr parses a Go expression into a dst node.
func parseExpr(src string) (dst.Expr, error) {
	stmts, err := parseStmts("_ = " + src)
	if err != nil {
		return nil, err
	}
	if len(stmts) == 1 {
		if as, ok := stmts[0].(*dst.AssignStmt); ok && len(as.Rhs) == 1 {
			return as.Rhs[0], nil
		}
	}
	return nil, fmt.Errorf("internal error: %q is not one expression", src)
}

// free reports whether name can be declared at pos without shadowing or
// colliding with another declaration.
func (rw *rewrite) free(name string, pos token.Pos) bool {
	if rw.taken[name] || token.IsKeyword(name) || types.Universe.Lookup(name) != nil {
		return false
	}
	// Nor hide a package the generated code may refer to.
	switch name {
	case "fmt", "errors", "log", "slog", "http", "debug":
		return false
	}
	for _, imp := range rw.file.Imports {
		if imp.Name != nil && imp.Name.Name == name {
			return false
		}
		if p, err := strconv.Unquote(imp.Path.Value); err == nil && p[strings.LastIndexByte(p, '/')+1:] == name {
			return false
		}
	}
	s := rw.scopeAt(pos)
	if s == nil {
		return false
	}
	if _, obj := s.LookupParent(name, pos); obj != nil {
		return false
	}
	// A later declaration in the same scope would collide.
	return s.Lookup(name) == nil
}

// hasBadSyntax reports whether the parser had to give up on part of f.
func hasBadSyntax(f *ast.File) bool {
	bad := false
	ast.Inspect(f, func(n ast.Node) bool {
		switch n.(type) {
		case *ast.BadExpr, *ast.BadStmt, *ast.BadDecl:
			bad = true
		}
		return !bad
	})
	return bad
}

// fresh returns base, base2, base3... whichever is first free at pos.
func (rw *rewrite) fresh(base string, pos token.Pos) string {
	if base == "" || token.IsKeyword(base) || types.Universe.Lookup(base) != nil {
		base = "v"
	}
	name := base
	for i := 2; !rw.free(name, pos); i++ {
		name = base + strconv.Itoa(i)
	}
	rw.taken[name] = true
	return name
}

// pkgName returns the name under which the package path can be referred
// to at pos, adding an import when the file has none.
func (rw *rewrite) pkgName(path string, pos token.Pos) (string, error) {
	s := rw.scopeAt(pos)
	if s == nil {
		return "", errors.New("no scope information")
	}
	for _, imp := range rw.file.Imports {
		p, err := strconv.Unquote(imp.Path.Value)
		if err != nil || p != path {
			continue
		}
		var pn *types.PkgName
		if imp.Name != nil {
			pn, _ = rw.info.Defs[imp.Name].(*types.PkgName)
		} else {
			pn, _ = rw.info.Implicits[imp].(*types.PkgName)
		}
		if pn == nil || pn.Name() == "_" || pn.Name() == "." {
			continue
		}
		if _, obj := s.LookupParent(pn.Name(), pos); obj != pn {
			return "", fmt.Errorf("%s is shadowed where the fix needs package %s", pn.Name(), path)
		}
		return pn.Name(), nil
	}
	if name, ok := rw.added[path]; ok {
		return name, nil
	}
	if err := importCycle(rw.pkg.PkgPath, path); err != nil {
		return "", err
	}
	base := path[strings.LastIndexByte(path, '/')+1:]
	name := base
	if !rw.importable(name, pos) {
		// The name is taken: import under another one.
		name = "std" + base
		if !rw.importable(name, pos) {
			return "", fmt.Errorf("cannot import %s: %s and %s are already declared", path, base, name)
		}
	}
	alias := ""
	if name != base {
		alias = name
	}
	if err := rw.addImport(path, alias); err != nil {
		return "", err
	}
	if rw.added == nil {
		rw.added = map[string]string{}
	}
	rw.added[path] = name
	return name, nil
}

// importable reports whether a package can be imported as name for use
// at pos: nothing in the file, its package or the scopes at pos is called
// that.
func (rw *rewrite) importable(name string, pos token.Pos) bool {
	if rw.taken[name] {
		return false
	}
	if s := rw.scopeAt(pos); s == nil {
		return false
	} else if _, obj := s.LookupParent(name, pos); obj != nil {
		return false
	}
	if rw.pkg.Types.Scope().Lookup(name) != nil {
		return false
	}
	for _, imp := range rw.file.Imports {
		if imp.Name != nil && imp.Name.Name == name {
			return false
		}
		if pn, ok := rw.info.Implicits[imp].(*types.PkgName); ok && pn.Name() == name {
			return false
		}
	}
	for _, n := range rw.added {
		if n == name {
			return false
		}
	}
	return true
}

// addImport appends an import spec for path to the file's first import
// declaration, or adds an import declaration after the package clause.
func (rw *rewrite) addImport(path, alias string) error {
	spec := &dst.ImportSpec{Path: &dst.BasicLit{Kind: token.STRING, Value: strconv.Quote(path)}}
	if alias != "" {
		spec.Name = dst.NewIdent(alias)
	}
	rw.imports = true
	for _, d := range rw.df.Decls {
		gd, ok := d.(*dst.GenDecl)
		if !ok || gd.Tok != token.IMPORT {
			continue
		}
		if !gd.Lparen {
			gd.Lparen, gd.Rparen = true, true
			for _, s := range gd.Specs {
				s.Decorations().Before, s.Decorations().After = dst.NewLine, dst.NewLine
			}
		}
		spec.Decs.Before = dst.NewLine
		spec.Decs.After = dst.NewLine
		gd.Specs = append(gd.Specs, spec)
		rw.df.Imports = append(rw.df.Imports, spec)
		return nil
	}
	gd := &dst.GenDecl{Tok: token.IMPORT, Specs: []dst.Spec{spec}}
	gd.Decs.Before = dst.EmptyLine
	gd.Decs.After = dst.EmptyLine
	rw.df.Decls = append([]dst.Decl{gd}, rw.df.Decls...)
	rw.df.Imports = append(rw.df.Imports, spec)
	return nil
}

// qualifier renders package-qualified type names as the file refers to
// them, adding imports when needed.
func (rw *rewrite) typeString(typ types.Type, pos token.Pos) (string, error) {
	var qerr error
	s := types.TypeString(typ, func(p *types.Package) string {
		if p == rw.pkg.Types {
			return ""
		}
		name, err := rw.pkgName(p.Path(), pos)
		if err != nil && qerr == nil {
			qerr = err
		}
		return name
	})
	return s, qerr
}

// zero returns a Go expression for the zero value of typ.
func (rw *rewrite) zero(typ types.Type, pos token.Pos) (string, error) {
	if typ == nil {
		return "", errors.New("a result has no type information")
	}
	switch u := typ.Underlying().(type) {
	case *types.Basic:
		switch {
		case u.Info()&types.IsBoolean != 0:
			return "false", nil
		case u.Info()&types.IsString != 0:
			return `""`, nil
		case u.Info()&types.IsNumeric != 0:
			return "0", nil
		case u.Kind() == types.UnsafePointer || u.Kind() == types.UntypedNil:
			return "nil", nil
		}
	case *types.Pointer, *types.Slice, *types.Map, *types.Chan, *types.Signature, *types.Interface:
		if _, ok := typ.(*types.TypeParam); !ok {
			return "nil", nil
		}
	case *types.Struct, *types.Array:
		if _, ok := typ.(*types.Alias); ok || isNamed(typ) {
			s, err := rw.typeString(typ, pos)
			return s + "{}", err
		}
	}
	s, err := rw.typeString(typ, pos)
	return "*new(" + s + ")", err
}

func isNamed(t types.Type) bool {
	_, ok := t.(*types.Named)
	return ok
}

var errorType = types.Universe.Lookup("error").Type()

func isErrorType(t types.Type) bool { return t != nil && types.Identical(t, errorType) }

// implementsError reports whether t is an error type.
func implementsError(t types.Type) bool {
	iface, ok := errorType.Underlying().(*types.Interface)
	return ok && t != nil && t != types.Typ[types.Invalid] && types.Implements(t, iface)
}

// quote renders s as a Go string literal, raw when that reads better.
func quote(s string) string {
	if strings.Contains(s, `"`) && !strings.ContainsAny(s, "`\n\r") {
		return "`" + s + "`"
	}
	return strconv.Quote(s)
}

// exprOK reports whether the text of e can be evaluated again in generated
// code: no calls, receives or function literals.
func exprOK(e ast.Expr) bool {
	ok := true
	ast.Inspect(e, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.CallExpr, *ast.FuncLit:
			ok = false
		case *ast.UnaryExpr:
			if x.Op == token.ARROW {
				ok = false
			}
		}
		return ok
	})
	return ok
}

// under returns t's underlying type, or nil when t is unknown.
func under(t types.Type) types.Type {
	if t == nil {
		return nil
	}
	return t.Underlying()
}
