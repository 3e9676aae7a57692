package flow

// This file answers "is this use protected by an earlier check?": a length
// check before a constant index (len(parts) >= 2 before parts[1]), a nil
// check before a dereference (v != nil before v.Name), a presence check before
// a map element is used (_, ok := m[k]; if !ok { return } before m[k].x).
//
// A Guard describes the fact a use needs through three callbacks (which
// condition establishes it, which statement establishes it by itself, which
// statement gives the value a new value) and Guard.Dominates walks from the
// use outwards through the enclosing conditions and the statements before it.
// The constructors LenAtLeast, NonNil and Present build the Holds callback
// for the common facts; Either combines them.
//
// The analysis is syntactic and deliberately generous: a check counts when it
// is on every path to the use in the structured sense (the use is in the
// then-branch of the check, after an early return, in the right-hand side of
// &&, in a matching switch case, in a loop whose condition is the check). It
// does not prove that the value is unchanged between the check and the use,
// except that Resets ends the search at a reassignment. A branch ends when
// it returns, branches, panics, exits, or calls a function of the package
// that always does (found through the bodies, to a fixpoint), another
// package's Fatal*/fatal* function, or anything named usage/Usage.
//
// Inputs (at the end of the file) answers the question that comes before:
// does the value come from input at all, so that a guard is worth demanding?

import (
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"strconv"
	"strings"

	"golang.org/x/tools/go/ast/edge"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/failfast-dev/failfast/rules/provenance"
)

// Holds reports whether knowing that the condition cond evaluated to truth
// establishes a fact. Dominates calls it on atoms: conditions other than !,
// && and || and parentheses, which it takes apart itself. A case of a tagged
// switch, `switch tag { case v: }`, is presented as the atom `tag == v`.
type Holds func(cond ast.Expr, truth bool) bool

// Guard describes a fact a use of a value relies on, and answers whether a
// check that establishes it dominates the use.
type Guard struct {
	Info  *types.Info
	Lists *provenance.Lists // for Terminates: which calls exit
	// Holds decides the conditions that establish the fact. Required.
	Holds Holds
	// Sets, if not nil, reports whether a statement establishes the fact
	// by itself: m[k] = v before m[k].x, v = &T{} before v.x. It is asked
	// about the statements before the use in every enclosing block, and
	// about the top-level statements of a branch that falls through to the
	// use (if m[k] == nil { m[k] = new(T) }).
	Sets func(s ast.Stmt) bool
	// Enters, if not nil, reports whether entering the body of an
	// enclosing range statement establishes the fact: a range that assigns
	// the checked variable (`for _, vr = range vrs { ... return vr, true }`).
	Enters func(s *ast.RangeStmt) bool
	// Resets, if not nil, reports whether a statement gives the value a new
	// value, so that the checks before it say nothing about the use. The
	// search ends there: neither the block's earlier statements nor the
	// conditions around it are asked.
	Resets func(s ast.Stmt) bool
	// Enders, if not nil, is the package's set of functions that never
	// return, shared by the Guards of one pass so that it is found once;
	// a Guard without one finds it itself when a branch ends in a call.
	Enders *Enders

	root inspector.Cursor // the package, to find helper functions
}

// terminates extends Terminates with calls of functions of the same package
// that always panic or exit (gob's errorf, a CLI's usage()), found by
// reading their bodies (see Enders), and of another package's Fatal*.
func (g *Guard) terminates(stmts []ast.Stmt) bool {
	return endsWith(stmts, g.exits)
}

// exits reports whether the call never returns, by the Guard's reckoning.
func (g *Guard) exits(call *ast.CallExpr) bool {
	if g.Lists.IsExit(g.Info, call) {
		return true
	}
	id := provenance.CalleeIdent(call)
	if id == nil {
		return false
	}
	if id.Name == "usage" || id.Name == "Usage" {
		// usage(), flag.Usage(), base.Usage(): a guard that prints the usage
		// means to stop there; if it does not, the failure that follows
		// is right after a usage message, not silent.
		return true
	}
	obj := g.Info.Uses[id]
	if obj == nil {
		return false
	}
	if g.Enders == nil {
		g.Enders = NewEnders(g.Info, g.Lists)
	}
	g.Enders.find(g.root)
	if fn, ok := obj.(*types.Func); ok && fn.Pkg() != nil && fn.Pkg() != g.Enders.self &&
		(strings.HasPrefix(fn.Name(), "Fatal") || strings.HasPrefix(fn.Name(), "fatal")) {
		// base.Fatalf: another package's helper, whose body we cannot
		// read, named for ending the program.
		return true
	}
	return g.Enders.set[obj]
}

// Ends reports whether the statement list never falls through, by the
// same reckoning as a branch of a check: it returns, branches, panics,
// exits, or calls a function of the package that always does. c is any
// cursor of the package being analysed.
func (g *Guard) Ends(c inspector.Cursor, stmts []ast.Stmt) bool {
	g.root = c.Inspector().Root()
	return g.terminates(stmts)
}

// Enders is the set of a package's functions that never return: their body
// ends in a panic, an exit, or a call of another such function (fatalf
// calling xexit calling os.Exit), also in an if/else or switch each of whose
// branches does. An unexported package-level variable of function type
// counts when every value the package gives it is such a function (`var
// exit = os.Exit`, later `exit = func(code int) { reset(); os.Exit(code) }`,
// the seam a CLI keeps for its tests). It reads every function of the
// package, once, when a Guard first needs it.
type Enders struct {
	info  *types.Info
	lists *provenance.Lists
	found bool                  // set and self are computed
	set   map[types.Object]bool // the functions and variables that never return
	self  *types.Package        // the package (nil without functions)
}

// NewEnders returns an empty Enders for the package that info describes,
// for the Guards of one pass to share.
func NewEnders(info *types.Info, lists *provenance.Lists) *Enders {
	return &Enders{info: info, lists: lists}
}

// find computes the set from the package's files under root, once.
func (e *Enders) find(root inspector.Cursor) {
	if e.found {
		return
	}
	e.found = true
	e.set = map[types.Object]bool{}
	if root.Inspector() == nil {
		return
	}
	var decls []*ast.FuncDecl
	values := map[*types.Var][]ast.Expr{} // the values given to package-level func variables
	for n := range root.Preorder((*ast.FuncDecl)(nil), (*ast.ValueSpec)(nil), (*ast.AssignStmt)(nil)) {
		switch n := n.Node().(type) {
		case *ast.FuncDecl:
			if obj := e.info.Defs[n.Name]; obj != nil && e.self == nil {
				e.self = obj.Pkg()
			}
			if n.Body != nil && len(n.Body.List) > 0 {
				decls = append(decls, n)
			}
		case *ast.ValueSpec:
			for i, name := range n.Names {
				if v := e.funcVar(name); v != nil {
					var value ast.Expr // nil: the variable starts as a nil func
					if len(n.Values) == len(n.Names) {
						value = n.Values[i]
					}
					values[v] = append(values[v], value)
				}
			}
		case *ast.AssignStmt:
			if len(n.Lhs) != len(n.Rhs) {
				continue
			}
			for i, lhs := range n.Lhs {
				if id, ok := ast.Unparen(lhs).(*ast.Ident); ok {
					if v := e.funcVar(id); v != nil {
						values[v] = append(values[v], n.Rhs[i])
					}
				}
			}
		}
	}
	exits := func(call *ast.CallExpr) bool {
		if e.lists.IsExit(e.info, call) {
			return true
		}
		id := provenance.CalleeIdent(call)
		return id != nil && e.set[e.info.Uses[id]]
	}
	for changed := true; changed; {
		changed = false
		for _, fd := range decls {
			obj := e.info.Defs[fd.Name]
			if obj == nil || e.set[obj] || returns(fd.Body) {
				continue
			}
			if endsWith(fd.Body.List, exits) {
				e.set[obj] = true
				changed = true
			}
		}
		for v, vs := range values {
			if !e.set[v] && e.allEnd(vs, exits) {
				e.set[v] = true
				changed = true
			}
		}
	}
}

// funcVar returns the variable that id declares or names when it is an
// unexported package-level variable of function type, else nil: only the
// package can give it values.
func (e *Enders) funcVar(id *ast.Ident) *types.Var {
	v, ok := e.info.ObjectOf(id).(*types.Var)
	if !ok || v.Exported() || v.Pkg() == nil || v.Parent() != v.Pkg().Scope() {
		return nil
	}
	if _, ok := v.Type().Underlying().(*types.Signature); !ok {
		return nil
	}
	return v
}

// allEnd reports whether every value given to a function variable is a
// function that never returns: a listed exit (os.Exit), a function of the
// set, or a function literal whose body ends by exits.
func (e *Enders) allEnd(values []ast.Expr, exits func(*ast.CallExpr) bool) bool {
	for _, v := range values {
		switch v := ast.Unparen(v).(type) {
		case nil:
			return false
		case *ast.FuncLit:
			if returns(v.Body) || !endsWith(v.Body.List, exits) {
				return false
			}
		default:
			// The value as a callee: os.Exit, fatal, another variable.
			if !exits(&ast.CallExpr{Fun: v}) {
				return false
			}
		}
	}
	return len(values) > 0
}

// returns reports whether the body has a return statement of its own (not
// of a function literal inside it): a function that returns somewhere is
// not a helper that never returns.
func returns(body *ast.BlockStmt) bool {
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		switch n.(type) {
		case *ast.ReturnStmt:
			found = true
		case *ast.FuncLit:
			return false
		}
		return !found
	})
	return found
}

// Dominates reports whether a check establishing g's fact dominates the node
// at c. It looks outwards from c up to the enclosing function declaration,
// through function literals (a closure defined under a check is taken to run
// under it).
func (g *Guard) Dominates(c inspector.Cursor) bool {
	g.root = c.Inspector().Root()
	for cur := c; ; {
		if _, ok := cur.Node().(*ast.File); ok || cur.Node() == nil {
			return false
		}
		parent := cur.Parent()
		kind, idx := cur.ParentEdge()
		switch p := parent.Node().(type) {
		case *ast.FuncDecl:
			return false
		case *ast.BinaryExpr:
			if kind == edge.BinaryExpr_Y {
				if p.Op == token.LAND && g.Implies(p.X, true) {
					return true
				}
				if p.Op == token.LOR && g.Implies(p.X, false) {
					return true
				}
			}
		case *ast.IfStmt:
			if kind == edge.IfStmt_Body && g.Implies(p.Cond, true) {
				return true
			}
			if kind == edge.IfStmt_Else && g.Implies(p.Cond, false) {
				return true
			}
		case *ast.ForStmt:
			// The post statement runs after the body, entered when the
			// condition held.
			if (kind == edge.ForStmt_Body || kind == edge.ForStmt_Post) && p.Cond != nil && g.Implies(p.Cond, true) {
				return true
			}
		case *ast.RangeStmt:
			if kind == edge.RangeStmt_Body && g.Enters != nil && g.Enters(p) {
				return true
			}
		case *ast.BlockStmt:
			if kind == edge.BlockStmt_List {
				if holds, reset := g.back(p.List[:idx]); holds || reset {
					return holds
				}
			}
		case *ast.CommClause:
			if kind == edge.CommClause_Body {
				if holds, reset := g.back(p.Body[:idx]); holds || reset {
					return holds
				}
			}
		case *ast.CaseClause:
			sw, isSwitch := parent.Parent().Parent().Node().(*ast.SwitchStmt)
			if kind == edge.CaseClause_Body {
				if holds, reset := g.back(p.Body[:idx]); holds || reset {
					return holds
				}
				if isSwitch && g.caseImplies(sw, p) {
					return true
				}
			}
			// In a tagless switch, the cases before this one were false.
			if isSwitch && sw.Tag == nil && (kind == edge.CaseClause_Body || kind == edge.CaseClause_List) && g.earlierCasesFalse(sw, p) {
				return true
			}
		}
		cur = parent
	}
}

// Implies reports whether cond evaluating to truth establishes the fact,
// taking apart !, &&, || and parentheses.
func (g *Guard) Implies(cond ast.Expr, truth bool) bool {
	switch e := ast.Unparen(cond).(type) {
	case nil:
		return false
	case *ast.UnaryExpr:
		if e.Op == token.NOT {
			return g.Implies(e.X, !truth)
		}
	case *ast.BinaryExpr:
		switch {
		case e.Op == token.LAND && truth, e.Op == token.LOR && !truth:
			// Both sides have the value truth: either may establish it.
			return g.Implies(e.X, truth) || g.Implies(e.Y, truth)
		case e.Op == token.LAND, e.Op == token.LOR:
			// One side, we do not know which: both must establish it.
			return g.Implies(e.X, truth) && g.Implies(e.Y, truth)
		}
	}
	return g.Holds(ast.Unparen(cond), truth)
}

// caseImplies reports whether entering clause cc of sw establishes the fact.
func (g *Guard) caseImplies(sw *ast.SwitchStmt, cc *ast.CaseClause) bool {
	if cc.List == nil { // default: every other case was false
		return g.noCase(sw)
	}
	for _, v := range cc.List { // one of the values matched: each must do
		if !g.Implies(g.caseCond(sw, v), true) {
			return false
		}
	}
	return true
}

// earlierCasesFalse reports whether the cases of the tagless switch sw
// before clause cc being false establishes the fact.
func (g *Guard) earlierCasesFalse(sw *ast.SwitchStmt, cc *ast.CaseClause) bool {
	for _, s := range sw.Body.List {
		other, ok := s.(*ast.CaseClause)
		if !ok || other == cc {
			return false
		}
		for _, v := range other.List {
			if g.Implies(v, false) {
				return true
			}
		}
	}
	return false
}

// caseCond is the condition under which case value v of sw matches.
func (g *Guard) caseCond(sw *ast.SwitchStmt, v ast.Expr) ast.Expr {
	if sw.Tag == nil {
		return v
	}
	return &ast.BinaryExpr{X: sw.Tag, OpPos: v.Pos(), Op: token.EQL, Y: v}
}

// before reports whether the statements before a use, in order, establish
// the fact for it.
func (g *Guard) before(stmts []ast.Stmt) bool {
	holds, _ := g.back(stmts)
	return holds
}

// back is before, and also reports whether the search met a statement that
// Resets the value: the checks before it, in this block or around it, say
// nothing about the use.
func (g *Guard) back(stmts []ast.Stmt) (holds, reset bool) {
	for i := len(stmts) - 1; i >= 0; i-- {
		s := stmts[i]
		if g.Sets != nil && g.Sets(s) {
			return true, false
		}
		if g.after(s) {
			return true, false
		}
		if g.Resets != nil && g.Resets(s) {
			return false, true
		}
	}
	return false, false
}

// after reports whether the fact holds whenever s completes normally.
func (g *Guard) after(s ast.Stmt) bool {
	switch s := s.(type) {
	case *ast.LabeledStmt:
		return g.after(s.Stmt)
	case *ast.IfStmt:
		if !g.branch(s.Body.List, s.Cond, true) {
			return false
		}
		switch e := s.Else.(type) {
		case nil:
			return g.Implies(s.Cond, false)
		case *ast.BlockStmt:
			return g.branch(e.List, s.Cond, false)
		case *ast.IfStmt:
			return g.Implies(s.Cond, false) || g.after(e)
		}
	case *ast.SwitchStmt:
		return g.switchEstablishes(s)
	}
	return false
}

// branch reports whether the fact holds at the end of a branch entered when
// cond is truth: the branch does not fall through, or cond establishes the
// fact, or the branch establishes it itself.
func (g *Guard) branch(body []ast.Stmt, cond ast.Expr, truth bool) bool {
	if g.terminates(body) || g.Implies(cond, truth) || g.before(body) {
		return true
	}
	if g.Sets == nil {
		return false
	}
	for _, s := range body {
		if g.Sets(s) {
			return true
		}
	}
	return false
}

// switchEstablishes reports whether the fact holds after a switch statement
// completes normally: every clause ends, establishes the fact, or is entered
// only when the fact holds; and the path through no clause (when there is no
// default) is taken only when the fact holds.
func (g *Guard) switchEstablishes(sw *ast.SwitchStmt) bool {
	hasDefault := false
	for _, s := range sw.Body.List {
		cc, ok := s.(*ast.CaseClause)
		if !ok {
			return false
		}
		if cc.List == nil {
			hasDefault = true
		}
		if g.terminates(cc.Body) || g.caseImplies(sw, cc) {
			continue
		}
		sets := false
		for _, b := range cc.Body {
			if g.Sets != nil && g.Sets(b) {
				sets = true
			}
		}
		if !sets {
			return false
		}
	}
	return hasDefault || g.noCase(sw)
}

// noCase reports whether the fact holds when no case of sw matched. Each
// case condition is then false; and when the cases of a tagged switch
// cover the integers 0 to m-1, the tag is presented as the atom tag >= m,
// which is what a switch over a length (switch len(x) { case 0: ...;
// case 1: ... }) leaves for its default.
func (g *Guard) noCase(sw *ast.SwitchStmt) bool {
	covered := map[int64]bool{}
	for _, s := range sw.Body.List {
		cc, ok := s.(*ast.CaseClause)
		if !ok {
			continue
		}
		for _, v := range cc.List {
			if g.Implies(g.caseCond(sw, v), false) {
				return true
			}
			if k, ok := IntConst(g.Info, v); ok {
				covered[k] = true
			}
		}
	}
	if sw.Tag == nil || !covered[0] {
		return false
	}
	m := int64(0)
	for covered[m] {
		m++
	}
	atom := &ast.BinaryExpr{X: sw.Tag, OpPos: sw.Tag.End(), Op: token.GEQ,
		Y: &ast.BasicLit{ValuePos: sw.Tag.End(), Kind: token.INT, Value: strconv.FormatInt(m, 10)}}
	return g.Holds(atom, true)
}

// Either returns a Holds that is satisfied when any of hs is.
func Either(hs ...Holds) Holds {
	return func(cond ast.Expr, truth bool) bool {
		for _, h := range hs {
			if h != nil && h(cond, truth) {
				return true
			}
		}
		return false
	}
}

// LenAtLeast returns a Holds for the fact "the length is at least n", where
// isLen recognizes the expressions that denote the length (len(parts),
// flag.NArg()). It accepts comparisons of such an expression with a constant,
// on either side: len(parts) > 1, len(parts) == 2, 1 < len(parts),
// len(parts) != 0 (for n = 1), and their negations.
func LenAtLeast(info *types.Info, isLen func(ast.Expr) bool, n int64) Holds {
	return LenAtLeastFrom(info, isLen, n, 0)
}

// LenAtLeastFrom is LenAtLeast for a slice known to have at least min
// elements (strings.SplitN(s, "=", 2) has one): then len(x) != min also
// establishes a length of min+1.
func LenAtLeastFrom(info *types.Info, isLen func(ast.Expr) bool, n, min int64) Holds {
	return func(cond ast.Expr, truth bool) bool {
		b, ok := cond.(*ast.BinaryExpr)
		if !ok {
			return false
		}
		op := b.Op
		var k int64
		switch {
		case isLen(b.X):
			if k, ok = IntConst(info, b.Y); !ok {
				return false
			}
		case isLen(b.Y):
			if k, ok = IntConst(info, b.X); !ok {
				return false
			}
			op = Mirror(op)
		default:
			return false
		}
		if !truth {
			op = negate(op)
		}
		switch op {
		case token.GTR:
			return k+1 >= n
		case token.GEQ, token.EQL:
			return k >= n
		case token.NEQ:
			return (k == 0 && n <= 1) || (k == min && n <= min+1)
		}
		return false
	}
}

// Mirror returns the operator that gives the same result with the operands
// swapped: a < b is b > a.
func Mirror(op token.Token) token.Token {
	switch op {
	case token.LSS:
		return token.GTR
	case token.GTR:
		return token.LSS
	case token.LEQ:
		return token.GEQ
	case token.GEQ:
		return token.LEQ
	}
	return op
}

// negate returns the operator of the negated comparison: !(a < b) is a >= b.
func negate(op token.Token) token.Token {
	switch op {
	case token.LSS:
		return token.GEQ
	case token.GEQ:
		return token.LSS
	case token.GTR:
		return token.LEQ
	case token.LEQ:
		return token.GTR
	case token.EQL:
		return token.NEQ
	case token.NEQ:
		return token.EQL
	}
	return op
}

// IsLenOf returns a recognizer of len(x) for the x that same accepts.
func IsLenOf(info *types.Info, same func(ast.Expr) bool) func(ast.Expr) bool {
	return func(e ast.Expr) bool {
		call, ok := ast.Unparen(e).(*ast.CallExpr)
		if !ok || len(call.Args) != 1 {
			return false
		}
		id, ok := ast.Unparen(call.Fun).(*ast.Ident)
		if !ok || id.Name != "len" {
			return false
		}
		if obj := info.Uses[id]; obj != nil {
			if _, builtin := obj.(*types.Builtin); !builtin {
				return false
			}
		}
		return same(call.Args[0])
	}
}

// NonNil returns a Holds for the fact "x is not nil", for the x that same
// accepts: x != nil holding, or x == nil failing.
func NonNil(same func(ast.Expr) bool) Holds {
	return func(cond ast.Expr, truth bool) bool {
		b, ok := cond.(*ast.BinaryExpr)
		if !ok || (b.Op != token.NEQ && b.Op != token.EQL) {
			return false
		}
		var x ast.Expr
		switch { // without type information: any identifier nil
		case IsNil(nil, b.Y):
			x = b.X
		case IsNil(nil, b.X):
			x = b.Y
		default:
			return false
		}
		return same(x) && (b.Op == token.NEQ) == truth
	}
}

// Present returns a Holds for the fact "the key is in the map", for the map
// lookups m[k] that same accepts. It recognizes the boolean of a comma-ok
// lookup holding (`_, ok := m[k]; if !ok { return }`) anywhere in scope,
// found by searching scope (the enclosing function body) for the assignment
// that defines it.
func Present(info *types.Info, scope ast.Node, same func(ast.Expr) bool) Holds {
	return func(cond ast.Expr, truth bool) bool {
		id, ok := cond.(*ast.Ident)
		if !ok || !truth {
			return false
		}
		src := CommaOkSource(info, scope, id)
		return src != nil && same(src)
	}
}

// A CommaOk is one assignment of an ok variable as the second of the two
// results of one expression: `Value, ok := Source` (a map lookup, a type
// assertion, a channel receive, or a call such as sync.Map's Load).
type CommaOk struct {
	Value, Source ast.Expr
}

// CommaOks returns every CommaOk in scope that assigns the variable ok
// refers to, or nil when there is none, when scope also assigns ok
// anything but false (`ok = true` says nothing about a lookup; `ok =
// false` only makes a check of it fail) or takes its address.
func CommaOks(info *types.Info, scope ast.Node, ok *ast.Ident) []CommaOk {
	obj := info.ObjectOf(ok)
	if obj == nil || scope == nil {
		return nil
	}
	isOk := func(e ast.Expr) bool {
		id, isID := ast.Unparen(e).(*ast.Ident)
		return isID && info.ObjectOf(id) == obj
	}
	var oks []CommaOk
	spoiled := false
	ast.Inspect(scope, func(node ast.Node) bool {
		var lhs, rhs []ast.Expr
		switch s := node.(type) {
		case *ast.AssignStmt:
			lhs, rhs = s.Lhs, s.Rhs
		case *ast.ValueSpec:
			for _, name := range s.Names {
				lhs = append(lhs, name)
			}
			rhs = s.Values
		case *ast.UnaryExpr:
			spoiled = spoiled || s.Op == token.AND && isOk(s.X)
			return !spoiled
		default:
			return !spoiled
		}
		if len(lhs) == 2 && len(rhs) == 1 {
			if isOk(lhs[1]) {
				oks = append(oks, CommaOk{Value: lhs[0], Source: ast.Unparen(rhs[0])})
			}
			return true
		}
		for i, l := range lhs {
			if isOk(l) && (len(lhs) != len(rhs) || !IsFalse(info, rhs[i])) {
				spoiled = true
			}
		}
		return !spoiled
	})
	if spoiled {
		return nil
	}
	return oks
}

// CommaOkSource returns the Source of the one CommaOk of the variable ok
// refers to in scope (see CommaOks), or nil when there is none or more
// than one.
func CommaOkSource(info *types.Info, scope ast.Node, ok *ast.Ident) ast.Expr {
	if oks := CommaOks(info, scope, ok); len(oks) == 1 {
		return oks[0].Source
	}
	return nil
}

// IsFalse reports whether e is the constant false (by its value, or by
// its name when the type information is partial).
func IsFalse(info *types.Info, e ast.Expr) bool {
	if tv, ok := info.Types[ast.Unparen(e)]; ok && tv.Value != nil {
		return tv.Value.Kind() == constant.Bool && !constant.BoolVal(tv.Value)
	}
	id, ok := ast.Unparen(e).(*ast.Ident)
	return ok && id.Name == "false"
}

// IntConst returns the value of e if it is an integer constant.
func IntConst(info *types.Info, e ast.Expr) (int64, bool) {
	if tv, ok := info.Types[e]; ok && tv.Value != nil {
		if v, exact := constant.Int64Val(constant.ToInt(tv.Value)); exact {
			return v, true
		}
		return 0, false
	}
	if lit, ok := ast.Unparen(e).(*ast.BasicLit); ok && lit.Kind == token.INT {
		v, ok := constant.Int64Val(constant.MakeFromLiteral(lit.Value, lit.Kind, 0))
		return v, ok
	}
	return 0, false
}

// sameKind reports whether constants x and y are of kinds that can be
// compared: both numeric, or of the same kind. (constant.Compare finds the
// rune '=' equal to the string "=".)
func sameKind(x, y constant.Value) bool {
	numeric := func(k constant.Kind) bool {
		return k == constant.Int || k == constant.Float || k == constant.Complex
	}
	return x.Kind() == y.Kind() || (numeric(x.Kind()) && numeric(y.Kind()))
}

// SameExpr reports whether a and b denote the same value, judged by their
// syntax: identifiers must refer to the same object (or, without type
// information, have the same name), constants must have the same value, and
// the other expressions must have the same shape. Calls count as the same
// when the callee and arguments are: flag.Args() is flag.Args().
func SameExpr(info *types.Info, a, b ast.Expr) bool {
	a, b = ast.Unparen(a), ast.Unparen(b)
	if a == nil || b == nil {
		return a == b
	}
	if ta, ok := info.Types[a]; ok && ta.Value != nil {
		tb, ok := info.Types[b]
		return ok && tb.Value != nil && sameKind(ta.Value, tb.Value) && constant.Compare(ta.Value, token.EQL, tb.Value)
	}
	switch a := a.(type) {
	case *ast.Ident:
		b, ok := b.(*ast.Ident)
		if !ok || a.Name != b.Name {
			return false
		}
		oa, ob := info.ObjectOf(a), info.ObjectOf(b)
		return oa == nil || ob == nil || oa == ob
	case *ast.BasicLit:
		b, ok := b.(*ast.BasicLit)
		return ok && a.Kind == b.Kind && a.Value == b.Value
	case *ast.SelectorExpr:
		b, ok := b.(*ast.SelectorExpr)
		return ok && a.Sel.Name == b.Sel.Name && SameExpr(info, a.X, b.X)
	case *ast.IndexExpr:
		b, ok := b.(*ast.IndexExpr)
		return ok && SameExpr(info, a.X, b.X) && SameExpr(info, a.Index, b.Index)
	case *ast.StarExpr:
		b, ok := b.(*ast.StarExpr)
		return ok && SameExpr(info, a.X, b.X)
	case *ast.UnaryExpr:
		b, ok := b.(*ast.UnaryExpr)
		return ok && a.Op == b.Op && SameExpr(info, a.X, b.X)
	case *ast.BinaryExpr:
		b, ok := b.(*ast.BinaryExpr)
		return ok && a.Op == b.Op && SameExpr(info, a.X, b.X) && SameExpr(info, a.Y, b.Y)
	case *ast.SliceExpr:
		b, ok := b.(*ast.SliceExpr)
		return ok && SameExpr(info, a.X, b.X) && SameExpr(info, a.Low, b.Low) &&
			SameExpr(info, a.High, b.High) && SameExpr(info, a.Max, b.Max)
	case *ast.CallExpr:
		b, ok := b.(*ast.CallExpr)
		if !ok || len(a.Args) != len(b.Args) || !SameExpr(info, a.Fun, b.Fun) {
			return false
		}
		for i := range a.Args {
			if !SameExpr(info, a.Args[i], b.Args[i]) {
				return false
			}
		}
		return true
	}
	return false
}

// Assigns reports whether s assigns to an expression that same accepts
// (x = ..., x := ..., x, err = ..., var x = ..., x++), looking only at s
// itself and not into nested statements.
func Assigns(s ast.Stmt, same func(ast.Expr) bool) bool {
	switch s := s.(type) {
	case *ast.AssignStmt:
		for _, l := range s.Lhs {
			if same(l) {
				return true
			}
		}
	case *ast.IncDecStmt:
		return same(s.X)
	case *ast.DeclStmt:
		gd, ok := s.Decl.(*ast.GenDecl)
		if !ok {
			return false
		}
		for _, spec := range gd.Specs {
			vs, ok := spec.(*ast.ValueSpec)
			if !ok {
				continue
			}
			for _, n := range vs.Names {
				if same(n) {
					return true
				}
			}
		}
	case *ast.RangeStmt:
		return (s.Key != nil && same(s.Key)) || (s.Value != nil && same(s.Value))
	}
	return false
}

// SetsVar reports whether n, function literals included, assigns obj
// (SetsVar looks into nested statements, unlike Assigns) or takes its
// address, after which anything may set it.
func SetsVar(info *types.Info, n ast.Node, obj types.Object) bool {
	return setsWhere(info, n, obj, func(ast.Node) bool { return true })
}

// EnclosingFuncDecl returns the function declaration around c, looking
// through function literals.
func EnclosingFuncDecl(c inspector.Cursor) (*ast.FuncDecl, bool) {
	for e := range c.Enclosing((*ast.FuncDecl)(nil)) {
		if fd, ok := e.Node().(*ast.FuncDecl); ok {
			return fd, true
		}
	}
	return nil, false
}

// Input provenance. A guard is only worth demanding where the value can be
// wrong without the program being wrong: where it comes from input. Inputs
// answers that question for the guard-based rules (a map key, a string
// being split), by following the value back through local assignments.

// Inputs decides whether values come from outside the program.
type Inputs struct {
	Info  *types.Info
	Lists *provenance.Lists
	Pkg   *types.Package // the package analysed: its exported API takes input

	// refs indexes the package's identifiers by the function they refer
	// to, built on the first question about a function's callers.
	refs map[types.Object][]inspector.Cursor
}

// readers return data read from a file, stream or the terminal.
var readers = provenance.Set{
	"bufio.Scanner.Text": true, "bufio.Scanner.Bytes": true,
	"bufio.Reader.ReadString": true, "bufio.Reader.ReadLine": true, "bufio.Reader.ReadBytes": true,
	"os.ReadFile": true, "io.ReadAll": true, "io/ioutil.ReadFile": true, "io/ioutil.ReadAll": true,
	"encoding/csv.Reader.Read": true, "encoding/csv.Reader.ReadAll": true,
	// Directory listings: the names of files on disk.
	"os.ReadDir": true, "io/fs.ReadDir": true, "os.File.ReadDir": true, "os.File.Readdir": true,
	"os.File.Readdirnames": true, "path/filepath.Glob": true, "io/fs.Glob": true,
}

// walkers call their callback with each file under a root: its path and
// directory entry describe the file system, not the program.
var walkers = provenance.Set{
	"path/filepath.WalkDir": true, "path/filepath.Walk": true, "io/fs.WalkDir": true,
}

// FromInput reports whether the value of e at cur may come from outside
// the program: it derives from a listed external source (r.Header.Get,
// os.Args, os.Getenv), a reader (bufio.Scanner.Text, os.ReadFile), a
// directory listing (os.ReadDir, filepath.Glob, the parameters of a
// filepath.WalkDir callback), an
// *http.Request or url.URL, a variable filled by a Read/Decode/Unmarshal/Scan
// call, or a parameter of an exported function of a package that is neither
// internal nor main (a caller's input). A parameter of another function
// counts when a call in the package passes input for it, or when nothing in
// the package calls it. Values built from the package's own state are not
// input.
func (in *Inputs) FromInput(cur inspector.Cursor, e ast.Expr) bool {
	return in.fromInput(cur, e, 0, map[types.Object]bool{})
}

// fromInput reports whether e may come from outside the program:
// it derives from a listed external source or splitter (r.Header.Get,
// os.Args, strings.Split), from an *http.Request, from a variable filled by
// a Read/Decode/Unmarshal/Scan call, or from a parameter of an exported
// function of a non-internal package (a caller's input). Keys built from the
// package's own state (its struct fields, internal collections, unexported
// helpers' parameters) are invariants the author maintains.
func (in *Inputs) fromInput(cur inspector.Cursor, e ast.Expr, depth int, seen map[types.Object]bool) bool {
	if depth > 8 || e == nil {
		return false
	}
	if tv, ok := in.Info.Types[e]; ok {
		if tv.Value != nil {
			return false
		}
		if isRequest(tv.Type) {
			return true
		}
	}
	switch x := ast.Unparen(e).(type) {
	case *ast.CallExpr:
		names := provenance.CalleeNames(in.Info, x)
		if in.Lists.External.Has(names...) || readers.Has(names...) {
			return true
		}
		if isTypeName(in.Info, x, names) {
			return false // fmt.Sprintf("%T", v) depends on the type only
		}
		if sel, ok := ast.Unparen(x.Fun).(*ast.SelectorExpr); ok {
			if _, isPkg := in.Info.Uses[identOf(sel.X)].(*types.PkgName); !isPkg && in.fromInput(cur, sel.X, depth+1, seen) {
				return true
			}
		}
		for _, a := range x.Args {
			if in.fromInput(cur, a, depth+1, seen) {
				return true
			}
		}
	case *ast.SelectorExpr:
		if name := provenance.VarName(in.Info, x); name != "" {
			return in.Lists.External.Has(name)
		}
		return in.fromInput(cur, x.X, depth+1, seen)
	case *ast.IndexExpr:
		return in.fromInput(cur, x.X, depth+1, seen)
	case *ast.SliceExpr:
		return in.fromInput(cur, x.X, depth+1, seen)
	case *ast.StarExpr:
		return in.fromInput(cur, x.X, depth+1, seen)
	case *ast.UnaryExpr:
		return in.fromInput(cur, x.X, depth+1, seen)
	case *ast.TypeAssertExpr:
		return in.fromInput(cur, x.X, depth+1, seen)
	case *ast.BinaryExpr:
		return in.fromInput(cur, x.X, depth+1, seen) || in.fromInput(cur, x.Y, depth+1, seen)
	case *ast.Ident:
		return in.identFromInput(cur, x, depth, seen)
	}
	return false
}

func identOf(e ast.Expr) *ast.Ident {
	id, _ := ast.Unparen(e).(*ast.Ident)
	return id
}

func calleeName(call *ast.CallExpr) string {
	switch f := ast.Unparen(call.Fun).(type) {
	case *ast.Ident:
		return f.Name
	case *ast.SelectorExpr:
		return f.Sel.Name
	}
	return ""
}

func (in *Inputs) identFromInput(cur inspector.Cursor, id *ast.Ident, depth int, seen map[types.Object]bool) bool {
	if name := provenance.VarName(in.Info, id); name != "" {
		return in.Lists.External.Has(name)
	}
	obj, ok := in.Info.Uses[id].(*types.Var)
	if !ok || seen[obj] {
		return false
	}
	seen[obj] = true
	if in.walkParam(cur, obj) {
		return true
	}
	decl, ok := EnclosingFuncDecl(cur)
	if !ok || decl.Body == nil {
		return false
	}
	// A parameter of an exported function: the caller's input. Of another
	// function: whatever its callers in the package pass.
	if idx := in.paramIndex(decl, obj); idx >= 0 {
		return in.exportedAPI(decl) || in.callersPassInput(cur, decl, idx, depth, seen)
	}
	found := false
	ast.Inspect(decl.Body, func(n ast.Node) bool {
		if found || n == nil {
			return false
		}
		switch s := n.(type) {
		case *ast.AssignStmt:
			for i, l := range s.Lhs {
				if lid, ok := l.(*ast.Ident); ok && in.Info.ObjectOf(lid) == obj {
					rhs := s.Rhs[0]
					if len(s.Lhs) == len(s.Rhs) {
						rhs = s.Rhs[i]
					}
					if in.fromInput(cur, rhs, depth+1, seen) {
						found = true
					}
				}
			}
		case *ast.ValueSpec:
			for i, name := range s.Names {
				if in.Info.ObjectOf(name) == obj && len(s.Values) > 0 {
					v := s.Values[0]
					if len(s.Values) == len(s.Names) {
						v = s.Values[i]
					}
					if in.fromInput(cur, v, depth+1, seen) {
						found = true
					}
				}
			}
		case *ast.RangeStmt:
			for _, kv := range []ast.Expr{s.Key, s.Value} {
				if kid, ok := kv.(*ast.Ident); ok && in.Info.ObjectOf(kid) == obj && in.fromInput(cur, s.X, depth+1, seen) {
					found = true
				}
			}
		case *ast.CallExpr:
			// An out-parameter of a reading call: codec.ReadResponseHeader(&resp).
			base := calleeName(s)
			if !strings.Contains(base, "Read") && !strings.Contains(base, "Decode") &&
				!strings.Contains(base, "Unmarshal") && !strings.Contains(base, "Scan") {
				return true
			}
			for _, a := range s.Args {
				if u, ok := ast.Unparen(a).(*ast.UnaryExpr); ok && u.Op == token.AND {
					if aid := identOf(u.X); aid != nil && in.Info.Uses[aid] == obj {
						found = true
					}
				}
			}
		}
		return true
	})
	return found
}

// walkParam reports whether obj is a parameter of a function literal
// passed to a directory walk (filepath.WalkDir(root, func(path string, d
// fs.DirEntry, err error) error {...})): the walk fills it from the file
// system.
func (in *Inputs) walkParam(cur inspector.Cursor, obj *types.Var) bool {
	for fc := range cur.Enclosing((*ast.FuncLit)(nil)) {
		lit, ok := fc.Node().(*ast.FuncLit)
		if !ok || lit.Type.Params == nil {
			continue
		}
		isParam := false
		for _, f := range lit.Type.Params.List {
			for _, n := range f.Names {
				if in.Info.Defs[n] == obj {
					isParam = true
				}
			}
		}
		if !isParam {
			continue
		}
		call, ok := fc.Parent().Node().(*ast.CallExpr)
		return ok && fc.ParentEdgeKind() == edge.CallExpr_Args && walkers.Has(provenance.CalleeNames(in.Info, call)...)
	}
	return false
}

// callersPassInput reports whether a call of decl in the package passes
// input as its idx'th argument.
func (in *Inputs) callersPassInput(cur inspector.Cursor, decl *ast.FuncDecl, idx, depth int, seen map[types.Object]bool) bool {
	fn := in.Info.Defs[decl.Name]
	if fn == nil || depth > 4 {
		return false
	}
	if in.refs == nil {
		in.refs = map[types.Object][]inspector.Cursor{}
		for idc := range cur.Inspector().Root().Preorder((*ast.Ident)(nil)) {
			if ref, ok := idc.Node().(*ast.Ident); ok {
				if f, isFunc := in.Info.Uses[ref].(*types.Func); isFunc {
					in.refs[f] = append(in.refs[f], idc)
				}
			}
		}
	}
	for _, idc := range in.refs[fn] {
		callc := idc.Parent()
		if _, isSel := callc.Node().(*ast.SelectorExpr); isSel {
			callc = callc.Parent() // x.method(...)
		}
		call, ok := callc.Node().(*ast.CallExpr)
		if !ok || len(call.Args) <= idx {
			continue
		}
		if in.fromInput(callc, call.Args[idx], depth+2, seen) {
			return true
		}
	}
	return false
}

// paramIndex returns the position of obj among decl's parameters, or -1.
func (in *Inputs) paramIndex(decl *ast.FuncDecl, obj types.Object) int {
	if decl.Type.Params == nil {
		return -1
	}
	i := 0
	for _, f := range decl.Type.Params.List {
		if len(f.Names) == 0 {
			i++
			continue
		}
		for _, n := range f.Names {
			if in.Info.Defs[n] == obj {
				return i
			}
			i++
		}
	}
	return -1
}

// exportedAPI reports whether decl is callable from outside the module's
// own packages: exported, on an exported receiver type, in a package that
// is neither internal nor a command.
func (in *Inputs) exportedAPI(decl *ast.FuncDecl) bool {
	if !decl.Name.IsExported() || in.Pkg == nil || in.Pkg.Name() == "main" {
		return false
	}
	path := in.Pkg.Path()
	if strings.HasPrefix(path, "internal/") || strings.Contains(path, "/internal/") || strings.HasSuffix(path, "/internal") {
		return false
	}
	if decl.Recv == nil || len(decl.Recv.List) == 0 {
		return true
	}
	id := provenance.ReceiverTypeName(decl.Recv.List[0].Type)
	return id != nil && id.IsExported()
}

// isRequest reports *http.Request and *url.URL values: their fields are
// the client's input.
func isRequest(t types.Type) bool {
	if t == nil {
		return false
	}
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	n, ok := types.Unalias(t).(*types.Named)
	if !ok || n.Obj().Pkg() == nil {
		return false
	}
	name := n.Obj().Pkg().Path() + "." + n.Obj().Name()
	return name == "net/http.Request" || name == "net/url.URL" || name == "net/url.Values" || name == "net/http.Header"
}

// isTypeName recognizes fmt.Sprintf("%T", v).
func isTypeName(info *types.Info, call *ast.CallExpr, names []string) bool {
	if len(names) == 0 || names[0] != "fmt.Sprintf" || len(call.Args) != 2 {
		return false
	}
	tv, ok := info.Types[call.Args[0]]
	if !ok || tv.Value == nil || tv.Value.Kind() != constant.String {
		return false
	}
	return constant.StringVal(tv.Value) == "%T"
}

// HeldValue returns the expression that the local variable e holds, when
// body defines e once (`v := x`, `var v = x`) and nothing in body assigns
// it again or takes its address, with the statement that defines it.
func HeldValue(info *types.Info, body *ast.BlockStmt, e ast.Expr) (ast.Expr, ast.Stmt, bool) {
	id, ok := ast.Unparen(e).(*ast.Ident)
	if !ok || body == nil {
		return nil, nil, false
	}
	v, ok := info.ObjectOf(id).(*types.Var)
	if !ok || !within(v, body) {
		return nil, nil, false
	}
	var def ast.Stmt
	var held ast.Expr
	ast.Inspect(body, func(node ast.Node) bool {
		if def != nil {
			return false
		}
		var names []*ast.Ident
		var values []ast.Expr
		switch s := node.(type) {
		case *ast.AssignStmt:
			if s.Tok == token.DEFINE && len(s.Lhs) == len(s.Rhs) {
				for _, l := range s.Lhs {
					lid, _ := l.(*ast.Ident)
					names = append(names, lid)
				}
				values = s.Rhs
			}
		case *ast.DeclStmt:
			if gd, ok := s.Decl.(*ast.GenDecl); ok && len(gd.Specs) == 1 {
				if vs, ok := gd.Specs[0].(*ast.ValueSpec); ok && len(vs.Names) == len(vs.Values) {
					names, values = vs.Names, vs.Values
				}
			}
		}
		for i, name := range names {
			if name != nil && info.Defs[name] == v {
				def, _ = node.(ast.Stmt)
				held = ast.Unparen(values[i])
			}
		}
		return true
	})
	if def == nil || setsWhere(info, body, v, func(n ast.Node) bool { return n != ast.Node(def) }) {
		return nil, nil, false
	}
	return held, def, true
}

// HeldLen returns the len(x) call that the variable e holds, when body
// defines e once as `n := len(x)` (or `var n = len(x)`) and nothing in body
// changes n, nor x afterwards: then a check of n is a check of len(x)
// (`depth := len(parts); if depth == 4 { parts[3] }`). x must be a local
// variable, since a field or an element may change behind any call.
func HeldLen(info *types.Info, body *ast.BlockStmt, e ast.Expr) (*ast.CallExpr, bool) {
	if tv, ok := info.Types[e]; !ok || !types.Identical(tv.Type, types.Typ[types.Int]) {
		return nil, false
	}
	value, def, ok := HeldValue(info, body, e)
	if !ok {
		return nil, false
	}
	held, ok := value.(*ast.CallExpr)
	if !ok || !IsLenOf(info, func(ast.Expr) bool { return true })(held) {
		return nil, false
	}
	x, ok := ast.Unparen(held.Args[0]).(*ast.Ident)
	if !ok {
		return nil, false
	}
	xv, ok := info.ObjectOf(x).(*types.Var)
	if !ok || !within(xv, body) {
		return nil, false
	}
	var lits []ast.Node // a closure may run after the definition wherever it is written
	ast.Inspect(body, func(node ast.Node) bool {
		if lit, ok := node.(*ast.FuncLit); ok {
			lits = append(lits, lit)
		}
		return true
	})
	later := func(node ast.Node) bool {
		if node.Pos() >= def.End() {
			return true
		}
		for _, lit := range lits {
			if node.Pos() >= lit.Pos() && node.End() <= lit.End() {
				return true
			}
		}
		return false
	}
	return held, !setsWhere(info, body, xv, later)
}

// within reports whether v is declared inside body.
func within(v *types.Var, body *ast.BlockStmt) bool {
	return v.Pos() >= body.Pos() && v.Pos() < body.End()
}

// setsWhere is SetsVar, counting only the statements and expressions of n
// that counts accepts.
func setsWhere(info *types.Info, n ast.Node, obj types.Object, counts func(ast.Node) bool) bool {
	is := func(e ast.Expr) bool {
		id, ok := ast.Unparen(e).(*ast.Ident)
		return ok && info.ObjectOf(id) == obj
	}
	found := false
	ast.Inspect(n, func(node ast.Node) bool {
		switch node := node.(type) {
		case ast.Stmt:
			found = found || counts(node) && Assigns(node, is)
		case *ast.UnaryExpr:
			found = found || counts(node) && node.Op == token.AND && is(node.X)
		}
		return !found
	})
	return found
}
