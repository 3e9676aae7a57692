package discardederror

import (
	"fmt"
	"go/ast"
	"go/constant"
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
	return &analysis.Analyzer{
		Name:     spec.AnalyzerName(ID),
		Doc:      summary,
		URL:      spec.DocURL(ID),
		Requires: spec.Requires,
		Run: func(pass *analysis.Pass) (any, error) {
			r, err := spec.NewReporter(pass, ID, o)
			if err != nil {
				return nil, err
			}
			run(pass, r)
			return nil, nil
		},
	}
}

// checker holds what every check needs.
type checker struct {
	info  *types.Info
	r     *spec.Reporter
	lists *provenance.Lists
}

func run(pass *analysis.Pass, r *spec.Reporter) {
	lists := r.Options().Lists
	if lists == nil {
		lists = provenance.Default()
	}
	ch := &checker{info: pass.TypesInfo, r: r, lists: lists}
	for fc := range r.Files() {
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
	if !ch.lists.MustCheck.Has(names...) {
		if ch.lists.NeverFail.Has(names...) {
			return
		}
		if ch.bestEffort(c, call, names, keyword) {
			return
		}
	}
	callee := types.ExprString(call.Fun)
	how := "is dropped"
	if keyword != "" {
		how = "is dropped by the " + keyword + " statement"
	}
	ch.r.Reportf(call, "error from %s %s; %s", callee, how, ch.consequence(c, call, names))
}

// bestEffort reports whether the dropped error of call is one that nothing
// depends on: a Close of something only read, a write to a best-effort or
// never-failing destination, or cleanup on a path that already returns an
// error.
func (ch *checker) bestEffort(c inspector.Cursor, call *ast.CallExpr, names []string, keyword string) bool {
	if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok && !isPackage(ch.info, sel.X) {
		switch sel.Sel.Name {
		case "Close":
			// Closing what was only read loses nothing; a Close of a
			// written file or encoder may be the only report that the
			// data never arrived.
			if !ch.written(c, sel.X) {
				return true
			}
			if keyword == "defer" && ch.closedOrSyncedChecked(c, sel.X) {
				return true // the deferred Close is the safety net of a checked one
			}
		case "Write", "WriteString", "WriteByte", "WriteRune", "ReadFrom":
			if ch.quietDestination(sel.X) {
				return true
			}
		}
	}
	if dst := destination(names, call); dst != nil && ch.quietDestination(dst) {
		return true
	}
	if keyword == "" && ch.cleanupBeforeError(c) {
		return true
	}
	return false
}

// destination returns the writer argument of a call that writes to one
// (fmt.Fprint*, io.WriteString, io.Copy and friends, json.NewEncoder(w).Encode),
// or nil.
func destination(names []string, call *ast.CallExpr) ast.Expr {
	for _, n := range names {
		switch n {
		case "fmt.Fprint", "fmt.Fprintf", "fmt.Fprintln", "io.WriteString", "io.Copy", "io.CopyN", "io.CopyBuffer":
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
	n := typeName(t)
	return n != "" && ch.lists.NeverFail.Has(n+".Write")
}

// written reports whether x, the receiver of a Close, was written: a
// writer or encoder type, a file created or opened for writing, or a value
// the enclosing function writes to.
func (ch *checker) written(c inspector.Cursor, x ast.Expr) bool {
	t := ch.info.TypeOf(x)
	if t == nil {
		return false
	}
	name := typeName(t)
	short := name[strings.LastIndexByte(name, '.')+1:]
	if strings.HasSuffix(short, "Writer") || strings.HasSuffix(short, "Encoder") || strings.HasSuffix(short, "WriteCloser") {
		return true
	}
	if name != "os.File" {
		// Network connections, listeners, response bodies, database
		// handles, readers: their Close releases a resource and loses no
		// data the program still holds.
		return false
	}
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
		case *ast.AssignStmt:
			if len(n.Rhs) == 1 {
				if call, ok := ast.Unparen(n.Rhs[0]).(*ast.CallExpr); ok && len(n.Lhs) > 0 && types.ExprString(n.Lhs[0]) == key {
					found = opensForWriting(ch.info, call)
				}
			}
		case *ast.CallExpr:
			found = ch.writesTo(n, key)
		}
		return !found
	})
	return found
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

// writesTo reports whether call writes to the value spelled key: a Write
// method on it, or passing it where an io.Writer is expected.
func (ch *checker) writesTo(call *ast.CallExpr, key string) bool {
	if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok && types.ExprString(sel.X) == key {
		switch sel.Sel.Name {
		case "Write", "WriteString", "WriteAt", "ReadFrom", "Truncate":
			return true
		}
	}
	sig, ok := typeUnder(ch.info.TypeOf(call.Fun)).(*types.Signature)
	if !ok {
		return false
	}
	for i, arg := range call.Args {
		if types.ExprString(arg) != key || i >= sig.Params().Len() {
			continue
		}
		if isWriterParam(sig.Params().At(i).Type()) {
			return true
		}
	}
	return false
}

// isWriterParam reports whether a parameter of type t receives a writer: an
// interface with a Write method (io.Writer, io.WriteCloser, ...).
func isWriterParam(t types.Type) bool {
	it, ok := t.Underlying().(*types.Interface)
	if !ok {
		return false
	}
	for m := range it.Methods() {
		if m.Name() == "Write" {
			return true
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
		case *ast.ExprStmt, *ast.DeferStmt, *ast.GoStmt:
			return false // results dropped here
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
		if ch.usedAfter(c, as, lhs) {
			used = lhs
			break
		}
	}
	if used == nil {
		return // an explicit discard of every result
	}
	names := provenance.CalleeNames(ch.info, call)
	if !ch.lists.MustCheck.Has(names...) {
		if ch.lists.NeverFail.Has(names...) || ch.cannotFail(call, names) {
			return
		}
	}
	v := types.ExprString(used)
	ch.r.Report(analysis.Diagnostic{
		Pos: call.Pos(), End: call.End(),
		Message: fmt.Sprintf("error from %s is discarded with _; if it fails, %s is %s and is used as if the call had succeeded",
			types.ExprString(call.Fun), v, zeroValue(ch.info.TypeOf(used))),
	})
}

// usedAfter reports whether lhs, assigned by as, is read after it. Fields,
// index expressions and package variables count as used.
func (ch *checker) usedAfter(c inspector.Cursor, as *ast.AssignStmt, lhs ast.Expr) bool {
	id, ok := ast.Unparen(lhs).(*ast.Ident)
	if !ok {
		return true
	}
	obj := ch.info.ObjectOf(id)
	if obj == nil {
		return true
	}
	v, ok := obj.(*types.Var)
	if !ok {
		return false
	}
	if v.Pkg() != nil && v.Parent() == v.Pkg().Scope() {
		return true
	}
	_, _, body, ok := flow.EnclosingFunc(c)
	if !ok || body == nil {
		return true
	}
	used := false
	ast.Inspect(body, func(n ast.Node) bool {
		if used {
			return false
		}
		if u, ok := n.(*ast.Ident); ok && u.Pos() > as.End() && ch.info.Uses[u] == obj {
			used = true
		}
		return true
	})
	return used
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
		case "encoding/json.Marshal", "encoding/json.MarshalIndent":
			if len(call.Args) > 0 {
				if t := ch.info.TypeOf(call.Args[0]); t != nil && alwaysMarshals(t, map[types.Type]bool{}) {
					return true
				}
			}
		}
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

// typeName names a (pointer to a) named type as "pkgpath.Type", or "".
func typeName(t types.Type) string {
	if p, ok := types.Unalias(t).(*types.Pointer); ok {
		t = p.Elem()
	}
	n, ok := types.Unalias(t).(*types.Named)
	if !ok || n.Obj().Pkg() == nil {
		return ""
	}
	return n.Obj().Pkg().Path() + "." + n.Obj().Name()
}
