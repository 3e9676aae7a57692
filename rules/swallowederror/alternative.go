package swallowederror

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ast/inspector"

	"github.com/failfast-dev/failfast/rules/flow"
)

// attempt is a call whose failure the code answers, and the if statement
// that checks it.
type attempt struct {
	src source
	ifs *ast.IfStmt
	cur inspector.Cursor // at ifs
}

// alternativeFailed reports whether the nil-error return ret, in the branch
// ifs on the failure of src.call, ends a chain of attempts: it is reached
// only when a first call failed and a second attempt, made because of that
// failure and inside its branch, failed as well; and it returns a value of
// its own that existed before the first call, which neither call produced.
// The first failure was handled (it chose the path: another interpretation
// of the request was tried), and the answer carries nothing that either
// failed call was to provide. Two shapes:
//
//   - ret is in the branch on the second attempt's failure, nested in the
//     branch on the first call's failure:
//     if err := a(); err != nil { if err := b(); err != nil { return v, nil } ... };
//   - ret is in the first call's branch, after a check that returned when
//     the second attempt made there succeeded, so it is reached only when
//     that attempt failed:
//     if err != nil { _, err2 := b(); if err2 == nil { return w, errX }; return v, nil }.
//
// A third shape does the failed call's work another way: ret follows a
// second attempt made in the branch whose failure the branch returns as an
// error, and answers with what the branch built after that attempt
// succeeded (if err := a(); err != nil { if err := b(); err != nil { return
// nil, err }; out["status"] = "done another way"; return out, nil }); a
// function whose only result is the error answers through its pointer
// receiver or parameter, so there the branch must write into that after the
// attempt succeeded (an UnmarshalYAML that tries the short form, then the
// long one: if err := unmarshal(&inner); err != nil { return err }; *t =
// Tunnel(inner); return nil).
//
// Every shape requires that a destination parameter that the function's success path fills
// (out of json.Unmarshal(data, out)) must not be left unfilled.
func (ch *checker) alternativeFailed(c inspector.Cursor, ifs *ast.IfStmt, src source, ret *ast.ReturnStmt) bool {
	if src.call == nil {
		return false
	}
	if first, ok := ch.enclosingFailure(c); ok {
		excluded := append(append([]types.Object(nil), first.src.results...), src.results...)
		return ch.ownValues(ret, first.src.call.Pos(), excluded, first.ifs.Body) &&
			ch.unfilledDestination(first.cur, first.ifs.Body) == nil
	}
	if second, ok := ch.failedSecondAttempt(c, ifs, ret); ok {
		excluded := append(append([]types.Object(nil), src.results...), second.src.results...)
		return ch.ownValues(ret, src.call.Pos(), excluded, ifs.Body) &&
			ch.unfilledDestination(c, ifs.Body) == nil
	}
	if second, ok := ch.succeededSecondAttempt(c, ifs, ret); ok {
		if len(ret.Results) == 1 {
			return ch.fillsDestination(c, ifs, second, ret, src.results)
		}
		return ch.branchAnswer(ifs, second, ret, src.results) &&
			ch.unfilledDestination(c, ifs.Body) == nil
	}
	return false
}

// succeededSecondAttempt finds, among the statements of the branch ifs
// before ret, a check "if err2 != nil { return ..., e }" of a call made
// inside the branch that hands the caller a non-nil error: ret is reached
// only when that second attempt (the failed call's work done another way)
// succeeded.
func (ch *checker) succeededSecondAttempt(c inspector.Cursor, ifs *ast.IfStmt, ret *ast.ReturnStmt) (attempt, bool) {
	info := ch.pass.TypesInfo
	var found attempt
	ok := false
	for _, s := range ifs.Body.List {
		if s == ast.Stmt(ret) {
			break
		}
		s2, isIf := s.(*ast.IfStmt)
		if !isIf || s2.Else != nil || !returnsError(info, s2.Body.List) {
			continue
		}
		e := flow.ErrNotNil(info, s2.Cond)
		if e == nil {
			continue
		}
		if _, isField := e.(*ast.SelectorExpr); isField {
			continue
		}
		sc, isIn := c.FindNode(s2)
		if !isIn {
			continue
		}
		if src, isSrc := ch.source(sc, s2, e, objectOf(info, e)); isSrc && src.call != nil && src.call.Pos() > ifs.Body.Lbrace {
			found, ok = attempt{src: src, ifs: s2, cur: sc}, true
		}
	}
	return found, ok
}

// returnsError reports whether the statements end in a return whose last
// result is not the literal nil.
func returnsError(info *types.Info, stmts []ast.Stmt) bool {
	if len(stmts) == 0 {
		return false
	}
	r, ok := stmts[len(stmts)-1].(*ast.ReturnStmt)
	return ok && len(r.Results) > 0 && !flow.IsNil(info, r.Results[len(r.Results)-1])
}

// branchAnswer reports whether every result of ret but the error is nil, a
// constant, or a variable the branch gave a value after the second attempt
// succeeded: one of that attempt's results, a variable declared in the
// branch, or one it assigns or writes into after the check (out["status"] =
// "ok"); never a result of the first, failed call. At least one must be such
// a variable: the answer is the branch's own.
func (ch *checker) branchAnswer(ifs *ast.IfStmt, second attempt, ret *ast.ReturnStmt, failed []types.Object) bool {
	info := ch.pass.TypesInfo
	if len(ret.Results) < 2 {
		return false
	}
	var after []ast.Stmt
	for _, s := range ifs.Body.List {
		if s.Pos() > second.ifs.End() && s.End() <= ret.Pos() {
			after = append(after, s)
		}
	}
	own := false
	for _, r := range ret.Results[:len(ret.Results)-1] {
		r = ast.Unparen(r)
		if flow.IsNil(info, r) {
			continue
		}
		if tv, ok := info.Types[r]; ok && tv.Value != nil {
			continue
		}
		id, ok := r.(*ast.Ident)
		if !ok || refersTo(info, id, failed) {
			return false
		}
		obj, ok := info.Uses[id].(*types.Var)
		if !ok {
			return false
		}
		given := refersTo(info, id, second.src.results) ||
			(obj.Pos() > ifs.Body.Lbrace && obj.Pos() < ret.Pos())
		for _, s := range after {
			if flow.SetsVar(info, s, obj) || writesInto(info, s, obj) {
				given = true
			}
		}
		if !given {
			return false
		}
		own = true
	}
	return own
}

// fillsDestination reports whether the branch ifs, between the check of the
// second attempt and ret, writes into a pointer receiver or parameter of
// the function (`*t = ...`, `t.f = ...`) with a value that does not refer to
// the first, failed call's results, and leaves no other destination
// unfilled.
func (ch *checker) fillsDestination(c inspector.Cursor, ifs *ast.IfStmt, second attempt, ret *ast.ReturnStmt, failed []types.Object) bool {
	info := ch.pass.TypesInfo
	fd, ok := flow.EnclosingFuncDecl(c)
	if !ok || ch.unfilledDestination(c, ifs.Body) != nil {
		return false
	}
	if _, _, body, ok := flow.EnclosingFunc(c); !ok || body != fd.Body {
		return false // a function literal's parameters are not the declaration's
	}
	var dests []types.Object
	for _, fl := range []*ast.FieldList{fd.Recv, fd.Type.Params} {
		if fl == nil {
			continue
		}
		for _, f := range fl.List {
			for _, name := range f.Names {
				if obj := info.Defs[name]; obj != nil {
					if _, isPtr := obj.Type().Underlying().(*types.Pointer); isPtr {
						dests = append(dests, obj)
					}
				}
			}
		}
	}
	filled := false
	for _, s := range ifs.Body.List {
		if s.Pos() <= second.ifs.End() || s.End() > ret.Pos() {
			continue
		}
		as, ok := s.(*ast.AssignStmt)
		if !ok || len(as.Lhs) != len(as.Rhs) {
			continue
		}
		for i, l := range as.Lhs {
			if mentionsAny(info, as.Rhs[i], failed) {
				return false
			}
			for _, d := range dests {
				if writesInto(info, &ast.AssignStmt{Lhs: []ast.Expr{l}, Rhs: as.Rhs[i : i+1]}, d) {
					filled = true
				}
			}
		}
	}
	return filled
}

// mentionsAny reports whether e refers to one of objs anywhere inside it.
func mentionsAny(info *types.Info, e ast.Expr, objs []types.Object) bool {
	found := false
	ast.Inspect(e, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok && refersTo(info, id, objs) {
			found = true
		}
		return !found
	})
	return found
}

// enclosingFailure returns the nearest if statement around the one at c, in
// the same function, whose branch (c is in its body) is taken when a call in
// view failed: if err := a(); err != nil { ... c ... }.
func (ch *checker) enclosingFailure(c inspector.Cursor) (attempt, bool) {
	info := ch.pass.TypesInfo
	for cur := c.Parent(); ; cur = cur.Parent() {
		switch n := cur.Node().(type) {
		case *ast.FuncDecl, *ast.FuncLit, nil:
			return attempt{}, false
		case *ast.BlockStmt:
			outer, ok := cur.Parent().Node().(*ast.IfStmt)
			if !ok || outer.Body != n {
				continue
			}
			e := flow.ErrNotNil(info, outer.Cond)
			if e == nil {
				continue
			}
			if _, isField := e.(*ast.SelectorExpr); isField {
				continue
			}
			oc := cur.Parent()
			if src, ok := ch.source(oc, outer, e, objectOf(info, e)); ok && src.call != nil {
				return attempt{src: src, ifs: outer, cur: oc}, true
			}
		}
	}
}

// failedSecondAttempt finds, among the statements of the branch ifs before
// ret, a check "if err2 == nil { ... return }" of a call made inside the
// branch: ret is reached only when that second attempt failed.
func (ch *checker) failedSecondAttempt(c inspector.Cursor, ifs *ast.IfStmt, ret *ast.ReturnStmt) (attempt, bool) {
	info := ch.pass.TypesInfo
	for _, s := range ifs.Body.List {
		if s == ast.Stmt(ret) {
			break
		}
		s2, ok := s.(*ast.IfStmt)
		if !ok || s2.Else != nil || !flow.Terminates(info, ch.lists, s2.Body.List) {
			continue
		}
		e := flow.ErrCompared(info, s2.Cond, token.EQL)
		if e == nil {
			continue
		}
		if _, isField := e.(*ast.SelectorExpr); isField {
			continue
		}
		sc, ok := c.FindNode(s2)
		if !ok {
			continue
		}
		src, ok := ch.source(sc, s2, e, objectOf(info, e))
		if ok && src.call != nil && src.call.Pos() > ifs.Body.Lbrace {
			return attempt{src: src, ifs: s2, cur: sc}, true
		}
	}
	return attempt{}, false
}

// ownValues reports whether every result of ret but the error is nil, a
// constant, or a variable that existed before the position before and that
// neither failed call produced (excluded) nor anything in scope assigns as a
// whole; at least one of them must be such a variable or constant, a value
// the caller can use.
func (ch *checker) ownValues(ret *ast.ReturnStmt, before token.Pos, excluded []types.Object, scope ast.Node) bool {
	info := ch.pass.TypesInfo
	if len(ret.Results) < 2 {
		return false
	}
	own := false
	for _, r := range ret.Results[:len(ret.Results)-1] {
		r = ast.Unparen(r)
		if flow.IsNil(info, r) {
			continue
		}
		if tv, ok := info.Types[r]; ok && tv.Value != nil {
			own = true
			continue
		}
		id, ok := r.(*ast.Ident)
		if !ok {
			return false
		}
		obj, ok := info.Uses[id].(*types.Var)
		if !ok || obj.Pos() >= before || refersTo(info, id, excluded) || flow.SetsVar(info, scope, obj) {
			return false
		}
		own = true
	}
	return own
}
