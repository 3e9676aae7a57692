package fixes

import (
	"errors"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"strings"
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
	}
	return c, nil
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
	for s := rw.scopeAt(pos); s != nil && s != types.Universe; s = s.Parent() {
		for _, name := range s.Names() {
			v, ok := s.Lookup(name).(*types.Var)
			if !ok || (v.Pos() > pos && s != rw.pkg.Types.Scope()) {
				continue
			}
			if style, ok := isLogger(v.Type()); ok {
				if _, obj := rw.scopeAt(pos).LookupParent(name, pos); obj == v {
					return logger{name, style}, true
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
