package fixes

import (
	"errors"
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"strconv"
	"strings"

	"github.com/dave/dst"
	"github.com/dave/dst/dstutil"
	"github.com/failfast-dev/failfast/rules/flow"
)

const (
	titleHandle      = "Handle the error"
	titleReturnErr   = "Return the error"
	titleWrap        = "Wrap the error with %w"
	titleNilNil      = "Return an error instead of nil, nil"
	titleMoveUse     = "Move this use after the error check"
	titleCheckOthers = "Check the error's other failures before this use"
	titleGuard       = "Guard the index with a length check"
)

// callContext names what a call does for an error message: tx.Commit →
// "commit", io.ReadAll → "read all".
func callContext(call *ast.CallExpr) string {
	switch f := ast.Unparen(call.Fun).(type) {
	case *ast.Ident:
		return fixWords(f.Name)
	case *ast.SelectorExpr:
		return fixWords(f.Sel.Name)
	case *ast.IndexExpr: // a generic function
		if id, ok := f.X.(*ast.Ident); ok {
			return fixWords(id.Name)
		}
	}
	return "call"
}

// callFailure is the failure a fix reports for call (nil when it is not
// known): what the call does and, when its first argument names one, its
// subject (`write file "/etc/app.conf": ...`), with the error expression
// err wrapped ("" for none); a server-side failure in an HTTP handler.
func (t *target) callFailure(call *ast.CallExpr, err string) failure {
	what, subject := "call", ""
	if call != nil {
		what, subject = callContext(call), t.callSubject(call)
	}
	fl := failure{format: escapePercent(what), err: err, what: what, status: "StatusInternalServerError"}
	if subject != "" {
		fl.format += " %q"
		fl.args = []string{subject}
	}
	return fl
}

// callSubject returns the first argument of call when it is a string
// variable (a path, a key, a URL), for the error message to name; else "".
func (t *target) callSubject(call *ast.CallExpr) string {
	if len(call.Args) == 0 {
		return ""
	}
	a := ast.Unparen(call.Args[0])
	switch a.(type) {
	case *ast.Ident, *ast.SelectorExpr:
	default:
		return ""
	}
	if tv, ok := t.info.Types[a]; !ok || tv.Value != nil || !isString(tv.Type) || !exprOK(a) {
		return ""
	}
	return t.text(a)
}

// errName returns the name of the error variable a fix introduces at pos
// and whether it is declared (:=) rather than assigned: err when it is
// free, the existing err when it is a local error variable of the
// function (no shadowing), else a fresh name.
func (rw *rewrite) errName(stmt ast.Stmt, f *fn, define bool) (string, bool) {
	pos := stmt.Pos()
	if rw.free("err", pos) {
		rw.taken["err"] = true
		return "err", true
	}
	if s := rw.scopeAt(pos); s != nil {
		if objScope, obj := s.LookupParent("err", pos); obj != nil {
			_, isVar := obj.(*types.Var)
			local := f.body.Pos() <= obj.Pos() && obj.Pos() < f.body.End()
			if isVar && local && isErrorType(obj.Type()) && (!define || objScope == s) && !readLater(rw.target, f, obj, stmt) {
				return "err", false
			}
		}
	}
	return rw.fresh("err", pos), true
}

// readLater reports whether the value obj holds before stmt may be read
// after it: the first mention of obj after stmt is not an assignment to it.
func readLater(t *target, f *fn, obj types.Object, stmt ast.Stmt) bool {
	var first *ast.Ident
	ast.Inspect(f.body, func(n ast.Node) bool {
		id, ok := n.(*ast.Ident)
		if ok && id.Pos() >= stmt.End() && t.info.Uses[id] == obj && (first == nil || id.Pos() < first.Pos()) {
			first = id
		}
		return true
	})
	if first == nil {
		return false
	}
	for _, n := range t.pathTo(first)[1:] {
		as, ok := n.(*ast.AssignStmt)
		if !ok {
			continue
		}
		for _, l := range as.Lhs {
			if l == first {
				return false
			}
		}
		break
	}
	return true
}

// discardedFix: a call whose error is dropped gets "if err != nil" and the
// failure branch of its context.
func discardedFix(t *target) ([]candidate, error) {
	call, ok := node[*ast.CallExpr](t)
	if !ok {
		return nil, errors.New("no call at the finding")
	}
	path := t.pathTo(call)
	if len(path) < 2 {
		return nil, errNoFix
	}
	fc, err := t.failContext(call)
	if err != nil {
		return nil, err
	}
	sig, ok := under(t.info.TypeOf(call.Fun)).(*types.Signature)
	if !ok || sig.Results().Len() == 0 {
		return nil, errors.New("the call has no type information")
	}
	n := sig.Results().Len()
	fl := t.callFailure(call, "")
	// reporting returns fl reporting the error in variable name. (A
	// handler answers bad request input with 400 in the request's terms:
	// failCtx.badInput.)
	reporting := func(name string) failure {
		f := fl
		f.err = name
		return f
	}
	var build func(rw *rewrite) error
	switch s := path[1].(type) {
	case *ast.ExprStmt: // f(x)
		build = func(rw *rewrite) error {
			name, define := rw.errName(s, fc.fn, true)
			return checkedCall(rw, fc, s, call, n, name, define, reporting(name))
		}
	case *ast.AssignStmt:
		if len(s.Rhs) != 1 || len(s.Lhs) != n {
			return nil, errNoFix
		}
		blank, ok := s.Lhs[n-1].(*ast.Ident)
		if !ok || blank.Name != "_" {
			return nil, errNoFix
		}
		allBlank := true
		for _, l := range s.Lhs {
			if id, ok := l.(*ast.Ident); !ok || id.Name != "_" {
				allBlank = false
			}
		}
		if v, text := t.parsed(s, call); v != "" {
			// price, _ := strconv.ParseInt(rec[2], 10, 64): the error says
			// which value was malformed, "invalid price "x": ...".
			fl.format, fl.what, fl.args = "invalid "+escapePercent(v), "invalid "+v, nil
			if text != "" {
				fl.format += " %q"
				fl.args = []string{text}
			}
		}
		build = func(rw *rewrite) error {
			if allBlank { // _ = f(x)
				name, define := rw.errName(s, fc.fn, true)
				return checkedCall(rw, fc, s, call, n, name, define, reporting(name))
			}
			// v, _ := f(x): name the error and check it after.
			name, isNew := rw.errName(s, fc.fn, s.Tok == token.DEFINE)
			if ifs, ok := path[2].(*ast.IfStmt); ok && ifs.Init == s {
				return checkInit(rw, fc, ifs, blank, name, reporting(name))
			}
			if isNew && s.Tok != token.DEFINE {
				// v, _ = f(x) with no error variable to reuse.
				decl, err := parseStmts("var " + name + " error")
				if err != nil {
					return err
				}
				if err := rw.insert(s, false, decl...); err != nil {
					return err
				}
			}
			dBlank, err := dstAs[*dst.Ident](rw, blank)
			if err != nil {
				return err
			}
			dBlank.Name = name
			branch, err := rw.branch(fc, reporting(name), s.End())
			if err != nil {
				return err
			}
			stmts, err := parseStmts("if " + name + " != nil {\n" + branch + "\n}")
			if err != nil {
				return err
			}
			return rw.insert(s, true, stmts...)
		}
	case *ast.DeferStmt: // defer f.Close(), in a function with a named error result
		if reassignedAfter(t, fc.fn, s) {
			return nil, errNoFix
		}
		errName := namedResult(fc.fn)
		if errName == "" { // no result to report through: log it
			return []candidate{{title: titleHandle, safe: true, build: func(rw *rewrite) error {
				return closureLog(rw, s, "defer", call, n, fl.what)
			}}}, nil
		}
		return []candidate{{title: titleHandle, safe: true, build: func(rw *rewrite) error {
			return deferredCheck(rw, s, call, n, errName, fl.what)
		}}}, nil
	case *ast.GoStmt: // go srv.ListenAndServe(): log the error in the goroutine
		if reassignedAfter(t, fc.fn, s) {
			return nil, errNoFix
		}
		return []candidate{{title: titleHandle, safe: true, build: func(rw *rewrite) error {
			return closureLog(rw, s, "go", call, n, fl.what)
		}}}, nil
	default:
		return nil, errNoFix
	}
	return []candidate{{title: titleHandle, safe: !fc.ends(), build: build}}, nil
}

// parsed returns, when as is "v, _ := f(text, ...)" with f a parser
// (strconv.Atoi, time.Parse, url.Parse, a function named Parse...), the
// name of what was parsed (v in words, unless it is too short to say
// anything, or the environment variable read) and the text parsed when it
// is a plain expression that is not a constant; else "".
func (t *target) parsed(as *ast.AssignStmt, call *ast.CallExpr) (v, text string) {
	id := lastName(call.Fun)
	if !strings.HasPrefix(id, "Parse") && id != "Atoi" && id != "Unquote" {
		return "", ""
	}
	for _, l := range as.Lhs {
		if lid, ok := l.(*ast.Ident); ok && lid.Name != "_" && len(lid.Name) > 2 {
			v = fixWords(lid.Name)
			break
		}
	}
	for _, a := range call.Args {
		tv, ok := t.info.Types[a]
		if !ok || tv.Value != nil || !isString(tv.Type) {
			continue
		}
		if c, ok := ast.Unparen(a).(*ast.CallExpr); ok && len(c.Args) == 1 && t.calleeIs(c, "os", "Getenv") {
			// strconv.ParseBool(os.Getenv("APP_VERBOSE")): the setting's name.
			if lit, ok := ast.Unparen(c.Args[0]).(*ast.BasicLit); ok && lit.Kind == token.STRING {
				if key, err := strconv.Unquote(lit.Value); err == nil {
					return key, ""
				}
			}
		}
		if v != "" && exprOK(a) {
			return v, t.text(a)
		}
	}
	return v, ""
}

// namedResult returns the name of f's last result when it is a named
// error, or "".
func namedResult(f *fn) string {
	res := f.sig.Results()
	if res.Len() == 0 {
		return ""
	}
	last := res.At(res.Len() - 1)
	if last.Name() == "" || last.Name() == "_" || !isErrorType(last.Type()) {
		return ""
	}
	return last.Name()
}

// reassignedAfter reports whether a variable the deferred call mentions is
// assigned after the defer statement: the call would then see the new value
// once moved into a closure.
func reassignedAfter(t *target, f *fn, d ast.Stmt) bool {
	var call *ast.CallExpr
	switch s := d.(type) {
	case *ast.DeferStmt:
		call = s.Call
	case *ast.GoStmt:
		call = s.Call
	default:
		return true
	}
	used := map[types.Object]bool{}
	ast.Inspect(call, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok {
			if obj, ok := t.info.Uses[id].(*types.Var); ok {
				used[obj] = true
			}
		}
		return true
	})
	found := false
	ast.Inspect(f.body, func(n ast.Node) bool {
		if n == nil || found || n.Pos() < d.End() && n.End() <= d.End() {
			return !found
		}
		var lhs []ast.Expr
		switch x := n.(type) {
		case *ast.AssignStmt:
			lhs = x.Lhs
		case *ast.IncDecStmt:
			lhs = []ast.Expr{x.X}
		case *ast.UnaryExpr:
			if x.Op == token.AND {
				lhs = []ast.Expr{x.X}
			}
		}
		for _, l := range lhs {
			if id, ok := ast.Unparen(l).(*ast.Ident); ok && l.Pos() > d.End() && used[t.info.ObjectOf(id)] {
				found = true
			}
		}
		return !found
	})
	return found
}

// closureLog turns "go f(x)" or "defer f(x)" into a function literal that
// logs f's error; a server shut down on purpose (http.ErrServerClosed) is
// not an error.
func closureLog(rw *rewrite, g ast.Stmt, keyword string, call *ast.CallExpr, n int, what string) error {
	pos := g.Pos()
	errName := "err"
	if !rw.free(errName, pos) {
		// err is taken outside: name the error after the call instead
		// (closeErr), which reads better than err2.
		base := identFrom(lastName(call.Fun) + " err")
		errName = rw.fresh(base, pos)
	}
	rw.taken[errName] = true
	cond := errName + " != nil"
	if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok {
		m, ok := rw.info.Uses[sel.Sel].(*types.Func)
		server := ok && m.Pkg() != nil && m.Pkg().Path() == "net/http" &&
			(strings.HasPrefix(m.Name(), "ListenAndServe") || strings.HasPrefix(m.Name(), "Serve"))
		if server {
			e, err := rw.pkgName("errors", pos)
			if err != nil {
				return err
			}
			h, err := rw.pkgName("net/http", pos)
			if err != nil {
				return err
			}
			cond += " && !" + e + ".Is(" + errName + ", " + h + ".ErrServerClosed)"
		}
	}
	logCall, err := rw.logCall(pos, "Error", what+" failed", []kv{{"error", errName}})
	if err != nil {
		return err
	}
	lhs := strings.Repeat("_, ", n-1) + errName
	stmts, err := parseStmts(keyword + " func() {\nif " + lhs + " := CALL; " + cond + " {\n" + logCall + "\n}\n}()")
	if err != nil {
		return err
	}
	if err := placeCall(rw, stmts[0], call); err != nil {
		return err
	}
	return rw.replace(g, stmts...)
}

// placeCall puts the dst node of call where generated code says CALL.
func placeCall(rw *rewrite, in dst.Node, call *ast.CallExpr) error {
	dCall, err := rw.dstOf(call)
	if err != nil {
		return err
	}
	placed := false
	dstutil.Apply(in, func(c *dstutil.Cursor) bool {
		if id, ok := c.Node().(*dst.Ident); ok && id.Name == "CALL" && !placed {
			dCall.Decorations().Before, dCall.Decorations().After = dst.None, dst.None
			c.Replace(dCall)
			placed = true
			return false
		}
		return !placed
	}, nil)
	if !placed {
		return errors.New("internal error: no place for the call")
	}
	return nil
}

// deferredCheck turns "defer f.Close()" into a deferred closure that
// reports the error through the named result when nothing else failed.
func deferredCheck(rw *rewrite, d *ast.DeferStmt, call *ast.CallExpr, n int, errName, what string) error {
	cerr := rw.fresh("c"+errName, d.Pos())
	f, err := rw.pkgName("fmt", d.Pos())
	if err != nil {
		return err
	}
	lhs := strings.Repeat("_, ", n-1) + cerr
	stmts, err := parseStmts("defer func() {\nif " + lhs + " := CALL; " + cerr + " != nil && " + errName + " == nil {\n" +
		errName + " = " + f + ".Errorf(" + quote(escapePercent(what)+": %w") + ", " + cerr + ")\n}\n}()")
	if err != nil {
		return err
	}
	if err := placeCall(rw, stmts[0], call); err != nil {
		return err
	}
	return rw.replace(d, stmts...)
}

// checkInit handles "if v, _ := f(x); cond { ... }": the error is checked
// first, "if v, err := f(x); err != nil { failure } else if cond { ... }".
func checkInit(rw *rewrite, fc *failCtx, ifs *ast.IfStmt, blank *ast.Ident, name string, fl failure) error {
	if as, ok := ifs.Init.(*ast.AssignStmt); !ok || as.Tok != token.DEFINE {
		return errNoFix
	}
	dBlank, err := dstAs[*dst.Ident](rw, blank)
	if err != nil {
		return err
	}
	dBlank.Name = name
	branch, err := rw.branch(fc, fl, ifs.Body.Lbrace)
	if err != nil {
		return err
	}
	stmts, err := parseStmts("if " + name + " != nil {\n" + branch + "\n}")
	if err != nil {
		return err
	}
	check, ok := stmts[0].(*dst.IfStmt)
	if !ok {
		return errors.New("internal error: generated code is not an if statement")
	}
	dIf, err := dstAs[*dst.IfStmt](rw, ifs)
	if err != nil {
		return err
	}
	check.Init, dIf.Init = dIf.Init, nil
	check.Else = dIf
	if err := rw.replace(ifs, check); err != nil {
		return err
	}
	// The comments around the if now belong to the new one.
	dIf.Decs.Start, dIf.Decs.End = nil, nil
	dIf.Decs.Before, dIf.Decs.After = dst.None, dst.None
	return nil
}

// checkedCall replaces statement s (the call, all results dropped) with
// "if _, err := call; err != nil { failure }"; fl reports the error.
func checkedCall(rw *rewrite, fc *failCtx, s ast.Stmt, call *ast.CallExpr, n int, name string, define bool, fl failure) error {
	branch, err := rw.branch(fc, fl, s.Pos())
	if err != nil {
		return err
	}
	lhs := strings.Repeat("_, ", n-1) + name
	tok := " = "
	if define {
		tok = " := "
	}
	stmts, err := parseStmts("if " + lhs + tok + "CALL; " + name + " != nil {\n" + branch + "\n}")
	if err != nil {
		return err
	}
	dCall, err := dstAs[*dst.CallExpr](rw, call)
	if err != nil {
		return err
	}
	ifs, ok := stmts[0].(*dst.IfStmt)
	if !ok {
		return errors.New("internal error: generated code is not an if statement")
	}
	init, ok := ifs.Init.(*dst.AssignStmt)
	if !ok {
		return errors.New("internal error: generated if has no init")
	}
	dCall.Decorations().Before, dCall.Decorations().After = dst.None, dst.None
	init.Rhs[0] = dCall
	return rw.replace(s, stmts...)
}

// errorSource finds the call that produced the error tested by ifs: the
// if's init, or the statement before it.
func (t *target) errorSource(ifs *ast.IfStmt, errExpr ast.Expr) *ast.CallExpr {
	fromAssign := func(s ast.Stmt) *ast.CallExpr {
		as, ok := s.(*ast.AssignStmt)
		if !ok || len(as.Rhs) != 1 {
			return nil
		}
		call, ok := ast.Unparen(as.Rhs[0]).(*ast.CallExpr)
		if !ok {
			return nil
		}
		for _, l := range as.Lhs {
			if id, ok := l.(*ast.Ident); ok && t.text(errExpr) == id.Name {
				return call
			}
		}
		return nil
	}
	if ifs.Init != nil {
		if c := fromAssign(ifs.Init); c != nil {
			return c
		}
	}
	path := t.pathTo(ifs)
	if len(path) > 1 {
		if b, ok := path[1].(*ast.BlockStmt); ok {
			for i, s := range b.List {
				if s == ifs && i > 0 {
					return fromAssign(b.List[i-1])
				}
			}
		}
	}
	return nil
}

// swallowedFix: in "if err != nil" the branch returns nil, is empty, or
// only logs: return the error wrapped with context.
func swallowedFix(t *target) ([]candidate, error) {
	var ifs *ast.IfStmt
	var ret *ast.ReturnStmt
	if r, ok := node[*ast.ReturnStmt](t); ok {
		ret = r
		ifs = t.swallowedIf(r)
	} else if x, ok := node[*ast.IfStmt](t); ok {
		ifs = x
	}
	if ifs == nil {
		return nil, errors.New("no if statement at the finding")
	}
	errExpr := flow.ErrNotNil(t.info, ifs.Cond)
	if errExpr == nil || !exprOK(errExpr) {
		return nil, errNoFix
	}
	fc, err := t.failContext(ifs)
	if err != nil {
		return nil, err
	}
	fl := t.callFailure(t.errorSource(ifs, errExpr), t.text(errExpr))
	title := titleReturnErr
	if fc.kind != failReturn {
		title = titleHandle
	} else if ret != nil {
		fl = t.fromLog(ifs.Body, errExpr, fl)
	}
	return []candidate{{title: title, safe: !fc.ends(), build: func(rw *rewrite) error {
		if ret != nil && fc.kind == failReturn && len(ret.Results) > 0 {
			last := ret.Results[len(ret.Results)-1]
			if err := rw.dropErrLogs(t, ifs.Body, errExpr); err != nil {
				return err
			}
			if t.passedIn(ifs, errExpr) {
				return replaceExpr(rw, last, dst.NewIdent(t.text(errExpr)))
			}
			f, err := rw.pkgName("fmt", ret.Pos())
			if err != nil {
				return err
			}
			args := strings.Join(append(slices.Clone(fl.args), fl.err), ", ")
			e, err := parseExpr(f + ".Errorf(" + quote(fl.format+": %w") + ", " + args + ")")
			if err != nil {
				return err
			}
			return replaceExpr(rw, last, e)
		}
		branch, err := rw.branch(fc, fl, ifs.Body.Rbrace)
		if err != nil {
			return err
		}
		stmts, err := parseStmts(branch)
		if err != nil {
			return err
		}
		if ret != nil {
			return rw.replace(ret, stmts...)
		}
		db, err := dstAs[*dst.BlockStmt](rw, ifs.Body)
		if err != nil {
			return err
		}
		db.List = append(rw.withoutErrLogs(t, ifs.Body, db, errExpr), stmts...)
		return nil
	}}}, nil
}

// replaceExpr replaces the dst node of e with x, keeping e's comments.
func replaceExpr(rw *rewrite, e ast.Expr, x dst.Expr) error {
	path := rw.pathTo(e)
	if len(path) < 2 {
		return errors.New("the expression has no parent")
	}
	dOld, err := rw.dstOf(e)
	if err != nil {
		return err
	}
	dParent, err := rw.dstOf(path[1])
	if err != nil {
		return err
	}
	*x.Decorations() = *dOld.Decorations()
	replaced := false
	replaceChild(dParent, dOld, x, &replaced)
	if !replaced {
		return errors.New("could not replace the expression")
	}
	return nil
}

// calleeIs reports whether call calls the package-level function pkg.name.
func (t *target) calleeIs(call *ast.CallExpr, pkg, name string) bool {
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != name {
		return false
	}
	f, ok := t.info.Uses[sel.Sel].(*types.Func)
	return ok && f.Pkg() != nil && f.Pkg().Path() == pkg
}

// replaceChild replaces old with x below parent.
func replaceChild(parent, old dst.Node, x dst.Expr, replaced *bool) {
	dstutil.Apply(parent, func(c *dstutil.Cursor) bool {
		if *replaced {
			return false
		}
		if c.Node() == old {
			c.Replace(x)
			*replaced = true
			return false
		}
		return true
	}, nil)
}
