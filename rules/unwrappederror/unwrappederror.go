package unwrappederror

import (
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"go/version"
	"maps"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/failfast-dev/failfast/rules/flow"
	"github.com/failfast-dev/failfast/rules/provenance"
	"github.com/failfast-dev/failfast/rules/spec"
)

// Analyzer is the rule's analyzer with the default options.
var Analyzer = New(spec.DefaultOptions())

// New returns the rule's analyzer for the given options.
func New(o *spec.Options) *analysis.Analyzer {
	a := spec.NewAnalyzer(ID, summary, o, run, nolint...)
	a.FactTypes = []analysis.Fact{new(inputError), new(nilError)}
	return a
}

func run(pass *analysis.Pass, r *spec.Reporter) {
	own := exportFacts(pass)
	nilErrs := exportNilErrors(pass)
	lists := r.Options().Lists
	if lists == nil {
		lists = provenance.Default()
	}
	sinks := textSinks(pass, lists)
	for fc := range r.Files() {
		for c := range fc.Preorder((*ast.CallExpr)(nil), (*ast.IfStmt)(nil)) {
			switch n := c.Node().(type) {
			case *ast.CallExpr:
				checkCall(pass, nilErrs, sinks, r, c, n)
			case *ast.IfStmt:
				// A branch after a call whose error is always nil never runs.
				if x := flow.ErrNotNil(pass.TypesInfo, n.Cond); x == nil || !failsNever(pass, nilErrs, originCall(pass.TypesInfo, c, x)) {
					checkBranch(pass, own, r, c, n)
				}
			}
		}
	}
}

const lost = "errors.Is and errors.As cannot see the cause; use fmt.Errorf with %w"

// checkCall reports fmt.Errorf formatting an error without %w, and
// errors.New of an error's text, unless the error comes from a call whose
// error is always nil (nilErrs): then the code is never reached.
func checkCall(pass *analysis.Pass, nilErrs map[*types.Func][]int, sinks map[*types.Func]map[int]bool, r *spec.Reporter, c inspector.Cursor, call *ast.CallExpr) {
	info := pass.TypesInfo
	if name := calleeName(info, call); (name == "fmt.Errorf" || name == "errors.New") &&
		(handedToPanic(info, c) || handedToTextSink(info, sinks, c) || explained(pass, c, call.Pos())) {
		return
	}
	switch calleeName(info, call) {
	case "fmt.Errorf":
		if len(call.Args) == 1 {
			// fmt.Errorf("import: " + err.Error()): a format built
			// from the error's text.
			if textOperand(info, call.Args[0]) == nil {
				return
			}
			r.Report(analysis.Diagnostic{
				Pos:     call.Pos(),
				End:     call.End(),
				Message: "fmt.Errorf(" + types.ExprString(call.Args[0]) + ") copies the error's text and drops the error: " + lost,
			})
			return
		}
		e, verb := unwrappedArg(info, call, allowsManyW(info, c))
		if e == nil {
			return
		}
		errVar := e
		if x := errorText(info, e); x != nil {
			errVar = ast.Unparen(x)
		}
		from := ""
		if src := originCall(info, c, errVar); src != nil {
			if failsNever(pass, nilErrs, src) {
				return
			}
			from = " (from " + shortName(src.Fun) + ")"
		}
		r.Report(analysis.Diagnostic{
			Pos: e.Pos(),
			End: e.End(),
			Message: "fmt.Errorf formats the error " + types.ExprString(e) + from + " with %" + verb +
				": the new error keeps only its text, so a caller's errors.Is or errors.As check (not-exist, timeout, EOF, cancellation) silently fails; use %w",
		})
	case "errors.New":
		if len(call.Args) != 1 {
			return
		}
		arg := ast.Unparen(call.Args[0])
		if textOperand(info, arg) != nil {
			r.Report(analysis.Diagnostic{
				Pos:     call.Pos(),
				End:     call.End(),
				Message: "errors.New(" + types.ExprString(arg) + ") copies the error's text and drops the error: " + lost,
			})
			return
		}
		inner, ok := arg.(*ast.CallExpr)
		if !ok || calleeName(info, inner) != "fmt.Sprintf" {
			return
		}
		if e, _ := unwrappedArg(info, inner, false); e != nil {
			r.Report(analysis.Diagnostic{
				Pos:     call.Pos(),
				End:     call.End(),
				Message: "errors.New(fmt.Sprintf(...)) keeps only the text of " + types.ExprString(e) + ": " + lost,
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
// is formatted as text (%v, %s, %q), or with a verb that is not for errors
// at all (%e, %d; not %T or %p), when the format wraps nothing with %w,
// and the verb used. With manyW (Go 1.20 and later, where a format may wrap
// several errors), a format whose %w wrap only sentinels (package-level
// error variables: fmt.Errorf("%w: %v", ErrCantConnect, err)) is looked at
// too: the sentinel names the kind of failure, and the error beside it, its
// cause, is lost to errors.As.
func unwrappedArg(info *types.Info, call *ast.CallExpr, manyW bool) (ast.Expr, string) {
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
	args := call.Args[1:]
	for _, v := range verbs {
		if v.verb == 'w' && (!manyW || v.arg >= len(args) || !isSentinel(info, args[v.arg])) {
			return nil, ""
		}
	}
	for _, v := range verbs {
		if v.arg >= len(args) {
			break
		}
		a := ast.Unparen(args[v.arg])
		switch v.verb {
		case 'v', 's', 'q':
			if isError(info, a) || errorText(info, a) != nil {
				return a, string(v.verb)
			}
		case 'T', 'p', 'w':
			// The type's name or the pointer is what is asked for.
		default:
			// Any other verb (%e, a slip for %w; %d) neither wraps nor
			// prints the message: fmt writes %!e(*fs.PathError=...).
			if isError(info, a) {
				return a, string(v.verb)
			}
		}
	}
	return nil, ""
}

// isSentinel reports whether e is a package-level variable of an error
// type (ErrNotFound, fs.ErrNotExist).
func isSentinel(info *types.Info, e ast.Expr) bool {
	return provenance.VarName(info, e) != "" && isError(info, e)
}

// allowsManyW reports whether the file around c is compiled at Go 1.20 or
// later, where fmt.Errorf may wrap several errors with %w.
func allowsManyW(info *types.Info, c inspector.Cursor) bool {
	for f := range c.Enclosing((*ast.File)(nil)) {
		v := info.FileVersions[f.Node().(*ast.File)]
		return v == "" || version.Compare(v, "go1.20") >= 0
	}
	return false
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

// textOperand returns X when e is X.Error() on an error X, or a string
// concatenation with such an operand ("import: " + err.Error()).
func textOperand(info *types.Info, e ast.Expr) ast.Expr {
	e = ast.Unparen(e)
	if x := errorText(info, e); x != nil {
		return x
	}
	be, ok := e.(*ast.BinaryExpr)
	if !ok || be.Op != token.ADD {
		return nil
	}
	if x := textOperand(info, be.X); x != nil {
		return x
	}
	return textOperand(info, be.Y)
}

// checkBranch reports, inside an "if err != nil" branch, a return of a
// fresh error (errors.New, or fmt.Errorf wrapping nothing) that does not
// mention err.
func checkBranch(pass *analysis.Pass, own map[*types.Func][]int, r *spec.Reporter, c inspector.Cursor, ifs *ast.IfStmt) {
	info := pass.TypesInfo
	errExpr := flow.ErrNotNil(info, ifs.Cond)
	if errExpr == nil {
		return
	}
	if _, _, _, ok := flow.EnclosingFunc(c); !ok {
		return
	}
	from := ""
	src := originCall(info, c, errExpr)
	if src != nil {
		from = " (from " + shortName(src.Fun) + ")"
	}
	// What the text that src failed on is made of, when its error says
	// nothing but that this text is malformed: a pure parser's, or one of
	// the module's functions that fail only that way (inputError).
	var parsed map[string]bool
	if src != nil {
		texts := inputArgs(pass, own, src)
		if text := parsedText(info, src); text != nil {
			texts = append(texts, text)
		}
		for _, t := range texts {
			if parsed == nil {
				parsed = map[string]bool{}
			}
			maps.Copy(parsed, textSources(info, c, t))
		}
	}
	for _, s := range ifs.Body.List {
		ret, ok := s.(*ast.ReturnStmt)
		if !ok || len(ret.Results) == 0 {
			continue
		}
		fresh, ok := ast.Unparen(ret.Results[len(ret.Results)-1]).(*ast.CallExpr)
		if !ok || mentions(info, fresh, errExpr) {
			continue // a wrapped or formatted err is checkCall's business
		}
		switch calleeName(info, fresh) {
		case "errors.New":
		case "fmt.Errorf":
			if wraps(info, fresh) {
				continue // it wraps another error, a sentinel: a deliberate translation
			}
		default:
			continue
		}
		if parsed != nil && namesInput(info, fresh, parsed) {
			continue // the parser's error says only that this text is malformed, and so does the new one
		}
		if explained(pass, c, fresh.Pos(), ifs.Pos()) {
			continue // the author says the cause is left out on purpose
		}
		msg := "the new error replaces " + types.ExprString(errExpr) + from + " without wrapping it: the cause is lost, " +
			"even from the message; wrap it with fmt.Errorf(\"...: %w\", " + types.ExprString(errExpr) + ")"
		if v := textCarrier(info, ifs, fresh, errExpr); v != nil {
			msg = "the new error keeps only the text of " + types.ExprString(errExpr) + from + ", through " + v.Name() +
				", not the error itself: a caller's errors.Is or errors.As check (not-exist, timeout, EOF, cancellation) " +
				"silently fails; wrap it with fmt.Errorf(\"...: %w\", " + types.ExprString(errExpr) + ")"
		}
		r.Report(analysis.Diagnostic{
			Pos:     fresh.Pos(),
			End:     fresh.End(),
			Message: msg,
			Related: []analysis.RelatedInformation{{Pos: ifs.Cond.Pos(), End: ifs.Cond.End(), Message: "the error that is dropped"}},
		})
	}
}

// textCarrier returns a variable declared in the branch of ifs that
// carries text made from errExpr into the new error fresh (`msg :=
// strings.ReplaceAll(err.Error(), "\n", " ")`, then `errors.New(msg)`), or
// nil: one that an assignment in the branch gives a value mentioning
// errExpr or another such variable (`te, ok := err.(*yaml.TypeError)`,
// `m = te.Errors[0].Error()`).
func textCarrier(info *types.Info, ifs *ast.IfStmt, fresh *ast.CallExpr, errExpr ast.Expr) *types.Var {
	carriers := map[types.Object]bool{}
	carries := func(e ast.Expr) bool {
		if mentions(info, e, errExpr) {
			return true
		}
		found := false
		ast.Inspect(e, func(n ast.Node) bool {
			if id, ok := n.(*ast.Ident); ok && carriers[info.ObjectOf(id)] {
				found = true
			}
			return !found
		})
		return found
	}
	declaredInBranch := func(obj types.Object) bool {
		v, ok := obj.(*types.Var)
		return ok && v.Pos() >= ifs.Body.Pos() && v.Pos() < ifs.Body.End()
	}
	for changed := true; changed; {
		changed = false
		ast.Inspect(ifs.Body, func(n ast.Node) bool {
			as, ok := n.(*ast.AssignStmt)
			if !ok {
				return true
			}
			for i, l := range as.Lhs {
				id, ok := ast.Unparen(l).(*ast.Ident)
				if !ok || carriers[info.ObjectOf(id)] || !declaredInBranch(info.ObjectOf(id)) {
					continue
				}
				rhs := as.Rhs[min(i, len(as.Rhs)-1)]
				if carries(rhs) {
					carriers[info.ObjectOf(id)] = true
					changed = true
				}
			}
			return true
		})
	}
	var out *types.Var
	ast.Inspect(fresh, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok && out == nil && carriers[info.ObjectOf(id)] {
			out, _ = info.ObjectOf(id).(*types.Var)
		}
		return out == nil
	})
	return out
}

// handedToPanic reports whether the call at c is the argument of panic:
// the new error reaches no caller that could test it, only a recover or
// the crash report, which print its text.
func handedToPanic(info *types.Info, c inspector.Cursor) bool {
	p, ok := c.Parent().Node().(*ast.CallExpr)
	if !ok {
		return false
	}
	id, ok := ast.Unparen(p.Fun).(*ast.Ident)
	if !ok {
		return false
	}
	b, ok := info.Uses[id].(*types.Builtin)
	return ok && b.Name() == "panic"
}

// textSinks finds the functions of the package with an error parameter
// that only text consumes: every use of it in the body prints it or takes
// its text (an argument of a log call or of an fmt print, `err.Error()`),
// and it is never returned, stored, wrapped, compared or passed on. The
// result maps each such function to the indexes of those parameters.
// litefs's `func Error(w, r, err error, code int)` that logs err with %s
// and answers http.Error(w, err.Error(), code) is one.
func textSinks(pass *analysis.Pass, lists *provenance.Lists) map[*types.Func]map[int]bool {
	info := pass.TypesInfo
	sinks := map[*types.Func]map[int]bool{}
	for _, f := range pass.Files {
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Body == nil || fd.Type.Params == nil {
				continue
			}
			fn, ok := info.Defs[fd.Name].(*types.Func)
			if !ok {
				continue
			}
			i := 0
			for _, field := range fd.Type.Params.List {
				for _, name := range field.Names {
					if v, ok := info.Defs[name].(*types.Var); ok && isErrorType(v.Type()) && onlyText(info, lists, fd.Body, v) {
						if sinks[fn] == nil {
							sinks[fn] = map[int]bool{}
						}
						sinks[fn][i] = true
					}
					i++
				}
				if len(field.Names) == 0 {
					i++
				}
			}
		}
	}
	return sinks
}

// onlyText reports whether every use of the error v in body prints it or
// takes its text.
func onlyText(info *types.Info, lists *provenance.Lists, body *ast.BlockStmt, v *types.Var) bool {
	ok := true
	var stack []ast.Node
	ast.Inspect(body, func(n ast.Node) bool {
		if n == nil {
			stack = stack[:len(stack)-1]
			return true
		}
		stack = append(stack, n)
		id, isID := n.(*ast.Ident)
		if !isID || info.Uses[id] != v || !ok {
			return ok
		}
		parent := stack[len(stack)-2]
		switch p := parent.(type) {
		case *ast.SelectorExpr: // err.Error()
			call, isCall := stack[len(stack)-3].(*ast.CallExpr)
			ok = p.Sel.Name == "Error" && isCall && call.Fun == ast.Expr(p) && len(call.Args) == 0
		case *ast.CallExpr:
			ok = ast.Expr(p.Fun) != ast.Expr(id) && printsText(info, lists, p)
		default:
			ok = false
		}
		return ok
	})
	return ok
}

// printsText reports whether call prints its arguments: a log call, or an
// fmt print (Print, Fprint, Sprint and their f and ln forms; not Errorf,
// which may wrap).
func printsText(info *types.Info, lists *provenance.Lists, call *ast.CallExpr) bool {
	if lists.IsLog(info, call) {
		return true
	}
	for _, n := range provenance.CalleeNames(info, call) {
		switch n {
		case "fmt.Print", "fmt.Printf", "fmt.Println", "fmt.Fprint", "fmt.Fprintf", "fmt.Fprintln",
			"fmt.Sprint", "fmt.Sprintf", "fmt.Sprintln":
			return true
		}
	}
	return false
}

// handedToTextSink reports whether the call at c is an argument, for a
// parameter that only text consumes (textSinks), of a call of a function
// of the package: the new error reaches no caller that could test it,
// only a log line and a reply's body, which print its text.
func handedToTextSink(info *types.Info, sinks map[*types.Func]map[int]bool, c inspector.Cursor) bool {
	p, ok := c.Parent().Node().(*ast.CallExpr)
	if !ok {
		return false
	}
	fn, ok := typeutil.Callee(info, p).(*types.Func)
	if !ok || sinks[fn] == nil {
		return false
	}
	for i, a := range p.Args {
		if a == c.Node() {
			return sinks[fn][i]
		}
	}
	return false
}

// explained reports whether a comment ending on the line of one of the
// positions, or on the line above it, says the cause is left out on
// purpose (provenance.HidesCause): "do not include the original error, as
// it contains the full URL".
func explained(pass *analysis.Pass, c inspector.Cursor, at ...token.Pos) bool {
	var file *ast.File
	for e := range c.Enclosing((*ast.File)(nil)) {
		file, _ = e.Node().(*ast.File)
	}
	if file == nil {
		return false
	}
	lines := map[int]bool{}
	for _, p := range at {
		l := pass.Fset.Position(p).Line
		lines[l], lines[l-1] = true, true
	}
	for _, g := range file.Comments {
		if g.End() < file.Pos() || !lines[pass.Fset.Position(g.End()).Line] {
			continue
		}
		if text := g.Text(); !strings.HasPrefix(text, "want ") && provenance.HidesCause(text) {
			return true
		}
	}
	return false
}

// wraps reports whether the printf-style call's constant format has a %w
// verb.
func wraps(info *types.Info, call *ast.CallExpr) bool {
	if len(call.Args) == 0 {
		return false
	}
	format, ok := constString(info, call.Args[0])
	if !ok {
		return false
	}
	verbs, _ := parseVerbs(format)
	for _, v := range verbs {
		if v.verb == 'w' {
			return true
		}
	}
	return false
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

// originCall returns the call that produced the error errVar: the call
// checked by the innermost "if errVar != nil" around c, assigned in its
// initialiser or in the statement before it, or nil when that call is not
// in view.
func originCall(info *types.Info, c inspector.Cursor, errVar ast.Expr) *ast.CallExpr {
	want := types.ExprString(errVar)
	for ic := range c.Enclosing((*ast.IfStmt)(nil), (*ast.FuncLit)(nil), (*ast.FuncDecl)(nil)) {
		ifs, ok := ic.Node().(*ast.IfStmt)
		if !ok {
			return nil // reached the enclosing function
		}
		x := flow.ErrNotNil(info, ifs.Cond)
		if x == nil || types.ExprString(x) != want {
			continue
		}
		if ifs.Init != nil {
			return callAssigning(ifs.Init, want)
		}
		if prev, ok := prevStmt(ic); ok {
			return callAssigning(prev, want)
		}
		return nil
	}
	return nil
}

// namesInput reports whether the new error fresh mentions a variable or
// field that the parsed text is made of or derived from (textSources:
// `strconv.Atoi(port)`, then `fmt.Errorf("bad port %q", port)`).
func namesInput(info *types.Info, fresh *ast.CallExpr, sources map[string]bool) bool {
	found := false
	for _, a := range fresh.Args {
		ast.Inspect(a, func(n ast.Node) bool {
			if e, ok := n.(ast.Expr); ok && isVarOperand(info, e) {
				found = found || sources[types.ExprString(e)]
				return false
			}
			return !found
		})
	}
	return found
}

// isVarOperand reports whether e is a variable, or a field selected from
// one (copts.macAddress).
func isVarOperand(info *types.Info, e ast.Expr) bool {
	switch e := e.(type) {
	case *ast.Ident:
		_, ok := info.Uses[e].(*types.Var)
		return ok
	case *ast.SelectorExpr:
		sel, ok := info.Selections[e]
		return ok && sel.Kind() == types.FieldVal && isVarOperand(info, ast.Unparen(e.X))
	}
	return false
}

// prevStmt returns the statement before the one at c in its block.
func prevStmt(c inspector.Cursor) (ast.Stmt, bool) {
	list, i := flow.StmtList(c)
	if i <= 0 {
		return nil, false
	}
	return list[i-1], true
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
