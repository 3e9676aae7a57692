package swallowederror

// This file summarises the package's functions that answer every failure
// with values they chose for it (flow.FailureValues): a caller that logs
// the error and goes on uses its author's fallback, not a broken value.

import (
	"go/ast"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/failfast-dev/failfast/rules/flow"
	"github.com/failfast-dev/failfast/rules/spec"
)

// fallsBack is the fact that, with every error it returns, a function
// gives in each of its other results a value it chose for the failure
// (`return []byte(body), err` from a template expander that hands back
// the raw template; `return &Config{Port: 8080}, fmt.Errorf(...)`).
type fallsBack struct{}

func (*fallsBack) AFact() {}

func (*fallsBack) String() string { return "fallsBack" }

// exportFallbacks exports fallsBack for the package's functions that have
// it. It depends on no other fact: one pass.
func exportFallbacks(pass *analysis.Pass) {
	if pass.ExportObjectFact == nil || pass.ImportObjectFact == nil {
		return // a driver that carries no facts: no summaries
	}
	for fn, body := range spec.FuncBodies(pass) {
		sig := fn.Signature()
		if n := sig.Results().Len(); n >= 2 && len(flow.FailureValues(pass.TypesInfo, sig, body)) == n-1 {
			pass.ExportObjectFact(fn, &fallsBack{})
		}
	}
}

// callFallsBack reports whether call calls a function with the fallsBack
// fact.
func callFallsBack(pass *analysis.Pass, call *ast.CallExpr) bool {
	fn, ok := typeutil.Callee(pass.TypesInfo, call).(*types.Func)
	if !ok || pass.ImportObjectFact == nil || fn.Pkg() == nil {
		return false
	}
	return pass.ImportObjectFact(fn.Origin(), new(fallsBack))
}
