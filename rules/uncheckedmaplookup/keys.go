package uncheckedmaplookup

import (
	"fmt"
	"go/ast"
	"go/token"
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
				if c.keysCall(r, c.isParam(sig, i)) && (param < 0 || param == i) {
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

// filledWithKeys reports whether the local slice list holds the keys of
// one map parameter (whose index it returns) and nothing else: every
// mention of it in body is
//   - its definition as an empty slice (`var l []T`, `l := []T{}`,
//     `make([]T, 0, n)`), as `make([]T, len(m))`, or as a list of the
//     parameter's keys (`slices.Collect(maps.Keys(m))`);
//   - `l = append(l, k)` or `l[i] = k` in a `for k := range m` over the
//     parameter;
//   - a sort of it, len or cap of it, or a return of it.
//
// Something must fill it: a definition by a key list, or a store.
func (c *checker) filledWithKeys(sig *types.Signature, body *ast.BlockStmt, list *types.Var) (int, bool) {
	param := -1
	ok, filled, sized, appended := true, false, false, false
	agree := func(i int) {
		if param >= 0 && param != i {
			ok = false
		}
		param = i
	}
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
		var i int
		var use string
		switch {
		case c.info.Defs[id] == list:
			i, use = c.listDefinition(sig, stack)
		case c.info.Uses[id] == list:
			i, use = c.listUse(sig, stack)
		default:
			return true
		}
		switch use {
		case "keys", "store", "append":
			agree(i)
			filled = true
			appended = appended || use == "append"
		case "sized":
			agree(i)
			sized = true
		case "empty", "read":
		default:
			ok = false
		}
		return ok
	})
	// After make([]T, len(m)), an append leaves empty slots before the keys.
	return param, ok && filled && !(sized && appended)
}

// listDefinition classifies the definition of the list at the top of
// stack: "empty", "sized" (make([]T, len(m)) of the parameter it
// returns), "keys" (a list of the parameter's keys), or "".
func (c *checker) listDefinition(sig *types.Signature, stack []ast.Node) (int, string) {
	id := stack[len(stack)-1].(*ast.Ident)
	var value ast.Expr
	switch p := stack[len(stack)-2].(type) {
	case *ast.ValueSpec:
		if len(p.Values) == 0 {
			return 0, "empty"
		}
		if len(p.Names) != len(p.Values) {
			return 0, ""
		}
		for i, name := range p.Names {
			if name == id {
				value = p.Values[i]
			}
		}
	case *ast.AssignStmt:
		if len(p.Lhs) != len(p.Rhs) {
			return 0, ""
		}
		for i, l := range p.Lhs {
			if l == ast.Expr(id) {
				value = p.Rhs[i]
			}
		}
	default:
		return 0, ""
	}
	for i := range sig.Params().Len() {
		if c.keysCall(value, c.isParam(sig, i)) {
			return i, "keys"
		}
	}
	switch v := ast.Unparen(value).(type) {
	case *ast.CompositeLit:
		if len(v.Elts) == 0 {
			return 0, "empty"
		}
	case *ast.CallExpr:
		if provenance.Builtin(c.info, v) != "make" || len(v.Args) < 2 {
			return 0, ""
		}
		if n, isConst := flow.IntConst(c.info, v.Args[1]); isConst && n == 0 {
			return 0, "empty"
		}
		if size, isCall := ast.Unparen(v.Args[1]).(*ast.CallExpr); isCall && provenance.Builtin(c.info, size) == "len" {
			for i := range sig.Params().Len() {
				if c.isParam(sig, i)(size.Args[0]) {
					return i, "sized"
				}
			}
		}
	}
	return 0, ""
}

// isParam returns a recognizer of the function's i-th parameter.
func (c *checker) isParam(sig *types.Signature, i int) func(ast.Expr) bool {
	p := sig.Params().At(i)
	return func(e ast.Expr) bool {
		id, ok := ast.Unparen(e).(*ast.Ident)
		return ok && c.info.Uses[id] == p
	}
}

// listUse classifies the use of the list at the top of stack: "append"
// (`l = append(l, k)`) or "store" (`l[i] = k`), with the index of the map
// parameter whose range yields k, "read" (sorted, measured, returned, or the first
// argument of its own append), or "" for anything else.
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
	case *ast.IndexExpr:
		// l[i] = k
		as, isAssign := stack[len(stack)-3].(*ast.AssignStmt)
		if p.X != ast.Expr(id) || !isAssign || as.Tok != token.ASSIGN || len(as.Lhs) != len(as.Rhs) {
			return 0, ""
		}
		for j, l := range as.Lhs {
			if l == ast.Expr(p) {
				return c.rangedKey(sig, stack, as.Rhs[j])
			}
		}
	case *ast.AssignStmt:
		// l = append(l, k)
		if len(p.Lhs) != 1 || len(p.Rhs) != 1 || p.Lhs[0] != ast.Expr(id) {
			return 0, ""
		}
		call, isCall := ast.Unparen(p.Rhs[0]).(*ast.CallExpr)
		if !isCall || provenance.Builtin(c.info, call) != "append" || len(call.Args) != 2 || call.Ellipsis.IsValid() {
			return 0, ""
		}
		first, isID := ast.Unparen(call.Args[0]).(*ast.Ident)
		if !isID || c.info.Uses[first] != c.info.Uses[id] {
			return 0, ""
		}
		if i, use := c.rangedKey(sig, stack, call.Args[1]); use != "" {
			return i, "append"
		}
	}
	return 0, ""
}

// rangedKey reports whether e is the key of an enclosing `for k := range
// m` over a map parameter of the function, and which: (index, "store").
func (c *checker) rangedKey(sig *types.Signature, stack []ast.Node, e ast.Expr) (int, string) {
	k, isKey := ast.Unparen(e).(*ast.Ident)
	if !isKey {
		return 0, ""
	}
	for i := len(stack) - 3; i >= 0; i-- {
		rs, isRange := stack[i].(*ast.RangeStmt)
		if !isRange {
			continue
		}
		key, hasKey := rs.Key.(*ast.Ident)
		if !hasKey || c.info.Defs[key] == nil || c.info.Defs[key] != c.info.Uses[k] {
			continue
		}
		for j := range sig.Params().Len() {
			if _, isMap := sig.Params().At(j).Type().Underlying().(*types.Map); isMap && c.isParam(sig, j)(rs.X) {
				return j, "store"
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
