package flow

import (
	"go/ast"
	"go/token"

	"golang.org/x/tools/go/ast/edge"
	"golang.org/x/tools/go/ast/inspector"
)

// EvaluatedBefore reports whether an expression for which match returns
// true is evaluated on every path that reaches the node at cur, before it,
// within the innermost function around cur: in an earlier statement of an
// enclosing block, in the init or condition of an enclosing if, for or
// switch whose body holds cur (for the body of an if or for, every operand
// of a condition a && b; for an else, of a || b), in the range expression
// of an enclosing range loop, or in the left operand of an enclosing && or
// || (every operand of a left operand a && b under &&, of a || b under ||). The
// expression itself must be evaluated unconditionally where it stands: not
// inside a function literal, the right operand of && or ||, or the body of
// an if, loop or switch of its own.
//
// It answers "has this already run?", not "does its value still hold?":
// the caller rules out changes in between.
func EvaluatedBefore(cur inspector.Cursor, match func(ast.Expr) bool) bool {
	child := cur
	for parent := cur.Parent(); ; child, parent = parent, parent.Parent() {
		n := parent.Node()
		if n == nil {
			return false
		}
		var before []ast.Node
		ek, index := child.ParentEdge()
		switch p := n.(type) {
		case *ast.FuncLit, *ast.FuncDecl:
			return false
		case *ast.BlockStmt:
			if ek == edge.BlockStmt_List {
				before = stmts(p.List[:index])
			}
		case *ast.CaseClause:
			if ek == edge.CaseClause_Body {
				before = stmts(p.Body[:index])
			}
		case *ast.CommClause:
			if ek == edge.CommClause_Body {
				before = stmts(p.Body[:index])
			}
		case *ast.IfStmt:
			switch ek {
			case edge.IfStmt_Body:
				before = append(nodes(p.Init), operands(p.Cond, token.LAND)...)
			case edge.IfStmt_Else:
				before = append(nodes(p.Init), operands(p.Cond, token.LOR)...)
			case edge.IfStmt_Cond:
				before = nodes(p.Init)
			}
		case *ast.ForStmt:
			switch ek {
			case edge.ForStmt_Body, edge.ForStmt_Post:
				before = nodes(p.Init)
				if p.Cond != nil {
					before = append(before, operands(p.Cond, token.LAND)...)
				}
			case edge.ForStmt_Cond:
				before = nodes(p.Init)
			}
		case *ast.RangeStmt:
			if ek == edge.RangeStmt_Body {
				before = nodes(p.X)
			}
		case *ast.SwitchStmt:
			switch ek {
			case edge.SwitchStmt_Body:
				before = nodes(p.Init, p.Tag)
			case edge.SwitchStmt_Tag:
				before = nodes(p.Init)
			}
		case *ast.TypeSwitchStmt:
			if ek == edge.TypeSwitchStmt_Body {
				before = nodes(p.Init, p.Assign)
			}
		case *ast.BinaryExpr:
			if ek == edge.BinaryExpr_Y && (p.Op == token.LAND || p.Op == token.LOR) {
				before = operands(p.X, p.Op)
			}
		}
		for _, b := range before {
			if evaluatedIn(parent, b, match) {
				return true
			}
		}
	}
}

// evaluatedIn reports whether b, a child of the node at parent, holds an
// expression match accepts that runs whenever b runs.
func evaluatedIn(parent inspector.Cursor, b ast.Node, match func(ast.Expr) bool) bool {
	bc, ok := parent.FindNode(b)
	if !ok {
		return false
	}
	for c := range bc.Preorder() {
		e, ok := c.Node().(ast.Expr)
		if ok && match(e) && unconditional(c, b) {
			return true
		}
	}
	return false
}

// unconditional reports whether the node at c runs whenever top, one of its
// ancestors, runs.
func unconditional(c inspector.Cursor, top ast.Node) bool {
	for ; c.Node() != top; c = c.Parent() {
		ek, _ := c.ParentEdge()
		switch p := c.Parent().Node().(type) {
		case nil, *ast.FuncLit, *ast.BlockStmt, *ast.CaseClause, *ast.CommClause:
			return false
		case *ast.IfStmt:
			if ek != edge.IfStmt_Init && ek != edge.IfStmt_Cond {
				return false
			}
		case *ast.ForStmt:
			if ek != edge.ForStmt_Init && ek != edge.ForStmt_Cond {
				return false
			}
		case *ast.RangeStmt:
			if ek != edge.RangeStmt_X {
				return false
			}
		case *ast.SwitchStmt:
			if ek != edge.SwitchStmt_Init && ek != edge.SwitchStmt_Tag {
				return false
			}
		case *ast.TypeSwitchStmt, *ast.SelectStmt, *ast.GoStmt, *ast.DeferStmt:
			return false
		case *ast.BinaryExpr:
			if ek == edge.BinaryExpr_Y && (p.Op == token.LAND || p.Op == token.LOR) {
				return false
			}
		}
	}
	return true
}

func stmts(list []ast.Stmt) []ast.Node {
	out := make([]ast.Node, len(list))
	for i, s := range list {
		out[i] = s
	}
	return out
}

// operands returns the operands of the chain e of && (op token.LAND) or ||
// (token.LOR), or e alone when it is no such chain. Each runs whenever
// the chain is known to have come out true (for &&) or false (for ||): in
// the right operand of a && b && c, a and b both ran, and in the body of
// if a && b, so did b.
func operands(e ast.Expr, op token.Token) []ast.Node {
	if be, ok := ast.Unparen(e).(*ast.BinaryExpr); ok && be.Op == op {
		return append(operands(be.X, op), operands(be.Y, op)...)
	}
	return []ast.Node{e}
}

// nodes returns the non-nil nodes among ns (an if without init, a
// switch without tag).
func nodes(ns ...ast.Node) []ast.Node {
	var out []ast.Node
	for _, n := range ns {
		if n != nil {
			out = append(out, n)
		}
	}
	return out
}
