// Package provenance holds failfast's knowledge of where values and errors
// come from: which calls return data from outside the program, which return
// values whose dynamic type was decided elsewhere, which return slices whose
// length depends on input, which parse untrusted text, and which errors must
// or need not be checked. Every rule decides by these lists, and the
// configuration file extends them (see Lists.Extend).
//
// Functions and methods are named as "pkgpath.Func" and "pkgpath.Type.Method"
// (the pointer-ness of the receiver does not matter): "os.Getenv",
// "net/http.Header.Get", "bytes.Buffer.Write". A method name "*" matches
// every method of the type: "strings.Builder.*". Package-level variables are
// named like functions: "os.Args".
package provenance

import (
	"fmt"
	"go/ast"
	"go/types"
	"maps"
	"strings"
)

// Set is a set of function, method and variable names.
type Set map[string]bool

func newSet(names ...string) Set {
	s := make(Set, len(names))
	for _, n := range names {
		s[n] = true
	}
	return s
}

// Has reports whether any of names is in the set, directly or through a
// "Type.*" wildcard.
func (s Set) Has(names ...string) bool {
	for _, n := range names {
		if s[n] {
			return true
		}
		if i := strings.LastIndexByte(n, '.'); i > 0 && s[n[:i]+".*"] {
			return true
		}
	}
	return false
}

// Lists are the provenance lists the rules consult.
type Lists struct {
	// External calls return data from outside the program: the
	// environment, command-line arguments, request input, file contents.
	External Set
	// Dynamic calls return interface values whose dynamic type another
	// component decided: context values, sync.Map and atomic.Value loads.
	Dynamic Set
	// Splitters return slices whose length depends on their input.
	Splitters Set
	// Parsers convert text that may be malformed; their error means the
	// input was bad.
	Parsers Set
	// MustCheck calls have errors that must be checked even where a rule
	// would otherwise let them go (a deferred Close of a written file).
	MustCheck Set
	// NeverFail calls have errors that may be dropped: documented never to
	// fail, sticky (reported again later), or best-effort by nature.
	NeverFail Set
	// Loggers report to a person; a branch that calls one is not silent.
	Loggers Set
	// Exits end the goroutine or process; a branch that calls one does not
	// fall through.
	Exits Set
	// NilOnMiss calls return nil in their first result, with no error
	// beside it, when what they look up is not there (flag.Lookup).
	NilOnMiss Set
	// NilSafe methods handle a nil receiver themselves: calling one on a
	// nil pointer is not a dereference.
	NilSafe Set
}

// Default returns a fresh copy of the built-in lists.
func Default() *Lists {
	return &Lists{
		External:  newSet(externalSources...),
		Dynamic:   newSet(dynamicSources...),
		Splitters: newSet(splitters...),
		Parsers:   newSet(parsers...),
		MustCheck: newSet(mustCheck...),
		NeverFail: newSet(neverFail...),
		Loggers:   newSet(loggers...),
		Exits:     newSet(exits...),
		NilOnMiss: newSet(nilOnMiss...),
		NilSafe:   newSet(nilSafe...),
	}
}

// Extend returns a copy of l with the names in extra added to the list
// called kind, one of Kinds.
func (l *Lists) Extend(kind string, extra []string) (*Lists, error) {
	c := &Lists{
		External:  maps.Clone(l.External),
		Dynamic:   maps.Clone(l.Dynamic),
		Splitters: maps.Clone(l.Splitters),
		Parsers:   maps.Clone(l.Parsers),
		MustCheck: maps.Clone(l.MustCheck),
		NeverFail: maps.Clone(l.NeverFail),
		Loggers:   maps.Clone(l.Loggers),
		Exits:     maps.Clone(l.Exits),
		NilOnMiss: maps.Clone(l.NilOnMiss),
		NilSafe:   maps.Clone(l.NilSafe),
	}
	var s Set
	switch kind {
	case "external":
		s = c.External
	case "dynamic":
		s = c.Dynamic
	case "splitters":
		s = c.Splitters
	case "parsers":
		s = c.Parsers
	case "must-check":
		s = c.MustCheck
	case "never-fail":
		s = c.NeverFail
	case "loggers":
		s = c.Loggers
	case "exits":
		s = c.Exits
	case "nil-on-miss":
		s = c.NilOnMiss
	case "nil-safe":
		s = c.NilSafe
	default:
		return nil, fmt.Errorf("unknown provenance list %q (want one of %s)", kind, strings.Join(Kinds, ", "))
	}
	for _, n := range extra {
		if err := ValidName(n); err != nil {
			return nil, err
		}
		s[n] = true
	}
	return c, nil
}

// Kinds lists the names Extend accepts.
var Kinds = []string{"external", "dynamic", "splitters", "parsers", "must-check", "never-fail", "loggers", "exits", "nil-on-miss", "nil-safe"}

// ValidName checks that n has the shape "pkgpath.Name" or "pkgpath.Type.Method".
func ValidName(n string) error {
	i := strings.LastIndexByte(n, '.')
	if i <= 0 || i == len(n)-1 || strings.ContainsAny(strings.TrimSuffix(n, ".*"), " \t()*") {
		return fmt.Errorf("bad function name %q: want pkgpath.Func or pkgpath.Type.Method, e.g. net/http.Header.Get", n)
	}
	return nil
}

// CalleeNames returns the names under which the function called by call is
// listed: for a method, both as a method of the receiver's static type and of
// the type that declares it (a hash.Hash's Write is also io.Writer.Write).
// It works with partial type information: a package-level function of an
// import that failed to load is still named by its import path. It returns
// nil for calls of function values, conversions and builtins.
func CalleeNames(info *types.Info, call *ast.CallExpr) []string {
	fun := ast.Unparen(call.Fun)
	if ix, ok := fun.(*ast.IndexExpr); ok { // generic instantiation f[T](...)
		fun = ast.Unparen(ix.X)
	} else if ix, ok := fun.(*ast.IndexListExpr); ok {
		fun = ast.Unparen(ix.X)
	}
	switch fun := fun.(type) {
	case *ast.Ident:
		if fn, ok := info.Uses[fun].(*types.Func); ok && fn.Pkg() != nil {
			return []string{fn.Pkg().Path() + "." + fn.Name()}
		}
	case *ast.SelectorExpr:
		if id, ok := fun.X.(*ast.Ident); ok {
			if pn, ok := info.Uses[id].(*types.PkgName); ok {
				return []string{pn.Imported().Path() + "." + fun.Sel.Name}
			}
		}
		sel, ok := info.Selections[fun]
		if !ok || sel.Kind() == types.FieldVal {
			return nil
		}
		var names []string
		if n := TypeName(sel.Recv()); n != "" {
			names = append(names, n+"."+fun.Sel.Name)
		}
		if fn, ok := sel.Obj().(*types.Func); ok {
			if sig, ok := fn.Type().(*types.Signature); ok && sig.Recv() != nil {
				if n := TypeName(sig.Recv().Type()); n != "" && (len(names) == 0 || n+"."+fn.Name() != names[0]) {
					names = append(names, n+"."+fn.Name())
				}
			}
		}
		return names
	}
	return nil
}

// CalleeIdent returns the identifier that names the function call calls:
// f in f(x), F in pkg.F(x) and M in v.M(x); nil when the callee is not
// named (a call of a function literal, an index or a call result).
func CalleeIdent(call *ast.CallExpr) *ast.Ident {
	switch fun := ast.Unparen(call.Fun).(type) {
	case *ast.Ident:
		return fun
	case *ast.SelectorExpr:
		return fun.Sel
	}
	return nil
}

// Builtin returns the name of the builtin function call calls (make, new,
// len, append, ...), or "" when it calls something else.
func Builtin(info *types.Info, call *ast.CallExpr) string {
	id, ok := ast.Unparen(call.Fun).(*ast.Ident)
	if !ok {
		return ""
	}
	if _, builtin := info.Uses[id].(*types.Builtin); !builtin {
		return ""
	}
	return id.Name
}

// CalleeFunc returns the generic origin of the named function or method
// call calls (CalleeIdent), or nil when the callee is not a declared
// function (a func value, a conversion, a builtin).
func CalleeFunc(info *types.Info, call *ast.CallExpr) *types.Func {
	id := CalleeIdent(call)
	if id == nil {
		return nil
	}
	fn, ok := info.Uses[id].(*types.Func)
	if !ok {
		return nil
	}
	return fn.Origin()
}

// VarName returns the listed name of a package-level variable referenced by
// e ("os.Args"), or "".
func VarName(info *types.Info, e ast.Expr) string {
	var id *ast.Ident
	switch e := ast.Unparen(e).(type) {
	case *ast.Ident:
		id = e
	case *ast.SelectorExpr:
		id = e.Sel
		if x, ok := e.X.(*ast.Ident); ok {
			if pn, ok := info.Uses[x].(*types.PkgName); ok && info.Uses[id] == nil {
				return pn.Imported().Path() + "." + id.Name // partial types
			}
		}
	default:
		return ""
	}
	v, ok := info.Uses[id].(*types.Var)
	if !ok || v.Pkg() == nil || v.Parent() != v.Pkg().Scope() {
		return ""
	}
	return v.Pkg().Path() + "." + v.Name()
}

// IsLog reports whether call logs: a listed logger, or a logging method
// (LogMethodNames) on a type whose name mentions "log", or a print to
// os.Stderr.
func (l *Lists) IsLog(info *types.Info, call *ast.CallExpr) bool {
	names := CalleeNames(info, call)
	if l.Loggers.Has(names...) {
		return true
	}
	for _, n := range names {
		if strings.HasPrefix(n, "fmt.Fprint") && len(call.Args) > 0 && VarName(info, call.Args[0]) == "os.Stderr" {
			return true
		}
	}
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok || !LogMethodNames[sel.Sel.Name] {
		return false
	}
	if tv, ok := info.Types[sel.X]; ok {
		return strings.Contains(strings.ToLower(types.TypeString(tv.Type, nil)), "log")
	}
	// No type information: judge by the receiver's spelling (log, logger, l.log).
	return strings.Contains(strings.ToLower(types.ExprString(sel.X)), "log")
}

// IsExit reports whether call ends the goroutine or process: panic, a listed
// exit, or a Fatal/Panic method of a logger.
func (l *Lists) IsExit(info *types.Info, call *ast.CallExpr) bool {
	if id, ok := ast.Unparen(call.Fun).(*ast.Ident); ok && id.Name == "panic" {
		if _, isBuiltin := info.Uses[id].(*types.Builtin); isBuiltin || info.Uses[id] == nil {
			return true
		}
	}
	if l.Exits.Has(CalleeNames(info, call)...) {
		return true
	}
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok {
		return false
	}
	switch name := sel.Sel.Name; {
	case strings.HasPrefix(name, "Fatal") || strings.HasPrefix(name, "Panic"):
		return onLogger(info, sel.X)
	case eventEnders[name]:
		// A structured logger's event (zerolog's log.Fatal().Msg(...),
		// gologger.Fatal().Msgf(...)): the event of a Fatal or Panic
		// level ends the process when its message is sent.
		inner, ok := ast.Unparen(sel.X).(*ast.CallExpr)
		if !ok {
			return false
		}
		switch f := ast.Unparen(inner.Fun).(type) {
		case *ast.SelectorExpr:
			level := f.Sel.Name
			return (level == "Fatal" || level == "Panic") && onLogger(info, f.X)
		}
	}
	return false
}

// eventEnders are the methods that send a structured logger's event.
var eventEnders = map[string]bool{"Msg": true, "Msgf": true, "Send": true, "MsgFunc": true}

// onLogger reports whether x, the receiver of a method or the package of a
// function, is a logger: its type, or the package's path, names a log.
func onLogger(info *types.Info, x ast.Expr) bool {
	if id, ok := ast.Unparen(x).(*ast.Ident); ok {
		if pn, ok := info.Uses[id].(*types.PkgName); ok {
			return strings.Contains(strings.ToLower(pn.Imported().Path()), "log")
		}
	}
	if tv, ok := info.Types[x]; ok {
		return strings.Contains(strings.ToLower(types.TypeString(tv.Type, nil)), "log")
	}
	return strings.Contains(strings.ToLower(types.ExprString(x)), "log")
}

// TypeName names a (pointer to a) named type as "pkgpath.Type", the form
// the lists use, or returns "" for other types.
func TypeName(t types.Type) string {
	if p, ok := types.Unalias(t).(*types.Pointer); ok {
		t = p.Elem()
	}
	n, ok := types.Unalias(t).(*types.Named)
	if !ok || n.Obj().Pkg() == nil {
		return ""
	}
	return n.Obj().Pkg().Path() + "." + n.Obj().Name()
}
