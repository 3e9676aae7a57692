package discardederror

import (
	"fmt"
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
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
	a.FactTypes = []analysis.Fact{new(neverFails), new(failsWith), new(createsFile)}
	return a
}

// checker holds what every check needs.
type checker struct {
	pass  *analysis.Pass
	info  *types.Info
	fset  *token.FileSet
	r     *spec.Reporter
	lists *provenance.Lists
	// comments is what the current file's comments say about its drops.
	comments *comments
	// inspect holds the package's syntax, for finding callers.
	inspect *inspector.Inspector
	// docs answers what every call of an unexported function passes.
	docs *provenance.Documents
}

func run(pass *analysis.Pass, r *spec.Reporter) {
	lists := r.Options().Lists
	if lists == nil {
		lists = provenance.Default()
	}
	ch := &checker{pass: pass, info: pass.TypesInfo, fset: pass.Fset, r: r, lists: lists,
		docs: &provenance.Documents{Info: pass.TypesInfo, Files: pass.Files}}
	ch.inspect, _ = pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	ch.exportSummaries(pass)
	for fc := range r.Files() {
		f, ok := fc.Node().(*ast.File)
		if !ok {
			continue
		}
		if !r.Options().TestFiles && importsTesting(f) {
			continue // a test helper: tests fail loudly
		}
		ch.comments = fileComments(pass.Fset, f)
		for c := range fc.Preorder((*ast.ExprStmt)(nil), (*ast.GoStmt)(nil), (*ast.DeferStmt)(nil), (*ast.AssignStmt)(nil)) {
			switch n := c.Node().(type) {
			case *ast.ExprStmt:
				if call, ok := ast.Unparen(n.X).(*ast.CallExpr); ok {
					ch.dropped(c, call, "")
				}
			case *ast.GoStmt:
				ch.dropped(c, n.Call, "go")
			case *ast.DeferStmt:
				ch.dropped(c, n.Call, "defer")
			case *ast.AssignStmt:
				ch.blanked(c, n)
			}
		}
	}
}

// dropped checks a call whose results are all thrown away: a call
// statement, or the call of a go or defer statement (keyword).
func (ch *checker) dropped(c inspector.Cursor, call *ast.CallExpr, keyword string) {
	res := results(ch.info, call)
	if res == nil || res.Len() == 0 || !isError(res.At(res.Len()-1).Type()) {
		return // no error result, or not enough type information to tell
	}
	if ch.lists.IsLog(ch.info, call) {
		return // a log call's error is the log's own (or the line itself): nobody is left to tell
	}
	names := provenance.CalleeNames(ch.info, call)
	if !ch.losesData(c, call, res, names, keyword) {
		return
	}
	callee := types.ExprString(call.Fun)
	how := "is dropped"
	if keyword != "" {
		how = "is dropped by the " + keyword + " statement"
	}
	ch.report(c, analysis.Diagnostic{
		Pos: call.Pos(), End: call.End(),
		Message: fmt.Sprintf("error from %s %s; %s", callee, how, ch.consequence(c, call, names)),
	})
}

// importsTesting reports whether f imports "testing": outside _test.go
// files that marks a test helper (cryptotest, caddytest), whose failures
// surface as failing tests.
func importsTesting(f *ast.File) bool {
	for _, imp := range f.Imports {
		if imp.Path.Value == `"testing"` {
			return true
		}
	}
	return false
}

// report reports d unless a comment explains the statement at c.
// (`//nolint:errcheck` is the Reporter's: Rule.Nolint.)
func (ch *checker) report(c inspector.Cursor, d analysis.Diagnostic) {
	if ch.explains(c) {
		return
	}
	ch.r.Report(d)
}

// inErrorBranch reports whether the statement at c lies in the body of an
// `if err != nil` (err of type error) in its function: work done while
// handling one failure, such as telling a client "400 Bad Request" on a
// connection about to be closed, is best-effort.
func (ch *checker) inErrorBranch(c inspector.Cursor) bool {
	for e := range c.Enclosing((*ast.IfStmt)(nil), (*ast.FuncDecl)(nil), (*ast.FuncLit)(nil)) {
		ifs, ok := e.Node().(*ast.IfStmt)
		if !ok {
			return false
		}
		if c.Node().Pos() < ifs.Body.Pos() || c.Node().End() > ifs.Body.End() {
			continue // in the else branch or the condition
		}
		b, ok := ast.Unparen(ifs.Cond).(*ast.BinaryExpr)
		if ok && b.Op == token.NEQ && flow.IsNil(ch.info, b.Y) && isError(ch.info.TypeOf(b.X)) {
			return true
		}
	}
	return false
}

// ownedWriter reports whether call flushes or closes a buffered writer or
// compressor held in a struct field (w.conn.bufw.Flush, e.zw.Close) or by
// the method's own receiver: the owning type keeps the writer's sticky error and reports it
// itself (csv.Writer.Error, a server's connection state), so the drop is
// that type's business.
func (ch *checker) ownedWriter(c inspector.Cursor, call *ast.CallExpr) bool {
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok || (sel.Sel.Name != "Flush" && sel.Sel.Name != "Close") {
		return false
	}
	switch x := ast.Unparen(sel.X).(type) {
	case *ast.SelectorExpr:
		return true
	case *ast.Ident:
		fn, _, _, ok := flow.EnclosingFunc(c)
		decl, isDecl := fn.(*ast.FuncDecl)
		if !ok || !isDecl || decl.Recv == nil || len(decl.Recv.List) == 0 || len(decl.Recv.List[0].Names) == 0 {
			return false
		}
		recv := ch.info.Defs[decl.Recv.List[0].Names[0]]
		return recv != nil && ch.info.Uses[x] == recv
	}
	return false
}

// overQuietWriter reports whether call closes or flushes a writer that the
// enclosing function layered over a quiet destination (w := gzip.NewWriter(&buf),
// tar.NewWriter(os.Stdout)): the bytes it writes land in memory, or where
// nobody is left to tell, so its Close has no failure of the destination to
// report.
func (ch *checker) overQuietWriter(c inspector.Cursor, call *ast.CallExpr) bool {
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok || (sel.Sel.Name != "Flush" && sel.Sel.Name != "Close") {
		return false
	}
	id, ok := ast.Unparen(sel.X).(*ast.Ident)
	if !ok || ch.info.Uses[id] == nil {
		return false
	}
	obj := ch.info.Uses[id]
	_, _, body, ok := flow.EnclosingFunc(c)
	if !ok || body == nil {
		return false
	}
	quiet, assigned := true, false
	ast.Inspect(body, func(n ast.Node) bool {
		as, ok := n.(*ast.AssignStmt)
		if !ok {
			return true
		}
		for i, l := range as.Lhs {
			lid, ok := ast.Unparen(l).(*ast.Ident)
			if !ok || (ch.info.Defs[lid] != obj && ch.info.Uses[lid] != obj) {
				continue
			}
			assigned = true
			ctor, ok := ast.Unparen(as.Rhs[min(i, len(as.Rhs)-1)]).(*ast.CallExpr)
			if !ok || len(ctor.Args) == 0 || !ch.everyArg(ctor.Args[0], ch.quietDestination) {
				quiet = false
			}
		}
		return true
	})
	return assigned && quiet
}

// losesData reports whether the dropped error of call is one whose failure
// loses data or state the code goes on to rely on. The must-check list
// (commits, flushes, whole-file writes, file-system changes, decoders) is
// always reported, and the never-fail list never. Otherwise a Close or a
// write is judged by what it closes or writes to; a call whose only result
// is an error is a command whose error is the only sign that it did not
// happen; and a call that fills an output argument (&x) read afterwards
// leaves x unset when it fails.
func (ch *checker) losesData(c inspector.Cursor, call *ast.CallExpr, res *types.Tuple, names []string, keyword string) bool {
	if ch.lists.MustCheck.Has(names...) {
		return !ch.ownedWriter(c, call) && !ch.overQuietWriter(c, call)
	}
	if ch.callNeverFails(call) || ch.exitsOnError(c, call, names) || ch.handsOnResult(call) || ch.blocksUntilDone(call, names) {
		return false
	}
	if keyword == "" && (ch.cleanupBeforeError(c) || ch.inErrorBranch(c)) {
		return false // cleanup on a failure path: its error would hide the one being handled
	}
	if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok && ch.isMethod(sel) {
		name := strings.ToLower(sel.Sel.Name)
		switch {
		case strings.HasPrefix(name, "close"):
			// Closing what was only read loses nothing (Close, closeBody,
			// CloseWrite release a resource); a Close of a written file
			// may be the only report that the data never arrived.
			if !ch.written(c, sel.X) {
				return false
			}
			// A deferred Close is the safety net of a checked one.
			return keyword != "defer" || !ch.closedOrSyncedChecked(c, sel.X)
		case strings.HasPrefix(name, "rollback"):
			return false // undo: the changes were not to be kept anyway
		}
		if writeMethods[sel.Sel.Name] {
			return ch.writeMatters(c, sel.X) || ch.inconsistentWrite(c, sel.X)
		}
	}
	if dst, ok := destination(names, call); ok {
		return dst != nil && (ch.writeMatters(c, dst) || ch.inconsistentWrite(c, dst)) || ch.partialCopy(c, call, names) != ""
	}
	if w := ch.writerArg(call); w != nil {
		// A call that writes to a writer it is handed
		// (xml.EscapeText(w, s), p.WriteTo(w, 0), render(w, page))
		// loses data only where a write to that writer would.
		return ch.writeMatters(c, w)
	}
	if keyword == "defer" {
		// A deferred call runs after the function's last statement:
		// nothing in the function relies on its effect.
		return false
	}
	return res.Len() == 1 || ch.filledOutput(c, call) != ""
}

// exitsOnError reports whether call parses the arguments of a flag.FlagSet
// built with flag.ExitOnError or flag.PanicOnError: its Parse then never
// returns an error. The set is a local variable that the function assigns
// such a set, or an unexported package-level variable that only such sets
// are given, in its declaration and anywhere in the package (`var flags =
// flag.NewFlagSet(os.Args[0], flag.ExitOnError)`).
func (ch *checker) exitsOnError(c inspector.Cursor, call *ast.CallExpr, names []string) bool {
	if !provenance.Set(map[string]bool{"flag.FlagSet.Parse": true}).Has(names...) {
		return false
	}
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok {
		return false
	}
	id, ok := ast.Unparen(sel.X).(*ast.Ident)
	if !ok {
		return false
	}
	v, ok := ch.info.Uses[id].(*types.Var)
	if !ok {
		return false
	}
	if v.Pkg() != nil && v.Parent() == v.Pkg().Scope() {
		return !v.Exported() && ch.onlyExitingFlagSets(c.Inspector().Root(), v)
	}
	_, _, body, ok := flow.EnclosingFunc(c)
	if !ok || body == nil {
		return false
	}
	exits := false
	ast.Inspect(body, func(n ast.Node) bool {
		as, ok := n.(*ast.AssignStmt)
		if !ok || len(as.Lhs) != 1 || len(as.Rhs) != 1 {
			return !exits
		}
		lhs, ok := as.Lhs[0].(*ast.Ident)
		if !ok || ch.info.ObjectOf(lhs) != v {
			return true
		}
		exits = ch.exitingFlagSet(as.Rhs[0])
		return !exits
	})
	return exits
}

// onlyExitingFlagSets reports whether every value the package gives the
// package-level variable v is a flag set that exits on error, and its
// address is never taken.
func (ch *checker) onlyExitingFlagSets(root inspector.Cursor, v *types.Var) bool {
	given := 0
	for n := range root.Preorder((*ast.ValueSpec)(nil), (*ast.AssignStmt)(nil), (*ast.UnaryExpr)(nil)) {
		switch n := n.Node().(type) {
		case *ast.ValueSpec:
			for i, name := range n.Names {
				if ch.info.Defs[name] != v {
					continue
				}
				if len(n.Values) != len(n.Names) || !ch.exitingFlagSet(n.Values[i]) {
					return false
				}
				given++
			}
		case *ast.AssignStmt:
			for i, l := range n.Lhs {
				if id, ok := ast.Unparen(l).(*ast.Ident); ok && ch.info.ObjectOf(id) == v {
					if len(n.Lhs) != len(n.Rhs) || !ch.exitingFlagSet(n.Rhs[i]) {
						return false
					}
					given++
				}
			}
		case *ast.UnaryExpr:
			if id, ok := ast.Unparen(n.X).(*ast.Ident); ok && n.Op == token.AND && ch.info.Uses[id] == v {
				return false
			}
		}
	}
	return given > 0
}

// exitingFlagSet reports whether e is flag.NewFlagSet(name, h) with a
// constant h other than flag.ContinueOnError (which is 0).
func (ch *checker) exitingFlagSet(e ast.Expr) bool {
	mk, ok := ast.Unparen(e).(*ast.CallExpr)
	if !ok || len(mk.Args) != 2 || !provenance.Set(map[string]bool{"flag.NewFlagSet": true}).Has(provenance.CalleeNames(ch.info, mk)...) {
		return false
	}
	tv, ok := ch.info.Types[mk.Args[1]]
	return ok && tv.Value != nil && constant.Sign(tv.Value) > 0
}

// writerArg returns the first argument of call that is an io.Writer (its
// type has a Write([]byte) (int, error) method), or nil.
func (ch *checker) writerArg(call *ast.CallExpr) ast.Expr {
	for _, a := range call.Args {
		t := ch.info.TypeOf(a)
		if t == nil {
			continue
		}
		obj, _, _ := types.LookupFieldOrMethod(t, true, nil, "Write")
		fn, ok := obj.(*types.Func)
		if !ok {
			continue
		}
		sig, ok := fn.Type().(*types.Signature)
		if ok && sig.Params().Len() == 1 && sig.Results().Len() == 2 && isError(sig.Results().At(1).Type()) {
			if sl, ok := sig.Params().At(0).Type().(*types.Slice); ok && types.Identical(sl.Elem(), types.Typ[types.Byte]) {
				return a
			}
		}
	}
	return nil
}

// isMethod reports whether sel selects a method (not a package member or
// a field holding a function value).
func (ch *checker) isMethod(sel *ast.SelectorExpr) bool {
	s, ok := ch.info.Selections[sel]
	return ok && (s.Kind() == types.MethodVal || s.Kind() == types.MethodExpr)
}

// filledOutput returns the name of a variable whose address call is
// passed (fmt.Sscanf(s, "%d", &n)) and that the function relies on after
// the call, or "": the call fills it, and on failure it holds a zero or
// partial value. Its reads are classified as those of v in `v, _ := f()`
// (see uses): a first read that tests for the failure's zero value or
// compares with another constant (`if answer == "y"` after
// `fmt.Scanln(&answer)`) takes a defined branch on failure.
func (ch *checker) filledOutput(c inspector.Cursor, call *ast.CallExpr) string {
	_, _, body, _ := flow.EnclosingFunc(c)
	return ch.output(body, call, func(obj types.Object) bool { return ch.usesAfter(c, call.End(), obj, 0) == relied })
}

// outputRead returns the name of a variable whose address call is passed
// and that the function reads after the call, or "": what the message says
// the failure leaves unset.
func (ch *checker) outputRead(c inspector.Cursor, call *ast.CallExpr) string {
	_, _, body, ok := flow.EnclosingFunc(c)
	if !ok || body == nil {
		return ""
	}
	return ch.output(body, call, func(obj types.Object) bool { return ch.readAfter(body, call, obj) })
}

// output returns the name of the first variable whose address call is
// passed (&n), that the call fills (flow.FilledArgs: not read in body
// before it) and for which matters holds, or "".
func (ch *checker) output(body *ast.BlockStmt, call *ast.CallExpr, matters func(types.Object) bool) string {
	var scope ast.Node
	if body != nil {
		scope = body
	}
	for _, obj := range flow.FilledArgs(ch.info, scope, call) {
		if matters(obj) {
			return obj.Name()
		}
	}
	return ""
}

// readAfter reports whether body uses obj after call.
func (ch *checker) readAfter(body *ast.BlockStmt, call *ast.CallExpr, obj types.Object) bool {
	read := false
	ast.Inspect(body, func(n ast.Node) bool {
		if x, ok := n.(*ast.Ident); ok && x.Pos() > call.End() && ch.info.Uses[x] == obj {
			read = true
		}
		return !read
	})
	return read
}

// partialCopy returns the name of the destination of io.Copy, io.CopyN
// or io.CopyBuffer when it holds the data (holdsData), the function reads
// that variable after the call and the source is not an in-memory reader,
// or "". A copy also reads: its
// error is the source's as much as the destination's, so when a read fails
// the destination holds part of the data, whatever it is
// (`io.Copy(buf, resp.Body)` then `buf.Bytes()`).
func (ch *checker) partialCopy(c inspector.Cursor, call *ast.CallExpr, names []string) string {
	if !provenance.Set(map[string]bool{"io.Copy": true, "io.CopyN": true, "io.CopyBuffer": true}).Has(names...) || len(call.Args) < 2 {
		return ""
	}
	if t := ch.info.TypeOf(call.Args[1]); t != nil {
		switch provenance.TypeName(t) {
		case "bytes.Reader", "bytes.Buffer", "strings.Reader":
			return "" // reading memory fails only at its end, which Copy does not report
		}
	}
	dst := ast.Unparen(call.Args[0])
	if u, ok := dst.(*ast.UnaryExpr); ok && u.Op == token.AND {
		dst = ast.Unparen(u.X)
	}
	id, ok := dst.(*ast.Ident)
	if !ok || !holdsData(ch.info.TypeOf(id)) {
		return ""
	}
	obj := ch.info.Uses[id]
	_, _, body, ok := flow.EnclosingFunc(c)
	if obj == nil || !ok || body == nil || !ch.readAfter(body, call, obj) {
		return ""
	}
	return id.Name
}

// holdsData reports whether t keeps what is written to it for the program
// to read back: an in-memory buffer, or a hash whose Sum is taken of it.
// Other destinations (a pipe, a response, a file) pass the data on.
func holdsData(t types.Type) bool {
	if t == nil {
		return false
	}
	switch provenance.TypeName(t) {
	case "bytes.Buffer", "strings.Builder":
		return true
	}
	sum, _, _ := types.LookupFieldOrMethod(t, true, nil, "Sum")
	fn, ok := sum.(*types.Func)
	return ok && fn.Type().(*types.Signature).Params().Len() == 1
}

// writeMatters reports whether a failed write to w loses data that nobody
// else will report: a file the function created for writing. Writes to the
// standard streams, to an HTTP response (the client went away), to in-memory
// buffers and hashes, to a network connection (the next read or write on it
// fails too) and to an io.Writer of unknown provenance (in practice terminal
// or response output) do not count.
func (ch *checker) writeMatters(c inspector.Cursor, w ast.Expr) bool {
	if ch.quietDestination(w) {
		return false
	}
	t := ch.info.TypeOf(w)
	return t != nil && provenance.TypeName(t) == "os.File" && ch.createdForWriting(c, w)
}

// inconsistentWrite reports whether a write to w, dropped, is one of
// several writes to a destination that is not quiet and whose other
// write's error the function takes (writeErrorsUsed). A parameter of an
// unexported function every call of which passes a quiet destination
// (`writeScripts(buf, scripts)` with a *bytes.Buffer) is quiet too.
func (ch *checker) inconsistentWrite(c inspector.Cursor, w ast.Expr) bool {
	return !ch.everyArg(w, ch.quietDestination) && ch.writeErrorsUsed(c, w)
}

// writeErrorsUsed reports whether the enclosing function takes the error of
// another write to w (returns it, assigns it, tests it): `return
// xml.NewEncoder(w).Encode(v)` after a dropped `io.WriteString(w,
// xml.Header)`. The function's own code says that this destination's
// failures matter, so a write whose failure it drops loses data unnoticed,
// wherever w leads.
func (ch *checker) writeErrorsUsed(c inspector.Cursor, w ast.Expr) bool {
	_, _, body, ok := flow.EnclosingFunc(c)
	if !ok || body == nil {
		return false
	}
	key := types.ExprString(ast.Unparen(w))
	dropped := map[*ast.CallExpr]bool{}
	encoders := map[types.Object]bool{} // enc := json.NewEncoder(w)
	writesTo := func(call *ast.CallExpr) bool {
		names := provenance.CalleeNames(ch.info, call)
		if dst, ok := destination(names, call); ok && dst != nil {
			return types.ExprString(ast.Unparen(dst)) == key
		}
		sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
		if !ok {
			return false
		}
		switch {
		case writeMethods[sel.Sel.Name]:
			return ch.isMethod(sel) && types.ExprString(ast.Unparen(sel.X)) == key
		case sel.Sel.Name == "Encode":
			id, ok := ast.Unparen(sel.X).(*ast.Ident)
			return ok && encoders[ch.info.Uses[id]]
		}
		return false
	}
	used := false
	ast.Inspect(body, func(n ast.Node) bool {
		if used {
			return false
		}
		switch n := n.(type) {
		case *ast.DeferStmt, *ast.GoStmt:
			return false
		case *ast.ExprStmt:
			if call, ok := ast.Unparen(n.X).(*ast.CallExpr); ok {
				dropped[call] = true
			}
		case *ast.AssignStmt:
			blank := !slices.ContainsFunc(n.Lhs, func(l ast.Expr) bool { return !isBlank(l) })
			for i, r := range n.Rhs {
				call, ok := ast.Unparen(r).(*ast.CallExpr)
				if !ok {
					continue
				}
				if blank {
					dropped[call] = true
				}
				if len(n.Lhs) == len(n.Rhs) && len(call.Args) > 0 && isNewEncoder(call) &&
					types.ExprString(ast.Unparen(call.Args[0])) == key {
					if id, ok := n.Lhs[i].(*ast.Ident); ok && ch.info.ObjectOf(id) != nil {
						encoders[ch.info.ObjectOf(id)] = true
					}
				}
			}
		case *ast.CallExpr:
			if !dropped[n] && writesTo(n) {
				used = true
			}
		}
		return true
	})
	return used
}

// isNewEncoder reports whether call is a NewEncoder constructor
// (json.NewEncoder(w), xml.NewEncoder(w)).
func isNewEncoder(call *ast.CallExpr) bool {
	id := provenance.CalleeIdent(call)
	return id != nil && id.Name == "NewEncoder"
}

// destination reports whether call writes to a writer argument
// (fmt.Fprint*, io.WriteString, io.Copy and friends,
// json.NewEncoder(w).Encode) and returns that writer, or nil when the call
// is such a write but its writer is not in view (enc.Encode(v) on an
// encoder built elsewhere).
func destination(names []string, call *ast.CallExpr) (ast.Expr, bool) {
	for _, n := range names {
		switch n {
		case "fmt.Fprint", "fmt.Fprintf", "fmt.Fprintln", "io.WriteString", "io.Copy", "io.CopyN", "io.CopyBuffer",
			"encoding/binary.Write":
			if len(call.Args) > 0 {
				return call.Args[0], true
			}
		case "encoding/json.Encoder.Encode", "encoding/xml.Encoder.Encode", "encoding/gob.Encoder.Encode":
			sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
			if !ok {
				return nil, true
			}
			if inner, ok := ast.Unparen(sel.X).(*ast.CallExpr); ok && len(inner.Args) == 1 {
				return inner.Args[0], true // json.NewEncoder(w).Encode(v)
			}
			return nil, true
		}
	}
	return nil, false
}

// quietDestination reports whether writes to w cannot fail or have nobody
// to tell when they do: the standard streams, io.Discard, and any type whose
// Write is on the never-fail list (in-memory buffers, hashes, sticky
// buffered writers, an HTTP response).
func (ch *checker) quietDestination(w ast.Expr) bool {
	switch provenance.VarName(ch.info, w) {
	case "os.Stdout", "os.Stderr", "io.Discard":
		return true
	}
	t := ch.info.TypeOf(w)
	if t == nil {
		return false
	}
	n := provenance.TypeName(t)
	return n != "" && ch.lists.NeverFail.Has(n+".Write")
}

// written reports whether x, the receiver of a Close, is a file the
// function created for writing and then wrote or handed on. Compressors and
// archive writers are on the must-check list instead. Other closers
// (network connections, listeners, response bodies, database handles,
// pipes, writers layered over an HTTP response or a buffer) release a
// resource and lose no data the program still holds.
func (ch *checker) written(c inspector.Cursor, x ast.Expr) bool {
	t := ch.info.TypeOf(x)
	if t == nil || provenance.TypeName(t) != "os.File" {
		return false
	}
	return ch.createdForWriting(c, x) && ch.usedBeyondClose(c, x)
}

// createdForWriting reports whether the enclosing function assigns x from
// a call that creates or opens a file for writing (directly, or through a
// function of the module with the createsFile fact).
func (ch *checker) createdForWriting(c inspector.Cursor, x ast.Expr) bool {
	_, _, body, ok := flow.EnclosingFunc(c)
	if !ok || body == nil {
		return false
	}
	key := types.ExprString(x)
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		if as, ok := n.(*ast.AssignStmt); ok && !found && len(as.Rhs) == 1 && len(as.Lhs) > 0 && types.ExprString(as.Lhs[0]) == key {
			if call, ok := ast.Unparen(as.Rhs[0]).(*ast.CallExpr); ok {
				found = ch.opensForWriting(call)
			}
		}
		return !found
	})
	return found
}

// usedBeyondClose reports whether the enclosing function does anything
// with x but close it or ask its name (calls a method of it, passes it to
// a call, assigns it to another variable, returns it or puts it in a
// value): an empty marker file created and closed at once has nothing to
// lose.
func (ch *checker) usedBeyondClose(c inspector.Cursor, x ast.Expr) bool {
	_, _, body, ok := flow.EnclosingFunc(c)
	if !ok || body == nil {
		return false
	}
	key := types.ExprString(x)
	used := false
	is := func(e ast.Expr) bool { return types.ExprString(ast.Unparen(e)) == key }
	ast.Inspect(body, func(n ast.Node) bool {
		if used {
			return false
		}
		// Handed on: assigned to another variable (`writer = f`, then
		// written through it), returned, or put in a value.
		switch n := n.(type) {
		case *ast.AssignStmt:
			used = slices.ContainsFunc(n.Rhs, is)
		case *ast.ReturnStmt:
			used = slices.ContainsFunc(n.Results, is)
		case *ast.CompositeLit:
			for _, e := range n.Elts {
				if kv, ok := e.(*ast.KeyValueExpr); ok {
					e = kv.Value
				}
				used = used || is(e)
			}
		}
		call, ok := n.(*ast.CallExpr)
		if !ok || used {
			return !used
		}
		if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok && types.ExprString(sel.X) == key {
			switch sel.Sel.Name {
			case "Close", "Name", "Stat", "Fd":
			default:
				used = true
			}
		}
		used = used || slices.ContainsFunc(call.Args, is)
		return !used
	})
	return used
}

// opensForWriting reports whether call creates or opens a file for writing.
func opensForWriting(info *types.Info, call *ast.CallExpr) bool {
	for _, n := range provenance.CalleeNames(info, call) {
		switch n {
		case "os.Create", "os.CreateTemp", "io/ioutil.TempFile", "os.Root.Create":
			return true
		case "os.OpenFile", "os.Root.OpenFile":
			if len(call.Args) < 2 {
				return false
			}
			flags := call.Args[1]
			if tv, ok := info.Types[flags]; ok && tv.Value != nil {
				v, exact := constant.Int64Val(constant.ToInt(tv.Value))
				return exact && v&(int64(0x1)|int64(0x2)) != 0 // O_WRONLY|O_RDWR on every Unix and Windows
			}
			s := types.ExprString(flags)
			return strings.Contains(s, "O_WRONLY") || strings.Contains(s, "O_RDWR") || strings.Contains(s, "O_APPEND")
		}
	}
	return false
}

// closedOrSyncedChecked reports whether the function also closes or syncs
// x with the error checked, making a deferred Close a harmless second one.
func (ch *checker) closedOrSyncedChecked(c inspector.Cursor, x ast.Expr) bool {
	_, _, body, ok := flow.EnclosingFunc(c)
	if !ok || body == nil {
		return false
	}
	key := types.ExprString(x)
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		if found {
			return false
		}
		switch n := n.(type) {
		case *ast.DeferStmt, *ast.GoStmt:
			return false
		case *ast.ExprStmt:
			// An explicit, unchecked Close is reported itself; the
			// deferred one is then only its safety net.
			call, ok := ast.Unparen(n.X).(*ast.CallExpr)
			if !ok {
				return false
			}
			if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok && sel.Sel.Name == "Close" && types.ExprString(sel.X) == key {
				found = true
			}
			return false
		case *ast.CallExpr:
			sel, ok := ast.Unparen(n.Fun).(*ast.SelectorExpr)
			if ok && (sel.Sel.Name == "Close" || sel.Sel.Name == "Sync") && types.ExprString(sel.X) == key {
				found = true
			}
			for i, a := range n.Args {
				if types.ExprString(ast.Unparen(a)) == key && ch.closesParamChecked(n, i) {
					found = true
				}
			}
		}
		return true
	})
	return found
}

// closesParamChecked reports whether call hands its i-th argument to a
// function declared in this package that closes or syncs that parameter
// with the error checked (func editTreeImpl(f *os.File, …) { …; if err :=
// f.Close(); err != nil { … } }): the close that matters is made there.
func (ch *checker) closesParamChecked(call *ast.CallExpr, i int) bool {
	id := provenance.CalleeIdent(call)
	if id == nil {
		return false
	}
	fn, ok := ch.info.Uses[id].(*types.Func)
	if !ok || fn.Pkg() != ch.pass.Pkg {
		return false
	}
	sig, ok := fn.Type().(*types.Signature)
	if !ok || i >= sig.Params().Len() || (sig.Variadic() && i >= sig.Params().Len()-1) {
		return false
	}
	param := sig.Params().At(i)
	for _, f := range ch.pass.Files {
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Body == nil || ch.info.Defs[fd.Name] != fn {
				continue
			}
			found := false
			ast.Inspect(fd.Body, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.DeferStmt, *ast.GoStmt, *ast.FuncLit:
					return false
				case *ast.ExprStmt:
					return false // a call statement drops the error
				case *ast.AssignStmt:
					if slices.ContainsFunc(n.Lhs, func(l ast.Expr) bool { return !isBlank(l) }) {
						return true
					}
					return false // _ = f.Close() drops it too
				case *ast.CallExpr:
					sel, ok := ast.Unparen(n.Fun).(*ast.SelectorExpr)
					if !ok || (sel.Sel.Name != "Close" && sel.Sel.Name != "Sync") {
						return true
					}
					if x, ok := ast.Unparen(sel.X).(*ast.Ident); ok && ch.info.Uses[x] == param {
						found = true
					}
				}
				return !found
			})
			return found
		}
	}
	return false
}

// cleanupBeforeError reports whether the statement at c is followed, in its
// block, by a return of a non-nil error: cleanup on a failure path, whose
// own error would only hide the one being returned.
func (ch *checker) cleanupBeforeError(c inspector.Cursor) bool {
	stmt, ok := c.Node().(ast.Stmt)
	if !ok {
		return false
	}
	block, ok := c.Parent().Node().(*ast.BlockStmt)
	if !ok {
		return false
	}
	after := false
	for _, s := range block.List {
		if s == stmt {
			after = true
			continue
		}
		if !after {
			continue
		}
		ret, ok := s.(*ast.ReturnStmt)
		if !ok {
			continue
		}
		if len(ret.Results) == 0 {
			return false
		}
		last := ast.Unparen(ret.Results[len(ret.Results)-1])
		if flow.IsNil(ch.info, last) {
			return false
		}
		if call, ok := last.(*ast.CallExpr); ok && (ch.doesWork(call) || ch.answersSuccess(call)) {
			return false // return enc.Encode(v): the outcome of the function's work, not a failure
		}
		return isError(ch.info.TypeOf(last))
	}
	// A block that ends in panic or exit after the cleanup.
	return after && flow.Terminates(ch.info, ch.lists, block.List) && !endsInReturn(block.List)
}

// doesWork reports whether call writes, encodes, flushes, closes or
// commits: its error is the outcome of work, nil when the work succeeded.
func (ch *checker) doesWork(call *ast.CallExpr) bool {
	names := provenance.CalleeNames(ch.info, call)
	if _, ok := destination(names, call); ok || ch.lists.MustCheck.Has(names...) {
		return true
	}
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok {
		return false
	}
	switch sel.Sel.Name {
	case "WriteTo", "Encode", "Flush", "Close", "Sync", "Commit":
		return true
	}
	return writeMethods[sel.Sel.Name]
}

// answersSuccess reports whether call is handed a success status of
// net/http (http.StatusOK, http.StatusCreated, ...): `return c.JSON(http.StatusOK, resp)`
// answers the request, and its error is the outcome of that answer, not a
// failure the function reports.
func (ch *checker) answersSuccess(call *ast.CallExpr) bool {
	for _, a := range call.Args {
		sel, ok := ast.Unparen(a).(*ast.SelectorExpr)
		if !ok {
			continue
		}
		c, ok := ch.info.Uses[sel.Sel].(*types.Const)
		if !ok || c.Pkg() == nil || c.Pkg().Path() != "net/http" || !strings.HasPrefix(c.Name(), "Status") {
			continue
		}
		if code, ok := flow.IntConst(ch.info, sel); ok && code >= 200 && code < 300 {
			return true
		}
	}
	return false
}

func endsInReturn(stmts []ast.Stmt) bool {
	if len(stmts) == 0 {
		return false
	}
	_, ok := stmts[len(stmts)-1].(*ast.ReturnStmt)
	return ok
}

// consequence says, in the user's terms, what is lost when the dropped call
// fails.
func (ch *checker) consequence(c inspector.Cursor, call *ast.CallExpr, names []string) string {
	has := func(ns ...string) bool {
		for _, n := range names {
			for _, m := range ns {
				if n == m {
					return true
				}
			}
		}
		return false
	}
	method := ""
	if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok {
		method = sel.Sel.Name
	}
	switch {
	case has("os.WriteFile", "io/ioutil.WriteFile"):
		return "a failed write leaves the file missing or partial and nobody is told"
	case method == "Close":
		return "Close is where a written file or stream reports data that never reached its destination, so a failed write goes unnoticed"
	case method == "Commit":
		return "if the commit fails the changes are rolled back and nobody is told"
	case method == "Flush":
		return "buffered output that failed to write is lost and nobody is told"
	case method == "Sync":
		return "data may not be on disk although the program carries on as if it were"
	case ch.partialCopy(c, call, names) != "":
		return fmt.Sprintf("a copy fails when its source does: %s then holds part of the data and is read as if it held all of it", ch.partialCopy(c, call, names))
	case strings.HasPrefix(method, "Write") || has("fmt.Fprint", "fmt.Fprintf", "fmt.Fprintln", "io.WriteString", "io.Copy", "io.CopyN", "io.CopyBuffer"):
		return "a failed write loses data and nobody is told"
	case method == "Encode":
		return "a value that fails to encode or write is lost and nobody is told"
	case has("os.Setenv", "os.Unsetenv", "os.Chdir", "os.Chmod", "os.Chown", "os.Chtimes", "os.Mkdir", "os.MkdirAll", "os.Rename", "os.Symlink", "os.Link", "os.Remove", "os.RemoveAll", "os.Truncate"):
		return "if it fails the program carries on with the old state and fails later, somewhere else"
	}
	if _, ok := c.Node().(*ast.GoStmt); ok {
		return "if it fails, the goroutine ends and nobody is told"
	}
	if v := ch.outputRead(c, call); v != "" {
		return fmt.Sprintf("if it fails, %s is left unset or partly set and is read as if the call had filled it", v)
	}
	if res := results(ch.info, call); res != nil && res.Len() == 1 {
		return "the error is the only sign that the call did not do its work, and the code carries on as if it had"
	}
	return "if it fails, the program carries on as if it had succeeded"
}

// blanked checks `v, _ := f()` where the blank receives an error and v is
// used afterwards.
func (ch *checker) blanked(c inspector.Cursor, as *ast.AssignStmt) {
	if len(as.Rhs) != 1 || len(as.Lhs) < 2 {
		return
	}
	call, ok := ast.Unparen(as.Rhs[0]).(*ast.CallExpr)
	if !ok {
		return
	}
	res := results(ch.info, call)
	if res == nil || res.Len() != len(as.Lhs) {
		return
	}
	errAt := -1
	for i := range as.Lhs {
		if isBlank(as.Lhs[i]) && isError(res.At(i).Type()) {
			errAt = i
		}
	}
	if errAt < 0 {
		return
	}
	var used ast.Expr
	for i, lhs := range as.Lhs {
		if i == errAt || isBlank(lhs) {
			continue
		}
		switch ch.uses(c, as, lhs) {
		case handled:
			return
		case relied:
			if ch.failsWithValue(call, i) {
				continue // the callee's own answer for a failure
			}
			if used == nil {
				used = lhs
			}
		}
	}
	if used == nil {
		return // an explicit discard of every result, or a value only logged
	}
	names := provenance.CalleeNames(ch.info, call)
	if !ch.lists.MustCheck.Has(names...) {
		if ch.callNeverFails(call) || ch.cannotFail(call, names) || ch.matchedDigits(c, call, names) || ch.reparsed(c, call, names) {
			return
		}
		if dst, ok := destination(names, call); ok && (dst == nil || !ch.writeMatters(c, dst)) && ch.partialCopy(c, call, names) == "" {
			return // a write whose failure nobody here can act on (see losesData)
		}
	}
	v := types.ExprString(used)
	ch.report(c, analysis.Diagnostic{
		Pos: call.Pos(), End: call.End(),
		Message: fmt.Sprintf("error from %s is discarded with _; if it fails, %s is %s and is used as if the call had succeeded",
			types.ExprString(call.Fun), v, zeroValue(ch.info.TypeOf(used))),
	})
}

// use is what the code after `v, _ := f()` does with v.
type use int

const (
	unused  use = iota // never read, or read only to be logged
	relied             // read as if f had succeeded
	handled            // first compared with nil, "" or another constant: the failure takes a defined branch
)

// uses classifies how lhs, assigned by as, is read afterwards. Fields,
// index expressions and package variables count as relied on.
func (ch *checker) uses(c inspector.Cursor, as *ast.AssignStmt, lhs ast.Expr) use {
	return ch.usesAt(c, as, lhs, 0)
}

// usesAt is uses for a value depth returns away from the failed call (see
// returnedToCheckers).
func (ch *checker) usesAt(c inspector.Cursor, as *ast.AssignStmt, lhs ast.Expr, depth int) use {
	id, ok := ast.Unparen(lhs).(*ast.Ident)
	if !ok {
		if ch.testedAtOnce(c, as, lhs) {
			return handled
		}
		return relied
	}
	return ch.usesAfter(c, as.End(), ch.info.ObjectOf(id), depth)
}

// usesAfter classifies how the variable obj is read after pos in the
// function around c, as uses does: the first read decides whether the
// failure is tested for, and reads only logged leave it unused.
func (ch *checker) usesAfter(c inspector.Cursor, pos token.Pos, obj types.Object, depth int) use {
	if obj == nil {
		return relied
	}
	v, ok := obj.(*types.Var)
	if !ok {
		return unused
	}
	if v.Pkg() != nil && v.Parent() == v.Pkg().Scope() {
		return relied
	}
	var fn inspector.Cursor
	for e := range c.Enclosing((*ast.FuncDecl)(nil), (*ast.FuncLit)(nil)) {
		fn = e
		break
	}
	if fn.Node() == nil {
		return relied
	}
	result := unused
	first := true
	for u := range fn.Preorder((*ast.Ident)(nil)) {
		uid, ok := u.Node().(*ast.Ident)
		if !ok || uid.Pos() < pos || ch.info.Uses[uid] != obj {
			continue
		}
		if first && (ch.comparedSafely(u) || ch.isCondition(u) || ch.rejectsZero(u) || ch.returnedToCheckers(u, depth)) {
			return handled // the first thing done with v is to test for failure
		}
		first = false
		if !ch.inLogCall(u) {
			result = relied
		}
	}
	return result
}

// testedAtOnce reports whether a field or element lhs (c.md5, m[k]) that
// as assigns is tested for failure at once: the condition of the if whose
// init as is, or of an if right after as, first compares lhs safely (see
// comparedSafely) or uses it as a boolean condition:
// `if c.md5, _ = src.Hash(ctx, hash.MD5); c.md5 == "" {`. Code in between
// could read the field through its base, so only that condition counts.
func (ch *checker) testedAtOnce(c inspector.Cursor, as *ast.AssignStmt, lhs ast.Expr) bool {
	pure := true
	ast.Inspect(lhs, func(n ast.Node) bool {
		if _, ok := n.(*ast.CallExpr); ok {
			pure = false
		}
		return pure
	})
	if !pure {
		return false
	}
	var cond ast.Expr
	var at inspector.Cursor
	parent := c.Parent()
	switch p := parent.Node().(type) {
	case *ast.IfStmt:
		if p.Init == as {
			cond, at = p.Cond, parent
		}
	case *ast.BlockStmt:
		if i := stmtIndex(p.List, as); i >= 0 && i+1 < len(p.List) {
			if next, ok := p.List[i+1].(*ast.IfStmt); ok && next.Init == nil {
				for n := range parent.Preorder((*ast.IfStmt)(nil)) {
					if n.Node() == next {
						cond, at = next.Cond, n
						break
					}
				}
			}
		}
	}
	if cond == nil {
		return false
	}
	want := types.ExprString(lhs)
	for u := range at.Preorder((*ast.SelectorExpr)(nil), (*ast.IndexExpr)(nil)) {
		n := u.Node()
		if n.Pos() < cond.Pos() || n.End() > cond.End() || types.ExprString(n.(ast.Expr)) != want {
			continue
		}
		return ch.comparedSafely(u) || ch.isCondition(u) || ch.rejectsZero(u)
	}
	return false
}

// comparedSafely reports whether the identifier at u is compared with
// nil or "" (the author tests for the failure's zero value), or with a
// constant other than its zero value (ct == "text/event-stream"): the zero
// value left by a failure then takes the "not that" branch, as any other
// value would. A comparison with the zero value itself (n == 0 after
// RowsAffected) mistakes the failure for an answer and is not safe.
func (ch *checker) comparedSafely(u inspector.Cursor) bool {
	b, ok := u.Parent().Node().(*ast.BinaryExpr)
	if !ok || (b.Op != token.EQL && b.Op != token.NEQ) {
		return false
	}
	other := b.X
	if other == u.Node() {
		other = b.Y
	}
	if flow.IsNil(ch.info, other) {
		return true
	}
	tv, ok := ch.info.Types[other]
	if !ok || tv.Value == nil {
		return false
	}
	switch tv.Value.Kind() {
	case constant.String:
		return true // "" tests for the failure, any other string excludes it
	case constant.Int, constant.Float:
		return constant.Sign(tv.Value) != 0
	case constant.Bool:
		return constant.BoolVal(tv.Value)
	}
	return false
}

// isCondition reports whether the boolean identifier at u is itself a
// condition (if v, v && x, x || v): the same test as v == true, so the
// false left by a failure takes the "no" branch like any other false. A
// negation (!v) tests for the zero value and is not such a condition.
func (ch *checker) isCondition(u inspector.Cursor) bool {
	if t := ch.info.TypeOf(u.Node().(ast.Expr)); t == nil || !types.Identical(t.Underlying(), types.Typ[types.Bool]) {
		return false
	}
	child := u.Node()
	for p := u.Parent(); p.Node() != nil; p = p.Parent() {
		switch n := p.Node().(type) {
		case *ast.ParenExpr:
		case *ast.BinaryExpr:
			if n.Op != token.LAND && n.Op != token.LOR {
				return false
			}
		case *ast.IfStmt:
			return n.Cond == child
		case *ast.ForStmt:
			return n.Cond == child
		default:
			return false
		}
		child = p.Node()
	}
	return false
}

// inLogCall reports whether the identifier at u is an argument (at any
// depth) of a logging call in its statement, or part of an error value
// being built (`fmt.Errorf`, `errors.New`, `&StatusError{Body: body}`: a
// composite literal of a type implementing error; a wrapper that takes an
// error and returns one, `errs.Wrap(err, errs.WithOutput(string(body)))`): the value only describes a
// failure already being reported (the body of a bad response), so a failed
// read loses detail, not correctness.
func (ch *checker) inLogCall(u inspector.Cursor) bool {
	iface := errorType.Underlying().(*types.Interface)
	for e := range u.Enclosing() {
		switch n := e.Node().(type) {
		case ast.Stmt, *ast.FuncLit:
			return false
		case *ast.CallExpr:
			if ch.lists.IsLog(ch.info, n) || ch.onLogger(n) || ch.logProcedure(n) {
				return true
			}
			if flow.NewError(ch.info, n) {
				return true
			}
			if ch.wrapsError(n) {
				return true
			}
		case *ast.CompositeLit:
			if t := ch.info.TypeOf(n); t != nil && (types.Implements(t, iface) || types.Implements(types.NewPointer(t), iface)) {
				return true
			}
		}
	}
	return false
}

// wrapsError reports whether call takes an error that is not the nil
// literal and returns a single error: a wrapper that adds detail to a
// failure (`errs.Wrap(fmt.Errorf(...), opts...)`), not a function that
// consumes data (`json.Unmarshal` takes none).
func (ch *checker) wrapsError(call *ast.CallExpr) bool {
	t := ch.info.TypeOf(call.Fun)
	if t == nil {
		return false
	}
	sig, ok := t.Underlying().(*types.Signature)
	if !ok || sig.Results().Len() != 1 || !types.Identical(sig.Results().At(0).Type(), errorType) {
		return false
	}
	for _, a := range call.Args {
		if at := ch.info.TypeOf(a); at != nil && !flow.IsNil(ch.info, a) && types.Implements(at, errorType.Underlying().(*types.Interface)) {
			return true
		}
	}
	return false
}

// logProcedure reports whether call is a printf-style log function of the
// program's own (rclone's fs.Debugf(o, format, args...)): named like a log
// level (Debugf, Infof, Logf, ...), variadic, and returning nothing, so its
// only effect is the message.
func (ch *checker) logProcedure(call *ast.CallExpr) bool {
	var name string
	switch f := ast.Unparen(call.Fun).(type) {
	case *ast.Ident:
		name = f.Name
	case *ast.SelectorExpr:
		name = f.Sel.Name
	}
	if !provenance.LogMethodNames[name] {
		return false
	}
	t := ch.info.TypeOf(call.Fun)
	if t == nil {
		return false
	}
	sig, ok := t.Underlying().(*types.Signature)
	return ok && sig.Variadic() && sig.Results().Len() == 0
}

// onLogger reports whether call is a method of a logger type with a
// home-grown name (task's Logger.VerboseErrf): a receiver whose type
// name ends in "Logger".
func (ch *checker) onLogger(call *ast.CallExpr) bool {
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok {
		return false
	}
	t := ch.info.TypeOf(sel.X)
	if t == nil {
		return false
	}
	return strings.HasSuffix(strings.ToLower(provenance.TypeName(t)), "logger")
}

// cannotFail reports whether call, though it returns an error, cannot fail
// here: a parser or pure function applied to constants (its result is
// fixed at compile time), or json.Marshal of a type that always marshals.
func (ch *checker) cannotFail(call *ast.CallExpr, names []string) bool {
	if provenance.AlwaysMarshals(ch.info, call) {
		return true
	}
	pure := ch.lists.Parsers.Has(names...) && !provenance.Set(map[string]bool{"time.LoadLocation": true}).Has(names...)
	for _, n := range names {
		switch n {
		case "regexp.Compile", "regexp.CompilePOSIX", "net/mail.ParseAddress", "net.ParseMAC",
			"encoding/base64.Encoding.DecodeString", "encoding/hex.DecodeString", "net/netip.ParseAddr":
			pure = true
		case "github.com/Masterminds/semver.NewConstraint", "github.com/Masterminds/semver/v3.NewConstraint",
			"github.com/Masterminds/semver.NewVersion", "github.com/Masterminds/semver/v3.NewVersion",
			"github.com/Masterminds/semver/v3.StrictNewVersion":
			// "NewConstraint returns a Constraints instance ... If there
			// is a parse error it will be returned"; "NewVersion parses a
			// given version and returns an instance of Version or an
			// error if unable to parse the version": parsers of their
			// argument alone.
			pure = true
		case "bufio.Reader.Peek", "bufio.ReadWriter.Peek":
			// Peeking at what is already buffered cannot fail:
			// br.Peek(br.Buffered()).
			if len(call.Args) == 1 && peeksBuffered(call) {
				return true
			}
		case "regexp.MatchString", "regexp.Match", "path.Match", "path/filepath.Match":
			// These fail only when the pattern does not compile: a
			// constant pattern fails on every run or never.
			if len(call.Args) > 0 && ch.isConstant(call.Args[0]) {
				return true
			}
		case "net/http.NewRequest":
			// It fails only on an invalid method or URL.
			if len(call.Args) == 3 && ch.isConstant(call.Args[0]) && ch.isConstant(call.Args[1]) {
				return true
			}
		case "net/http.NewRequestWithContext":
			// The same, and on a nil context.
			if len(call.Args) == 4 && !flow.IsNil(ch.info, call.Args[0]) && ch.isConstant(call.Args[1]) && ch.isConstant(call.Args[2]) {
				return true
			}
		case "crypto/ecdsa.GenerateKey":
			// It fails only for a curve crypto/ecdsa does not implement,
			// or when the random source fails (which crypto/rand's no
			// longer does, and which Go 1.26 no longer reads).
			if len(call.Args) == 2 {
				if c, ok := ast.Unparen(call.Args[0]).(*ast.CallExpr); ok {
					if provenance.Set(map[string]bool{"crypto/elliptic.P224": true, "crypto/elliptic.P256": true,
						"crypto/elliptic.P384": true, "crypto/elliptic.P521": true}).Has(provenance.CalleeNames(ch.info, c)...) {
						return true
					}
				}
			}
		}
	}
	if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok && (strings.HasPrefix(sel.Sel.Name, "Parse") || strings.HasPrefix(sel.Sel.Name, "Compile")) {
		pure = true // a parser of the program's own: a constant input parses the same way every run
	} else if id, ok := ast.Unparen(call.Fun).(*ast.Ident); ok && (strings.HasPrefix(id.Name, "Parse") || strings.HasPrefix(id.Name, "Compile")) {
		pure = true
	}
	if !pure || len(call.Args) == 0 {
		return false
	}
	for _, a := range call.Args {
		if !ch.isConstant(a) {
			return false
		}
	}
	return true
}

// isConstant reports whether e is a constant, or a parameter of an
// unexported function every call of which in the package passes a
// constant (mustCIDR("10.0.0.0/8") in a var block): the program's own
// text, the same on every run.
func (ch *checker) isConstant(e ast.Expr) bool {
	return ch.everyArg(e, func(a ast.Expr) bool {
		tv, ok := ch.info.Types[a]
		return ok && (tv.Value != nil || ch.heldConstant(a))
	})
}

// heldConstant reports whether e is a local variable that only its
// definition assigns, from a constant, and whose address is never taken
// (`regx := "(?i)project"`, then `regexp.MatchString(regx, s)`): it holds
// that constant wherever it is read.
func (ch *checker) heldConstant(e ast.Expr) bool {
	return ch.held(e, func(x ast.Expr) bool {
		tv, ok := ch.info.Types[x]
		return ok && tv.Value != nil
	})
}

// held reports whether e is a local variable that only its definition
// assigns, from an expression for which is holds, and whose address is
// never taken: it holds that value wherever it is read.
func (ch *checker) held(e ast.Expr, is func(ast.Expr) bool) bool {
	id, ok := ast.Unparen(e).(*ast.Ident)
	if !ok {
		return false
	}
	v, ok := ch.info.Uses[id].(*types.Var)
	if !ok || v.IsField() || v.Parent() == nil || v.Parent() == v.Pkg().Scope() || ch.inspect == nil {
		return false
	}
	fromConst, other := false, false
	isV := func(x ast.Expr) bool {
		xid, ok := ast.Unparen(x).(*ast.Ident)
		return ok && (ch.info.Defs[xid] == v || ch.info.Uses[xid] == v)
	}
	scope, ok := ch.inspect.Root().FindByPos(v.Parent().Pos(), v.Parent().End())
	if !ok {
		return false
	}
	for c := range scope.Preorder((*ast.AssignStmt)(nil), (*ast.ValueSpec)(nil), (*ast.UnaryExpr)(nil), (*ast.IncDecStmt)(nil), (*ast.RangeStmt)(nil)) {
		switch n := c.Node().(type) {
		case *ast.AssignStmt:
			for i, l := range n.Lhs {
				if !isV(l) {
					continue
				}
				if lid, ok := ast.Unparen(l).(*ast.Ident); ok && ch.info.Defs[lid] == v && len(n.Lhs) == len(n.Rhs) && is(n.Rhs[i]) {
					fromConst = true
				} else {
					other = true
				}
			}
		case *ast.ValueSpec:
			for i, name := range n.Names {
				if ch.info.Defs[name] == v {
					fromConst = len(n.Values) == len(n.Names) && is(n.Values[i])
					other = other || !fromConst
				}
			}
		case *ast.UnaryExpr:
			other = other || (n.Op == token.AND && isV(n.X))
		case *ast.IncDecStmt:
			other = other || isV(n.X)
		case *ast.RangeStmt:
			other = other || (n.Key != nil && isV(n.Key)) || (n.Value != nil && isV(n.Value))
		}
	}
	return fromConst && !other
}

// everyArg reports whether holds(e), or e is a parameter of an unexported
// function every call of which in the package passes an argument for
// which holds.
func (ch *checker) everyArg(e ast.Expr, holds func(ast.Expr) bool) bool {
	if holds(e) {
		return true
	}
	id, ok := ast.Unparen(e).(*ast.Ident)
	if !ok {
		return false
	}
	v, ok := ch.info.Uses[id].(*types.Var)
	if !ok || v.IsField() {
		return false
	}
	args, ok := ch.docs.ArgsPassed(v)
	if !ok {
		return false
	}
	for _, a := range args {
		if !holds(a.Arg) {
			return false
		}
	}
	return true
}

// blocksUntilDone reports whether call is one that fails only with its
// context's error ("On failure, returns ctx.Err()": x/sync's
// `semaphore.Weighted.Acquire`) given a context that is never done
// (neverDone): it blocks until it succeeds.
func (ch *checker) blocksUntilDone(call *ast.CallExpr, names []string) bool {
	return len(call.Args) > 0 && contextOnlyErrs.Has(names...) && ch.neverDone(call.Args[0])
}

// contextOnlyErrs fail only with their context's error.
var contextOnlyErrs = provenance.Set(map[string]bool{"golang.org/x/sync/semaphore.Weighted.Acquire": true})

// neverDoneContexts make a context that is never cancelled and has no
// deadline.
var neverDoneContexts = provenance.Set(map[string]bool{"context.Background": true, "context.TODO": true})

// neverDone reports whether e is context.Background() or context.TODO(),
// or a local variable that only its definition assigns, from one of them:
// a context that is never cancelled and has no deadline.
func (ch *checker) neverDone(e ast.Expr) bool {
	background := func(x ast.Expr) bool {
		call, ok := ast.Unparen(x).(*ast.CallExpr)
		return ok && len(call.Args) == 0 && neverDoneContexts.Has(provenance.CalleeNames(ch.info, call)...)
	}
	return background(e) || ch.held(e, background)
}

// peeksBuffered reports whether call is br.Peek(br.Buffered()) on one
// reader br.
func peeksBuffered(call *ast.CallExpr) bool {
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok {
		return false
	}
	arg, ok := ast.Unparen(call.Args[0]).(*ast.CallExpr)
	if !ok || len(arg.Args) != 0 {
		return false
	}
	inner, ok := ast.Unparen(arg.Fun).(*ast.SelectorExpr)
	return ok && inner.Sel.Name == "Buffered" && types.ExprString(inner.X) == types.ExprString(sel.X)
}

// zeroValue renders the value a result has when its call fails.
func zeroValue(t types.Type) string {
	if t == nil {
		return "the zero value"
	}
	switch u := t.Underlying().(type) {
	case *types.Basic:
		switch {
		case u.Info()&types.IsString != 0:
			return `""`
		case u.Info()&types.IsBoolean != 0:
			return "false"
		case u.Info()&types.IsNumeric != 0:
			return "0"
		}
	case *types.Pointer, *types.Slice, *types.Map, *types.Interface, *types.Signature, *types.Chan:
		return "nil"
	case *types.Struct:
		return "an empty " + types.TypeString(t, func(p *types.Package) string { return p.Name() })
	}
	return "the zero value"
}

// results returns the result tuple of call, or nil when it is not a
// function call or its type is unknown.
func results(info *types.Info, call *ast.CallExpr) *types.Tuple {
	tv, ok := info.Types[call.Fun]
	if !ok || tv.IsType() || tv.IsBuiltin() {
		return nil
	}
	sig, ok := typeUnder(tv.Type).(*types.Signature)
	if !ok {
		return nil
	}
	return sig.Results()
}

func typeUnder(t types.Type) types.Type {
	if t == nil {
		return nil
	}
	return t.Underlying()
}

var errorType = types.Universe.Lookup("error").Type()

func isError(t types.Type) bool {
	return t != nil && types.Identical(t, errorType)
}

// writeMethods are the methods that write to their receiver.
var writeMethods = map[string]bool{
	"Write": true, "WriteString": true, "WriteByte": true, "WriteRune": true, "WriteAt": true, "ReadFrom": true,
}

func isBlank(e ast.Expr) bool {
	id, ok := ast.Unparen(e).(*ast.Ident)
	return ok && id.Name == "_"
}
