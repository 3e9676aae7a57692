package swallowedrecover

import (
	"go/ast"
	"go/token"
	"go/types"
	"strings"

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
	return spec.NewAnalyzer(ID, summary, o, run)
}

const (
	msgDropped = "recover() drops the panic: its value is neither logged, re-panicked nor returned, so the crash vanishes without a trace"
	msgNilOnly = "recover() is only compared with nil: the panic value and stack are neither logged, re-panicked nor returned, so the crash vanishes"
	msgLogged  = "recover() is only compared with nil: the branch logs that something panicked but neither the panic value nor the stack, so the cause is lost"
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
			check(pass, lists, r, c, call)
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
func check(pass *analysis.Pass, lists *provenance.Lists, r *spec.Reporter, c inspector.Cursor, call *ast.CallExpr) {
	info := pass.TypesInfo
	fn, _, body, ok := flow.EnclosingFunc(c)
	if !ok || body == nil {
		return
	}
	if explained(pass, c, fn) {
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
	logged := false
	for _, cmp := range cmps {
		h := handling(info, lists, cmp, fn)
		switch {
		case h.handled:
			return
		case h.asError != nil && asError == nil:
			asError = h.asError
		}
		logged = logged || h.logged
	}
	if asError != nil {
		// The caller gets an error: the failure is not silent, only
		// its cause is lost. Real parsers do this on purpose
		// (x/text's language.Parse answers ErrSyntax).
		return
	}
	if logged {
		r.Reportf(call, msgLogged)
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
	fc, ok := flow.Find(c.Inspector().Root(), fn)
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
	return flow.IsNil(info, b.X) || flow.IsNil(info, b.Y)
}

type outcome struct {
	handled bool     // the stack recorded, re-panicked or exited
	logged  bool     // logged without the value or the stack
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
	// region runs when a panic was recovered, calm when none was.
	var region, calm []ast.Stmt
	var rest []ast.Stmt // the statements after the if
	if ifs != nil {
		if ifc, ok := flow.Find(cmp.Inspector().Root(), ifs); ok {
			for s, ok := ifc.NextSibling(); ok; s, ok = s.NextSibling() {
				if st, isStmt := s.Node().(ast.Stmt); isStmt {
					rest = append(rest, st)
				}
			}
		}
	}
	switch {
	case ifs == nil:
		// The comparison is a flag: nothing but a bool survives the
		// panic, and a health probe or a task flag that turns a bug into
		// "not alive" hides it. A function named for detecting panics
		// (testify's didPanic) that hands the flag to its caller is the
		// exception: telling is its purpose.
		return outcome{}
	case bin.Op == token.NEQ:
		region = ifs.Body.List
		if ifs.Else != nil {
			calm = append(calm, ifs.Else)
		}
	default:
		// if r == nil { return }; <handling>
		calm = ifs.Body.List
		if ifs.Else != nil {
			region = append(region, ifs.Else)
		}
		region = append(region, rest...)
	}
	// A branch that complains when nothing panicked (mustPanic helpers)
	// means the panic is the expected outcome.
	if loud(info, lists, calm) {
		return outcome{handled: true}
	}
	var out outcome
	for _, s := range region {
		ast.Inspect(s, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.CallExpr:
				switch {
				case lists.IsExit(info, n) || tracesStack(info, n):
					out.handled = true
				case lists.IsLog(info, n):
					out.logged = true
				}
			case *ast.AssignStmt:
				for i, l := range n.Lhs {
					if isOuterError(info, l, fn) && (len(n.Rhs) != len(n.Lhs) || !flow.IsNil(info, n.Rhs[i])) && out.asError == nil {
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

// tracesStack reports whether call records the goroutine's stack
// (debug.Stack, debug.PrintStack, runtime.Stack): the trace of where the
// panic happened survives even without its value.
func tracesStack(info *types.Info, call *ast.CallExpr) bool {
	for _, n := range provenance.CalleeNames(info, call) {
		switch n {
		case "runtime/debug.Stack", "runtime/debug.PrintStack", "runtime.Stack":
			return true
		}
	}
	return false
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

// loud reports whether stmts log, panic or exit.
func loud(info *types.Info, lists *provenance.Lists, stmts []ast.Stmt) bool {
	found := false
	for _, s := range stmts {
		ast.Inspect(s, func(n ast.Node) bool {
			if call, ok := n.(*ast.CallExpr); ok && (lists.IsLog(info, call) || lists.IsExit(info, call)) {
				found = true
			}
			return !found
		})
	}
	return found
}

// explained reports whether the author says the swallow is deliberate
// (provenance.StatesDrop: "deliberately ignore panics from ...", "swallow
// it"): in a comment inside the deferred function literal, on the recover
// line, on the line above the defer statement or above a statement that
// encloses the recover, or in the enclosing declaration's doc comment. A
// comment that only describes what happens ("a panic in fn won't crash the
// process") explains nothing.
func explained(pass *analysis.Pass, c inspector.Cursor, fn ast.Node) bool {
	var file *ast.File
	var decl *ast.FuncDecl
	for e := range c.Enclosing((*ast.File)(nil), (*ast.FuncDecl)(nil)) {
		switch n := e.Node().(type) {
		case *ast.File:
			file = n
		case *ast.FuncDecl:
			decl = n
		}
	}
	if file == nil {
		return false
	}
	if decl != nil && decl.Doc != nil && provenance.StatesDrop(decl.Doc.Text()) {
		return true
	}
	fset := pass.Fset
	line := func(p token.Pos) int { return fset.Position(p).Line }
	// The span whose comments count: the literal's body, or the line of
	// the recover call and the line above it in a declared helper.
	from, to := line(c.Node().Pos())-1, line(c.Node().End())
	if lit, ok := fn.(*ast.FuncLit); ok {
		from, to = line(lit.Body.Lbrace), line(lit.Body.Rbrace)
		if fc, ok := flow.Find(c.Inspector().Root(), lit); ok {
			if call, ok := fc.Parent().Node().(*ast.CallExpr); ok && call.Fun == lit {
				if dc := fc.Parent().Parent(); isDeferStmt(dc.Node()) {
					from--
					// if !disableRecover { defer func() { ... }() }:
					// the comment may sit above the if.
					if blk, ok := dc.Parent().Node().(*ast.BlockStmt); ok && len(blk.List) > 0 && blk.List[0] == dc.Node() {
						if ifs, ok := dc.Parent().Parent().Node().(*ast.IfStmt); ok && ifs.Body == blk {
							from = line(ifs.Pos()) - 1
						}
					}
				}
			}
		}
	}
	// Lines just above the statements that enclose the recover, where a
	// comment that talks about panics explains it ("If it panics, swallow
	// the panic and continue").
	above := map[int]bool{}
	for e := range c.Enclosing() {
		if _, isDecl := e.Node().(*ast.FuncDecl); isDecl {
			break
		}
		_, isBlock := e.Node().(*ast.BlockStmt)
		if _, isStmt := e.Node().(ast.Stmt); isStmt && !isBlock {
			above[line(e.Node().Pos())-1] = true
		}
	}
	for _, cg := range file.Comments {
		if isDirective(cg) {
			continue
		}
		start, end := line(cg.Pos()), line(cg.End())
		if (end >= from && start <= to || above[end]) && provenance.StatesDrop(cg.Text()) {
			return true
		}
	}
	return false
}

func isDeferStmt(n ast.Node) bool {
	_, ok := n.(*ast.DeferStmt)
	return ok
}

// isDirective reports a comment group that only addresses tools
// (//failfast:ignore, //nolint, analysistest's "// want").
func isDirective(cg *ast.CommentGroup) bool {
	for _, c := range cg.List {
		if !strings.HasPrefix(c.Text, "//failfast:") && !strings.HasPrefix(c.Text, "//nolint") && !strings.HasPrefix(c.Text, "// want ") {
			return false
		}
	}
	return true
}
