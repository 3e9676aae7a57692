package fixes

import (
	"errors"
	"fmt"
	"go/ast"
	"go/token"
	"strings"

	"github.com/dave/dst"
)

// indexFix guards x[k] with "if len(x) < k+1" before the statement.
func indexFix(t *target) ([]candidate, error) {
	ix, ok := node[*ast.IndexExpr](t)
	if !ok {
		return nil, errors.New("no index expression at the finding")
	}
	if !exprOK(ix.Index) {
		return nil, errNoFix
	}
	fc, err := t.failContext(ix)
	if err != nil {
		return nil, err
	}
	return []candidate{{title: titleGuard, safe: true, build: func(rw *rewrite) error {
		stmt, err := rw.stmtInBlock(ix)
		if err != nil {
			return err
		}
		x := rw.text(ix.X)
		if !exprOK(ix.X) {
			// strings.Split(s, "/")[3]: name the slice first.
			x = rw.fresh(sliceName(ix.X), stmt.Pos())
			dIx, err := dstAs[*dst.IndexExpr](rw, ix)
			if err != nil {
				return err
			}
			slice := dIx.X
			slice.Decorations().Before, slice.Decorations().After = dst.None, dst.None
			dIx.X = dst.NewIdent(x)
			decl := &dst.AssignStmt{Lhs: []dst.Expr{dst.NewIdent(x)}, Tok: token.DEFINE, Rhs: []dst.Expr{slice}}
			if err := rw.insert(stmt, false, decl); err != nil {
				return err
			}
		}
		var cond, need string
		if tv, ok := rw.info.Types[ix.Index]; ok && tv.Value != nil {
			var k int64
			if _, err := fmt.Sscan(tv.Value.ExactString(), &k); err != nil || k < 0 {
				return errNoFix
			}
			need = fmt.Sprint(k + 1)
			cond = "len(" + x + ") < " + need
		} else {
			need = rw.text(ix.Index) + "+1"
			cond = "len(" + x + ") <= " + rw.text(ix.Index)
		}
		fl := failure{format: escapePercent(x) + " has %d elements, want at least " + escapePercent(need),
			args: []string{"len(" + x + ")"}, what: "malformed request", status: "StatusBadRequest"}
		branch, err := rw.branch(fc, fl, stmt.Pos())
		if err != nil {
			return err
		}
		stmts, err := parseStmts("if " + cond + " {\n" + branch + "\n}")
		if err != nil {
			return err
		}
		return rw.insert(stmt, false, stmts...)
	}}}, nil
}

// sliceName names a slice computed by a call: "parts" for the strings
// splitters, "match" for regexp submatches, else "elems".
func sliceName(e ast.Expr) string {
	call, ok := ast.Unparen(e).(*ast.CallExpr)
	if !ok {
		return "elems"
	}
	name := lastName(call.Fun)
	switch {
	case strings.HasPrefix(name, "Split"), name == "Fields", name == "FieldsFunc":
		return "parts"
	case strings.Contains(name, "Submatch"):
		return "match"
	}
	return "elems"
}
