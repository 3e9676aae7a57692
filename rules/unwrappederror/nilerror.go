package unwrappederror

import (
	"go/ast"
	"go/types"

	"golang.org/x/tools/go/analysis"

	"github.com/failfast-dev/failfast/rules/flow"
	"github.com/failfast-dev/failfast/rules/provenance"
	"github.com/failfast-dev/failfast/rules/spec"
)

// nilError is the fact that a function's error result is nil on every
// return of its body (flow.OnlyNilErrors: a literal nil, or a named error
// that nothing sets, returned bare): the
// caller's `if err != nil` branch never runs, so what it does with the
// error loses nothing. Result is the error's position among the results
// (gob needs a field to encode).
type nilError struct{ Result int }

func (*nilError) AFact() {}

func (f *nilError) String() string { return "nilError" }

// exportNilErrors records nilError for the package's functions and returns
// them.
func exportNilErrors(pass *analysis.Pass) map[*types.Func][]int {
	return spec.ExportFuncFacts(pass, func(fn *types.Func, body *ast.BlockStmt) []int {
		if sig := fn.Signature(); flow.OnlyNilErrors(pass.TypesInfo, sig, body, nil) {
			return []int{sig.Results().Len() - 1}
		}
		return nil
	}, func(pos []int) analysis.Fact { return &nilError{Result: pos[0]} })
}

// failsNever reports whether call is to a function whose error is always
// nil (nilError), in this package (own) or another, or one whose error is
// never set in a program that runs (provenance.ErrorNeverSet: documented
// or proved never to fail, or a look-up in the program's own flag table).
func failsNever(pass *analysis.Pass, own map[*types.Func][]int, call *ast.CallExpr) bool {
	if call == nil {
		return false
	}
	if provenance.ErrorNeverSet(pass.TypesInfo, call) {
		return true
	}
	fn := provenance.CalleeFunc(pass.TypesInfo, call)
	if fn == nil {
		return false
	}
	if _, ok := own[fn]; ok {
		return true
	}
	return fn.Pkg() != pass.Pkg && pass.ImportObjectFact != nil && pass.ImportObjectFact(fn, new(nilError))
}
