package unwrappederror

import (
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/failfast-dev/failfast/rules/flow"
	"github.com/failfast-dev/failfast/rules/provenance"
	"github.com/failfast-dev/failfast/rules/spec"
)

// Analyzer is the rule's analyzer with the default options.
var Analyzer = New(spec.DefaultOptions())

// New returns the rule's analyzer for the given options.
func New(o *spec.Options) *analysis.Analyzer {
	return spec.NewAnalyzer(ID, summary, o, run, nolint...)
}

func run(pass *analysis.Pass, r *spec.Reporter) {
	for fc := range r.Files() {
		for c := range fc.Preorder((*ast.CallExpr)(nil), (*ast.IfStmt)(nil)) {
			switch n := c.Node().(type) {
			case *ast.CallExpr:
				checkCall(pass, r, c, n)
			case *ast.IfStmt:
				checkBranch(pass, r, c, n)
			}
		}
	}
}

// checkCall reports fmt.Errorf formatting an error without %w, and
// errors.New of an error's text.
func checkCall(pass *analysis.Pass, r *spec.Reporter, c inspector.Cursor, call *ast.CallExpr) {
	info := pass.TypesInfo
	switch calleeName(info, call) {
	case "fmt.Errorf":
		e, verb := unwrappedArg(info, call)
		if e == nil {
			return
		}
		errVar := e
		if x := errorText(info, e); x != nil {
			errVar = ast.Unparen(x)
		}
		if terminalOrTooling(pass, c) {
			return // the error is printed to a terminal and nobody tests it
		}
		lists := r.Options().Lists
		if lists == nil {
			lists = provenance.Default()
		}
		if !testedByCaller(info, c) {
			// Outside cancellable operations and the standard I/O
			// interfaces, a formatted cause still reaches the person
			// reading the message; that is not a silent failure.
			return
		}
		origin := identityOrigin(info, lists, c, errVar)
		if origin == "" {
			// The cause is an error nobody tests for (a parse or
			// validation message): its text is all that matters.
			return
		}
		r.Report(analysis.Diagnostic{
			Pos: e.Pos(),
			End: e.End(),
			Message: "fmt.Errorf formats the error " + types.ExprString(e) + " (from " + origin + ") with %" + verb +
				": the new error keeps only its text, so a caller's errors.Is or errors.As check (not-exist, timeout, EOF, cancellation) silently fails; use %w",
		})
	case "errors.New":
		if len(call.Args) != 1 {
			return
		}
		arg := ast.Unparen(call.Args[0])
		if errorText(info, arg) != nil {
			r.Report(analysis.Diagnostic{
				Pos:     call.Pos(),
				End:     call.End(),
				Message: "errors.New(" + types.ExprString(arg) + ") copies the error's text and drops the error: errors.Is and errors.As cannot see the cause; use fmt.Errorf with %w",
			})
			return
		}
		inner, ok := arg.(*ast.CallExpr)
		if !ok || calleeName(info, inner) != "fmt.Sprintf" {
			return
		}
		if e, _ := unwrappedArg(info, inner); e != nil {
			r.Report(analysis.Diagnostic{
				Pos:     call.Pos(),
				End:     call.End(),
				Message: "errors.New(fmt.Sprintf(...)) keeps only the text of " + types.ExprString(e) + ": errors.Is and errors.As cannot see the cause; use fmt.Errorf with %w",
			})
		}
	}
}

// calleeName returns the package-level name of the called function, or "".
func calleeName(info *types.Info, call *ast.CallExpr) string {
	names := provenance.CalleeNames(info, call)
	if len(names) == 0 {
		return ""
	}
	return names[0]
}

// unwrappedArg returns the first error argument of a printf-style call that
// is formatted as text (%v, %s, %q) when the format wraps nothing with %w,
// and the verb used.
func unwrappedArg(info *types.Info, call *ast.CallExpr) (ast.Expr, string) {
	if len(call.Args) < 2 {
		return nil, ""
	}
	format, ok := constString(info, call.Args[0])
	if !ok {
		return nil, ""
	}
	verbs, ok := parseVerbs(format)
	if !ok {
		return nil, ""
	}
	for _, v := range verbs {
		if v.verb == 'w' {
			return nil, ""
		}
	}
	args := call.Args[1:]
	for _, v := range verbs {
		if v.arg >= len(args) {
			break
		}
		switch v.verb {
		case 'v', 's', 'q':
		default:
			continue
		}
		a := ast.Unparen(args[v.arg])
		if isError(info, a) || errorText(info, a) != nil {
			return a, string(v.verb)
		}
	}
	return nil, ""
}

func constString(info *types.Info, e ast.Expr) (string, bool) {
	if tv, ok := info.Types[e]; ok && tv.Value != nil && tv.Value.Kind() == constant.String {
		return constant.StringVal(tv.Value), true
	}
	return "", false
}

type verbArg struct {
	verb rune
	arg  int // index among the arguments after the format
}

// parseVerbs lists the verbs of a printf format with the argument each
// consumes. It gives up (ok false) on explicit argument indexes.
func parseVerbs(f string) (verbs []verbArg, ok bool) {
	arg := 0
	for i := 0; i < len(f); i++ {
		if f[i] != '%' {
			continue
		}
		i++
		if i < len(f) && f[i] == '%' {
			continue
		}
		for i < len(f) && strings.IndexByte("+-# 0", f[i]) >= 0 {
			i++
		}
		// width and precision
		for i < len(f) && (f[i] >= '0' && f[i] <= '9' || f[i] == '.' || f[i] == '*' || f[i] == '[') {
			switch f[i] {
			case '[':
				return nil, false
			case '*':
				arg++
			}
			i++
		}
		if i >= len(f) {
			break
		}
		verbs = append(verbs, verbArg{verb: rune(f[i]), arg: arg})
		arg++
	}
	return verbs, true
}

var errorIface = types.Universe.Lookup("error").Type().Underlying().(*types.Interface)

// isError reports whether e's type implements error. Without type
// information it trusts the name err.
func isError(info *types.Info, e ast.Expr) bool {
	t := info.TypeOf(e)
	if t == nil || t == types.Typ[types.Invalid] {
		id, ok := e.(*ast.Ident)
		return ok && id.Name == "err"
	}
	if b, ok := t.(*types.Basic); ok && b.Kind() == types.UntypedNil {
		return false
	}
	return types.Implements(t, errorIface)
}

// errorText returns X when e is X.Error() on an error X.
func errorText(info *types.Info, e ast.Expr) ast.Expr {
	call, ok := ast.Unparen(e).(*ast.CallExpr)
	if !ok || len(call.Args) != 0 {
		return nil
	}
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != "Error" {
		return nil
	}
	if !isError(info, ast.Unparen(sel.X)) {
		return nil
	}
	return sel.X
}

// checkBranch reports, inside an "if err != nil" branch, a return of a
// fresh error (errors.New or fmt.Errorf) that neither wraps nor mentions err.
func checkBranch(pass *analysis.Pass, r *spec.Reporter, c inspector.Cursor, ifs *ast.IfStmt) {
	info := pass.TypesInfo
	errExpr := errNotNil(info, ifs.Cond)
	if errExpr == nil {
		return
	}
	if _, _, _, ok := flow.EnclosingFunc(c); !ok {
		return
	}
	if mentions(info, ifs.Body, errExpr) {
		return // the branch logs, stores or wraps err: its cause is not lost
	}
	if terminalOrTooling(pass, c) {
		return
	}
	lists := r.Options().Lists
	if lists == nil {
		lists = provenance.Default()
	}
	origin := identityOrigin(info, lists, c, errExpr)
	if origin == "" {
		origin = walkOrigin(info, c, errExpr)
	}
	if origin == "" {
		// A parse or validation failure restated at the caller's level
		// ("invalid private key"): the message is the translation.
		return
	}
	for _, s := range ifs.Body.List {
		ret, ok := s.(*ast.ReturnStmt)
		if !ok || len(ret.Results) == 0 {
			continue
		}
		fresh, ok := ast.Unparen(ret.Results[len(ret.Results)-1]).(*ast.CallExpr)
		if !ok {
			continue
		}
		switch calleeName(info, fresh) {
		case "errors.New", "fmt.Errorf":
		default:
			continue
		}
		r.Report(analysis.Diagnostic{
			Pos: fresh.Pos(),
			End: fresh.End(),
			Message: "the new error replaces " + types.ExprString(errExpr) + " (from " + origin + ") without wrapping it: the cause is lost, " +
				"even from the message; wrap it with fmt.Errorf(\"...: %w\", " + types.ExprString(errExpr) + ")",
			Related: []analysis.RelatedInformation{{Pos: ifs.Cond.Pos(), End: ifs.Cond.End(), Message: "the error that is dropped"}},
		})
	}
}

// errNotNil returns X when cond is "X != nil" (either way round) and X is an
// error, or is named like one when types are missing.
func errNotNil(info *types.Info, cond ast.Expr) ast.Expr {
	be, ok := ast.Unparen(cond).(*ast.BinaryExpr)
	if !ok || be.Op != token.NEQ {
		return nil
	}
	x, y := ast.Unparen(be.X), ast.Unparen(be.Y)
	if isNilIdent(info, x) {
		x, y = y, x
	}
	if !isNilIdent(info, y) {
		return nil
	}
	switch x.(type) {
	case *ast.Ident, *ast.SelectorExpr:
	default:
		return nil
	}
	t := info.TypeOf(x)
	if t == nil || t == types.Typ[types.Invalid] {
		if strings.HasSuffix(types.ExprString(x), "err") {
			return x
		}
		return nil
	}
	if _, isIface := t.Underlying().(*types.Interface); !isIface || !types.Implements(t, errorIface) {
		return nil
	}
	return x
}

func isNilIdent(info *types.Info, e ast.Expr) bool {
	id, ok := e.(*ast.Ident)
	if !ok || id.Name != "nil" {
		return false
	}
	obj := info.Uses[id]
	_, isNil := obj.(*types.Nil)
	return obj == nil || isNil
}

// mentions reports whether an expression spelled like errExpr and denoting
// the same variable appears in n.
func mentions(info *types.Info, n ast.Node, errExpr ast.Expr) bool {
	want := types.ExprString(errExpr)
	var obj types.Object
	if id, ok := errExpr.(*ast.Ident); ok {
		obj = info.ObjectOf(id)
	}
	found := false
	ast.Inspect(n, func(n ast.Node) bool {
		if found {
			return false
		}
		e, ok := n.(ast.Expr)
		if !ok || types.ExprString(e) != want {
			return true
		}
		if id, ok := e.(*ast.Ident); ok && obj != nil && info.ObjectOf(id) != obj {
			return true
		}
		found = true
		return false
	})
	return found
}

// identityPackages are the packages whose errors callers test by identity or
// type: os.ErrNotExist, io.EOF, context.Canceled, net.Error timeouts,
// sql.ErrNoRows, *exec.ExitError, syscall errnos.
var identityPackages = map[string]bool{
	"os": true, "io": true, "io/fs": true, "io/ioutil": true, "bufio": true, "path/filepath": true,
	"net": true, "net/http": true, "net/url": true, "context": true, "syscall": true,
	"os/exec": true, "database/sql": true, "database/sql/driver": true, "golang.org/x/sys/unix": true,
}

// notIdentity are calls of identityPackages whose errors only describe bad
// input or a programming error: nobody tests them by identity.
var notIdentity = map[string]bool{
	"net/http.NewRequest": true, "net/http.NewRequestWithContext": true,
	"net/url.Parse": true, "net/url.URL.Parse": true, "net/url.ParseRequestURI": true, "net/url.ParseQuery": true,
	"net/url.PathUnescape": true, "net/url.QueryUnescape": true,
	"net.SplitHostPort": true, "net.ParseCIDR": true, "net.ParseMAC": true,
	"os.Setenv": true, "os.Unsetenv": true, "os.Executable": true, "os.Getwd": true,
	"path/filepath.Abs": true, "path/filepath.Rel": true, "path/filepath.Match": true, "path/filepath.Glob": true,
}

// identityOrigin returns the name of the call that produced the error errVar
// when that call belongs to a package whose errors are tested by identity,
// found as the call checked by the innermost "if errVar != nil" around c.
// It returns "" when the origin is unknown or not such a call.
func identityOrigin(info *types.Info, lists *provenance.Lists, c inspector.Cursor, errVar ast.Expr) string {
	want := types.ExprString(errVar)
	for ic := range c.Enclosing((*ast.IfStmt)(nil), (*ast.FuncLit)(nil), (*ast.FuncDecl)(nil)) {
		ifs, ok := ic.Node().(*ast.IfStmt)
		if !ok {
			return "" // reached the enclosing function
		}
		x := errNotNil(info, ifs.Cond)
		if x == nil || types.ExprString(x) != want {
			continue
		}
		var call *ast.CallExpr
		if ifs.Init != nil {
			call = callAssigning(ifs.Init, want)
		} else if prev, ok := prevStmt(ic); ok {
			call = callAssigning(prev, want)
		}
		if call == nil {
			return ""
		}
		names := provenance.CalleeNames(info, call)
		if lists.Parsers.Has(names...) {
			return "" // a malformed-input error: its text says it all
		}
		for _, n := range names {
			if identityPackages[pkgOf(n)] && !notIdentity[n] {
				return shortName(call.Fun)
			}
		}
		return ""
	}
	return ""
}

// pkgOf returns the package path of a listed name: "net/http" of
// "net/http.Header.Get".
func pkgOf(name string) string {
	slash := strings.LastIndexByte(name, '/')
	dot := strings.IndexByte(name[slash+1:], '.')
	if dot < 0 {
		return name
	}
	return name[:slash+1+dot]
}

// prevStmt returns the statement before the one at c in its block.
func prevStmt(c inspector.Cursor) (ast.Stmt, bool) {
	var list []ast.Stmt
	switch p := c.Parent().Node().(type) {
	case *ast.BlockStmt:
		list = p.List
	case *ast.CaseClause:
		list = p.Body
	case *ast.CommClause:
		list = p.Body
	default:
		return nil, false
	}
	for i, s := range list {
		if s == c.Node() && i > 0 {
			return list[i-1], true
		}
	}
	return nil, false
}

// callAssigning returns the single call on the right of s when s assigns
// (or declares) the variable spelled errName.
func callAssigning(s ast.Stmt, errName string) *ast.CallExpr {
	lhs, call, ok := flow.CallAssignment(s)
	if !ok {
		return nil
	}
	for _, l := range lhs {
		if types.ExprString(l) == errName {
			return call
		}
	}
	return nil
}

// terminalOrTooling reports whether c is in code whose errors end on a
// terminal or in a test failure, where nobody tests them by identity:
// package main, command-line handlers (functions named cmdX or CmdX),
// internal packages, and test-helper packages (a path element mentioning
// "test").
func terminalOrTooling(pass *analysis.Pass, c inspector.Cursor) bool {
	if pass.Pkg != nil {
		if pass.Pkg.Name() == "main" {
			return true
		}
		for _, elem := range strings.Split(pass.Pkg.Path(), "/") {
			if elem == "internal" || strings.Contains(elem, "test") {
				return true
			}
		}
	}
	for fc := range c.Enclosing((*ast.FuncDecl)(nil)) {
		fd, ok := fc.Node().(*ast.FuncDecl)
		if !ok {
			continue
		}
		name := fd.Name.Name
		if len(name) > 3 && (strings.HasPrefix(name, "cmd") || strings.HasPrefix(name, "Cmd")) && name[3] >= 'A' && name[3] <= 'Z' {
			return true
		}
	}
	return false
}

// walkFuncs call their callback with the I/O error met at a path.
var walkFuncs = map[string]bool{"path/filepath.Walk": true, "path/filepath.WalkDir": true, "io/fs.WalkDir": true}

// walkOrigin returns the walk's name when errExpr is the error parameter of a
// function literal passed to filepath.Walk, filepath.WalkDir or fs.WalkDir.
func walkOrigin(info *types.Info, c inspector.Cursor, errExpr ast.Expr) string {
	id, ok := errExpr.(*ast.Ident)
	if !ok {
		return ""
	}
	for fc := range c.Enclosing((*ast.FuncLit)(nil)) {
		lit, ok := fc.Node().(*ast.FuncLit)
		if !ok {
			continue
		}
		isParam := false
		for _, f := range lit.Type.Params.List {
			for _, n := range f.Names {
				if n.Name == id.Name && (info.ObjectOf(id) == nil || info.ObjectOf(n) == info.ObjectOf(id)) {
					isParam = true
				}
			}
		}
		if !isParam {
			return ""
		}
		call, ok := fc.Parent().Node().(*ast.CallExpr)
		if !ok {
			return ""
		}
		for _, n := range provenance.CalleeNames(info, call) {
			if walkFuncs[n] {
				return shortName(call.Fun)
			}
		}
		return ""
	}
	return ""
}

// testedMethods are methods whose callers (the standard library's readers,
// servers and transports) branch on the error's identity: io.EOF, net.Error
// timeouts, context cancellation.
var testedMethods = map[string]bool{
	"Read": true, "ReadAt": true, "ReadFrom": true, "Write": true, "WriteAt": true, "WriteTo": true,
	"Close": true, "Accept": true, "RoundTrip": true, "ServeHTTP": true, "Dial": true, "DialContext": true,
}

// testedByCaller reports whether the function around c is one whose callers
// typically test the error by identity: it takes a context.Context (callers
// check for cancellation and deadlines), or it is a method of a standard I/O
// interface.
func testedByCaller(info *types.Info, c inspector.Cursor) bool {
	fn, ft, _, ok := flow.EnclosingFunc(c)
	if !ok {
		return false
	}
	if fd, ok := fn.(*ast.FuncDecl); ok && fd.Recv != nil && testedMethods[fd.Name.Name] {
		return true
	}
	for _, f := range ft.Params.List {
		if isContextType(info, f.Type) {
			return true
		}
	}
	return false
}

// isContextType reports whether e denotes context.Context.
func isContextType(info *types.Info, e ast.Expr) bool {
	if t := info.TypeOf(e); t != nil && t != types.Typ[types.Invalid] {
		n, ok := types.Unalias(t).(*types.Named)
		return ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == "context" && n.Obj().Name() == "Context"
	}
	return types.ExprString(e) == "context.Context"
}

// shortName renders the called function, eliding the arguments of calls in
// a chain: db.QueryRow(...).Scan.
func shortName(fun ast.Expr) string {
	switch f := ast.Unparen(fun).(type) {
	case *ast.SelectorExpr:
		if x, ok := ast.Unparen(f.X).(*ast.CallExpr); ok {
			args := "(...)."
			if len(x.Args) == 0 {
				args = "()."
			}
			return shortName(x.Fun) + args + f.Sel.Name
		}
		return shortName(f.X) + "." + f.Sel.Name
	}
	return types.ExprString(fun)
}
