package fixes

import (
	"errors"
	"go/ast"
	"go/token"
	"go/types"

	"github.com/dave/dst"
	"golang.org/x/tools/go/types/typeutil"
)

const titleNilResult = "Check the result against nil"

// nilResultFix: a nil check of the result right after the call, ending
// the path the way the function's failure paths do (continue in a loop,
// else failContext's branch). The call's value is hoisted into a variable
// first when it was dereferenced at once (f(x).Name). It is safe when the
// check only adds an early exit the function already has the shape for
// (return an error, answer an HTTP request, fail a test, continue a loop),
// unsafe when it panics or exits.
func nilResultFix(t *target) ([]candidate, error) {
	at, ok := findingExpr(t)
	if !ok {
		return nil, errors.New("no expression at the finding")
	}
	x := derefOperand(at)
	if x == nil {
		return nil, errors.New("the finding does not dereference a value")
	}
	var call *ast.CallExpr
	var stmt ast.Stmt
	var name string
	hoist := false
	switch x := ast.Unparen(x).(type) {
	case *ast.CallExpr:
		call, hoist = x, true
		s, err := t.stmtInBlock(x)
		if err != nil {
			return nil, err
		}
		stmt = s
	case *ast.Ident:
		v, ok := t.info.Uses[x].(*types.Var)
		if !ok {
			return nil, errors.New("the dereferenced name is not a variable")
		}
		s, c, ok := lastAssignment(t, v, x.Pos())
		if !ok {
			return nil, errors.New("no assignment of " + x.Name + " from a call before the use")
		}
		if _, err := t.stmtInBlock(s); err != nil {
			return nil, err
		}
		if inBlock(t, s) == nil {
			return nil, errors.New("the assignment of " + x.Name + " is not a statement of a block")
		}
		stmt, call, name = s, c, x.Name
	default:
		return nil, errors.New("the dereferenced value is neither a call nor a variable")
	}
	callee, ok := typeutil.Callee(t.info, call).(*types.Func)
	if !ok {
		return nil, errors.New("the call's function is not known")
	}
	fc, err := t.failContext(stmt)
	if err != nil {
		return nil, err
	}
	// Name what was not found by the result's type (user), else by the
	// function (find).
	what := fixWords(callee.Name()) + ":"
	if n := typeNoun(t.info.TypeOf(call)); n != "" {
		what = n
	}
	fl := failure{format: escapePercent(what) + " not found", what: what + " not found", status: "StatusNotFound"}
	for _, arg := range call.Args {
		if b, ok := under(t.info.TypeOf(arg)).(*types.Basic); ok && b.Info()&types.IsString != 0 && exprOK(arg) {
			fl.format = escapePercent(what) + " %q not found"
			fl.args = []string{t.text(arg)}
			break
		}
	}
	inLoop := loopAround(t, stmt)
	safe := inLoop || !fc.ends()
	return []candidate{{title: titleNilResult, safe: safe, build: func(rw *rewrite) error {
		pos := stmt.Pos()
		branch := "continue"
		if !inLoop {
			b, err := rw.branch(fc, fl, pos)
			if err != nil {
				return err
			}
			branch = b
		}
		if !hoist {
			check, err := parseStmts("if " + name + " == nil {\n" + branch + "\n}")
			if err != nil {
				return err
			}
			return rw.insert(errCheckAfter(t, stmt), true, check...)
		}
		v := rw.fresh(nameFor(t, call, t.info.TypeOf(call)), pos)
		decl, err := hoistCall(rw, stmt, call, v)
		if err != nil {
			return err
		}
		check, err := parseStmts("if " + v + " == nil {\n" + branch + "\n}")
		if err != nil {
			return err
		}
		return rw.insert(stmt, false, append([]dst.Stmt{decl}, check...)...)
	}}}, nil
}

// errCheckAfter returns the statement after which the nil check of what s
// assigns goes: the `if err != nil` that follows s when s also assigns
// that error (the error is tested first), else s.
func errCheckAfter(t *target, s ast.Stmt) ast.Stmt {
	as, ok := s.(*ast.AssignStmt)
	list := inBlock(t, s)
	if !ok || list == nil {
		return s
	}
	i := 0
	for i < len(list) && list[i] != s {
		i++
	}
	if i+1 >= len(list) {
		return s
	}
	next, ok := list[i+1].(*ast.IfStmt)
	if !ok || next.Init != nil {
		return s
	}
	for _, l := range as.Lhs {
		id, ok := l.(*ast.Ident)
		if !ok {
			continue
		}
		if v, ok := t.info.ObjectOf(id).(*types.Var); ok && isErrorType(v.Type()) && mentionsVar(t.info, next.Cond, v) {
			return next
		}
	}
	return s
}

// mentionsVar reports whether e refers to v.
func mentionsVar(info *types.Info, e ast.Expr, v *types.Var) bool {
	found := false
	ast.Inspect(e, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok && info.Uses[id] == v {
			found = true
		}
		return !found
	})
	return found
}

// findingExpr returns the expression that spans the finding exactly.
func findingExpr(t *target) (ast.Expr, bool) {
	for _, n := range t.path {
		if e, ok := n.(ast.Expr); ok && n.Pos() == t.start && n.End() == t.end {
			return e, true
		}
	}
	return nil, false
}

// derefOperand returns the value e dereferences: x of x.f, *x, x(...),
// x[k]; e itself for a channel (the finding of a send is its channel).
func derefOperand(e ast.Expr) ast.Expr {
	switch e := ast.Unparen(e).(type) {
	case *ast.SelectorExpr:
		return e.X
	case *ast.StarExpr:
		return e.X
	case *ast.CallExpr:
		return e.Fun
	case *ast.IndexExpr:
		return e.X
	case *ast.UnaryExpr:
		if e.Op == token.ARROW {
			return e.X
		}
	case *ast.Ident:
		return e
	}
	return nil
}

// lastAssignment returns the last statement before pos, in the function
// around it, that assigns v the result of a call.
func lastAssignment(t *target, v *types.Var, pos token.Pos) (ast.Stmt, *ast.CallExpr, bool) {
	var best ast.Stmt
	var bestCall *ast.CallExpr
	f, err := t.funcAt(t.path[0])
	if err != nil {
		return nil, nil, false
	}
	body := f.body
	if d := f.decl; d != nil {
		body = d.Body
	}
	ast.Inspect(body, func(n ast.Node) bool {
		if n == nil || n.Pos() >= pos {
			return false
		}
		var lhs []ast.Expr
		var rhs []ast.Expr
		switch s := n.(type) {
		case *ast.AssignStmt:
			lhs, rhs = s.Lhs, s.Rhs
		case *ast.DeclStmt:
			gd, ok := s.Decl.(*ast.GenDecl)
			if !ok || len(gd.Specs) != 1 {
				return true
			}
			vs, ok := gd.Specs[0].(*ast.ValueSpec)
			if !ok {
				return true
			}
			for _, id := range vs.Names {
				lhs = append(lhs, id)
			}
			rhs = vs.Values
		default:
			return true
		}
		if len(rhs) != 1 {
			return true
		}
		c, ok := ast.Unparen(rhs[0]).(*ast.CallExpr)
		if !ok {
			return true
		}
		for _, l := range lhs {
			if id, ok := l.(*ast.Ident); ok && t.info.ObjectOf(id) == v {
				best, bestCall = n.(ast.Stmt), c
			}
		}
		return true
	})
	return best, bestCall, best != nil
}

// inBlock returns the statement list that holds s directly, or nil.
func inBlock(t *target, s ast.Stmt) []ast.Stmt {
	path := t.pathTo(s)
	if len(path) < 2 {
		return nil
	}
	switch p := path[1].(type) {
	case *ast.BlockStmt:
		return p.List
	case *ast.CaseClause:
		return p.Body
	case *ast.CommClause:
		return p.Body
	}
	return nil
}

// loopAround reports whether s is in the body of a loop of its own
// function, so that `continue` skips the element.
func loopAround(t *target, s ast.Stmt) bool {
	for _, n := range t.pathTo(s)[1:] {
		switch n.(type) {
		case *ast.ForStmt, *ast.RangeStmt:
			return true
		case *ast.FuncLit, *ast.FuncDecl, *ast.SwitchStmt, *ast.TypeSwitchStmt, *ast.SelectStmt:
			// continue would need a label past a switch or select; a
			// function ends the search.
			return false
		}
	}
	return false
}

// hoistCall replaces call in stmt by the variable name and returns its
// declaration, name := call, for the caller to insert before stmt.
func hoistCall(rw *rewrite, stmt ast.Stmt, call *ast.CallExpr, name string) (dst.Stmt, error) {
	dCall, err := dstAs[dst.Expr](rw, call)
	if err != nil {
		return nil, err
	}
	if err := rw.replaceWithName(stmt, dCall, name); err != nil {
		return nil, err
	}
	dCall.Decorations().Before, dCall.Decorations().After = dst.None, dst.None
	return &dst.AssignStmt{Lhs: []dst.Expr{dst.NewIdent(name)}, Tok: token.DEFINE, Rhs: []dst.Expr{dCall}}, nil
}

// typeNoun names a value of type t in words for a message: *UserRecord →
// "user record"; "" for an unnamed type.
func typeNoun(t types.Type) string {
	if tup, ok := t.(*types.Tuple); ok && tup.Len() > 0 {
		t = tup.At(0).Type()
	}
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	n, ok := types.Unalias(t).(*types.Named)
	if !ok {
		return ""
	}
	return fixWords(n.Obj().Name())
}
