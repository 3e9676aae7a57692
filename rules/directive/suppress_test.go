package directive_test

import (
	"go/ast"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/failfast-dev/failfast/rules/spec"
)

// TestSuppression runs a rule that reports every call statement through
// spec.Reporter, so that what testdata/src/a shows is what every rule gets:
// failfast:ignore on the line or alone above it, and golangci-lint's nolint
// spellings naming every linter, failfast, the rule or its peer linter; and
// what testdata/src/helper shows: nothing inside a function that takes a
// *testing.T, *testing.B, *testing.F or testing.TB.
func TestSuppression(t *testing.T) {
	a := spec.NewAnalyzer("demo-rule", "reports every call statement", nil, func(pass *analysis.Pass, r *spec.Reporter) {
		for file := range r.Files() {
			for c := range file.Preorder((*ast.ExprStmt)(nil)) {
				if _, ok := c.Node().(*ast.ExprStmt).X.(*ast.CallExpr); ok {
					r.Reportf(c.Node(), "call")
				}
			}
		}
	}, "demopeer")
	analysistest.Run(t, analysistest.TestData(), a, "a", "helper")
}
