package discardederror

import (
	"go/ast"
	"go/types"
	"strings"

	"golang.org/x/tools/go/ast/inspector"

	"github.com/failfast-dev/failfast/rules/flow"
)

// handsOnResult reports whether the function literal called by a go
// statement names its error result and reads it in a deferred function
// literal of its own body (`go func() (err error) { defer func() { done <-
// err }() ... }()`): every return sets err before the deferred call runs, so
// the error is handed on (sent, stored, logged) by the literal itself and
// the go statement drops nothing.
func (ch *checker) handsOnResult(call *ast.CallExpr) bool {
	lit, ok := ast.Unparen(call.Fun).(*ast.FuncLit)
	if !ok || lit.Type.Results == nil || len(lit.Type.Results.List) == 0 {
		return false
	}
	last := lit.Type.Results.List[len(lit.Type.Results.List)-1]
	if len(last.Names) == 0 {
		return false
	}
	res := ch.info.Defs[last.Names[len(last.Names)-1]]
	if res == nil || !isError(res.Type()) {
		return false
	}
	found := false
	ast.Inspect(lit.Body, func(n ast.Node) bool {
		if found {
			return false
		}
		if _, ok := n.(*ast.FuncLit); ok {
			return false // a literal not deferred runs when it is called
		}
		d, ok := n.(*ast.DeferStmt)
		if !ok {
			return true
		}
		dl, ok := ast.Unparen(d.Call.Fun).(*ast.FuncLit)
		if !ok {
			return false
		}
		ast.Inspect(dl.Body, func(m ast.Node) bool {
			if id, ok := m.(*ast.Ident); ok && ch.info.Uses[id] == res {
				found = true
			}
			return !found
		})
		return false
	})
	return found
}

// maxCallerDepth bounds how far returnedToCheckers follows a value handed
// up through returns.
const maxCallerDepth = 3

// returnedToCheckers reports whether the identifier at u is returned as it
// is (`return programVersion`) from an unexported function declaration of
// the package whose every use, outside test files, is a call assigned to
// variables where the one receiving this result is first tested for failure
// (see uses: `v := getVersion("ttyd")` then `if v == nil`): all the callers
// there can be know the zero value the failure leaves and test for it.
func (ch *checker) returnedToCheckers(u inspector.Cursor, depth int) bool {
	ret, ok := u.Parent().Node().(*ast.ReturnStmt)
	if !ok || depth >= maxCallerDepth || ch.inspect == nil {
		return false
	}
	at := -1
	for i, r := range ret.Results {
		if r == u.Node() {
			at = i
		}
	}
	fn, _, _, ok := flow.EnclosingFunc(u)
	decl, isDecl := fn.(*ast.FuncDecl)
	if at < 0 || !ok || !isDecl || decl.Name.IsExported() {
		return false
	}
	obj, ok := ch.info.Defs[decl.Name].(*types.Func)
	if !ok {
		return false
	}
	sig, ok := obj.Type().(*types.Signature)
	if !ok || sig.Results().Len() != len(ret.Results) {
		return false
	}
	refs, checked := 0, 0
	for f := range ch.inspect.Root().Children() {
		file, ok := f.Node().(*ast.File)
		if !ok || strings.HasSuffix(ch.fset.File(file.FileStart).Name(), "_test.go") {
			continue
		}
		for n := range f.Preorder((*ast.Ident)(nil), (*ast.AssignStmt)(nil)) {
			switch x := n.Node().(type) {
			case *ast.Ident:
				if ch.info.Uses[x] == obj {
					refs++
				}
			case *ast.AssignStmt:
				if len(x.Rhs) != 1 || len(x.Lhs) != sig.Results().Len() {
					continue
				}
				call, ok := ast.Unparen(x.Rhs[0]).(*ast.CallExpr)
				if !ok || calleeIdentObj(ch.info, call) != obj {
					continue
				}
				if _, ok := ast.Unparen(x.Lhs[at]).(*ast.Ident); ok && ch.usesAt(n, x, x.Lhs[at], depth+1) == handled {
					checked++
				}
			}
		}
	}
	return refs > 0 && refs == checked
}

// calleeIdentObj returns the object a call's function names, as an
// identifier or a selector's.
func calleeIdentObj(info *types.Info, call *ast.CallExpr) types.Object {
	switch f := ast.Unparen(call.Fun).(type) {
	case *ast.Ident:
		return info.Uses[f]
	case *ast.SelectorExpr:
		return info.Uses[f.Sel]
	}
	return nil
}
