package discardederror

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ast/inspector"

	"github.com/failfast-dev/failfast/rules/flow"
)

// reparsed reports whether call, to a parser (the parsers list: the result
// depends on the text alone), repeats a call of the same parser with the
// same arguments that has already run on every path to it and whose error
// was checked, the branch on failure leaving the function or loop
// (`base, err := url.Parse(s); if err != nil { return err }` ...
// `phish, _ := url.Parse(s)`), and no argument variable is assigned in
// between: the same text parsed again cannot fail.
func (ch *checker) reparsed(c inspector.Cursor, call *ast.CallExpr, names []string) bool {
	if !ch.lists.Parsers.Has(names...) {
		return false
	}
	_, _, body, ok := flow.EnclosingFunc(c)
	if !ok || body == nil {
		return false
	}
	checked := ch.checkedCalls(body)
	if len(checked) == 0 {
		return false
	}
	return flow.EvaluatedBefore(c, func(e ast.Expr) bool {
		earlier, ok := ast.Unparen(e).(*ast.CallExpr)
		return ok && checked[earlier] && earlier.End() < call.Pos() &&
			flow.SameExpr(ch.info, earlier.Fun, call.Fun) && ch.sameStableArgs(body, earlier, call)
	})
}

// checkedCalls returns the calls of body assigned with their error to a
// variable that the next statement (or the if whose init assigns it) tests
// against nil in a branch that leaves: `x, err := f(); if err != nil {
// return err }`.
func (ch *checker) checkedCalls(body *ast.BlockStmt) map[*ast.CallExpr]bool {
	out := map[*ast.CallExpr]bool{}
	check := func(assign ast.Stmt, ifs *ast.IfStmt) {
		lhs, call, ok := flow.CallAssignment(assign)
		if !ok || len(lhs) == 0 {
			return
		}
		errID, ok := ast.Unparen(lhs[len(lhs)-1]).(*ast.Ident)
		if !ok || errID.Name == "_" {
			return
		}
		errObj := ch.info.ObjectOf(errID)
		id, ok := flow.ErrNotNil(ch.info, ifs.Cond).(*ast.Ident)
		if !ok || errObj == nil || ch.info.Uses[id] != errObj {
			return
		}
		if flow.Terminates(ch.info, ch.lists, ifs.Body.List) {
			out[call] = true
		}
	}
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.IfStmt:
			if n.Init != nil {
				check(n.Init, n)
			}
		case *ast.BlockStmt:
			for i := 0; i+1 < len(n.List); i++ {
				if ifs, ok := n.List[i+1].(*ast.IfStmt); ok && ifs.Init == nil {
					check(n.List[i], ifs)
				}
			}
		}
		return true
	})
	return out
}

// sameStableArgs reports whether the calls a and b have the same arguments,
// each a constant or a variable that body does not assign between them.
func (ch *checker) sameStableArgs(body *ast.BlockStmt, a, b *ast.CallExpr) bool {
	if len(a.Args) != len(b.Args) || a.Ellipsis.IsValid() || b.Ellipsis.IsValid() {
		return false
	}
	for i, x := range a.Args {
		if !flow.SameExpr(ch.info, x, b.Args[i]) {
			return false
		}
		switch x := ast.Unparen(x).(type) {
		case *ast.BasicLit:
		case *ast.Ident:
			if tv, ok := ch.info.Types[x]; ok && tv.Value != nil {
				continue // a constant
			}
			obj, ok := ch.info.Uses[x].(*types.Var)
			if !ok || assignedBetween(ch.info, body, obj, a.End(), b.Pos()) {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// assignedBetween reports whether body assigns obj, or takes its address,
// between the positions from and to.
func assignedBetween(info *types.Info, body *ast.BlockStmt, obj *types.Var, from, to token.Pos) bool {
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		if found || n == nil || n.End() < from || n.Pos() > to {
			return false
		}
		switch n := n.(type) {
		case *ast.AssignStmt:
			for _, l := range n.Lhs {
				if id, ok := ast.Unparen(l).(*ast.Ident); ok && info.ObjectOf(id) == obj && id.Pos() > from && id.Pos() < to {
					found = true
				}
			}
		case *ast.IncDecStmt:
			if id, ok := ast.Unparen(n.X).(*ast.Ident); ok && info.ObjectOf(id) == obj && id.Pos() > from && id.Pos() < to {
				found = true
			}
		case *ast.UnaryExpr:
			if id, ok := ast.Unparen(n.X).(*ast.Ident); ok && n.Op == token.AND && info.ObjectOf(id) == obj && id.Pos() > from && id.Pos() < to {
				found = true
			}
		}
		return !found
	})
	return found
}
