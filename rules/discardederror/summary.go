package discardederror

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"slices"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/failfast-dev/failfast/rules/flow"
	"github.com/failfast-dev/failfast/rules/provenance"
	"github.com/failfast-dev/failfast/rules/spec"
)

// neverFails is the fact that a function's error result only ever carries
// nil or the error of a call that never fails (Via is "nil" when it is
// always nil) (a wrapper such as
// `func kill(c *exec.Cmd) error { return syscall.Kill(-c.Process.Pid, syscall.SIGKILL) }`):
// dropping it loses what dropping the wrapped call loses, nothing.
//
// With Through, the function may also return the errors of calls of its
// function parameters at those indexes, and nothing else (an iteration
// helper, `func (m *set) Each(fn func(K) error) error`; functional options,
// `func New(opts ...Option) (*T, error)` that calls each one): a call of it
// never fails when each such argument is a callback that only returns nil,
// and a call that passes no options never fails through them.
//
// With Marshals, the function may also return the error of marshalling one
// of its parameters (`func PrintJSON(d any) error` whose only failure is
// `json.MarshalIndent(d, "", "  ")`'s): a call of it never fails when each
// such argument is a value that encoder cannot fail on.
type neverFails struct {
	Via      string
	Through  []int
	Marshals []marshalledParam
}

// A marshalledParam is a parameter (by index) that a function marshals
// with the named encoder (provenance.Marshalled), returning its error.
type marshalledParam struct {
	Param   int
	Encoder string
}

func (*neverFails) AFact() {}

func (f *neverFails) String() string {
	s := "neverFails(" + f.Via
	if len(f.Through) > 0 {
		s += fmt.Sprintf(", through %v", f.Through)
	}
	for _, m := range f.Marshals {
		s += fmt.Sprintf(", if %s marshals param %d", m.Encoder, m.Param)
	}
	return s + ")"
}

// failsWith is the fact that, with every error it returns, a function
// gives a value it built for the failure in the results at these indexes
// (`return new(APIResource), fmt.Errorf("no meta for %q", gvr)`): not the
// zero value a failure leaves, but an answer its author chose, so that a
// caller that drops the error uses the author's fallback.
type failsWith struct{ Results []int }

func (*failsWith) AFact() {}

func (f *failsWith) String() string { return fmt.Sprintf("failsWith%v", f.Results) }

// createsFile is the fact that a function may return, as its *os.File
// result, a file it created or opened for writing (`func file(name string,
// create bool) (*os.File, error)` that returns `os.Create(name)` on one
// path): its caller's file may hold written data, so the Close of it
// reports what never reached the disk, as for os.Create itself.
//
// When the creating return is in the branch of a bool parameter (`if
// create { return os.Create(name) }`), If is that parameter's position
// plus one, and a call that passes the constant false there only opens
// (`file(name, false)`); 0 means on any call.
type createsFile struct {
	If int
}

func (*createsFile) AFact() {}

func (f *createsFile) String() string {
	if f.If > 0 {
		return fmt.Sprintf("createsFile(if param %d)", f.If-1)
	}
	return "createsFile"
}

// exportSummaries exports neverFails for each function of the package
// whose every return gives nil or a never-failing call as its error. It
// repeats until no new fact appears, so that wrappers of wrappers count.
// It does the same for createsFile (helpers of helpers that return a file
// created for writing). Then it exports failsWith for the others that
// answer every failure with a value they built.
func (ch *checker) exportSummaries(pass *analysis.Pass) {
	if pass.ExportObjectFact == nil || pass.ImportObjectFact == nil {
		return // a driver that carries no facts: no summaries
	}
	for changed := true; changed; {
		changed = false
		for fn, body := range spec.FuncBodies(pass) {
			if ch.neverFailsFact(fn) != nil {
				continue
			}
			if via, through, marshalled := ch.onlyNeverFailingErrors(fn, body); via != "" {
				pass.ExportObjectFact(fn, &neverFails{Via: via, Through: through, Marshals: marshalled})
				changed = true
			}
		}
	}
	for changed := true; changed; {
		changed = false
		for fn, body := range spec.FuncBodies(pass) {
			if ch.createsFileFact(fn) {
				continue
			}
			if when := ch.returnsCreatedFile(fn, body); when >= 0 {
				pass.ExportObjectFact(fn, &createsFile{If: when})
				changed = true
			}
		}
	}
	// failsWith depends on no other fact: one pass, over the functions
	// that can fail.
	for fn, body := range spec.FuncBodies(pass) {
		if ch.neverFailsFact(fn) != nil {
			continue
		}
		if built := flow.FailureValues(ch.info, fn.Signature(), body); len(built) > 0 {
			pass.ExportObjectFact(fn, &failsWith{Results: built})
		}
	}
}

// onlyNeverFailingErrors returns the never-failing callee whose error the
// function fn returns, or "nil" when it returns only nil, when every return
// statement of body gives either nil or such a call as fn's error result
// (`func optional(name string) (*Option, error) { return &Option{Name: name}, nil }`);
// it returns "" otherwise. An error that comes from a call of one of fn's
// function parameters (`if err := fn(k); err != nil { return err }`,
// `return fn(k)`) is allowed too, and through lists those parameters; so
// is the error of marshalling a parameter that body never assigns
// (`j, err := json.MarshalIndent(d, "", "  "); if err != nil { return err }`),
// and marshalled lists those.
func (ch *checker) onlyNeverFailingErrors(fn *types.Func, body *ast.BlockStmt) (string, []int, []marshalledParam) {
	sig := fn.Signature()
	res := sig.Results()
	if res.Len() == 0 || !isError(res.At(res.Len()-1).Type()) {
		return "", nil, nil
	}
	var through []int
	var marshalled []marshalledParam
	options := rangedOptions(ch.info, sig, body)
	param := func(call *ast.CallExpr) bool {
		if encoder, v, ok := provenance.Marshalled(ch.info, call); ok {
			if i := ch.unsetParam(sig, body, v); i >= 0 {
				if m := (marshalledParam{Param: i, Encoder: encoder}); !slices.Contains(marshalled, m) {
					marshalled = append(marshalled, m)
				}
				return true
			}
		}
		id, ok := ast.Unparen(call.Fun).(*ast.Ident)
		if !ok {
			return false
		}
		if i, isOption := options[ch.info.Uses[id]]; isOption {
			if !slices.Contains(through, i) {
				through = append(through, i)
			}
			return true
		}
		for i := range sig.Params().Len() {
			if p := sig.Params().At(i); ch.info.Uses[id] == p {
				if _, isFunc := p.Type().Underlying().(*types.Signature); isFunc && !slices.Contains(through, i) {
					through = append(through, i)
				}
				return true
			}
		}
		return false
	}
	// A named error result that nothing in the body sets is nil wherever
	// it is returned (`func (s *Store) List() (out []T, err error)` that
	// only fills out).
	named := res.At(res.Len() - 1)
	unset := named.Name() != "" && named.Name() != "_" && !flow.SetsVar(ch.info, body, named)
	if named.Name() != "" && named.Name() != "_" && setInClosure(ch.info, body, named) {
		// A deferred function may set the error after any return
		// (`defer func() { if r := recover(); r != nil { err = ... } }()`).
		return "", nil, nil
	}
	// An error variable set only by calls whose error is always nil, or
	// that fail only as a parameter decides, is nil, or the parameter's.
	nilOrParam := func(call *ast.CallExpr) bool { return param(call) || provenance.ErrorNeverSet(ch.info, call) }
	dead := ch.deadErrorBranches(sig, body)
	via, ok := "", true
	ast.Inspect(body, func(n ast.Node) bool {
		if !ok {
			return false
		}
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.BlockStmt:
			return !dead[n]
		case *ast.ReturnStmt:
			if len(n.Results) == 0 && unset {
				return false // a bare return of the unset error: nil
			}
			if len(n.Results) == 1 && res.Len() > 1 {
				// return g(...): g's error is the function's.
				if call, isCall := ast.Unparen(n.Results[0]).(*ast.CallExpr); isCall && ch.callNeverFails(call) {
					via = types.ExprString(call.Fun)
					return false
				}
			}
			if len(n.Results) != res.Len() {
				ok = false // a bare return of named results, or a call's results spread
				return false
			}
			last := ast.Unparen(n.Results[len(n.Results)-1])
			if flow.IsNil(ch.info, last) {
				return false
			}
			if id, isIdent := last.(*ast.Ident); isIdent && unset && ch.info.Uses[id] == named {
				return false
			}
			if id, isIdent := last.(*ast.Ident); isIdent {
				if v, isVar := ch.info.Uses[id].(*types.Var); isVar && ch.onlyAssignedFrom(body, v, nilOrParam) {
					return false
				}
			}
			call, isCall := last.(*ast.CallExpr)
			if isCall && param(call) {
				return false
			}
			if !isCall || !ch.callNeverFails(call) {
				ok = false
				return false
			}
			via = types.ExprString(call.Fun)
			return false
		}
		return true
	})
	if !ok {
		return "", nil, nil
	}
	if via == "" {
		via = "nil"
	}
	return via, through, marshalled
}

// unsetParam returns the index of the parameter of sig that e (or `&e`)
// names, when body never assigns it and it is not the variadic one, or -1
// (flow.UnsetParam).
func (ch *checker) unsetParam(sig *types.Signature, body *ast.BlockStmt, e ast.Expr) int {
	e = ast.Unparen(e)
	if u, ok := e.(*ast.UnaryExpr); ok && u.Op == token.AND {
		e = u.X
	}
	i := flow.UnsetParam(ch.info, sig, body, e)
	if sig.Variadic() && i == sig.Params().Len()-1 {
		return -1 // a slice of the call's arguments
	}
	return i
}

// rangedOptions maps the value variable of each range over a variadic
// parameter of function values (`for _, opt := range opts`, the functional
// options of `New(opts ...Option) (*T, error)`) to the parameter's index: a
// call of that variable is a call of an argument the caller passed.
func rangedOptions(info *types.Info, sig *types.Signature, body *ast.BlockStmt) map[types.Object]int {
	n := sig.Params().Len()
	if !sig.Variadic() || n == 0 {
		return nil
	}
	last := sig.Params().At(n - 1)
	sl, ok := last.Type().(*types.Slice)
	if !ok {
		return nil
	}
	if _, isFunc := sl.Elem().Underlying().(*types.Signature); !isFunc {
		return nil
	}
	vars := map[types.Object]int{}
	ast.Inspect(body, func(nd ast.Node) bool {
		rs, ok := nd.(*ast.RangeStmt)
		if !ok || rs.Value == nil {
			return true
		}
		x, isIdent := ast.Unparen(rs.X).(*ast.Ident)
		v, isVar := ast.Unparen(rs.Value).(*ast.Ident)
		if isIdent && isVar && info.Uses[x] == last && info.Defs[v] != nil && !flow.SetsVar(info, rs.Body, info.Defs[v]) {
			vars[info.Defs[v]] = n - 1
		}
		return true
	})
	return vars
}

// onlyAssignedFrom reports whether the local variable v of body is only
// ever assigned, in body, the error result of a call that accept accepts:
// alone (`if err := fn(k); err != nil { return err }`) or as the last of a
// call's results (`b, err := json.Marshal(p)`), and never has its address
// taken. A declaration without a value (`var err error`) leaves it nil.
func (ch *checker) onlyAssignedFrom(body *ast.BlockStmt, v *types.Var, accept func(*ast.CallExpr) bool) bool {
	if v.Pos() < body.Pos() || v.Pos() >= body.End() {
		return false
	}
	return ch.assignedOnlyFrom(body, v, accept)
}

// assignedOnlyFrom is onlyAssignedFrom for a variable that starts nil,
// declared in body or a named result of body's function (a return sets
// it only as control leaves): whether body only ever assigns it an
// accepted call's error.
func (ch *checker) assignedOnlyFrom(body *ast.BlockStmt, v *types.Var, accept func(*ast.CallExpr) bool) bool {
	is := func(e ast.Expr) bool {
		id, ok := ast.Unparen(e).(*ast.Ident)
		return ok && ch.info.ObjectOf(id) == v
	}
	// from reports whether the i-th of lhs, assigned from rhs, is the
	// error result of an accepted call.
	from := func(lhs, rhs []ast.Expr, i int) bool {
		var call *ast.CallExpr
		switch {
		case len(lhs) == len(rhs):
			call, _ = ast.Unparen(rhs[i]).(*ast.CallExpr)
		case len(rhs) == 1 && i == len(lhs)-1:
			call, _ = ast.Unparen(rhs[0]).(*ast.CallExpr)
		}
		return call != nil && accept(call)
	}
	found, only := false, true
	ast.Inspect(body, func(n ast.Node) bool {
		if !only {
			return false
		}
		switch n := n.(type) {
		case *ast.AssignStmt:
			for i, l := range n.Lhs {
				if is(l) {
					found = true
					only = only && n.Tok != token.ADD_ASSIGN && from(n.Lhs, n.Rhs, i)
				}
			}
		case *ast.ValueSpec:
			for i, name := range n.Names {
				if ch.info.Defs[name] == v && len(n.Values) > 0 {
					found = true
					only = only && from(identExprs(n.Names), n.Values, i)
				}
			}
		case *ast.UnaryExpr:
			only = only && !(n.Op == token.AND && is(n.X))
		case *ast.RangeStmt:
			// A range over errors assigns whatever the slice holds.
			only = only && !((n.Key != nil && is(n.Key)) || (n.Value != nil && is(n.Value)))
		}
		return only
	})
	return found && only
}

// setInClosure reports whether a function literal in body sets v.
func setInClosure(info *types.Info, body *ast.BlockStmt, v *types.Var) bool {
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		if lit, ok := n.(*ast.FuncLit); ok && flow.SetsVar(info, lit.Body, v) {
			found = true
		}
		return !found
	})
	return found
}

func identExprs(ids []*ast.Ident) []ast.Expr {
	out := make([]ast.Expr, len(ids))
	for i, id := range ids {
		out[i] = id
	}
	return out
}

// deadErrorBranches returns the bodies of the ifs in body that test a
// local error variable, or a named error result, against nil (`if err != nil`) when every value the
// variable is ever assigned is the error of a never-failing call: that
// branch never runs, and its returns are not the function's failures
// (`b, err := json.Marshal(payload); if err != nil { return nil, fmt.Errorf(...) }`
// with a payload type that always marshals).
func (ch *checker) deadErrorBranches(sig *types.Signature, body *ast.BlockStmt) map[*ast.BlockStmt]bool {
	dead := map[*ast.BlockStmt]bool{}
	named := map[*types.Var]bool{} // named results: nil until the body sets them
	for i := range sig.Results().Len() {
		if r := sig.Results().At(i); r.Name() != "" && r.Name() != "_" {
			named[r] = true
		}
	}
	quiet := map[*types.Var]bool{} // each error variable judged once
	ast.Inspect(body, func(n ast.Node) bool {
		ifs, ok := n.(*ast.IfStmt)
		if !ok {
			return true
		}
		id, ok := flow.ErrNotNil(ch.info, ifs.Cond).(*ast.Ident)
		if !ok {
			return true
		}
		v, ok := ch.info.Uses[id].(*types.Var)
		if !ok {
			return true
		}
		q, judged := quiet[v]
		if !judged {
			if named[v] {
				q = ch.assignedOnlyFrom(body, v, ch.callNeverFails)
			} else {
				q = ch.onlyAssignedFrom(body, v, ch.callNeverFails)
			}
			quiet[v] = q
		}
		if q {
			dead[ifs.Body] = true
		}
		return true
	})
	return dead
}

// callNeverFails reports whether call is on the never-fail list, is
// json.Marshal of a value that always marshals, or calls a function with
// the neverFails fact. (cannotFail's other proofs, constants traced
// through every caller of a parameter, cost a walk of the package each:
// the summaries ask this of every call in every function.)
func (ch *checker) callNeverFails(call *ast.CallExpr) bool {
	names := provenance.CalleeNames(ch.info, call)
	if ch.lists.NeverFail.Has(names...) || provenance.ReadsCryptoRand(ch.info, call) || provenance.AlwaysMarshals(ch.info, call) {
		return true
	}
	fn, ok := typeutil.Callee(ch.info, call).(*types.Func)
	if !ok {
		return false
	}
	f := ch.neverFailsFact(fn)
	if f == nil {
		// A function of another package without the fact, a dependency's
		// seen through its export data, is read from its source.
		return fn.Pkg() != nil && fn.Pkg() != ch.pass.Pkg && provenance.NeverFailsInSource(ch.pass.Fset, fn.Origin())
	}
	sig := fn.Signature()
	for _, i := range f.Through {
		if sig.Variadic() && i == sig.Params().Len()-1 {
			// The variadic options: each one passed must be quiet, and
			// a call that passes none (`worker.New()`) cannot fail
			// through them; a spread slice (`New(opts...)`) is not in
			// view.
			if call.Ellipsis.IsValid() {
				return false
			}
			for _, a := range call.Args[min(i, len(call.Args)):] {
				if !ch.quietCallback(a) {
					return false
				}
			}
			continue
		}
		if i >= len(call.Args) || !ch.quietCallback(call.Args[i]) {
			return false
		}
	}
	for _, m := range f.Marshals {
		if m.Param >= len(call.Args) || !provenance.ValueMarshals(ch.info, m.Encoder, call.Args[m.Param]) {
			return false
		}
	}
	return true
}

// quietCallback reports whether the function value e never returns an
// error: a function literal whose every return gives nil as its last
// result, or a function whose own summary says it never fails.
func (ch *checker) quietCallback(e ast.Expr) bool {
	switch e := ast.Unparen(e).(type) {
	case *ast.FuncLit:
		quiet := true
		ast.Inspect(e.Body, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.FuncLit:
				return false
			case *ast.ReturnStmt:
				if len(n.Results) == 0 || !flow.IsNil(ch.info, n.Results[len(n.Results)-1]) {
					quiet = false
				}
			}
			return quiet
		})
		return quiet
	case *ast.Ident:
		fn, ok := ch.info.Uses[e].(*types.Func)
		return ok && ch.neverFails(fn)
	case *ast.SelectorExpr:
		fn, ok := ch.info.Uses[e.Sel].(*types.Func)
		return ok && ch.neverFails(fn)
	}
	return false
}

// neverFails reports whether fn has the neverFails fact without
// callbacks: its own package (analysed before this one, or earlier in this
// pass) proved that its error only ever carries a never-failing call's.
func (ch *checker) neverFails(fn *types.Func) bool {
	f := ch.neverFailsFact(fn)
	return f != nil && len(f.Through) == 0 && len(f.Marshals) == 0
}

// neverFailsFact returns fn's neverFails fact (that of its generic origin
// for an instance), or nil.
func (ch *checker) neverFailsFact(fn *types.Func) *neverFails {
	if ch.pass.ImportObjectFact == nil || fn.Pkg() == nil {
		return nil
	}
	f := new(neverFails)
	if !ch.pass.ImportObjectFact(fn.Origin(), f) {
		return nil
	}
	return f
}

// failsWithValue reports whether the function call calls gives, with its
// error, a value it built for the failure in result i (failsWith).
func (ch *checker) failsWithValue(call *ast.CallExpr, i int) bool {
	fn, ok := typeutil.Callee(ch.info, call).(*types.Func)
	if !ok || ch.pass.ImportObjectFact == nil || fn.Pkg() == nil {
		return false
	}
	f := new(failsWith)
	return ch.pass.ImportObjectFact(fn.Origin(), f) && slices.Contains(f.Results, i)
}

// createsFileFact reports whether fn has the createsFile fact.
func (ch *checker) createsFileFact(fn *types.Func) bool {
	return ch.createsFile(fn) != nil
}

// createsFile returns fn's createsFile fact, or nil.
func (ch *checker) createsFile(fn *types.Func) *createsFile {
	if ch.pass.ImportObjectFact == nil || fn.Pkg() == nil {
		return nil
	}
	f := new(createsFile)
	if !ch.pass.ImportObjectFact(fn.Origin(), f) {
		return nil
	}
	return f
}

// opensForWriting reports whether call creates or opens a file for
// writing: a call of os.Create and its kin, or of a function with the
// createsFile fact.
func (ch *checker) opensForWriting(call *ast.CallExpr) bool {
	if opensForWriting(ch.info, call) {
		return true
	}
	fn, ok := typeutil.Callee(ch.info, call).(*types.Func)
	if !ok {
		return false
	}
	f := ch.createsFile(fn)
	if f == nil {
		return false
	}
	if i := f.If - 1; i >= 0 && i < len(call.Args) {
		// file(name, false): the creating branch is not taken.
		if flow.IsFalse(ch.info, call.Args[i]) {
			return false
		}
	}
	return true
}

// returnsCreatedFile tells whether some return statement of body gives,
// as fn's *os.File result, a file opened for writing: the result of such
// a call (`return os.Create(name)`), or a variable assigned from one in
// body (`f, err := os.OpenFile(name, os.O_WRONLY, 0); ...; return f, nil`).
//
// It returns -1 when no return does, the position plus one of a bool
// parameter when every such return is in the branch of `if param`, and 0
// otherwise.
func (ch *checker) returnsCreatedFile(fn *types.Func, body *ast.BlockStmt) int {
	res := fn.Signature().Results()
	at := -1
	for i := range res.Len() {
		if provenance.TypeName(res.At(i).Type()) == "os.File" {
			at = i
		}
	}
	if at < 0 {
		return -1
	}
	created := map[types.Object]bool{}
	ast.Inspect(body, func(n ast.Node) bool {
		if _, ok := n.(*ast.FuncLit); ok {
			return false
		}
		if as, ok := n.(*ast.AssignStmt); ok && len(as.Rhs) == 1 {
			if call, ok := ast.Unparen(as.Rhs[0]).(*ast.CallExpr); ok && ch.opensForWriting(call) {
				if id, ok := ast.Unparen(as.Lhs[0]).(*ast.Ident); ok && ch.info.ObjectOf(id) != nil {
					created[ch.info.ObjectOf(id)] = true
				}
			}
		}
		return true
	})
	// when is the bool parameter (position+1) every creating return is
	// in the branch of, 0 when some is not, -1 before the first.
	when := -1
	params := map[types.Object]int{}
	for i := range fn.Signature().Params().Len() {
		if p := fn.Signature().Params().At(i); types.Identical(p.Type(), types.Typ[types.Bool]) {
			params[p] = i + 1
		}
	}
	ast.PreorderStack(body, nil, func(n ast.Node, stack []ast.Node) bool {
		if _, ok := n.(*ast.FuncLit); ok {
			return false
		}
		ret, ok := n.(*ast.ReturnStmt)
		if !ok {
			return true
		}
		creates := false
		switch {
		case len(ret.Results) == 1 && res.Len() > 1:
			call, ok := ast.Unparen(ret.Results[0]).(*ast.CallExpr)
			creates = ok && ch.opensForWriting(call)
		case len(ret.Results) == res.Len():
			e := ast.Unparen(ret.Results[at])
			if call, ok := e.(*ast.CallExpr); ok {
				creates = ch.opensForWriting(call)
			} else if id, ok := e.(*ast.Ident); ok {
				creates = created[ch.info.ObjectOf(id)]
			}
		}
		if !creates {
			return true
		}
		flag := 0
		for i := len(stack) - 1; i >= 0; i-- {
			ifs, ok := stack[i].(*ast.IfStmt)
			if !ok || i+1 >= len(stack) || stack[i+1] != ifs.Body {
				continue
			}
			if id, ok := ast.Unparen(ifs.Cond).(*ast.Ident); ok && params[ch.info.Uses[id]] > 0 {
				flag = params[ch.info.Uses[id]]
				break
			}
		}
		if when == -1 {
			when = flag
		} else if when != flag {
			when = 0
		}
		return true
	})
	return when
}
