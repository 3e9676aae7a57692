package uncheckedtypeassertion

import (
	"fmt"
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"slices"
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

// maxDepth bounds how many variable definitions the provenance trace follows.
const maxDepth = 3

func run(pass *analysis.Pass, r *spec.Reporter) {
	c := &checker{pass: pass, lists: r.Options().Lists, docs: &provenance.Documents{Info: pass.TypesInfo, Files: pass.Files}}
	c.enders = flow.NewEnders(pass.TypesInfo, c.lists)
	for file := range r.Files() {
		for cur := range file.Preorder((*ast.TypeAssertExpr)(nil)) {
			ta, ok := cur.Node().(*ast.TypeAssertExpr)
			if !ok || ta.Type == nil { // x.(type) in a type switch
				continue
			}
			if commaOK(cur) {
				continue
			}
			if c.isError(ta.X) {
				continue // asserting on errors is errors.As territory
			}
			want := c.typeOf(ta.Type)
			fn, body := flow.OutermostFunc(cur)
			if c.typeProven(cur, body, ta, want) {
				continue // a dominating check established the type
			}
			c.at = cur
			o := c.origin(fn, body, ta.X, want, maxDepth)
			if o == nil {
				continue
			}
			c.report(r, ta, o)
		}
	}
}

// typeProven reports whether a check that dominates the assertion at cur
// established that ta.X holds the type: the assertion is in the `case T:`
// of a type switch on the same value, or under a two-value assertion's ok
// (`if _, ok := x.(T); ok { ... x.(T) ... }`).
func (c *checker) typeProven(cur inspector.Cursor, body *ast.BlockStmt, ta *ast.TypeAssertExpr, want types.Type) bool {
	if want == nil {
		return false
	}
	info := c.pass.TypesInfo
	for cc := range cur.Enclosing((*ast.CaseClause)(nil)) {
		clause, ok := cc.Node().(*ast.CaseClause)
		if !ok || len(clause.List) != 1 || !types.Identical(c.typeOf(clause.List[0]), want) {
			continue
		}
		sw, ok := cc.Parent().Parent().Node().(*ast.TypeSwitchStmt)
		if !ok {
			continue
		}
		if x := provenance.SwitchOperand(sw); x != nil && flow.SameExpr(info, x, ta.X) {
			return true
		}
	}
	g := &flow.Guard{Info: info, Lists: c.lists, Enders: c.enders, Holds: flow.Present(info, body, func(e ast.Expr) bool {
		sa, ok := e.(*ast.TypeAssertExpr)
		return ok && sa.Type != nil && flow.SameExpr(info, sa.X, ta.X) && types.Identical(c.typeOf(sa.Type), want)
	})}
	return g.Dominates(cur)
}

// origin describes where a dynamically typed value came from.
type origin struct {
	what string   // "a decoded document", "recover()", ...
	at   ast.Node // the source expression, for related information
	key  string   // the context key, for context values
}

type checker struct {
	enders *flow.Enders // shared by the pass's Guards
	pass   *analysis.Pass
	lists  *provenance.Lists
	docs   *provenance.Documents
	at     inspector.Cursor // the assertion being judged
	// stores caches, per atomic.Value or sync.Map variable or field, the
	// types stored into it anywhere in the package (nil: unknown type seen).
	stores map[types.Object][]types.Type
	// initial records the atomic.Value variables and fields that a store
	// fills before the value is shared: a top-level statement of init, or
	// of the function that creates the struct holding the field.
	initial map[types.Object]bool
	// chans caches, per channel variable or field, what the package does
	// with it (see sentOnly).
	chans map[*types.Var]*chanUse
}

func (c *checker) report(r *spec.Reporter, ta *ast.TypeAssertExpr, o *origin) {
	expr := types.ExprString(ta)
	x := types.ExprString(ta.X)
	var msg string
	switch {
	case o.key != "":
		msg = fmt.Sprintf("type assertion %s panics if the context holds no %s value or one of another type; use the two-value form", expr, o.key)
	default:
		msg = fmt.Sprintf("type assertion %s panics if %s (%s) holds another type; use the two-value form", expr, x, o.what)
	}
	d := analysis.Diagnostic{Pos: ta.Pos(), End: ta.End(), Message: msg}
	if o.at != nil && (o.at.Pos() < ta.X.Pos() || o.at.Pos() >= ta.X.End()) {
		d.Related = []analysis.RelatedInformation{{
			Pos:     o.at.Pos(),
			End:     o.at.End(),
			Message: fmt.Sprintf("%s gets its value here: %s", x, o.what),
		}}
	}
	r.Report(d)
}

// commaOK reports whether the assertion at cur is the sole right-hand side
// of a two-value assignment or declaration.
func commaOK(cur inspector.Cursor) bool {
	n := cur.Node()
	p := cur.Parent()
	for {
		if _, ok := p.Node().(*ast.ParenExpr); !ok {
			break
		}
		n = p.Node()
		p = p.Parent()
	}
	switch s := p.Node().(type) {
	case *ast.AssignStmt:
		return len(s.Lhs) == 2 && len(s.Rhs) == 1 && s.Rhs[0] == n
	case *ast.ValueSpec:
		return len(s.Names) == 2 && len(s.Values) == 1 && s.Values[0] == n
	}
	return false
}

func (c *checker) typeOf(e ast.Expr) types.Type {
	t := c.pass.TypesInfo.TypeOf(e)
	if t == nil || t == types.Typ[types.Invalid] {
		return nil
	}
	return t
}

var errorType = types.Universe.Lookup("error").Type()

// isError reports whether e is statically an error (or an interface
// embedding error).
func (c *checker) isError(e ast.Expr) bool {
	t := c.typeOf(e)
	if t == nil {
		// No types: judge by the usual spelling.
		id, ok := ast.Unparen(e).(*ast.Ident)
		return ok && (id.Name == "err" || strings.HasSuffix(id.Name, "Err"))
	}
	iface, ok := t.Underlying().(*types.Interface)
	if !ok {
		return false
	}
	errIface, ok := errorType.Underlying().(*types.Interface)
	return ok && iface.NumMethods() > 0 && types.Implements(t, errIface)
}

// origin traces e back to a source whose dynamic type is decided outside
// this code, following local variables up to depth definitions. fn and
// body are the outermost enclosing function and its body (nil at package
// level). want is the asserted type.
func (c *checker) origin(fn ast.Node, body *ast.BlockStmt, e ast.Expr, want types.Type, depth int) *origin {
	e = ast.Unparen(e)
	if _, isVar := e.(*ast.Ident); !isVar {
		if src := c.docs.Source(fn, e); src != "" {
			return &origin{what: "an element of " + src, at: e}
		}
	}
	switch e := e.(type) {
	case *ast.CallExpr:
		return c.callOrigin(body, e, want)
	case *ast.UnaryExpr:
		if e.Op == token.ARROW && c.interfaceChan(e.X) && !c.sentOnly(e.X, want, false) {
			return &origin{what: "received from a channel of " + c.elemString(e.X), at: e}
		}
	case *ast.SelectorExpr: // msg.Data, an any field of a decoded struct
		sel, ok := c.pass.TypesInfo.Selections[e]
		if !ok || sel.Kind() != types.FieldVal {
			return nil
		}
		if dec := c.decoded(body, e.X, maxDepth); dec != nil {
			return &origin{what: "a field of a document decoded by " + types.ExprString(dec.Fun), at: e}
		}
		if key := c.docs.DecodedSlot(sel); key != "" && !c.builtHere(body, e.X) {
			return &origin{what: "a field its " + key + " tag fills from a document", at: e}
		}
	case *ast.Ident:
		if depth == 0 || body == nil {
			return nil
		}
		if o := c.varOrigin(fn, body, e, want, depth); o != nil {
			return o
		}
		if src := c.docs.Source(fn, e); src != "" {
			return &origin{what: "an element of " + src, at: e}
		}
	}
	return nil
}

func (c *checker) callOrigin(body *ast.BlockStmt, call *ast.CallExpr, want types.Type) *origin {
	if id, ok := ast.Unparen(call.Fun).(*ast.Ident); ok && id.Name == "recover" && len(call.Args) == 0 {
		if _, builtin := c.pass.TypesInfo.Uses[id].(*types.Builtin); builtin || c.pass.TypesInfo.Uses[id] == nil {
			return &origin{what: "a recovered panic value, which can be anything", at: call}
		}
	}
	names := provenance.CalleeNames(c.pass.TypesInfo, call)
	if !c.lists.Dynamic.Has(names...) {
		if recv := c.keyedLookup(call); recv != nil {
			if c.keyStoredWith(recv, call, want) && c.present(body, call, "") {
				return nil // every store under the key holds the type, and this lookup found one
			}
			return &origin{what: "looked up by " + types.ExprString(call.Fun) + ", which returns whatever was stored under the key", at: call}
		}
		return nil
	}
	for _, n := range names {
		switch {
		case n == "context.Context.Value" && len(call.Args) == 1:
			// A context that did not pass through the code storing the
			// key has no value, so the load must be checked for nil; the
			// type is then proven when only this package can store under
			// the key and all its stores hold the type.
			if c.keyStoredOnly(call.Args[0], want) && c.present(body, call, n) {
				return nil
			}
			return &origin{what: "a context value", at: call, key: types.ExprString(call.Args[0])}
		case strings.HasPrefix(n, "sync/atomic.Value.") || strings.HasPrefix(n, "sync.Map."):
			if c.storedOnly(call, want) && c.present(body, call, n) {
				return nil // every store holds the type, and this load cannot miss
			}
			return &origin{what: "loaded from " + strings.TrimPrefix(n[:strings.LastIndexByte(n, '.')], "sync/"), at: call}
		}
	}
	return &origin{what: "returned by " + types.ExprString(call.Fun), at: call}
}

// keyedLookup reports the receiver type when call looks a value up by key
// in a store of values of any type that another package declares: a
// method with parameters whose results are exactly an interface value and a
// bool (gin's `Context.Get`, a database record's `Get`, a cache's `Get`),
// as sync.Map's Load is. Its value's type is whatever some code stored
// under the key. A store type of this package is the package's own
// contract, as its other interface values are.
func (c *checker) keyedLookup(call *ast.CallExpr) types.Type {
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok || len(call.Args) == 0 {
		return nil
	}
	s, ok := c.pass.TypesInfo.Selections[sel]
	if !ok || s.Kind() != types.MethodVal || s.Obj().Pkg() == c.pass.Pkg {
		return nil
	}
	res, ok := c.pass.TypesInfo.TypeOf(call).(*types.Tuple)
	if !ok || res.Len() != 2 || !types.IsInterface(res.At(0).Type()) {
		return nil
	}
	if b, ok := res.At(1).Type().Underlying().(*types.Basic); !ok || b.Kind() != types.Bool {
		return nil
	}
	return deref(s.Recv())
}

// keyStoredWith reports whether the package stores into the store that
// the lookup call reads, and every such store holds the type want. A store
// is a call of a method of the store's type whose second parameter is an
// interface (`c.Set("user", u)`, `cache.Set(k, v, ttl)`), the stored value
// being its second argument, made on the same variable or field as the
// lookup, or under the same key (the same constant, variable or key
// literal) on any value of the type.
func (c *checker) keyStoredWith(recv types.Type, lookup *ast.CallExpr, want types.Type) bool {
	if want == nil {
		return false
	}
	info := c.pass.TypesInfo
	container := c.container(lookup)
	stores := 0
	ok := true
	for _, f := range c.pass.Files {
		var body *ast.BlockStmt
		ast.Inspect(f, func(n ast.Node) bool {
			if fd, isDecl := n.(*ast.FuncDecl); isDecl {
				body = fd.Body
			}
			call, isCall := n.(*ast.CallExpr)
			if !ok || !isCall || len(call.Args) < 2 {
				return ok
			}
			sel, isSel := ast.Unparen(call.Fun).(*ast.SelectorExpr)
			if !isSel {
				return true
			}
			s, isMethod := info.Selections[sel]
			if !isMethod || s.Kind() != types.MethodVal || !types.Identical(deref(s.Recv()), recv) {
				return true
			}
			sig, isSig := s.Type().(*types.Signature)
			if !isSig || sig.Params().Len() < 2 || !types.IsInterface(sig.Params().At(1).Type()) {
				return true
			}
			if !(container != nil && c.containerObj(sel.X) == container) && !c.sameKeyValue(call.Args[0], lookup.Args[0]) {
				return true
			}
			stores++
			fromStore := func(l *ast.CallExpr) bool {
				return c.keyedLookup(l) != nil && container != nil && c.container(l) == container
			}
			for _, t := range c.storedTypes(body, call.Args[1], fromStore) {
				if t == nil || !types.AssignableTo(t, want) || !types.IsInterface(want) && !types.Identical(t, want) {
					ok = false
				}
			}
			return ok
		})
	}
	return ok && stores > 0
}

// sameKeyValue reports whether a and b are the same key: equal constants,
// or the same variable or composite literal type (see sameKey).
func (c *checker) sameKeyValue(a, b ast.Expr) bool {
	av, bv := c.pass.TypesInfo.Types[a].Value, c.pass.TypesInfo.Types[b].Value
	if av != nil || bv != nil {
		return av != nil && bv != nil && av.Kind() == bv.Kind() && constant.Compare(av, token.EQL, bv)
	}
	return c.sameKey(a, b)
}

// deref is t's element type when t is a pointer, else t.
func deref(t types.Type) types.Type {
	if p, ok := t.Underlying().(*types.Pointer); ok {
		return p.Elem()
	}
	return t
}

// keyStoredOnly reports whether only this package can store a context
// value under key k (a variable or composite literal of an unexported type
// declared here, the variable unexported too) and every
// context.WithValue with that key in the package stores the type want.
func (c *checker) keyStoredOnly(k ast.Expr, want types.Type) bool {
	if want == nil || !c.privateKey(k) {
		return false
	}
	stores := 0
	ok := true
	for _, f := range c.pass.Files {
		var body *ast.BlockStmt
		ast.Inspect(f, func(n ast.Node) bool {
			if fd, isDecl := n.(*ast.FuncDecl); isDecl {
				body = fd.Body
			}
			call, isCall := n.(*ast.CallExpr)
			if !isCall || len(call.Args) != 3 || !ok {
				return ok
			}
			for _, name := range provenance.CalleeNames(c.pass.TypesInfo, call) {
				if name != "context.WithValue" || !c.sameKey(call.Args[1], k) {
					continue
				}
				if c.loadedFrom(body, call.Args[2], k) {
					continue // a copy of the value stored under the same key
				}
				stores++
				t := c.typeOf(call.Args[2])
				if t == nil || !types.Identical(t, want) && !(types.IsInterface(want) && types.AssignableTo(t, want)) {
					ok = false
				}
			}
			return ok
		})
	}
	return ok && stores > 0
}

// loadedFrom reports whether e is a local variable of body defined only
// by a load of the context key k (v := src.Value(k)).
func (c *checker) loadedFrom(body *ast.BlockStmt, e ast.Expr, k ast.Expr) bool {
	id, ok := ast.Unparen(e).(*ast.Ident)
	if !ok || body == nil {
		return false
	}
	v, ok := c.pass.TypesInfo.Uses[id].(*types.Var)
	if !ok {
		return false
	}
	defs, dec := c.definitions(body, v)
	if dec != nil || len(defs) == 0 {
		return false
	}
	for _, d := range defs {
		call, ok := ast.Unparen(d.rhs).(*ast.CallExpr)
		if !ok || d.index != 0 || len(call.Args) != 1 || !c.sameKey(call.Args[0], k) {
			return false
		}
		if names := provenance.CalleeNames(c.pass.TypesInfo, call); !slices.Contains(names, "context.Context.Value") {
			return false
		}
	}
	return true
}

// privateKey reports whether the context key k can only be written by this
// package: its type is an unexported named type declared here and, for a
// variable, the variable is unexported.
func (c *checker) privateKey(k ast.Expr) bool {
	n, isNamed := types.Unalias(c.typeOf(k)).(*types.Named)
	if !isNamed || n.Obj().Pkg() != c.pass.Pkg || n.Obj().Exported() {
		return false
	}
	switch k := ast.Unparen(k).(type) {
	case *ast.CompositeLit:
		return true
	case *ast.Ident:
		v, ok := c.pass.TypesInfo.Uses[k].(*types.Var)
		return ok && !v.Exported()
	}
	return false
}

// sameKey reports whether a and b are the same context key: the same
// variable, or composite literals of the same type.
func (c *checker) sameKey(a, b ast.Expr) bool {
	a, b = ast.Unparen(a), ast.Unparen(b)
	if ai, ok := a.(*ast.Ident); ok {
		bi, ok := b.(*ast.Ident)
		return ok && c.pass.TypesInfo.Uses[ai] != nil && c.pass.TypesInfo.Uses[ai] == c.pass.TypesInfo.Uses[bi]
	}
	_, al := a.(*ast.CompositeLit)
	_, bl := b.(*ast.CompositeLit)
	return al && bl && types.Identical(c.typeOf(a), c.typeOf(b))
}

// present reports whether the load call (method n) cannot come back empty
// at the assertion being judged: sync.Map.LoadOrStore and Range values
// always hold a stored value; a Load whose ok result or non-nil value a
// dominating check establishes has one; an atomic.Value filled before it
// is shared (see initial) always has one.
func (c *checker) present(body *ast.BlockStmt, call *ast.CallExpr, n string) bool {
	if strings.HasSuffix(n, ".LoadOrStore") {
		return true
	}
	if strings.HasPrefix(n, "sync/atomic.Value.Load") || n == "sync/atomic.Value.Swap" || n == "sync/atomic.Value.CompareAndSwap" {
		// Swap, like Load, gives the value stored before: nil only if none was.
		if obj := c.container(call); obj != nil && c.initial[obj] {
			return true
		}
	}
	info := c.pass.TypesInfo
	ta, ok := c.at.Node().(*ast.TypeAssertExpr)
	if !ok || body == nil {
		return false
	}
	same := func(e ast.Expr) bool { return flow.SameExpr(info, e, ta.X) }
	g := &flow.Guard{Info: info, Lists: c.lists, Enders: c.enders,
		Holds: flow.Either(flow.NonNil(same), flow.Present(info, body, func(e ast.Expr) bool { return e == call }),
			c.loadedWith(body, call, same)),
		// v = make(chan T) after the load: v holds a value of that type;
		// v, _ = m.LoadOrStore(k, x): v holds a stored value.
		Sets: func(s ast.Stmt) bool {
			as, ok := s.(*ast.AssignStmt)
			if !ok || len(as.Rhs) != 1 || len(as.Lhs) == 0 || !same(as.Lhs[0]) {
				return false
			}
			if call, ok := ast.Unparen(as.Rhs[0]).(*ast.CallExpr); ok {
				for _, n := range provenance.CalleeNames(info, call) {
					if n == "sync.Map.LoadOrStore" {
						return true
					}
				}
			}
			t := c.typeOf(as.Rhs[0])
			return len(as.Lhs) == 1 && t != nil && !types.IsInterface(t)
		},
	}
	return g.Dominates(c.at)
}

// loadedWith returns a Holds for the fact "the loaded value is present"
// when the value variable is loaded again later, together with the same
// ok variable: cond is that ok variable, and every assignment of it in
// body either loads a sync.Map of the same container as call into it and
// into the value (same accepts the value) — `el, loaded = m.LoadOrStore(k,
// v)` after `el, loaded := m.Load(k)` — or sets it to false
// (flow.CommaOks). A true ok then came from one of those loads, each of
// which found a stored value.
func (c *checker) loadedWith(body *ast.BlockStmt, call *ast.CallExpr, same func(ast.Expr) bool) flow.Holds {
	info := c.pass.TypesInfo
	obj := c.container(call)
	if obj == nil {
		return func(ast.Expr, bool) bool { return false }
	}
	return func(cond ast.Expr, truth bool) bool {
		id, ok := ast.Unparen(cond).(*ast.Ident)
		if !ok || !truth {
			return false
		}
		oks := flow.CommaOks(info, body, id)
		for _, o := range oks {
			if !same(o.Value) || !c.loadsFrom(o.Source, obj) {
				return false
			}
		}
		return len(oks) > 0
	}
}

// loadsFrom reports whether e is a call of sync.Map's Load, LoadOrStore or
// LoadAndDelete on the container obj.
func (c *checker) loadsFrom(e ast.Expr, obj types.Object) bool {
	call, ok := ast.Unparen(e).(*ast.CallExpr)
	if !ok || c.container(call) != obj {
		return false
	}
	for _, n := range provenance.CalleeNames(c.pass.TypesInfo, call) {
		switch n {
		case "sync.Map.Load", "sync.Map.LoadOrStore", "sync.Map.LoadAndDelete":
			return true
		}
	}
	return false
}

// container is the variable or field whose atomic.Value or sync.Map
// method call calls.
func (c *checker) container(call *ast.CallExpr) types.Object {
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok {
		return nil
	}
	return c.containerObj(sel.X)
}

// storedOnly reports whether every value the package stores into the
// atomic.Value or sync.Map that call loads from has type want, and there is
// at least one such store: the package then guarantees the type.
func (c *checker) storedOnly(call *ast.CallExpr, want types.Type) bool {
	if want == nil {
		return false
	}
	obj := c.container(call)
	if obj == nil {
		return false
	}
	if c.stores == nil {
		c.collectStores()
	}
	ts, ok := c.stores[obj]
	if !ok || len(ts) == 0 {
		return false
	}
	for _, t := range ts {
		if t == nil || !types.AssignableTo(t, want) {
			return false
		}
		if !types.IsInterface(want) && !types.Identical(t, want) {
			return false
		}
	}
	return true
}

// containerObj is the variable or field an atomic.Value or sync.Map
// receiver expression names. An element of a slice, array or map of them
// (`shard.buffer[i]`) names the variable or field that holds them all: the
// stores into any element are what a load from any element may give.
func (c *checker) containerObj(e ast.Expr) types.Object {
	switch e := ast.Unparen(e).(type) {
	case *ast.IndexExpr:
		return c.containerObj(e.X)
	case *ast.Ident:
		return c.pass.TypesInfo.Uses[e]
	case *ast.SelectorExpr:
		return c.pass.TypesInfo.Uses[e.Sel]
	case *ast.UnaryExpr:
		if e.Op == token.AND {
			return c.containerObj(e.X)
		}
	case *ast.StarExpr:
		return c.containerObj(e.X)
	}
	return nil
}

// storeArg is the index of the stored value among the arguments of the
// storing methods of atomic.Value and sync.Map.
var storeArg = map[string]int{
	"sync/atomic.Value.Store": 0, "sync/atomic.Value.Swap": 0, "sync/atomic.Value.CompareAndSwap": 1,
	"sync.Map.Store": 1, "sync.Map.LoadOrStore": 1, "sync.Map.Swap": 1, "sync.Map.CompareAndSwap": 2,
}

func (c *checker) collectStores() {
	c.stores = map[types.Object][]types.Type{}
	c.initial = map[types.Object]bool{}
	for _, f := range c.pass.Files {
		var fd *ast.FuncDecl
		ast.Inspect(f, func(n ast.Node) bool {
			if d, ok := n.(*ast.FuncDecl); ok {
				fd = d
			}
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
			if !ok {
				return true
			}
			for _, name := range provenance.CalleeNames(c.pass.TypesInfo, call) {
				i, ok := storeArg[name]
				if !ok || i >= len(call.Args) {
					continue
				}
				obj := c.containerObj(sel.X)
				if obj == nil {
					continue
				}
				var body *ast.BlockStmt
				if fd != nil {
					body = fd.Body
				}
				fromContainer := func(l *ast.CallExpr) bool {
					sel, ok := ast.Unparen(l.Fun).(*ast.SelectorExpr)
					return ok && strings.HasPrefix(sel.Sel.Name, "Load") && c.container(l) == obj
				}
				c.stores[obj] = append(c.stores[obj], c.storedTypes(body, call.Args[i], fromContainer)...)
				if name == "sync/atomic.Value.Store" && c.storesFirst(fd, sel.X, call) {
					c.initial[obj] = true
				}
				break
			}
			return true
		})
	}
}

// storesFirst reports whether the Store call on the container x fills it
// before anyone can load from it: a top-level statement of a package's init
// function storing into a package variable, or a statement of the block
// that creates the struct value holding the field, after it
// (v := &T{...}; v.f.Store(x), also inside `if debug { ... }`).
//
// An element x[i] is filled first when the store is the body of a loop that
// visits every element, right after x is made: `for i := range v.buf`, or
// `for i := 0; i < n; i++` over `buf: make([]atomic.Value, n)`.
func (c *checker) storesFirst(fd *ast.FuncDecl, x ast.Expr, call *ast.CallExpr) bool {
	if fd == nil || fd.Body == nil {
		return false
	}
	block := stmtBlock(fd.Body, call)
	if block == nil {
		return false
	}
	return c.filledFirst(fd, block, call.Pos(), x)
}

// filledFirst reports whether the statement at pos, in block, fills the
// container x before anyone can load from it (see storesFirst).
func (c *checker) filledFirst(fd *ast.FuncDecl, block *ast.BlockStmt, pos token.Pos, x ast.Expr) bool {
	info := c.pass.TypesInfo
	switch x := ast.Unparen(x).(type) {
	case *ast.IndexExpr:
		i, ok := ast.Unparen(x.Index).(*ast.Ident)
		if !ok {
			return false
		}
		loop, outer := enclosingLoop(fd.Body, block)
		if loop == nil || !c.visitsEvery(fd, loop, info.ObjectOf(i), x.X) {
			return false
		}
		return c.filledFirst(fd, outer, loop.Pos(), x.X)
	case *ast.Ident:
		v, ok := info.Uses[x].(*types.Var)
		if !ok || v.Pkg() == nil {
			return false
		}
		if v.Parent() == v.Pkg().Scope() { // a package variable, by a top-level statement of init
			return block == fd.Body && fd.Recv == nil && fd.Name.Name == "init"
		}
		return declaredJustBefore(info, block, pos, v) // var v atomic.Value; v.Store(x)
	case *ast.SelectorExpr: // v.f, v built in the same block before the store
		id, ok := ast.Unparen(x.X).(*ast.Ident)
		if !ok {
			return false
		}
		v, ok := info.Uses[id].(*types.Var)
		if !ok || !slices.ContainsFunc(block.List, func(st ast.Stmt) bool {
			as, ok := st.(*ast.AssignStmt)
			return ok && as.Pos() < pos && slices.ContainsFunc(as.Lhs, func(l ast.Expr) bool {
				lid, ok := l.(*ast.Ident)
				return ok && info.Defs[lid] == v
			})
		}) {
			return false
		}
		defs, _ := c.definitions(fd.Body, v)
		if len(defs) != 1 || defs[0].rhs == nil || defs[0].index != 0 {
			return false
		}
		switch rhs := ast.Unparen(defs[0].rhs).(type) {
		case *ast.UnaryExpr:
			_, lit := ast.Unparen(rhs.X).(*ast.CompositeLit)
			return rhs.Op == token.AND && lit
		case *ast.CompositeLit:
			return true
		case *ast.CallExpr:
			return provenance.Builtin(info, rhs) == "new"
		}
	}
	return false
}

// declaredJustBefore reports whether the local variable v is declared by a
// statement of block before pos and no statement between the declaration
// and pos mentions it: nothing can load from it before the statement at pos.
func declaredJustBefore(info *types.Info, block *ast.BlockStmt, pos token.Pos, v *types.Var) bool {
	declared := false
	for _, st := range block.List {
		if st.Pos() >= pos {
			return declared
		}
		if declared {
			mentions := false
			ast.Inspect(st, func(n ast.Node) bool {
				if id, ok := n.(*ast.Ident); ok && info.Uses[id] == v {
					mentions = true
				}
				return !mentions
			})
			if mentions {
				return false
			}
			continue
		}
		ast.Inspect(st, func(n ast.Node) bool {
			if id, ok := n.(*ast.Ident); ok && info.Defs[id] == v {
				declared = true
			}
			return !declared
		})
	}
	return false
}

// enclosingLoop returns the loop whose body is block, and the block whose
// statement list holds that loop; nil when block is not a loop's body.
func enclosingLoop(body, block *ast.BlockStmt) (ast.Stmt, *ast.BlockStmt) {
	var loop ast.Stmt
	var outer *ast.BlockStmt
	ast.Inspect(body, func(n ast.Node) bool {
		b, ok := n.(*ast.BlockStmt)
		if !ok || loop != nil {
			return loop == nil
		}
		for _, st := range b.List {
			switch l := st.(type) {
			case *ast.ForStmt:
				if l.Body == block {
					loop, outer = l, b
				}
			case *ast.RangeStmt:
				if l.Body == block {
					loop, outer = l, b
				}
			}
		}
		return loop == nil
	})
	return loop, outer
}

// visitsEvery reports whether loop runs its body once for every index i of
// the slice or array xs: `for i := range xs`, or `for i := 0; i < n; i++`
// where xs is a field made in the composite literal that built its struct
// with `make(T, n)`, n the same variable or constant.
func (c *checker) visitsEvery(fd *ast.FuncDecl, loop ast.Stmt, i types.Object, xs ast.Expr) bool {
	info := c.pass.TypesInfo
	if i == nil {
		return false
	}
	switch l := loop.(type) {
	case *ast.RangeStmt:
		k, ok := l.Key.(*ast.Ident)
		return ok && info.ObjectOf(k) == i && flow.SameExpr(info, l.X, xs)
	case *ast.ForStmt:
		init, ok := l.Init.(*ast.AssignStmt)
		if !ok || len(init.Lhs) != 1 || len(init.Rhs) != 1 || !isIdentOf(info, init.Lhs[0], i) || !isZeroInt(info, init.Rhs[0]) {
			return false
		}
		post, ok := l.Post.(*ast.IncDecStmt)
		if !ok || post.Tok != token.INC || !isIdentOf(info, post.X, i) {
			return false
		}
		cond, ok := ast.Unparen(l.Cond).(*ast.BinaryExpr)
		if !ok || cond.Op != token.LSS || !isIdentOf(info, cond.X, i) {
			return false
		}
		n := c.madeLen(fd, xs)
		return n != nil && flow.SameExpr(info, cond.Y, n)
	}
	return false
}

// madeLen returns the length n of `make(T, n)` when xs is a field v.f
// that the composite literal defining v in fd sets to it.
func (c *checker) madeLen(fd *ast.FuncDecl, xs ast.Expr) ast.Expr {
	info := c.pass.TypesInfo
	sel, ok := ast.Unparen(xs).(*ast.SelectorExpr)
	if !ok {
		return nil
	}
	id, ok := ast.Unparen(sel.X).(*ast.Ident)
	if !ok {
		return nil
	}
	v, ok := info.Uses[id].(*types.Var)
	if !ok {
		return nil
	}
	defs, _ := c.definitions(fd.Body, v)
	if len(defs) != 1 || defs[0].rhs == nil {
		return nil
	}
	rhs := ast.Unparen(defs[0].rhs)
	if u, ok := rhs.(*ast.UnaryExpr); ok && u.Op == token.AND {
		rhs = ast.Unparen(u.X)
	}
	lit, ok := rhs.(*ast.CompositeLit)
	if !ok {
		return nil
	}
	for _, el := range lit.Elts {
		kv, ok := el.(*ast.KeyValueExpr)
		if !ok {
			continue
		}
		if k, ok := kv.Key.(*ast.Ident); !ok || k.Name != sel.Sel.Name {
			continue
		}
		call, ok := ast.Unparen(kv.Value).(*ast.CallExpr)
		if !ok || len(call.Args) != 2 || provenance.Builtin(info, call) != "make" {
			return nil
		}
		return call.Args[1]
	}
	return nil
}

func isIdentOf(info *types.Info, e ast.Expr, obj types.Object) bool {
	id, ok := ast.Unparen(e).(*ast.Ident)
	return ok && info.ObjectOf(id) == obj
}

func isZeroInt(info *types.Info, e ast.Expr) bool {
	n, ok := flow.IntConst(info, e)
	return ok && n == 0
}

// stmtBlock returns the block of body whose statement list holds call as
// an expression statement, or nil.
func stmtBlock(body *ast.BlockStmt, call *ast.CallExpr) *ast.BlockStmt {
	var found *ast.BlockStmt
	ast.Inspect(body, func(n ast.Node) bool {
		b, ok := n.(*ast.BlockStmt)
		if !ok || found != nil {
			return found == nil
		}
		for _, st := range b.List {
			if es, ok := st.(*ast.ExprStmt); ok && ast.Unparen(es.X) == call {
				found = b
			}
		}
		return found == nil
	})
	return found
}

// storedTypes returns the types of the value e stored into a container: its
// static type, or, for a local variable of interface type (d := Load();
// if d == nil { d = make(chan T); Store(d) }), the types of the values
// assigned to it other than loads from the same container, which load
// copies what is stored (the result's type, for a variable assigned one
// result of a call: _, err := f()). isLoad tells those loads. A nil
// element means unknown.
func (c *checker) storedTypes(body *ast.BlockStmt, e ast.Expr, isLoad func(*ast.CallExpr) bool) []types.Type {
	t := c.typeOf(e)
	if t == nil || !types.IsInterface(t) {
		return []types.Type{t}
	}
	id, ok := ast.Unparen(e).(*ast.Ident)
	if !ok || body == nil {
		return []types.Type{t}
	}
	v, ok := c.pass.TypesInfo.Uses[id].(*types.Var)
	if !ok || v.Pos() < body.Pos() || v.Pos() >= body.End() {
		return []types.Type{t} // a parameter: its static type is what is known
	}
	defs, dec := c.definitions(body, v)
	if dec != nil {
		return []types.Type{nil}
	}
	var ts []types.Type
	for _, d := range defs {
		if d.rhs == nil {
			return []types.Type{nil}
		}
		if call, ok := ast.Unparen(d.rhs).(*ast.CallExpr); ok && isLoad(call) {
			continue // a load from the container itself
		}
		rt := c.typeOf(d.rhs)
		if tuple, ok := rt.(*types.Tuple); ok { // err from v, err := f()
			if d.index >= tuple.Len() {
				return []types.Type{nil}
			}
			rt = tuple.At(d.index).Type()
		} else if d.index > 0 {
			return []types.Type{nil} // the ok of a comma-ok form
		}
		if rt == nil {
			return []types.Type{nil}
		}
		ts = append(ts, rt)
	}
	if len(ts) == 0 {
		return []types.Type{t}
	}
	return ts
}

// interfaceChan reports whether e is a channel whose element type is an
// interface.
func (c *checker) interfaceChan(e ast.Expr) bool {
	t := c.typeOf(e)
	if t == nil {
		return false
	}
	ch, ok := t.Underlying().(*types.Chan)
	return ok && types.IsInterface(ch.Elem())
}

func (c *checker) elemString(e ast.Expr) string {
	t := c.typeOf(e)
	if t == nil {
		return "interface values"
	}
	if ch, ok := t.Underlying().(*types.Chan); ok {
		return types.TypeString(ch.Elem(), types.RelativeTo(c.pass.Pkg))
	}
	return types.TypeString(t, types.RelativeTo(c.pass.Pkg))
}

// decoded returns the call that decoded the document x in this function
// (json.Unmarshal(data, &doc), dec.Decode(&doc)), following local
// variables, index expressions and type assertions (doc["a"].([]any)), or
// nil. Parameters, fields and tables are not traced: maps of any values
// are as often the program's own option bags as decoded documents.
func (c *checker) decoded(body *ast.BlockStmt, x ast.Expr, depth int) *ast.CallExpr {
	if body == nil || depth < 0 {
		return nil
	}
	switch x := ast.Unparen(x).(type) {
	case *ast.IndexExpr:
		return c.decoded(body, x.X, depth)
	case *ast.TypeAssertExpr:
		return c.decoded(body, x.X, depth)
	case *ast.SelectorExpr: // a field of a decoded struct: cfg.Extra["k"]
		if sel, ok := c.pass.TypesInfo.Selections[x]; ok && sel.Kind() == types.FieldVal {
			return c.decoded(body, x.X, depth)
		}
	case *ast.Ident:
		v, ok := c.pass.TypesInfo.Uses[x].(*types.Var)
		if !ok || v.Pos() < body.Pos() || v.Pos() >= body.End() {
			return nil
		}
		defs, dec := c.definitions(body, v)
		if dec != nil {
			return dec
		}
		if depth == 0 {
			return nil
		}
		for _, d := range defs {
			switch {
			case d.rng != nil:
				if dec := c.decoded(body, d.rng.X, depth-1); dec != nil {
					return dec
				}
			case d.rhs != nil:
				if dec := c.decoded(body, d.rhs, depth-1); dec != nil {
					return dec
				}
			}
		}
	}
	return nil
}

// builtHere reports whether x, or the variable at the base of its field
// selectors (env of env.Meta), is a local variable of body that only
// composite literals define (env := envelope{Data: "x"}) and that no
// decoder fills: the struct holds what this code put in it.
func (c *checker) builtHere(body *ast.BlockStmt, x ast.Expr) bool {
	for {
		sel, ok := ast.Unparen(x).(*ast.SelectorExpr)
		if !ok {
			break
		}
		x = sel.X
	}
	id, ok := ast.Unparen(x).(*ast.Ident)
	if !ok || body == nil {
		return false
	}
	v, ok := c.pass.TypesInfo.Uses[id].(*types.Var)
	if !ok || v.Pos() < body.Pos() || v.Pos() >= body.End() {
		return false
	}
	defs, dec := c.definitions(body, v)
	if dec != nil || len(defs) == 0 {
		return false
	}
	for _, d := range defs {
		rhs := d.rhs
		if u, ok := ast.Unparen(rhs).(*ast.UnaryExpr); ok && u.Op == token.AND {
			rhs = u.X
		}
		if _, ok := ast.Unparen(rhs).(*ast.CompositeLit); !ok || d.rng != nil {
			return false
		}
	}
	return true
}

// def is one definition of a local variable: the right-hand side and, for a
// multi-value right-hand side, which of its values the variable receives.
type def struct {
	rhs   ast.Expr // nil when unknown (a declaration without value)
	index int
	rng   *ast.RangeStmt // set when the variable is a range value
}

// definitions returns the assignments to v in body, and the call that
// decodes into v (json.Unmarshal(data, &v)), if any.
func (c *checker) definitions(body *ast.BlockStmt, v *types.Var) (defs []def, decoded *ast.CallExpr) {
	info := c.pass.TypesInfo
	is := func(e ast.Expr) bool {
		id, ok := ast.Unparen(e).(*ast.Ident)
		if !ok {
			return false
		}
		return info.Defs[id] == v || info.Uses[id] == v
	}
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			for i, l := range n.Lhs {
				if !is(l) {
					continue
				}
				switch {
				case len(n.Rhs) == len(n.Lhs):
					defs = append(defs, def{rhs: n.Rhs[i]})
				case len(n.Rhs) == 1:
					defs = append(defs, def{rhs: n.Rhs[0], index: i})
				}
			}
		case *ast.ValueSpec:
			for i, name := range n.Names {
				if info.Defs[name] != v {
					continue
				}
				switch {
				case len(n.Values) == len(n.Names):
					defs = append(defs, def{rhs: n.Values[i]})
				case len(n.Values) == 1:
					defs = append(defs, def{rhs: n.Values[0], index: i})
				default:
					defs = append(defs, def{})
				}
			}
		case *ast.RangeStmt:
			if (n.Value != nil && is(n.Value)) || (n.Key != nil && is(n.Key) && c.interfaceChan(n.X)) {
				defs = append(defs, def{rng: n})
			} else if n.Key != nil && is(n.Key) {
				defs = append(defs, def{rhs: nil}) // a key or index: not an element
			}
		case *ast.CallExpr:
			if decoded == nil && isDecodeCall(n) {
				for _, a := range n.Args {
					if u, ok := ast.Unparen(a).(*ast.UnaryExpr); ok && u.Op == token.AND && is(u.X) {
						decoded = n
					}
				}
			}
		}
		return true
	})
	return defs, decoded
}

// isDecodeCall reports whether call looks like a decoder filling its
// pointer argument: json.Unmarshal, yaml.Unmarshal, Decoder.Decode, ...
func isDecodeCall(call *ast.CallExpr) bool {
	var name string
	switch f := ast.Unparen(call.Fun).(type) {
	case *ast.Ident:
		name = f.Name
	case *ast.SelectorExpr:
		name = f.Sel.Name
	default:
		return false
	}
	name = strings.ToLower(name) // also yaml.v2's UnmarshalYAML(unmarshal func(any) error)
	return strings.HasPrefix(name, "unmarshal") || strings.HasPrefix(name, "decode")
}

// varOrigin traces a local variable to its definitions.
func (c *checker) varOrigin(fn ast.Node, body *ast.BlockStmt, id *ast.Ident, want types.Type, depth int) *origin {
	v, ok := c.pass.TypesInfo.Uses[id].(*types.Var)
	if !ok || v.Pos() < body.Pos() || v.Pos() >= body.End() {
		return nil // parameters, fields, package variables: their type is the caller's contract
	}
	defs, decoded := c.definitions(body, v)
	if decoded != nil {
		return &origin{what: "decoded by " + types.ExprString(decoded.Fun), at: decoded}
	}
	for _, d := range defs {
		switch {
		case d.rng != nil:
			if x := d.rng.X; c.interfaceChan(x) && !c.sentOnly(x, want, true) {
				return &origin{what: "received from a channel of " + c.elemString(x), at: x}
			}
		case d.rhs != nil:
			if o := c.origin(fn, body, d.rhs, want, depth-1); o != nil {
				return o
			}
		}
	}
	return nil
}
