package provenance

import (
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"strings"
)

// This file answers "did this package build the document a field holds?".
// A document-typed field of a struct declared in the package holds what
// the package stores into it, unless something else fills it: a decoder
// (which reaches a struct's fields only through a pointer to it passed as
// an `any`, json.Unmarshal(b, &cfg)), a struct tag that names
// the field for one, or code that takes the field's address. When the
// package stores into the field at least once, and every store is a value
// that Source does not trace to a document from outside, the field holds
// the package's own data structure (a parser's []any of results, a header
// row copied from a []string), not data someone else wrote.

// fieldFacts is what one scan of the package knows about its fields.
type fieldFacts struct {
	declared map[*types.Var]bool         // declared in a struct type of the package
	stores   map[*types.Var][]fieldStore // by field (generic origin)
	tagged   map[*types.Var]bool         // declared with a struct tag
	escapes  map[*types.Var]bool         // address taken: &x.F
	decoded  map[*types.Named]bool       // a pointer to it passed as an interface value
	embedded map[*types.Named]bool       // decoded, every time, from data compiled into the program
	verdict  map[*types.Var]bool         // fieldBuilt's answers; false while one is being decided
}

// fieldStore is one value stored into a field, and the function
// declaration the store is in (nil at package level).
type fieldStore struct {
	value ast.Expr
	in    ast.Node // a *ast.FuncDecl, or nil (never a typed nil)
}

// fieldBuilt reports whether every value the package stores into field f
// is built by the package, as the file comment describes.
func (d *Documents) fieldBuilt(f *types.Var, depth int, seen map[types.Object]bool) bool {
	f = f.Origin()
	ff := d.scanFields()
	if done, ok := ff.verdict[f]; ok {
		return done
	}
	stores := ff.stores[f]
	if ff.declared[f] && !ff.escapes[f] && !d.decodedField(f) && d.embeddedField(f) && len(stores) == 0 {
		// Filled only by decoding data compiled into the program
		// (//go:embed): its content is the program's own constant.
		ff.verdict[f] = true
		return true
	}
	if !ff.declared[f] || len(stores) == 0 || ff.tagged[f] || ff.escapes[f] || d.decodedField(f) {
		ff.verdict[f] = false
		return false
	}
	// While f is being decided, a store that reads f itself
	// (x.F = append(x.F, v)) adds nothing: the other stores decide.
	ff.verdict[f] = true
	for _, s := range stores {
		if d.source(s.in, s.value, depth-1, seen) != "" {
			ff.verdict[f] = false
			return false
		}
	}
	return true
}

// decodedField reports whether f belongs to a struct type of the package
// that a pointer passed as an interface value may let a decoder fill.
func (d *Documents) decodedField(f *types.Var) bool {
	for named := range d.fields.decoded {
		if hasField(named, f, 3) {
			return true
		}
	}
	return false
}

// embeddedField reports whether f belongs to a struct type of the package
// that is decoded from embedded data (and, by decodedField, from nothing
// else).
func (d *Documents) embeddedField(f *types.Var) bool {
	for named := range d.fields.embedded {
		if hasField(named, f, 3) {
			return true
		}
	}
	return false
}

// hasField reports whether t's struct, or a struct reached through its
// fields (embedded or not, through pointers, slices and maps), declares f.
func hasField(t types.Type, f *types.Var, depth int) bool {
	if depth == 0 || t == nil {
		return false
	}
	switch u := t.Underlying().(type) {
	case *types.Struct:
		for i := range u.NumFields() {
			fi := u.Field(i)
			if fi.Origin() == f || hasField(fi.Type(), f, depth-1) {
				return true
			}
		}
	case *types.Pointer:
		return hasField(u.Elem(), f, depth)
	case *types.Slice:
		return hasField(u.Elem(), f, depth-1)
	case *types.Array:
		return hasField(u.Elem(), f, depth-1)
	case *types.Map:
		return hasField(u.Elem(), f, depth-1)
	}
	return false
}

// scanFields reads the package once for the stores, tags, escapes and
// decode targets of its fields.
func (d *Documents) scanFields() *fieldFacts {
	if d.fields != nil {
		return d.fields
	}
	ff := &fieldFacts{
		declared: map[*types.Var]bool{},
		stores:   map[*types.Var][]fieldStore{},
		tagged:   map[*types.Var]bool{},
		escapes:  map[*types.Var]bool{},
		decoded:  map[*types.Named]bool{},
		embedded: map[*types.Named]bool{},
		verdict:  map[*types.Var]bool{},
	}
	d.fields = ff
	fieldOf := func(e ast.Expr) *types.Var {
		sel, ok := ast.Unparen(e).(*ast.SelectorExpr)
		if !ok {
			return nil
		}
		s, ok := d.Info.Selections[sel]
		if !ok || s.Kind() != types.FieldVal {
			return nil
		}
		v, _ := s.Obj().(*types.Var)
		if v == nil {
			return nil
		}
		return v.Origin()
	}
	// &x.F handed to a function of the package as a parameter of a
	// concrete type (Success(&res.Payload, rest)) is kept by this
	// package's code; anywhere else the address may let other code fill
	// the field.
	inPackageArg := map[*ast.UnaryExpr]bool{}
	for _, file := range d.Files {
		for _, decl := range file.Decls {
			var fd ast.Node
			if f, ok := decl.(*ast.FuncDecl); ok {
				fd = f
			}
			ast.Inspect(decl, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.StructType:
					for _, field := range n.Fields.List {
						for _, name := range field.Names {
							if v, ok := d.Info.Defs[name].(*types.Var); ok {
								ff.declared[v] = true
								ff.tagged[v] = field.Tag != nil
							}
						}
					}
				case *ast.CompositeLit:
					st, ok := typeUnder(d.Info.TypeOf(n)).(*types.Struct)
					if !ok {
						break
					}
					for i, elt := range n.Elts {
						if kv, ok := elt.(*ast.KeyValueExpr); ok {
							if id, ok := kv.Key.(*ast.Ident); ok {
								if v, ok := d.Info.Uses[id].(*types.Var); ok && v.IsField() {
									ff.stores[v.Origin()] = append(ff.stores[v.Origin()], fieldStore{kv.Value, fd})
								}
							}
						} else if i < st.NumFields() {
							v := st.Field(i).Origin()
							ff.stores[v] = append(ff.stores[v], fieldStore{elt, fd})
						}
					}
				case *ast.AssignStmt:
					for i, l := range n.Lhs {
						v := fieldOf(l)
						if v == nil {
							continue
						}
						if len(n.Rhs) == len(n.Lhs) {
							ff.stores[v] = append(ff.stores[v], fieldStore{n.Rhs[i], fd})
						} else {
							ff.escapes[v] = true // filled from a multi-value call: not traced
						}
					}
				case *ast.UnaryExpr:
					if n.Op == token.AND && !inPackageArg[n] {
						if v := fieldOf(n.X); v != nil {
							ff.escapes[v] = true
						}
					}
				case *ast.CallExpr:
					d.noteDecodeTargets(fd, n, ff)
					d.notePackageArgs(n, inPackageArg)
				}
				return true
			})
		}
	}
	return ff
}

// noteDecodeTargets records the struct types of the package that a call
// receives a pointer to through a parameter of the empty interface: a
// decoder (json.Unmarshal, Decode, Scan), or any code that may fill the
// struct by reflection.
//
// A call whose every other argument (and, for a decoder's method such as
// json.NewDecoder(r).Decode, the arguments of the call it is made on) is
// data compiled into the program (see embedded) records its targets in
// embedded instead.
func (d *Documents) noteDecodeTargets(fd ast.Node, call *ast.CallExpr, ff *fieldFacts) {
	sig, ok := typeUnder(d.Info.TypeOf(call.Fun)).(*types.Signature)
	if !ok {
		return
	}
	var targets []*types.Named
	params := sig.Params()
	for i, a := range call.Args {
		var pt types.Type
		switch {
		case sig.Variadic() && i >= params.Len()-1:
			if s, ok := params.At(params.Len() - 1).Type().(*types.Slice); ok {
				pt = s.Elem()
			}
		case i < params.Len():
			pt = params.At(i).Type()
		}
		if pt == nil || !isAny(pt) {
			continue // a decoder takes `any`; an io.Reader or a handler interface has no fields to fill
		}
		ptr, ok := d.Info.TypeOf(a).(*types.Pointer)
		if !ok {
			continue
		}
		if named, ok := types.Unalias(ptr.Elem()).(*types.Named); ok {
			targets = append(targets, named.Origin())
		}
	}
	if len(targets) == 0 {
		return
	}
	into := ff.decoded
	if d.decodesEmbedded(fd, call) {
		into = ff.embedded
	}
	for _, t := range targets {
		into[t] = true
	}
}

// decodesEmbedded reports whether the data call decodes is all compiled
// into the program: its arguments that are not pointers passed as `any`
// (and those of the call it is a method of: json.NewDecoder(r).Decode(&v))
// are each embedded data (see embedded), and there is at least one.
func (d *Documents) decodesEmbedded(fd ast.Node, call *ast.CallExpr) bool {
	args := slices.Clone(call.Args)
	if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok {
		if inner, ok := ast.Unparen(sel.X).(*ast.CallExpr); ok {
			args = append(args, inner.Args...)
		}
	}
	data := 0
	for _, a := range args {
		if _, isPtr := d.Info.TypeOf(a).(*types.Pointer); isPtr {
			continue // a target
		}
		if !d.embedded(fd, a, 2) {
			return false
		}
		data++
	}
	return data > 0
}

// embedded reports whether e is data compiled into the program: a package
// variable declared with a //go:embed directive, the result of a method of
// an embed.FS (ReadFile), a conversion or a bytes/strings reader of such
// data, or a local variable of fd whose every definition is one of those.
func (d *Documents) embedded(fd ast.Node, e ast.Expr, depth int) bool {
	if depth < 0 {
		return false
	}
	switch e := ast.Unparen(e).(type) {
	case *ast.Ident:
		v, ok := d.Info.Uses[e].(*types.Var)
		if !ok {
			return false
		}
		if v.Parent() == v.Pkg().Scope() {
			return d.embedDirective(v)
		}
		body, ok := fd.(*ast.FuncDecl)
		if !ok || body.Body == nil {
			return false
		}
		found, all := false, true
		ast.Inspect(body.Body, func(n ast.Node) bool {
			as, ok := n.(*ast.AssignStmt)
			if !ok {
				return all
			}
			for i, l := range as.Lhs {
				if id, ok := l.(*ast.Ident); ok && d.Info.ObjectOf(id) == v {
					rhs := as.Rhs[min(i, len(as.Rhs)-1)]
					found = true
					all = all && d.embedded(nil, rhs, depth-1)
				}
			}
			return all
		})
		return found && all
	case *ast.CallExpr:
		if sel, ok := ast.Unparen(e.Fun).(*ast.SelectorExpr); ok {
			if t := d.Info.TypeOf(sel.X); t != nil && TypeName(t) == "embed.FS" {
				return true
			}
		}
		for _, n := range CalleeNames(d.Info, e) {
			if n == "bytes.NewReader" || n == "strings.NewReader" || n == "bytes.NewBuffer" || n == "bytes.NewBufferString" {
				return len(e.Args) == 1 && d.embedded(fd, e.Args[0], depth-1)
			}
		}
		if tv, ok := d.Info.Types[e.Fun]; ok && tv.IsType() && len(e.Args) == 1 {
			return d.embedded(fd, e.Args[0], depth-1) // []byte(s), string(b)
		}
	}
	return false
}

// embedDirective reports whether the package variable v is declared with
// a //go:embed directive.
func (d *Documents) embedDirective(v *types.Var) bool {
	for _, f := range d.Files {
		if v.Pos() < f.Pos() || v.Pos() >= f.End() {
			continue
		}
		for _, decl := range f.Decls {
			gd, ok := decl.(*ast.GenDecl)
			if !ok || gd.Tok != token.VAR {
				continue
			}
			for _, sp := range gd.Specs {
				vs, ok := sp.(*ast.ValueSpec)
				if !ok || !slices.ContainsFunc(vs.Names, func(n *ast.Ident) bool { return d.Info.Defs[n] == v }) {
					continue
				}
				for _, cg := range []*ast.CommentGroup{vs.Doc, gd.Doc} {
					if cg != nil && slices.ContainsFunc(cg.List, func(c *ast.Comment) bool { return strings.HasPrefix(c.Text, "//go:embed ") }) {
						return true
					}
				}
			}
		}
	}
	return false
}

// notePackageArgs records the &x arguments of call that a function of
// this package receives as a parameter of a concrete (not interface) type.
func (d *Documents) notePackageArgs(call *ast.CallExpr, into map[*ast.UnaryExpr]bool) {
	id := CalleeIdent(call)
	if id == nil {
		return
	}
	fn, ok := d.Info.Uses[id].(*types.Func)
	if !ok || fn.Pkg() == nil || !d.declares(fn) {
		return
	}
	sig, ok := typeUnder(d.Info.TypeOf(call.Fun)).(*types.Signature)
	if !ok || sig.Variadic() || call.Ellipsis.IsValid() {
		return
	}
	for i, a := range call.Args {
		u, ok := a.(*ast.UnaryExpr)
		if !ok || u.Op != token.AND || i >= sig.Params().Len() {
			continue
		}
		if !types.IsInterface(sig.Params().At(i).Type()) {
			into[u] = true
		}
	}
}

// declares reports whether fn is declared in the package's files.
func (d *Documents) declares(fn *types.Func) bool {
	for _, f := range d.Files {
		if f.Pos() <= fn.Pos() && fn.Pos() < f.End() {
			return true
		}
	}
	return false
}

// typeUnder returns t's underlying type, or nil.
func typeUnder(t types.Type) types.Type {
	if t == nil {
		return nil
	}
	return t.Underlying()
}
