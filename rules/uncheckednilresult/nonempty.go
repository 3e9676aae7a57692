package uncheckednilresult

import (
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"strings"
	"unicode"

	"golang.org/x/tools/go/ast/inspector"

	"github.com/failfast-dev/failfast/rules/flow"
	"github.com/failfast-dev/failfast/rules/provenance"
)

// This file holds the places where the code proves a value not nil, or
// its nil not a failure of input: container/list's Front and Back are nil
// exactly when the list is empty, a range over a slice, map or string that
// a dominating check proves not empty runs its body at least once, and a
// context accessor's nil is a matter of the program's wiring.

// emptyOnlyNil are the nil-on-miss methods whose nil means "the receiver is
// empty": a check of the receiver's Len() proves their result.
var emptyOnlyNil = provenance.Set(map[string]bool{
	"container/list.List.Front": true,
	"container/list.List.Back":  true,
})

// nonEmptyBefore reports whether call is l.Front() or l.Back() of a
// container/list.List under a dominating check that l.Len() is at least 1
// (`if l.Len() > 0 { l.Back().Value }`), with no assignment to l's root
// variable in between.
func nonEmptyBefore(s *summaries, c inspector.Cursor, call *ast.CallExpr) bool {
	info := s.pass.TypesInfo
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok || !emptyOnlyNil.Has(provenance.CalleeNames(info, call)...) {
		return false
	}
	isLen := func(e ast.Expr) bool {
		lc, ok := ast.Unparen(e).(*ast.CallExpr)
		if !ok || len(lc.Args) != 0 {
			return false
		}
		ls, ok := ast.Unparen(lc.Fun).(*ast.SelectorExpr)
		return ok && ls.Sel.Name == "Len" && flow.SameExpr(info, ls.X, sel.X)
	}
	g := &flow.Guard{
		Info:   info,
		Lists:  s.lists,
		Holds:  flow.LenAtLeast(info, isLen, 1),
		Enders: s.enders,
	}
	g.Resets = rootAssigned(info, call)
	return g.Dominates(c)
}

// rangeSetsOnce reports whether st is a range over a slice, array, map or
// string that a dominating check proves not empty (`if len(urls) == 0 {
// return ... }` before `for _, u := range urls`), whose body gives v a value
// that is not nil in a top-level statement that no continue, break or goto
// of the body comes before: past the loop, v is set.
func (s *summaries) rangeSetsOnce(root inspector.Cursor, st ast.Stmt, v *types.Var) bool {
	rng, ok := st.(*ast.RangeStmt)
	if !ok || rng.X == nil {
		return false
	}
	info := s.pass.TypesInfo
	t := info.TypeOf(rng.X)
	if t == nil {
		return false
	}
	switch t.Underlying().(type) {
	case *types.Slice, *types.Array, *types.Map, *types.Basic:
	default:
		return false // a channel, a function iterator, a pointer to an array
	}
	sets := false
	for _, b := range rng.Body.List {
		if jumps(b) {
			return false
		}
		if assigned, _, isNil := s.assignment(b, v); assigned {
			if isNil {
				return false
			}
			sets = true
			break
		}
	}
	if !sets {
		return false
	}
	rc, ok := flow.Find(root, rng)
	if !ok {
		return false
	}
	same := func(x ast.Expr) bool { return flow.SameExpr(info, x, rng.X) }
	g := &flow.Guard{
		Info:   info,
		Lists:  s.lists,
		Holds:  flow.LenAtLeast(info, flow.IsLenOf(info, same), 1),
		Enders: s.enders,
		Resets: func(st ast.Stmt) bool { return flow.Assigns(st, same) },
	}
	return g.Dominates(rc)
}

// jumps reports whether st holds a continue, break or goto outside the
// function literals, loops, switches and selects it contains: a branch
// that may leave the loop body before the statements after st run.
func jumps(st ast.Stmt) bool {
	found := false
	ast.Inspect(st, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit, *ast.ForStmt, *ast.RangeStmt:
			return false
		case *ast.SwitchStmt, *ast.TypeSwitchStmt, *ast.SelectStmt:
			// break inside ends the switch, but continue or goto leave
			// the body: look for those only.
			ast.Inspect(n, func(m ast.Node) bool {
				switch m := m.(type) {
				case *ast.FuncLit, *ast.ForStmt, *ast.RangeStmt:
					return false
				case *ast.BranchStmt:
					if m.Tok == token.CONTINUE || m.Tok == token.GOTO || m.Label != nil {
						found = true
					}
				}
				return !found
			})
			return false
		case *ast.BranchStmt:
			found = true
		}
		return !found
	})
	return found
}

// contextAccessor reports whether every return of decl gives, in result i,
// either nil or the value it loads from a context (ctx.Value(key), asserted
// to the result's type, directly or through a local variable): an accessor
// such as FromContext(ctx) or GetRequestScope(r), whose nil means the
// context does not hold the value. Whether it does is decided by how the
// program wires its handlers (the middleware that stores it), the same for
// every request that takes that path, not by input: a missing store fails
// on the first such request. An accessor whose doc comment names nil as an
// answer ("or nil for anonymous requests") is a lookup like any other: its
// author says the value may be absent for some requests. The unchecked
// loads themselves are unchecked-type-assertion's business.
func (s *summaries) contextAccessor(decl *ast.FuncDecl, i int) bool {
	if decl.Body == nil || docSaysNil(decl) {
		return false
	}
	info := s.pass.TypesInfo
	ok, loads := true, false
	ast.Inspect(decl.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.ReturnStmt:
			switch {
			case len(n.Results) <= i:
				ok = false
			case isNilExpr(info, n.Results[i]):
			case s.loadedFromContext(decl.Body, n.Results[i], 2):
				loads = true
			default:
				ok = false
			}
		}
		return ok
	})
	return ok && loads
}

// loadedFromContext reports whether e is ctx.Value(key), an assertion of
// one, or a local variable that only such values define (the first value of
// `b, ok := ctx.Value(k).(*Backend)`), following depth definitions.
func (s *summaries) loadedFromContext(body *ast.BlockStmt, e ast.Expr, depth int) bool {
	info := s.pass.TypesInfo
	switch e := ast.Unparen(e).(type) {
	case *ast.CallExpr:
		return isContextValue(info, e)
	case *ast.TypeAssertExpr:
		return s.loadedFromContext(body, e.X, depth)
	case *ast.Ident:
		v, ok := info.Uses[e].(*types.Var)
		if !ok || depth == 0 || v.Pos() < body.Pos() || v.Pos() >= body.End() {
			return false
		}
		defined := false
		all := true
		ast.Inspect(body, func(n ast.Node) bool {
			as, ok := n.(*ast.AssignStmt)
			if !ok {
				return all
			}
			for j, l := range as.Lhs {
				id, ok := ast.Unparen(l).(*ast.Ident)
				if !ok || info.ObjectOf(id) != v {
					continue
				}
				defined = true
				var rhs ast.Expr
				switch {
				case len(as.Rhs) == len(as.Lhs):
					rhs = as.Rhs[j]
				case len(as.Rhs) == 1 && j == 0:
					rhs = as.Rhs[0]
				}
				if rhs == nil || !s.loadedFromContext(body, rhs, depth-1) {
					all = false
				}
			}
			return all
		})
		return defined && all
	}
	return false
}

// contextLoads are the methods that load what a middleware stored for the
// request: context.Context's Value, and the request contexts of gin and
// echo, whose Get answers a key that c.Set stored.
var contextLoads = []string{
	"context.Context.Value",
	"github.com/gin-gonic/gin.Context.Get",
	"github.com/labstack/echo/v4.Context.Get", "github.com/labstack/echo.Context.Get",
}

// isContextValue reports whether call loads a value from a request's
// context (see contextLoads).
func isContextValue(info *types.Info, call *ast.CallExpr) bool {
	if len(call.Args) != 1 {
		return false
	}
	names := provenance.CalleeNames(info, call)
	return slices.ContainsFunc(contextLoads, func(n string) bool { return slices.Contains(names, n) })
}

// docSaysNil reports whether decl's doc comment has the word nil.
func docSaysNil(decl *ast.FuncDecl) bool {
	if decl.Doc == nil {
		return false
	}
	for _, w := range strings.FieldsFunc(decl.Doc.Text(), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}) {
		if w == "nil" {
			return true
		}
	}
	return false
}
