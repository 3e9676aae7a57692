package flow

// This file reads how a function answers its own failures: NewError for
// the calls that make a fresh error, FailureValues for the results that
// every failing return fills with a value its author chose.

import (
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"

	"github.com/failfast-dev/failfast/rules/provenance"
)

// newErrorFuncs make a new, non-nil error.
var newErrorFuncs = provenance.Set(map[string]bool{"fmt.Errorf": true, "errors.New": true})

// NewError reports whether call makes a new error, never nil: fmt.Errorf
// or errors.New.
func NewError(info *types.Info, call *ast.CallExpr) bool {
	return newErrorFuncs.Has(provenance.CalleeNames(info, call)...)
}

// FailureValues returns the indexes of the results of the function with
// signature sig and body body that every return of a failure fills with a
// value chosen for the failure, not the zero value a failure leaves: a
// value made on the spot that is not its type's zero value (`new(T)`,
// `&T{...}`, a composite literal with elements, a made map, slice or
// channel, a constant other than zero, "" and false), or a parameter the
// body never assigns, as it is or converted (`return []byte(body), err`:
// the caller's own input, handed back). A return of a failure is one whose
// error is a new error (NewError) or a variable that the condition of an
// enclosing if tests against nil (`if err != nil { return x, err }`).
//
// It returns none when the last result is not an error, when the function
// never fails in view, when a return gives its results by a bare return or
// a call's, or when one returns an error that may be nil (`return true,
// os.WriteFile(...)`: its values are the answer either way). Function
// literals in body are not read.
func FailureValues(info *types.Info, sig *types.Signature, body *ast.BlockStmt) []int {
	res := sig.Results()
	n := res.Len()
	if n < 2 || !types.Identical(res.At(n-1).Type(), types.Universe.Lookup("error").Type()) {
		return nil
	}
	every := make([]bool, n-1)
	for i := range every {
		every[i] = true
	}
	failures, ok := 0, true
	var conds []ast.Expr // the conditions of the ifs whose bodies enclose the node
	var visit func(node ast.Node) bool
	visit = func(node ast.Node) bool {
		switch node := node.(type) {
		case *ast.FuncLit:
			return false
		case *ast.IfStmt:
			if node.Init != nil {
				ast.Inspect(node.Init, visit)
			}
			ast.Inspect(node.Cond, visit)
			conds = append(conds, node.Cond)
			ast.Inspect(node.Body, visit)
			conds = conds[:len(conds)-1]
			if node.Else != nil {
				ast.Inspect(node.Else, visit)
			}
			return false
		case *ast.ReturnStmt:
			if len(node.Results) != n {
				ok = false
				return false
			}
			last := node.Results[n-1]
			if IsNil(info, last) {
				return false
			}
			if !failure(info, last, conds) {
				ok = false
				return false
			}
			failures++
			for i := range every {
				every[i] = every[i] && chosen(info, sig, body, node.Results[i])
			}
		}
		return ok
	}
	ast.Inspect(body, visit)
	if !ok || failures == 0 {
		return nil
	}
	var out []int
	for i, b := range every {
		if b {
			out = append(out, i)
		}
	}
	return out
}

// failure reports whether the returned error e is known not to be nil: a
// new error, or a variable that the condition of an enclosing if tests
// against nil.
func failure(info *types.Info, e ast.Expr, conds []ast.Expr) bool {
	e = ast.Unparen(e)
	if call, ok := e.(*ast.CallExpr); ok {
		return NewError(info, call)
	}
	id, ok := e.(*ast.Ident)
	if !ok || info.ObjectOf(id) == nil {
		return false
	}
	for _, c := range conds {
		if x := ErrCompared(info, c, token.NEQ); x != nil {
			if xid, isIdent := x.(*ast.Ident); isIdent && info.ObjectOf(xid) == info.ObjectOf(id) {
				return true
			}
		}
	}
	return false
}

// chosen reports whether the returned value e is one its author chose for
// a failure (see FailureValues).
func chosen(info *types.Info, sig *types.Signature, body *ast.BlockStmt, e ast.Expr) bool {
	e = ast.Unparen(e)
	switch x := e.(type) {
	case *ast.UnaryExpr:
		_, lit := ast.Unparen(x.X).(*ast.CompositeLit)
		return x.Op == token.AND && lit
	case *ast.CompositeLit:
		return len(x.Elts) > 0
	case *ast.CallExpr:
		if tv, isType := info.Types[x.Fun]; isType && tv.IsType() && len(x.Args) == 1 {
			return UnsetParam(info, sig, body, x.Args[0]) >= 0 // a conversion of the caller's input
		}
		id, isIdent := ast.Unparen(x.Fun).(*ast.Ident)
		if !isIdent {
			return false
		}
		_, builtin := info.Uses[id].(*types.Builtin)
		return builtin && (id.Name == "new" || id.Name == "make")
	case *ast.Ident:
		if UnsetParam(info, sig, body, x) >= 0 {
			return true
		}
	}
	if tv, ok := info.Types[e]; ok && tv.Value != nil {
		switch tv.Value.Kind() {
		case constant.String:
			return constant.StringVal(tv.Value) != ""
		case constant.Bool:
			return constant.BoolVal(tv.Value)
		case constant.Int, constant.Float:
			return constant.Sign(tv.Value) != 0
		}
	}
	return false
}

// UnsetParam returns the index of the parameter of sig that e (an
// identifier, parentheses aside) names, when body never assigns it, or -1.
func UnsetParam(info *types.Info, sig *types.Signature, body *ast.BlockStmt, e ast.Expr) int {
	id, ok := ast.Unparen(e).(*ast.Ident)
	if !ok {
		return -1
	}
	v, ok := info.Uses[id].(*types.Var)
	if !ok {
		return -1
	}
	for i := range sig.Params().Len() {
		if sig.Params().At(i) == v {
			if SetsVar(info, body, v) {
				return -1
			}
			return i
		}
	}
	return -1
}

// OnlyNilErrors reports whether the function with signature sig and body
// body returns an error last and gives nil as it on every return: the
// identifier nil, a call that nilCall accepts (a function known to return
// only nil errors; nilCall may be nil), or, by a bare return, a named
// error result that nothing in the body sets. A named error result set
// anywhere, also by a function literal (a deferred recover handler), may
// be set after any return, so such a function does not qualify; nor does
// one without a return (it panics or loops) or one that spreads a call's
// results. Function literals in body are not read otherwise.
func OnlyNilErrors(info *types.Info, sig *types.Signature, body *ast.BlockStmt, nilCall func(*ast.CallExpr) bool) bool {
	res := sig.Results()
	if res.Len() == 0 || !types.Identical(res.At(res.Len()-1).Type(), types.Universe.Lookup("error").Type()) {
		return false
	}
	named := res.At(res.Len() - 1)
	if named.Name() != "" && named.Name() != "_" && SetsVar(info, body, named) {
		return false // set somewhere, perhaps by a deferred recover
	}
	ok, returns := true, 0
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.ReturnStmt:
			returns++
			switch {
			case len(n.Results) == 0:
				// A bare return of the named error nothing sets: nil.
				ok = ok && named.Name() != ""
			case len(n.Results) == res.Len():
				last := ast.Unparen(n.Results[len(n.Results)-1])
				call, isCall := last.(*ast.CallExpr)
				ok = ok && (IsNil(info, last) || isCall && nilCall != nil && nilCall(call))
			default:
				ok = false // the results of a call, spread
			}
		}
		return ok
	})
	return ok && returns > 0
}
