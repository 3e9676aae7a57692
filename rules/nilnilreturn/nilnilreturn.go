package nilnilreturn

import (
	"go/ast"
	"go/types"

	"golang.org/x/tools/go/analysis"

	"github.com/failfast-dev/failfast/rules/flow"
	"github.com/failfast-dev/failfast/rules/spec"
)

// Analyzer is the rule's analyzer with the default options.
var Analyzer = New(spec.DefaultOptions())

// New returns the rule's analyzer for the given options.
func New(o *spec.Options) *analysis.Analyzer {
	return &analysis.Analyzer{
		Name:     spec.AnalyzerName(ID),
		Doc:      summary,
		URL:      spec.DocURL(ID),
		Requires: spec.Requires,
		Run: func(pass *analysis.Pass) (any, error) {
			r, err := spec.NewReporter(pass, ID, o)
			if err != nil {
				return nil, err
			}
			run(pass, r)
			return nil, nil
		},
	}
}

func run(pass *analysis.Pass, r *spec.Reporter) {
	info := pass.TypesInfo
	for file := range r.Files() {
		for c := range file.Preorder((*ast.ReturnStmt)(nil)) {
			ret, ok := c.Node().(*ast.ReturnStmt)
			if !ok || len(ret.Results) != 2 || !isNil(info, ret.Results[0]) || !isNil(info, ret.Results[1]) {
				continue
			}
			fn, ft, _, ok := flow.EnclosingFunc(c)
			if !ok || ft.Results == nil {
				continue
			}
			results := resultTypes(ft.Results)
			if len(results) != 2 || !isErrorType(info, results[1]) {
				continue
			}
			kind, ok := nilable(info, results[0])
			if !ok {
				continue
			}
			_ = fn
			r.Reportf(ret, "return nil, nil tells the caller \"no error\" but gives no %s; a caller that %s far from here",
				types.ExprString(results[0]), kind)
		}
	}
}

// resultTypes lists the type expression of each result, repeating a shared
// type for every name (a, b *T).
func resultTypes(fl *ast.FieldList) []ast.Expr {
	var out []ast.Expr
	for _, f := range fl.List {
		n := max(len(f.Names), 1)
		for range n {
			out = append(out, f.Type)
		}
	}
	return out
}

func isNil(info *types.Info, e ast.Expr) bool {
	id, ok := ast.Unparen(e).(*ast.Ident)
	if !ok || id.Name != "nil" {
		return false
	}
	_, isNil := info.Uses[id].(*types.Nil)
	return isNil || info.Uses[id] == nil
}

// isErrorType reports whether e denotes the error interface.
func isErrorType(info *types.Info, e ast.Expr) bool {
	if t := info.TypeOf(e); t != nil && t != types.Typ[types.Invalid] {
		return types.Identical(t, types.Universe.Lookup("error").Type())
	}
	id, ok := e.(*ast.Ident)
	return ok && id.Name == "error"
}

// nilable reports whether a nil value of the type e denotes is unusable, and
// what using it does: pointers, functions and channels are; slices and maps
// are not (a nil slice or map reads as empty), and neither is the empty
// interface (nil is an ordinary "no value" there).
func nilable(info *types.Info, e ast.Expr) (consequence string, ok bool) {
	if t := info.TypeOf(e); t != nil && t != types.Typ[types.Invalid] {
		switch u := t.Underlying().(type) {
		case *types.Pointer:
			return "dereferences it panics", true
		case *types.Signature:
			return "calls it panics", true
		case *types.Chan:
			return "receives from it blocks forever", true
		case *types.Interface:
			if u.Empty() || u.IsImplicit() {
				return "", false
			}
			return "calls its methods panics", true
		}
		return "", false
	}
	// Partial type information: judge by the syntax.
	switch ast.Unparen(e).(type) {
	case *ast.StarExpr:
		return "dereferences it panics", true
	case *ast.FuncType:
		return "calls it panics", true
	case *ast.ChanType:
		return "receives from it blocks forever", true
	}
	return "", false
}
