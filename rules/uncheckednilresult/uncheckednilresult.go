package uncheckednilresult

import (
	"fmt"
	"go/ast"
	"go/format"
	"go/token"
	"go/types"
	"path/filepath"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/failfast-dev/failfast/rules/flow"
	"github.com/failfast-dev/failfast/rules/provenance"
	"github.com/failfast-dev/failfast/rules/spec"
)

// Analyzer is the rule's analyzer with the default options.
var Analyzer = New(spec.DefaultOptions())

// New returns the rule's analyzer for the given options.
func New(o *spec.Options) *analysis.Analyzer {
	a := spec.NewAnalyzer(ID, summary, o, run)
	a.FactTypes = []analysis.Fact{new(mayNil), new(nilSafe), new(trueOnNil)}
	return a
}

func run(pass *analysis.Pass, r *spec.Reporter) {
	in, ok := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	if !ok {
		return // NewReporter has already refused such a pass
	}
	s := newSummaries(pass, r.Options().Lists, in.Root())
	s.export()
	places := newPlaces(pass.Fset)
	for file := range r.Files() {
		for c := range file.Preorder((*ast.CallExpr)(nil)) {
			call := c.Node().(*ast.CallExpr)
			checkAsTarget(pass, r, c, call)
			callee, f := s.ofCall(call)
			if f == nil {
				continue
			}
			for _, use := range uses(s, c, call, f) {
				report(pass, r, places, callee, use)
			}
		}
	}
}

// A use is the first place a result that may be nil is used as if it were
// not.
type use struct {
	at    ast.Expr   // the dereferencing expression (u.Name, u(), *u, m[k] = v)
	name  string     // what holds the result: a variable, or the call itself
	call  bool       // name is the call: its result is dereferenced at once
	held  ast.Expr   // the call or variable that holds the result at the use
	cause spec.Place // the return that gives nil
}

// uses returns the unchecked dereferences of call's results that may be nil:
// the call's own value dereferenced at once (f().X), or the first
// dereference of each variable it is assigned to that no nil check
// dominates.
func uses(s *summaries, c inspector.Cursor, call *ast.CallExpr, f *mayNil) []use {
	if nonEmptyBefore(s, c, call) {
		return nil // l.Back() under l.Len() > 0
	}
	if p, ok := f.at(0); ok && s.derefs(c) {
		if checkedBefore(s, c, call) {
			return nil
		}
		return []use{{at: derefExpr(c), name: calleeText(call), call: true, held: call, cause: p}}
	}
	lhs, ok := assignedTo(c, call)
	if !ok {
		return nil
	}
	info := s.pass.TypesInfo
	var out []use
	for i, l := range lhs {
		p, ok := f.at(i)
		if !ok {
			continue
		}
		id, ok := ast.Unparen(l).(*ast.Ident)
		if !ok || id.Name == "_" {
			continue
		}
		v, ok := info.ObjectOf(id).(*types.Var)
		if !ok || v.IsField() || (v.Parent() != nil && v.Parent() == v.Pkg().Scope()) {
			continue // a field or a package variable is used elsewhere too
		}
		if u, held, ok := firstUnchecked(s, c, call, v); ok {
			out = append(out, use{at: u, name: v.Name(), held: held, cause: p})
		}
	}
	return out
}

// checkedBefore reports whether a nil check of the same call (the same
// callee, receiver and arguments, by flow.SameExpr) dominates c:
// `if a.Top() != nil { a.Top().Stop() }`, `a.Top() != nil && a.Top().Name()`.
// The author checked the value and asks for it again; an assignment to the
// receiver's root variable in between ends what the check says.
func checkedBefore(s *summaries, c inspector.Cursor, call *ast.CallExpr) bool {
	info := s.pass.TypesInfo
	g := &flow.Guard{
		Info:   info,
		Lists:  s.lists,
		Holds:  flow.NonNil(func(x ast.Expr) bool { return flow.SameExpr(info, x, call) }),
		Enders: s.enders,
		Resets: rootAssigned(info, call),
	}
	return g.Dominates(c)
}

// rootAssigned returns a Guard's Resets for a check about call's result: a
// statement that assigns the variable at the root of call's receiver (a of
// a.Content.Top()) ends what the check says. It returns nil when the
// receiver has no such variable.
func rootAssigned(info *types.Info, call *ast.CallExpr) func(ast.Stmt) bool {
	root := receiverRoot(call)
	if root == nil {
		return nil
	}
	return func(st ast.Stmt) bool {
		return flow.Assigns(st, func(x ast.Expr) bool { return flow.SameExpr(info, x, root) })
	}
}

// receiverRoot returns the identifier at the root of call's callee
// (a in a.Content.Top()), or nil.
func receiverRoot(call *ast.CallExpr) *ast.Ident {
	e := ast.Unparen(call.Fun)
	for {
		switch x := e.(type) {
		case *ast.Ident:
			return x
		case *ast.SelectorExpr:
			e = ast.Unparen(x.X)
		case *ast.CallExpr:
			e = ast.Unparen(x.Fun)
		case *ast.IndexExpr:
			e = ast.Unparen(x.X)
		case *ast.StarExpr:
			e = ast.Unparen(x.X)
		default:
			return nil
		}
	}
}

// assignedTo returns the left-hand side that call's results are assigned
// to: `v := f()`, `v, err = f()`, `var v = f()`.
func assignedTo(c inspector.Cursor, call *ast.CallExpr) ([]ast.Expr, bool) {
	parent := c.Parent()
	for {
		if _, ok := parent.Node().(*ast.ParenExpr); !ok {
			break
		}
		parent = parent.Parent()
	}
	switch p := parent.Node().(type) {
	case *ast.AssignStmt:
		if len(p.Rhs) == 1 {
			return p.Lhs, true
		}
	case *ast.ValueSpec:
		if len(p.Values) == 1 {
			lhs := make([]ast.Expr, len(p.Names))
			for i, n := range p.Names {
				lhs[i] = n
			}
			return lhs, true
		}
	}
	return nil, false
}

// firstUnchecked returns the first use of v after call that dereferences it
// with no nil check dominating it, and before v is given another value.
func firstUnchecked(s *summaries, c inspector.Cursor, call *ast.CallExpr, v *types.Var) (at, held ast.Expr, ok bool) {
	info := s.pass.TypesInfo
	_, body := flow.OutermostFunc(c)
	if body == nil {
		return nil, nil, false
	}
	bc, found := flow.Find(c.Inspector().Root(), body)
	if !found {
		return nil, nil, false
	}
	same := func(x ast.Expr) bool {
		id, ok := ast.Unparen(x).(*ast.Ident)
		return ok && info.Uses[id] == v
	}
	// The statement that assigns the call's result: the search for a
	// check ends there. Another assignment of v before the use means the
	// use is about that value.
	own := func(st ast.Stmt) bool {
		return st.Pos() <= call.Pos() && call.End() <= st.End() && assigns(info, st, v)
	}
	g := &flow.Guard{
		Info:   info,
		Lists:  s.lists,
		Holds:  flow.Either(flow.NonNil(same), s.falseOnlyIfNonNil(same)),
		Enders: s.enders,
		Sets: func(st ast.Stmt) bool {
			return !own(st) && assigns(info, st, v)
		},
		Resets: own,
	}
	for uc := range bc.Preorder((*ast.Ident)(nil)) {
		id := uc.Node().(*ast.Ident)
		if id.Pos() < call.End() || info.Uses[id] != v || !s.derefs(uc) {
			continue
		}
		if g.Dominates(uc) {
			continue
		}
		if !reaches(uc, call) {
			continue
		}
		return derefExpr(uc), id, true
	}
	return nil, nil, false
}

// reaches reports whether the use at uc can see the call's value: the call
// is not in a function literal that the use is outside of.
func reaches(uc inspector.Cursor, call *ast.CallExpr) bool {
	for cur := uc; cur.Node() != nil; cur = cur.Parent() {
		n := cur.Node()
		if n.Pos() <= call.Pos() && call.End() <= n.End() {
			return true
		}
	}
	return false
}

// assigns reports whether st is an assignment to v, or holds one at its
// top level (not in a nested statement).
func assigns(info *types.Info, st ast.Stmt, v *types.Var) bool {
	switch st := st.(type) {
	case *ast.AssignStmt:
		for _, l := range st.Lhs {
			if id, ok := ast.Unparen(l).(*ast.Ident); ok && info.ObjectOf(id) == v {
				return true
			}
		}
	case *ast.DeclStmt:
		gd, ok := st.Decl.(*ast.GenDecl)
		if !ok {
			return false
		}
		for _, spec := range gd.Specs {
			if vs, ok := spec.(*ast.ValueSpec); ok {
				if slices.ContainsFunc(vs.Names, func(n *ast.Ident) bool { return info.Defs[n] == v }) {
					return true
				}
			}
		}
	}
	return false
}

// derefExpr returns the expression that dereferences the value at c: the
// selector, star, call, index or send around it.
func derefExpr(c inspector.Cursor) ast.Expr {
	parent := c.Parent()
	for {
		if _, ok := parent.Node().(*ast.ParenExpr); !ok {
			break
		}
		parent = parent.Parent()
	}
	switch p := parent.Node().(type) {
	case ast.Expr:
		return p
	case *ast.SendStmt:
		return p.Chan
	}
	return c.Node().(ast.Expr)
}

// calleeText names a call for a message: "FindOrder(...)".
func calleeText(call *ast.CallExpr) string {
	if id := provenance.CalleeIdent(call); id != nil {
		return id.Name + "(...)"
	}
	return "the call"
}

func report(pass *analysis.Pass, r *spec.Reporter, places *places, callee *types.Func, u use) {
	what := u.name
	if u.call {
		what = "the result of " + u.name
	}
	cause := "returns nil"
	if u.cause.Filename != "" {
		cause = fmt.Sprintf("returns nil at %s:%d", filepath.Base(u.cause.Filename), u.cause.Line)
	} else if u.cause.Message != "" {
		cause = u.cause.Message
	}
	breaks := "panics"
	if t := pass.TypesInfo.TypeOf(u.held); t != nil {
		if _, isChan := t.Underlying().(*types.Chan); isChan {
			breaks = "blocks forever" // a send or receive on a nil channel
		}
	}
	d := analysis.Diagnostic{
		Pos: u.at.Pos(),
		End: u.at.End(),
		Message: fmt.Sprintf("%s is used as if it were not nil, but %s %s: %s %s then; check it against nil first",
			what, callee.Name(), cause, render(pass.Fset, u.at), breaks),
	}
	if pos, end, ok := places.resolve(u.cause); ok {
		msg := callee.Name() + " returns nil here"
		if u.cause.Message != "nil" && u.cause.Message != "" {
			msg += ": " + u.cause.Message
		}
		d.Related = []analysis.RelatedInformation{{Pos: pos, End: end, Message: msg}}
	}
	r.Report(d)
}

// render prints e for a message, shortened when long.
func render(fset *token.FileSet, e ast.Expr) string {
	var b strings.Builder
	if err := format.Node(&b, fset, e); err != nil {
		return "the use"
	}
	s := b.String()
	if len(s) > 40 || strings.Contains(s, "\n") {
		switch e := e.(type) {
		case *ast.SelectorExpr:
			return "." + e.Sel.Name
		case *ast.CallExpr:
			return "the call"
		}
		return "the use"
	}
	return s
}

// places turns the places facts carry back into positions, for related
// information: a file of another package is found in the file set when the
// driver loaded it there (failfast check does; go vet does not, and the
// message names the place instead).
type places struct {
	fset  *token.FileSet
	files map[string]*token.File
}

func newPlaces(fset *token.FileSet) *places { return &places{fset: fset} }

func (p *places) resolve(pl spec.Place) (pos, end token.Pos, ok bool) {
	if pl.Filename == "" || pl.Line <= 0 {
		return token.NoPos, token.NoPos, false
	}
	if p.files == nil {
		p.files = map[string]*token.File{}
		p.fset.Iterate(func(f *token.File) bool {
			p.files[f.Name()] = f
			return true
		})
	}
	f, ok := p.files[pl.Filename]
	if !ok || pl.Line > f.LineCount() || (pl.EndLine > 0 && pl.EndLine > f.LineCount()) {
		return token.NoPos, token.NoPos, false
	}
	pos = lineCol(f, pl.Line, pl.Column)
	end = pos
	if pl.EndLine > 0 {
		end = lineCol(f, pl.EndLine, pl.EndColumn)
	}
	return pos, end, pos.IsValid()
}

// lineCol is the position of line:column (1-based, column in bytes) in f,
// or the line's start when the column runs past the file.
func lineCol(f *token.File, line, column int) token.Pos {
	start := f.LineStart(line)
	off := f.Offset(start) + column - 1
	if column < 1 || off > f.Size() {
		return start
	}
	return f.Pos(off)
}
