package discardederror

import (
	"fmt"
	"go/ast"
	"go/types"
	"slices"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/failfast-dev/failfast/rules/provenance"
)

// neverFails is the fact that a function's error result only ever carries
// nil or the error of a call that never fails (Via is "nil" when it is
// always nil) (a wrapper such as
// `func kill(c *exec.Cmd) error { return syscall.Kill(-c.Process.Pid, syscall.SIGKILL) }`):
// dropping it loses what dropping the wrapped call loses, nothing.
//
// With Through, the function may also return the errors of calls of its
// function parameters at those indexes, and nothing else (an iteration
// helper, `func (m *set) Each(fn func(K) error) error`): a call of it never
// fails when each such argument is a callback that only returns nil.
type neverFails struct {
	Via     string
	Through []int
}

func (*neverFails) AFact() {}

func (f *neverFails) String() string {
	if len(f.Through) > 0 {
		return fmt.Sprintf("neverFails(%s, through %v)", f.Via, f.Through)
	}
	return "neverFails(" + f.Via + ")"
}

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
				if !ok || ch.neverFailsFact(fn) != nil {
					continue
				}
				if via, through := ch.onlyNeverFailingErrors(fn, fd.Body); via != "" {
					pass.ExportObjectFact(fn, &neverFails{Via: via, Through: through})
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
// it returns "" otherwise. An error that comes from a call of one of fn's
// function parameters (`if err := fn(k); err != nil { return err }`,
// `return fn(k)`) is allowed too, and through lists those parameters.
func (ch *checker) onlyNeverFailingErrors(fn *types.Func, body *ast.BlockStmt) (string, []int) {
	sig := fn.Signature()
	res := sig.Results()
	if res.Len() == 0 || !isError(res.At(res.Len()-1).Type()) {
		return "", nil
	}
	var through []int
	param := func(call *ast.CallExpr) bool {
		id, ok := ast.Unparen(call.Fun).(*ast.Ident)
		if !ok {
			return false
		}
		for i := range sig.Params().Len() {
			if p := sig.Params().At(i); ch.info.Uses[id] == p {
				if _, isFunc := p.Type().Underlying().(*types.Signature); isFunc && !slices.Contains(through, i) {
					through = append(through, i)
				}
				return true
			}
		}
		return false
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
			if id, isIdent := last.(*ast.Ident); isIdent && ch.onlyFromParams(body, id, param) {
				return false
			}
			call, isCall := last.(*ast.CallExpr)
			if isCall && param(call) {
				return false
			}
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
		return "", nil
	}
	if via == "" {
		via = "nil"
	}
	return via, through
}

// onlyFromParams reports whether the local variable id is only ever
// assigned, in body, the single result of a call that param accepts (a
// call of a function parameter): `if err := fn(k); err != nil { return err }`.
func (ch *checker) onlyFromParams(body *ast.BlockStmt, id *ast.Ident, param func(*ast.CallExpr) bool) bool {
	v, ok := ch.info.Uses[id].(*types.Var)
	if !ok || v.Pos() < body.Pos() || v.Pos() >= body.End() {
		return false
	}
	found, only := false, true
	ast.Inspect(body, func(n ast.Node) bool {
		as, isAssign := n.(*ast.AssignStmt)
		if !isAssign || !only {
			return only
		}
		for i, l := range as.Lhs {
			lid, isIdent := ast.Unparen(l).(*ast.Ident)
			if !isIdent || ch.info.ObjectOf(lid) != v {
				continue
			}
			call, isCall := ast.Unparen(as.Rhs[min(i, len(as.Rhs)-1)]).(*ast.CallExpr)
			if len(as.Lhs) != len(as.Rhs) || !isCall || !param(call) {
				only = false
				return false
			}
			found = true
		}
		return true
	})
	return found && only
}

// callNeverFails reports whether call is on the never-fail list or calls a
// function with the neverFails fact.
func (ch *checker) callNeverFails(call *ast.CallExpr) bool {
	if ch.lists.NeverFail.Has(provenance.CalleeNames(ch.info, call)...) {
		return true
	}
	fn, ok := typeutil.Callee(ch.info, call).(*types.Func)
	if !ok {
		return false
	}
	f := ch.neverFailsFact(fn)
	if f == nil {
		return false
	}
	for _, i := range f.Through {
		if i >= len(call.Args) || !ch.quietCallback(call.Args[i]) {
			return false
		}
	}
	return true
}

// quietCallback reports whether the function value e never returns an
// error: a function literal whose every return gives nil as its last
// result, or a function whose own summary says it never fails.
func (ch *checker) quietCallback(e ast.Expr) bool {
	switch e := ast.Unparen(e).(type) {
	case *ast.FuncLit:
		quiet := true
		ast.Inspect(e.Body, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.FuncLit:
				return false
			case *ast.ReturnStmt:
				if len(n.Results) == 0 || !isNilIdent(n.Results[len(n.Results)-1]) {
					quiet = false
				}
			}
			return quiet
		})
		return quiet
	case *ast.Ident, *ast.SelectorExpr:
		var id *ast.Ident
		if sel, ok := e.(*ast.SelectorExpr); ok {
			id = sel.Sel
		} else {
			id = e.(*ast.Ident)
		}
		fn, ok := ch.info.Uses[id].(*types.Func)
		if !ok {
			return false
		}
		f := ch.neverFailsFact(fn)
		return f != nil && len(f.Through) == 0
	}
	return false
}

// neverFails reports whether fn has the neverFails fact without
// callbacks: its own package (analysed before this one, or earlier in this
// pass) proved that its error only ever carries a never-failing call's.
func (ch *checker) neverFails(fn *types.Func) bool {
	f := ch.neverFailsFact(fn)
	return f != nil && len(f.Through) == 0
}

// neverFailsFact returns fn's neverFails fact (that of its generic origin
// for an instance), or nil.
func (ch *checker) neverFailsFact(fn *types.Func) *neverFails {
	if ch.pass.ImportObjectFact == nil || fn.Pkg() == nil {
		return nil
	}
	f := new(neverFails)
	if !ch.pass.ImportObjectFact(fn.Origin(), f) {
		return nil
	}
	return f
}
