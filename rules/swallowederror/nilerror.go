package swallowederror

// This file summarises the package's functions whose error result is nil
// on every path: a branch on such a call's error never runs.

import (
	"go/ast"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/failfast-dev/failfast/rules/flow"
	"github.com/failfast-dev/failfast/rules/spec"
)

// nilError is the fact that a function's last result, an error, is nil
// on every return: each return gives the identifier nil or a call of a
// function with this fact there, and a named error result, returned bare,
// is set by nothing (`func Globs(...) ([]string, error)` that skips every
// failing pattern and ends in `return keys, nil`).
type nilError struct{}

func (*nilError) AFact() {}

func (*nilError) String() string { return "nilError" }

// exportNilErrors exports nilError for the package's functions that have
// it, repeating until no new one appears (wrappers of wrappers).
func exportNilErrors(pass *analysis.Pass) {
	if pass.ExportObjectFact == nil || pass.ImportObjectFact == nil {
		return // a driver that carries no facts: no summaries
	}
	for changed := true; changed; {
		changed = false
		for fn, body := range spec.FuncBodies(pass) {
			if !hasNilError(pass, fn) && flow.OnlyNilErrors(pass.TypesInfo, fn.Signature(), body, func(call *ast.CallExpr) bool { return callsNilError(pass, call) }) {
				pass.ExportObjectFact(fn, &nilError{})
				changed = true
			}
		}
	}
}

// hasNilError reports whether fn (its generic origin) has the nilError fact.
func hasNilError(pass *analysis.Pass, fn *types.Func) bool {
	if pass.ImportObjectFact == nil || fn.Pkg() == nil {
		return false
	}
	return pass.ImportObjectFact(fn.Origin(), new(nilError))
}

// callsNilError reports whether call calls a function with the nilError
// fact.
func callsNilError(pass *analysis.Pass, call *ast.CallExpr) bool {
	fn, ok := typeutil.Callee(pass.TypesInfo, call).(*types.Func)
	return ok && hasNilError(pass, fn)
}
