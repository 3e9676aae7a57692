package nilnilreturn

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"regexp"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/failfast-dev/failfast/rules/flow"
	"github.com/failfast-dev/failfast/rules/spec"
)

// Analyzer is the rule's analyzer with the default options.
var Analyzer = New(spec.DefaultOptions())

// New returns the rule's analyzer for the given options.
func New(o *spec.Options) *analysis.Analyzer {
	a := spec.NewAnalyzer(ID, summary, o, run, nolint...)
	a.FactTypes = []analysis.Fact{new(nilChecked), new(nilNilExit), new(nilNilCalls), new(nilErrorPath)}
	return a
}

// nilChecked is the fact that a function compares the parameters at Params
// with nil: a caller that passes it a nil result hands it to code that
// tests for nil (a list helper's `if entry == nil { return nil }`); -1
// stands for a method's receiver (`func (d *Diff) Empty() bool { return d
// == nil || ... }`: a caller that calls it on a nil result has it tested).
// It is exported for every function of the package that has such
// parameters, so that callers in importing packages see it too.
type nilChecked struct {
	Params []int // parameter positions, the receiver not counted; -1 is the receiver
}

func (*nilChecked) AFact() {}

func (f *nilChecked) String() string { return fmt.Sprintf("nilChecked%v", f.Params) }

// exportFacts records nilChecked for the package's functions and returns
// them.
func exportFacts(pass *analysis.Pass) map[*types.Func][]int {
	return spec.ExportFuncFacts(pass, func(fn *types.Func, body *ast.BlockStmt) []int {
		return nilCheckedParams(pass.TypesInfo, fn, body)
	}, func(params []int) analysis.Fact { return &nilChecked{Params: params} })
}

// nilCheckedParams returns the positions of fn's parameters that body
// compares with nil (p == nil, p != nil), with -1 first for a pointer
// receiver that it compares so.
func nilCheckedParams(info *types.Info, fn *types.Func, body *ast.BlockStmt) []int {
	sig, ok := fn.Type().(*types.Signature)
	if !ok {
		return nil
	}
	pos := map[*types.Var]int{}
	n := sig.Params().Len()
	if sig.Variadic() {
		n-- // the variadic parameter is a slice of the arguments
	}
	for i := range n {
		pos[sig.Params().At(i)] = i
	}
	if r := sig.Recv(); r != nil {
		if _, isPtr := r.Type().Underlying().(*types.Pointer); isPtr {
			pos[r] = -1
		}
	}
	seen := map[int]bool{}
	ast.Inspect(body, func(n ast.Node) bool {
		be, ok := n.(*ast.BinaryExpr)
		if !ok || (be.Op != token.EQL && be.Op != token.NEQ) {
			return true
		}
		if id, ok := flow.NilCompared(info, be, be.Op).(*ast.Ident); ok {
			if v, ok := info.Uses[id].(*types.Var); ok {
				if i, ok := pos[v]; ok {
					seen[i] = true
				}
			}
		}
		return true
	})
	var out []int
	for i := -1; i < sig.Params().Len(); i++ {
		if seen[i] {
			out = append(out, i)
		}
	}
	return out
}

// checksRecv reports whether the method that the selector sel names (a
// method value of a pointer receiver, called or not) compares its receiver
// with nil: a nil result whose method it is has it tested there.
func (cs *callSites) checksRecv(sel *ast.SelectorExpr) bool {
	s, ok := cs.pass.TypesInfo.Selections[sel]
	if !ok || s.Kind() != types.MethodVal {
		return false
	}
	fn, ok := s.Obj().(*types.Func)
	if !ok {
		return false
	}
	return slices.Contains(cs.checkedParams(fn.Origin()), -1)
}

// checksParam reports whether the function call calls compares its
// parameter i, given a value of type arg, with nil: a function of this
// package, or of one it imports through the fact that package exports. A
// nil pointer handed to an interface parameter is a non-nil interface, which
// the callee's test does not see.
func (cs *callSites) checksParam(call *ast.CallExpr, i int, arg types.Type) bool {
	fn, ok := typeutil.Callee(cs.pass.TypesInfo, call).(*types.Func)
	if !ok {
		return false
	}
	sig, ok := fn.Type().(*types.Signature)
	if !ok || i >= sig.Params().Len() {
		return false
	}
	if p := sig.Params().At(i).Type(); types.IsInterface(p) && !types.IsInterface(arg) {
		return false
	}
	return i >= 0 && slices.Contains(cs.checkedParams(fn.Origin()), i)
}

// checkedParams returns the positions of fn's parameters (-1 its receiver)
// that fn compares with nil: of this package, or of one it imports
// through the fact that package exports.
func (cs *callSites) checkedParams(fn *types.Func) []int {
	params, ok := cs.nilChecked[fn]
	if !ok && fn.Pkg() != cs.pass.Pkg && cs.pass.ImportObjectFact != nil {
		var fact nilChecked
		if cs.pass.ImportObjectFact(fn, &fact) {
			params = fact.Params
		}
		cs.nilChecked[fn] = params
	}
	return params
}

func run(pass *analysis.Pass, r *spec.Reporter) {
	info := pass.TypesInfo
	contracts := map[*types.Func]bool{}
	sites := &callSites{pass: pass, cache: map[*ast.FuncDecl]usage{}, nilChecked: exportFacts(pass)}
	workspace := &workspaceFacts{pass: pass, exits: map[*types.Func][]string{}}
	defer workspace.export()
	workspace.callers(sites)
	nilErrors := exportNilErrorPaths(pass)
	for file := range r.Files() {
		for c := range file.Preorder((*ast.ReturnStmt)(nil)) {
			ret, ok := c.Node().(*ast.ReturnStmt)
			if !ok || len(ret.Results) != 2 || !flow.IsNil(info, ret.Results[0]) {
				continue
			}
			// return nil, describe(body): nil, nil whenever describe
			// gives nil, which it does on a path of its own.
			var errCall *ast.CallExpr
			nilAt := ""
			if call, isCall := ast.Unparen(ret.Results[1]).(*ast.CallExpr); isCall {
				errCall, nilAt = call, mayGiveNilError(pass, nilErrors, call)
			}
			if !flow.IsNil(info, ret.Results[1]) && nilAt == "" {
				continue
			}
			if inErrorBranch(info, c) {
				continue // swallowed-error reports a nil error returned from an error branch
			}
			fn, ft, _, ok := flow.EnclosingFunc(c)
			if !ok || ft.Results == nil {
				continue
			}
			// A function literal's signature is dictated by whoever
			// calls it (http.Transport.Proxy, a walk callback), and so
			// is its nil, nil.
			decl, ok := fn.(*ast.FuncDecl)
			if !ok {
				continue
			}
			results := resultTypes(ft.Results)
			if len(results) != 2 || !isErrorType(info, results[1]) {
				continue
			}
			consequence, ok := nilable(info, results[0])
			if !ok {
				continue
			}
			if implementsForeign(pass, decl, contracts) {
				continue
			}
			// A body that is nothing but this return is a deliberate
			// no-op implementation (an export-only AEAD, a key
			// agreement without a server message).
			if len(decl.Body.List) == 1 {
				continue
			}
			if askedFor(info, c, decl) {
				continue
			}
			callers := sites.of(decl)
			// A map whose nil, nil replaces an error the function
			// tested loses the difference between "missing" and
			// "empty", whatever its callers do with it.
			hidesError := isMap(info, results[0]) && answersError(info, c)
			if len(callers.unchecked) == 0 && !hidesError && (documented(decl) || callers.asValue || callers.known(decl)) {
				// The doc comment states the contract and no
				// caller in view breaks it; or the function is
				// handed on as a value, so that the function
				// type's contract holds, as for a literal; or
				// every caller in view tests the result for nil
				// or drops it: all the callers there can be of an
				// unexported function, and callers that test an
				// exported one show that its contract is known.
				continue
			}
			if isMap(info, results[0]) && len(callers.unchecked) == 0 && !hidesError {
				// A nil map reads as empty: nil, nil is the empty
				// answer, and no caller in view stores into it.
				continue
			}
			d := analysis.Diagnostic{
				Pos: ret.Pos(), End: ret.End(),
				Message: fmt.Sprintf("return nil, nil tells the caller \"no error\" but gives no %s; a caller that %s far from here",
					types.ExprString(results[0]), consequence),
			}
			if errCall != nil {
				d.Message = fmt.Sprintf("return nil, %s is nil, nil when %s returns nil (%s): the caller gets no %s and no error; a caller that %s far from here",
					types.ExprString(errCall), types.ExprString(errCall.Fun), nilAt, types.ExprString(results[0]), consequence)
			}
			if len(callers.unchecked) == 0 && !hidesError && len(callers.exits) > 0 {
				// Its callers are elsewhere: the workspace settles it.
				workspace.leaves([]string{spec.PlaceOf(pass.Fset, ret.Pos(), ret.End(), "").Key()}, callers)
			}
			for _, u := range callers.unchecked {
				d.Related = append(d.Related, analysis.RelatedInformation{
					Pos: u.Pos(), End: u.End(),
					Message: fmt.Sprintf("%s is used here without a nil check", types.ExprString(u)),
				})
			}
			r.Report(d)
		}
	}
}

// usage is how the callers in the package treat a function's first result.
type usage struct {
	checked   int        // call sites whose result is compared with nil
	unchecked []ast.Expr // dereferences of results that are never compared with nil
	escaped   int        // call sites that hand the result on unexamined
	ignored   int        // call sites that drop the result or only compare it with other values
	asValue   bool       // the function is referenced as a value, not only called
	calls     int        // call sites, however their result is used
	// exits are the exported functions of the package through which the
	// result leaves for callers in other packages, not in view here: the
	// function itself, or one that returns its result (`return q.get()`).
	exits []*types.Func
}

// allCheck reports whether every use of the function in the package is a
// call whose first result is compared with nil, dropped, or handed on
// unexamined (stored, sent, passed to a function that does not test it):
// for an unexported function, that is every caller there is, and none of
// them uses the nil. A result handed on is used, if at all, elsewhere,
// where unchecked-nil-result judges the use.
func (u usage) allCheck() bool {
	return !u.asValue && u.calls > 0 && len(u.unchecked) == 0 && u.checked+u.ignored+u.escaped >= u.calls
}

// known reports whether the callers in view show that decl's nil, nil is
// expected: every use is a call that tests the result for nil or drops it;
// for an unexported function those are all its callers, and for an exported
// one at least one of them tests it (callers that only drop the result show
// nothing).
func (u usage) known(decl *ast.FuncDecl) bool {
	return u.allCheck() && (!decl.Name.IsExported() || u.checked > 0)
}

// callSites finds the callers of functions declared in the package.
type callSites struct {
	pass       *analysis.Pass
	cache      map[*ast.FuncDecl]usage
	nilChecked map[*types.Func][]int         // the parameters each callee compares with nil
	decls      map[*types.Func]*ast.FuncDecl // the package's function declarations, built on first use
}

// derefsParam reports whether the callee of call, a function declared in
// this package, dereferences its parameter i (a field, a method, `*p`, a
// call) and never compares it with nil: a nil handed to it panics there.
func (cs *callSites) derefsParam(call *ast.CallExpr, i int) bool {
	info := cs.pass.TypesInfo
	fn, ok := typeutil.Callee(info, call).(*types.Func)
	if !ok || fn.Pkg() != cs.pass.Pkg {
		return false
	}
	if cs.decls == nil {
		cs.decls = map[*types.Func]*ast.FuncDecl{}
		for _, f := range cs.pass.Files {
			for _, d := range f.Decls {
				if fd, ok := d.(*ast.FuncDecl); ok && fd.Body != nil {
					if obj, ok := info.Defs[fd.Name].(*types.Func); ok {
						cs.decls[obj] = fd
					}
				}
			}
		}
	}
	fn = fn.Origin()
	fd := cs.decls[fn]
	sig, ok := fn.Type().(*types.Signature)
	if fd == nil || !ok || i >= sig.Params().Len() || (sig.Variadic() && i >= sig.Params().Len()-1) {
		return false
	}
	if slices.Contains(nilCheckedParams(info, fn, fd.Body), i) {
		return false
	}
	param := sig.Params().At(i)
	switch param.Type().Underlying().(type) {
	case *types.Pointer, *types.Interface, *types.Signature:
	default:
		return false
	}
	is := func(e ast.Expr) bool {
		id, ok := ast.Unparen(e).(*ast.Ident)
		return ok && info.Uses[id] == param
	}
	found := false
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false // may never run
		case *ast.SelectorExpr:
			found = found || is(n.X)
		case *ast.StarExpr:
			found = found || is(n.X)
		case *ast.CallExpr:
			found = found || is(n.Fun)
		}
		return !found
	})
	return found
}

// of returns how the callers of decl in this package use its first result:
// called directly, or through an interface method it implements.
func (cs *callSites) of(decl *ast.FuncDecl) usage {
	if u, ok := cs.cache[decl]; ok {
		return u
	}
	var u usage
	cs.cache[decl] = u // a function whose callers are still being looked at hands results on unexamined
	defer func() { cs.cache[decl] = u }()
	fn, ok := cs.pass.TypesInfo.Defs[decl.Name].(*types.Func)
	if !ok {
		return u
	}
	u = cs.callersOf(fn, decl)
	if fn.Exported() {
		u.exits = append(u.exits, fn)
	}
	return u
}

// callersOf returns how the calls of fn in this package use its first
// result; decl is fn's declaration when fn is declared in the package (its
// calls through an interface it implements count then), nil otherwise.
func (cs *callSites) callersOf(fn *types.Func, decl *ast.FuncDecl) usage {
	var u usage
	info := cs.pass.TypesInfo
	var recv types.Type
	if sig, ok := fn.Type().(*types.Signature); ok && decl != nil && sig.Recv() != nil && !isGeneric(derefType(sig.Recv().Type())) {
		recv = sig.Recv().Type()
	}
	calls := func(callee *types.Func) bool {
		if callee.Origin() == fn {
			return true
		}
		if recv == nil || callee.Name() != fn.Name() {
			return false
		}
		sig, ok := callee.Type().(*types.Signature)
		if !ok || sig.Recv() == nil {
			return false
		}
		iface, ok := sig.Recv().Type().Underlying().(*types.Interface)
		return ok && !isGeneric(sig.Recv().Type()) && (types.Implements(recv, iface) || types.Implements(types.NewPointer(derefType(recv)), iface))
	}
	called := map[*ast.Ident]bool{}
	for _, f := range cs.pass.Files {
		if isTestFile(cs.pass.Fset, f) {
			continue // a test that gets nil fails loudly
		}
		var stack []ast.Node // the nodes enclosing the one inspected
		ast.Inspect(f, func(n ast.Node) bool {
			if n == nil {
				stack = stack[:len(stack)-1]
				return true
			}
			stack = append(stack, n)
			var lhs, rhs []ast.Expr
			switch n := n.(type) {
			case *ast.CallExpr:
				switch fun := ast.Unparen(n.Fun).(type) {
				case *ast.Ident:
					called[fun] = true
				case *ast.SelectorExpr:
					called[fun.Sel] = true
				}
				if callee, ok := typeutil.Callee(info, n).(*types.Func); ok && calls(callee) {
					u.calls++
				}
				return true
			case *ast.ReturnStmt:
				// return f(...): the result goes to our caller.
				for _, res := range n.Results {
					if call, ok := ast.Unparen(res).(*ast.CallExpr); ok {
						if callee, ok := typeutil.Callee(info, call).(*types.Func); ok && calls(callee) {
							cs.handedOn(&u, decl, enclosingFunc(stack), len(n.Results) == 1)
						}
					}
				}
				return true
			case *ast.Ident:
				// A reference that is not a call hands the function
				// on as a value (a state of a state machine, a
				// callback): its contract is the function type's.
				if obj, ok := info.Uses[n].(*types.Func); ok && obj.Origin() == fn && !called[n] {
					u.asValue = true
				}
				return true
			case *ast.AssignStmt:
				lhs, rhs = n.Lhs, n.Rhs
			case *ast.ValueSpec:
				for _, id := range n.Names {
					lhs = append(lhs, id)
				}
				rhs = n.Values
			default:
				return true
			}
			if len(rhs) != 1 || len(lhs) != 2 {
				return true
			}
			call, ok := ast.Unparen(rhs[0]).(*ast.CallExpr)
			if !ok {
				return true
			}
			callee, ok := typeutil.Callee(info, call).(*types.Func)
			if !ok || !calls(callee) {
				return true
			}
			id, ok := ast.Unparen(lhs[0]).(*ast.Ident)
			if !ok {
				u.escaped++ // stored in a field or element
				return true
			}
			if id.Name == "_" {
				u.ignored++
				return true
			}
			v, ok := info.ObjectOf(id).(*types.Var)
			if !ok {
				return true
			}
			switch su := cs.useOf(f, v, call); {
			case su.checked:
				u.checked++
			case su.deref != nil:
				u.unchecked = append(u.unchecked, su.deref)
			case su.escapes:
				u.escaped++
			case su.returned:
				cs.handedOn(&u, decl, enclosingFunc(stack), true)
			default:
				u.ignored++
			}
			return true
		})
	}
	return u
}

// handedOn accounts in u for `return f(...)` in outer, which hands decl's
// result on to outer's callers (forward says the call's results are all
// the return gives). A recursive call hands it to decl's own callers, a
// result of the empty interface is one where nil is an ordinary value, and
// a function literal or a function handed on as a value has the contract of
// its function type: none of these is a use. When outer's callers show that
// nil is expected (usage.known), the result is checked; its callers'
// dereferences are decl's.
func (cs *callSites) handedOn(u *usage, decl *ast.FuncDecl, outer ast.Node, forward bool) {
	if _, ok := outer.(*ast.FuncLit); ok && forward {
		u.ignored++
		return
	}
	od, ok := outer.(*ast.FuncDecl)
	if !ok || !forward || od.Type.Results == nil {
		u.escaped++
		return
	}
	if od == decl {
		u.ignored++
		return
	}
	if results := resultTypes(od.Type.Results); len(results) > 0 {
		if t := cs.pass.TypesInfo.TypeOf(results[0]); t != nil && isEmptyInterface(t) {
			u.ignored++
			return
		}
	}
	ou := cs.of(od)
	u.unchecked = append(u.unchecked, ou.unchecked...)
	switch {
	case len(ou.unchecked) > 0:
	case ou.asValue:
		u.ignored++
		return
	case ou.known(od):
		u.checked++
		return
	case len(ou.exits) > 0:
		// It leaves the package through outer's exits, whose
		// callers only the workspace sees (settle).
		u.exits = append(u.exits, ou.exits...)
		return
	}
	u.escaped++
}

// enclosingFunc returns the innermost function declaration or literal on
// stack.
func enclosingFunc(stack []ast.Node) ast.Node {
	for i := len(stack) - 1; i >= 0; i-- {
		switch stack[i].(type) {
		case *ast.FuncDecl, *ast.FuncLit:
			return stack[i]
		}
	}
	return nil
}

// siteUse is what one caller does with the first result, held in v.
type siteUse struct {
	checked bool     // compared with nil, or asserted with comma-ok, somewhere
	deref   ast.Expr // the first dereference after the call (v.f, *v, v(), v[i], v[k] = x, <-v)
	escapes bool     // passed to a call, stored, returned other than first, or sent: used elsewhere
	// returned is that the function returns v as its first result, as it
	// is: v goes to its callers, as with `return f(...)`.
	returned bool
}

// funcAt returns the innermost function declaration or literal of f that
// holds pos.
func funcAt(f *ast.File, pos token.Pos) ast.Node {
	var inner ast.Node
	ast.Inspect(f, func(n ast.Node) bool {
		if n == nil || pos < n.Pos() || pos >= n.End() {
			return false
		}
		switch n.(type) {
		case *ast.FuncDecl, *ast.FuncLit:
			inner = n
		}
		return true
	})
	return inner
}

// useOf classifies the uses of v, assigned from call, in file f. Uses that
// are only compared (v == HelpFlag) or reassigned neither check nor escape.
func (cs *callSites) useOf(f *ast.File, v *types.Var, call *ast.CallExpr) siteUse {
	info := cs.pass.TypesInfo
	caller := funcAt(f, call.Pos())
	var u siteUse
	is := func(e ast.Expr) (*ast.Ident, bool) {
		id, ok := ast.Unparen(e).(*ast.Ident)
		return id, ok && info.Uses[id] == v
	}
	_, isMap := v.Type().Underlying().(*types.Map)
	byRef := false
	switch v.Type().Underlying().(type) {
	case *types.Pointer, *types.Interface:
		byRef = true
	}
	accounted := map[*ast.Ident]bool{}
	var uses []*ast.Ident
	ast.Inspect(f, func(n ast.Node) bool {
		var deref ast.Expr
		switch n := n.(type) {
		case *ast.Ident:
			if info.Uses[n] == v {
				uses = append(uses, n)
			}
		case *ast.BinaryExpr:
			if n.Op == token.EQL || n.Op == token.NEQ {
				x, okX := is(n.X)
				y, okY := is(n.Y)
				if (okX || okY) && (flow.IsNil(info, n.X) || flow.IsNil(info, n.Y)) {
					u.checked = true
				}
				accounted[x], accounted[y] = okX, okY
			}
		case *ast.AssignStmt:
			if len(n.Lhs) == 2 && len(n.Rhs) == 1 {
				// x, ok := v.(T): a nil v fails every assertion, so
				// ok tests it.
				if ta, ok := ast.Unparen(n.Rhs[0]).(*ast.TypeAssertExpr); ok {
					if id, ok := is(ta.X); ok {
						u.checked = true
						accounted[id] = true
					}
				}
			}
			for _, l := range n.Lhs {
				if id, ok := is(l); ok {
					accounted[id] = true
				}
				if ix, ok := ast.Unparen(l).(*ast.IndexExpr); ok && isMap {
					deref = ix.X // a store into a nil map panics
				}
			}
		case *ast.IncDecStmt:
			if ix, ok := ast.Unparen(n.X).(*ast.IndexExpr); ok && isMap {
				deref = ix.X
			}
		case *ast.SelectorExpr:
			// A field or method through a nil pointer or interface
			// panics; a method of a map type gets the map or its
			// address, which hands it on; a method that compares its
			// receiver with nil (`d.Empty()` of `return d == nil ||
			// ...`) tests it.
			if id, ok := is(n.X); ok && cs.checksRecv(n) {
				u.checked = true
				accounted[id] = true
			} else if byRef {
				deref = n.X
			}
		case *ast.StarExpr:
			deref = n.X
		case *ast.CallExpr:
			deref = n.Fun
			// Passed to a parameter that the callee compares with
			// nil: the callee tests it. Passed to one that a
			// function of the package dereferences unchecked: the
			// callee uses it.
			for i, arg := range n.Args {
				id, ok := is(arg)
				switch {
				case !ok || n.Ellipsis.IsValid():
				case cs.checksParam(n, i, v.Type()):
					u.checked = true
					accounted[id] = true
				case cs.derefsParam(n, i):
					accounted[id] = true
					if u.deref == nil && arg.Pos() > call.End() {
						u.deref = arg
					}
				}
			}
		case *ast.IndexExpr:
			if id, ok := is(n.X); ok && isMap {
				accounted[id] = true // reading a nil map gives the zero value
			} else {
				deref = n.X
			}
		case *ast.UnaryExpr:
			if n.Op == token.ARROW {
				deref = n.X
			}
		case *ast.ReturnStmt:
			if len(n.Results) > 0 {
				// Only a return of the function that made the call hands
				// v to its callers; a closure that returns it escapes.
				if id, ok := is(n.Results[0]); ok && funcAt(f, n.Pos()) == caller {
					u.returned = true
					accounted[id] = true
				}
			}
		}
		if id, ok := is(deref); deref != nil && ok {
			accounted[id] = true
			if u.deref == nil && deref.Pos() > call.End() {
				u.deref = deref
			}
		}
		return true
	})
	for _, id := range uses {
		if !accounted[id] {
			u.escapes = true
		}
	}
	return u
}

func isTestFile(fset *token.FileSet, f *ast.File) bool {
	return strings.HasSuffix(fset.Position(f.Pos()).Filename, "_test.go")
}

func derefType(t types.Type) types.Type {
	if p, ok := t.(*types.Pointer); ok {
		return p.Elem()
	}
	return t
}

// inIfBody returns the innermost if statement of c's function whose body
// holds c, when there is one and it is the nearest enclosing if, or nil.
func inIfBody(c inspector.Cursor) *ast.IfStmt {
	for e := range c.Enclosing((*ast.IfStmt)(nil), (*ast.FuncDecl)(nil), (*ast.FuncLit)(nil)) {
		ifs, ok := e.Node().(*ast.IfStmt)
		if !ok || c.Node().Pos() < ifs.Body.Pos() || c.Node().End() > ifs.Body.End() {
			return nil
		}
		return ifs
	}
	return nil
}

// askedFor reports whether the return answers the caller's own request for
// nothing: it sits in the body of an if whose condition tests a parameter or
// the receiver for nil (nil in, nil out: `if a == nil { return nil, nil }`)
// or tests a boolean parameter (`if configOnly { return nil, nil }`).
func askedFor(info *types.Info, c inspector.Cursor, decl *ast.FuncDecl) bool {
	ifs := inIfBody(c)
	if ifs == nil {
		return false
	}
	isParam := func(e ast.Expr) (*types.Var, bool) {
		id, ok := ast.Unparen(e).(*ast.Ident)
		if !ok {
			return nil, false
		}
		v, ok := info.Uses[id].(*types.Var)
		if !ok {
			return nil, false
		}
		inRecv := decl.Recv != nil && v.Pos() >= decl.Recv.Pos() && v.Pos() < decl.Recv.End()
		inParams := v.Pos() >= decl.Type.Params.Pos() && v.Pos() < decl.Type.Params.End()
		return v, inRecv || inParams
	}
	found := false
	ast.Inspect(ifs.Cond, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.BinaryExpr:
			if n.Op == token.EQL && (flow.IsNil(info, n.X) || flow.IsNil(info, n.Y)) {
				if _, ok := isParam(n.X); ok {
					found = true
				}
				if _, ok := isParam(n.Y); ok {
					found = true
				}
			}
		case *ast.Ident:
			if v, ok := isParam(n); ok {
				if b, isBasic := v.Type().Underlying().(*types.Basic); isBasic && b.Kind() == types.Bool {
					found = true
				}
			}
		}
		return !found
	})
	return found
}

// contract matches a doc comment that states the function returns nil:
// "nil, nil", "returns nil", "or nil", "the result is nil", "the item
// returned may be nil", ", nil when", "the returned message will be nil",
// "otherwise nil", "returns an optional value", or a sentence about what it
// returns followed by "this may be nil" ("It returns the destination
// directory if possible. Note that this may be nil."). A doc comment that
// merely mentions nil ("panics if ctx is nil") or an absence ("the optional
// file") states nothing about the result.
var contract = regexp.MustCompile(`(?i)\bnil,\s*nil\b|\b(returns?|returning|or)\s+\(?nil\b|\b(result|value|returned)\s+` + beNil + `|,\s*nil\s+(if|when|for|on|unless)\b` +
	`|\breturns?\b[^.]*\.\s+(note that\s+)?(this|it)\s+` + beNil +
	`|\breturned\s+\w+\s+` + beNil + `|\botherwise,?\s+nil\b|\breturns?\s+an?\s+optional\b`)

// beNil matches the verb of a sentence saying that something is nil.
const beNil = `(is|will be|may be|can be|might be)\s+(then\s+)?nil\b`

// documented reports whether decl's doc comment states that the function
// returns nil, in general terms or of its first result by name ("then
// metadata will be nil").
func documented(decl *ast.FuncDecl) bool {
	if decl.Doc == nil {
		return false
	}
	text := strings.Join(strings.Fields(decl.Doc.Text()), " ")
	if contract.MatchString(text) {
		return true
	}
	if res := decl.Type.Results.List[0]; len(res.Names) > 0 && res.Names[0].Name != "_" {
		named := regexp.MustCompile(`(?i)\b` + regexp.QuoteMeta(res.Names[0].Name) + `\s+` + beNil)
		return named.MatchString(text)
	}
	return false
}

// implementsForeign reports whether decl is a method that implements an
// interface of an imported package declaring a method of that name: the
// interface's contract, not this code, decides what nil, nil means
// (tls.Config.GetCertificate, a storage.Querier).
func implementsForeign(pass *analysis.Pass, decl *ast.FuncDecl, cache map[*types.Func]bool) bool {
	if decl.Recv == nil {
		return false
	}
	m, ok := pass.TypesInfo.Defs[decl.Name].(*types.Func)
	if !ok {
		return false
	}
	if v, ok := cache[m]; ok {
		return v
	}
	cache[m] = false
	sig, ok := m.Type().(*types.Signature)
	if !ok || sig.Recv() == nil {
		return false
	}
	recv := sig.Recv().Type()
	if p, ok := recv.(*types.Pointer); ok {
		recv = p.Elem()
	}
	if isGeneric(recv) {
		return false // Implements is unspecified for uninstantiated types
	}
	for _, imp := range pass.Pkg.Imports() {
		scope := imp.Scope()
		for _, name := range scope.Names() {
			tn, ok := scope.Lookup(name).(*types.TypeName)
			if !ok || !tn.Exported() || tn.IsAlias() || isGeneric(tn.Type()) {
				continue
			}
			iface, ok := tn.Type().Underlying().(*types.Interface)
			if !ok || iface.NumMethods() == 0 {
				continue
			}
			if obj, _, _ := types.LookupFieldOrMethod(iface, false, nil, m.Name()); obj == nil {
				continue
			}
			if types.Implements(recv, iface) || types.Implements(types.NewPointer(recv), iface) {
				cache[m] = true
				return true
			}
		}
	}
	return false
}

func isGeneric(t types.Type) bool {
	n, ok := types.Unalias(t).(*types.Named)
	return ok && n.TypeParams().Len() > 0
}

// resultTypes lists the type expression of each result, repeating a shared
// type for every name (a, b *T).
func resultTypes(fl *ast.FieldList) []ast.Expr {
	var out []ast.Expr
	for _, f := range fl.List {
		n := max(len(f.Names), 1)
		for range n {
			out = append(out, f.Type)
		}
	}
	return out
}

// isErrorType reports whether e denotes the error interface.
func isErrorType(info *types.Info, e ast.Expr) bool {
	if t := info.TypeOf(e); t != nil && t != types.Typ[types.Invalid] {
		return types.Identical(t, types.Universe.Lookup("error").Type())
	}
	id, ok := e.(*ast.Ident)
	return ok && id.Name == "error"
}

// nilable reports whether a nil value of the type e denotes is unusable, and
// what using it does: pointers to structs, functions, channels and maps are
// (a nil map reads as empty but panics on the first store); slices are not
// (append and range work on nil), and neither is the empty interface (nil
// is an ordinary "no value" there) nor a pointer to a number, string,
// bool, slice or map (`*bool`, `*string`, `*[]T`: such a pointer exists to
// carry "not set", so nil is its meaning, not a missing object).
func nilable(info *types.Info, e ast.Expr) (consequence string, ok bool) {
	if t := info.TypeOf(e); t != nil && t != types.Typ[types.Invalid] {
		switch u := t.Underlying().(type) {
		case *types.Pointer:
			switch u.Elem().Underlying().(type) {
			case *types.Struct, *types.Array, *types.Pointer, *types.Interface:
			default:
				return "", false // *bool, *string, *[]T, *map[K]V: an optional value
			}
			return "dereferences it panics", true
		case *types.Signature:
			return "calls it panics", true
		case *types.Chan:
			return "receives from it blocks forever", true
		case *types.Map:
			return "stores into it panics", true
		case *types.Interface:
			if u.Empty() || u.IsImplicit() {
				return "", false
			}
			return "calls its methods panics", true
		}
		return "", false
	}
	// Partial type information: judge by the syntax.
	switch ast.Unparen(e).(type) {
	case *ast.StarExpr:
		return "dereferences it panics", true
	case *ast.FuncType:
		return "calls it panics", true
	case *ast.ChanType:
		return "receives from it blocks forever", true
	case *ast.MapType:
		return "stores into it panics", true
	}
	return "", false
}

// inErrorBranch reports whether the return statement at c sits directly in
// the body of an "if X != nil" whose X is an error: that is a swallowed
// error, which the swallowed-error rule reports, not a contract of the
// function's own.
func inErrorBranch(info *types.Info, c inspector.Cursor) bool {
	body := c.Parent()
	if _, ok := body.Node().(*ast.BlockStmt); !ok {
		return false
	}
	ifs, ok := body.Parent().Node().(*ast.IfStmt)
	if !ok || ifs.Body != body.Node() {
		return false
	}
	cond, ok := ast.Unparen(ifs.Cond).(*ast.BinaryExpr)
	if !ok || cond.Op != token.NEQ || !flow.IsNil(info, cond.Y) {
		return false
	}
	t := info.TypeOf(cond.X)
	return t != nil && types.Identical(t, types.Universe.Lookup("error").Type())
}

// isMap reports whether e denotes a map type.
func isMap(info *types.Info, e ast.Expr) bool {
	if t := info.TypeOf(e); t != nil && t != types.Typ[types.Invalid] {
		_, ok := t.Underlying().(*types.Map)
		return ok
	}
	_, ok := ast.Unparen(e).(*ast.MapType)
	return ok
}

// answersError reports whether the return statement at c sits in the body
// of an if whose condition tests an error's identity: errors.Is or
// errors.As, a comparison of an error with a value other than nil, or one
// of the os.Is* predicates (`if errors.Is(err, fs.ErrNotExist)`). There
// nil, nil replaces an error with the empty answer, and the caller cannot
// tell "not there" from "empty".
func answersError(info *types.Info, c inspector.Cursor) bool {
	ifs := inIfBody(c)
	if ifs == nil {
		return false
	}
	isErr := func(e ast.Expr) bool {
		t := info.TypeOf(e)
		return t != nil && types.Identical(t, types.Universe.Lookup("error").Type())
	}
	found := false
	ast.Inspect(ifs.Cond, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.BinaryExpr:
			if (n.Op == token.EQL || n.Op == token.NEQ) && (isErr(n.X) || isErr(n.Y)) && !flow.IsNil(info, n.X) && !flow.IsNil(info, n.Y) {
				found = true
			}
		case *ast.CallExpr:
			if fn, ok := typeutil.Callee(info, n).(*types.Func); ok && fn.Pkg() != nil && len(n.Args) > 0 && isErr(n.Args[0]) {
				switch path := fn.Pkg().Path(); {
				case path == "errors" && (fn.Name() == "Is" || fn.Name() == "As"),
					path == "os" && strings.HasPrefix(fn.Name(), "Is"):
					found = true
				}
			}
		}
		return !found
	})
	return found
}

func isEmptyInterface(t types.Type) bool {
	i, ok := t.Underlying().(*types.Interface)
	return ok && i.Empty()
}
