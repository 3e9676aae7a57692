package fixes

import (
	"errors"
	"go/ast"
	"go/types"
	"strings"

	"github.com/failfast-dev/failfast/rules/flow"
)

// nilNilFix: return nil, nil becomes a return of an error: the error the
// enclosing if tests, wrapped, or a "not found" error naming the key.
func nilNilFix(t *target) ([]candidate, error) {
	ret, ok := node[*ast.ReturnStmt](t)
	if !ok || len(ret.Results) < 2 {
		return nil, errors.New("no return statement at the finding")
	}
	if !flow.IsNil(t.info, ret.Results[len(ret.Results)-1]) {
		// return nil, describe(body): replacing the call would drop the
		// error it builds when it builds one.
		return nil, errNoFix
	}
	f, err := t.funcAt(ret)
	if err != nil {
		return nil, err
	}
	what := ""
	if f.decl != nil {
		what = fixWords(f.decl.Name.Name)
	}
	// Name the first string parameter, usually the key looked up.
	var keyArg string
	params := f.sig.Params()
	for i := range params.Len() {
		if p := params.At(i); isString(p.Type()) && p.Name() != "" && p.Name() != "_" {
			keyArg = p.Name()
			break
		}
	}
	// The error an enclosing if tests (errors.Is(err, sql.ErrNoRows)).
	var errVar string
	for _, n := range t.pathTo(ret)[1:] {
		ifs, ok := n.(*ast.IfStmt)
		if !ok {
			continue
		}
		ast.Inspect(ifs.Cond, func(n ast.Node) bool {
			if id, ok := n.(*ast.Ident); ok && errVar == "" {
				if v, ok := t.info.Uses[id].(*types.Var); ok && isErrorType(v.Type()) {
					errVar = id.Name
				}
			}
			return errVar == ""
		})
		break
	}
	return []candidate{{title: titleNilNil, safe: false, build: func(rw *rewrite) error {
		last := ret.Results[len(ret.Results)-1]
		var src string
		switch {
		case errVar != "" || keyArg != "":
			fm, err := rw.pkgName("fmt", ret.Pos())
			if err != nil {
				return err
			}
			format, args := escapePercent(what), ""
			if keyArg != "" {
				format = strings.TrimSpace(format + " %q")
				args = ", " + keyArg
			}
			if errVar != "" {
				format += ": %w"
				args += ", " + errVar
			} else {
				format += ": not found"
			}
			src = fm + ".Errorf(" + quote(strings.TrimPrefix(format, ": ")) + args + ")"
		default:
			e, err := rw.pkgName("errors", ret.Pos())
			if err != nil {
				return err
			}
			msg := "not found"
			if what != "" {
				msg = what + ": not found"
			}
			src = e + ".New(" + quote(msg) + ")"
		}
		x, err := parseExpr(src)
		if err != nil {
			return err
		}
		return replaceExpr(rw, last, x)
	}}}, nil
}
