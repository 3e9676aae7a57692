package discardederror

import (
	"fmt"
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"regexp"
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

// checker holds what every check needs.
type checker struct {
	pkg    *types.Package
	module string // path of the analysed package's module, or ""
	info   *types.Info
	fset   *token.FileSet
	r      *spec.Reporter
	lists  *provenance.Lists
	// errcheckOK holds the lines of the current file that carry a
	// golangci-lint `//nolint:errcheck` directive: the author already
	// reviewed the dropped error there.
	errcheckOK map[int]bool
	// explained holds the lines of the current file just below or beside
	// a comment that explains a dropped error ("ignore the error",
	// "always valid", "OK if this fails"): a decision, not an oversight.
	explained map[int]bool
}

func run(pass *analysis.Pass, r *spec.Reporter) {
	lists := r.Options().Lists
	if lists == nil {
		lists = provenance.Default()
	}
	module := ""
	if pass.Module != nil {
		module = pass.Module.Path
	} else if pass.Pkg != nil {
		module = guessModule(pass.Pkg.Path())
	}
	ch := &checker{pkg: pass.Pkg, module: module, info: pass.TypesInfo, fset: pass.Fset, r: r, lists: lists}
	for fc := range r.Files() {
		f, ok := fc.Node().(*ast.File)
		if !ok {
			continue
		}
		if !r.Options().TestFiles && importsTesting(f) {
			continue // a test helper: tests fail loudly
		}
		ch.errcheckOK = nolintErrcheck(pass.Fset, f)
		ch.explained = explainedLines(pass.Fset, f)
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
	names := provenance.CalleeNames(ch.info, call)
	if ch.lists.MustCheck.Has(names...) {
		if ch.ownedWriter(c, call) {
			return
		}
	} else if !ch.losesData(c, call, names, keyword) {
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

// report reports d unless a `//nolint:errcheck` directive covers the
// statement at c or one enclosing it, or a comment explains the statement.
func (ch *checker) report(c inspector.Cursor, d analysis.Diagnostic) {
	if ch.explained[ch.fset.Position(c.Node().Pos()).Line] {
		return
	}
	if len(ch.errcheckOK) > 0 {
		for e := range c.Enclosing() {
			if _, ok := e.Node().(ast.Stmt); !ok {
				continue
			}
			line := ch.fset.Position(e.Node().Pos()).Line
			if ch.errcheckOK[line] || ch.errcheckOK[line-1] {
				return
			}
		}
	}
	ch.r.Report(d)
}

// explanation matches comment words that show an author decided to drop
// an error: it is mentioned, or the call is said to be safe.
var explanation = regexp.MustCompile(`(?i)\b(err|errs|error|errors|ignored?|ignores|ignoring|always|never|cannot fail|can't fail|ok if|best[- ]effort|safe to)\b`)

// todo matches a note that the drop is still to be fixed.
var todo = regexp.MustCompile(`\b(TODO|FIXME|XXX)\b`)

// explainedLines returns the lines that a comment explaining a dropped
// error covers: its own line (a trailing comment) and the line after the
// comment group.
func explainedLines(fset *token.FileSet, f *ast.File) map[int]bool {
	lines := map[int]bool{}
	for _, g := range f.Comments {
		text := g.Text()
		if strings.HasPrefix(text, "want ") || !explanation.MatchString(text) || todo.MatchString(text) {
			continue // analysistest expectations and to-do notes are not explanations
		}
		lines[fset.Position(g.End()).Line] = true
		lines[fset.Position(g.End()).Line+1] = true
		// A comment starting on the line after the statement explains it too.
		lines[fset.Position(g.Pos()).Line-1] = true
	}
	return lines
}

// nolintErrcheck returns the lines of f with a //nolint directive naming
// errcheck (golangci-lint's name for this check).
func nolintErrcheck(fset *token.FileSet, f *ast.File) map[int]bool {
	lines := map[int]bool{}
	for _, g := range f.Comments {
		for _, cm := range g.List {
			text := strings.TrimSpace(strings.TrimPrefix(cm.Text, "//"))
			list, ok := strings.CutPrefix(text, "nolint:")
			if !ok {
				continue
			}
			list, _, _ = strings.Cut(list, " ")
			for _, name := range strings.Split(list, ",") {
				if strings.TrimSpace(name) == "errcheck" {
					lines[fset.Position(cm.Pos()).Line] = true
				}
			}
		}
	}
	return lines
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
		if ok && b.Op == token.NEQ && isNilIdent(b.Y) && isError(ch.info.TypeOf(b.X)) {
			return true
		}
	}
	return false
}

func isNilIdent(e ast.Expr) bool {
	id, ok := ast.Unparen(e).(*ast.Ident)
	return ok && id.Name == "nil"
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

// losesData reports whether the dropped error of call, which is not on the
// must-check list, is one whose failure loses data: a Close of something
// written, or a write to a destination that matters. Everything else (the
// program's own calls, library calls not known to do fallible I/O) is
// trusted to be dropped on purpose; the must-check list adds to it.
func (ch *checker) losesData(c inspector.Cursor, call *ast.CallExpr, names []string, keyword string) bool {
	if ch.lists.NeverFail.Has(names...) {
		return false
	}
	if keyword == "" && (ch.cleanupBeforeError(c) || ch.inErrorBranch(c)) {
		return false // cleanup on a failure path: its error would hide the one being handled
	}
	if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok && !isPackage(ch.info, sel.X) {
		switch sel.Sel.Name {
		case "Close":
			// Closing what was only read loses nothing; a Close of a
			// written file or encoder may be the only report that the
			// data never arrived.
			if !ch.written(c, sel.X) {
				return false
			}
			// A deferred Close is the safety net of a checked one.
			return keyword != "defer" || !ch.closedOrSyncedChecked(c, sel.X)
		case "Write", "WriteString", "WriteByte", "WriteRune", "WriteAt", "ReadFrom":
			return ch.writeMatters(c, sel.X)
		}
	}
	if dst := destination(names, call); dst != nil {
		return ch.writeMatters(c, dst)
	}
	// A job handed in by another component: a function value (parameter,
	// field, variable) taking a context.Context does cancellable work in
	// the outside world (a sync step, a request), and its error is the only
	// report that the work was not done. Declared functions and methods
	// taking a context are left to the must-check list: their authors'
	// drops (Shutdown on a cancelled context) are usually deliberate.
	return ch.contextJob(call)
}

// contextJob reports whether call calls a function value whose first
// parameter is a context.Context.
func (ch *checker) contextJob(call *ast.CallExpr) bool {
	id := provenance.CalleeIdent(call)
	if id == nil {
		return false
	}
	if _, isVar := ch.info.Uses[id].(*types.Var); !isVar {
		return false
	}
	sig, ok := typeUnder(ch.info.TypeOf(call.Fun)).(*types.Signature)
	if !ok || sig.Params().Len() == 0 {
		return false
	}
	return provenance.TypeName(sig.Params().At(0).Type()) == "context.Context"
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

// destination returns the writer argument of a call that writes to one
// (fmt.Fprint*, io.WriteString, io.Copy and friends, json.NewEncoder(w).Encode),
// or nil.
func destination(names []string, call *ast.CallExpr) ast.Expr {
	for _, n := range names {
		switch n {
		case "fmt.Fprint", "fmt.Fprintf", "fmt.Fprintln", "io.WriteString", "io.Copy", "io.CopyN", "io.CopyBuffer",
			"encoding/binary.Write":
			if len(call.Args) > 0 {
				return call.Args[0]
			}
		case "encoding/json.Encoder.Encode", "encoding/xml.Encoder.Encode", "encoding/gob.Encoder.Encode":
			sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
			if !ok {
				return nil
			}
			if inner, ok := ast.Unparen(sel.X).(*ast.CallExpr); ok && len(inner.Args) == 1 {
				return inner.Args[0] // json.NewEncoder(w).Encode(v)
			}
		}
	}
	return nil
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
// a call that creates or opens a file for writing.
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
				found = opensForWriting(ch.info, call)
			}
		}
		return !found
	})
	return found
}

// usedBeyondClose reports whether the enclosing function does anything
// with x but close it or ask its name: an empty marker file created and
// closed at once has nothing to lose.
func (ch *checker) usedBeyondClose(c inspector.Cursor, x ast.Expr) bool {
	_, _, body, ok := flow.EnclosingFunc(c)
	if !ok || body == nil {
		return false
	}
	key := types.ExprString(x)
	used := false
	ast.Inspect(body, func(n ast.Node) bool {
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
		for _, a := range call.Args {
			if types.ExprString(a) == key {
				used = true
			}
		}
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
		}
		return true
	})
	return found
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
		if id, ok := last.(*ast.Ident); ok && id.Name == "nil" {
			return false
		}
		return isError(ch.info.TypeOf(last))
	}
	// A block that ends in panic or exit after the cleanup.
	return after && flow.Terminates(ch.info, ch.lists, block.List) && !endsInReturn(block.List)
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
		if ch.lists.NeverFail.Has(names...) || ch.cannotFail(call, names) {
			return
		}
		if dst := destination(names, call); dst != nil && !ch.writeMatters(c, dst) {
			return
		}
		if ch.lenientWrapper(c, as) || errorlessVariant(c, call) || ch.ownHelper(call) || ch.readsOwnCache(c, call, names) {
			return
		}
		if !ch.fallibleSource(call, names, ch.info.TypeOf(used)) {
			return
		}
		if ch.lists.Parsers.Has(names...) && !ch.externalInput(c, call) {
			// Parsing text the program produced or validated itself
			// (build settings, header fields it split, formats it wrote):
			// an invariant the author relies on, not an assumption about
			// the outside world.
			return
		}
	}
	v := types.ExprString(used)
	ch.report(c, analysis.Diagnostic{
		Pos: call.Pos(), End: call.End(),
		Message: fmt.Sprintf("error from %s is discarded with _; if it fails, %s is %s and is used as if the call had succeeded",
			types.ExprString(call.Fun), v, zeroValue(ch.info.TypeOf(used))),
	})
}

// readsOutside lists library calls whose failure depends on the
// environment and whose zero result silently stands in for what was not
// read.
var readsOutside = provenance.Set{
	"os.ReadFile": true, "io/ioutil.ReadFile": true, "io.ReadAll": true, "io/ioutil.ReadAll": true,
	"os.Hostname": true, "os.UserHomeDir": true, "os.UserConfigDir": true, "os.UserCacheDir": true,
	"os.Executable": true, "os/user.Current": true, "os/user.Lookup": true,
}

// fallibleSource reports whether a discarded error of call is worth
// reporting when its result is used: a call of the program's own code in
// another package whose used result is a pointer, interface or map (a
// config loader returning nil), a parser, a library call that reads the outside world, or
// json.Marshal. Other library calls (a cipher with a fixed key size, a
// syscall, a section read) are trusted to be dropped on purpose: their
// failure modes are documented and the caller chose.
func (ch *checker) fallibleSource(call *ast.CallExpr, names []string, usedType types.Type) bool {
	if ch.lists.Parsers.Has(names...) || readsOutside.Has(names...) {
		return true
	}
	for _, n := range names {
		if n == "encoding/json.Marshal" || n == "encoding/json.MarshalIndent" {
			return true
		}
	}
	id := provenance.CalleeIdent(call)
	if id == nil {
		return false
	}
	fn, ok := ch.info.Uses[id].(*types.Func)
	if !ok || fn.Pkg() == nil {
		return false
	}
	if !ch.ownModule(fn.Pkg().Path()) {
		return false
	}
	// The program's own code: reported when the result used is nil on
	// failure and will be dereferenced far from the cause (a config that
	// failed to load). A number or string result is usually a deliberate
	// best-effort value (a size for a metric, a validated setting).
	if usedType == nil {
		return false
	}
	switch usedType.Underlying().(type) {
	case *types.Pointer, *types.Interface, *types.Map:
		return true
	}
	return false
}

// ownModule reports whether the package path belongs to the module being
// analysed (never the standard library's own packages).
func (ch *checker) ownModule(path string) bool {
	if ch.module == "" || ch.module == "std" {
		return false
	}
	return path == ch.module || strings.HasPrefix(path, ch.module+"/")
}

// guessModule approximates the module of a package path when the driver
// does not say: the first three elements of a path whose first element is a
// host name (github.com/owner/repo), or "std".
func guessModule(path string) string {
	parts := strings.Split(path, "/")
	if !strings.Contains(parts[0], ".") {
		return "std"
	}
	if len(parts) > 3 {
		parts = parts[:3]
	}
	return strings.Join(parts, "/")
}

// externalInput reports whether an argument of call comes from outside the
// program as far as the enclosing function shows: it calls or reads an
// external source (os.Getenv, r.FormValue, a URL query), or is a local
// variable assigned from one.
func (ch *checker) externalInput(c inspector.Cursor, call *ast.CallExpr) bool {
	_, _, body, ok := flow.EnclosingFunc(c)
	external := func(e ast.Node) bool {
		found := false
		ast.Inspect(e, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.CallExpr:
				found = found || ch.lists.External.Has(provenance.CalleeNames(ch.info, n)...)
			case ast.Expr:
				found = found || ch.lists.External.Has(provenance.VarName(ch.info, n))
			}
			return !found
		})
		return found
	}
	for _, arg := range call.Args {
		if external(arg) {
			return true
		}
		// One step back through a local variable: v := r.FormValue("n").
		var objs []types.Object
		ast.Inspect(arg, func(n ast.Node) bool {
			if id, ok := n.(*ast.Ident); ok {
				if obj, ok := ch.info.Uses[id].(*types.Var); ok {
					objs = append(objs, obj)
				}
			}
			return true
		})
		if len(objs) == 0 || !ok || body == nil {
			continue
		}
		found := false
		ast.Inspect(body, func(n ast.Node) bool {
			as, isAssign := n.(*ast.AssignStmt)
			if found || !isAssign || as.Pos() > call.Pos() {
				return !found
			}
			for i, lhs := range as.Lhs {
				id, isID := lhs.(*ast.Ident)
				if !isID {
					continue
				}
				for _, obj := range objs {
					if ch.info.ObjectOf(id) != obj {
						continue
					}
					rhs := as.Rhs[0]
					if len(as.Rhs) == len(as.Lhs) {
						rhs = as.Rhs[i]
					}
					found = found || external(rhs)
				}
			}
			return !found
		})
		if found {
			return true
		}
	}
	return false
}

// ownHelper reports whether call calls an unexported function or method of
// the package being analysed: the author knows when their own helper fails
// and what its zero result means.
func (ch *checker) ownHelper(call *ast.CallExpr) bool {
	id := provenance.CalleeIdent(call)
	if id == nil {
		return false
	}
	fn, ok := ch.info.Uses[id].(*types.Func)
	return ok && !fn.Exported() && fn.Pkg() != nil && ch.pkg != nil && fn.Pkg() == ch.pkg
}

// readsOwnCache reports whether call reads a file that the enclosing
// function also writes (os.WriteFile with the same path): the program's own
// cache or state file, which a failed read simply rebuilds.
func (ch *checker) readsOwnCache(c inspector.Cursor, call *ast.CallExpr, names []string) bool {
	if !provenance.Set(map[string]bool{"os.ReadFile": true, "io/ioutil.ReadFile": true}).Has(names...) || len(call.Args) != 1 {
		return false
	}
	_, _, body, ok := flow.EnclosingFunc(c)
	if !ok || body == nil {
		return false
	}
	key := types.ExprString(call.Args[0])
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		w, ok := n.(*ast.CallExpr)
		if !ok || found {
			return !found
		}
		for _, name := range provenance.CalleeNames(ch.info, w) {
			if (name == "os.WriteFile" || name == "io/ioutil.WriteFile") && len(w.Args) > 0 && types.ExprString(w.Args[0]) == key {
				found = true
			}
		}
		return !found
	})
	return found
}

// errorlessVariant reports whether the enclosing function is the
// error-less form of the called one (Match calling MatchWithError): an API
// kept for callers that chose not to hear about failures.
func errorlessVariant(c inspector.Cursor, call *ast.CallExpr) bool {
	var callee string
	switch fun := ast.Unparen(call.Fun).(type) {
	case *ast.Ident:
		callee = fun.Name
	case *ast.SelectorExpr:
		callee = fun.Sel.Name
	}
	fn, _, _, ok := flow.EnclosingFunc(c)
	if !ok {
		return false
	}
	decl, ok := fn.(*ast.FuncDecl)
	if !ok {
		return false
	}
	name := decl.Name.Name
	return callee != name && strings.HasPrefix(callee, name) && strings.Contains(callee[len(name):], "Err")
}

// use is what the code after `v, _ := f()` does with v.
type use int

const (
	unused  use = iota // never read, or read only to be logged
	relied             // read as if f had succeeded
	handled            // compared with nil or "": the failure is expected
)

// uses classifies how lhs, assigned by as, is read afterwards. Fields,
// index expressions and package variables count as relied on.
func (ch *checker) uses(c inspector.Cursor, as *ast.AssignStmt, lhs ast.Expr) use {
	id, ok := ast.Unparen(lhs).(*ast.Ident)
	if !ok {
		return relied
	}
	obj := ch.info.ObjectOf(id)
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
		if !ok || uid.Pos() < as.End() || ch.info.Uses[uid] != obj {
			continue
		}
		if first && comparedWithNothing(u) {
			return handled // the first thing done with v is to test for failure
		}
		first = false
		if !ch.inLogCall(u) {
			result = relied
		}
	}
	return result
}

// comparedWithNothing reports whether the identifier at u is compared with
// nil or "" (the author tests for the failure's zero value).
func comparedWithNothing(u inspector.Cursor) bool {
	b, ok := u.Parent().Node().(*ast.BinaryExpr)
	if !ok || (b.Op != token.EQL && b.Op != token.NEQ) {
		return false
	}
	other := b.X
	if other == u.Node() {
		other = b.Y
	}
	if id, ok := ast.Unparen(other).(*ast.Ident); ok && id.Name == "nil" {
		return true
	}
	lit, ok := ast.Unparen(other).(*ast.BasicLit)
	return ok && lit.Kind == token.STRING && (lit.Value == `""` || lit.Value == "``")
}

// inLogCall reports whether the identifier at u is an argument (at any
// depth) of a logging call in its statement.
func (ch *checker) inLogCall(u inspector.Cursor) bool {
	for e := range u.Enclosing() {
		switch n := e.Node().(type) {
		case ast.Stmt, *ast.FuncLit:
			return false
		case *ast.CallExpr:
			if ch.lists.IsLog(ch.info, n) || ch.onLogger(n) {
				return true
			}
			// Building an error message: the value only describes a
			// failure already being reported (the body of a bad response).
			if names := provenance.CalleeNames(ch.info, n); provenance.Set(map[string]bool{"fmt.Errorf": true, "errors.New": true}).Has(names...) {
				return true
			}
		}
	}
	return false
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

// lenientWrapper reports whether as is the first of exactly two statements
// of a function whose second is a return: a deliberate "zero on failure"
// accessor (WeakString.Int, Flags.Bool, fromYaml) whose callers chose the
// lenient form. A wrapper that reads an external source itself
// (strconv.Atoi(os.Getenv("PORT"))) is no such accessor: nobody upstream
// chose anything.
func (ch *checker) lenientWrapper(c inspector.Cursor, as *ast.AssignStmt) bool {
	external := false
	ast.Inspect(as.Rhs[0], func(n ast.Node) bool {
		if call, ok := n.(*ast.CallExpr); ok && ch.lists.External.Has(provenance.CalleeNames(ch.info, call)...) {
			external = true
		}
		if e, ok := n.(ast.Expr); ok && ch.lists.External.Has(provenance.VarName(ch.info, e)) {
			external = true
		}
		return !external
	})
	if external {
		return false
	}
	block, ok := c.Parent().Node().(*ast.BlockStmt)
	if !ok || len(block.List) != 2 || block.List[0] != ast.Stmt(as) {
		return false
	}
	switch c.Parent().Parent().Node().(type) {
	case *ast.FuncDecl, *ast.FuncLit:
	default:
		return false
	}
	ret, ok := block.List[1].(*ast.ReturnStmt)
	if !ok {
		return false
	}
	// The value is handed back as it is (or converted): return v, string(v).
	for _, r := range ret.Results {
		r = ast.Unparen(r)
		if conv, ok := r.(*ast.CallExpr); ok && len(conv.Args) == 1 {
			if tv, ok := ch.info.Types[conv.Fun]; ok && tv.IsType() {
				r = ast.Unparen(conv.Args[0])
			}
		}
		for _, lhs := range as.Lhs {
			if id, ok := r.(*ast.Ident); ok && !isBlank(lhs) && types.ExprString(lhs) == id.Name {
				return true
			}
		}
	}
	return false
}

// cannotFail reports whether call, though it returns an error, cannot fail
// here: a parser or pure function applied to constants (its result is
// fixed at compile time), or json.Marshal of a type that always marshals.
func (ch *checker) cannotFail(call *ast.CallExpr, names []string) bool {
	pure := ch.lists.Parsers.Has(names...) && !provenance.Set(map[string]bool{"time.LoadLocation": true}).Has(names...)
	for _, n := range names {
		switch n {
		case "regexp.Compile", "regexp.CompilePOSIX", "net/mail.ParseAddress", "net.ParseMAC",
			"encoding/base64.Encoding.DecodeString", "encoding/hex.DecodeString", "net/netip.ParseAddr":
			pure = true
		case "bufio.Reader.Peek", "bufio.ReadWriter.Peek":
			// Peeking at what is already buffered cannot fail.
			if len(call.Args) == 1 && strings.Contains(strings.ToLower(types.ExprString(call.Args[0])), "buffered") {
				return true
			}
		case "encoding/json.Marshal", "encoding/json.MarshalIndent":
			if len(call.Args) > 0 {
				if t := ch.info.TypeOf(call.Args[0]); t != nil && alwaysMarshals(t, map[types.Type]bool{}) {
					return true
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
		if tv, ok := ch.info.Types[a]; !ok || tv.Value == nil {
			return false
		}
	}
	return true
}

// alwaysMarshals reports whether encoding/json cannot fail on a value of
// type t: no floats (NaN and infinities fail), no interfaces, channels,
// functions or complex numbers, no custom marshalers, maps keyed by strings
// or integers. Cycles through pointers are not considered.
func alwaysMarshals(t types.Type, seen map[types.Type]bool) bool {
	if seen[t] {
		return true
	}
	seen[t] = true
	if n, ok := types.Unalias(t).(*types.Named); ok {
		if obj := n.Obj(); obj.Pkg() != nil && obj.Pkg().Path() == "time" && obj.Name() == "Time" {
			return true
		}
		if hasMethod(t, "MarshalJSON") || hasMethod(t, "MarshalText") {
			return false
		}
	}
	switch u := t.Underlying().(type) {
	case *types.Basic:
		return u.Info()&(types.IsFloat|types.IsComplex) == 0 && u.Kind() != types.UnsafePointer && u.Kind() != types.Invalid
	case *types.Pointer:
		return alwaysMarshals(u.Elem(), seen)
	case *types.Slice:
		return alwaysMarshals(u.Elem(), seen)
	case *types.Array:
		return alwaysMarshals(u.Elem(), seen)
	case *types.Map:
		k, ok := u.Key().Underlying().(*types.Basic)
		return ok && k.Info()&(types.IsString|types.IsInteger) != 0 && !hasMethod(u.Key(), "MarshalText") && alwaysMarshals(u.Elem(), seen)
	case *types.Struct:
		for f := range u.Fields() {
			if f.Exported() || f.Embedded() {
				if !alwaysMarshals(f.Type(), seen) {
					return false
				}
			}
		}
		return true
	}
	return false
}

func hasMethod(t types.Type, name string) bool {
	obj, _, _ := types.LookupFieldOrMethod(t, true, nil, name)
	_, ok := obj.(*types.Func)
	return ok
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

func isBlank(e ast.Expr) bool {
	id, ok := ast.Unparen(e).(*ast.Ident)
	return ok && id.Name == "_"
}

func isPackage(info *types.Info, e ast.Expr) bool {
	id, ok := e.(*ast.Ident)
	if !ok {
		return false
	}
	_, ok = info.Uses[id].(*types.PkgName)
	return ok
}
