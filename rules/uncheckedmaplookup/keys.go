package uncheckedmaplookup

import (
	"fmt"
	"go/ast"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/failfast-dev/failfast/rules/flow"
	"github.com/failfast-dev/failfast/rules/provenance"
	"github.com/failfast-dev/failfast/rules/spec"
)

// keysOf is the fact that a function of the module returns the keys of
// its map parameter Param and nothing else, as a module's own
// SortedMapKeys(m) does: a lookup in that map under one of them hits.
type keysOf struct{ Param int }

func (*keysOf) AFact() {}

func (f *keysOf) String() string { return fmt.Sprintf("keysOf(%d)", f.Param) }

// exportKeys exports keysOf for each function of the package that
// returns a list of a map parameter's keys, repeating until no new fact
// appears so that a helper that wraps another one counts.
func (c *checker) exportKeys(pass *analysis.Pass) {
	if pass.ExportObjectFact == nil || pass.ImportObjectFact == nil {
		return // a driver that carries no facts: only the standard library's lists
	}
	c.pass = pass
	for changed := true; changed; {
		changed = false
		for fn, body := range spec.FuncBodies(pass) {
			if _, ok := c.keysFact(fn); ok {
				continue
			}
			if i, ok := c.returnsKeys(fn, body); ok {
				pass.ExportObjectFact(fn, &keysOf{Param: i})
				changed = true
			}
		}
	}
}

// keysFact returns fn's keysOf fact.
func (c *checker) keysFact(fn *types.Func) (int, bool) {
	if c.pass == nil || c.pass.ImportObjectFact == nil || fn.Pkg() == nil {
		return 0, false
	}
	f := new(keysOf)
	if !c.pass.ImportObjectFact(fn.Origin(), f) {
		return 0, false
	}
	return f.Param, true
}

// returnsKeys reports which map parameter's keys fn returns: every return
// gives nil, a list of that parameter's keys (keysCall), or a local slice
// that only ever receives the keys of a range over the parameter
// (`keys = append(keys, k)`) and is otherwise only sorted, measured or
// returned.
func (c *checker) returnsKeys(fn *types.Func, body *ast.BlockStmt) (int, bool) {
	sig := fn.Signature()
	if sig.Results().Len() != 1 {
		return 0, false
	}
	if _, ok := sig.Results().At(0).Type().Underlying().(*types.Slice); !ok {
		return 0, false
	}
	param := -1
	var list *types.Var // the local slice returned, if any
	ok := true
	ast.Inspect(body, func(n ast.Node) bool {
		if !ok {
			return false
		}
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.ReturnStmt:
			if len(n.Results) != 1 {
				ok = false
				return false
			}
			r := ast.Unparen(n.Results[0])
			if flow.IsNil(c.info, r) {
				return false
			}
			for i := range sig.Params().Len() {
				p := sig.Params().At(i)
				isParam := func(e ast.Expr) bool {
					id, ok := ast.Unparen(e).(*ast.Ident)
					return ok && c.info.Uses[id] == p
				}
				if c.keysCall(r, isParam) && (param < 0 || param == i) {
					param = i
					return false
				}
			}
			id, isID := r.(*ast.Ident)
			v, isVar := c.info.Uses[id].(*types.Var)
			if !isID || !isVar || list != nil && list != v {
				ok = false
				return false
			}
			list = v
		}
		return true
	})
	if !ok || list == nil && param < 0 {
		return 0, false
	}
	if list == nil {
		return param, !flow.SetsVar(c.info, body, sig.Params().At(param))
	}
	i, filled := c.filledWithKeys(sig, body, list)
	if !filled || param >= 0 && param != i {
		return 0, false
	}
	param = i
	if flow.SetsVar(c.info, body, sig.Params().At(param)) {
		return 0, false // the parameter is not the caller's map throughout
	}
	return param, true
}

// sorters reorder a slice in place, which keeps the set of its elements.
var sorters = provenance.Set{
	"sort.Strings": true, "sort.Ints": true, "sort.Slice": true, "sort.SliceStable": true,
	"slices.Sort": true, "slices.SortFunc": true, "slices.SortStableFunc": true,
}

// filledWithKeys reports whether every mention of the local slice list in
// body is its definition as an empty slice, `list = append(list, k)` in a
// `for k := range m` over a map parameter (the same one each time, whose
// index it returns), a sort of it, len or cap of it, or a return of it.
func (c *checker) filledWithKeys(sig *types.Signature, body *ast.BlockStmt, list *types.Var) (int, bool) {
	param := -1
	ok, appended := true, false
	var stack []ast.Node
	ast.Inspect(body, func(n ast.Node) bool {
		if n == nil {
			stack = stack[:len(stack)-1]
			return true
		}
		stack = append(stack, n)
		id, isID := n.(*ast.Ident)
		if !ok || !isID {
			return ok
		}
		switch {
		case c.info.Defs[id] == list:
			ok = c.definedEmpty(stack)
		case c.info.Uses[id] == list:
			switch i, use := c.listUse(sig, stack); use {
			case "append":
				if param >= 0 && param != i {
					ok = false
				}
				param, appended = i, true
			case "read":
			default:
				ok = false
			}
		}
		return ok
	})
	return param, ok && appended
}

// definedEmpty reports whether the identifier at the top of stack is
// defined as an empty slice: `var l []T`, `l := []T{}`, `l := make([]T, 0, n)`.
func (c *checker) definedEmpty(stack []ast.Node) bool {
	id := stack[len(stack)-1].(*ast.Ident)
	var value ast.Expr
	switch p := stack[len(stack)-2].(type) {
	case *ast.ValueSpec:
		if len(p.Values) == 0 {
			return true
		}
		if len(p.Names) != len(p.Values) {
			return false
		}
		for i, name := range p.Names {
			if name == id {
				value = p.Values[i]
			}
		}
	case *ast.AssignStmt:
		if len(p.Lhs) != len(p.Rhs) {
			return false
		}
		for i, l := range p.Lhs {
			if l == ast.Expr(id) {
				value = p.Rhs[i]
			}
		}
	default:
		return false
	}
	switch v := ast.Unparen(value).(type) {
	case *ast.CompositeLit:
		return len(v.Elts) == 0
	case *ast.CallExpr:
		if provenance.Builtin(c.info, v) != "make" || len(v.Args) < 2 {
			return false
		}
		n, isConst := flow.IntConst(c.info, v.Args[1])
		return isConst && n == 0
	}
	return false
}

// listUse classifies the use of the list at the top of stack: "append"
// (with the index of the map parameter whose keys it receives), "read"
// (sorted, measured, returned, or the first argument of its own append),
// or "" for anything else.
func (c *checker) listUse(sig *types.Signature, stack []ast.Node) (int, string) {
	id := stack[len(stack)-1].(*ast.Ident)
	switch p := stack[len(stack)-2].(type) {
	case *ast.ReturnStmt:
		return 0, "read"
	case *ast.CallExpr:
		if len(p.Args) == 0 || p.Args[0] != ast.Expr(id) {
			return 0, ""
		}
		switch b := provenance.Builtin(c.info, p); {
		case b == "len" || b == "cap":
			return 0, "read"
		case b == "append":
			return 0, "read" // judged at the assignment around it
		case sorters.Has(provenance.CalleeNames(c.info, p)...):
			return 0, "read"
		}
	case *ast.AssignStmt:
		// list = append(list, k) in for k := range m
		if len(p.Lhs) != 1 || len(p.Rhs) != 1 || p.Lhs[0] != ast.Expr(id) {
			return 0, ""
		}
		call, isCall := ast.Unparen(p.Rhs[0]).(*ast.CallExpr)
		if !isCall || provenance.Builtin(c.info, call) != "append" || len(call.Args) != 2 || call.Ellipsis.IsValid() {
			return 0, ""
		}
		first, isID := ast.Unparen(call.Args[0]).(*ast.Ident)
		k, isKey := ast.Unparen(call.Args[1]).(*ast.Ident)
		if !isID || !isKey || c.info.Uses[first] != c.info.Uses[id] {
			return 0, ""
		}
		for i := len(stack) - 3; i >= 0; i-- {
			rs, isRange := stack[i].(*ast.RangeStmt)
			if !isRange {
				continue
			}
			key, hasKey := rs.Key.(*ast.Ident)
			x, isParam := ast.Unparen(rs.X).(*ast.Ident)
			if !hasKey || !isParam || c.info.Defs[key] == nil || c.info.Defs[key] != c.info.Uses[k] {
				continue
			}
			for j := range sig.Params().Len() {
				if c.info.Uses[x] == sig.Params().At(j) {
					if _, isMap := sig.Params().At(j).Type().Underlying().(*types.Map); isMap {
						return j, "append"
					}
				}
			}
		}
	}
	return 0, ""
}

// keyLists list the keys of their one argument, a map.
var keyLists = provenance.Set{"maps.Keys": true, "golang.org/x/exp/maps.Keys": true}

// keyListSorters return the elements of the sequence or slice they are
// given, in some order.
var keyListSorters = provenance.Set{
	"slices.Sorted": true, "slices.Collect": true, "slices.SortedFunc": true, "slices.SortedStableFunc": true,
}

// keysCall recognizes a call that lists the keys of the map that isMap
// accepts: maps.Keys(m), slices.Sorted (or Collect) of it, or a call of a
// function of the module that has the keysOf fact (SortedMapKeys(m)).
func (c *checker) keysCall(e ast.Expr, isMap func(ast.Expr) bool) bool {
	call, ok := ast.Unparen(e).(*ast.CallExpr)
	if !ok || len(call.Args) == 0 {
		return false
	}
	names := provenance.CalleeNames(c.info, call)
	switch {
	case keyLists.Has(names...):
		return len(call.Args) == 1 && isMap(call.Args[0])
	case keyListSorters.Has(names...):
		return c.keysCall(call.Args[0], isMap)
	}
	if fn, ok := typeutil.Callee(c.info, call).(*types.Func); ok {
		if i, ok := c.keysFact(fn); ok && i < len(call.Args) {
			return isMap(call.Args[i])
		}
	}
	return false
}
