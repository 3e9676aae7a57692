package uncheckedmaplookup

import (
	"fmt"
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
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
	a := spec.NewAnalyzer(ID, summary, o, run)
	a.FactTypes = []analysis.Fact{new(keysOf)}
	return a
}

func run(pass *analysis.Pass, r *spec.Reporter) {
	c := &checker{info: pass.TypesInfo, lists: r.Options().Lists, r: r, pkg: pass.Pkg}
	c.enders = flow.NewEnders(c.info, c.lists)
	c.inputs = &flow.Inputs{Info: c.info, Lists: c.lists, Pkg: pass.Pkg}
	c.docs = &provenance.Documents{Info: c.info, Files: pass.Files}
	c.files = pass.Files
	c.exportKeys(pass)
	for file := range r.Files() {
		for cur := range file.Preorder((*ast.IndexExpr)(nil)) {
			c.check(cur)
		}
	}
}

type checker struct {
	enders *flow.Enders // shared by the pass's Guards
	inputs *flow.Inputs
	docs   *provenance.Documents
	files  []*ast.File
	// inputKeys caches, per map variable or field, whether the package
	// stores into it under keys that come from input.
	inputKeys map[types.Object]bool
	pkg       *types.Package
	pass      *analysis.Pass // for the keysOf facts; nil before exportKeys
	info      *types.Info
	lists     *provenance.Lists
	r         *spec.Reporter
}

// use is a place where a missing key makes the program fail.
type use struct {
	node ast.Node // the failing expression: v.Name, m[a][b] = x, fn(...)
	how  string   // what fails, for the message
}

func (c *checker) check(cur inspector.Cursor) {
	ix, ok := cur.Node().(*ast.IndexExpr)
	if !ok {
		return
	}
	tv, ok := c.info.Types[ix.X]
	if !ok || tv.Type == nil {
		return // without types a map lookup looks like a slice index
	}
	mt, ok := tv.Type.Underlying().(*types.Map)
	if !ok || isCommaOk(cur) || isWritten(cur) {
		return
	}
	if isDocument(mt) {
		c.checkDocument(cur, ix)
		return
	}
	if !nilable(mt.Elem()) || isBoolSet(mt) {
		return
	}
	u, via, ok := c.failingUse(cur, ix, mt.Elem())
	if !ok {
		return
	}
	if !c.mayMiss(cur, ix) || flow.ProgramHeaderKey(c.info, ix) || c.invariantKey(cur, ix) || c.lookupGuarded(cur, ix) {
		return
	}
	key := types.ExprString(ix.Index)
	mapText := types.ExprString(ix.X)
	msg := fmt.Sprintf("%s is nil when %s is not in %s, and %s then panics; check with %s, ok := %s",
		types.ExprString(ix), key, mapText, u.how, valueName(via), types.ExprString(ix))
	d := analysis.Diagnostic{Pos: ix.Pos(), End: ix.End(), Message: msg}
	if via != nil {
		d.Related = []analysis.RelatedInformation{{
			Pos: u.node.Pos(), End: u.node.End(),
			Message: fmt.Sprintf("%s, looked up from %s, is used here as if present", via.Name, mapText),
		}}
	}
	c.r.Report(d)
}

// mayMiss reports whether the key of the lookup ix may be absent for
// reasons outside the program: the key comes from input, the map itself
// does (url.Values, a decoded table), or the map is a registry whose keys
// input chose (m[name] = v with name from input, as in an exported
// Register(name, h)), so that a key from anywhere else may not be among
// them.
func (c *checker) mayMiss(cur inspector.Cursor, ix *ast.IndexExpr) bool {
	if c.inputs.FromInput(cur, ix.Index) || c.inputs.FromInput(cur, ix.X) {
		return true
	}
	obj := mapObj(c.info, ix.X)
	if obj == nil {
		return false
	}
	if c.inputKeys == nil {
		c.inputKeys = map[types.Object]bool{}
		root := cur.Inspector().Root()
		for ac := range root.Preorder((*ast.AssignStmt)(nil)) {
			as, ok := ac.Node().(*ast.AssignStmt)
			if !ok {
				continue
			}
			for i, l := range as.Lhs {
				w, ok := ast.Unparen(l).(*ast.IndexExpr)
				if !ok {
					continue
				}
				o := mapObj(c.info, w.X)
				if o == nil || c.inputKeys[o] {
					continue
				}
				if _, isMap := c.info.TypeOf(w.X).Underlying().(*types.Map); !isMap {
					continue
				}
				if lc, ok := ac.ChildAt(edge.AssignStmt_Lhs, i).FindNode(w); ok && c.inputs.FromInput(lc, w.Index) {
					c.inputKeys[o] = true
				}
			}
		}
	}
	return c.inputKeys[obj]
}

// mapObj is the variable or field the map expression e names, or nil.
func mapObj(info *types.Info, e ast.Expr) types.Object {
	switch e := ast.Unparen(e).(type) {
	case *ast.Ident:
		return info.Uses[e]
	case *ast.SelectorExpr:
		return info.Uses[e.Sel]
	}
	return nil
}

func valueName(via *ast.Ident) string {
	if via != nil {
		return via.Name
	}
	return "v"
}

// failingUse finds where the lookup's zero value fails: the lookup itself
// being dereferenced, called or written into, or (through `v := m[k]`) the
// first such use of the variable that no nil check protects.
func (c *checker) failingUse(cur inspector.Cursor, ix *ast.IndexExpr, elem types.Type) (use, *ast.Ident, bool) {
	if u, ok := c.panics(cur, elem, true); ok {
		return u, nil, true
	}
	// v := m[k] (or var v = m[k]) followed by a use of v.
	parent := cur.Parent()
	var v *ast.Ident
	switch p := parent.Node().(type) {
	case *ast.AssignStmt:
		if p.Tok != token.DEFINE || len(p.Lhs) != 1 || len(p.Rhs) != 1 {
			return use{}, nil, false
		}
		v, _ = p.Lhs[0].(*ast.Ident)
	case *ast.ValueSpec:
		if len(p.Names) != 1 || len(p.Values) != 1 {
			return use{}, nil, false
		}
		v = p.Names[0]
	}
	if v == nil || v.Name == "_" {
		return use{}, nil, false
	}
	obj := c.info.Defs[v]
	if obj == nil {
		return use{}, nil, false
	}
	fn, _, _, ok := flow.EnclosingFunc(cur)
	if !ok {
		return use{}, nil, false
	}
	fc, ok := flow.Find(cur.Inspector().Root(), fn)
	if !ok {
		return use{}, nil, false
	}
	// Give up on variables assigned again or whose address is taken: the
	// lookup is then only one of their values.
	for idc := range fc.Preorder((*ast.Ident)(nil)) {
		id, ok := idc.Node().(*ast.Ident)
		if !ok || id == v || c.info.Uses[id] != obj {
			continue
		}
		switch k := idc.ParentEdgeKind(); k {
		case edge.AssignStmt_Lhs, edge.IncDecStmt_X:
			return use{}, nil, false
		case edge.UnaryExpr_X:
			if u, ok := idc.Parent().Node().(*ast.UnaryExpr); ok && u.Op == token.AND {
				return use{}, nil, false
			}
		}
	}
	same := func(e ast.Expr) bool {
		id, ok := ast.Unparen(e).(*ast.Ident)
		return ok && c.info.Uses[id] == obj
	}
	_, _, body, _ := flow.EnclosingFunc(cur)
	g := &flow.Guard{
		Info:  c.info,
		Lists: c.lists, Enders: c.enders,
		Holds: flow.Either(flow.NonNil(same), flow.Present(c.info, body, func(e ast.Expr) bool {
			return flow.SameExpr(c.info, e, ix)
		})),
	}
	for idc := range fc.Preorder((*ast.Ident)(nil)) {
		id, ok := idc.Node().(*ast.Ident)
		if !ok || id == v || c.info.Uses[id] != obj {
			continue
		}
		u, ok := c.panics(idc, elem, false)
		if !ok {
			continue
		}
		if g.Dominates(idc) {
			return use{}, nil, false // checked before its first risky use
		}
		return u, v, true
	}
	return use{}, nil, false
}

// panics reports whether the value at cur (a lookup, or a variable holding
// one) is used in a way that panics when it is the zero value of elem.
// direct is set for the lookup itself: indexing it as a slice (m[k][0])
// then panics too, where a variable's length is unchecked-index's business.
func (c *checker) panics(cur inspector.Cursor, elem types.Type, direct bool) (use, bool) {
	e, ok := cur.Node().(ast.Expr)
	if !ok {
		return use{}, false
	}
	// Skip parentheses.
	for {
		if _, ok := cur.Parent().Node().(*ast.ParenExpr); !ok {
			break
		}
		cur = cur.Parent()
	}
	text := types.ExprString(e)
	parent := cur.Parent()
	switch p := parent.Node().(type) {
	case *ast.SelectorExpr:
		sel, ok := c.info.Selections[p]
		if !ok {
			return use{}, false
		}
		switch sel.Kind() {
		case types.FieldVal:
			if isPointer(elem) {
				return use{p, "the field access " + types.ExprString(p)}, true
			}
		case types.MethodVal:
			if types.IsInterface(elem) {
				return use{p, "the method call " + types.ExprString(p)}, true
			}
			if isPointer(elem) && !pointerReceiver(sel) {
				return use{p, "the method call " + types.ExprString(p)}, true
			}
		}
	case *ast.StarExpr:
		if isPointer(elem) {
			return use{p, "the dereference " + types.ExprString(p)}, true
		}
	case *ast.CallExpr:
		if cur.ParentEdgeKind() == edge.CallExpr_Fun {
			if _, ok := elem.Underlying().(*types.Signature); ok {
				return use{p, "the call " + text + "(...)"}, true
			}
		}
	case *ast.IndexExpr:
		if cur.ParentEdgeKind() != edge.IndexExpr_X {
			return use{}, false
		}
		switch u := elem.Underlying().(type) {
		case *types.Map:
			if isWritten(parent) {
				return use{parent.Parent().Node(), "the write " + types.ExprString(p)}, true
			}
		case *types.Pointer:
			if _, ok := u.Elem().Underlying().(*types.Array); ok {
				return use{p, "the index " + types.ExprString(p)}, true
			}
		case *types.Slice:
			if direct {
				return use{p, "the index " + types.ExprString(p)}, true
			}
		}
	}
	return use{}, false
}

func pointerReceiver(sel *types.Selection) bool {
	fn, ok := sel.Obj().(*types.Func)
	if !ok {
		return false
	}
	sig, ok := fn.Type().(*types.Signature)
	if !ok || sig.Recv() == nil {
		return false
	}
	return isPointer(sig.Recv().Type())
}

func isPointer(t types.Type) bool {
	_, ok := t.Underlying().(*types.Pointer)
	return ok
}

// nilable reports whether the zero value of t is nil and some use of it
// panics (for a slice: an index).
func nilable(t types.Type) bool {
	if types.IsInterface(t) {
		return true
	}
	switch t.Underlying().(type) {
	case *types.Pointer, *types.Map, *types.Signature, *types.Slice:
		return true
	}
	return false
}

// isBoolSet reports a map[T]bool or map[T]struct{} used as a set.
func isBoolSet(m *types.Map) bool {
	if b, ok := m.Elem().Underlying().(*types.Basic); ok && b.Kind() == types.Bool {
		return true
	}
	s, ok := m.Elem().Underlying().(*types.Struct)
	return ok && s.NumFields() == 0
}

// isDocument reports a map[string]any: the shape of a decoded JSON or YAML
// object.
func isDocument(m *types.Map) bool {
	k, ok := m.Key().Underlying().(*types.Basic)
	if !ok || k.Kind() != types.String {
		return false
	}
	i, ok := m.Elem().Underlying().(*types.Interface)
	return ok && i.Empty()
}

// isCommaOk reports the lookup in v, ok := m[k] and var v, ok = m[k].
func isCommaOk(cur inspector.Cursor) bool {
	for {
		if _, ok := cur.Parent().Node().(*ast.ParenExpr); !ok {
			break
		}
		cur = cur.Parent()
	}
	switch p := cur.Parent().Node().(type) {
	case *ast.AssignStmt:
		return len(p.Lhs) == 2 && len(p.Rhs) == 1
	case *ast.ValueSpec:
		return len(p.Names) == 2 && len(p.Values) == 1
	}
	return false
}

// isWritten reports whether the index expression at cur is assigned to
// (m[k] = v, m[k] += v, m[k]++): a store, not a lookup.
func isWritten(cur inspector.Cursor) bool {
	for {
		if _, ok := cur.Parent().Node().(*ast.ParenExpr); !ok {
			break
		}
		cur = cur.Parent()
	}
	switch cur.ParentEdgeKind() {
	case edge.AssignStmt_Lhs, edge.IncDecStmt_X:
		return true
	case edge.RangeStmt_Key, edge.RangeStmt_Value:
		return true
	}
	return false
}

// invariantKey reports lookups whose key the program itself guarantees:
// a constant key (the author filled the table), the key of a range over the
// same map, or a key the same function inserts (m[k] = v anywhere in it: the
// lookup relies on that, not on input).
func (c *checker) invariantKey(cur inspector.Cursor, ix *ast.IndexExpr) bool {
	if tv, ok := c.info.Types[ix.Index]; ok && tv.Value != nil {
		return !c.inputs.FromInput(cur, ix.X)
	}
	_, _, body, ok := flow.EnclosingFunc(cur)
	if !ok || body == nil {
		return false
	}
	if id, ok := ast.Unparen(ix.Index).(*ast.Ident); ok {
		if obj := c.info.Uses[id]; obj != nil {
			for rc := range cur.Enclosing((*ast.RangeStmt)(nil)) {
				rs, ok := rc.Node().(*ast.RangeStmt)
				if !ok {
					continue
				}
				if k, ok := rs.Key.(*ast.Ident); ok && c.info.Defs[k] == obj {
					if tv, ok := c.info.Types[rs.X]; ok && tv.Type != nil {
						if _, isMap := tv.Type.Underlying().(*types.Map); isMap && flow.SameExpr(c.info, rs.X, ix.X) {
							return true
						}
					}
				}
			}
		}
	}
	if c.keyOfSameMap(cur, ix, body) {
		return true
	}
	// The function stores under the same key expression itself.
	keyText := types.ExprString(ix.Index)
	mapText := types.ExprString(ix.X)
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		if found {
			return false
		}
		as, ok := n.(*ast.AssignStmt)
		if !ok {
			return true
		}
		for _, l := range as.Lhs {
			if w, ok := ast.Unparen(l).(*ast.IndexExpr); ok && w != ix &&
				types.ExprString(w.X) == mapText && types.ExprString(w.Index) == keyText {
				found = true
			}
		}
		return true
	})
	return found
}

// lookupGuarded reports whether a dominating check makes the key present
// (or the element non-nil) where m[k] is used. A length check that proves
// the element non-empty (len(m[k]) == 1 && m[k][0]) proves it present.
func (c *checker) lookupGuarded(cur inspector.Cursor, ix *ast.IndexExpr) bool {
	same := func(e ast.Expr) bool { return flow.SameExpr(c.info, e, ix) }
	_, _, body, _ := flow.EnclosingFunc(cur)
	g := &flow.Guard{
		Info:  c.info,
		Lists: c.lists, Enders: c.enders,
		Holds: flow.Either(flow.NonNil(same), flow.Present(c.info, body, same),
			flow.LenAtLeast(c.info, flow.IsLenOf(c.info, same), 1)),
		Sets: func(s ast.Stmt) bool { return flow.Assigns(s, same) },
	}
	return g.Dominates(cur)
}

// checkDocument reports a constant key of a document from outside whose
// value is used as if present: passed on, stored or returned (a missing
// field becomes a nil that travels on), or asserted with the single-value
// form (which panics). Comparisons and local variables (judged where they
// are used) are left alone.
func (c *checker) checkDocument(cur inspector.Cursor, ix *ast.IndexExpr) {
	tv, ok := c.info.Types[ix.Index]
	if !ok || tv.Value == nil {
		return
	}
	fn, _ := flow.OutermostFunc(cur)
	src := c.docs.Source(fn, ix.X)
	if src == "" {
		return // not from outside: the code built it
	}
	pc := cur
	for {
		if _, ok := pc.Parent().Node().(*ast.ParenExpr); !ok {
			break
		}
		pc = pc.Parent()
	}
	var how, fix string
	switch p := pc.Parent().Node().(type) {
	case *ast.TypeAssertExpr:
		if p.Type == nil || isCommaOk(pc.Parent()) {
			return // a type switch or the two-value form handles absence
		}
		how = "the type assertion " + types.ExprString(p) + " then panics"
		fix = "use the two-value form of the assertion"
	case *ast.CallExpr:
		if pc.ParentEdgeKind() != edge.CallExpr_Args || provenance.Builtin(c.info, p) != "" {
			return
		}
		if c.describes(p, pc.Node()) {
			return // a message about the value, which shows a nil as <nil>
		}
		if c.calleeTests(p, pc.Node()) {
			return // the callee handles a missing value itself
		}
		if provenance.Compares(provenance.CalleeNames(c.info, p)...) {
			return // compared, like ==: a nil is an answer
		}
		how = "the nil is passed to " + types.ExprString(p.Fun) + " as if it were present"
	case *ast.AssignStmt:
		if pc.ParentEdgeKind() != edge.AssignStmt_Rhs || len(p.Lhs) != len(p.Rhs) {
			return
		}
		for _, l := range p.Lhs {
			if _, isVar := ast.Unparen(l).(*ast.Ident); isVar {
				return // a local variable: its later nil check or assertion decides
			}
		}
		how = "the nil is stored as if it were present"
	case *ast.ReturnStmt:
		how = "the nil is returned as if it were present"
	case *ast.KeyValueExpr:
		how = "the nil is stored as if it were present"
	default:
		return
	}
	if fix == "" {
		fix = "check with v, ok := " + types.ExprString(ix)
	}
	same := func(e ast.Expr) bool { return flow.SameExpr(c.info, e, ix) }
	_, _, body, _ := flow.EnclosingFunc(cur)
	g := &flow.Guard{
		Info:  c.info,
		Lists: c.lists, Enders: c.enders,
		Holds: flow.Either(flow.NonNil(same), flow.Present(c.info, body, same)),
		Sets:  func(s ast.Stmt) bool { return flow.Assigns(s, same) },
	}
	if g.Dominates(cur) {
		return
	}
	c.r.Reportf(ix, "%s is nil when %s has no %s field, and %s; %s",
		types.ExprString(ix), src, types.ExprString(ix.Index), how, fix)
}

// describes reports whether call only describes its argument arg to a
// person: an error message (fmt.Errorf), a log line, text printed to the
// terminal (fmt.Print*, fmt.Fprint* to os.Stdout or os.Stderr), or a %T verb
// of a format string. A nil shows there as <nil> where the person reads it.
// Formatting a field into data (fmt.Sprintf of a URL, fmt.Fprintf to a
// response or a file) uses it as if present.
func (c *checker) describes(call *ast.CallExpr, arg ast.Node) bool {
	names := provenance.CalleeNames(c.info, call)
	for _, n := range names {
		switch n {
		case "fmt.Errorf", "fmt.Print", "fmt.Printf", "fmt.Println":
			return true
		case "fmt.Fprint", "fmt.Fprintf", "fmt.Fprintln":
			if len(call.Args) > 0 && call.Args[0] != arg && isStdStream(c.info, call.Args[0]) {
				return true
			}
		}
	}
	if c.lists.IsLog(c.info, call) {
		return true
	}
	for i, a := range call.Args {
		tv, ok := c.info.Types[a]
		if !ok || tv.Value == nil || tv.Value.Kind() != constant.String {
			continue
		}
		for j := i + 1; j < len(call.Args); j++ {
			if call.Args[j] == arg {
				return formatVerb(constant.StringVal(tv.Value), j-i-1) == 'T'
			}
		}
		return false
	}
	return false
}

// isStdStream reports os.Stdout and os.Stderr.
func isStdStream(info *types.Info, e ast.Expr) bool {
	sel, ok := ast.Unparen(e).(*ast.SelectorExpr)
	if !ok {
		return false
	}
	v, ok := info.Uses[sel.Sel].(*types.Var)
	return ok && v.Pkg() != nil && v.Pkg().Path() == "os" && (v.Name() == "Stdout" || v.Name() == "Stderr")
}

// calleeTests reports whether call passes arg to a function of this
// package that tests the parameter before relying on it: compares it with
// nil, or tests its type with a two-value assertion or a type switch
// (func asString(v any) string { if s, ok := v.(string); ok { ... } }).
func (c *checker) calleeTests(call *ast.CallExpr, arg ast.Node) bool {
	id := provenance.CalleeIdent(call)
	if id == nil {
		return false
	}
	fn, ok := c.info.Uses[id].(*types.Func)
	if !ok || fn.Pkg() != c.pkg {
		return false
	}
	idx := -1
	for i, a := range call.Args {
		if a == arg {
			idx = i
		}
	}
	sig, ok := fn.Type().(*types.Signature)
	if !ok || idx < 0 || idx >= sig.Params().Len() || (sig.Variadic() && idx >= sig.Params().Len()-1) {
		return false
	}
	param := sig.Params().At(idx)
	decl := c.funcDecl(fn)
	if decl == nil || decl.Body == nil {
		return false
	}
	isParam := func(e ast.Expr) bool {
		id, ok := ast.Unparen(e).(*ast.Ident)
		return ok && c.info.Uses[id] == param
	}
	tested := false
	ast.Inspect(decl.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.BinaryExpr:
			if (n.Op == token.EQL || n.Op == token.NEQ) &&
				((isParam(n.X) && flow.IsNil(c.info, n.Y)) || (isParam(n.Y) && flow.IsNil(c.info, n.X))) {
				tested = true
			}
		case *ast.TypeSwitchStmt:
			ast.Inspect(n.Assign, func(m ast.Node) bool {
				if ta, ok := m.(*ast.TypeAssertExpr); ok && isParam(ta.X) {
					tested = true
				}
				return true
			})
		case *ast.AssignStmt:
			if len(n.Lhs) == 2 && len(n.Rhs) == 1 {
				if ta, ok := ast.Unparen(n.Rhs[0]).(*ast.TypeAssertExpr); ok && isParam(ta.X) {
					tested = true
				}
			}
		}
		return !tested
	})
	return tested
}

// funcDecl returns the declaration of fn among the package's files.
func (c *checker) funcDecl(fn *types.Func) *ast.FuncDecl {
	for _, f := range c.files {
		if f.FileStart > fn.Pos() || fn.Pos() >= f.FileEnd {
			continue
		}
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && c.info.Defs[fd.Name] == fn {
				return fd
			}
		}
	}
	return nil
}

// formatVerb returns the verb of the n'th operand of a printf format, or 0.
func formatVerb(format string, n int) rune {
	k := 0
	for i := 0; i < len(format); i++ {
		if format[i] != '%' {
			continue
		}
		i++
		for i < len(format) && strings.IndexByte("+-# 0123456789.[]*", format[i]) >= 0 {
			if format[i] == '*' {
				k++ // a width or precision operand
			}
			i++
		}
		if i >= len(format) || format[i] == '%' {
			continue
		}
		if k == n {
			return rune(format[i])
		}
		k++
	}
	return 0
}

func calleeBase(call *ast.CallExpr) string {
	if id := provenance.CalleeIdent(call); id != nil {
		return id.Name
	}
	return ""
}

// keyOfSameMap reports a key drawn from a collection of the map's own keys:
//
//	for _, name := range slices.Sorted(maps.Keys(m)) { m[name].x }
//	for name := range m { names = append(names, name) }
//	for _, name := range names { m[name].x }
func (c *checker) keyOfSameMap(cur inspector.Cursor, ix *ast.IndexExpr, body *ast.BlockStmt) bool {
	id, ok := ast.Unparen(ix.Index).(*ast.Ident)
	if !ok {
		return false
	}
	obj := c.info.Uses[id]
	if obj == nil {
		return false
	}
	var coll ast.Expr
	for rc := range cur.Enclosing((*ast.RangeStmt)(nil)) {
		rs, ok := rc.Node().(*ast.RangeStmt)
		if !ok {
			continue
		}
		if v, ok := rs.Value.(*ast.Ident); ok && c.info.Defs[v] == obj {
			coll = ast.Unparen(rs.X)
		}
	}
	if coll == nil {
		return false
	}
	// The map, or a local variable that holds it (content := resp.Content).
	isMap := func(e ast.Expr) bool {
		if flow.SameExpr(c.info, e, ix.X) {
			return true
		}
		held, _, ok := flow.HeldValue(c.info, body, e)
		return ok && flow.SameExpr(c.info, held, ix.X)
	}
	if c.keysCall(coll, isMap) {
		return true
	}
	cid, ok := coll.(*ast.Ident)
	if !ok {
		return false
	}
	cobj := c.info.Uses[cid]
	if cobj == nil {
		return false
	}
	// The collection is filled with the map's keys in this function:
	// names = append(names, k) in a range over the map, or
	// names := slices.Sorted(maps.Keys(m)).
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		if found {
			return false
		}
		switch n := n.(type) {
		case *ast.AssignStmt:
			if len(n.Lhs) != 1 || len(n.Rhs) != 1 {
				return true
			}
			lid, ok := n.Lhs[0].(*ast.Ident)
			if !ok || c.info.ObjectOf(lid) != cobj {
				return true
			}
			if c.keysCall(n.Rhs[0], isMap) {
				found = true
			}
		case *ast.RangeStmt:
			tv, ok := c.info.Types[n.X]
			if !ok || tv.Type == nil || !flow.SameExpr(c.info, n.X, ix.X) {
				return true
			}
			if _, isMap := tv.Type.Underlying().(*types.Map); !isMap {
				return true
			}
			k, ok := n.Key.(*ast.Ident)
			if !ok {
				return true
			}
			kobj := c.info.Defs[k]
			ast.Inspect(n.Body, func(m ast.Node) bool {
				// names[i] = k
				if as, ok := m.(*ast.AssignStmt); ok && len(as.Lhs) == 1 && len(as.Rhs) == 1 {
					if w, ok := ast.Unparen(as.Lhs[0]).(*ast.IndexExpr); ok {
						if wid := identOf(w.X); wid != nil && c.info.Uses[wid] == cobj {
							if rid := identOf(as.Rhs[0]); rid != nil && c.info.Uses[rid] == kobj {
								found = true
							}
						}
					}
				}
				call, ok := m.(*ast.CallExpr)
				if !ok || calleeBase(call) != "append" || len(call.Args) < 2 {
					return true
				}
				if a, ok := ast.Unparen(call.Args[0]).(*ast.Ident); !ok || c.info.Uses[a] != cobj {
					return true
				}
				for _, arg := range call.Args[1:] {
					if aid, ok := ast.Unparen(arg).(*ast.Ident); ok && c.info.Uses[aid] == kobj {
						found = true
					}
				}
				return true
			})
		}
		return true
	})
	return found
}

func identOf(e ast.Expr) *ast.Ident {
	id, _ := ast.Unparen(e).(*ast.Ident)
	return id
}
