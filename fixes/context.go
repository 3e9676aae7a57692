package fixes

import (
	"errors"
	"fmt"
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"strings"

	"github.com/failfast-dev/failfast/rules/flow"
	"github.com/failfast-dev/failfast/rules/provenance"
)

// failKind is how a function reports a failure.
type failKind int

const (
	failPanic   failKind = iota // elsewhere: panic with a descriptive message
	failReturn                  // the function returns an error
	failFatal                   // main or init: log.Fatalf
	failTest                    // a test: t.Fatalf
	failHandler                 // an HTTP handler: http.Error and return
)

// failCtx is the failure context of a position: the innermost function and
// how it reports.
type failCtx struct {
	kind failKind
	fn   *fn
	// t is the test's *testing.T (or B, F, TB) parameter; w the
	// handler's ResponseWriter.
	t, w string
	// badInput, in a handler, says in the request's terms what is wrong
	// when the failure is about the request's own input (a query value
	// that does not parse, a path with too few parts, a body that does not
	// decode): the client is answered 400 with it. Empty for server-side
	// failures.
	badInput string
}

func (t *target) failContext(at ast.Node) (*failCtx, error) {
	f, err := t.funcAt(at)
	if err != nil {
		return nil, err
	}
	c := &failCtx{fn: f}
	res := f.sig.Results()
	if res.Len() > 0 && isErrorType(res.At(res.Len()-1).Type()) {
		c.kind = failReturn
		return c, nil
	}
	if d := f.decl; d != nil && d.Recv == nil && res.Len() == 0 && f.sig.Params().Len() == 0 &&
		(d.Name.Name == "init" || (d.Name.Name == "main" && t.pkg.Name == "main")) {
		c.kind = failFatal
		return c, nil
	}
	params := f.sig.Params()
	var w, r string
	for i := range params.Len() {
		p := params.At(i)
		if p.Name() == "" || p.Name() == "_" {
			continue
		}
		switch typeName(p.Type()) {
		case "*testing.T", "*testing.B", "*testing.F", "testing.TB":
			c.kind, c.t = failTest, p.Name()
			return c, nil
		case "net/http.ResponseWriter":
			w = p.Name()
		case "*net/http.Request":
			r = p.Name()
		}
	}
	if w != "" && r != "" && res.Len() == 0 {
		c.kind, c.w = failHandler, w
		c.badInput = t.requestInput(f, at)
	}
	return c, nil
}

// requestInput decides whether the failure handled at node at (a call
// whose error is handled, an if testing such an error, a type assertion or
// an index) is about the request's own input, and if so says what is wrong
// with it in the request's terms ("invalid limit: want a number"). It is:
// a read (io.ReadAll), parse or decode (a listed parser, a Decode or
// Unmarshal method, Request.ParseForm) of data derived from the handler's
// *http.Request; an
// assertion on a value derived from it; an index into a slice derived from
// it. Anything else (a store, a template, a file of the server's) is a
// server-side failure and gets "".
func (t *target) requestInput(f *fn, at ast.Node) string {
	switch n := at.(type) {
	case *ast.IfStmt:
		errExpr := flow.ErrNotNil(t.info, n.Cond)
		if errExpr == nil {
			return ""
		}
		if call := t.errorSource(n, errExpr); call != nil {
			return t.requestInput(f, call)
		}
	case *ast.CallExpr:
		return t.parsedInput(f, n)
	case *ast.TypeAssertExpr:
		if t.fromRequest(f, n.X, 0) {
			return "malformed request"
		}
	case *ast.IndexExpr:
		if t.fromRequest(f, n.X, 0) {
			return "malformed request"
		}
	}
	return ""
}

// parsedInput returns the request-terms message for a parse of request
// input by call, or "".
func (t *target) parsedInput(f *fn, call *ast.CallExpr) string {
	names := provenance.CalleeNames(t.info, call)
	if len(names) == 0 {
		return ""
	}
	name := names[0]
	base := name[strings.LastIndexByte(name, '.')+1:]
	read := name == "io.ReadAll" || name == "io.ReadFull" || name == "io/ioutil.ReadAll"
	parse := read || provenance.Default().Parsers.Has(names...) || base == "Decode" || base == "Unmarshal" ||
		name == "net/http.Request.ParseForm" || name == "net/http.Request.ParseMultipartForm" ||
		name == "net/http.Request.FormFile"
	if !parse {
		return ""
	}
	from := false
	if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok {
		if _, isPkg := t.info.Uses[identOf(sel.X)].(*types.PkgName); !isPkg {
			from = t.fromRequest(f, sel.X, 0)
		}
	}
	for _, a := range call.Args {
		if u, ok := ast.Unparen(a).(*ast.UnaryExpr); ok && u.Op == token.AND {
			continue // &v: where the result goes, not what is parsed
		}
		from = from || t.fromRequest(f, a, 0)
	}
	if !from {
		return ""
	}
	switch {
	case read: // of the body the client sends (not io.Copy: its destination may be what failed)
		return "could not read the request body"
	case strings.HasPrefix(name, "net/http.Request.") || strings.HasPrefix(name, "mime/multipart."):
		return "invalid form"
	case base == "Decode" || base == "Unmarshal":
		if strings.HasPrefix(name, "encoding/json.") {
			return "invalid JSON body"
		}
		return "invalid request body"
	}
	want := wantOf(name)
	key := ""
	for _, a := range call.Args {
		if key = t.requestKey(f, a, 0); key != "" {
			break
		}
	}
	switch {
	case key != "" && want != "":
		return "invalid " + key + ": want " + want
	case key != "":
		return "invalid " + key
	case want != "":
		return "invalid request: want " + want
	}
	return "malformed request"
}

// wantOf says what a parser accepts, in a client's words.
func wantOf(parser string) string {
	switch parser {
	case "strconv.Atoi", "strconv.ParseInt", "strconv.ParseUint", "strconv.ParseFloat":
		return "a number"
	case "strconv.ParseBool":
		return "true or false"
	case "time.ParseDuration":
		return "a duration such as 30s"
	case "time.Parse", "time.ParseInLocation":
		return "a time"
	case "net/url.Parse", "net/url.ParseRequestURI":
		return "a URL"
	case "net/netip.ParseAddr", "net.ParseIP":
		return "an IP address"
	}
	return ""
}

// requestKey returns the name under which e was read from the request:
// the constant key of r.URL.Query().Get("limit"), r.FormValue("limit"),
// r.PathValue("id") or r.Header.Get("X-Count"), followed through local
// variables; "" if there is none.
func (t *target) requestKey(f *fn, e ast.Expr, depth int) string {
	if depth > 4 {
		return ""
	}
	switch x := ast.Unparen(e).(type) {
	case *ast.CallExpr:
		switch lastName(x.Fun) {
		case "Get", "FormValue", "PostFormValue", "PathValue":
			if len(x.Args) == 1 {
				if tv, ok := t.info.Types[x.Args[0]]; ok && tv.Value != nil && tv.Value.Kind() == constant.String {
					return constant.StringVal(tv.Value)
				}
			}
		}
		for _, a := range x.Args {
			if k := t.requestKey(f, a, depth+1); k != "" {
				return k
			}
		}
	case *ast.Ident:
		for _, rhs := range t.assignedTo(f, x) {
			if k := t.requestKey(f, rhs, depth+1); k != "" {
				return k
			}
		}
	}
	return ""
}

// fromRequest reports whether e derives from a *http.Request parameter of
// f: it mentions one (other than for r.Context(), which carries no
// input), or a local variable assigned from such an expression.
func (t *target) fromRequest(f *fn, e ast.Expr, depth int) bool {
	if depth > 4 || e == nil {
		return false
	}
	found := false
	ast.Inspect(e, func(n ast.Node) bool {
		if found {
			return false
		}
		switch x := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.CallExpr:
			if sel, ok := ast.Unparen(x.Fun).(*ast.SelectorExpr); ok && sel.Sel.Name == "Context" && len(x.Args) == 0 {
				return false
			}
		case *ast.Ident:
			v, ok := t.info.Uses[x].(*types.Var)
			if !ok {
				return true
			}
			if typeName(v.Type()) == "*net/http.Request" {
				found = true
				return false
			}
			for _, rhs := range t.assignedTo(f, x) {
				if t.fromRequest(f, rhs, depth+1) {
					found = true
					return false
				}
			}
		}
		return true
	})
	return found
}

// assignedTo returns the expressions f's body assigns to the local
// variable id refers to: the right-hand sides, the ranged expression of a
// range variable, and the calls that fill it through a pointer
// (json.Unmarshal(body, &doc)).
func (t *target) assignedTo(f *fn, id *ast.Ident) []ast.Expr {
	obj := t.info.Uses[id]
	if obj == nil || f.body == nil || obj.Pos() < f.body.Pos() || obj.Pos() >= f.body.End() {
		return nil
	}
	var out []ast.Expr
	ast.Inspect(f.body, func(n ast.Node) bool {
		switch s := n.(type) {
		case *ast.AssignStmt:
			for i, l := range s.Lhs {
				if lid, ok := l.(*ast.Ident); ok && t.info.ObjectOf(lid) == obj {
					if len(s.Lhs) == len(s.Rhs) {
						out = append(out, s.Rhs[i])
					} else if len(s.Rhs) == 1 {
						out = append(out, s.Rhs[0])
					}
				}
			}
		case *ast.ValueSpec:
			for i, name := range s.Names {
				if t.info.Defs[name] == obj {
					if len(s.Values) == len(s.Names) {
						out = append(out, s.Values[i])
					} else if len(s.Values) == 1 {
						out = append(out, s.Values[0])
					}
				}
			}
		case *ast.RangeStmt:
			for _, kv := range []ast.Expr{s.Key, s.Value} {
				if kid, ok := kv.(*ast.Ident); ok && t.info.ObjectOf(kid) == obj {
					out = append(out, s.X)
				}
			}
		case *ast.CallExpr:
			for _, a := range s.Args {
				if u, ok := ast.Unparen(a).(*ast.UnaryExpr); ok && u.Op == token.AND {
					if aid := identOf(u.X); aid != nil && t.info.Uses[aid] == obj {
						out = append(out, s)
					}
				}
			}
		}
		return true
	})
	return out
}

func identOf(e ast.Expr) *ast.Ident {
	id, _ := ast.Unparen(e).(*ast.Ident)
	return id
}

// typeName renders t with full package paths.
func typeName(t types.Type) string {
	return types.TypeString(t, func(p *types.Package) string { return p.Path() })
}

// ends reports whether the failure branch stops the process (so the fix
// changes more than the failure path and is not safe).
func (c *failCtx) ends() bool { return c.kind == failFatal || c.kind == failPanic }

// failure describes what went wrong, for the generated failure branch.
type failure struct {
	// format and args are a printf message naming the key, index or type
	// involved ("field sku is %T, want string"); args are Go expressions.
	format string
	args   []string
	// err is an error expression to wrap with %w, or "".
	err string
	// what is a short plain message for an HTTP client, status the
	// net/http status constant to send.
	what, status string
}

// branch returns the Go statements that report fl in context c, for code
// inserted at pos.
func (rw *rewrite) branch(c *failCtx, fl failure, pos token.Pos) (string, error) {
	args := strings.Join(fl.args, ", ")
	if args != "" {
		args = ", " + args
	}
	// withErr is the message with the error appended using verb.
	withErr := func(verb string) (string, string) {
		if fl.err == "" {
			return fl.format, args
		}
		return fl.format + ": " + verb, args + ", " + fl.err
	}
	switch c.kind {
	case failReturn:
		var zeros []string
		res := c.fn.sig.Results()
		for i := range res.Len() - 1 {
			z, err := rw.zero(res.At(i).Type(), pos)
			if err != nil {
				return "", err
			}
			zeros = append(zeros, z)
		}
		var e string
		if fl.err == "" && len(fl.args) == 0 {
			if pkg, err := rw.pkgName("errors", pos); err == nil {
				e = pkg + ".New(" + quote(unescapePercent(fl.format)) + ")"
			}
		}
		if e == "" { // with arguments, or when the name errors is taken
			pkg, err := rw.pkgName("fmt", pos)
			if err != nil {
				return "", err
			}
			format, a := withErr("%w")
			e = pkg + ".Errorf(" + quote(format) + a + ")"
		}
		return "return " + strings.Join(append(zeros, e), ", "), nil
	case failFatal:
		pkg, err := rw.pkgName("log", pos)
		if err != nil {
			return "", err
		}
		format, a := withErr("%v")
		return pkg + ".Fatalf(" + quote(format) + a + ")", nil
	case failTest:
		format, a := withErr("%v")
		return c.t + ".Fatalf(" + quote(format) + a + ")", nil
	case failHandler:
		pkg, err := rw.pkgName("net/http", pos)
		if err != nil {
			return "", err
		}
		if c.badInput != "" && fl.status != "StatusNotFound" {
			// The client's input: say what was wrong with it, not the
			// parser's own text.
			what := c.badInput
			if what == "malformed request" && fl.what != "" {
				what = fl.what
			}
			return fmt.Sprintf("%s.Error(%s, %s, %s.StatusBadRequest)\nreturn", pkg, c.w, quote(what), pkg), nil
		}
		msg := quote(fl.what)
		if fl.err != "" {
			msg = quote(fl.what+": ") + " + " + fl.err + ".Error()"
		}
		return fmt.Sprintf("%s.Error(%s, %s, %s.%s)\nreturn", pkg, c.w, msg, pkg, fl.status), nil
	}
	if fl.err == "" && len(fl.args) == 0 {
		return "panic(" + quote(unescapePercent(fl.format)) + ")", nil
	}
	pkg, err := rw.pkgName("fmt", pos)
	if err != nil {
		return "", err
	}
	if fl.err == "" {
		return "panic(" + pkg + ".Sprintf(" + quote(fl.format) + args + "))", nil
	}
	format, a := withErr("%w")
	return "panic(" + pkg + ".Errorf(" + quote(format) + a + "))", nil
}

// unescapePercent undoes escapePercent, for a message that is not a
// format.
func unescapePercent(s string) string { return strings.ReplaceAll(s, "%%", "%") }

// logStyle is how a log call is written.
type logStyle int

const (
	stylePrintf logStyle = iota // Printf(format, args...)
	styleSlog                   // Error/Warn(msg, key, value, ...)
)

// logger is what a fix logs with: a receiver expression ("slog", "log",
// "s.logger") and its style.
type logger struct {
	expr  string
	style logStyle
}

// loggerAt picks the logger for code inserted at pos: the one the options
// name, else a *slog.Logger or *log.Logger in scope, else the logging
// package the file imports, else log/slog.
func (rw *rewrite) loggerAt(pos token.Pos) (logger, error) {
	switch rw.opts.Logger {
	case "slog":
		name, err := rw.pkgName("log/slog", pos)
		return logger{name, styleSlog}, err
	case "log":
		name, err := rw.pkgName("log", pos)
		return logger{name, stylePrintf}, err
	case "":
	default:
		tv, err := types.Eval(rw.pkg.Fset, rw.pkg.Types, pos, rw.opts.Logger)
		if err != nil {
			return logger{}, fmt.Errorf("the logger %q from the settings is not valid here: %w", rw.opts.Logger, err)
		}
		style, ok := styleOf(tv.Type)
		if !ok {
			return logger{}, fmt.Errorf("the logger %q from the settings (%s) has neither Printf nor Error(msg string, args ...any)", rw.opts.Logger, tv.Type)
		}
		return logger{rw.opts.Logger, style}, nil
	}
	if l, ok := rw.loggerInScope(pos); ok {
		return l, nil
	}
	for _, imp := range rw.file.Imports {
		switch imp.Path.Value {
		case `"log/slog"`:
			name, err := rw.pkgName("log/slog", pos)
			return logger{name, styleSlog}, err
		case `"log"`:
			name, err := rw.pkgName("log", pos)
			return logger{name, stylePrintf}, err
		}
	}
	name, err := rw.pkgName("log/slog", pos)
	if err != nil {
		// log/slog cannot be imported here (this is log/slog, or a
		// package it depends on): the log package may be.
		if name, lerr := rw.pkgName("log", pos); lerr == nil {
			return logger{name, stylePrintf}, nil
		}
	}
	return logger{name, styleSlog}, err
}

// loggerInScope finds a variable of type *slog.Logger or *log.Logger
// visible at pos, or such a field of the method's receiver.
func (rw *rewrite) loggerInScope(pos token.Pos) (logger, bool) {
	isLogger := func(t types.Type) (logStyle, bool) {
		switch typeName(t) {
		case "*log/slog.Logger":
			return styleSlog, true
		case "*log.Logger":
			return stylePrintf, true
		}
		return 0, false
	}
	if inner := rw.scopeAt(pos); inner != nil {
		for sc := inner; sc != nil && sc != types.Universe; sc = sc.Parent() {
			for _, name := range sc.Names() {
				v, ok := sc.Lookup(name).(*types.Var)
				if !ok || (v.Pos() > pos && sc != rw.pkg.Types.Scope()) {
					continue
				}
				if style, ok := isLogger(v.Type()); ok {
					if _, obj := inner.LookupParent(name, pos); obj == v {
						return logger{name, style}, true
					}
				}
			}
		}
	}
	f, err := rw.funcAt(rw.nodeAt(pos))
	if err != nil || f.decl == nil || f.decl.Recv == nil || len(f.decl.Recv.List) != 1 || len(f.decl.Recv.List[0].Names) != 1 {
		return logger{}, false
	}
	recv := f.decl.Recv.List[0].Names[0]
	obj := rw.info.Defs[recv]
	if obj == nil || recv.Name == "_" {
		return logger{}, false
	}
	t := obj.Type()
	if p, ok := t.Underlying().(*types.Pointer); ok {
		t = p.Elem()
	}
	st, ok := t.Underlying().(*types.Struct)
	if !ok {
		return logger{}, false
	}
	for i := range st.NumFields() {
		fld := st.Field(i)
		if style, ok := isLogger(fld.Type()); ok && (fld.Exported() || fld.Pkg() == rw.pkg.Types) {
			return logger{recv.Name + "." + fld.Name(), style}, true
		}
	}
	return logger{}, false
}

// nodeAt returns the innermost node at pos.
func (rw *rewrite) nodeAt(pos token.Pos) ast.Node {
	p, _ := enclosingPath(rw.file, pos, pos)
	if len(p) == 0 {
		return rw.file
	}
	return p[0]
}

// styleOf tells how a value of type t logs.
func styleOf(t types.Type) (logStyle, bool) {
	ms := types.NewMethodSet(t)
	if _, ok := t.Underlying().(*types.Pointer); !ok {
		ms = types.NewMethodSet(types.NewPointer(t))
	}
	has := func(name string) bool { return ms.Lookup(nil, name) != nil || lookupExported(ms, name) }
	switch {
	case has("Printf"):
		return stylePrintf, true
	case has("Error") && has("Warn"):
		return styleSlog, true
	}
	return 0, false
}

func lookupExported(ms *types.MethodSet, name string) bool {
	for i := range ms.Len() {
		if ms.At(i).Obj().Name() == name {
			return true
		}
	}
	return false
}

// kv is one attribute of a log call: a key and a Go expression.
type kv struct{ key, value string }

// logCall returns a statement logging msg with attributes at level
// ("Error" or "Warn").
func (rw *rewrite) logCall(pos token.Pos, level, msg string, attrs []kv) (string, error) {
	l, err := rw.loggerAt(pos)
	if err != nil {
		return "", err
	}
	if l.style == styleSlog {
		var b strings.Builder
		fmt.Fprintf(&b, "%s.%s(%s", l.expr, level, quote(msg))
		for _, a := range attrs {
			fmt.Fprintf(&b, ", %s, %s", quote(a.key), a.value)
		}
		b.WriteString(")")
		return b.String(), nil
	}
	format := msg
	var args []string
	for i, a := range attrs {
		sep := " ("
		if i > 0 {
			sep = ", "
		}
		verb := "%v"
		if a.key == "stack" {
			verb = "\n%s"
		}
		format += sep + a.key + ": " + verb
		args = append(args, a.value)
	}
	if len(attrs) > 0 {
		format += ")"
	}
	if len(args) == 0 {
		return fmt.Sprintf("%s.Printf(%s)", l.expr, quote(format)), nil
	}
	return fmt.Sprintf("%s.Printf(%s, %s)", l.expr, quote(format), strings.Join(args, ", ")), nil
}

var errNoFix = errors.New("no quick fix for this form")
