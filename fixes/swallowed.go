package fixes

import (
	"go/ast"
	"go/constant"
	"go/types"
	"slices"
	"strings"

	"github.com/dave/dst"

	"github.com/failfast-dev/failfast/rules/flow"
	"github.com/failfast-dev/failfast/rules/provenance"
)

// swallowedIf returns the if statement whose "err != nil" branch holds ret,
// looking past the nested conditions under which the branch returns nil
// (if errors.As(err, &se) && se.Code == 404 { return nil }).
func (t *target) swallowedIf(ret *ast.ReturnStmt) *ast.IfStmt {
	for _, n := range t.pathTo(ret)[1:] {
		switch n := n.(type) {
		case *ast.IfStmt:
			if flow.ErrNotNil(t.info, n.Cond) != nil {
				return n
			}
		case *ast.FuncLit, *ast.FuncDecl:
			return nil
		}
	}
	return nil
}

// passedIn reports whether the checked error is a parameter of the function
// around ifs (the err of a filepath.WalkDirFunc): it already says what
// failed, so the fix returns it as it is.
func (t *target) passedIn(ifs *ast.IfStmt, errExpr ast.Expr) bool {
	id, ok := errExpr.(*ast.Ident)
	if !ok {
		return false
	}
	v, ok := t.info.Uses[id].(*types.Var)
	if !ok {
		return false
	}
	for _, n := range t.pathTo(ifs) {
		var ft *ast.FuncType
		switch f := n.(type) {
		case *ast.FuncLit:
			ft = f.Type
		case *ast.FuncDecl:
			ft = f.Type
		default:
			continue
		}
		for _, f := range ft.Params.List {
			for _, name := range f.Names {
				if t.info.Defs[name] == v {
					return true
				}
			}
		}
		return false
	}
	return false
}

// withoutErrLogs returns the branch's statements less those that only log
// or print the checked error: the error the fix returns carries it, and
// logging it as well would report one failure twice.
func (rw *rewrite) withoutErrLogs(t *target, body *ast.BlockStmt, db *dst.BlockStmt, errExpr ast.Expr) []dst.Stmt {
	lists := provenance.Default()
	list := slices.Clone(db.List)
	for _, s := range body.List {
		es, ok := s.(*ast.ExprStmt)
		if !ok {
			continue
		}
		call, ok := ast.Unparen(es.X).(*ast.CallExpr)
		if !ok || !lists.IsLog(t.info, call) || lists.IsExit(t.info, call) || !t.mentionsText(call, t.text(errExpr)) {
			continue
		}
		d, err := rw.dstOf(s)
		if err != nil {
			continue
		}
		list = slices.DeleteFunc(list, func(x dst.Stmt) bool { return x == d })
	}
	return list
}

// mentionsText reports whether an identifier or selector spelled name
// occurs in n.
func (t *target) mentionsText(n ast.Node, name string) bool {
	found := false
	ast.Inspect(n, func(n ast.Node) bool {
		switch e := n.(type) {
		case *ast.Ident, *ast.SelectorExpr:
			if t.text(e) == name {
				found = true
			}
		}
		return !found
	})
	return found
}

// dropErrLogs removes from the branch the statements that only log or
// print the checked error (see withoutErrLogs).
func (rw *rewrite) dropErrLogs(t *target, body *ast.BlockStmt, errExpr ast.Expr) error {
	db, err := dstAs[*dst.BlockStmt](rw, body)
	if err != nil {
		return err
	}
	db.List = rw.withoutErrLogs(t, body, db, errExpr)
	return nil
}

// fromLog returns fl with the message of the branch's log call when that
// call logs the checked error last with a constant printf format
// (log.Printf("webhook: ping %s: %v", url, err)). It is used where the fix
// turns a nil return after the log into the error: there the log describes
// the failure, and its words name what failed better than the callee's
// name. (A log in a branch that falls through tends to describe the
// carrying on, "skipping bad row", which an error must not say.)
func (t *target) fromLog(body *ast.BlockStmt, errExpr ast.Expr, fl failure) failure {
	lists := provenance.Default()
	for _, s := range body.List {
		es, ok := s.(*ast.ExprStmt)
		if !ok {
			continue
		}
		call, ok := ast.Unparen(es.X).(*ast.CallExpr)
		if !ok || len(call.Args) < 2 || !lists.IsLog(t.info, call) || t.text(call.Args[len(call.Args)-1]) != t.text(errExpr) {
			continue
		}
		tv, ok := t.info.Types[call.Args[0]]
		if !ok || tv.Value == nil || tv.Value.Kind() != constant.String {
			continue
		}
		format := strings.TrimSuffix(constant.StringVal(tv.Value), "\n")
		for _, verb := range []string{": %v", ": %s", ": %+v"} {
			if f, ok := strings.CutSuffix(format, verb); ok && !strings.Contains(f, "%w") {
				fl.format = f
				fl.args = nil
				for _, a := range call.Args[1 : len(call.Args)-1] {
					fl.args = append(fl.args, t.text(a))
				}
				return fl
			}
		}
	}
	return fl
}
