package swallowederror

import (
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/edge"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/failfast-dev/failfast/rules/flow"
	"github.com/failfast-dev/failfast/rules/provenance"
	"github.com/failfast-dev/failfast/rules/spec"
)

// Analyzer is the rule's analyzer with the default options.
var Analyzer = New(spec.DefaultOptions())

// New returns the rule's analyzer for the given options.
func New(o *spec.Options) *analysis.Analyzer {
	a := spec.NewAnalyzer(ID, summary, o, run, nolint...)
	a.FactTypes = []analysis.Fact{new(nilError), new(fallsBack)}
	return a
}

// checker holds what every check of one file needs.
type checker struct {
	pass  *analysis.Pass
	r     *spec.Reporter
	lists *provenance.Lists
	file  *ast.File
	// ends tells whether a branch never falls through, counting the
	// package's helpers that never return (a CLI's log.fatal that exits).
	ends *flow.Guard
}

func run(pass *analysis.Pass, r *spec.Reporter) {
	lists := r.Options().Lists
	if lists == nil {
		lists = provenance.Default()
	}
	ends := &flow.Guard{Info: pass.TypesInfo, Lists: lists, Enders: flow.NewEnders(pass.TypesInfo, lists)}
	exportNilErrors(pass)
	exportFallbacks(pass)
	for fc := range r.Files() {
		f, ok := fc.Node().(*ast.File)
		if !ok {
			continue
		}
		ch := &checker{pass: pass, r: r, lists: lists, file: f, ends: ends}
		for c := range fc.Preorder((*ast.IfStmt)(nil)) {
			if ifs, ok := c.Node().(*ast.IfStmt); ok {
				ch.check(c, ifs)
			}
		}
	}
}

func (ch *checker) check(c inspector.Cursor, ifs *ast.IfStmt) {
	info := ch.pass.TypesInfo
	errExpr := flow.ErrNotNil(info, ifs.Cond)
	if errExpr == nil {
		return
	}
	if _, isField := errExpr.(*ast.SelectorExpr); isField {
		return // the error is kept in a field, for someone else to report
	}
	errObj := objectOf(info, errExpr)
	src, ok := ch.source(c, ifs, errExpr, errObj)
	if !ok {
		return
	}
	if src.call != nil && isContextErr(info, src.call) {
		return // cancellation: returning quietly is the normal way to stop
	}
	if src.call != nil && (provenance.ErrorNeverSet(info, src.call) || callsNilError(ch.pass, src.call)) {
		// Documented never to fail (crypto/rand.Read), failing only for a
		// flag the program did not define (pflag's GetBool), proved not to
		// (json.Marshal of a []string), or a function of the module that
		// returns only nil errors: the branch never runs.
		return
	}
	if ch.deliberate(ifs, src.call) || flow.DocumentedDrop(ch.pass.Fset, c) {
		return
	}
	body := ifs.Body.List

	// An empty branch: the failure is noticed and then ignored. With an
	// else, the empty branch only spells "if err == nil" (the else runs on
	// success), which is not a check of the failure.
	if len(body) == 0 && ifs.Else != nil {
		return
	}
	if len(body) == 0 {
		ch.r.Report(analysis.Diagnostic{
			Pos:     ifs.Pos(),
			End:     ifs.Body.Lbrace,
			Message: src.name + " is unhandled: the " + types.ExprString(ifs.Cond) + " branch is empty, so execution continues as if the call succeeded",
			Related: src.related(),
		})
		return
	}

	// A nested return of a nil error that leaves the caller's destination
	// unfilled, whatever else the branch does on its other paths.
	if ret, out := ch.skipsOutput(c, ifs); ret != nil && out != nil {
		ch.r.Report(analysis.Diagnostic{
			Pos: ret.Pos(),
			End: ret.End(),
			Message: src.name + " is dropped: this return answers success without filling " + out.Name() +
				", so the caller reads " + out.Name() + " as if the call had worked",
			Related: src.related(),
		})
		return
	}

	// A branch that hands the error to someone who acts on it (stores it,
	// sends it, writes it to a response) is not silent. Logging it is not
	// handing it on: the caller is still told that all went well.
	if ch.handsOn(ifs.Body, errExpr, errObj) {
		return
	}

	// A return of a nil error: the caller sees success.
	if ret, known := ch.nilErrorReturn(c, body, errExpr, errObj); ret != nil {
		if ch.fallback(ifs.Body, ret, errExpr, errObj) || ch.skipsItem(c, ifs.Body, errExpr, errObj) ||
			ch.alternativeFailed(c, ifs, src, ret) {
			return
		}
		msg := src.name + " is dropped: this branch returns a nil error, so the caller sees success"
		if known != nil {
			msg = src.name + " is dropped: this branch returns " + known.Name() + ", which is nil here (checked on line " +
				strconv.Itoa(ch.pass.Fset.Position(known.checked).Line) + "), so the caller sees success"
		}
		ch.r.Report(analysis.Diagnostic{Pos: ret.Pos(), End: ret.End(), Message: msg, Related: src.related()})
		return
	}

	// A branch that falls through: execution goes on after the failure.
	ch.checkFallthrough(c, ifs, src, errExpr, errObj)
}

// source is what produced the checked error: a call in view, or a parameter
// through which the function's caller handed the error over.
type source struct {
	call    *ast.CallExpr  // nil for a parameter
	results []types.Object // the call's other results and output arguments
	outputs []types.Object // the output arguments alone (&resp of Unmarshal(body, &resp))
	name    string         // "error from os.Open", "error passed in err"
}

func (s source) related() []analysis.RelatedInformation {
	if s.call == nil {
		return nil
	}
	return []analysis.RelatedInformation{{Pos: s.call.Pos(), End: s.call.End(), Message: "the call whose error is lost"}}
}

// source finds the call whose error the if statement checks (in the if's
// init statement, or in the statement just before the if), or the
// parameter it arrives in. ok is false when neither is in view: the error
// was produced elsewhere, and what the branch does with it is not a
// question this branch answers.
func (ch *checker) source(c inspector.Cursor, ifs *ast.IfStmt, errExpr ast.Expr, errObj types.Object) (source, bool) {
	info := ch.pass.TypesInfo
	var s ast.Stmt
	if ifs.Init != nil {
		s = ifs.Init
	} else if prev, ok := prevStmt(c); ok {
		s = prev
	}
	if s != nil {
		_, _, body, _ := flow.EnclosingFunc(c)
		if call, results, outputs := callAssigning(info, body, s, errExpr, errObj); call != nil {
			return source{call: call, results: results, outputs: outputs, name: "error from " + shortName(call.Fun)}, true
		}
	}
	if ifs.Init == nil && isParam(c, errObj) {
		return source{name: "error passed in " + errObj.Name()}, true
	}
	return source{}, false
}

// isParam reports whether obj is a parameter of the function around c.
func isParam(c inspector.Cursor, obj types.Object) bool {
	_, ft, _, ok := flow.EnclosingFunc(c)
	if !ok || obj == nil || ft.Params == nil {
		return false
	}
	for _, f := range ft.Params.List {
		for _, n := range f.Names {
			if n.Pos() == obj.Pos() {
				return true
			}
		}
	}
	return false
}

// checkFallthrough reports a branch that does not end the function or the
// iteration: execution goes on after the failure. It is a finding when the
// code after it uses the failed call's results (which are not valid), or
// when the branch only logs, and without the error's value.
func (ch *checker) checkFallthrough(c inspector.Cursor, ifs *ast.IfStmt, src source, errExpr ast.Expr, errObj types.Object) {
	info := ch.pass.TypesInfo
	if src.call == nil {
		// An error parameter: a function that receives an error to handle
		// (an OnError callback) decides what handling it means; only a nil
		// return tells its caller that all is well.
		return
	}
	if ifs.Else != nil || ch.ends.Ends(c, ifs.Body.List) {
		return
	}
	for _, obj := range src.results {
		if flow.SetsVar(info, ifs.Body, obj) {
			return // a fallback: the branch gives the result a value of its own
		}
	}
	for _, obj := range src.outputs {
		if writesInto(info, ifs.Body, obj) {
			return // a fallback: the branch fills the destination itself
		}
	}
	if returnedAfter(info, c, errExpr, errObj) {
		return // the branch adds to the failure; the error itself reaches the caller
	}
	verb := "is not handled"
	if ch.logs(ifs.Body) {
		verb = "is only logged"
	}
	if use := firstUseAfter(info, c, src.results, errExpr, errObj); use != nil {
		if ch.logsValue(ifs.Body, errExpr, errObj) &&
			(ch.onlyEmptyReads(c, src.results, 0, errorResults(info, c) != 0 && !ch.failsAfter(c)) || len(src.outputs) == 0 && callFallsBack(ch.pass, src.call)) {
			// The log reports the failure with its value, and what
			// follows reads the results only as a collection, which a
			// failure leaves empty or holding what was read before it,
			// or reads what the callee chose to give with its failure:
			// a well-defined fallback.
			return
		}
		ch.r.Report(analysis.Diagnostic{
			Pos: ifs.Pos(),
			End: ifs.Body.Lbrace,
			Message: src.name + " " + verb + ": execution falls through and uses " + use.Name +
				", which is not valid when the call failed; return, or assign a fallback",
			Related: []analysis.RelatedInformation{{Pos: use.Pos(), End: use.End(), Message: use.Name + " used after the failure"}},
		})
		return
	}
	if mentions(info, ifs.Body, errExpr, errObj) || !ch.onlyLogs(ifs.Body) {
		// Logged or recorded with its value (a deliberate log-and-continue),
		// or the branch does the work another way (prints a fallback
		// answer, sets a flag its caller reads).
		return
	}
	ch.r.Report(analysis.Diagnostic{
		Pos:     ifs.Pos(),
		End:     ifs.Body.Lbrace,
		Message: src.name + " is logged without its value: execution continues and the log says something failed but not why",
		Related: src.related(),
	})
}

// returnedAfter reports whether the error tested by the if statement at c
// reaches the function's caller when the branch falls through: the
// statements after the if, in its block, return the error variable as it is
// (`if err != nil { log.Error(out) }; return out, err`), with no assignment
// to it and no other return on the way.
func returnedAfter(info *types.Info, c inspector.Cursor, errExpr ast.Expr, errObj types.Object) bool {
	if errObj == nil {
		return false
	}
	list, i := flow.StmtList(c)
	if i < 0 {
		return false
	}
	for _, st := range list[i+1:] {
		if ret, ok := st.(*ast.ReturnStmt); ok {
			return slices.ContainsFunc(ret.Results, func(e ast.Expr) bool { return sameVar(info, e, errExpr, errObj) })
		}
		if flow.SetsVar(info, st, errObj) || containsReturn(st) {
			return false
		}
	}
	return false
}

// containsReturn reports whether n holds a return statement outside any
// function literal.
func containsReturn(n ast.Node) bool {
	return holds(n, func(n ast.Node) bool { _, ok := n.(*ast.ReturnStmt); return ok })
}

func isBranch(n ast.Node) bool { _, ok := n.(*ast.BranchStmt); return ok }

// holds reports whether n holds, outside any function literal, a node
// that is accepts.
func holds(n ast.Node, is func(ast.Node) bool) bool {
	found := false
	ast.Inspect(n, func(n ast.Node) bool {
		if _, lit := n.(*ast.FuncLit); lit || found {
			return false
		}
		found = n != nil && is(n)
		return !found
	})
	return found
}

// onlyLogs reports whether every statement of the block is a call to a
// logger (a print to standard output is the program's output, not a log).
func (ch *checker) onlyLogs(b *ast.BlockStmt) bool {
	for _, s := range b.List {
		es, ok := s.(*ast.ExprStmt)
		if !ok {
			return false
		}
		call, ok := ast.Unparen(es.X).(*ast.CallExpr)
		if !ok || !ch.isLog(call) {
			return false
		}
	}
	return true
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

// prevStmt returns the statement before the one at c in its block.
func prevStmt(c inspector.Cursor) (ast.Stmt, bool) {
	list, i := flow.StmtList(c)
	if i <= 0 {
		return nil, false
	}
	return list[i-1], true
}

// callAssigning returns the call when s assigns the error from a single call
// ("x, err := f()" or "var x, err = f()"), the objects of its other results
// and output arguments, and of the output arguments alone (those the call
// fills, flow.FilledArgs, in the enclosing function's body).
func callAssigning(info *types.Info, body *ast.BlockStmt, s ast.Stmt, errExpr ast.Expr, errObj types.Object) (call *ast.CallExpr, results, outputs []types.Object) {
	lhs, call, ok := flow.CallAssignment(s)
	if !ok {
		return nil, nil, nil
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
		return nil, nil, nil
	}
	// Output arguments (Scan(&a), Decode(&cfg)) are results too: the call
	// fills them only when it succeeds.
	var scope ast.Node
	if body != nil {
		scope = body
	}
	outputs = flow.FilledArgs(info, scope, call)
	return call, append(others, outputs...), outputs
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

// deliberate reports whether a comment inside the branch, on the if line,
// on the failed call's line or on the line above them says that the error
// is dropped on purpose, or a comment inside the branch says what is
// assumed in place of the failed call's answer.
func (ch *checker) deliberate(ifs *ast.IfStmt, call *ast.CallExpr) bool {
	fset := ch.pass.Fset
	first := ifs.Pos()
	if call != nil && call.Pos() < first {
		first = call.Pos()
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
	if ch.hasComment(start, ifs.Body.Rbrace, func(cm *ast.Comment) bool { return provenance.StatesDrop(cm.Text) }) {
		return true
	}
	// Inside the branch the failure is the comment's condition: "assume the
	// file has changed" there says what is taken in its place.
	return ch.hasComment(ifs.Body.Lbrace, ifs.Body.Rbrace, func(cm *ast.Comment) bool { return provenance.AssumesInstead(cm.Text) })
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

// logs reports whether a statement of the block calls a logger, prints, or
// exits.
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
		if call, ok := n.(*ast.CallExpr); ok && (ch.isLog(call) || isPrint(info, call) || ch.lists.IsExit(info, call)) {
			found = true
		}
		return !found
	})
	return found
}

func isErrorTypeExpr(info *types.Info, e ast.Expr) bool {
	if t := info.TypeOf(e); t != nil && t != types.Typ[types.Invalid] {
		return types.Identical(t, errorType)
	}
	id, ok := e.(*ast.Ident)
	return ok && id.Name == "error"
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

// checked reports whether the operand e of a comparison is one of objs or
// its length (len(ml) == 0).
func checked(info *types.Info, e ast.Expr, objs []types.Object) bool {
	if call, ok := ast.Unparen(e).(*ast.CallExpr); ok && len(call.Args) == 1 {
		if id, ok := ast.Unparen(call.Fun).(*ast.Ident); ok && (id.Name == "len" || id.Name == "cap") {
			if _, builtin := info.Uses[id].(*types.Builtin); builtin {
				e = call.Args[0]
			}
		}
	}
	return refersTo(info, e, objs)
}

// testsBool reports whether cond, an if's condition, tests a boolean result
// among objs as a condition of its own: the result is an operand of the
// condition's &&, || and ! (`if !authorized`, `if valid && authorized`),
// the bool form of a comparison (`authorized == true`). A failure leaves
// false, which takes the "not so" branch like any other false.
// Any other read of the results in the condition (resp.OK) is a use.
func testsBool(info *types.Info, cond ast.Expr, objs []types.Object) bool {
	operands := map[*ast.Ident]bool{}
	var walk func(e ast.Expr)
	walk = func(e ast.Expr) {
		switch e := ast.Unparen(e).(type) {
		case *ast.UnaryExpr:
			if e.Op == token.NOT {
				walk(e.X)
			}
		case *ast.BinaryExpr:
			if e.Op == token.LAND || e.Op == token.LOR {
				walk(e.X)
				walk(e.Y)
			}
		case *ast.Ident:
			if t := info.TypeOf(e); t != nil && types.Identical(t.Underlying(), types.Typ[types.Bool]) && refersTo(info, e, objs) {
				operands[e] = true
			}
		}
	}
	walk(cond)
	if len(operands) == 0 {
		return false
	}
	other := false
	ast.Inspect(cond, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok && !operands[id] && refersTo(info, id, objs) {
			other = true
		}
		return !other
	})
	return !other
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

// handsOn reports whether the branch passes the error to someone who acts on
// it: stores it, sends it, appends it, or passes it to a call that is not a
// logger or a print (http.Error(w, err.Error(), ...), errs = append(errs,
// err)), or records the failure as another error (p.err = ErrHeader). A
// result that returns only the error's text (return err.Error(), nil) does
// not hand it on: the caller receives a string it takes for the answer.
func (ch *checker) handsOn(b *ast.BlockStmt, errExpr ast.Expr, errObj types.Object) bool {
	info := ch.pass.TypesInfo
	found := false
	text := map[ast.Node]bool{} // results that are only the error's text
	ast.Inspect(b, func(n ast.Node) bool {
		if found || text[n] {
			return false
		}
		if call, ok := n.(*ast.CallExpr); ok && (ch.isLog(call) || isPrint(info, call)) {
			return false // logged: the value is seen, nobody acts on it
		}
		if ret, ok := n.(*ast.ReturnStmt); ok {
			for _, r := range ret.Results {
				if isErrorText(info, r, errExpr, errObj) {
					text[r] = true
				}
			}
		}
		if e, ok := n.(ast.Expr); ok && sameVar(info, e, errExpr, errObj) {
			found = true
		}
		if as, ok := n.(*ast.AssignStmt); ok && recordsFailure(info, as) {
			found = true
		}
		if call, ok := n.(*ast.CallExpr); ok && answersWithErrorStatus(info, call) {
			found = true
		}
		return !found
	})
	return found
}

// answersWithErrorStatus reports whether call answers an HTTP request with
// an error status, a constant of at least 400 (w.WriteHeader(http.StatusBadRequest),
// http.Error(w, "bad length", 400)): the failure is reported to the client,
// in the request's terms, as another error.
func answersWithErrorStatus(info *types.Info, call *ast.CallExpr) bool {
	var status ast.Expr
	for _, n := range provenance.CalleeNames(info, call) {
		switch {
		case n == "net/http.ResponseWriter.WriteHeader" && len(call.Args) == 1:
			status = call.Args[0]
		case n == "net/http.Error" && len(call.Args) == 3:
			status = call.Args[2]
		}
	}
	if status == nil {
		return false
	}
	code, ok := flow.IntConst(info, status)
	return ok && code >= 400
}

// isErrorText reports whether e is the checked error's text, err.Error().
func isErrorText(info *types.Info, e, errExpr ast.Expr, errObj types.Object) bool {
	call, ok := ast.Unparen(e).(*ast.CallExpr)
	if !ok || len(call.Args) != 0 {
		return false
	}
	sel, ok := call.Fun.(*ast.SelectorExpr)
	return ok && sel.Sel.Name == "Error" && sameVar(info, sel.X, errExpr, errObj)
}

// recordsFailure reports whether the assignment stores a non-nil error (p.err
// = ErrHeader): the failure is recorded for someone to see, only its cause
// is replaced.
func recordsFailure(info *types.Info, as *ast.AssignStmt) bool {
	if as.Tok != token.ASSIGN || len(as.Lhs) != len(as.Rhs) {
		return false
	}
	for i, l := range as.Lhs {
		if t := info.TypeOf(l); t != nil && isErrorType(t) && !flow.IsNil(info, as.Rhs[i]) {
			return true
		}
	}
	return false
}

// logsValue reports whether the branch logs or prints the error's value.
func (ch *checker) logsValue(b *ast.BlockStmt, errExpr ast.Expr, errObj types.Object) bool {
	info := ch.pass.TypesInfo
	found := false
	ast.Inspect(b, func(n ast.Node) bool {
		if call, ok := n.(*ast.CallExpr); ok && (ch.isLog(call) || isPrint(info, call)) && mentions(info, call, errExpr, errObj) {
			found = true
		}
		return !found
	})
	return found
}

// fallback reports whether a nil-error return is a well-defined fallback:
// the branch logs the error with its value and returns a value of its own
// in another result (return defaults, nil), which the caller can use.
func (ch *checker) fallback(b *ast.BlockStmt, ret *ast.ReturnStmt, errExpr ast.Expr, errObj types.Object) bool {
	if !ch.logsValue(b, errExpr, errObj) {
		return false
	}
	for _, r := range ret.Results[:len(ret.Results)-1] {
		if !flow.IsNil(ch.pass.TypesInfo, r) {
			return true
		}
	}
	return false
}

// knownNil is an error variable that an earlier check proved nil.
type knownNil struct {
	types.Object
	checked token.Pos // the if statement that returned when it was not nil
}

// errorResults returns the number of results of the function around c
// when its last result is an error, and 0 otherwise.
func errorResults(info *types.Info, c inspector.Cursor) int {
	_, ft, _, ok := flow.EnclosingFunc(c)
	if !ok || ft.Results == nil || len(ft.Results.List) == 0 {
		return 0
	}
	if !isErrorTypeExpr(info, ft.Results.List[len(ft.Results.List)-1].Type) {
		return 0
	}
	n := 0
	for _, f := range ft.Results.List {
		n += max(len(f.Names), 1)
	}
	return n
}

// nilErrorReturn returns the return statement among the branch's top-level
// statements that returns a nil error from a function whose last result is
// an error: the literal nil, or a different error variable that an earlier
// check proved nil (if err2 != nil { return err } after err was checked),
// which is then also returned.
func (ch *checker) nilErrorReturn(c inspector.Cursor, body []ast.Stmt, errExpr ast.Expr, errObj types.Object) (*ast.ReturnStmt, *knownNil) {
	info := ch.pass.TypesInfo
	n := errorResults(info, c)
	if n == 0 {
		return nil, nil
	}
	for i, s := range body {
		ret, ok := s.(*ast.ReturnStmt)
		if !ok || len(ret.Results) != n {
			continue
		}
		last := ast.Unparen(ret.Results[n-1])
		if flow.IsNil(info, last) {
			return ret, nil
		}
		id, ok := last.(*ast.Ident)
		if !ok || sameVar(info, id, errExpr, errObj) {
			continue
		}
		obj := info.Uses[id]
		if obj == nil || !isErrorType(obj.Type()) {
			continue
		}
		for _, prior := range body[:i] {
			if flow.SetsVar(info, prior, obj) {
				return nil, nil
			}
		}
		if at, ok := ch.checkedNil(c, obj); ok {
			return ret, &knownNil{Object: obj, checked: at}
		}
	}
	return nil, nil
}

// checkedNil reports whether the error variable obj is nil at the if
// statement at c: an earlier "if obj != nil" in an enclosing block ended the
// function or the iteration, and nothing assigned obj since (counting the
// rest of any loop around both, which runs again before c).
func (ch *checker) checkedNil(c inspector.Cursor, obj types.Object) (token.Pos, bool) {
	info := ch.pass.TypesInfo
	if ifs, ok := c.Node().(*ast.IfStmt); ok && ifs.Init != nil && flow.SetsVar(info, ifs.Init, obj) {
		return token.NoPos, false
	}
	for cur := c; ; cur = cur.Parent() {
		switch n := cur.Parent().Node().(type) {
		case *ast.FuncDecl, *ast.FuncLit, nil:
			return token.NoPos, false
		case *ast.ForStmt, *ast.RangeStmt:
			if flow.SetsVar(info, n, obj) {
				return token.NoPos, false
			}
		}
		list, i := flow.StmtList(cur)
		for j := i - 1; j >= 0; j-- {
			s := list[j]
			if ifs, ok := s.(*ast.IfStmt); ok && ifs.Else == nil {
				if e := flow.ErrNotNil(info, ifs.Cond); e != nil && objectOf(info, e) == obj && flow.Terminates(info, ch.lists, ifs.Body.List) {
					return ifs.Pos(), true
				}
			}
			if flow.SetsVar(info, s, obj) {
				return token.NoPos, false
			}
		}
	}
}

// skipsOutput finds a return of a nil error nested under a further
// condition inside the branch (if errors.As(err, &se) && se.Code == 404 {
// return nil }) in a function whose success path fills a parameter that
// is a plain data destination (any, or a pointer to a type without
// methods) by passing it to a call: the return answers success and leaves
// the caller's destination unfilled.
func (ch *checker) skipsOutput(c inspector.Cursor, ifs *ast.IfStmt) (*ast.ReturnStmt, types.Object) {
	info := ch.pass.TypesInfo
	n := errorResults(info, c)
	if n == 0 {
		return nil, nil
	}
	var ret *ast.ReturnStmt
	for _, s := range ifs.Body.List {
		if _, top := s.(*ast.ReturnStmt); top {
			continue
		}
		ast.Inspect(s, func(x ast.Node) bool {
			switch x := x.(type) {
			case *ast.FuncLit:
				return false
			case *ast.ReturnStmt:
				if ret == nil && len(x.Results) == n && flow.IsNil(info, x.Results[n-1]) {
					ret = x
				}
			}
			return ret == nil
		})
	}
	if ret == nil {
		return nil, nil
	}
	if out := ch.unfilledDestination(c, ifs.Body); out != nil {
		return ret, out
	}
	return nil, nil
}

// unfilledDestination returns a parameter of the function around c that is
// a plain data destination, that the branch body does not touch, and that
// the statements after the one at c pass to a call: the success path fills
// it, a return from the branch leaves it unfilled.
func (ch *checker) unfilledDestination(c inspector.Cursor, body *ast.BlockStmt) types.Object {
	info := ch.pass.TypesInfo
	_, ft, _, ok := flow.EnclosingFunc(c)
	if !ok || ft.Params == nil {
		return nil
	}
	for _, f := range ft.Params.List {
		for _, name := range f.Names {
			obj := info.Defs[name]
			if obj == nil || !isDestination(obj.Type()) || usesObj(info, body, obj) {
				continue
			}
			if passedAfter(info, c, obj) {
				return obj
			}
		}
	}
	return nil
}

// isDestination reports whether t is a plain data destination: the empty
// interface (json.Unmarshal's out) or a pointer to a type without methods.
func isDestination(t types.Type) bool {
	if it, ok := t.Underlying().(*types.Interface); ok {
		return it.Empty()
	}
	if p, ok := t.Underlying().(*types.Pointer); ok {
		return types.NewMethodSet(p).Len() == 0
	}
	return false
}

// passedAfter reports whether obj is passed as an argument to a call in the
// statements after the one at c.
func passedAfter(info *types.Info, c inspector.Cursor, obj types.Object) bool {
	found := false
	for s, ok := c.NextSibling(); ok && !found; s, ok = s.NextSibling() {
		ast.Inspect(s.Node(), func(n ast.Node) bool {
			if call, ok := n.(*ast.CallExpr); ok {
				for _, a := range call.Args {
					if id, ok := ast.Unparen(a).(*ast.Ident); ok && info.Uses[id] == obj {
						found = true
					}
				}
			}
			return !found
		})
	}
	return found
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

// writesInto reports whether n assigns a field or an element of obj
// (resp.Message = ..., m["k"] = ...). For an output argument, which exists
// before the call and is not replaced by its failure, that fills the
// destination with a value of the branch's own.
func writesInto(info *types.Info, n ast.Node, obj types.Object) bool {
	rooted := func(e ast.Expr) bool {
		_, whole := ast.Unparen(e).(*ast.Ident)
		root := flow.RootIdent(e)
		return !whole && root != nil && info.ObjectOf(root) == obj
	}
	found := false
	ast.Inspect(n, func(n ast.Node) bool {
		if as, ok := n.(*ast.AssignStmt); ok {
			for _, l := range as.Lhs {
				if rooted(l) {
					found = true
				}
			}
		}
		return !found
	})
	return found
}

// firstUseAfter returns the first reference to one of objs in the
// statements that follow the if statement at c in its block, when it reads
// the value: dereferences, calls, indexes, copies, passes on or returns
// it. A comparison (x == nil, n > 0) checks the value, an assignment
// replaces it, and a mention of the error itself (if err == nil, return v,
// err) checks it again: each of those ends the search with no use.
func firstUseAfter(info *types.Info, c inspector.Cursor, objs []types.Object, errExpr ast.Expr, errObj types.Object) *ast.Ident {
	if len(objs) == 0 {
		return nil
	}
	var use *ast.Ident
	stop := false
	var visit func(n ast.Node) bool
	visit = func(n ast.Node) bool {
		if stop {
			return false
		}
		switch n := n.(type) {
		case *ast.AssignStmt:
			for _, r := range n.Rhs {
				ast.Inspect(r, visit)
			}
			for _, l := range n.Lhs {
				if stop {
					break
				}
				if refersTo(info, l, objs) {
					stop = true // replaced before it was read
				} else {
					ast.Inspect(l, visit)
				}
			}
			return false
		case *ast.ReturnStmt:
			for _, r := range n.Results {
				if sameVar(info, r, errExpr, errObj) {
					stop = true // return v, err: the caller gets the error with it
				}
			}
		case *ast.IfStmt:
			if n.Init == nil && testsBool(info, n.Cond, objs) {
				stop = true // if ok, x && ok, !ok: the result is checked
			}
		case *ast.BinaryExpr:
			switch n.Op {
			case token.EQL, token.NEQ, token.GTR, token.LSS, token.GEQ, token.LEQ:
				if checked(info, n.X, objs) || checked(info, n.Y, objs) {
					stop = true // the result is checked
				}
			}
		case *ast.UnaryExpr:
			if n.Op == token.AND && refersTo(info, n.X, objs) {
				stop = true // handed over to be filled
			}
		case ast.Expr:
			if sameVar(info, n, errExpr, errObj) {
				stop = true // the error is looked at again
			} else if id, ok := n.(*ast.Ident); ok && refersTo(info, id, objs) {
				use, stop = id, true
			}
		}
		return !stop
	}
	for s, ok := c.NextSibling(); ok && !stop; s, ok = s.NextSibling() {
		ast.Inspect(s.Node(), visit)
	}
	return use
}

// skipsItem reports whether a nil-error return is a callback's way to go on
// with the next item after logging the error with its value: the function
// is a literal passed to a call (filepath.WalkDir's walk function), or
// assigned to a local variable that is only ever passed to calls
// (`walker := func(…) error {…}; filepath.Walk(root, walker)`), whose
// error result steers the caller's iteration, like a loop's continue.
func (ch *checker) skipsItem(c inspector.Cursor, b *ast.BlockStmt, errExpr ast.Expr, errObj types.Object) bool {
	fn, _, _, ok := flow.EnclosingFunc(c)
	lit, isLit := fn.(*ast.FuncLit)
	if !ok || !isLit || !ch.logsValue(b, errExpr, errObj) {
		return false
	}
	lc, ok := flow.Find(c.Inspector().Root(), lit)
	if !ok {
		return false
	}
	switch p := lc.Parent().Node().(type) {
	case *ast.CallExpr:
		return p.Fun != ast.Expr(lit)
	case *ast.AssignStmt:
		if p.Tok == token.DEFINE && len(p.Lhs) == 1 && len(p.Rhs) == 1 {
			if id, ok := p.Lhs[0].(*ast.Ident); ok {
				return ch.onlyPassed(lc.Parent(), ch.pass.TypesInfo.Defs[id])
			}
		}
	}
	return false
}

// onlyPassed reports whether the local variable v, defined at the
// statement def, is used, and only as an argument of calls, in the
// function that defines it: the function it holds is handed to a caller,
// never called here, stored or returned.
func (ch *checker) onlyPassed(def inspector.Cursor, v types.Object) bool {
	_, _, body, ok := flow.EnclosingFunc(def)
	if v == nil || !ok || body == nil {
		return false
	}
	bc, ok := flow.Find(def.Inspector().Root(), body)
	if !ok {
		return false
	}
	uses := 0
	for cur := range bc.Preorder((*ast.Ident)(nil)) {
		if ch.pass.TypesInfo.Uses[cur.Node().(*ast.Ident)] != v {
			continue
		}
		if kind, _ := cur.ParentEdge(); kind != edge.CallExpr_Args {
			return false
		}
		uses++
	}
	return uses > 0
}

// onlyEmptyReads reports whether every result in objs is a slice, a map or a
// string, and every reference to one of them in the statements after the one
// at c reads it in a way that an empty or nil value answers (see emptyRead).
//
// When the function has an error result (strict), only the reads that
// produce nothing to pass on count: len, cap, delete and logs. A loop, a
// conversion, an append or a return would hand what the failure left (or
// the less it leads to) to the caller beside a nil error.
func (ch *checker) onlyEmptyReads(c inspector.Cursor, objs []types.Object, depth int, strict bool) bool {
	info := ch.pass.TypesInfo
	for _, o := range objs {
		switch o.Type().Underlying().(type) {
		case *types.Slice, *types.Map:
		case *types.Basic:
			if !isString(o.Type()) {
				return false
			}
		default:
			return false
		}
	}
	for s, ok := c.NextSibling(); ok; s, ok = s.NextSibling() {
		for cur := range s.Preorder((*ast.Ident)(nil)) {
			id := cur.Node().(*ast.Ident)
			if !refersTo(info, id, objs) {
				continue
			}
			if !ch.emptyRead(cur, id, depth, strict) {
				return false
			}
		}
	}
	return true
}

// failsAfter reports whether every return that execution can reach from
// the statement at c hands back, as its error, a variable a dominating
// check proved non-nil (the branch is under `if err != nil`, and what
// follows it ends in `return false, err`): the function is answering a
// failure already, so a loop that a logged failure leaves empty does not
// answer its caller with less beside a nil error. It climbs out of the
// enclosing blocks until a statement list ends the function (a return or
// an exit at its top level); every return of an enclosing loop is
// reachable from the next iteration; a goto or a labelled branch, and a
// return without results, make it give up.
func (ch *checker) failsAfter(c inspector.Cursor) bool {
	info := ch.pass.TypesInfo
	var rets []inspector.Cursor
	// collect adds the returns under n to rets (those of a function
	// literal too, which makes the answer only more cautious), and
	// reports false for a goto or a labelled branch.
	collect := func(n inspector.Cursor) bool {
		ok := true
		for cur := range n.Preorder((*ast.ReturnStmt)(nil), (*ast.BranchStmt)(nil)) {
			switch x := cur.Node().(type) {
			case *ast.ReturnStmt:
				rets = append(rets, cur)
			case *ast.BranchStmt:
				if x.Tok == token.GOTO || x.Label != nil {
					ok = false
				}
			}
		}
		return ok
	}
	for cur := c; ; {
		list, i := flow.StmtList(cur)
		if i < 0 {
			return false
		}
		ended := false
		for j := i + 1; j < len(list); j++ {
			sc, ok := flow.Find(cur.Parent(), list[j])
			if !ok || !collect(sc) {
				return false
			}
			if holds(list[j], isBranch) { // a break or continue leaves the list early
				continue
			}
			if flow.Terminates(info, ch.lists, list[i+1:j+1]) {
				ended = true
				break
			}
		}
		if ended {
			break
		}
		// Up to the statement that holds the list.
		up := cur.Parent()
		if _, ok := up.Node().(*ast.BlockStmt); ok {
			up = up.Parent()
		}
		for {
			switch up.Node().(type) {
			case *ast.IfStmt, *ast.SwitchStmt, *ast.TypeSwitchStmt, *ast.SelectStmt, *ast.LabeledStmt:
				if _, ok := up.Parent().Node().(*ast.IfStmt); ok { // else if
					up = up.Parent()
					continue
				}
			case *ast.CaseClause, *ast.CommClause:
				up = up.Parent().Parent() // the clause's switch or select
				continue
			case *ast.ForStmt, *ast.RangeStmt:
				if !collect(up) {
					return false
				}
			case *ast.BlockStmt:
				// A block as a statement.
			default: // the function's body: it fell off the end
				return false
			}
			break
		}
		cur = up
	}
	if len(rets) == 0 {
		return false
	}
	for _, rc := range rets {
		ret, ok := rc.Node().(*ast.ReturnStmt)
		if !ok || len(ret.Results) == 0 {
			return false
		}
		v, ok := ast.Unparen(ret.Results[len(ret.Results)-1]).(*ast.Ident)
		obj := info.ObjectOf(v)
		if !ok || obj == nil || !types.Identical(obj.Type(), errorType) {
			return false
		}
		same := func(e ast.Expr) bool {
			id, ok := ast.Unparen(e).(*ast.Ident)
			return ok && info.ObjectOf(id) == obj
		}
		g := &flow.Guard{Info: info, Lists: ch.lists, Enders: ch.ends.Enders, Holds: flow.NonNil(same),
			Resets: func(s ast.Stmt) bool { return flow.SetsVar(info, s, obj) }}
		if !g.Dominates(rc) {
			return false
		}
	}
	return true
}

// maxCallerDepth bounds how far emptyRead follows a result returned to
// callers.
const maxCallerDepth = 3

// emptyRead reports whether e, at cur, is read as a collection, in a way a
// nil or empty value answers: range e, len(e), cap(e), string(e), spread
// into an append (`append(all, e...)` appends nothing), or an argument of a
// log call (a log shows it empty). Returned as the lone result of an
// unexported function without an error result, it is read so when every
// call of that function in the package, outside tests, is read so too, or
// is assigned to a new variable that is only read so (`append(devices,
// bootstrapDevices(ctx)...)`, `len(bootstrapDevices(ctx)) == 0`): the nil
// the failure leaves is the function's "none", and all its callers take it
// for that.
func (ch *checker) emptyRead(cur inspector.Cursor, e ast.Expr, depth int, strict bool) bool {
	info := ch.pass.TypesInfo
	switch p := cur.Parent().Node().(type) {
	case *ast.RangeStmt:
		// A loop over what the call gave does the function's work with
		// it; in a function with an error result an empty loop answers
		// the caller with less beside a nil error.
		return p.X == e && !strict
	case *ast.CallExpr:
		if ast.Expr(p.Fun) == e {
			return false
		}
		if ch.isLog(p) {
			return true
		}
		if fn, ok := ast.Unparen(p.Fun).(*ast.Ident); ok && fn.Name == "delete" && len(p.Args) == 2 && p.Args[0] == e {
			_, builtin := info.Uses[fn].(*types.Builtin)
			return builtin // deleting from a nil map does nothing
		}
		if fn, ok := ast.Unparen(p.Fun).(*ast.Ident); ok && len(p.Args) == 1 && p.Args[0] == e && (fn.Name == "len" || fn.Name == "cap") {
			_, builtin := info.Uses[fn].(*types.Builtin)
			return builtin
		}
		if strict {
			return false
		}
		if fn, ok := ast.Unparen(p.Fun).(*ast.Ident); ok && fn.Name == "append" && p.Ellipsis.IsValid() && len(p.Args) == 2 && p.Args[1] == e {
			_, builtin := info.Uses[fn].(*types.Builtin)
			return builtin
		}
		if len(p.Args) != 1 || p.Args[0] != e {
			return false
		}
		if fn, ok := ast.Unparen(p.Fun).(*ast.Ident); ok && (fn.Name == "len" || fn.Name == "cap") {
			_, builtin := info.Uses[fn].(*types.Builtin)
			return builtin
		}
		tv, ok := info.Types[p.Fun]
		return ok && tv.IsType() && isString(tv.Type)
	case *ast.ReturnStmt:
		return !strict && len(p.Results) == 1 && p.Results[0] == e && ch.callersReadEmpty(cur, depth)
	}
	return false
}

// callersReadEmpty reports whether the function around cur is an unexported
// function declaration (not a method) with no error result, used in the
// package, outside test files, only in calls whose result is read as a
// collection (see emptyRead), directly or through a variable the call
// defines; there is at least one such call.
func (ch *checker) callersReadEmpty(cur inspector.Cursor, depth int) bool {
	if depth >= maxCallerDepth || errorResults(ch.pass.TypesInfo, cur) != 0 {
		return false
	}
	fn, _, _, ok := flow.EnclosingFunc(cur)
	decl, isDecl := fn.(*ast.FuncDecl)
	if !ok || !isDecl || decl.Recv != nil || decl.Name.IsExported() {
		return false
	}
	info := ch.pass.TypesInfo
	obj := info.Defs[decl.Name]
	if obj == nil {
		return false
	}
	calls := 0
	for f := range cur.Inspector().Root().Children() {
		file, ok := f.Node().(*ast.File)
		if !ok || strings.HasSuffix(ch.pass.Fset.File(file.FileStart).Name(), "_test.go") {
			continue
		}
		for u := range f.Preorder((*ast.Ident)(nil)) {
			if info.Uses[u.Node().(*ast.Ident)] != obj {
				continue
			}
			call, ok := u.Parent().Node().(*ast.CallExpr)
			if !ok || call.Fun != u.Node() {
				return false // handed on as a value
			}
			cc := u.Parent()
			switch p := cc.Parent().Node().(type) {
			case *ast.AssignStmt:
				if p.Tok != token.DEFINE || len(p.Lhs) != 1 || len(p.Rhs) != 1 {
					return false
				}
				v := info.Defs[ast.Unparen(p.Lhs[0]).(*ast.Ident)]
				if v == nil || !ch.onlyEmptyReads(cc.Parent(), []types.Object{v}, depth+1, false) {
					return false
				}
			default:
				if !ch.emptyRead(cc, call, depth+1, false) {
					return false
				}
			}
			calls++
		}
	}
	return calls > 0
}

func isString(t types.Type) bool {
	b, ok := t.Underlying().(*types.Basic)
	return ok && b.Info()&types.IsString != 0
}
