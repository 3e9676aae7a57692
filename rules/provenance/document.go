package provenance

import (
	"go/ast"
	"go/token"
	"go/types"
	"reflect"
)

// This file answers "does this value hold a document from outside?". A
// document is the shape decoded JSON, YAML or TOML takes in Go: a map with
// string keys, or a slice, of interface values. Its content is decided by
// whoever wrote the data, wherever the value arrives from (a parameter, a
// field, a return value, a channel), unless the code that reads it also
// built it (a composite literal or make in the same function, a
// package-level table).

// IsDocument reports whether t has the shape of a decoded document: a map
// with string (or empty-interface) keys, or a slice, of empty-interface
// elements (map[string]any, yaml.v2's map[any]any, []any). Slices and maps
// of other interfaces ([]ast.Stmt, []io.Reader) hold the program's own
// values.
func IsDocument(t types.Type) bool {
	if t == nil {
		return false
	}
	switch u := t.Underlying().(type) {
	case *types.Map:
		k, ok := u.Key().Underlying().(*types.Basic)
		stringKey := ok && k.Info()&types.IsString != 0
		return (stringKey || isAny(u.Key())) && isAny(u.Elem())
	case *types.Slice:
		return isAny(u.Elem())
	}
	return false
}

// isAny reports whether t is the empty interface.
func isAny(t types.Type) bool {
	i, ok := t.Underlying().(*types.Interface)
	return ok && i.Empty()
}

// holdsDocument reports whether t is a document or a container (slice,
// array, map, channel, pointer) of documents: []map[string]any, the rows
// of a decoded array.
func holdsDocument(t types.Type) bool {
	for range 3 {
		if t == nil {
			return false
		}
		if IsDocument(t) {
			return true
		}
		switch u := t.Underlying().(type) {
		case *types.Slice:
			t = u.Elem()
		case *types.Array:
			t = u.Elem()
		case *types.Map:
			t = u.Elem()
		case *types.Chan:
			t = u.Elem()
		case *types.Pointer:
			t = u.Elem()
		default:
			return false
		}
	}
	return false
}

// Documents traces values to the document they come from, within one
// package.
type Documents struct {
	Info  *types.Info
	Files []*ast.File // the package's files, for package-level tables and callers

	// callers caches, per function of the package, its call sites, or nil
	// when the function is used other than by a call.
	callers map[*types.Func][]callSite

	// fields holds what one scan of the package knows about its struct
	// fields (fields.go).
	fields *fieldFacts
}

// callSite is a call of a function of the package, and the outermost
// function declaration it is in (nil for a package-level initializer).
type callSite struct {
	call *ast.CallExpr
	in   *ast.FuncDecl
}

// Source describes the document x holds or was taken from ("a document
// decoded by json.Unmarshal", "the document passed as raw", "the document
// in field u.Settings"), or returns "" when x does not come from a document
// or the same code built it. fn is the outermost enclosing function (a
// *ast.FuncDecl or *ast.FuncLit; nil at package level); local variables
// are followed to their definitions in it. An interface value counts only
// when it was taken from a document (an element, a range value, a
// variable holding one); an interface parameter is its caller's contract,
// and the variadic parameter of a function (args ...any) is filled by its
// callers' code. A document parameter of an unexported function is built by
// the same code when every call of the function in the package passes a
// document it built (an option bag such as rpc(ctx, "list", params{...})).
func (d *Documents) Source(fn ast.Node, x ast.Expr) string {
	return d.source(fn, x, maxHops, map[types.Object]bool{})
}

// maxHops bounds how many variable definitions Source follows.
const maxHops = 6

func (d *Documents) source(fn ast.Node, x ast.Expr, depth int, seen map[types.Object]bool) string {
	if depth == 0 || x == nil {
		return ""
	}
	x = ast.Unparen(x)
	t := d.Info.TypeOf(x)
	switch x := x.(type) {
	case *ast.IndexExpr:
		if holdsDocument(d.Info.TypeOf(x.X)) {
			return d.source(fn, x.X, depth, seen)
		}
	case *ast.SliceExpr:
		return d.source(fn, x.X, depth, seen)
	case *ast.TypeAssertExpr:
		if src := d.source(fn, x.X, depth, seen); src != "" || x.Type == nil || !holdsDocument(d.Info.TypeOf(x.Type)) {
			return src
		}
		return d.narrowed(fn, x.X, depth, seen)
	case *ast.StarExpr:
		return d.source(fn, x.X, depth, seen)
	case *ast.UnaryExpr:
		if x.Op == token.ARROW && holdsDocument(t) {
			return "a document received from " + types.ExprString(x.X)
		}
	case *ast.CallExpr:
		if tv, ok := d.Info.Types[x.Fun]; ok && tv.IsType() && len(x.Args) == 1 {
			return d.source(fn, x.Args[0], depth, seen) // a conversion
		}
		if id, ok := ast.Unparen(x.Fun).(*ast.Ident); ok {
			if _, builtin := d.Info.Uses[id].(*types.Builtin); builtin {
				if id.Name == "append" && len(x.Args) > 0 {
					return d.source(fn, x.Args[0], depth, seen)
				}
				return "" // make, new: built here
			}
		}
		if holdsDocument(t) {
			return "the document returned by " + types.ExprString(x.Fun)
		}
	case *ast.SelectorExpr:
		if sel, ok := d.Info.Selections[x]; ok {
			if sel.Kind() == types.FieldVal && holdsDocument(t) {
				if f, ok := sel.Obj().(*types.Var); ok && d.fieldBuilt(f, depth, seen) {
					return "" // every store in the package builds it
				}
				return "the document in field " + types.ExprString(x)
			}
			return ""
		}
		if v, ok := d.Info.Uses[x.Sel].(*types.Var); ok && holdsDocument(t) {
			return d.packageVar(v, types.ExprString(x)) // pkg.Var
		}
	case *ast.Ident:
		v, ok := d.Info.Uses[x].(*types.Var)
		if !ok || seen[v] {
			return ""
		}
		seen[v] = true
		return d.variable(fn, x, v, depth, seen)
	}
	return ""
}

// variable traces a variable: a package-level one is a table when its
// declaration builds it; a parameter of document type holds its caller's
// data; a local variable is what its definitions assign.
func (d *Documents) variable(fn ast.Node, id *ast.Ident, v *types.Var, depth int, seen map[types.Object]bool) string {
	if v.Pkg() != nil && v.Parent() == v.Pkg().Scope() {
		if !holdsDocument(v.Type()) {
			return ""
		}
		return d.packageVar(v, id.Name)
	}
	if fn == nil || v.Pos() < fn.Pos() || v.Pos() >= fn.End() {
		return "" // declared outside the code we see
	}
	if param, variadic := d.param(fn, v); param {
		if variadic || !holdsDocument(v.Type()) || d.callersBuild(fn, v, depth, seen) {
			return ""
		}
		return "the document passed as " + v.Name()
	}
	var found string
	ast.Inspect(fn, func(n ast.Node) bool {
		if found != "" {
			return false
		}
		switch n := n.(type) {
		case *ast.AssignStmt:
			for i, l := range n.Lhs {
				if !d.is(l, v) {
					continue
				}
				switch {
				case len(n.Rhs) == len(n.Lhs):
					found = d.source(fn, n.Rhs[i], depth-1, seen)
				case len(n.Rhs) == 1 && holdsDocument(v.Type()):
					if call, ok := ast.Unparen(n.Rhs[0]).(*ast.CallExpr); ok {
						found = "the document returned by " + types.ExprString(call.Fun)
					} else {
						found = d.source(fn, n.Rhs[0], depth-1, seen) // v, ok := x.(map[string]any)
					}
				case len(n.Rhs) == 1:
					if _, call := ast.Unparen(n.Rhs[0]).(*ast.CallExpr); !call {
						found = d.source(fn, n.Rhs[0], depth-1, seen)
					}
				}
			}
		case *ast.ValueSpec:
			for i, name := range n.Names {
				if d.Info.Defs[name] != v {
					continue
				}
				switch {
				case len(n.Values) == len(n.Names):
					found = d.source(fn, n.Values[i], depth-1, seen)
				case len(n.Values) == 1 && holdsDocument(v.Type()):
					found = d.source(fn, n.Values[0], depth-1, seen)
				}
			}
		case *ast.TypeSwitchStmt:
			// switch t := x.(type) { case []any: ... t ... }: each clause
			// has its own implicit t, holding x.
			for _, cc := range n.Body.List {
				if d.Info.Implicits[cc] == v {
					found = d.source(fn, SwitchOperand(n), depth-1, seen)
					if found == "" && holdsDocument(v.Type()) {
						found = d.narrowed(fn, SwitchOperand(n), depth-1, seen)
					}
				}
			}
		case *ast.RangeStmt:
			if n.Value != nil && d.is(n.Value, v) {
				found = d.source(fn, n.X, depth-1, seen)
			} else if n.Key != nil && d.is(n.Key, v) {
				if t := d.Info.TypeOf(n.X); t != nil && isChan(t) && holdsDocument(v.Type()) {
					found = "a document received from " + types.ExprString(n.X)
				}
			}
		case *ast.CallExpr:
			// json.Unmarshal(data, &v), dec.Decode(&v), fill(&v).
			for _, a := range n.Args {
				if u, ok := ast.Unparen(a).(*ast.UnaryExpr); ok && u.Op == token.AND && d.is(u.X, v) {
					found = "a document decoded by " + types.ExprString(n.Fun)
				}
			}
		}
		return true
	})
	return found
}

// narrowed describes the document that x, an interface value the code
// narrows to a document type (`switch t := x.(type) { case []any: }`,
// `m, ok := x.(map[string]any)`), holds when x arrives from outside: a
// parameter that not every caller builds, or a field that a decoder fills
// (DecodedSlot: tagged for an encoding, of a struct the package decodes).
// An interface is not a document by its type, but once the code asks for
// a document's shape, what fills it is whoever wrote the data. A field
// that only the program's own code fills (an event's `Data any` payload)
// holds what the program put there.
func (d *Documents) narrowed(fn ast.Node, x ast.Expr, depth int, seen map[types.Object]bool) string {
	switch x := ast.Unparen(x).(type) {
	case *ast.Ident:
		v, ok := d.Info.Uses[x].(*types.Var)
		if !ok || fn == nil || v.Pos() < fn.Pos() || v.Pos() >= fn.End() {
			return ""
		}
		if param, variadic := d.param(fn, v); param && !variadic && !d.callersBuildValue(v) {
			return "the document passed as " + v.Name()
		}
	case *ast.SelectorExpr:
		if sel, ok := d.Info.Selections[x]; ok && d.DecodedSlot(sel) != "" {
			return "the document in field " + types.ExprString(x)
		}
	}
	return ""
}

// callersBuildValue reports whether every call of the function that has v,
// an interface parameter, passes a value built at the call (a composite
// literal, a literal, make or new): what the narrowed value holds is then
// what the callers wrote. An argument of interface type that arrives from
// elsewhere (`byExclude(files, params.ExcludeFiles)`) proves nothing.
func (d *Documents) callersBuildValue(v *types.Var) bool {
	sites, all := d.ArgsPassed(v)
	if !all || len(sites) == 0 {
		return false
	}
	for _, s := range sites {
		switch a := ast.Unparen(s.Arg).(type) {
		case *ast.CompositeLit, *ast.BasicLit:
		case *ast.UnaryExpr:
			if _, lit := ast.Unparen(a.X).(*ast.CompositeLit); a.Op != token.AND || !lit {
				return false
			}
		case *ast.CallExpr:
			if b := Builtin(d.Info, a); b != "make" && b != "new" {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// SwitchOperand returns x of a type switch on x.(type), or nil.
func SwitchOperand(sw *ast.TypeSwitchStmt) ast.Expr {
	var x ast.Expr
	switch a := sw.Assign.(type) {
	case *ast.ExprStmt:
		x = a.X
	case *ast.AssignStmt:
		if len(a.Rhs) == 1 {
			x = a.Rhs[0]
		}
	}
	if ta, ok := ast.Unparen(x).(*ast.TypeAssertExpr); ok {
		return ta.X
	}
	return nil
}

// callersBuild reports whether v, a parameter of the function declaration
// fn, only ever holds documents its callers built: fn is unexported (so
// every call is in this package), used only by calls, called at least once,
// and every call passes a value that Source does not trace to a document
// from outside.
func (d *Documents) callersBuild(fn ast.Node, v *types.Var, depth int, seen map[types.Object]bool) bool {
	decl, ok := fn.(*ast.FuncDecl)
	if !ok {
		return false
	}
	obj, ok := d.Info.Defs[decl.Name].(*types.Func)
	if !ok || obj.Exported() {
		return false
	}
	idx := paramIndex(d.Info, decl.Type, v)
	if idx < 0 {
		return false
	}
	sites := d.callSites(obj)
	if len(sites) == 0 {
		return false
	}
	for _, s := range sites {
		if s.in == nil || s.call.Ellipsis.IsValid() || idx >= len(s.call.Args) {
			return false // a package-level initializer's values are not traced
		}
		if d.source(s.in, s.call.Args[idx], depth-1, seen) != "" {
			return false
		}
	}
	return true
}

// ArgsPassed returns, for v a parameter of the function declaration that
// encloses pos, the argument every call of that function in the package
// passes for it, and whether that is all of them: the function is
// unexported, used only by calls, called at least once and never with a
// spread (f(xs...)), and v is never assigned or addressed in it. Constant-ness or any other property then holds for
// the parameter when it holds for each argument.
func (d *Documents) ArgsPassed(v *types.Var) ([]ArgSite, bool) {
	for _, f := range d.Files {
		if v.Pos() < f.Pos() || v.Pos() >= f.End() {
			continue
		}
		for _, decl := range f.Decls {
			fd, ok := decl.(*ast.FuncDecl)
			if !ok || fd.Type.Params == nil || v.Pos() < fd.Type.Params.Pos() || v.Pos() >= fd.Type.Params.End() {
				continue
			}
			obj, ok := d.Info.Defs[fd.Name].(*types.Func)
			if !ok || obj.Exported() {
				return nil, false
			}
			idx := paramIndex(d.Info, fd.Type, v)
			sites := d.callSites(obj)
			if idx < 0 || len(sites) == 0 || d.reassigned(fd, v) {
				return nil, false
			}
			var args []ArgSite
			for _, s := range sites {
				if s.call.Ellipsis.IsValid() || idx >= len(s.call.Args) {
					return nil, false
				}
				args = append(args, ArgSite{Arg: s.call.Args[idx], In: s.in})
			}
			return args, true
		}
	}
	return nil, false
}

// reassigned reports whether fd assigns to v or takes its address.
func (d *Documents) reassigned(fd *ast.FuncDecl, v *types.Var) bool {
	found := false
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			for _, l := range n.Lhs {
				if d.is(l, v) {
					found = true
				}
			}
		case *ast.UnaryExpr:
			if n.Op == token.AND && d.is(n.X, v) {
				found = true
			}
		case *ast.IncDecStmt:
			if d.is(n.X, v) {
				found = true
			}
		}
		return !found
	})
	return found
}

// ArgSite is an argument passed at a call, and the function declaration
// the call is in (nil at package level).
type ArgSite struct {
	Arg ast.Expr
	In  *ast.FuncDecl
}

// paramIndex returns the position of v among the parameters of ft, or -1.
func paramIndex(info *types.Info, ft *ast.FuncType, v *types.Var) int {
	i := 0
	for _, f := range ft.Params.List {
		if len(f.Names) == 0 {
			i++
			continue
		}
		for _, name := range f.Names {
			if info.Defs[name] == v {
				return i
			}
			i++
		}
	}
	return -1
}

// callSites returns the calls of fn in the package, or nil when fn is also
// used as a value (a method value, a callback) or, for a method, when an
// interface of the package has a method of the same name (calls through it
// are not in view).
func (d *Documents) callSites(fn *types.Func) []callSite {
	if sites, ok := d.callers[fn]; ok {
		return sites
	}
	if d.callers == nil {
		d.callers = map[*types.Func][]callSite{}
	}
	var sites []callSite
	escapes := false
	isMethod := fn.Signature().Recv() != nil
	for _, f := range d.Files {
		for _, decl := range f.Decls {
			fd, isFunc := decl.(*ast.FuncDecl)
			ast.Inspect(decl, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.CallExpr:
					if id := CalleeIdent(n); id != nil && sameFunc(d.Info.Uses[id], fn) {
						var in *ast.FuncDecl
						if isFunc {
							in = fd
						}
						sites = append(sites, callSite{call: n, in: in})
					}
				case *ast.Ident:
					u, ok := d.Info.Uses[n].(*types.Func)
					if !ok {
						break
					}
					if sameFunc(u, fn) && !isCallee(sites, n) {
						escapes = true
					}
					if recv := u.Signature().Recv(); isMethod && recv != nil && u.Name() == fn.Name() && types.IsInterface(recv.Type()) {
						escapes = true
					}
				}
				return !escapes
			})
		}
	}
	if escapes {
		sites = nil
	}
	d.callers[fn] = sites
	return sites
}

// sameFunc reports whether obj is fn or an instance of it.
func sameFunc(obj types.Object, fn *types.Func) bool {
	f, ok := obj.(*types.Func)
	return ok && f.Origin() == fn
}

// isCallee reports whether id is the callee of the last call in sites (a
// call is visited before its function expression).
func isCallee(sites []callSite, id *ast.Ident) bool {
	return len(sites) > 0 && CalleeIdent(sites[len(sites)-1].call) == id
}

// packageVar describes a package-level variable of document type: a table
// when its declaration in this package builds it with a composite literal
// or make, else a document some other code filled.
func (d *Documents) packageVar(v *types.Var, name string) string {
	for _, f := range d.Files {
		for _, decl := range f.Decls {
			gd, ok := decl.(*ast.GenDecl)
			if !ok || gd.Tok != token.VAR {
				continue
			}
			for _, spec := range gd.Specs {
				vs, ok := spec.(*ast.ValueSpec)
				if !ok || len(vs.Values) != len(vs.Names) {
					continue
				}
				for i, n := range vs.Names {
					if d.Info.Defs[n] == v && built(d.Info, vs.Values[i]) {
						return ""
					}
				}
			}
		}
	}
	return "the document in package variable " + name
}

func isChan(t types.Type) bool {
	_, ok := t.Underlying().(*types.Chan)
	return ok
}

// built reports whether e is a composite literal or a make call.
func built(info *types.Info, e ast.Expr) bool {
	switch e := ast.Unparen(e).(type) {
	case *ast.CompositeLit:
		return true
	case *ast.CallExpr:
		id, ok := ast.Unparen(e.Fun).(*ast.Ident)
		if !ok {
			return false
		}
		_, builtin := info.Uses[id].(*types.Builtin)
		return builtin && id.Name == "make"
	}
	return false
}

// param reports whether v is a parameter or receiver of fn or of a
// function literal in it, and whether it is the variadic one.
func (d *Documents) param(fn ast.Node, v *types.Var) (param, variadic bool) {
	check := func(fields *ast.FieldList) {
		if fields == nil {
			return
		}
		for _, f := range fields.List {
			for _, name := range f.Names {
				if d.Info.Defs[name] == v {
					param = true
					_, variadic = f.Type.(*ast.Ellipsis)
				}
			}
		}
	}
	ast.Inspect(fn, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncDecl:
			check(n.Recv)
		case *ast.FuncType:
			check(n.Params)
		}
		return !param
	})
	return param, variadic
}

func (d *Documents) is(e ast.Expr, v *types.Var) bool {
	id, ok := ast.Unparen(e).(*ast.Ident)
	return ok && (d.Info.Defs[id] == v || d.Info.Uses[id] == v)
}

// DecodedSlot returns the struct tag key (json, yaml, ...) when sel selects
// a field of empty-interface type that a struct tag names for an encoding,
// of a struct type declared in the package that the package decodes (a
// pointer to it passed as an interface value, json.Unmarshal(b, &ev), with
// data not compiled into the program), and "" otherwise. Such a field is a
// slot of the document the struct is decoded from: the data decides what it
// holds, wherever in the package the struct is read. A tag alone says
// nothing: structs are tagged as often to be encoded as output.
func (d *Documents) DecodedSlot(sel *types.Selection) string {
	f, ok := sel.Obj().(*types.Var)
	if !ok || sel.Kind() != types.FieldVal || !isAny(f.Type()) {
		return ""
	}
	key := EncodingTag(sel)
	if key == "" {
		return ""
	}
	ff := d.scanFields()
	if f = f.Origin(); !ff.declared[f] || !d.decodedField(f) {
		return ""
	}
	return key
}

// encodings are the struct tag keys that name a field for a decoder.
var encodings = []string{"json", "yaml", "toml", "xml", "mapstructure", "bson", "msgpack", "hcl"}

// EncodingTag returns the key of the struct tag (json, yaml, ...) that
// names the field sel selects for a decoder, as in `json:"attrs"`, or ""
// when the field has none, or the tag keeps the field out of the encoding
// ("-").
func EncodingTag(sel *types.Selection) string {
	t := sel.Recv()
	path := sel.Index()
	for i, idx := range path {
		if p, ok := t.Underlying().(*types.Pointer); ok {
			t = p.Elem()
		}
		st, ok := t.Underlying().(*types.Struct)
		if !ok || idx >= st.NumFields() {
			return ""
		}
		if i < len(path)-1 {
			t = st.Field(idx).Type()
			continue
		}
		tag := reflect.StructTag(st.Tag(idx))
		for _, key := range encodings {
			if v, ok := tag.Lookup(key); ok && v != "-" {
				return key
			}
		}
	}
	return ""
}
