package unwrappederror

import (
	"fmt"
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"

	"github.com/failfast-dev/failfast/rules/flow"
	"github.com/failfast-dev/failfast/rules/provenance"
	"github.com/failfast-dev/failfast/rules/spec"
)

// inputError is the fact that a function of the module fails only the way
// a pure parser does: every error it returns is nil or a fresh error
// (errors.New, or fmt.Errorf without %w) whose text is made of constants
// and of the text parameters at Params (`fmt.Errorf("didn't find backend
// called %q", name)`). Such an error has no identity a caller could test
// and says nothing but a fixed reason and the input. It is exported for
// every such function, so that callers in importing packages see it too.
type inputError struct {
	Params []int // parameter positions, the receiver not counted
}

func (*inputError) AFact() {}

func (f *inputError) String() string { return fmt.Sprintf("inputError%v", f.Params) }

// exportFacts records inputError for the package's functions that fail
// only with errors about their input, and returns them.
func exportFacts(pass *analysis.Pass) map[*types.Func][]int {
	return spec.ExportFuncFacts(pass, func(fn *types.Func, body *ast.BlockStmt) []int {
		params, ok := inputErrors(pass.TypesInfo, fn, body)
		if !ok {
			return nil
		}
		return params
	}, func(params []int) analysis.Fact { return &inputError{Params: params} })
}

// inputErrors returns the text parameters that fn's errors are made of,
// when every return statement of body (function literals aside) returns
// as its error nil or a fresh error of constants and parameters of basic
// type, and at least one names a parameter.
func inputErrors(info *types.Info, fn *types.Func, body *ast.BlockStmt) ([]int, bool) {
	sig, ok := fn.Type().(*types.Signature)
	if !ok || sig.Results().Len() == 0 || !isErrorType(sig.Results().At(sig.Results().Len()-1).Type()) {
		return nil, false
	}
	index := map[types.Object]int{}
	for i := range sig.Params().Len() {
		p := sig.Params().At(i)
		if _, ok := p.Type().Underlying().(*types.Basic); ok {
			index[p] = i
		}
	}
	used := map[int]bool{}
	ok = true
	ast.Inspect(body, func(n ast.Node) bool {
		if !ok {
			return false
		}
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.ReturnStmt:
			if len(n.Results) != sig.Results().Len() {
				ok = false // a bare return, or return f()
				return false
			}
			ok = freshInputError(info, n.Results[len(n.Results)-1], index, used)
		}
		return true
	})
	if !ok || len(used) == 0 {
		return nil, false
	}
	var params []int
	for i := range sig.Params().Len() {
		if used[i] {
			params = append(params, i)
		}
	}
	return params, true
}

// freshInputError reports whether e is nil or a fresh error made of
// constants and the parameters in index, recording the parameters used.
func freshInputError(info *types.Info, e ast.Expr, index map[types.Object]int, used map[int]bool) bool {
	e = ast.Unparen(e)
	if flow.IsNil(info, e) {
		return true
	}
	call, ok := e.(*ast.CallExpr)
	if !ok {
		return false
	}
	switch calleeName(info, call) {
	case "errors.New":
		return len(call.Args) == 1 && textOf(info, call.Args[0], index, used)
	case "fmt.Errorf":
		if len(call.Args) == 0 || wraps(info, call) {
			return false
		}
		if _, ok := constString(info, call.Args[0]); !ok {
			return false
		}
		for _, a := range call.Args[1:] {
			if !textOf(info, a, index, used) {
				return false
			}
		}
		return true
	}
	return false
}

// textOf reports whether e is a constant, a parameter in index, or a
// concatenation of those.
func textOf(info *types.Info, e ast.Expr, index map[types.Object]int, used map[int]bool) bool {
	e = ast.Unparen(e)
	if tv, ok := info.Types[e]; ok && tv.Value != nil && tv.Value.Kind() != constant.Unknown {
		return true
	}
	switch e := e.(type) {
	case *ast.Ident:
		i, ok := index[info.Uses[e]]
		if ok {
			used[i] = true
		}
		return ok
	case *ast.BinaryExpr:
		return e.Op == token.ADD && textOf(info, e.X, index, used) && textOf(info, e.Y, index, used)
	}
	return false
}

func isErrorType(t types.Type) bool {
	return types.Identical(t, types.Universe.Lookup("error").Type())
}

// inputArgs returns the arguments of call that the callee's errors are
// made of, when the callee is a function of the module with the
// inputError fact, or nil.
func inputArgs(pass *analysis.Pass, own map[*types.Func][]int, call *ast.CallExpr) []ast.Expr {
	fn := provenance.CalleeFunc(pass.TypesInfo, call)
	if fn == nil {
		return nil
	}
	params, ok := own[fn]
	if !ok && fn.Pkg() != pass.Pkg && pass.ImportObjectFact != nil {
		var fact inputError
		if pass.ImportObjectFact(fn, &fact) {
			params, ok = fact.Params, true
		}
	}
	if !ok {
		return nil
	}
	var args []ast.Expr
	for _, i := range params {
		if i < len(call.Args) {
			args = append(args, call.Args[i])
		}
	}
	return args
}
