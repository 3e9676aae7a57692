package uncheckednilresult

// This file summarises the package's functions for their callers, here and
// in importing packages: which results may be nil with nothing beside them
// to say so (mayNil), and which pointer-receiver methods are safe to call on
// a nil receiver (nilSafe).

import (
	"fmt"
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"slices"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/edge"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/failfast-dev/failfast/rules/flow"
	"github.com/failfast-dev/failfast/rules/provenance"
	"github.com/failfast-dev/failfast/rules/spec"
)

// mayNil is the fact that a function returns nil, unannounced, in some of
// its results: a return statement gives nil (or a value that is nil on that
// path) at Results[i], and the function's error result beside it is nil or
// its ok result is not false. Where[i] is the first such return.
type mayNil struct {
	Results []int
	Where   []spec.Place
}

func (*mayNil) AFact() {}

func (f *mayNil) String() string { return fmt.Sprintf("mayNil%v", f.Results) }

// at returns the place of the first unannounced nil return in result i.
func (f *mayNil) at(i int) (spec.Place, bool) {
	for j, r := range f.Results {
		if r == i {
			return f.Where[j], true
		}
	}
	return spec.Place{}, false
}

// nilSafe is the fact that a pointer-receiver method does not dereference
// its receiver unless it has checked it against nil: calling it on nil is
// well defined (`func (n *Node) Attr(k string) string { if n == nil {
// return "" }; ... }`).
type nilSafe struct{}

func (*nilSafe) AFact() {}

func (*nilSafe) String() string { return "nilSafe" }

// summaries computes, and exports, the facts of the package's functions.
type summaries struct {
	pass  *analysis.Pass
	lists *provenance.Lists
	root  inspector.Cursor
	decls map[*types.Func]*ast.FuncDecl
	// nils and safe memoize mayNil and nilSafe of the package's functions;
	// a function being computed is in busy, and counts as returning no nil
	// and as nil-safe to its recursive calls.
	nils map[*types.Func]*mayNil
	safe map[*types.Func]bool
	busy map[*types.Func]bool
	// enders is shared by the package's Guards.
	enders *flow.Enders
}

func newSummaries(pass *analysis.Pass, lists *provenance.Lists, root inspector.Cursor) *summaries {
	s := &summaries{
		pass: pass, lists: lists, root: root,
		decls: map[*types.Func]*ast.FuncDecl{},
		nils:  map[*types.Func]*mayNil{},
		safe:  map[*types.Func]bool{},
		busy:  map[*types.Func]bool{},
	}
	s.enders = flow.NewEnders(pass.TypesInfo, lists)
	for _, f := range pass.Files {
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Body != nil {
				if fn, ok := pass.TypesInfo.Defs[fd.Name].(*types.Func); ok {
					s.decls[fn] = fd
				}
			}
		}
	}
	return s
}

// export records the facts of every function of the package.
func (s *summaries) export() {
	if s.pass.ExportObjectFact == nil {
		return
	}
	for fn := range s.decls {
		if f := s.mayNil(fn); f != nil {
			s.pass.ExportObjectFact(fn, f)
		}
		if s.nilSafe(fn) {
			s.pass.ExportObjectFact(fn, &nilSafe{})
		}
		if s.trueOnNil(fn) {
			s.pass.ExportObjectFact(fn, &trueOnNil{})
		}
	}
}

// ofCall returns the function call calls and its mayNil summary (nil when
// it has none). A call on the nil-on-miss list may return nil in its first
// result.
func (s *summaries) ofCall(call *ast.CallExpr) (*types.Func, *mayNil) {
	callee, ok := typeutil.Callee(s.pass.TypesInfo, call).(*types.Func)
	if !ok {
		return nil, nil
	}
	if s.lists.NilOnMiss.Has(provenance.CalleeNames(s.pass.TypesInfo, call)...) {
		if s.universeHas(call) {
			return callee, nil
		}
		return callee, &mayNil{Results: []int{0}, Where: []spec.Place{{Message: "returns nil when nothing is found (the nil-on-miss list)"}}}
	}
	return callee, s.mayNil(callee)
}

// universeHas reports whether call is types.Universe.Lookup of a constant
// name that the universe holds (types.Universe.Lookup("error")): the
// universe is fixed by the language, so the answer is known here, and is
// not nil.
func (s *summaries) universeHas(call *ast.CallExpr) bool {
	info := s.pass.TypesInfo
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != "Lookup" || len(call.Args) != 1 {
		return false
	}
	recv, ok := ast.Unparen(sel.X).(*ast.SelectorExpr)
	if !ok {
		return false
	}
	v, ok := info.Uses[recv.Sel].(*types.Var)
	if !ok || v.Pkg() == nil || v.Pkg().Path() != "go/types" || v.Name() != "Universe" {
		return false
	}
	tv, ok := info.Types[call.Args[0]]
	if !ok || tv.Value == nil || tv.Value.Kind() != constant.String {
		return false
	}
	return types.Universe.Lookup(constant.StringVal(tv.Value)) != nil
}

// mayNil returns fn's mayNil summary, or nil when every result is non-nil
// or announced. Functions of other packages answer by their fact.
func (s *summaries) mayNil(fn *types.Func) *mayNil {
	fn = fn.Origin()
	if f, ok := s.nils[fn]; ok {
		return f
	}
	decl, own := s.decls[fn]
	if !own {
		f := new(mayNil)
		if s.pass.ImportObjectFact != nil && s.pass.ImportObjectFact(fn, f) {
			return f
		}
		return nil
	}
	if s.busy[fn] {
		return nil
	}
	s.busy[fn] = true
	f := s.summarise(fn, decl)
	delete(s.busy, fn)
	s.nils[fn] = f
	return f
}

// summarise finds the unannounced nil returns of decl.
func (s *summaries) summarise(fn *types.Func, decl *ast.FuncDecl) *mayNil {
	sig, ok := fn.Type().(*types.Signature)
	if !ok {
		return nil
	}
	res := sig.Results()
	n := res.Len()
	if n == 0 {
		return nil
	}
	// The announcing results: every error, and every bool beside a value.
	var signals []int
	var nilable []int
	for i := range n {
		switch t := res.At(i).Type(); {
		case isErrorLike(t), n > 1 && isBool(t):
			signals = append(signals, i)
		case Nilable(t):
			nilable = append(nilable, i)
		}
	}
	if len(nilable) == 0 {
		return nil
	}
	info := s.pass.TypesInfo
	found := map[int]spec.Place{}
	in := s.root.Inspector()
	fc, ok := flow.Find(in.Root(), decl)
	if !ok {
		return nil
	}
	for c := range fc.Preorder((*ast.ReturnStmt)(nil), (*ast.FuncLit)(nil)) {
		if _, ok := c.Node().(*ast.FuncLit); ok {
			continue // its returns are its own (Preorder does not prune: checked below)
		}
		if fn, _, _, _ := flow.EnclosingFunc(c); fn != decl {
			continue
		}
		ret := c.Node().(*ast.ReturnStmt)
		results := ret.Results
		if len(results) == 0 {
			// A bare return gives the named results as they are.
			results = namedResults(decl)
			if len(results) != n {
				continue
			}
		}
		if len(results) == 1 && n > 1 {
			// return g(...): g's results are the function's.
			call, ok := ast.Unparen(results[0]).(*ast.CallExpr)
			if !ok {
				continue
			}
			if callee, g := s.ofCall(call); g != nil {
				for _, i := range nilable {
					if p, ok := g.at(i); ok {
						if _, seen := found[i]; !seen {
							found[i] = forwarded(s.pass.Fset, call, callee, p)
						}
					}
				}
			}
			continue
		}
		if len(results) != n || slices.ContainsFunc(signals, func(j int) bool { return announces(info, results[j]) }) {
			continue
		}
		if s.unreachable(c) || s.nilInNilOut(c, decl) || s.underNeverErr(c) {
			continue
		}
		for _, i := range nilable {
			if _, seen := found[i]; seen {
				continue
			}
			if why, ok := s.nilAt(c, results[i]); ok {
				found[i] = spec.PlaceOf(s.pass.Fset, results[i].Pos(), results[i].End(), why)
			}
		}
	}
	for i := range found {
		if s.contextAccessor(decl, i) {
			delete(found, i)
		}
	}
	if len(found) == 0 {
		return nil
	}
	f := new(mayNil)
	for _, i := range nilable {
		if p, ok := found[i]; ok {
			f.Results = append(f.Results, i)
			f.Where = append(f.Where, p)
		}
	}
	return f
}

// forwarded is the place of `return g(...)` where g returns nil unannounced:
// the call, explained by g's own place.
func forwarded(fset *token.FileSet, call *ast.CallExpr, callee *types.Func, p spec.Place) spec.Place {
	msg := fmt.Sprintf("returns what %s returns, nil here", callee.Name())
	if p.Filename != "" {
		msg = fmt.Sprintf("returns what %s returns, nil at %s:%d", callee.Name(), p.Filename, p.Line)
	}
	return spec.PlaceOf(fset, call.Pos(), call.End(), msg)
}

// announces reports whether e, the error or ok result of a return, tells
// the caller that the other results are not to be used: an error other than
// the literal nil, an ok other than the constant true.
func announces(info *types.Info, e ast.Expr) bool {
	if isNilExpr(info, e) {
		return false
	}
	if tv, ok := info.Types[e]; ok && tv.Value != nil {
		return tv.Value.String() != "true"
	}
	return true
}

// nilAt reports whether the returned expression e, at the return c, may be
// nil, and says why: the literal nil, a map element (nil when the key is
// missing), a call that returns nil unannounced, or a local variable that
// holds one of those, or its zero value, on some path to c.
func (s *summaries) nilAt(c inspector.Cursor, e ast.Expr) (string, bool) {
	info := s.pass.TypesInfo
	e = ast.Unparen(e)
	if why, ok := s.nilValue(e); ok {
		if ix, isIndex := e.(*ast.IndexExpr); isIndex && s.elementSet(c, ix) {
			return "", false
		}
		return why, ok
	}
	id, ok := e.(*ast.Ident)
	if !ok {
		return "", false
	}
	v, ok := info.ObjectOf(id).(*types.Var)
	if !ok || v.IsField() || v.Parent() == nil || v.Parent() == types.Universe || v.Pkg() != s.pass.Pkg || v.Parent() == s.pass.Pkg.Scope() {
		return "", false
	}
	fn, _, body, ok := flow.EnclosingFunc(c)
	if !ok || body == nil || isParam(info, fn, v) {
		return "", false
	}
	if setOutOfView(info, body, v) {
		return "", false
	}
	why, ok := s.holdsNil(body, v)
	if isResult(info, fn, v) {
		why, ok = "a named result not set on this path", true
	}
	if !ok {
		return "", false
	}
	same := func(x ast.Expr) bool {
		id, ok := ast.Unparen(x).(*ast.Ident)
		return ok && info.Uses[id] == v
	}
	g := &flow.Guard{
		Info:   info,
		Lists:  s.lists,
		Holds:  flow.NonNil(same),
		Enders: s.enders,
		Sets: func(st ast.Stmt) bool {
			if assigned, _, isNil := s.assignment(st, v); assigned {
				return !isNil
			}
			// An if's or switch's init runs whenever the statement does.
			var init ast.Stmt
			switch st := st.(type) {
			case *ast.IfStmt:
				init = st.Init
			case *ast.SwitchStmt:
				init = st.Init
			}
			if assigned, _, isNil := s.assignment(init, v); init != nil && assigned && !isNil {
				return true
			}
			// An if with an else, or a switch with a default, every
			// branch of which sets v or ends.
			if s.setsOnEveryBranch(st, v, 0) {
				return true
			}
			// A range that runs at least once and sets v in its body.
			if s.rangeSetsOnce(c.Inspector().Root(), st, v) {
				return true
			}
			// A statement that dereferences v whenever it runs: past
			// it, v is not nil (or that dereference panicked first).
			return s.derefsAlways(st, v)
		},
		// A range that assigns v gives it an element, which this rule
		// does not take for nil, on every iteration.
		Enters: func(rs *ast.RangeStmt) bool { return rs.Tok == token.ASSIGN && (same(rs.Key) || same(rs.Value)) },
		Resets: func(st ast.Stmt) bool { return s.assignsNil(st, v) },
	}
	if g.Dominates(c) {
		return "", false
	}
	return fmt.Sprintf("%s may still be nil here: %s", v.Name(), why), true
}

// setsOnEveryBranch reports whether st is an if with an else, or a switch
// (or type switch) with a default, each of whose branches gives v a value
// that is not nil, at its top level or in such a statement, or ends (a
// return, a panic, a call that never returns): past st, v is set
// (`switch p := parent.(type) { case *A: list = &p.List; default: return
// nil, err }`).
func (s *summaries) setsOnEveryBranch(st ast.Stmt, v *types.Var, depth int) bool {
	if depth > 4 {
		return false
	}
	branch := func(list []ast.Stmt) bool {
		for _, b := range list {
			if assigned, _, isNil := s.assignment(b, v); assigned {
				if isNil {
					return false
				}
				return true
			}
			if s.setsOnEveryBranch(b, v, depth+1) {
				return true
			}
		}
		return flow.Terminates(s.pass.TypesInfo, s.lists, list)
	}
	var clauses []ast.Stmt
	switch st := st.(type) {
	case *ast.IfStmt:
		if st.Else == nil || !branch(st.Body.List) {
			return false
		}
		switch e := st.Else.(type) {
		case *ast.BlockStmt:
			return branch(e.List)
		case *ast.IfStmt:
			return s.setsOnEveryBranch(e, v, depth+1)
		}
		return false
	case *ast.SwitchStmt:
		clauses = st.Body.List
	case *ast.TypeSwitchStmt:
		clauses = st.Body.List
	default:
		return false
	}
	hasDefault := false
	for _, c := range clauses {
		cc, ok := c.(*ast.CaseClause)
		if !ok {
			return false
		}
		hasDefault = hasDefault || cc.List == nil
		if !branch(cc.Body) {
			return false
		}
	}
	return hasDefault
}

// elementSet reports whether the map element ix, returned at c, is known
// to be there and not nil: a dominating nil check or comma-ok check of the
// same element, or a store of a value that is not nil into it before the
// return (`f.m[k] = newFactory(k); return f.m[k]`).
func (s *summaries) elementSet(c inspector.Cursor, ix *ast.IndexExpr) bool {
	info := s.pass.TypesInfo
	_, _, body, ok := flow.EnclosingFunc(c)
	if !ok || body == nil {
		return false
	}
	same := func(x ast.Expr) bool { return flow.SameExpr(info, x, ix) }
	g := &flow.Guard{
		Info:   info,
		Lists:  s.lists,
		Holds:  flow.Either(flow.NonNil(same), flow.Present(info, body, same)),
		Enders: s.enders,
		Sets: func(st ast.Stmt) bool {
			as, ok := st.(*ast.AssignStmt)
			if !ok || len(as.Lhs) != 1 || len(as.Rhs) != 1 || !same(as.Lhs[0]) {
				return false
			}
			_, isNil := s.nilValue(ast.Unparen(as.Rhs[0]))
			return !isNil
		},
	}
	return g.Dominates(c)
}

// underNeverErr reports whether the return at c is in the branch of
// `if err != nil` on the error of a call documented never to fail
// (provenance.NeverErrs: `if _, err := rand.Read(key); err != nil { return
// nil }`): the branch never runs, and its nil is never returned.
func (s *summaries) underNeverErr(c inspector.Cursor) bool {
	info := s.pass.TypesInfo
	for cur := c; ; cur = cur.Parent() {
		parent := cur.Parent()
		switch p := parent.Node().(type) {
		case nil, *ast.FuncDecl, *ast.FuncLit:
			return false
		case *ast.IfStmt:
			kind, _ := cur.ParentEdge()
			if kind != edge.IfStmt_Body {
				continue
			}
			b, ok := ast.Unparen(p.Cond).(*ast.BinaryExpr)
			if !ok || b.Op != token.NEQ || !isNilExpr(info, b.Y) {
				continue
			}
			id, ok := ast.Unparen(b.X).(*ast.Ident)
			if !ok {
				continue
			}
			assign := p.Init
			if assign == nil {
				if list, i := flow.StmtList(parent); i > 0 {
					assign = list[i-1]
				}
			}
			v, isVar := info.Uses[id].(*types.Var)
			if _, call, ok := flow.CallAssignment(assign); ok && isVar && assigns(info, assign, v) &&
				provenance.NeverErrs(provenance.CalleeNames(info, call)...) {
				return true
			}
		}
	}
}

// unreachable reports whether the return at c follows, in its block, a
// statement that never falls through (flow.Guard.Ends): an if and else
// that both end, a switch with a default or a select whose every clause
// ends, an exit.
func (s *summaries) unreachable(c inspector.Cursor) bool {
	list, i := flow.StmtList(c)
	g := &flow.Guard{Info: s.pass.TypesInfo, Lists: s.lists, Holds: func(ast.Expr, bool) bool { return false }, Enders: s.enders}
	for _, st := range list[:max(i, 0)] {
		if g.Ends(c, []ast.Stmt{st}) {
			return true
		}
	}
	return false
}

// nilInNilOut reports whether the return at c is under a check that a
// parameter or the receiver of decl is nil: the function hands back nil
// only for nil, which is its caller's own value (`func (r *Req) ToCache()
// *Cache { if r == nil { return nil }; ... }`).
func (s *summaries) nilInNilOut(c inspector.Cursor, decl *ast.FuncDecl) bool {
	info := s.pass.TypesInfo
	isParamNil := func(cond ast.Expr, truth bool) bool {
		b, ok := cond.(*ast.BinaryExpr)
		if !ok || (b.Op != token.EQL && b.Op != token.NEQ) || (b.Op == token.EQL) != truth {
			return false
		}
		x := b.X
		if isNilExpr(info, x) {
			x = b.Y
		} else if !isNilExpr(info, b.Y) {
			return false
		}
		id, ok := ast.Unparen(x).(*ast.Ident)
		if !ok {
			return false
		}
		v, ok := info.Uses[id].(*types.Var)
		return ok && isParam(info, decl, v)
	}
	g := &flow.Guard{Info: info, Lists: s.lists, Holds: isParamNil, Enders: s.enders}
	return g.Dominates(c)
}

// derefsAlways reports whether running st always dereferences v: in the
// expressions it evaluates first (an if's or switch's init and condition, a
// range's operand, a simple statement's expressions), outside function
// literals and the right side of && and ||.
func (s *summaries) derefsAlways(st ast.Stmt, v *types.Var) bool {
	var exprs []ast.Node
	switch st := st.(type) {
	case *ast.ExprStmt, *ast.AssignStmt, *ast.ReturnStmt, *ast.DeclStmt, *ast.SendStmt, *ast.IncDecStmt:
		exprs = []ast.Node{st}
	case *ast.IfStmt:
		exprs = []ast.Node{st.Init, st.Cond}
	case *ast.SwitchStmt:
		exprs = []ast.Node{st.Init, st.Tag}
	case *ast.RangeStmt:
		exprs = []ast.Node{st.X}
	}
	info := s.pass.TypesInfo
	found := false
	for _, e := range exprs {
		if e == nil || found {
			continue
		}
		fc, ok := flow.Find(s.root.Inspector().Root(), e)
		if !ok {
			continue
		}
		fc.Inspect(nil, func(c inspector.Cursor) bool {
			switch n := c.Node().(type) {
			case *ast.FuncLit:
				return false
			case *ast.BinaryExpr:
				if n.Op == token.LAND || n.Op == token.LOR {
					if xc, ok := c.FindNode(n.X); ok {
						xc.Inspect(nil, func(c inspector.Cursor) bool {
							if id, ok := c.Node().(*ast.Ident); ok && info.Uses[id] == v && s.derefs(c) {
								found = true
							}
							return !found
						})
					}
					return false
				}
			case *ast.Ident:
				if info.Uses[n] == v && s.derefs(c) {
					found = true
				}
			}
			return !found
		})
	}
	return found
}

// nilValue reports whether the expression is itself a nil: the literal nil,
// a single-valued map element of a nilable type, or a call whose first
// result is nil unannounced.
func (s *summaries) nilValue(e ast.Expr) (string, bool) {
	info := s.pass.TypesInfo
	e = ast.Unparen(e)
	if isNilExpr(info, e) {
		return "nil", true
	}
	switch e := e.(type) {
	case *ast.IndexExpr:
		if t, ok := info.TypeOf(e.X).Underlying().(*types.Map); ok && Nilable(t.Elem()) && !s.checkedElement(e) {
			return "a map element, nil for a missing key", true
		}
	case *ast.CallExpr:
		if callee, f := s.ofCall(e); callee != nil && f != nil {
			if sig, ok := callee.Type().(*types.Signature); ok && sig.Results().Len() == 1 {
				if _, ok := f.at(0); ok {
					return callee.Name() + " may return nil", true
				}
			}
		}
	}
	return "", false
}

// checkedElement reports whether a check that the same map element is not
// nil, or present, dominates the lookup ix (`if node.Children[name] == nil {
// return nil, err }; node = node.Children[name]`): there it is not nil.
func (s *summaries) checkedElement(ix *ast.IndexExpr) bool {
	c, ok := flow.Find(s.root.Inspector().Root(), ix)
	if !ok {
		return false
	}
	_, _, body, ok := flow.EnclosingFunc(c)
	if !ok {
		return false
	}
	info := s.pass.TypesInfo
	same := func(e ast.Expr) bool { return flow.SameExpr(info, e, ix) }
	g := &flow.Guard{
		Info:  info,
		Lists: s.lists,
		Holds: flow.Either(flow.NonNil(same), flow.Present(info, body, same)),
		Sets:  func(st ast.Stmt) bool { return flow.Assigns(st, same) },
	}
	return g.Dominates(c)
}

// holdsNil reports whether some assignment in body may give v a nil value
// (its declaration without a value included), and says which.
func (s *summaries) holdsNil(body *ast.BlockStmt, v *types.Var) (string, bool) {
	why, found := "", false
	ast.Inspect(body, func(n ast.Node) bool {
		if found {
			return false
		}
		if assigned, w, isNil := s.assignment(n, v); assigned && isNil {
			why, found = w, true
		}
		return true
	})
	return why, found
}

// assignsNil reports whether st is, or holds outside function literals, an
// assignment that may give v a nil value.
func (s *summaries) assignsNil(st ast.Stmt, v *types.Var) bool {
	found := false
	ast.Inspect(st, func(n ast.Node) bool {
		if _, ok := n.(*ast.FuncLit); ok || found {
			return false
		}
		if assigned, _, isNil := s.assignment(n, v); assigned && isNil {
			found = true
		}
		return true
	})
	return found
}

// assignment reports whether n (an assignment, a var declaration or a
// declaration statement) gives v a value, and whether that value may be
// nil, and why: the literal nil, no value at all, a map element or a
// comma-ok assertion whose ok is dropped, a call that may return nil there.
// A comma-ok form whose ok is kept is taken to be tested.
func (s *summaries) assignment(n ast.Node, v *types.Var) (assigned bool, why string, isNil bool) {
	info := s.pass.TypesInfo
	var lhs, rhs []ast.Expr
	switch n := n.(type) {
	case *ast.DeclStmt:
		gd, ok := n.Decl.(*ast.GenDecl)
		if !ok {
			return false, "", false
		}
		for _, sp := range gd.Specs {
			if assigned, why, isNil := s.assignment(sp, v); assigned {
				return assigned, why, isNil
			}
		}
		return false, "", false
	case *ast.ValueSpec:
		for _, name := range n.Names {
			lhs = append(lhs, name)
		}
		rhs = n.Values
		if len(rhs) == 0 {
			for _, name := range n.Names {
				if info.Defs[name] == v {
					return true, "declared without a value", true
				}
			}
			return false, "", false
		}
	case *ast.AssignStmt:
		if n.Tok != token.ASSIGN && n.Tok != token.DEFINE {
			return false, "", false
		}
		lhs, rhs = n.Lhs, n.Rhs
	default:
		return false, "", false
	}
	i := slices.IndexFunc(lhs, func(l ast.Expr) bool {
		id, ok := ast.Unparen(l).(*ast.Ident)
		return ok && info.ObjectOf(id) == v
	})
	if i < 0 {
		return false, "", false
	}
	if len(lhs) == len(rhs) {
		why, isNil := s.nilValue(rhs[i])
		return true, why, isNil
	}
	if len(rhs) != 1 {
		return true, "", false
	}
	switch r := ast.Unparen(rhs[0]).(type) {
	case *ast.CallExpr:
		if callee, f := s.ofCall(r); callee != nil && f != nil {
			if _, ok := f.at(i); ok {
				return true, callee.Name() + " may return nil", true
			}
		}
	case *ast.TypeAssertExpr, *ast.IndexExpr:
		if ok, isIdent := ast.Unparen(lhs[1]).(*ast.Ident); i == 0 && len(lhs) == 2 && isIdent && ok.Name == "_" {
			return true, "the zero value of a failed comma-ok form whose ok is dropped", true
		}
	}
	return true, "", false
}

// nilSafe reports whether fn, a pointer-receiver method, dereferences its
// receiver only under a nil check. Methods of other packages answer by
// their fact; without one (the standard library), by the nil-safe list,
// and a method on neither is taken to dereference its receiver.
func (s *summaries) nilSafe(fn *types.Func) bool {
	fn = fn.Origin()
	sig, ok := fn.Type().(*types.Signature)
	if !ok || sig.Recv() == nil {
		return false
	}
	if _, ok := sig.Recv().Type().Underlying().(*types.Pointer); !ok {
		if _, isTP := types.Unalias(sig.Recv().Type()).(*types.TypeParam); !isTP {
			return false
		}
	}
	if safe, ok := s.safe[fn]; ok {
		return safe
	}
	decl, own := s.decls[fn]
	if !own {
		if s.pass.ImportObjectFact != nil && s.pass.ImportObjectFact(fn, new(nilSafe)) {
			return true
		}
		n := provenance.TypeName(sig.Recv().Type())
		return n != "" && s.lists.NilSafe.Has(n+"."+fn.Name())
	}
	if s.busy[fn] {
		return true
	}
	s.busy[fn] = true
	safe := s.receiverSafe(fn, decl, sig.Recv())
	delete(s.busy, fn)
	s.safe[fn] = safe
	return safe
}

// receiverSafe reports whether no use of recv in decl's body needs it
// non-nil without a dominating nil check.
func (s *summaries) receiverSafe(fn *types.Func, decl *ast.FuncDecl, recv *types.Var) bool {
	fc, ok := flow.Find(s.root.Inspector().Root(), decl.Body)
	if !ok {
		return false
	}
	info := s.pass.TypesInfo
	same := func(x ast.Expr) bool {
		id, ok := ast.Unparen(x).(*ast.Ident)
		return ok && info.Uses[id] == recv
	}
	for c := range fc.Preorder((*ast.Ident)(nil)) {
		if !same(c.Node().(*ast.Ident)) {
			continue
		}
		if !s.derefs(c) {
			continue
		}
		g := &flow.Guard{Info: info, Lists: s.lists, Holds: flow.NonNil(same), Enders: s.enders}
		if !g.Dominates(c) {
			return false
		}
	}
	return true
}

// derefs reports whether the use of a nilable value at c (an identifier or
// a call) needs it non-nil: a field through it, a method of an interface or
// one that is not nil-safe, *x, x(...), a store into it as a map, a send or
// receive on it as a channel.
func (s *summaries) derefs(c inspector.Cursor) bool {
	info := s.pass.TypesInfo
	e := c.Node().(ast.Expr)
	parent := c.Parent()
	for {
		if pe, ok := parent.Node().(*ast.ParenExpr); ok {
			e, parent = pe, parent.Parent()
			continue
		}
		break
	}
	t := info.TypeOf(e)
	if t == nil {
		return false
	}
	switch p := parent.Node().(type) {
	case *ast.SelectorExpr:
		if p.X != e {
			return false
		}
		sel, ok := info.Selections[p]
		if !ok {
			return false
		}
		switch sel.Kind() {
		case types.FieldVal:
			_, ptr := t.Underlying().(*types.Pointer)
			return ptr
		case types.MethodVal:
			if types.IsInterface(t) {
				return true
			}
			m, ok := sel.Obj().(*types.Func)
			if !ok {
				return false
			}
			if _, ptr := t.Underlying().(*types.Pointer); !ptr {
				return false
			}
			if len(sel.Index()) > 1 {
				return true // promoted through an embedded field: the field is read
			}
			if msig, ok := m.Type().(*types.Signature); ok && msig.Recv() != nil {
				if _, recvPtr := msig.Recv().Type().Underlying().(*types.Pointer); !recvPtr {
					return true // a value receiver copies *x
				}
			}
			return !s.nilSafe(m)
		}
	case *ast.StarExpr:
		return p.X == e
	case *ast.CallExpr:
		if p.Fun == e {
			_, isFunc := t.Underlying().(*types.Signature)
			return isFunc
		}
	case *ast.IndexExpr:
		if p.X != e {
			return false
		}
		if _, isMap := t.Underlying().(*types.Map); !isMap {
			return false
		}
		// A store into a nil map panics; a read gives the zero value.
		gp := parent.Parent().Node()
		switch gp := gp.(type) {
		case *ast.AssignStmt:
			for _, l := range gp.Lhs {
				if l == p {
					return true
				}
			}
		case *ast.IncDecStmt:
			return gp.X == p
		}
	case *ast.SendStmt:
		return p.Chan == e && !selectCase(parent)
	case *ast.UnaryExpr:
		return p.Op == token.ARROW && p.X == e && !selectCase(parent)
	}
	return false
}

// selectCase reports whether the send or receive at c is the
// communication of a select case: on a nil channel that case is never
// chosen, the usual way to turn it off (a nil timer channel), not a hang.
func selectCase(c inspector.Cursor) bool {
	for cur := c; cur.Node() != nil; cur = cur.Parent() {
		if _, ok := cur.Node().(ast.Stmt); ok {
			k, _ := cur.ParentEdge()
			return k == edge.CommClause_Comm
		}
	}
	return false
}

// Nilable reports whether t's zero value is a nil that a use can trip on:
// a pointer, a function, a channel, a map, or an interface other than error
// and the empty interface (whose nil is an ordinary value).
func Nilable(t types.Type) bool {
	if _, ok := types.Unalias(t).(*types.TypeParam); ok {
		return false // its nil-ness is the instantiation's
	}
	switch u := t.Underlying().(type) {
	case *types.Pointer, *types.Signature, *types.Chan, *types.Map:
		return true
	case *types.Interface:
		return !isError(t) && u.NumMethods() > 0
	}
	return false
}

func isError(t types.Type) bool {
	return types.Identical(t, types.Universe.Lookup("error").Type())
}

// isErrorLike reports whether t is error or a type that implements it (a
// result of type *LocalizedError announces a failure the same way).
func isErrorLike(t types.Type) bool {
	errIface, ok := types.Universe.Lookup("error").Type().Underlying().(*types.Interface)
	return isError(t) || (ok && types.Implements(t, errIface))
}

func isBool(t types.Type) bool {
	b, ok := t.Underlying().(*types.Basic)
	return ok && b.Kind() == types.Bool
}

func isNilExpr(info *types.Info, e ast.Expr) bool {
	if tv, ok := info.Types[ast.Unparen(e)]; ok {
		return tv.IsNil()
	}
	id, ok := ast.Unparen(e).(*ast.Ident)
	return ok && id.Name == "nil"
}

// setOutOfView reports whether body gives v values where this summary
// cannot follow them: through its address (CallJSON(..., &info)) or in a
// function literal (pacer.Call(func() { info = item })).
func setOutOfView(info *types.Info, body *ast.BlockStmt, v *types.Var) bool {
	found := false
	var inspect func(n ast.Node, inLit bool) bool
	inspect = func(n ast.Node, inLit bool) bool {
		switch n := n.(type) {
		case *ast.UnaryExpr:
			if id, ok := ast.Unparen(n.X).(*ast.Ident); ok && n.Op == token.AND && info.Uses[id] == v {
				found = true
			}
		case *ast.FuncLit:
			ast.Inspect(n.Body, func(m ast.Node) bool { return !found && inspect(m, true) })
			return false
		case *ast.AssignStmt:
			if inLit {
				for _, l := range n.Lhs {
					if id, ok := ast.Unparen(l).(*ast.Ident); ok && info.Uses[id] == v {
						found = true
					}
				}
			}
		}
		return !found
	}
	ast.Inspect(body, func(n ast.Node) bool { return !found && inspect(n, false) })
	return found
}

// isResult reports whether v is a named result of fn.
func isResult(info *types.Info, fn ast.Node, v *types.Var) bool {
	var ft *ast.FuncType
	switch fn := fn.(type) {
	case *ast.FuncDecl:
		ft = fn.Type
	case *ast.FuncLit:
		ft = fn.Type
	}
	if ft == nil || ft.Results == nil {
		return false
	}
	for _, f := range ft.Results.List {
		for _, name := range f.Names {
			if info.Defs[name] == v {
				return true
			}
		}
	}
	return false
}

// isParam reports whether v is a parameter or the receiver of fn.
func isParam(info *types.Info, fn ast.Node, v *types.Var) bool {
	var ft *ast.FuncType
	var recv *ast.FieldList
	switch fn := fn.(type) {
	case *ast.FuncDecl:
		ft, recv = fn.Type, fn.Recv
	case *ast.FuncLit:
		ft = fn.Type
	}
	for _, fl := range []*ast.FieldList{recv, ft.Params} {
		if fl == nil {
			continue
		}
		for _, f := range fl.List {
			for _, name := range f.Names {
				if info.Defs[name] == v {
					return true
				}
			}
		}
	}
	return false
}

// namedResults returns the names of decl's results as expressions, for a
// bare return.
func namedResults(decl *ast.FuncDecl) []ast.Expr {
	var out []ast.Expr
	if decl.Type.Results == nil {
		return nil
	}
	for _, f := range decl.Type.Results.List {
		for _, name := range f.Names {
			out = append(out, name)
		}
	}
	return out
}
