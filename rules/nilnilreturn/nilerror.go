package nilnilreturn

// This file summarises the package's functions that build an error and
// may give nil instead: `return nil, describe(body)` is nil, nil whenever
// describe comes back with nil.

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"path/filepath"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/failfast-dev/failfast/rules/flow"
	"github.com/failfast-dev/failfast/rules/spec"
)

// nilErrorPath is the fact that a function whose only result is an error
// returns nil on a path that no nil check of its parameters selects
// (`func GetErrorResponse(body string) error` that returns nil when the
// body does not parse); At is that return's position, "file:line". A
// function that returns nil only for a nil argument (`func wrap(err
// error) error { if err == nil { return nil }; ... }`) has no such path.
type nilErrorPath struct {
	At string
}

func (*nilErrorPath) AFact() {}

func (f *nilErrorPath) String() string { return "nilErrorPath" }

// exportNilErrorPaths exports nilErrorPath for the package's functions
// that have it and returns them, with the position of the nil return.
func exportNilErrorPaths(pass *analysis.Pass) map[*types.Func]string {
	own := map[*types.Func]string{}
	for fn, body := range spec.FuncBodies(pass) {
		at := nilErrorReturn(pass, fn, body)
		if at == "" {
			continue
		}
		own[fn] = at
		if pass.ExportObjectFact != nil {
			pass.ExportObjectFact(fn, &nilErrorPath{At: at})
		}
	}
	return own
}

// nilErrorReturn returns the position of the first `return nil` of fn,
// whose only result is an error, that is not in the branch of a nil check
// of one of its parameters; "" when there is none.
func nilErrorReturn(pass *analysis.Pass, fn *types.Func, body *ast.BlockStmt) string {
	info := pass.TypesInfo
	sig := fn.Signature()
	if sig.Results().Len() != 1 || !types.Identical(sig.Results().At(0).Type(), types.Universe.Lookup("error").Type()) {
		return ""
	}
	params := map[types.Object]bool{}
	for i := range sig.Params().Len() {
		params[sig.Params().At(i)] = true
	}
	if sig.Recv() != nil {
		params[sig.Recv()] = true
	}
	at := ""
	ast.PreorderStack(body, nil, func(n ast.Node, stack []ast.Node) bool {
		if at != "" {
			return false
		}
		switch n := n.(type) {
		case *ast.FuncLit:
			return false // its returns are its own
		case *ast.ReturnStmt:
			if len(n.Results) == 1 && flow.IsNil(info, n.Results[0]) && !underParamNilCheck(info, stack, params) {
				p := pass.Fset.Position(n.Pos())
				at = fmt.Sprintf("%s:%d", filepath.Base(p.Filename), p.Line)
			}
		}
		return true
	})
	return at
}

// underParamNilCheck reports whether an if among stack, the ancestors of
// a return, compares a parameter with nil (`if err == nil`, `if r !=
// nil`): the nil answers a nil argument, or a check of one.
func underParamNilCheck(info *types.Info, stack []ast.Node, params map[types.Object]bool) bool {
	for _, n := range stack {
		ifs, ok := n.(*ast.IfStmt)
		if !ok {
			continue
		}
		for _, op := range []token.Token{token.EQL, token.NEQ} {
			if id, ok := flow.NilCompared(info, ifs.Cond, op).(*ast.Ident); ok && params[info.Uses[id]] {
				return true
			}
		}
	}
	return false
}

// mayGiveNilError returns where the function call calls may return a nil
// error (see nilErrorPath), or "" when it never does or is not known.
func mayGiveNilError(pass *analysis.Pass, own map[*types.Func]string, call *ast.CallExpr) string {
	fn, ok := typeutil.Callee(pass.TypesInfo, call).(*types.Func)
	if !ok {
		return ""
	}
	if at, ok := own[fn]; ok {
		return at
	}
	f := new(nilErrorPath)
	if pass.ImportObjectFact != nil && fn.Pkg() != nil && pass.ImportObjectFact(fn.Origin(), f) {
		return f.At
	}
	return ""
}
