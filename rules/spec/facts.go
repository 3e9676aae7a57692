package spec

import (
	"go/ast"
	"go/types"
	"iter"

	"golang.org/x/tools/go/analysis"
)

// ExportFuncFacts summarises every function declared with a body in the
// pass's package: summary returns the parameter or result positions a
// rule's fact is about (nil when the function has none), and for each
// function with some, fact wraps them into the fact exported for the
// function, so that importing packages see it too. It returns the
// positions by function, for the package's own calls. In a driver
// without facts nothing is exported and the map is still returned.
func ExportFuncFacts(pass *analysis.Pass, summary func(*types.Func, *ast.BlockStmt) []int, fact func([]int) analysis.Fact) map[*types.Func][]int {
	own := map[*types.Func][]int{}
	for fn, body := range FuncBodies(pass) {
		positions := summary(fn, body)
		if len(positions) == 0 {
			continue
		}
		own[fn] = positions
		if pass.ExportObjectFact != nil {
			pass.ExportObjectFact(fn, fact(positions))
		}
	}
	return own
}

// FuncBodies yields every function and method declared with a body in
// the pass's package, with its body, in the order of the files.
func FuncBodies(pass *analysis.Pass) iter.Seq2[*types.Func, *ast.BlockStmt] {
	return func(yield func(*types.Func, *ast.BlockStmt) bool) {
		for _, f := range pass.Files {
			for _, d := range f.Decls {
				fd, ok := d.(*ast.FuncDecl)
				if !ok || fd.Body == nil {
					continue
				}
				fn, ok := pass.TypesInfo.Defs[fd.Name].(*types.Func)
				if !ok {
					continue
				}
				if !yield(fn, fd.Body) {
					return
				}
			}
		}
	}
}
