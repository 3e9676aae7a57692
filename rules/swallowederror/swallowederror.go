package swallowederror

import (
	"go/ast"
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

// checker holds what every check of one file needs.
type checker struct {
	pass  *analysis.Pass
	r     *spec.Reporter
	lists *provenance.Lists
	file  *ast.File
}

func run(pass *analysis.Pass, r *spec.Reporter) {
	lists := r.Options().Lists
	if lists == nil {
		lists = provenance.Default()
	}
	for fc := range r.Files() {
		f, ok := fc.Node().(*ast.File)
		if !ok {
			continue
		}
		ch := &checker{pass: pass, r: r, lists: lists, file: f}
		for c := range fc.Preorder((*ast.IfStmt)(nil)) {
			if ifs, ok := c.Node().(*ast.IfStmt); ok {
				ch.check(c, ifs)
			}
		}
	}
}

func (ch *checker) check(c inspector.Cursor, ifs *ast.IfStmt) {
	info := ch.pass.TypesInfo
	errExpr := errNotNil(info, ifs.Cond)
	if errExpr == nil {
		return
	}
	if _, isField := errExpr.(*ast.SelectorExpr); isField {
		return // the error is kept in a field, for someone else to report
	}
	errObj := objectOf(info, errExpr)
	call, results := failedCall(info, c, ifs, errExpr, errObj)
	if call == nil {
		// The error was not produced by a call here (a parameter, a
		// field, a value handed over by a callback contract): what the
		// branch does with it is that contract's business.
		return
	}
	if isContextErr(info, call) {
		return // cancellation: returning quietly is the normal way to stop
	}
	if ch.deliberate(ifs, call) || ch.documentedDrop(c) {
		return
	}
	callName := shortName(call.Fun)
	body := ifs.Body.List

	// An empty branch: the failure is noticed and then ignored.
	if len(body) == 0 {
		if ifs.Else != nil || ch.explained(ifs, nil) {
			return // a documented no-op, or one arm of an if/else dispatch
		}
		ch.r.Report(analysis.Diagnostic{
			Pos:     ifs.Pos(),
			End:     ifs.Body.Lbrace,
			Message: "error from " + callName + " is unhandled: the " + types.ExprString(ifs.Cond) + " branch is empty, so execution continues as if the call succeeded",
			Related: failedAt(call),
		})
		return
	}

	// A return of a nil error: the caller sees success.
	if ret := nilErrorReturn(info, c, body); ret != nil {
		// A branch that hands the error to someone (logs it, stores it,
		// sends it, writes it to a response) is not silent.
		if mentions(info, ifs.Body, errExpr, errObj) || ch.logs(ifs.Body) {
			return
		}
		// A branch that does other work before returning (prints a
		// fallback answer, cleans up, resets state) is an alternative
		// path; one with a comment explains why nil is right.
		if len(body) != 1 || ch.explained(ifs, ret) {
			return
		}
		ch.r.Report(analysis.Diagnostic{
			Pos:     ret.Pos(),
			End:     ret.End(),
			Message: "error from " + callName + " is dropped: this branch returns a nil error, so the caller sees success",
			Related: failedAt(call),
		})
		return
	}

	// A branch that only logs and falls through into code that uses the
	// failed call's other results.
	ch.checkFallthrough(c, ifs, callName, results)
}

// checkFallthrough is run on branches that log: a branch that only logs and
// then falls through into code that uses the failed call's other results.
func (ch *checker) checkFallthrough(c inspector.Cursor, ifs *ast.IfStmt, callName string, results []types.Object) {
	info := ch.pass.TypesInfo
	if ifs.Else != nil || len(results) == 0 || flow.Terminates(info, ch.lists, ifs.Body.List) {
		return
	}
	logged := false
	for _, s := range ifs.Body.List {
		es, ok := s.(*ast.ExprStmt)
		if !ok {
			return
		}
		call, ok := ast.Unparen(es.X).(*ast.CallExpr)
		if !ok {
			return
		}
		logged = logged || ch.isLog(call) || isPrint(info, call)
	}
	if !logged {
		return
	}
	for _, obj := range results {
		if usesObj(info, ifs.Body, obj) {
			return // the branch repairs or inspects the result
		}
	}
	use := firstUseAfter(info, c, results)
	if use == nil {
		return
	}
	ch.r.Report(analysis.Diagnostic{
		Pos: ifs.Pos(),
		End: ifs.Body.Lbrace,
		Message: "error from " + callName + " is only logged: execution falls through and uses " + use.Name +
			", which is not valid when the call failed; return, or assign a fallback",
		Related: []analysis.RelatedInformation{{Pos: use.Pos(), End: use.End(), Message: use.Name + " used after the failed " + callName}},
	})
}

// errNotNil returns X when cond is "X != nil" (either way round) and X is an
// error, or looks like one when types are missing.
func errNotNil(info *types.Info, cond ast.Expr) ast.Expr {
	be, ok := ast.Unparen(cond).(*ast.BinaryExpr)
	if !ok || be.Op != token.NEQ {
		return nil
	}
	x, y := ast.Unparen(be.X), ast.Unparen(be.Y)
	if isNil(info, x) {
		x, y = y, x
	}
	if !isNil(info, y) {
		return nil
	}
	switch x.(type) {
	case *ast.Ident, *ast.SelectorExpr:
	default:
		return nil
	}
	if t := info.TypeOf(x); t != nil && t != types.Typ[types.Invalid] {
		if !isErrorType(t) {
			return nil
		}
		return x
	}
	// Partial types: judge by the name.
	name := types.ExprString(x)
	if i := strings.LastIndexByte(name, '.'); i >= 0 {
		name = name[i+1:]
	}
	if name == "err" || strings.HasSuffix(name, "Err") {
		return x
	}
	return nil
}

var errorType = types.Universe.Lookup("error").Type()

// isErrorType reports whether t is the error interface or a type whose
// values are used as errors (a named interface embedding error).
func isErrorType(t types.Type) bool {
	if types.Identical(t, errorType) {
		return true
	}
	if _, ok := t.Underlying().(*types.Interface); ok {
		return types.Implements(t, errorType.Underlying().(*types.Interface))
	}
	return false
}

func isNil(info *types.Info, e ast.Expr) bool {
	id, ok := ast.Unparen(e).(*ast.Ident)
	if !ok || id.Name != "nil" {
		return false
	}
	obj := info.Uses[id]
	_, isNil := obj.(*types.Nil)
	return obj == nil || isNil
}

func objectOf(info *types.Info, e ast.Expr) types.Object {
	switch e := ast.Unparen(e).(type) {
	case *ast.Ident:
		return info.ObjectOf(e)
	case *ast.SelectorExpr:
		return info.ObjectOf(e.Sel)
	}
	return nil
}

// sameVar reports whether e refers to the checked error: by object when
// types are known, by spelling otherwise.
func sameVar(info *types.Info, e, errExpr ast.Expr, errObj types.Object) bool {
	if errObj != nil {
		return objectOf(info, e) == errObj && types.ExprString(e) == types.ExprString(errExpr)
	}
	return types.ExprString(e) == types.ExprString(errExpr)
}

// failedCall finds the call whose error the if statement checks: in the if's
// init statement, or in the assignment just before the if. It returns the
// call and the objects of the call's other (non-blank) results.
func failedCall(info *types.Info, c inspector.Cursor, ifs *ast.IfStmt, errExpr ast.Expr, errObj types.Object) (*ast.CallExpr, []types.Object) {
	if ifs.Init != nil {
		return callAssigning(info, ifs.Init, errExpr, errObj)
	}
	prev, ok := prevStmt(c)
	if !ok {
		return nil, nil
	}
	return callAssigning(info, prev, errExpr, errObj)
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
		if s == c.Node() {
			if i == 0 {
				return nil, false
			}
			return list[i-1], true
		}
	}
	return nil, false
}

// callAssigning returns the call when s assigns the error from a single call
// ("x, err := f()" or "var x, err = f()"), and the other results' objects.
func callAssigning(info *types.Info, s ast.Stmt, errExpr ast.Expr, errObj types.Object) (*ast.CallExpr, []types.Object) {
	lhs, call, ok := flow.CallAssignment(s)
	if !ok {
		return nil, nil
	}
	found := false
	var others []types.Object
	for _, l := range lhs {
		if sameVar(info, l, errExpr, errObj) {
			found = true
			continue
		}
		id, ok := ast.Unparen(l).(*ast.Ident)
		if !ok || id.Name == "_" {
			continue
		}
		if obj := info.ObjectOf(id); obj != nil {
			others = append(others, obj)
		}
	}
	if !found {
		return nil, nil
	}
	return call, others
}

// isContextErr reports whether call is ctx.Err() or context.Cause.
func isContextErr(info *types.Info, call *ast.CallExpr) bool {
	for _, n := range provenance.CalleeNames(info, call) {
		if n == "context.Context.Err" || n == "context.Cause" {
			return true
		}
	}
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	return ok && sel.Sel.Name == "Err" && len(call.Args) == 0 && strings.Contains(strings.ToLower(types.ExprString(sel.X)), "ctx")
}

// deliberateWords mark a comment that says the error is dropped on purpose.
var deliberateWords = []string{
	"ignor", "best effort", "best-effort", "on purpose", "deliberate", "intentional",
	"not an error", "nothing to do", "expected", "harmless", "doesn't matter", "does not matter",
	"don't care", "do not care", "not fatal", "non-fatal", "nonfatal", "swallow", "optional",
	"fall back", "fallback", "falls back", "not found", "doesn't exist", "does not exist",
	"on the floor",
}

// docWords in the enclosing function's documentation say that it drops
// errors as part of its contract ("Glob ignores file system errors").
var docWords = []string{"ignor", "best effort", "best-effort", "swallow", "on the floor"}

// documentedDrop reports whether the enclosing function's doc comment says
// that errors are dropped.
func (ch *checker) documentedDrop(c inspector.Cursor) bool {
	fn, _, _, ok := flow.EnclosingFunc(c)
	if !ok {
		return false
	}
	fd, ok := fn.(*ast.FuncDecl)
	if !ok {
		return false
	}
	if docSaysDrop(fd) {
		return true
	}
	// An unexported helper of a documented function (Glob calling
	// globWithLimit) shares its contract.
	if fd.Recv != nil || ast.IsExported(fd.Name.Name) {
		return false
	}
	for _, d := range ch.file.Decls {
		caller, ok := d.(*ast.FuncDecl)
		if !ok || caller == fd || caller.Body == nil || !docSaysDrop(caller) {
			continue
		}
		calls := false
		ast.Inspect(caller.Body, func(n ast.Node) bool {
			if call, ok := n.(*ast.CallExpr); ok {
				if id, ok := ast.Unparen(call.Fun).(*ast.Ident); ok && id.Name == fd.Name.Name {
					calls = true
				}
			}
			return !calls
		})
		if calls {
			return true
		}
	}
	return false
}

func docSaysDrop(fd *ast.FuncDecl) bool {
	if fd.Doc == nil {
		return false
	}
	doc := strings.ToLower(fd.Doc.Text())
	for _, w := range docWords {
		if strings.Contains(doc, w) {
			return true
		}
	}
	return false
}

// deliberate reports whether a comment inside the branch, on the if line,
// on the failed call's line or on the line above them says that the error is dropped on purpose.
func (ch *checker) deliberate(ifs *ast.IfStmt, call *ast.CallExpr) bool {
	fset := ch.pass.Fset
	first := call.Pos()
	if ifs.Pos() < first {
		first = ifs.Pos()
	}
	line := fset.Position(first).Line
	tf := fset.File(first)
	if tf == nil {
		return false
	}
	start := first
	if line > 1 {
		start = tf.LineStart(line - 1)
	}
	return ch.hasComment(start, ifs.Body.Rbrace, func(cm *ast.Comment) bool { return isDeliberate(cm.Text) })
}

func isDeliberate(text string) bool {
	t := strings.ToLower(text)
	for _, w := range deliberateWords {
		if strings.Contains(t, w) {
			return true
		}
	}
	for _, w := range strings.FieldsFunc(t, func(r rune) bool { return !('a' <= r && r <= 'z' || r == '\'') }) {
		switch w {
		case "ok", "fine", "okay", "skip", "skipping", "safe", "assume", "treat", "default", "defaults", "unsupported":
			return true
		}
	}
	return false
}

// hasComment reports whether a comment in [from, to] satisfies ok.
func (ch *checker) hasComment(from, to token.Pos, ok func(*ast.Comment) bool) bool {
	for _, cg := range ch.file.Comments {
		if cg.End() < from || cg.Pos() > to {
			continue
		}
		for _, cm := range cg.List {
			if cm.End() >= from && cm.Pos() <= to && ok(cm) {
				return true
			}
		}
	}
	return false
}

// mentions reports whether the checked error is referenced inside n.
func mentions(info *types.Info, n ast.Node, errExpr ast.Expr, errObj types.Object) bool {
	found := false
	ast.Inspect(n, func(n ast.Node) bool {
		if found {
			return false
		}
		if e, ok := n.(ast.Expr); ok && sameVar(info, e, errExpr, errObj) {
			found = true
		}
		return !found
	})
	return found
}

// logs reports whether a statement of the block calls a logger, prints to
// standard error, or exits.
func (ch *checker) logs(b *ast.BlockStmt) bool {
	info := ch.pass.TypesInfo
	found := false
	ast.Inspect(b, func(n ast.Node) bool {
		if found {
			return false
		}
		if _, ok := n.(*ast.FuncLit); ok {
			return false
		}
		if call, ok := n.(*ast.CallExpr); ok && (ch.isLog(call) || ch.lists.IsExit(info, call)) {
			found = true
		}
		return !found
	})
	return found
}

// nilErrorReturn returns the return statement among the branch's top-level
// statements that returns nil in the enclosing function's error result.
func nilErrorReturn(info *types.Info, c inspector.Cursor, body []ast.Stmt) *ast.ReturnStmt {
	_, ft, _, ok := flow.EnclosingFunc(c)
	if !ok || ft.Results == nil || len(ft.Results.List) == 0 {
		return nil
	}
	last := ft.Results.List[len(ft.Results.List)-1]
	if !isErrorTypeExpr(info, last.Type) {
		return nil
	}
	n := 0
	for _, f := range ft.Results.List {
		if len(f.Names) == 0 {
			n++
		} else {
			n += len(f.Names)
		}
	}
	for _, s := range body {
		ret, ok := s.(*ast.ReturnStmt)
		if !ok || len(ret.Results) != n {
			continue
		}
		if isNil(info, ret.Results[n-1]) {
			return ret
		}
	}
	return nil
}

func isErrorTypeExpr(info *types.Info, e ast.Expr) bool {
	if t := info.TypeOf(e); t != nil && t != types.Typ[types.Invalid] {
		return types.Identical(t, errorType)
	}
	id, ok := e.(*ast.Ident)
	return ok && id.Name == "error"
}

func usesObj(info *types.Info, n ast.Node, obj types.Object) bool {
	found := false
	ast.Inspect(n, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok && info.ObjectOf(id) == obj {
			found = true
		}
		return !found
	})
	return found
}

// firstUseAfter returns the first reference to one of objs in the
// statements that follow the if statement at c in its block.
func firstUseAfter(info *types.Info, c inspector.Cursor, objs []types.Object) *ast.Ident {
	var list []ast.Stmt
	switch p := c.Parent().Node().(type) {
	case *ast.BlockStmt:
		list = p.List
	case *ast.CaseClause:
		list = p.Body
	case *ast.CommClause:
		list = p.Body
	default:
		return nil
	}
	after := false
	for _, s := range list {
		if s == c.Node() {
			after = true
			continue
		}
		if !after {
			continue
		}
		var use *ast.Ident
		stop := false
		ast.Inspect(s, func(n ast.Node) bool {
			if stop {
				return false
			}
			switch n := n.(type) {
			case *ast.BinaryExpr:
				// x == nil, x != nil, n > 0: the result is checked.
				if (n.Op == token.EQL || n.Op == token.NEQ || n.Op == token.GTR || n.Op == token.LSS ||
					n.Op == token.GEQ || n.Op == token.LEQ) && (refersTo(info, n.X, objs) || refersTo(info, n.Y, objs)) {
					stop = true
				}
			case *ast.SelectorExpr:
				if refersTo(info, n.X, objs) {
					use, stop = ast.Unparen(n.X).(*ast.Ident)
				}
			case *ast.IndexExpr:
				if refersTo(info, n.X, objs) {
					use, stop = ast.Unparen(n.X).(*ast.Ident)
				}
			case *ast.StarExpr:
				if refersTo(info, n.X, objs) {
					use, stop = ast.Unparen(n.X).(*ast.Ident)
				}
			case *ast.CallExpr:
				if refersTo(info, n.Fun, objs) {
					use, stop = ast.Unparen(n.Fun).(*ast.Ident)
				}
			case *ast.ReturnStmt:
				// Returning the invalid value hands it to the caller as
				// if it were good.
				for _, r := range n.Results {
					if refersTo(info, r, objs) {
						use, stop = ast.Unparen(r).(*ast.Ident)
						break
					}
				}
			case *ast.Ident:
				// Any other mention (copied, returned, passed on) hands
				// the value over without using it here.
				if refersTo(info, n, objs) {
					stop = true
				}
			}
			return !stop
		})
		if stop {
			return use
		}
	}
	return nil
}

// isPrint reports whether call prints to standard output.
func isPrint(info *types.Info, call *ast.CallExpr) bool {
	for _, n := range provenance.CalleeNames(info, call) {
		switch n {
		case "fmt.Print", "fmt.Printf", "fmt.Println":
			return true
		}
	}
	return false
}

// explained reports whether the branch holds a comment on a line of its own
// (not the if line, not the line of stmt) that is not a TODO: the author
// explained why nothing, or nil, is the right answer.
func (ch *checker) explained(ifs *ast.IfStmt, stmt ast.Stmt) bool {
	fset := ch.pass.Fset
	skip := map[int]bool{fset.Position(ifs.Pos()).Line: true}
	if stmt != nil {
		for l := fset.Position(stmt.Pos()).Line; l <= fset.Position(stmt.End()).Line; l++ {
			skip[l] = true
		}
	}
	return ch.hasComment(ifs.Body.Lbrace, ifs.Body.Rbrace, func(cm *ast.Comment) bool {
		if skip[fset.Position(cm.Pos()).Line] {
			return false
		}
		t := strings.TrimSpace(strings.TrimLeft(cm.Text, "/*"))
		return !strings.HasPrefix(t, "TODO") && !strings.HasPrefix(t, "FIXME") && !strings.HasPrefix(t, "XXX")
	})
}

// isLog reports whether call logs: a listed logger, or any method of a value
// whose type is named like a logger (applications' loggers have methods
// such as VerboseOutf or Warnw that no list can foresee).
func (ch *checker) isLog(call *ast.CallExpr) bool {
	info := ch.pass.TypesInfo
	if ch.lists.IsLog(info, call) {
		return true
	}
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok || len(call.Args) == 0 {
		return false
	}
	if s, ok := info.Selections[sel]; ok && s.Kind() == types.MethodVal {
		t := strings.ToLower(types.TypeString(s.Recv(), nil))
		return strings.Contains(t, "logger") || strings.HasSuffix(t, "log")
	}
	return false
}

func refersTo(info *types.Info, e ast.Expr, objs []types.Object) bool {
	id, ok := ast.Unparen(e).(*ast.Ident)
	if !ok {
		return false
	}
	for _, o := range objs {
		if info.Uses[id] == o {
			return true
		}
	}
	return false
}

// failedAt points at the call whose error is lost.
func failedAt(call *ast.CallExpr) []analysis.RelatedInformation {
	return []analysis.RelatedInformation{{Pos: call.Pos(), End: call.End(), Message: "the call whose error is lost"}}
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
