package swallowederror

// This file summarises the package's functions for the rule's callers in
// other packages: nilError for those whose error result is nil on every
// path (a branch on such a call's error never runs), fallsBack for those
// that answer every failure with values they chose for it
// (flow.FailureValues: a caller that logs the error and goes on uses its
// author's fallback, not a broken value).

import (
	"go/ast"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/failfast-dev/failfast/rules/flow"
	"github.com/failfast-dev/failfast/rules/provenance"
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

// hasNilError reports whether fn (its generic origin) has the nilError fact.
func hasNilError(pass *analysis.Pass, fn *types.Func) bool {
	return hasFact(pass, fn, new(nilError))
}

// callsNilError reports whether call calls a function with the nilError
// fact.
// A function of another package without facts (a dependency, seen through
// its export data) is read from its source (provenance.NeverFailsInSource).
func callsNilError(pass *analysis.Pass, call *ast.CallExpr) bool {
	fn, ok := typeutil.Callee(pass.TypesInfo, call).(*types.Func)
	if !ok {
		return false
	}
	return hasNilError(pass, fn) ||
		(fn.Pkg() != nil && fn.Pkg() != pass.Pkg && provenance.NeverFailsInSource(pass.Fset, fn.Origin()))
}

// callFallsBack reports whether call calls a function with the fallsBack
// fact.
func callFallsBack(pass *analysis.Pass, call *ast.CallExpr) bool {
	fn, ok := typeutil.Callee(pass.TypesInfo, call).(*types.Func)
	return ok && hasFact(pass, fn, new(fallsBack))
}

// hasFact reports whether fn (its generic origin) has a fact of fact's
// type, which it fills.
func hasFact(pass *analysis.Pass, fn *types.Func, fact analysis.Fact) bool {
	if pass.ImportObjectFact == nil || fn.Pkg() == nil {
		return false
	}
	return pass.ImportObjectFact(fn.Origin(), fact)
}
