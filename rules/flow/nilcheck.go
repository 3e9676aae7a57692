package flow

// This file recognizes comparisons with nil, which most rules read: IsNil
// for the predeclared nil itself, ErrCompared and ErrNotNil for the error
// checks built on it (err != nil, c.lastErr == nil).

import (
	"go/ast"
	"go/token"
	"go/types"
	"strings"
)

// IsNil reports whether e, ignoring parentheses, is the identifier nil
// denoting the predeclared nil: info resolves it to a *types.Nil, or does
// not resolve it at all (the type information is partial). An identifier
// nil that a declaration shadows is not the predeclared nil.
//
// If info is nil, IsNil judges by the name alone.
func IsNil(info *types.Info, e ast.Expr) bool {
	id, ok := ast.Unparen(e).(*ast.Ident)
	if !ok || id.Name != "nil" {
		return false
	}
	if info == nil {
		return true
	}
	obj := info.Uses[id]
	_, isNil := obj.(*types.Nil)
	return obj == nil || isNil
}

// NilCompared returns X, with its parentheses removed, when cond, ignoring
// parentheses, is the comparison X op nil or nil op X (as decided by
// IsNil), whatever X is. Otherwise it returns nil.
func NilCompared(info *types.Info, cond ast.Expr, op token.Token) ast.Expr {
	be, ok := ast.Unparen(cond).(*ast.BinaryExpr)
	if !ok || be.Op != op {
		return nil
	}
	x, y := ast.Unparen(be.X), ast.Unparen(be.Y)
	if IsNil(info, x) {
		x, y = y, x
	}
	if !IsNil(info, y) {
		return nil
	}
	return x
}

// ErrCompared returns X, with its parentheses removed, when cond, ignoring
// parentheses, is the comparison X op nil or nil op X (as decided by IsNil)
// and X is an identifier or a selector denoting an error. Otherwise it
// returns nil.
//
// X denotes an error when its type is an interface that implements error:
// error itself, or a named interface such as net.Error that embeds it. When
// the type of X is unknown (info records none or an invalid one, as in code
// with partial type information, or info is nil), X is taken for an error
// when its name, the last component of a selector, ends in "err" or "Err"
// (err, readErr, c.lastErr, resp.Err).
func ErrCompared(info *types.Info, cond ast.Expr, op token.Token) ast.Expr {
	x := NilCompared(info, cond, op)
	var name string
	switch x := x.(type) {
	case *ast.Ident:
		name = x.Name
	case *ast.SelectorExpr:
		name = x.Sel.Name
	default:
		return nil
	}
	var t types.Type
	if info != nil {
		t = info.TypeOf(x)
	}
	if t != nil && t != types.Typ[types.Invalid] {
		if !isErrorInterface(t) {
			return nil
		}
		return x
	}
	// Partial types: judge by the name.
	if strings.HasSuffix(name, "err") || strings.HasSuffix(name, "Err") {
		return x
	}
	return nil
}

// ErrNotNil returns ErrCompared(info, cond, token.NEQ): the error X of the
// check X != nil (or nil != X), or nil when cond is not such a check.
func ErrNotNil(info *types.Info, cond ast.Expr) ast.Expr {
	return ErrCompared(info, cond, token.NEQ)
}

var errorInterface = types.Universe.Lookup("error").Type().Underlying().(*types.Interface)

// isErrorInterface reports whether t is an interface type that implements
// error.
func isErrorInterface(t types.Type) bool {
	if _, ok := t.Underlying().(*types.Interface); !ok {
		return false
	}
	return types.Implements(t, errorInterface)
}
