package discardederror

import (
	"go/ast"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/failfast-dev/failfast/rules/provenance"
)

// neverFails is the fact that a function's error result only ever carries
// nil or the error of a call that never fails (Via is "nil" when it is
// always nil) (a wrapper such as
// `func kill(c *exec.Cmd) error { return syscall.Kill(-c.Process.Pid, syscall.SIGKILL) }`):
// dropping it loses what dropping the wrapped call loses, nothing.
type neverFails struct{ Via string }

func (*neverFails) AFact() {}

func (f *neverFails) String() string { return "neverFails(" + f.Via + ")" }

// exportSummaries exports neverFails for each function of the package
// whose every return gives nil or a never-failing call as its error. It
// repeats until no new fact appears, so that wrappers of wrappers count.
func (ch *checker) exportSummaries(pass *analysis.Pass) {
	if pass.ExportObjectFact == nil || pass.ImportObjectFact == nil {
		return // a driver that carries no facts: no summaries
	}
	for changed := true; changed; {
		changed = false
		for _, f := range pass.Files {
			for _, d := range f.Decls {
				fd, ok := d.(*ast.FuncDecl)
				if !ok || fd.Body == nil {
					continue
				}
				fn, ok := pass.TypesInfo.Defs[fd.Name].(*types.Func)
				if !ok || ch.neverFails(fn) {
					continue
				}
				if via := ch.onlyNeverFailingErrors(fn, fd.Body); via != "" {
					pass.ExportObjectFact(fn, &neverFails{Via: via})
					changed = true
				}
			}
		}
	}
}

// onlyNeverFailingErrors returns the never-failing callee whose error the
// function fn returns, or "nil" when it returns only nil, when every return
// statement of body gives either nil or such a call as fn's error result
// (`func optional(name string) (*Option, error) { return &Option{Name: name}, nil }`);
// it returns "" otherwise.
func (ch *checker) onlyNeverFailingErrors(fn *types.Func, body *ast.BlockStmt) string {
	res := fn.Signature().Results()
	if res.Len() == 0 || !isError(res.At(res.Len()-1).Type()) {
		return ""
	}
	via, ok := "", true
	ast.Inspect(body, func(n ast.Node) bool {
		if !ok {
			return false
		}
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.ReturnStmt:
			if len(n.Results) != res.Len() {
				ok = false // a bare return of named results, or a call's results spread
				return false
			}
			last := ast.Unparen(n.Results[len(n.Results)-1])
			if isNilIdent(last) {
				return false
			}
			call, isCall := last.(*ast.CallExpr)
			if !isCall || !ch.callNeverFails(call) {
				ok = false
				return false
			}
			via = types.ExprString(call.Fun)
			return false
		}
		return true
	})
	if !ok {
		return ""
	}
	if via == "" {
		return "nil"
	}
	return via
}

// callNeverFails reports whether call is on the never-fail list or calls a
// function with the neverFails fact.
func (ch *checker) callNeverFails(call *ast.CallExpr) bool {
	if ch.lists.NeverFail.Has(provenance.CalleeNames(ch.info, call)...) {
		return true
	}
	fn, ok := typeutil.Callee(ch.info, call).(*types.Func)
	return ok && ch.neverFails(fn)
}

// neverFails reports whether fn has the neverFails fact: its own package
// (analysed before this one, or earlier in this pass) proved that its error
// only ever carries a never-failing call's.
func (ch *checker) neverFails(fn *types.Func) bool {
	if ch.pass.ImportObjectFact == nil || fn.Pkg() == nil {
		return false
	}
	return ch.pass.ImportObjectFact(fn, new(neverFails))
}
