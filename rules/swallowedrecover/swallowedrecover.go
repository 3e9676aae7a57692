package swallowedrecover

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/failfast-dev/failfast/rules/flow"
	"github.com/failfast-dev/failfast/rules/provenance"
	"github.com/failfast-dev/failfast/rules/spec"
)

// Analyzer is the rule's analyzer with the default options.
var Analyzer = New(spec.DefaultOptions())

// New returns the rule's analyzer for the given options.
func New(o *spec.Options) *analysis.Analyzer {
	return &analysis.Analyzer{
		Name:     spec.AnalyzerName(ID),
		Doc:      summary,
		URL:      spec.DocURL(ID),
		Requires: spec.Requires,
		Run: func(pass *analysis.Pass) (any, error) {
			r, err := spec.NewReporter(pass, ID, o)
			if err != nil {
				return nil, err
			}
			run(pass, r)
			return nil, nil
		},
	}
}

const (
	msgDropped = "recover() drops the panic: its value is neither logged, re-panicked nor returned, so the crash vanishes without a trace"
	msgNilOnly = "recover() is only compared with nil: the panic value and stack are neither logged, re-panicked nor returned, so the crash vanishes"
	msgAsError = "recover() turns the panic into %s but drops the panic value and stack, so the cause of the crash is lost; wrap the value, e.g. fmt.Errorf(\"panic: %%v\", r)"
)

func run(pass *analysis.Pass, r *spec.Reporter) {
	info := pass.TypesInfo
	lists := r.Options().Lists
	for file := range r.Files() {
		for c := range file.Preorder((*ast.CallExpr)(nil)) {
			call, ok := c.Node().(*ast.CallExpr)
			if !ok || !isRecover(info, call) {
				continue
			}
			check(info, lists, r, c, call)
		}
	}
}

// isRecover reports whether call is a call of the builtin recover. With
// partial type information an unresolved identifier named recover counts.
func isRecover(info *types.Info, call *ast.CallExpr) bool {
	id, ok := ast.Unparen(call.Fun).(*ast.Ident)
	if !ok || id.Name != "recover" || len(call.Args) != 0 {
		return false
	}
	obj := info.Uses[id]
	_, builtin := obj.(*types.Builtin)
	return builtin || obj == nil
}

// check classifies how the value of one recover() call is used and reports
// the call when the panic it stops leaves no trace.
func check(info *types.Info, lists *provenance.Lists, r *spec.Reporter, c inspector.Cursor, call *ast.CallExpr) {
	fn, _, body, ok := flow.EnclosingFunc(c)
	if !ok || body == nil {
		return
	}
	// The node whose parent consumes the value, looking through parentheses.
	cur := c
	for {
		p := cur.Parent()
		if _, isParen := p.Node().(*ast.ParenExpr); !isParen {
			break
		}
		cur = p
	}
	parent := cur.Parent()
	var cmps []inspector.Cursor // the nil comparisons the value is reduced to
	switch p := parent.Node().(type) {
	case *ast.ExprStmt:
		r.Reportf(call, msgDropped)
		return
	case *ast.DeferStmt, *ast.GoStmt:
		return // `defer recover()` does not stop a panic
	case *ast.BinaryExpr:
		if !isNilComparison(info, p) {
			return // compared with a sentinel: the value is inspected
		}
		cmps = append(cmps, parent)
	case *ast.AssignStmt:
		v, dropped, passed := assignedVar(info, p.Lhs, p.Rhs, cur.Node(), fn)
		if passed {
			return
		}
		if dropped {
			r.Reportf(call, msgDropped)
			return
		}
		var used bool
		cmps, used = nilComparisons(info, c, fn, v)
		if used {
			return
		}
	case *ast.ValueSpec:
		var lhs []ast.Expr
		for _, n := range p.Names {
			lhs = append(lhs, n)
		}
		v, dropped, passed := assignedVar(info, lhs, p.Values, cur.Node(), fn)
		if passed {
			return
		}
		if dropped {
			r.Reportf(call, msgDropped)
			return
		}
		var used bool
		cmps, used = nilComparisons(info, c, fn, v)
		if used {
			return
		}
	default:
		return // a call argument, a send, a return, a type switch: passed on
	}
	if len(cmps) == 0 {
		r.Reportf(call, msgDropped)
		return
	}
	var asError ast.Expr
	for _, cmp := range cmps {
		switch h := handling(info, lists, cmp, fn); {
		case h.handled:
			return
		case h.asError != nil && asError == nil:
			asError = h.asError
		}
	}
	if asError != nil {
		r.Reportf(call, msgAsError, "the error "+types.ExprString(asError))
		return
	}
	r.Reportf(call, msgNilOnly)
}

// assignedVar finds the variable that recover()'s value (rhs node) is
// assigned to. dropped means the blank identifier; passed means the value is
// stored where this function cannot follow it: a field, an element, a
// variable of an outer function or a named result.
func assignedVar(info *types.Info, lhs, rhs []ast.Expr, node ast.Node, fn ast.Node) (v *types.Var, dropped, passed bool) {
	if len(lhs) != len(rhs) {
		return nil, false, true
	}
	for i, e := range rhs {
		if e != node {
			continue
		}
		id, ok := ast.Unparen(lhs[i]).(*ast.Ident)
		if !ok {
			return nil, false, true
		}
		if id.Name == "_" {
			return nil, true, false
		}
		obj := info.Defs[id]
		if obj == nil {
			obj = info.Uses[id]
		}
		v, ok := obj.(*types.Var)
		if !ok || v.Pos() < fn.Pos() || v.Pos() >= fn.End() {
			return nil, false, true
		}
		if isResult(fn, v) {
			return nil, false, true
		}
		return v, false, false
	}
	return nil, false, true
}

// isResult reports whether v is a named result of fn.
func isResult(fn ast.Node, v *types.Var) bool {
	var ft *ast.FuncType
	switch f := fn.(type) {
	case *ast.FuncDecl:
		ft = f.Type
	case *ast.FuncLit:
		ft = f.Type
	}
	if ft == nil || ft.Results == nil {
		return false
	}
	for _, f := range ft.Results.List {
		for _, n := range f.Names {
			if n.Pos() == v.Pos() {
				return true
			}
		}
	}
	return false
}

// nilComparisons returns the uses of v inside fn, all of which are nil
// comparisons; used is true when some use does more with the value.
func nilComparisons(info *types.Info, c inspector.Cursor, fn ast.Node, v *types.Var) (cmps []inspector.Cursor, used bool) {
	fc, ok := c.Inspector().Root().FindNode(fn)
	if !ok {
		return nil, true
	}
	for ic := range fc.Preorder((*ast.Ident)(nil)) {
		id, ok := ic.Node().(*ast.Ident)
		if !ok || info.Uses[id] != v {
			continue
		}
		p := ic.Parent()
		for {
			if _, isParen := p.Node().(*ast.ParenExpr); !isParen {
				break
			}
			p = p.Parent()
		}
		bin, ok := p.Node().(*ast.BinaryExpr)
		if !ok || !isNilComparison(info, bin) {
			return nil, true
		}
		cmps = append(cmps, p)
	}
	return cmps, false
}

// isNilComparison reports whether b is x == nil or x != nil.
func isNilComparison(info *types.Info, b *ast.BinaryExpr) bool {
	if b.Op != token.EQL && b.Op != token.NEQ {
		return false
	}
	return isNil(info, b.X) || isNil(info, b.Y)
}

func isNil(info *types.Info, e ast.Expr) bool {
	id, ok := ast.Unparen(e).(*ast.Ident)
	if !ok || id.Name != "nil" {
		return false
	}
	_, isNil := info.Uses[id].(*types.Nil)
	return isNil || info.Uses[id] == nil
}

type outcome struct {
	handled bool     // logged, re-panicked, exited or sent
	asError ast.Expr // an error result set without the panic value
}

// handling looks at what the code does when the nil comparison cmp says a
// panic happened.
func handling(info *types.Info, lists *provenance.Lists, cmp inspector.Cursor, fn ast.Node) outcome {
	bin, ok := cmp.Node().(*ast.BinaryExpr)
	if !ok {
		return outcome{}
	}
	// Find the statement the comparison decides.
	var ifs *ast.IfStmt
	cond := cmp
	for {
		p := cond.Parent()
		switch n := p.Node().(type) {
		case *ast.ParenExpr:
			cond = p
			continue
		case *ast.BinaryExpr:
			if n.Op == token.LAND || n.Op == token.LOR {
				cond = p
				continue
			}
		case *ast.UnaryExpr:
			if n.Op == token.NOT {
				cond = p
				continue
			}
		case *ast.IfStmt:
			if n.Cond == cond.Node() {
				ifs = n
			}
		}
		break
	}
	var region []ast.Stmt
	switch {
	case ifs == nil:
		// The comparison is stored or returned as a flag: nothing but
		// a bool survives the panic.
		return outcome{}
	case bin.Op == token.NEQ:
		region = ifs.Body.List
	default:
		if ifs.Else != nil {
			region = append(region, ifs.Else)
		}
		// if r == nil { return }; <handling>
		if ifc, ok := cmp.Inspector().Root().FindNode(ifs); ok {
			for s, ok := ifc.NextSibling(); ok; s, ok = s.NextSibling() {
				if st, isStmt := s.Node().(ast.Stmt); isStmt {
					region = append(region, st)
				}
			}
		}
	}
	var out outcome
	for _, s := range region {
		ast.Inspect(s, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.CallExpr:
				if lists.IsLog(info, n) || lists.IsExit(info, n) {
					out.handled = true
				}
			case *ast.SendStmt:
				out.handled = true
			case *ast.AssignStmt:
				for i, l := range n.Lhs {
					if isOuterError(info, l, fn) && (len(n.Rhs) != len(n.Lhs) || !isNil(info, n.Rhs[i])) && out.asError == nil {
						out.asError = l
					}
				}
			}
			return !out.handled
		})
		if out.handled {
			break
		}
	}
	return out
}

// isOuterError reports whether e is a variable of type error that outlives
// the function fn: a named result of an enclosing function, a captured
// variable or a field.
func isOuterError(info *types.Info, e ast.Expr, fn ast.Node) bool {
	t := info.TypeOf(e)
	if t == nil || !types.Identical(t, types.Universe.Lookup("error").Type()) {
		return false
	}
	switch e := ast.Unparen(e).(type) {
	case *ast.Ident:
		v, ok := info.Uses[e].(*types.Var)
		return ok && (v.Pos() < fn.Pos() || v.Pos() >= fn.End() || isResult(fn, v))
	case *ast.SelectorExpr, *ast.StarExpr, *ast.IndexExpr:
		return true
	}
	return false
}
