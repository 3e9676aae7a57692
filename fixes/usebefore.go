package fixes

import (
	"errors"
	"go/ast"
	"go/token"
	"go/types"

	"github.com/dave/dst"
)

// useBeforeCheckFix moves the statement that uses a result before the
// error check to just after the check.
func useBeforeCheckFix(t *target) ([]candidate, error) {
	use, ok := node[ast.Node](t)
	if !ok {
		return nil, errors.New("no use at the finding")
	}
	checkPos, checkEnd := t.relatedRange()
	if checkPos == token.NoPos {
		return nil, errors.New("the finding does not say where the error is checked")
	}
	path := t.pathTo(use)
	var stmt ast.Stmt
	var block *ast.BlockStmt
	for i := 1; i < len(path); i++ {
		if b, ok := path[i].(*ast.BlockStmt); ok {
			if s, ok := path[i-1].(ast.Stmt); ok {
				stmt, block = s, b
				break
			}
		}
		if _, ok := path[i].(*ast.FuncLit); ok {
			return nil, errNoFix
		}
	}
	if stmt == nil {
		return nil, errNoFix
	}
	if checkPos < use.Pos() {
		// The related place is a test for one kind of failure before the
		// use (os.IsNotExist(err)): check the others where the use is.
		return otherFailuresFix(t, stmt, checkPos, checkEnd)
	}
	from, to := -1, -1
	for i, s := range block.List {
		if s == stmt {
			from = i
		}
		if s.Pos() <= checkPos && checkPos < s.End() {
			to = i
		}
	}
	if from < 0 || to <= from {
		return nil, errors.New("the error check is not later in the same block")
	}
	// Nothing between may use what the moved statement declares.
	defined := map[types.Object]bool{}
	ast.Inspect(stmt, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok {
			if obj := t.info.Defs[id]; obj != nil {
				defined[obj] = true
			}
		}
		return true
	})
	for _, s := range block.List[from+1 : to+1] {
		usesDefined := false
		ast.Inspect(s, func(n ast.Node) bool {
			if id, ok := n.(*ast.Ident); ok && defined[t.info.Uses[id]] {
				usesDefined = true
			}
			return !usesDefined
		})
		if usesDefined {
			return nil, errors.New("code before the check uses what the statement declares")
		}
	}
	_, isDefer := stmt.(*ast.DeferStmt)
	check := block.List[to]
	return []candidate{{title: titleMoveUse, safe: isDefer, build: func(rw *rewrite) error {
		list, i, err := rw.slot(stmt)
		if err != nil {
			return err
		}
		moved := (*list)[i]
		*list = append((*list)[:i], (*list)[i+1:]...)
		moved.Decorations().Before = dst.NewLine
		return rw.insert(check, true, moved)
	}}}, nil
}

// otherFailuresFix inserts `if err != nil { ... }` before stmt, whose use
// of a result comes after a test of err for one kind of failure at
// kindPos-kindEnd: every other failure ends the path there, the way the
// function's failure paths do, with the error wrapped.
func otherFailuresFix(t *target, stmt ast.Stmt, kindPos, kindEnd token.Pos) ([]candidate, error) {
	path, _ := enclosingPath(t.file, kindPos, kindEnd)
	var kind *ast.CallExpr
	for _, n := range path {
		if c, ok := n.(*ast.CallExpr); ok && c.Pos() == kindPos {
			kind = c
			break
		}
	}
	if kind == nil || len(kind.Args) == 0 {
		return nil, errors.New("no test of the error at the related place")
	}
	errID, ok := ast.Unparen(kind.Args[0]).(*ast.Ident)
	if !ok {
		return nil, errors.New("the tested error is not a variable")
	}
	v, ok := t.info.Uses[errID].(*types.Var)
	if !ok {
		return nil, errors.New("the tested error is not a variable")
	}
	_, call, ok := lastAssignment(t, v, kindPos)
	if !ok {
		return nil, errors.New("no assignment of " + errID.Name + " from a call before the test")
	}
	fc, err := t.failContext(stmt)
	if err != nil {
		return nil, err
	}
	fl := t.callFailure(call, errID.Name)
	return []candidate{{title: titleCheckOthers, safe: !fc.ends(), build: func(rw *rewrite) error {
		branch, err := rw.branch(fc, fl, stmt.Pos())
		if err != nil {
			return err
		}
		check, err := parseStmts("if " + errID.Name + " != nil {\n" + branch + "\n}")
		if err != nil {
			return err
		}
		return rw.insert(stmt, false, check...)
	}}}, nil
}
