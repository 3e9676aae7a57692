// Package flow answers the control-flow questions failfast's rules share:
// does a block end the function or loop iteration, which function encloses a
// node, (guard.go) is an expression protected by an earlier check,
// (evaluated.go) has an expression already run on every path to a node,
// (nilcheck.go) is an expression the predeclared nil or a condition an
// error's comparison with it, and (failure.go) how a function answers its
// own failures: the values it chooses for them, or a nil error on every
// path.
package flow

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ast/inspector"

	"github.com/failfast-dev/failfast/rules/provenance"
)

// Terminates reports whether the statement list never falls through to the
// statement after it: its last statement returns, panics, exits, or
// branches away (break, continue, goto).
func Terminates(info *types.Info, lists *provenance.Lists, stmts []ast.Stmt) bool {
	return endsWith(stmts, func(call *ast.CallExpr) bool { return lists.IsExit(info, call) })
}

// endsWith reports whether the statement list never falls through to the
// statement after it, a call ending it when exits says so: its last
// statement returns, branches away, is such a call, or is an if with an
// else, a switch or a select each of whose branches ends.
func endsWith(stmts []ast.Stmt, exits func(*ast.CallExpr) bool) bool {
	if len(stmts) == 0 {
		return false
	}
	switch s := stmts[len(stmts)-1].(type) {
	case *ast.ReturnStmt:
		return true
	case *ast.BranchStmt:
		return s.Tok != token.FALLTHROUGH
	case *ast.ExprStmt:
		call, ok := ast.Unparen(s.X).(*ast.CallExpr)
		return ok && exits(call)
	case *ast.BlockStmt:
		return endsWith(s.List, exits)
	case *ast.IfStmt:
		var elseStmts []ast.Stmt
		switch e := s.Else.(type) {
		case nil:
			return false
		case *ast.BlockStmt:
			elseStmts = e.List
		case *ast.IfStmt:
			elseStmts = []ast.Stmt{e}
		}
		return endsWith(s.Body.List, exits) && endsWith(elseStmts, exits)
	case *ast.SwitchStmt, *ast.TypeSwitchStmt, *ast.SelectStmt:
		return clausesEnd(s, func(body []ast.Stmt) bool { return endsWith(body, exits) })
	}
	return false
}

// clausesEnd reports whether the switch, type switch or select st never
// falls through to the statement after it, each clause's body judged by
// ends: a switch needs a default clause, and no clause may end in an
// unlabelled break (it leaves the statement, to what follows it) or in a
// fallthrough. A select without clauses blocks for ever.
func clausesEnd(st ast.Stmt, ends func([]ast.Stmt) bool) bool {
	var body *ast.BlockStmt
	needDefault := true
	switch s := st.(type) {
	case *ast.SwitchStmt:
		body = s.Body
	case *ast.TypeSwitchStmt:
		body = s.Body
	case *ast.SelectStmt:
		body, needDefault = s.Body, false
	default:
		return false
	}
	hasDefault := false
	for _, cl := range body.List {
		var stmts []ast.Stmt
		switch cl := cl.(type) {
		case *ast.CaseClause:
			stmts, hasDefault = cl.Body, hasDefault || cl.List == nil
		case *ast.CommClause:
			stmts = cl.Body
		}
		if len(stmts) == 0 || !ends(stmts) {
			return false
		}
		if b, ok := stmts[len(stmts)-1].(*ast.BranchStmt); ok && (b.Tok == token.BREAK && b.Label == nil || b.Tok == token.FALLTHROUGH) {
			return false
		}
	}
	return hasDefault || !needDefault
}

// EnclosingFunc returns the innermost function (declaration or literal)
// around c, its type, and its body; ok is false at package level.
func EnclosingFunc(c inspector.Cursor) (fn ast.Node, typ *ast.FuncType, body *ast.BlockStmt, ok bool) {
	for e := range c.Enclosing((*ast.FuncDecl)(nil), (*ast.FuncLit)(nil)) {
		switch f := e.Node().(type) {
		case *ast.FuncDecl:
			return f, f.Type, f.Body, true
		case *ast.FuncLit:
			return f, f.Type, f.Body, true
		}
	}
	return nil, nil, nil, false
}

// DocumentedDrop reports whether the doc comment of the function around c
// (the innermost function) says that it drops errors as part of its
// contract ("Glob ignores file system errors", "StringToBool converts a
// string to a boolean ignoring errors"): the author said so, for every
// drop in it. A function literal's doc comment is the comment that ends on
// the line just above the element, assignment or declaration holding it
// (`// toDate parses s, returning zero time on failure.` above
// `"toDate": func(layout, s string) time.Time { ... }` in a function map).
func DocumentedDrop(fset *token.FileSet, c inspector.Cursor) bool {
	fn, _, _, ok := EnclosingFunc(c)
	if !ok {
		return false
	}
	switch fn := fn.(type) {
	case *ast.FuncDecl:
		return fn.Doc != nil && provenance.StatesDrop(fn.Doc.Text())
	case *ast.FuncLit:
		var lit inspector.Cursor
		for e := range c.Enclosing((*ast.FuncLit)(nil)) {
			lit = e // the innermost, fn
			break
		}
		holder := lit.Parent()
		switch holder.Node().(type) {
		case *ast.KeyValueExpr, *ast.AssignStmt, *ast.ValueSpec:
		default:
			return false
		}
		var file *ast.File
		for e := range c.Enclosing((*ast.File)(nil)) {
			file, _ = e.Node().(*ast.File)
		}
		if file == nil || fset == nil {
			return false
		}
		line := fset.Position(holder.Node().Pos()).Line
		for _, cg := range file.Comments {
			if fset.Position(cg.End()).Line == line-1 {
				return provenance.StatesDrop(cg.Text())
			}
		}
	}
	return false
}

// OutermostFunc returns the outermost function around c (a declaration,
// or a function literal outside any declaration) and its body, where the
// variables a closure uses are defined; nil outside functions.
func OutermostFunc(c inspector.Cursor) (fn ast.Node, body *ast.BlockStmt) {
	for e := range c.Enclosing((*ast.FuncDecl)(nil), (*ast.FuncLit)(nil)) {
		switch f := e.Node().(type) {
		case *ast.FuncDecl:
			fn, body = f, f.Body
		case *ast.FuncLit:
			fn, body = f, f.Body
		}
	}
	return fn, body
}

// CallAssignment returns the left-hand side and the call of a statement that
// assigns or declares the results of a single call: "x, err := f()",
// "err = f()", "var x, err = f()". ok is false for anything else.
func CallAssignment(s ast.Stmt) (lhs []ast.Expr, call *ast.CallExpr, ok bool) {
	var rhs []ast.Expr
	switch s := s.(type) {
	case *ast.AssignStmt:
		lhs, rhs = s.Lhs, s.Rhs
	case *ast.DeclStmt:
		gd, isGen := s.Decl.(*ast.GenDecl)
		if !isGen || len(gd.Specs) != 1 {
			return nil, nil, false
		}
		vs, isValue := gd.Specs[0].(*ast.ValueSpec)
		if !isValue {
			return nil, nil, false
		}
		for _, n := range vs.Names {
			lhs = append(lhs, n)
		}
		rhs = vs.Values
	default:
		return nil, nil, false
	}
	if len(rhs) != 1 {
		return nil, nil, false
	}
	call, ok = ast.Unparen(rhs[0]).(*ast.CallExpr)
	return lhs, call, ok
}

// StmtList returns the statement list that holds the statement at cur (a
// block's, a case clause's or a select clause's) and the statement's index
// in it; nil and -1 when cur is not in a statement list (an if's init, a
// function body's parent).
func StmtList(cur inspector.Cursor) ([]ast.Stmt, int) {
	var list []ast.Stmt
	switch p := cur.Parent().Node().(type) {
	case *ast.BlockStmt:
		list = p.List
	case *ast.CaseClause:
		list = p.Body
	case *ast.CommClause:
		list = p.Body
	default:
		return nil, -1
	}
	for i, s := range list {
		if s == cur.Node() {
			return list, i
		}
	}
	return nil, -1
}

// Find returns the cursor of n, a node of the tree under c. It descends by
// position (Cursor.FindByPos), so that finding a function of a large
// package does not visit every node before it the way Cursor.FindNode
// does; a node whose position does not locate it is looked for node by
// node.
func Find(c inspector.Cursor, n ast.Node) (inspector.Cursor, bool) {
	if n.Pos().IsValid() && n.Pos() <= n.End() {
		if at, ok := c.FindByPos(n.Pos(), n.End()); ok {
			// at is n, or a descendant spanning the same range (the
			// call of an ExprStmt).
			for cur := at; cur.Node() != nil; cur = cur.Parent() {
				if cur.Node() == n {
					return cur, true
				}
				if cur.Node().Pos() < n.Pos() || cur.Node().End() > n.End() {
					break
				}
			}
		}
	}
	return c.FindNode(n)
}

// FilledArgs returns the variables whose address call is passed (&v) and
// that the call fills: v is not read in body between its declaration (or
// the last assignment of a whole value to it) and the call, so what it
// holds after the call is the call's work alone
// (`var cfg Config; json.NewDecoder(f).Decode(&cfg)`, `rows.Scan(&id)`).
// A variable the function has already read before the call held data of
// its own; the call takes it in (`u.LastLogin = now; PutUser(&u)` after
// `u.Hash` was checked), and a failed call leaves what was there. Writes
// do not count as reads: an assignment to v or to one of its fields or
// elements, and its address passed on (`&v.Name` to a flag).
func FilledArgs(info *types.Info, body ast.Node, call *ast.CallExpr) []types.Object {
	var outs []types.Object
	for _, a := range call.Args {
		u, ok := ast.Unparen(a).(*ast.UnaryExpr)
		if !ok || u.Op != token.AND {
			continue
		}
		id, ok := ast.Unparen(u.X).(*ast.Ident)
		if !ok {
			continue
		}
		obj := info.ObjectOf(id)
		if obj == nil {
			continue
		}
		if body == nil || !readBefore(info, body, obj, call.Pos()) {
			outs = append(outs, obj)
		}
	}
	return outs
}

// readBefore reports whether body reads obj before pos, since its
// declaration or the last assignment of a whole new value to it before pos
// (`p = Page{}` starts afresh): a use that is not the root of an
// assignment's left-hand side (v, v.F, v[i]) and not the operand of &.
func readBefore(info *types.Info, body ast.Node, obj types.Object, pos token.Pos) bool {
	start := obj.Pos()
	ast.Inspect(body, func(n ast.Node) bool {
		if n == nil || n.Pos() >= pos {
			return false
		}
		if as, ok := n.(*ast.AssignStmt); ok && as.End() < pos {
			for _, l := range as.Lhs {
				if id, ok := ast.Unparen(l).(*ast.Ident); ok && info.ObjectOf(id) == obj && as.End() > start {
					start = as.End()
				}
			}
		}
		return true
	})
	writes := map[*ast.Ident]bool{}
	read := false
	ast.Inspect(body, func(n ast.Node) bool {
		if read || n == nil || n.Pos() >= pos {
			return false
		}
		switch n := n.(type) {
		case *ast.AssignStmt:
			for _, l := range n.Lhs {
				if id := RootIdent(l); id != nil {
					writes[id] = true
				}
			}
		case *ast.UnaryExpr:
			if n.Op == token.AND {
				if id := RootIdent(n.X); id != nil {
					writes[id] = true
				}
			}
		case *ast.Ident:
			if !writes[n] && n.Pos() > start && info.Uses[n] == obj {
				read = true
			}
		}
		return !read
	})
	return read
}

// RootIdent returns the variable at the root of v, v.F, v[i] or *v; nil
// for any other expression.
func RootIdent(e ast.Expr) *ast.Ident {
	for {
		switch x := ast.Unparen(e).(type) {
		case *ast.Ident:
			return x
		case *ast.SelectorExpr:
			e = x.X
		case *ast.IndexExpr:
			e = x.X
		case *ast.StarExpr:
			e = x.X
		default:
			return nil
		}
	}
}
