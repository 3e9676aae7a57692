package fixes

import (
	"errors"
	"go/ast"
	"go/token"
	"go/types"
	"strconv"
	"strings"

	"github.com/dave/dst"

	"github.com/failfast-dev/failfast/rules/flow"
	"github.com/failfast-dev/failfast/rules/provenance"
)

const titleLogDefault = "Log the default that is chosen"

// defaultFix logs a fallback when it is chosen: the setting's name, why the
// default is used (missing, or not the kind of value the parse wants) and
// the default when it is a constant. It never logs a value that came from
// outside (the setting's text, the parse error that quotes it, a fallback
// read from another variable or a file): any of them may be a secret.
func defaultFix(t *target) ([]candidate, error) {
	if call, ok := node[*ast.CallExpr](t); ok && t.calleeIs(call, "cmp", "Or") {
		return cmpOrFix(t, call)
	}
	fb := t.fallbackStmt()
	if fb == nil {
		return nil, errNoFix
	}
	read := t.readCall()
	if read == nil {
		return nil, errors.New("cannot find where the setting is read")
	}
	name, nameExpr := settingName(t, read)
	parse := strings.HasPrefix(t.f.Message, "when ")
	if call, ok := read.(*ast.CallExpr); ok && parse && name == "" && nameExpr == "" {
		name = t.parsedField(call) // strconv.Atoi(j.TimeoutMinutes): the field names the setting
	}
	why := "is not set"
	if ta, ok := read.(*ast.TypeAssertExpr); ok { // m["currency"].(string)
		why = "is missing or not a " + t.text(ta.Type)
	}
	if parse {
		why = "is not valid"
		if call, ok := read.(*ast.CallExpr); ok {
			if names := provenance.CalleeNames(t.info, call); len(names) > 0 && wantOf(names[0]) != "" {
				why += " (want " + wantOf(names[0]) + ")"
			}
		}
	}
	msg := name + " " + why + "; using the default"
	var attrs []kv
	switch {
	case name != "" && t.isHeaderRead(read) && !parse:
		msg = "request has no " + name + " header; using the default"
	case name != "":
	case nameExpr != "": // os.Getenv(key): the key is a name, not a value
		msg = "setting " + why + "; using the default"
		attrs = append(attrs, kv{"setting", nameExpr})
	default: // parseDate(rec[0]): name the parse, not the input
		msg = "input " + why + "; using the default"
		if call, ok := read.(*ast.CallExpr); ok {
			msg = t.text(call.Fun) + " failed; using the default"
		}
	}
	return []candidate{{title: titleLogDefault, safe: true, build: func(rw *rewrite) error {
		switch s := fb.(type) {
		case *ast.AssignStmt: // x = default, inside the branch or before the if
			if len(s.Lhs) != 1 || len(s.Rhs) != 1 {
				return errNoFix
			}
			attrs := append(attrs, t.constDefault(s.Rhs[0])...)
			if ifs := t.ifAfter(s, read); ifs != nil { // dsn := "default"; if v := os.Getenv(...); v != "" { dsn = v }
				return logInElse(rw, ifs, msg, attrs)
			}
			call, err := rw.logCall(s.End(), "Warn", msg, attrs)
			if err != nil {
				return err
			}
			stmts, err := parseStmts(call)
			if err != nil {
				return err
			}
			return rw.insert(s, true, stmts...)
		case *ast.ReturnStmt: // return default
			if len(s.Results) == 1 {
				attrs = append(attrs, t.constDefault(s.Results[0])...)
			}
			call, err := rw.logCall(s.Pos(), "Warn", msg, attrs)
			if err != nil {
				return err
			}
			stmts, err := parseStmts(call)
			if err != nil {
				return err
			}
			if ifs := t.nestedParse(s, read); ifs != nil {
				// if s != "" { if n, err := parse(s); err == nil { return … } }; return def:
				// the return also serves the empty setting; log where the parse fell through.
				return rw.insert(ifs, true, stmts...)
			}
			return rw.insert(s, false, stmts...)
		}
		return errNoFix
	}}}, nil
}

// parsedField returns the text of the field a parse reads (j.Timeout in
// time.ParseDuration(j.Timeout), o.Date in time.Parse(layout, o.Date)), or
// "" when the parsed text is not a field.
func (t *target) parsedField(call *ast.CallExpr) string {
	for _, a := range call.Args {
		if tv, ok := t.info.Types[a]; ok && tv.Value != nil {
			continue // the layout or the base
		}
		sel, ok := ast.Unparen(a).(*ast.SelectorExpr)
		if !ok || !exprOK(sel) {
			return ""
		}
		if s, ok := t.info.Selections[sel]; !ok || s.Kind() != types.FieldVal {
			return ""
		}
		return t.text(sel)
	}
	return ""
}

// nestedParse returns the if statement around read when it sits in an
// inner block, not in ret's: the return after the outer if also runs when
// the parse was never tried.
func (t *target) nestedParse(ret *ast.ReturnStmt, read ast.Node) *ast.IfStmt {
	rp := t.pathTo(ret)
	if len(rp) < 2 {
		return nil
	}
	for _, n := range t.pathTo(read) {
		ifs, ok := n.(*ast.IfStmt)
		if !ok {
			continue
		}
		p := t.pathTo(ifs)
		if len(p) < 2 || p[1] == rp[1] {
			return nil
		}
		return ifs
	}
	return nil
}

// constDefault returns the "default" attribute for a fallback that is a
// constant (8080, 30 * time.Second, a named constant); none for anything
// else, whose value may have come from outside.
func (t *target) constDefault(e ast.Expr) []kv {
	if tv, ok := t.info.Types[e]; ok && tv.Value != nil && exprOK(e) {
		return []kv{{"default", t.text(e)}}
	}
	return nil
}

// isHeaderRead reports whether read is a Header.Get call.
func (t *target) isHeaderRead(read ast.Node) bool {
	call, ok := read.(*ast.CallExpr)
	if !ok {
		return false
	}
	names := provenance.CalleeNames(t.info, call)
	return len(names) > 0 && names[0] == "net/http.Header.Get"
}

// fallbackStmt returns the statement the finding reports.
func (t *target) fallbackStmt() ast.Stmt {
	for _, n := range t.path {
		switch s := n.(type) {
		case *ast.AssignStmt:
			return s
		case *ast.ReturnStmt:
			return s
		case ast.Stmt:
			return nil
		}
	}
	return nil
}

// readCall returns the expression that reads the setting (the related
// location): a call, or the type assertion of a document's field.
func (t *target) readCall() ast.Node {
	pos, end := t.relatedRange()
	if pos == token.NoPos {
		return nil
	}
	path, _ := enclosingPath(t.file, pos, end)
	for _, n := range path {
		switch e := n.(type) {
		case *ast.CallExpr:
			if e.Pos() == pos {
				return e
			}
		case *ast.TypeAssertExpr:
			if e.Pos() == pos && e.End() == end {
				return e
			}
		}
	}
	return nil
}

// settingName returns the name a read call looks up (the string literal
// given to os.Getenv, Query().Get, flag lookups...), or else "" and the
// expression naming it.
func settingName(t *target, read ast.Node) (string, string) {
	var name, expr string
	ast.Inspect(read, func(n ast.Node) bool {
		if ix, ok := n.(*ast.IndexExpr); ok && name == "" && expr == "" {
			// cfg["timeout"]: a key of a settings map
			if lit, ok := ix.Index.(*ast.BasicLit); ok && lit.Kind == token.STRING {
				if s, err := strconv.Unquote(lit.Value); err == nil && s != "" {
					name = s
					return false
				}
			}
		}
		call, ok := n.(*ast.CallExpr)
		if !ok || name != "" || expr != "" || len(call.Args) != 1 {
			return name == "" && expr == ""
		}
		if lit, ok := call.Args[0].(*ast.BasicLit); ok && lit.Kind == token.STRING {
			if s, err := strconv.Unquote(lit.Value); err == nil && s != "" {
				name = s
				return false
			}
		}
		if tv, ok := t.info.Types[call.Args[0]]; ok && isString(tv.Type) && exprOK(call.Args[0]) {
			if sel, ok := call.Fun.(*ast.SelectorExpr); ok && (sel.Sel.Name == "Getenv" || sel.Sel.Name == "LookupEnv" || sel.Sel.Name == "Get") {
				expr = t.text(call.Args[0])
				return false
			}
		}
		return true
	})
	return name, expr
}

func isString(t types.Type) bool {
	b, ok := under(t).(*types.Basic)
	return ok && b.Info()&types.IsString != 0
}

// errInCond returns the error variable an enclosing "if err != nil" tests.
func (t *target) errInCond(s ast.Stmt) string {
	for _, n := range t.pathTo(s)[1:] {
		ifs, ok := n.(*ast.IfStmt)
		if !ok {
			continue
		}
		b, ok := ast.Unparen(ifs.Cond).(*ast.BinaryExpr)
		if !ok || b.Op != token.NEQ || !flow.IsNil(t.info, b.Y) {
			return ""
		}
		if id, ok := ast.Unparen(b.X).(*ast.Ident); ok && isErrorType(t.info.TypeOf(id)) {
			return id.Name
		}
		return ""
	}
	return ""
}

// ifAfter returns the if statement after s, in s's block, that holds the
// read: the default is assigned first and replaced when the setting is
// there.
func (t *target) ifAfter(s ast.Stmt, read ast.Node) *ast.IfStmt {
	path := t.pathTo(s)
	if len(path) < 2 {
		return nil
	}
	b, ok := path[1].(*ast.BlockStmt)
	if !ok {
		return nil
	}
	for _, x := range b.List {
		if ifs, ok := x.(*ast.IfStmt); ok && x.Pos() > s.End() && ifs.Pos() <= read.Pos() && read.End() <= ifs.End() {
			return ifs
		}
	}
	return nil
}

// logInElse adds an else branch that logs to an if statement that has
// none.
func logInElse(rw *rewrite, ifs *ast.IfStmt, msg string, attrs []kv) error {
	if ifs.Else != nil {
		return errNoFix
	}
	call, err := rw.logCall(ifs.Body.Rbrace, "Warn", msg, attrs)
	if err != nil {
		return err
	}
	dIf, err := dstAs[*dst.IfStmt](rw, ifs)
	if err != nil {
		return err
	}
	stmts, err := parseStmts(call)
	if err != nil {
		return err
	}
	dIf.Else = &dst.BlockStmt{List: stmts}
	return nil
}

// cmpOrFix: cmp.Or(os.Getenv("X"), "default") reads the setting into a
// variable first and logs when it is empty.
func cmpOrFix(t *target, call *ast.CallExpr) ([]candidate, error) {
	if len(call.Args) != 2 {
		return nil, errNoFix // with more arguments, the default is not the only fallback
	}
	read, ok := ast.Unparen(call.Args[0]).(*ast.CallExpr)
	if !ok || !exprOK(call.Args[1]) {
		return nil, errNoFix
	}
	name, nameExpr := settingName(t, read)
	msg := name + " is not set; using the default"
	attrs := t.constDefault(call.Args[1])
	base := identFrom(name)
	if name == "" {
		if nameExpr == "" {
			return nil, errNoFix
		}
		msg = "setting is not set; using the default"
		attrs = append([]kv{{"setting", nameExpr}}, attrs...)
		base = "v"
	}
	return []candidate{{title: titleLogDefault, safe: true, build: func(rw *rewrite) error {
		stmt, err := rw.stmtInBlock(call)
		if err != nil {
			return err
		}
		v := rw.fresh(base, stmt.Pos())
		dRead, err := rw.dstOf(read)
		if err != nil {
			return err
		}
		dCall, err := dstAs[*dst.CallExpr](rw, call)
		if err != nil {
			return err
		}
		dArg, ok := dRead.(dst.Expr)
		if !ok || len(dCall.Args) != 2 {
			return errNoFix
		}
		dArg.Decorations().Before, dArg.Decorations().After = dst.None, dst.None
		dCall.Args[0] = dst.NewIdent(v)
		zero, err := rw.zero(rw.info.TypeOf(read), stmt.Pos())
		if err != nil {
			return err
		}
		logCall, err := rw.logCall(stmt.Pos(), "Warn", msg, attrs)
		if err != nil {
			return err
		}
		stmts, err := parseStmts("if " + v + " == " + zero + " {\n" + logCall + "\n}")
		if err != nil {
			return err
		}
		decl := &dst.AssignStmt{Lhs: []dst.Expr{dst.NewIdent(v)}, Tok: token.DEFINE, Rhs: []dst.Expr{dArg}}
		return rw.insert(stmt, false, append([]dst.Stmt{decl}, stmts...)...)
	}}}, nil
}
