package uncheckednilresult

// This file summarises the package's boolean methods that answer true
// for a nil receiver (`func (d *Diff) Empty() bool { return d == nil ||
// ... }`): where such a call is false, its receiver is not nil, so a use
// on the right of `d.Empty() ||`, or under `if !d.Empty()`, is guarded.

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/types/typeutil"

	"github.com/failfast-dev/failfast/rules/flow"
)

// trueOnNil is the fact that a pointer-receiver method with one boolean
// result gives true for a nil receiver: its body begins with `return recv
// == nil || ...` or with `if recv == nil { return true }`.
type trueOnNil struct{}

func (*trueOnNil) AFact() {}

func (*trueOnNil) String() string { return "trueOnNil" }

// trueOnNil reports whether fn, a method of this package, has the shape
// of the trueOnNil fact.
func (s *summaries) trueOnNil(fn *types.Func) bool {
	decl, own := s.decls[fn]
	sig := fn.Signature()
	if !own || sig.Recv() == nil || sig.Results().Len() != 1 || len(decl.Body.List) == 0 {
		return false
	}
	if b, ok := sig.Results().At(0).Type().Underlying().(*types.Basic); !ok || b.Kind() != types.Bool {
		return false
	}
	if _, ok := sig.Recv().Type().Underlying().(*types.Pointer); !ok {
		return false
	}
	info := s.pass.TypesInfo
	isRecvNil := func(e ast.Expr) bool {
		id, ok := flow.NilCompared(info, e, token.EQL).(*ast.Ident)
		return ok && info.Uses[id] == sig.Recv()
	}
	switch first := decl.Body.List[0].(type) {
	case *ast.ReturnStmt:
		// return d == nil || ...: the first operand of the || chain.
		if len(first.Results) != 1 {
			return false // a bare return of a named result
		}
		e := ast.Unparen(first.Results[0])
		for {
			b, ok := e.(*ast.BinaryExpr)
			if !ok || b.Op != token.LOR {
				break
			}
			e = ast.Unparen(b.X)
		}
		return isRecvNil(e)
	case *ast.IfStmt:
		if first.Init != nil || !isRecvNil(first.Cond) || len(first.Body.List) != 1 {
			return false
		}
		ret, ok := first.Body.List[0].(*ast.ReturnStmt)
		if !ok || len(ret.Results) != 1 {
			return false
		}
		tv, ok := info.Types[ret.Results[0]]
		return ok && tv.Value != nil && tv.Value.String() == "true"
	}
	return false
}

// hasTrueOnNil reports whether fn answers true for a nil receiver: by
// its own code in this package, or by its fact.
func (s *summaries) hasTrueOnNil(fn *types.Func) bool {
	fn = fn.Origin()
	if _, own := s.decls[fn]; own {
		return s.trueOnNil(fn)
	}
	return s.pass.ImportObjectFact != nil && s.pass.ImportObjectFact(fn, new(trueOnNil))
}

// falseOnlyIfNonNil returns a Holds for the fact "the value same accepts
// is not nil": cond is a call of a trueOnNil method on it (`d.Empty()`),
// known false.
func (s *summaries) falseOnlyIfNonNil(same func(ast.Expr) bool) flow.Holds {
	return func(cond ast.Expr, truth bool) bool {
		call, ok := ast.Unparen(cond).(*ast.CallExpr)
		if !ok || truth || len(call.Args) != 0 {
			return false
		}
		sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
		if !ok || !same(sel.X) {
			return false
		}
		fn, ok := typeutil.Callee(s.pass.TypesInfo, call).(*types.Func)
		return ok && s.hasTrueOnNil(fn)
	}
}
