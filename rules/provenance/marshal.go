package provenance

import (
	"go/ast"
	"go/token"
	"go/types"
	"slices"
)

// ErrorNeverSet reports whether call's error is nil in any program that
// runs: a call documented never to fail (NeverErrs), a read of
// crypto/rand's Reader (ReadsCryptoRand), a look-up in the program's own
// flag table (FlagTable), or a marshal of a value its encoder cannot fail
// on (AlwaysMarshals). A branch on that error never runs.
func ErrorNeverSet(info *types.Info, call *ast.CallExpr) bool {
	names := CalleeNames(info, call)
	return NeverErrs(names...) || ReadsCryptoRand(info, call) || FlagTable(names...) || AlwaysMarshals(info, call)
}

// ReadsCryptoRand reports whether call reads crypto/rand's Reader:
// io.ReadFull(rand.Reader, b) or rand.Reader.Read(b). They fail only when
// the system's generator does, as rand.Int and ed25519.GenerateKey, which
// read it, do (neverErrs): crypto/rand.Read, documented never to return an
// error, is io.ReadFull of that Reader.
func ReadsCryptoRand(info *types.Info, call *ast.CallExpr) bool {
	var r ast.Expr
	if slices.Contains(CalleeNames(info, call), "io.ReadFull") && len(call.Args) == 2 {
		r = call.Args[0]
	} else if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok && sel.Sel.Name == "Read" && len(call.Args) == 1 {
		r = sel.X
	}
	sel, ok := ast.Unparen(r).(*ast.SelectorExpr)
	if !ok {
		return false
	}
	v, ok := info.Uses[sel.Sel].(*types.Var)
	return ok && v.Pkg() != nil && v.Pkg().Path() == "crypto/rand" && v.Name() == "Reader"
}

// AlwaysMarshals reports whether call marshals a value that its encoder
// cannot fail on: json.Marshal (and sigs.k8s.io/yaml.Marshal, which goes
// through encoding/json) or gopkg.in/yaml's Marshal of a value whose type
// always marshals, or of a composite literal built in place whose elements
// all do (see marshals).
func AlwaysMarshals(info *types.Info, call *ast.CallExpr) bool {
	encoder, v, ok := Marshalled(info, call)
	return ok && ValueMarshals(info, encoder, v)
}

// Marshalled returns the value that call marshals and the name of its
// encoder when call is one of the marshal functions AlwaysMarshals knows.
func Marshalled(info *types.Info, call *ast.CallExpr) (encoder string, v ast.Expr, ok bool) {
	for _, n := range CalleeNames(info, call) {
		if _, known := marshalFuncs[n]; known && len(call.Args) > 0 {
			return n, call.Args[0], true
		}
	}
	return "", nil, false
}

// ValueMarshals reports whether the encoder named encoder (as Marshalled
// returns it) cannot fail on the value of e.
func ValueMarshals(info *types.Info, encoder string, e ast.Expr) bool {
	enc, ok := marshalFuncs[encoder]
	return ok && marshals(info, e, enc)
}

// marshals reports whether enc cannot fail on the value of e: its
// type always marshals, or e is a composite literal built here whose
// elements all do (map[string]any{"error": err.Error()}), whatever the
// static type of the literal's elements.
func marshals(info *types.Info, e ast.Expr, enc encoding) bool {
	e = ast.Unparen(e)
	if u, ok := e.(*ast.UnaryExpr); ok && u.Op == token.AND {
		e = ast.Unparen(u.X)
	}
	t := info.TypeOf(e)
	if t == nil {
		return false
	}
	if enc.always(t, map[types.Type]bool{}) {
		return true
	}
	lit, ok := e.(*ast.CompositeLit)
	if !ok || enc.custom(t) {
		return false
	}
	switch u := t.Underlying().(type) {
	case *types.Map:
		if !enc.key(u.Key()) {
			return false
		}
	case *types.Slice, *types.Array:
	default:
		return false // a struct literal leaves the fields it omits to their type
	}
	for _, elt := range lit.Elts {
		if kv, ok := elt.(*ast.KeyValueExpr); ok {
			elt = kv.Value
		}
		if !marshals(info, elt, enc) {
			return false
		}
	}
	return true
}

// An encoding is what a marshaler rejects: encoding/json fails on floats
// that are NaN or infinite and on values whose own marshaler fails; YAML
// (gopkg.in/yaml.v2 and v3) writes every float and fails only through a
// value's own marshaler. Both fail on what they cannot encode at all:
// interfaces (whatever they hold), channels, functions, complex numbers.
type encoding struct {
	floats  bool     // every float encodes
	methods []string // the methods through which a value marshals itself
}

var (
	jsonEncoding = encoding{methods: []string{"MarshalJSON", "MarshalText"}}
	yamlEncoding = encoding{floats: true, methods: []string{"MarshalYAML", "MarshalText"}}
)

// marshalFuncs maps each marshal function AlwaysMarshals knows to its
// encoding.
var marshalFuncs = map[string]encoding{
	"encoding/json.Marshal":       jsonEncoding,
	"encoding/json.MarshalIndent": jsonEncoding,
	"sigs.k8s.io/yaml.Marshal":    jsonEncoding,
	"gopkg.in/yaml.v3.Marshal":    yamlEncoding,
	"gopkg.in/yaml.v2.Marshal":    yamlEncoding,
	"go.yaml.in/yaml/v3.Marshal":  yamlEncoding,
	"go.yaml.in/yaml/v2.Marshal":  yamlEncoding,
}

// custom reports whether values of t marshal themselves, which may fail.
func (enc encoding) custom(t types.Type) bool {
	return slices.ContainsFunc(enc.methods, func(m string) bool { return hasMethod(t, m) })
}

// key reports whether a map key of type t always marshals: a string or an
// integer without a marshaler of its own.
func (enc encoding) key(t types.Type) bool {
	k, ok := t.Underlying().(*types.Basic)
	return ok && k.Info()&(types.IsString|types.IsInteger) != 0 && !enc.custom(t)
}

// always reports whether enc cannot fail on a value of type t: no
// interfaces, channels, functions or complex numbers, no floats unless enc
// writes them all, no custom marshalers, maps keyed by strings or integers.
// Cycles through pointers are not considered.
func (enc encoding) always(t types.Type, seen map[types.Type]bool) bool {
	if seen[t] {
		return true
	}
	seen[t] = true
	if n, ok := types.Unalias(t).(*types.Named); ok {
		if obj := n.Obj(); obj.Pkg() != nil && obj.Pkg().Path() == "time" && obj.Name() == "Time" {
			return true
		}
		if enc.custom(t) {
			return false
		}
	}
	switch u := t.Underlying().(type) {
	case *types.Basic:
		if u.Info()&types.IsFloat != 0 {
			return enc.floats
		}
		return u.Info()&types.IsComplex == 0 && u.Kind() != types.UnsafePointer && u.Kind() != types.Invalid
	case *types.Pointer:
		return enc.always(u.Elem(), seen)
	case *types.Slice:
		return enc.always(u.Elem(), seen)
	case *types.Array:
		return enc.always(u.Elem(), seen)
	case *types.Map:
		return enc.key(u.Key()) && enc.always(u.Elem(), seen)
	case *types.Struct:
		for f := range u.Fields() {
			if f.Exported() || f.Embedded() {
				if !enc.always(f.Type(), seen) {
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
