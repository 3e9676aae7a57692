package uncheckednilresult

// This file finds the target of errors.As read where As came back false:
// `var dnsErr *net.DNSError; if !errors.As(err, &dnsErr) && !dnsErr.IsNotFound`.
// As leaves its target alone when it finds nothing, so a pointer target
// declared without a value is still nil there.

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"slices"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/failfast-dev/failfast/rules/flow"
	"github.com/failfast-dev/failfast/rules/provenance"
	"github.com/failfast-dev/failfast/rules/spec"
)

// checkAsTarget reports, for the call errors.As(e, &v) at c, the first
// field access or dereference of v where the call is known to have
// returned false (the right operand of `!errors.As(...) &&` or
// `errors.As(...) ||`, the body of `if !errors.As(...)`, the else of `if
// errors.As(...)`), when v is a local pointer variable declared without a
// value that nothing else assigns and no other call fills: v is nil there.
func checkAsTarget(pass *analysis.Pass, r *spec.Reporter, c inspector.Cursor, call *ast.CallExpr) {
	info := pass.TypesInfo
	if len(call.Args) != 2 || !slices.Contains(provenance.CalleeNames(info, call), "errors.As") {
		return
	}
	addr, ok := ast.Unparen(call.Args[1]).(*ast.UnaryExpr)
	if !ok || addr.Op != token.AND {
		return
	}
	id, ok := ast.Unparen(addr.X).(*ast.Ident)
	if !ok {
		return
	}
	v, ok := info.Uses[id].(*types.Var)
	if !ok {
		return
	}
	if _, isPtr := v.Type().Underlying().(*types.Pointer); !isPtr {
		return
	}
	fd, ok := flow.EnclosingFuncDecl(c)
	if !ok || fd.Body == nil || !nilUntilAs(info, fd.Body, v, addr) {
		return
	}
	// In a loop around the call but not around the declaration, an
	// earlier iteration's As may have filled v.
	for l := range c.Enclosing((*ast.ForStmt)(nil), (*ast.RangeStmt)(nil)) {
		if v.Pos() < l.Node().Pos() {
			return
		}
	}
	region := falseRegion(c, call)
	if region == nil {
		return
	}
	var at ast.Expr
	ast.Inspect(region, func(n ast.Node) bool {
		if at != nil {
			return false
		}
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.SelectorExpr:
			if x, ok := ast.Unparen(n.X).(*ast.Ident); ok && info.Uses[x] == v {
				if sel, ok := info.Selections[n]; ok && sel.Kind() == types.FieldVal {
					at = n
				}
			}
		case *ast.StarExpr:
			if x, ok := ast.Unparen(n.X).(*ast.Ident); ok && info.Uses[x] == v {
				at = n
			}
		}
		return at == nil
	})
	if at == nil {
		return
	}
	r.Report(analysis.Diagnostic{
		Pos: at.Pos(), End: at.End(),
		Message: fmt.Sprintf("%s reads the target of %s where errors.As returned false: As leaves %s untouched then, "+
			"so it is still nil and %s panics; read it only where As returned true",
			render(pass.Fset, at), render(pass.Fset, call), id.Name, render(pass.Fset, at)),
		Related: []analysis.RelatedInformation{{Pos: call.Pos(), End: call.End(), Message: "errors.As returned false here"}},
	})
}

// nilUntilAs reports whether v is declared in body without a value (`var
// dnsErr *net.DNSError`), and nothing in body assigns it or takes its
// address but addr, the one errors.As argument.
func nilUntilAs(info *types.Info, body *ast.BlockStmt, v *types.Var, addr *ast.UnaryExpr) bool {
	declared, other := false, false
	is := func(e ast.Expr) bool {
		id, ok := ast.Unparen(e).(*ast.Ident)
		return ok && info.ObjectOf(id) == v
	}
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.ValueSpec:
			for _, name := range n.Names {
				if info.Defs[name] == v {
					declared = len(n.Values) == 0
				}
			}
		case *ast.AssignStmt:
			for _, l := range n.Lhs {
				other = other || is(l)
			}
		case *ast.RangeStmt:
			other = other || (n.Key != nil && is(n.Key)) || (n.Value != nil && is(n.Value))
		case *ast.UnaryExpr:
			other = other || (n != addr && n.Op == token.AND && is(n.X))
		}
		return !other
	})
	return declared && !other
}

// falseRegion returns the node in which the errors.As call at c is known
// to have returned false, or nil.
func falseRegion(c inspector.Cursor, call *ast.CallExpr) ast.Node {
	node := ast.Node(call)
	negated := false
	p := c.Parent()
	for {
		switch n := p.Node().(type) {
		case *ast.ParenExpr:
			node, p = n, p.Parent()
			continue
		case *ast.UnaryExpr:
			if n.Op == token.NOT && !negated {
				node, negated, p = n, true, p.Parent()
				continue
			}
		}
		break
	}
	switch n := p.Node().(type) {
	case *ast.BinaryExpr:
		if n.X != node {
			return nil
		}
		if (n.Op == token.LAND && negated) || (n.Op == token.LOR && !negated) {
			return n.Y
		}
	case *ast.IfStmt:
		if n.Cond != node {
			return nil
		}
		if negated {
			return n.Body
		}
		if n.Else != nil {
			return n.Else
		}
	}
	return nil
}
