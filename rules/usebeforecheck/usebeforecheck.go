package usebeforecheck

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"

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
	a := spec.NewAnalyzer(ID, summary, o, run)
	a.FactTypes = []analysis.Fact{new(usableOnError)}
	return a
}

func run(pass *analysis.Pass, r *spec.Reporter) {
	own := exportFacts(pass)
	for fc := range r.Files() {
		if f, ok := fc.Node().(*ast.File); !ok || (!r.Options().TestFiles && importsTesting(f)) {
			continue // a test helper: a panic there fails a test loudly
		}
		for c := range fc.Preorder((*ast.AssignStmt)(nil)) {
			if as, ok := c.Node().(*ast.AssignStmt); ok {
				check(pass, own, r, c, as)
			}
		}
	}
}

// partialOnError lists functions documented to return a usable (non-nil)
// result together with an error.
var partialOnError = map[string]bool{
	"go/build.Import": true, "go/build.ImportDir": true,
	"go/build.Context.Import": true, "go/build.Context.ImportDir": true,
	"go/parser.ParseFile": true, "go/parser.ParseDir": true, "go/parser.ParseExprFrom": true,
}

// usableOnError is the fact that a function gives a usable result together
// with a non-nil error: in every return statement of its body whose error
// is not a literal nil, the results at Results are not a literal nil
// either (getGlobalURL returns `u, err`). It is exported for every function
// of the package, so that callers in importing packages see it too.
type usableOnError struct {
	Results []int // result positions, the error not counted
}

func (*usableOnError) AFact() {}

func (f *usableOnError) String() string { return fmt.Sprintf("usableOnError%v", f.Results) }

// exportFacts records usableOnError for the package's functions that have
// such results, and returns them.
func exportFacts(pass *analysis.Pass) map[*types.Func][]int {
	return spec.ExportFuncFacts(pass, func(fn *types.Func, body *ast.BlockStmt) []int {
		return nonNilOnError(pass.TypesInfo, fn, body)
	}, func(results []int) analysis.Fact { return &usableOnError{Results: results} })
}

// nonNilOnError returns the positions of fn's results that may be nil
// but are given a value in every return statement of body whose error is
// not nil: neither a literal nil, nor a variable assigned together with an
// error (`return req, err` after `req, err := http.NewRequest(...)` passes
// on a nil), nor a variable declared without a value and never assigned
// one. When no return gives a non-nil error (and none is bare or returns a
// call's results), the error is always nil, and the positions are those
// that no return gives such a value.
func nonNilOnError(info *types.Info, fn *types.Func, body *ast.BlockStmt) []int {
	sig, ok := fn.Type().(*types.Signature)
	if !ok || sig.Results().Len() < 2 || !isError(sig.Results().At(sig.Results().Len()-1).Type()) {
		return nil
	}
	paired := map[types.Object]bool{}   // x of x, err := f()
	unset := map[types.Object]bool{}    // var x T
	assigned := map[types.Object]bool{} // x = v
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			if len(n.Rhs) == 1 && len(n.Lhs) >= 2 {
				if id, ok := ast.Unparen(n.Lhs[len(n.Lhs)-1]).(*ast.Ident); ok && isError(info.TypeOf(id)) {
					for _, l := range n.Lhs[:len(n.Lhs)-1] {
						if id, ok := ast.Unparen(l).(*ast.Ident); ok {
							paired[info.ObjectOf(id)] = true
						}
					}
				}
			}
			if len(n.Rhs) == len(n.Lhs) {
				for i, l := range n.Lhs {
					if id, ok := ast.Unparen(l).(*ast.Ident); ok && !flow.IsNil(info, n.Rhs[i]) {
						assigned[info.ObjectOf(id)] = true
					}
				}
			}
		case *ast.ValueSpec:
			if len(n.Values) == 0 {
				for _, id := range n.Names {
					unset[info.ObjectOf(id)] = true
				}
			}
		}
		return true
	})
	maybeNil := func(e ast.Expr) bool {
		if flow.IsNil(info, e) {
			return true
		}
		id, ok := ast.Unparen(e).(*ast.Ident)
		if !ok {
			return false
		}
		obj := info.Uses[id]
		return paired[obj] || unset[obj] && !assigned[obj]
	}
	seen := false
	unknown := false // a bare return, or return g(...): its error is not in view
	nilAt := map[int]bool{}
	nilWithNil := map[int]bool{} // nil beside a nil error
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.ReturnStmt:
			if len(n.Results) < 2 {
				unknown = true
				return false
			}
			if flow.IsNil(info, n.Results[len(n.Results)-1]) {
				for i, r := range n.Results[:len(n.Results)-1] {
					if maybeNil(r) {
						nilWithNil[i] = true
					}
				}
				return false
			}
			seen = true
			for i, r := range n.Results[:len(n.Results)-1] {
				if maybeNil(r) {
					nilAt[i] = true
				}
			}
		}
		return true
	})
	if !seen {
		if unknown {
			return nil
		}
		// No return gives a non-nil error: the error is always nil, and
		// a result that no return gives as nil is usable at once
		// (`mux = &Muxer{...}; return mux, nil`).
		nilAt = nilWithNil
	}
	var res []int
	for i := range sig.Results().Len() - 1 {
		if !nilAt[i] && nilable(sig.Results().At(i).Type()) {
			res = append(res, i)
		}
	}
	return res
}

// usableResults returns the result positions that call's callee, a
// function of this package or of one analysed before it, gives non-nil
// with its error.
func usableResults(pass *analysis.Pass, own map[*types.Func][]int, call *ast.CallExpr) map[int]bool {
	fn := provenance.CalleeFunc(pass.TypesInfo, call)
	if fn == nil {
		return nil
	}
	results, ok := own[fn]
	if !ok && fn.Pkg() != pass.Pkg && pass.ImportObjectFact != nil {
		var fact usableOnError
		if pass.ImportObjectFact(fn, &fact) {
			results = fact.Results
		}
	}
	res := map[int]bool{}
	for _, i := range results {
		res[i] = true
	}
	return res
}

// calleeName names the function call calls as "pkgpath.Func" or
// "pkgpath.Type.Method", or "".
func calleeName(info *types.Info, call *ast.CallExpr) string {
	id := provenance.CalleeIdent(call)
	if id == nil {
		return ""
	}
	fn, ok := info.Uses[id].(*types.Func)
	if !ok || fn.Pkg() == nil {
		return ""
	}
	if sig, ok := fn.Type().(*types.Signature); ok && sig.Recv() != nil {
		if n := provenance.TypeName(sig.Recv().Type()); n != "" {
			return n + "." + fn.Name()
		}
		return ""
	}
	return fn.Pkg().Path() + "." + fn.Name()
}

// importsTesting reports whether f imports "testing": outside _test.go
// files that marks a test helper.
func importsTesting(f *ast.File) bool {
	for _, imp := range f.Imports {
		if imp.Path.Value == `"testing"` {
			return true
		}
	}
	return false
}

// nilSafe lists types whose pointer-receiver methods check for a nil
// receiver themselves: calling them (or deferring the call) on the nil
// result of a failed call returns an error instead of panicking.
var nilSafe = map[string]bool{
	"os.File": true,
}

// check looks at `x, err := f()` and the statements after it in the same
// block, up to the first mention of err.
func check(pass *analysis.Pass, own map[*types.Func][]int, r *spec.Reporter, c inspector.Cursor, as *ast.AssignStmt) {
	info := pass.TypesInfo
	if len(as.Rhs) != 1 || len(as.Lhs) < 2 {
		return
	}
	call, ok := ast.Unparen(as.Rhs[0]).(*ast.CallExpr)
	if !ok {
		return
	}
	errID, ok := ast.Unparen(as.Lhs[len(as.Lhs)-1]).(*ast.Ident)
	if !ok || errID.Name == "_" {
		return
	}
	errObj := info.ObjectOf(errID)
	if errObj == nil || !isError(errObj.Type()) {
		return // not an error, or too little type information to tell
	}
	cands := map[types.Object]*ast.Ident{}
	candIndex := map[types.Object]int{}
	for i, lhs := range as.Lhs[:len(as.Lhs)-1] {
		id, ok := ast.Unparen(lhs).(*ast.Ident)
		if !ok || id.Name == "_" {
			continue
		}
		if obj := info.ObjectOf(id); obj != nil && nilable(obj.Type()) {
			cands[obj] = id
			candIndex[obj] = i
		}
	}
	if len(cands) == 0 {
		return
	}
	if partialOnError[calleeName(info, call)] {
		return
	}
	nonNil := usableResults(pass, own, call)
	for obj, i := range candIndex {
		if nonNil[i] {
			delete(cands, obj)
		}
	}
	if len(cands) == 0 {
		return
	}
	rest := following(c, as)
	if rest == nil {
		return
	}
	s := &scan{info: info, lists: r.Options().Lists, errObj: errObj, cands: cands}
	for _, stmt := range rest {
		s.walk(stmt)
		if s.use != nil || s.stopped {
			break
		}
	}
	if s.use == nil {
		return
	}
	if s.checkPos == token.NoPos {
		// err is never looked at before the end of the block: look for a
		// mention further on to point at.
		for _, stmt := range rest {
			ast.Inspect(stmt, func(n ast.Node) bool {
				if id, ok := n.(*ast.Ident); ok && s.checkPos == token.NoPos && id.Pos() > s.use.Pos() && info.Uses[id] == errObj {
					s.checkPos, s.checkEnd = id.Pos(), id.End()
				}
				return s.checkPos == token.NoPos
			})
		}
	}
	x := s.useVar.Name
	use := types.ExprString(s.use)
	if s.deferred {
		use = "the deferred " + use
	}
	d := analysis.Diagnostic{
		Pos: s.use.Pos(), End: s.use.End(),
		Message: fmt.Sprintf("%s uses %s before %s is checked; if %s fails, %s is nil and this panics, hiding the error",
			use, x, errID.Name, types.ExprString(call.Fun), x),
	}
	related := errID.Name + " is checked here, after the use"
	if s.kind != nil {
		d.Message = fmt.Sprintf("%s uses %s where %s may hold a failure other than the one %s tests for; if %s fails with another error, %s is nil and this panics, hiding the error",
			use, x, errID.Name, types.ExprString(s.kind), types.ExprString(call.Fun), x)
		related = "only this kind of failure is checked"
	}
	if s.checkPos != token.NoPos {
		d.Related = []analysis.RelatedInformation{{Pos: s.checkPos, End: s.checkEnd, Message: related}}
	}
	r.Report(d)
}

// following returns the statements after as in its block, or nil when as
// is not a statement of a block (an if or switch initialiser).
func following(c inspector.Cursor, as *ast.AssignStmt) []ast.Stmt {
	list, i := flow.StmtList(c)
	if i < 0 || list[i] != ast.Stmt(as) {
		return nil
	}
	return list[i+1:]
}

// scan walks statements in evaluation order looking for the first
// dereference of a candidate before the first mention of err.
type scan struct {
	info    *types.Info
	lists   *provenance.Lists
	errObj  types.Object
	cands   map[types.Object]*ast.Ident
	stopped bool // err was mentioned or overwritten

	// kind is a test of err for one kind of failure that the scan went
	// past (os.IsNotExist(err)): where it is false, err may still hold
	// another failure.
	kind ast.Expr

	checkPos, checkEnd token.Pos

	use      ast.Expr
	useVar   *ast.Ident
	deferred bool
	inDefer  bool
}

func (s *scan) done() bool { return s.stopped || s.use != nil }

// cand returns the candidate e names, or nil.
func (s *scan) cand(e ast.Expr) *ast.Ident {
	id, ok := ast.Unparen(e).(*ast.Ident)
	if !ok {
		return nil
	}
	obj := s.info.Uses[id]
	if obj == nil {
		return nil
	}
	if _, ok := s.cands[obj]; !ok {
		return nil
	}
	return id
}

func (s *scan) found(n ast.Expr, id *ast.Ident) {
	s.use, s.useVar, s.deferred = n, id, s.inDefer
}

func (s *scan) walk(n ast.Node) {
	if n == nil || s.done() {
		return
	}
	ast.Inspect(n, func(n ast.Node) bool {
		if s.done() {
			return false
		}
		switch n := n.(type) {
		case *ast.FuncLit:
			return false // runs later, if at all; deferred closures are walked by DeferStmt
		case *ast.DeferStmt:
			if lit, ok := ast.Unparen(n.Call.Fun).(*ast.FuncLit); ok {
				// The closure runs when the function returns, also on the
				// error path that returns early.
				saved := s.inDefer
				s.inDefer = true
				s.walk(lit.Body)
				s.inDefer = saved
				for _, a := range n.Call.Args {
					s.walk(a)
				}
				return false
			}
			saved := s.inDefer
			s.inDefer = true
			s.walk(n.Call)
			s.inDefer = saved
			return false
		case *ast.IfStmt:
			if n.Init != nil || !isKindTest(s.info, n.Cond, s.errObj) {
				return true
			}
			// if os.IsNotExist(err) { ... } else { ... }: the else, and
			// what follows a then-branch that leaves, run when err is nil
			// or holds any other failure, with the results still nil.
			leaves := flow.Terminates(s.info, s.lists, n.Body.List)
			if n.Else == nil && !leaves {
				return true // the then-branch falls through: a mention of err, as before
			}
			s.kind = n.Cond
			s.checkPos, s.checkEnd = n.Cond.Pos(), n.Cond.End()
			s.walk(n.Else)
			if !leaves && !s.done() {
				s.stopped = true // after the if, err may be the kind the then-branch handled
			}
			return false
		case *ast.AssignStmt:
			for _, e := range n.Rhs {
				s.walk(e)
			}
			for _, e := range n.Lhs {
				if s.done() {
					return false
				}
				s.assignTo(e)
			}
			return false
		case *ast.BinaryExpr:
			if (n.Op == token.EQL || n.Op == token.NEQ) && (flow.IsNil(s.info, n.X) && s.cand(n.Y) != nil || flow.IsNil(s.info, n.Y) && s.cand(n.X) != nil) {
				// The code checks the result itself.
				id := s.cand(n.X)
				if id == nil {
					id = s.cand(n.Y)
				}
				delete(s.cands, s.info.Uses[id])
				return false
			}
		case *ast.Ident:
			if s.info.Uses[n] == s.errObj {
				s.stopped = true
				s.checkPos, s.checkEnd = n.Pos(), n.End()
			}
			return false
		case *ast.SelectorExpr:
			if id := s.cand(n.X); id != nil {
				if s.derefs(n, id) {
					s.found(n, id)
				}
				return false
			}
		case *ast.StarExpr:
			if id := s.cand(n.X); id != nil {
				s.found(n, id)
				return false
			}
		case *ast.IndexExpr:
			if id := s.cand(n.X); id != nil {
				if _, isSlice := under(s.info.TypeOf(id)).(*types.Slice); isSlice {
					s.found(n, id)
					return false
				}
			}
		case *ast.CallExpr:
			if id := s.cand(n.Fun); id != nil {
				s.found(n, id)
				return false
			}
			if fn, ok := ast.Unparen(n.Fun).(*ast.Ident); ok && (fn.Name == "len" || fn.Name == "cap") && len(n.Args) == 1 {
				if id := s.cand(n.Args[0]); id != nil {
					// The code checks the result's length itself.
					delete(s.cands, s.info.Uses[id])
					return false
				}
			}
		case *ast.RangeStmt:
			if id := s.cand(n.X); id != nil {
				// Ranging bounds every index by the length: a nil slice
				// or map is simply empty.
				delete(s.cands, s.info.Uses[id])
				s.walk(n.Body)
				return false
			}
		case *ast.UnaryExpr:
			if id := s.cand(n.X); id != nil && n.Op == token.ARROW {
				return false // a receive from a nil channel blocks; not a dereference
			}
		}
		return true
	})
}

// assignTo handles an assignment's left-hand side: writing through a
// candidate dereferences it; assigning a candidate or err replaces it.
func (s *scan) assignTo(e ast.Expr) {
	switch e := ast.Unparen(e).(type) {
	case *ast.Ident:
		obj := s.info.ObjectOf(e)
		if obj == s.errObj {
			s.stopped = true // overwritten before any check: another rule's business
			return
		}
		delete(s.cands, obj)
	case *ast.IndexExpr:
		if id := s.cand(e.X); id != nil {
			switch under(s.info.TypeOf(id)).(type) {
			case *types.Map, *types.Slice:
				s.found(e, id) // writing to a nil map or slice panics
				return
			}
		}
		s.walk(e)
	default:
		s.walk(e)
	}
}

// derefs reports whether the selector x.Sel on candidate x panics when x is
// nil: a field through a pointer, a method of an interface, a method with a
// value receiver, or a pointer method of a type not known to be nil-safe.
func (s *scan) derefs(sel *ast.SelectorExpr, x *ast.Ident) bool {
	selection, ok := s.info.Selections[sel]
	if !ok {
		return false
	}
	switch selection.Kind() {
	case types.FieldVal:
		return true
	case types.MethodVal:
		if types.IsInterface(selection.Recv()) {
			return true
		}
		fn, ok := selection.Obj().(*types.Func)
		if !ok {
			return false
		}
		sig, ok := fn.Type().(*types.Signature)
		if !ok || sig.Recv() == nil {
			return false
		}
		if _, ptrRecv := types.Unalias(sig.Recv().Type()).(*types.Pointer); !ptrRecv {
			return true
		}
		if len(selection.Index()) > 1 {
			return true // promoted through an embedded field
		}
		return !nilSafe[provenance.TypeName(sig.Recv().Type())]
	}
	return false
}

func nilable(t types.Type) bool {
	if t == nil {
		return false
	}
	if _, ok := types.Unalias(t).(*types.TypeParam); ok {
		return false
	}
	switch t.Underlying().(type) {
	case *types.Pointer, *types.Interface, *types.Map, *types.Slice:
		return true
	}
	// Function results (release, cancel, cleanup) are by convention
	// returned non-nil even on error, so that the caller can always call
	// them (promql's AcquireQuerySlot says so).
	return false
}

func under(t types.Type) types.Type {
	if t == nil {
		return nil
	}
	return t.Underlying()
}

var errorType = types.Universe.Lookup("error").Type()

func isError(t types.Type) bool { return t != nil && types.Identical(t, errorType) }

// isKindTest reports whether cond is true only for one kind of failure
// held in err: os.IsNotExist(err), os.IsExist(err), os.IsPermission(err),
// os.IsTimeout(err), errors.Is(err, target) or errors.As(err, &target).
// Each is false both when err is nil and when it holds another failure.
func isKindTest(info *types.Info, cond ast.Expr, errObj types.Object) bool {
	call, ok := ast.Unparen(cond).(*ast.CallExpr)
	if !ok || len(call.Args) == 0 {
		return false
	}
	id, ok := ast.Unparen(call.Args[0]).(*ast.Ident)
	if !ok || info.Uses[id] != errObj {
		return false
	}
	switch calleeName(info, call) {
	case "os.IsNotExist", "os.IsExist", "os.IsPermission", "os.IsTimeout":
		return len(call.Args) == 1
	case "errors.Is":
		return len(call.Args) == 2 && !flow.IsNil(info, call.Args[1])
	case "errors.As":
		return len(call.Args) == 2
	}
	return false
}
