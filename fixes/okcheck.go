package fixes

import (
	"errors"
	"go/ast"
	"go/token"
	"go/types"
	"strconv"
	"strings"
	"unicode"

	"github.com/dave/dst"

	"github.com/failfast-dev/failfast/rules/provenance"
)

// Titles of the ok-check fixes.
const (
	titleAssert = "Use the two-value form and handle a mismatch"
	titleLookup = "Check that the key is present"
)

// assertionFix: v := x.(T) becomes v, ok := x.(T) followed by a failure
// branch; an assertion inside a larger expression is first hoisted into a
// variable.
func assertionFix(t *target) ([]candidate, error) {
	ta, ok := node[*ast.TypeAssertExpr](t)
	if !ok || ta.Type == nil {
		return nil, errors.New("no type assertion at the finding")
	}
	return assertCandidates(t, ta)
}

func assertCandidates(t *target, ta *ast.TypeAssertExpr) ([]candidate, error) {
	fc, err := t.failContext(ta)
	if err != nil {
		return nil, err
	}
	desc := describe(t, ta.X)
	typ := t.text(ta.Type)
	fl := failure{format: escapePercent(desc) + " is not a " + typ, what: desc + " must be a " + typ,
		status: "StatusInternalServerError"}
	if exprOK(ta.X) {
		fl.format = escapePercent(desc) + " is %T, want " + typ
		fl.args = []string{t.text(ta.X)}
	}
	if fromDocument(t, ta.X) {
		fl.status = "StatusBadRequest" // an element of a document the client sent
		if kind, ok := jsonKinds[typ]; ok {
			fl.what = desc + " must be " + kind
		}
	}
	base := nameFor(t, ta.X, t.info.TypeOf(ta.Type))
	return []candidate{{title: titleAssert, safe: true, build: func(rw *rewrite) error {
		return okCheck(rw, fc, ta, base, fl)
	}}}, nil
}

// lookupFix: v := m[k] becomes v, ok := m[k] followed by a failure branch.
func lookupFix(t *target) ([]candidate, error) {
	ix, ok := node[*ast.IndexExpr](t)
	if !ok {
		return nil, errors.New("no map index at the finding")
	}
	mt, ok := under(t.info.TypeOf(ix.X)).(*types.Map)
	if !ok {
		return nil, errors.New("the indexed value is not a map")
	}
	if ta, ok := assertedLookup(t, ix); ok {
		// doc["port"].(float64): the two-value assertion fails on a
		// missing field too, so the assertion's fix is the lookup's.
		return assertCandidates(t, ta)
	}
	fc, err := t.failContext(ix)
	if err != nil {
		return nil, err
	}
	mapText := t.text(ix.X)
	keyText := t.text(ix.Index)
	noun := lastName(ix.X)
	fl := failure{format: escapePercent(mapText) + " has no key " + escapePercent(keyText),
		what: "unknown " + fixWords(noun), status: "StatusNotFound"}
	verb := "%v"
	if b, ok := under(t.info.TypeOf(ix.Index)).(*types.Basic); ok && b.Info()&types.IsString != 0 {
		verb = "%q"
	}
	base := singular(noun)
	if id := identFrom(base); id != "" { // s.Revenue[region] → revenue, not a capitalised local
		base = id
	}
	if exprOK(ix.Index) {
		fl.format = escapePercent(mapText) + " has no key " + verb
		fl.args = []string{keyText}
	}
	if kind := requestMap(t.info.TypeOf(ix.X)); kind != "" && constKey(ix) != "" { // r.URL.Query()["code"]
		fl.format = "missing " + kind + " " + escapePercent(constKey(ix))
		fl.what, fl.args, fl.status = fl.format, nil, "StatusBadRequest"
		if id := identFrom(constKey(ix)); id != "" {
			base = id + "Values"
		}
	} else if d := describe(t, ix); strings.HasPrefix(d, "field ") && types.IsInterface(mt.Elem()) { // doc["payload"]
		fl.format, fl.args, fl.what = escapePercent(d)+" is missing", nil, d+" is missing"
		fl.status = "StatusBadRequest"
		if id := nameFor(t, ix, nil); id != "v" {
			base = id
		}
	}
	return []candidate{{title: titleLookup, safe: true, build: func(rw *rewrite) error {
		fl := fl
		if as, ok := directAssign(rw.target, ix); ok && !exprOK(ix.Index) {
			// Name the key so that the message can show it:
			// key := f(x); v, ok := m[key].
			name := rw.fresh(keyName(ix.Index), as.Pos())
			dIx, err := dstAs[*dst.IndexExpr](rw, ix)
			if err != nil {
				return err
			}
			key := dIx.Index
			key.Decorations().Before, key.Decorations().After = dst.None, dst.None
			dIx.Index = dst.NewIdent(name)
			decl := &dst.AssignStmt{Lhs: []dst.Expr{dst.NewIdent(name)}, Tok: token.DEFINE, Rhs: []dst.Expr{key}}
			if err := rw.insert(as, false, decl); err != nil {
				return err
			}
			fl.format = escapePercent(mapText) + " has no key " + verb
			fl.args = []string{name}
		}
		return okCheck(rw, fc, ix, base, fl)
	}}}, nil
}

// assertedLookup returns the single-value type assertion ix is the operand
// of, as in doc["port"].(float64).
func assertedLookup(t *target, ix *ast.IndexExpr) (*ast.TypeAssertExpr, bool) {
	for _, n := range t.pathTo(ix)[1:] {
		if _, ok := n.(*ast.ParenExpr); ok {
			continue
		}
		ta, ok := n.(*ast.TypeAssertExpr)
		return ta, ok && ta.Type != nil
	}
	return nil, false
}

// fromDocument reports whether e is taken from a document (decoded JSON
// or YAML) rather than built by the program.
func fromDocument(t *target, e ast.Expr) bool {
	var fn ast.Node
	for _, n := range t.path {
		switch n.(type) {
		case *ast.FuncDecl, *ast.FuncLit:
			fn = n
		}
	}
	d := &provenance.Documents{Info: t.info, Files: t.pkg.Syntax}
	return d.Source(fn, e) != ""
}

// requestMap names what a request's map holds, in the client's terms:
// "query parameter" for url.Values, "header" for http.Header; else "".
func requestMap(t types.Type) string {
	n, ok := types.Unalias(t).(*types.Named)
	if !ok || n.Obj().Pkg() == nil {
		return ""
	}
	switch n.Obj().Pkg().Path() + "." + n.Obj().Name() {
	case "net/url.Values":
		return "query parameter"
	case "net/http.Header":
		return "header"
	}
	return ""
}

// constKey returns the value of ix's key when it is a string literal.
func constKey(ix *ast.IndexExpr) string {
	lit, ok := ast.Unparen(ix.Index).(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING {
		return ""
	}
	s, err := strconv.Unquote(lit.Value)
	if err != nil || strings.ContainsAny(s, "\"`\n") {
		return ""
	}
	return s
}

// directAssign returns the statement v := e when e is its whole right-hand
// side.
func directAssign(t *target, e ast.Expr) (*ast.AssignStmt, bool) {
	for _, n := range t.pathTo(e)[1:] {
		if _, ok := n.(*ast.ParenExpr); ok {
			continue
		}
		as, ok := n.(*ast.AssignStmt)
		return as, ok && as.Tok == token.DEFINE && len(as.Lhs) == 1 && len(as.Rhs) == 1 && ast.Unparen(as.Rhs[0]) == e
	}
	return nil, false
}

// keyName picks a name for a map key computed by a call: the string
// literal the call is given (Query().Get("warehouse") → warehouse), else
// "key".
func keyName(e ast.Expr) string {
	if call, ok := ast.Unparen(e).(*ast.CallExpr); ok && len(call.Args) == 1 {
		if lit, ok := call.Args[0].(*ast.BasicLit); ok && lit.Kind == token.STRING {
			if s, err := strconv.Unquote(lit.Value); err == nil {
				if id := identFrom(s); id != "" {
					return id
				}
			}
		}
	}
	return "key"
}

// okCheck turns the single-value form of e (a type assertion or map index)
// into the comma-ok form and adds "if !ok { failure }" after it.
func okCheck(rw *rewrite, fc *failCtx, e ast.Expr, base string, fl failure) error {
	stmt, err := rw.stmtInBlock(e)
	if err != nil {
		return err
	}
	pos := stmt.Pos()
	okName := rw.fresh("ok", pos)
	branch, err := rw.branch(fc, fl, pos)
	if err != nil {
		return err
	}
	check, err := parseStmts("if !" + okName + " {\n" + branch + "\n}")
	if err != nil {
		return err
	}
	// The two-value form in place: v := x.(T), var v = x.(T); not when v
	// shadows a name in x (item := item.(T)), which the failure branch
	// must still show.
	switch s := stmt.(type) {
	case *ast.AssignStmt:
		if s.Tok == token.DEFINE && len(s.Lhs) == 1 && len(s.Rhs) == 1 && ast.Unparen(s.Rhs[0]) == e && !mentions(e, s.Lhs[0]) {
			ds, err := dstAs[*dst.AssignStmt](rw, s)
			if err != nil {
				return err
			}
			ds.Lhs = append(ds.Lhs, dst.NewIdent(okName))
			return rw.insert(stmt, true, check...)
		}
	case *ast.DeclStmt:
		if gd, ok := s.Decl.(*ast.GenDecl); ok && gd.Tok == token.VAR && len(gd.Specs) == 1 {
			if vs, ok := gd.Specs[0].(*ast.ValueSpec); ok && vs.Type == nil && len(vs.Names) == 1 &&
				len(vs.Values) == 1 && ast.Unparen(vs.Values[0]) == e && !mentions(e, vs.Names[0]) {
				dvs, err := dstAs[*dst.ValueSpec](rw, vs)
				if err != nil {
					return err
				}
				dvs.Names = append(dvs.Names, dst.NewIdent(okName))
				return rw.insert(stmt, true, check...)
			}
		}
	}
	// Otherwise hoist: name, ok := x.(T); if !ok {...}; and use name.
	name := rw.fresh(base, pos)
	outer := ast.Node(e)
	for _, p := range rw.pathTo(e)[1:] {
		if _, ok := p.(*ast.ParenExpr); !ok {
			break
		}
		outer = p
	}
	dOuter, err := rw.dstOf(outer)
	if err != nil {
		return err
	}
	dExpr, err := dstAs[dst.Expr](rw, e)
	if err != nil {
		return err
	}
	if err := rw.replaceWithName(stmt, dOuter, name); err != nil {
		return err
	}
	dExpr.Decorations().Before, dExpr.Decorations().After = dst.None, dst.None
	decl := &dst.AssignStmt{Lhs: []dst.Expr{dst.NewIdent(name), dst.NewIdent(okName)}, Tok: token.DEFINE, Rhs: []dst.Expr{dExpr}}
	return rw.insert(stmt, false, append([]dst.Stmt{decl}, check...)...)
}

// mentions reports whether e refers to a name spelled like the identifier
// v declares.
func mentions(e ast.Expr, v ast.Expr) bool {
	id, ok := v.(*ast.Ident)
	if !ok {
		return false
	}
	found := false
	ast.Inspect(e, func(n ast.Node) bool {
		if x, ok := n.(*ast.Ident); ok && x.Name == id.Name {
			found = true
		}
		return !found
	})
	return found
}

// jsonKinds names the Go types encoding/json decodes into an interface
// value as the JSON kinds a client sends.
var jsonKinds = map[string]string{
	"string": "a string", "float64": "a number", "bool": "true or false",
	"map[string]any": "an object", "map[string]interface{}": "an object",
	"[]any": "an array", "[]interface{}": "an array",
}

// describe names the value e for a message: `field "sku"` for an element
// of a decoded document, "context value userKey{}", or e's text.
func describe(t *target, e ast.Expr) string {
	e = ast.Unparen(e)
	if ix, ok := e.(*ast.IndexExpr); ok {
		if lit, ok := ix.Index.(*ast.BasicLit); ok && lit.Kind == token.STRING {
			if key, err := strconv.Unquote(lit.Value); err == nil && key != "" && !strings.ContainsAny(key, "\"`\n") {
				return "field " + key
			}
		}
	}
	if call, ok := e.(*ast.CallExpr); ok && len(call.Args) == 1 {
		if sel, ok := call.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "Value" {
			return "context value " + t.text(call.Args[0])
		}
	}
	return t.text(e)
}

// nameFor picks a base name for a variable holding e converted to typ.
func nameFor(t *target, e ast.Expr, typ types.Type) string {
	if ix, ok := ast.Unparen(e).(*ast.IndexExpr); ok {
		if lit, ok := ix.Index.(*ast.BasicLit); ok && lit.Kind == token.STRING {
			if key, err := strconv.Unquote(lit.Value); err == nil {
				if id := identFrom(key); id != "" {
					return id
				}
			}
		}
	}
	if typ != nil {
		if p, ok := typ.(*types.Pointer); ok {
			typ = p.Elem()
		}
		if n, ok := typ.(*types.Named); ok {
			return identFrom(n.Obj().Name())
		}
	}
	return "v"
}

// identFrom turns a key such as "max_items" or "Max-Items" into a Go
// identifier in lower camel case ("maxItems"), or "" when it has no
// letters.
func identFrom(s string) string {
	words := strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	var b strings.Builder
	for _, w := range words {
		if strings.ToUpper(w) == w {
			w = strings.ToLower(w) // AWS_REGION → aws, region
		}
		r := []rune(w)
		if b.Len() == 0 {
			r[0] = unicode.ToLower(r[0])
		} else {
			r[0] = unicode.ToUpper(r[0])
		}
		b.WriteString(string(r))
	}
	if !token.IsIdentifier(b.String()) {
		return ""
	}
	return b.String()
}

// lastName returns the last identifier of a selector chain: s.warehouse →
// "warehouse".
func lastName(e ast.Expr) string {
	switch x := ast.Unparen(e).(type) {
	case *ast.Ident:
		return x.Name
	case *ast.SelectorExpr:
		return x.Sel.Name
	}
	return "key"
}

// singular strips a plural "s" from a map's name for its element.
func singular(name string) string {
	if len(name) > 3 && strings.HasSuffix(name, "s") && !strings.HasSuffix(name, "ss") {
		return name[:len(name)-1]
	}
	return name
}

func escapePercent(s string) string { return strings.ReplaceAll(s, "%", "%%") }
