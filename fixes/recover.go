package fixes

import (
	"errors"
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"strings"

	"github.com/dave/dst"

	"github.com/failfast-dev/failfast/rules/flow"
	"github.com/failfast-dev/failfast/rules/provenance"
)

const (
	titleLogRecover    = "Log the recovered panic with its stack"
	titleReturnRecover = "Return the recovered panic as an error"
)

// recoverFixes: a recover() whose value is dropped or only compared with
// nil gets the value logged with the stack, or, in a function with a named
// error result, turned into that error.
func recoverFixes(t *target) ([]candidate, error) {
	call, ok := node[*ast.CallExpr](t)
	if !ok {
		return nil, errors.New("no recover() call at the finding")
	}
	shape, err := recoverShape(t, call)
	if err != nil {
		return nil, err
	}
	cands := []candidate{{title: titleLogRecover, safe: true, build: func(rw *rewrite) error {
		return shape.apply(rw, func(rw *rewrite, r string, pos token.Pos) (string, error) {
			stack, err := rw.pkgName("runtime/debug", pos)
			if err != nil {
				return "", err
			}
			// The branch already logs that something panicked: that log
			// gets the value and the stack, rather than a second line.
			if lg := shape.branchLog(t); lg != nil {
				return "", extendLog(rw, lg, r, stack)
			}
			l, err := rw.loggerAt(pos)
			if err != nil {
				return "", err
			}
			if l.style == styleSlog {
				return l.expr + `.Error("recovered panic", "panic", ` + r + `, "stack", string(` + stack + `.Stack()))`, nil
			}
			return l.expr + `.Printf("recovered panic: %v\n%s", ` + r + `, ` + stack + `.Stack())`, nil
		})
	}}}
	if errName := namedErrorResult(t, call); errName != "" && !shape.assigns(t, errName) {
		cands = append(cands, candidate{title: titleReturnRecover, safe: false, build: func(rw *rewrite) error {
			return shape.apply(rw, func(rw *rewrite, r string, pos token.Pos) (string, error) {
				stack, err := rw.pkgName("runtime/debug", pos)
				if err != nil {
					return "", err
				}
				f, err := rw.pkgName("fmt", pos)
				if err != nil {
					return "", err
				}
				return errName + " = " + f + `.Errorf("recovered panic: %v\n%s", ` + r + `, ` + stack + `.Stack())`, nil
			})
		}})
	}
	// if r := recover(); r != nil { err = errors.New("...") }: keep the
	// value in that error.
	if errName := namedErrorResult(t, call); errName != "" && shape.value != "" && shape.ifs != nil {
		if fresh := freshErrorAssigned(t, shape.ifs.Body, errName); fresh != nil {
			cands = append(cands, candidate{title: titleReturnRecover, safe: true, build: func(rw *rewrite) error {
				return keepPanicValue(rw, fresh, shape.value)
			}})
		}
	}
	return cands, nil
}

// freshErrorAssigned returns the errors.New("...") or fmt.Errorf("...",
// ...) call assigned to name in body, or nil.
func freshErrorAssigned(t *target, body *ast.BlockStmt, name string) *ast.CallExpr {
	var found *ast.CallExpr
	ast.Inspect(body, func(n ast.Node) bool {
		as, ok := n.(*ast.AssignStmt)
		if !ok || found != nil || len(as.Lhs) != 1 || len(as.Rhs) != 1 {
			return found == nil
		}
		id, ok := as.Lhs[0].(*ast.Ident)
		call, isCall := ast.Unparen(as.Rhs[0]).(*ast.CallExpr)
		if !ok || id.Name != name || !isCall || len(call.Args) == 0 {
			return true
		}
		if lit, ok := call.Args[0].(*ast.BasicLit); ok && lit.Kind == token.STRING &&
			(t.calleeIs(call, "errors", "New") && len(call.Args) == 1 || t.calleeIs(call, "fmt", "Errorf")) {
			found = call
		}
		return found == nil
	})
	return found
}

// keepPanicValue turns errors.New("msg") into fmt.Errorf("msg: %v", r)
// (fmt.Errorf("msg", args) into fmt.Errorf("msg: %v", args, r)).
func keepPanicValue(rw *rewrite, call *ast.CallExpr, r string) error {
	lit, ok := call.Args[0].(*ast.BasicLit)
	if !ok || len(lit.Value) < 2 {
		return errNoFix
	}
	v := lit.Value
	if rw.calleeIs(call, "errors", "New") && strings.Contains(v, "%") {
		return errNoFix
	}
	f, err := rw.pkgName("fmt", call.Pos())
	if err != nil {
		return err
	}
	args := []string{v[:len(v)-1] + ": %v" + v[len(v)-1:]}
	for _, a := range call.Args[1:] {
		args = append(args, rw.text(a))
	}
	e, err := parseExpr(f + ".Errorf(" + strings.Join(append(args, r), ", ") + ")")
	if err != nil {
		return err
	}
	return replaceExpr(rw, call, e)
}

// recoverForm is where a recover() call sits.
type recoverForm struct {
	call *ast.CallExpr
	stmt ast.Stmt    // the statement to rewrite
	ifs  *ast.IfStmt // for the if forms
	// value is the variable holding the recovered value when the code
	// already has one.
	value string
}

func recoverShape(t *target, call *ast.CallExpr) (*recoverForm, error) {
	path := t.pathTo(call)
	if len(path) < 2 {
		return nil, errNoFix
	}
	form := &recoverForm{call: call}
	switch p := path[1].(type) {
	case *ast.ExprStmt: // recover()
		form.stmt = p
		return form, nil
	case *ast.AssignStmt:
		if len(p.Lhs) != 1 || len(p.Rhs) != 1 {
			return nil, errNoFix
		}
		id, ok := p.Lhs[0].(*ast.Ident)
		if !ok {
			return nil, errNoFix
		}
		form.stmt = p
		if id.Name == "_" { // _ = recover()
			return form, nil
		}
		if p.Tok != token.DEFINE {
			return nil, errNoFix
		}
		form.value = id.Name // r := recover(); checked later or not at all
		if ifs, ok := path[2].(*ast.IfStmt); ok && ifs.Init == p {
			form.stmt, form.ifs = ifs, ifs
			if !nilTest(ifs.Cond, id.Name, token.NEQ) {
				return nil, errNoFix
			}
		}
		return form, nil
	case *ast.BinaryExpr: // if recover() != nil { ... }
		ifs, ok := path[2].(*ast.IfStmt)
		if !ok || ifs.Cond != p || ifs.Init != nil || p.Op != token.NEQ || !flow.IsNil(t.info, p.Y) {
			return nil, errNoFix
		}
		form.stmt, form.ifs = ifs, ifs
		return form, nil
	}
	return nil, errNoFix
}

// apply rewrites the form so that stmt(r) runs when a panic was recovered.
func (form *recoverForm) apply(rw *rewrite, stmt func(*rewrite, string, token.Pos) (string, error)) error {
	pos := form.stmt.Pos()
	switch {
	case form.ifs != nil && form.value != "": // if r := recover(); r != nil { body }
		s, err := stmt(rw, form.value, form.ifs.Body.Lbrace)
		if err != nil {
			return err
		}
		return prepend(rw, form.ifs.Body, s)
	case form.ifs != nil: // if recover() != nil { body }
		r := rw.fresh("r", pos)
		s, err := stmt(rw, r, pos)
		if err != nil {
			return err
		}
		dIf, err := dstAs[*dst.IfStmt](rw, form.ifs)
		if err != nil {
			return err
		}
		init, err := parseStmts(r + " := recover()")
		if err != nil {
			return err
		}
		cond, err := parseExpr(r + " != nil")
		if err != nil {
			return err
		}
		dIf.Init, dIf.Cond = init[0], cond
		return prepend(rw, form.ifs.Body, s)
	case form.value != "": // r := recover()
		s, err := stmt(rw, form.value, form.stmt.End())
		if err != nil {
			return err
		}
		if next := nextStmt(rw.target, form.stmt); next != nil {
			if ifs, ok := next.(*ast.IfStmt); ok && ifs.Init == nil && nilTest(ifs.Cond, form.value, token.NEQ) {
				return prepend(rw, ifs.Body, s) // r := recover(); if r != nil { ... }
			}
		}
		stmts, err := parseStmts("if " + form.value + " != nil {\n" + s + "\n}")
		if err != nil {
			return err
		}
		return rw.insert(form.stmt, true, stmts...)
	}
	// recover() or _ = recover()
	r := rw.fresh("r", pos)
	s, err := stmt(rw, r, pos)
	if err != nil {
		return err
	}
	stmts, err := parseStmts("if " + r + " := recover(); " + r + " != nil {\n" + s + "\n}")
	if err != nil {
		return err
	}
	return rw.replace(form.stmt, stmts...)
}

// assigns reports whether the if form's body already assigns name.
func (form *recoverForm) assigns(t *target, name string) bool {
	if form.ifs == nil {
		return false
	}
	found := false
	ast.Inspect(form.ifs.Body, func(n ast.Node) bool {
		if as, ok := n.(*ast.AssignStmt); ok {
			for _, l := range as.Lhs {
				if id, ok := l.(*ast.Ident); ok && id.Name == name {
					found = true
				}
			}
		}
		return !found
	})
	return found
}

// prepend adds statement s at the start of block b.
func prepend(rw *rewrite, b *ast.BlockStmt, s string) error {
	db, err := dstAs[*dst.BlockStmt](rw, b)
	if err != nil {
		return err
	}
	stmts, err := parseStmts(s)
	if err != nil {
		return err
	}
	db.List = append(stmts, db.List...)
	return nil
}

// namedErrorResult returns the name of the error result of the function
// that defers the literal holding call, or "".
func namedErrorResult(t *target, call *ast.CallExpr) string {
	path := t.pathTo(call)
	for i, n := range path {
		lit, ok := n.(*ast.FuncLit)
		if !ok {
			continue
		}
		if i+2 >= len(path) {
			return ""
		}
		c, ok := path[i+1].(*ast.CallExpr)
		if !ok || c.Fun != lit {
			return ""
		}
		if _, ok := path[i+2].(*ast.DeferStmt); !ok {
			return ""
		}
		outer, err := t.funcAt(path[i+2])
		if err != nil {
			return ""
		}
		res := outer.sig.Results()
		if res.Len() == 0 {
			return ""
		}
		last := res.At(res.Len() - 1)
		if last.Name() == "" || last.Name() == "_" || !isErrorType(last.Type()) {
			return ""
		}
		// The name must still mean the result inside the literal.
		if s := t.scopeAt(call.Pos()); s != nil {
			if _, obj := s.LookupParent(last.Name(), call.Pos()); obj != types.Object(last) {
				return ""
			}
		}
		return last.Name()
	}
	return ""
}

func nilTest(cond ast.Expr, name string, op token.Token) bool {
	b, ok := ast.Unparen(cond).(*ast.BinaryExpr)
	if !ok || b.Op != op {
		return false
	}
	id, ok := ast.Unparen(b.X).(*ast.Ident)
	return ok && id.Name == name && flow.IsNil(nil, b.Y)
}

// nextStmt returns the statement after s in its block, or nil.
func nextStmt(t *target, s ast.Stmt) ast.Stmt {
	path := t.pathTo(s)
	if len(path) < 2 {
		return nil
	}
	b, ok := path[1].(*ast.BlockStmt)
	if !ok {
		return nil
	}
	for i, x := range b.List {
		if x == s && i+1 < len(b.List) {
			return b.List[i+1]
		}
	}
	return nil
}

// branchLog returns the one logging call among the statements of the if
// form's panic branch, when it logs with a constant message that it can
// take the value and the stack in: a printf-style call (log.Printf("job
// failed")) or a log/slog call.
func (form *recoverForm) branchLog(t *target) *ast.CallExpr {
	if form.ifs == nil {
		return nil
	}
	lists := provenance.Default()
	var found *ast.CallExpr
	for _, s := range form.ifs.Body.List {
		es, ok := s.(*ast.ExprStmt)
		if !ok {
			continue
		}
		call, ok := ast.Unparen(es.X).(*ast.CallExpr)
		if !ok || !lists.IsLog(t.info, call) || lists.IsExit(t.info, call) || len(call.Args) == 0 {
			continue
		}
		if found != nil {
			return nil // two logs: which one is the panic's?
		}
		if tv, ok := t.info.Types[call.Args[0]]; !ok || tv.Value == nil || tv.Value.Kind() != constant.String {
			return nil
		}
		found = call
	}
	if found == nil {
		return nil
	}
	if id := provenance.CalleeIdent(found); !isSlog(t, found) && (id == nil || !strings.HasSuffix(id.Name, "f")) {
		return nil
	}
	return found
}

func isSlog(t *target, call *ast.CallExpr) bool {
	for _, n := range provenance.CalleeNames(t.info, call) {
		if strings.HasPrefix(n, "log/slog.") {
			return true
		}
	}
	return false
}

// extendLog adds the recovered value r and the stack to the logging call:
// "panic", r, "stack", string(debug.Stack()) for slog, and ": %v\n%s" with
// r and debug.Stack() for a printf-style call.
func extendLog(rw *rewrite, call *ast.CallExpr, r, stack string) error {
	args := make([]string, len(call.Args))
	for i, a := range call.Args {
		args[i] = rw.text(a)
	}
	if isSlog(rw.target, call) {
		args = append(args, `"panic"`, r, `"stack"`, "string("+stack+".Stack())")
	} else {
		lit, ok := call.Args[0].(*ast.BasicLit)
		if !ok || lit.Kind != token.STRING || !strings.HasPrefix(lit.Value, `"`) {
			return errNoFix
		}
		v := strings.TrimSuffix(lit.Value[:len(lit.Value)-1], `\n`)
		args[0] = v + `: %v\n%s"`
		args = append(args, r, stack+".Stack()")
	}
	e, err := parseExpr(rw.text(call.Fun) + "(" + strings.Join(args, ", ") + ")")
	if err != nil {
		return err
	}
	return replaceExpr(rw, call, e)
}
