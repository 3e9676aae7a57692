package unwrappederror

import (
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/ast/inspector"

	"github.com/failfast-dev/failfast/rules/flow"
	"github.com/failfast-dev/failfast/rules/provenance"
)

// pureParsers are the calls whose error carries nothing but the text they
// were given and a syntax or range reason: no I/O, no callback, no error
// of another component inside. Each maps to the index of its text
// argument. A new error that replaces one of these errors and names that
// text loses nothing a caller can test or a person needs.
//
// This is the rule's own list, not the configurable `parsers` list: that
// list says a call's error means the input was bad, which holds for
// time.LoadLocation (it reads the time zone database and can fail with a
// file-system error) and for a parser of the program's own (which may wrap
// an I/O error); this one says what the error carries.
var pureParsers = map[string]int{
	"strconv.Atoi": 0, "strconv.ParseBool": 0, "strconv.ParseFloat": 0, "strconv.ParseInt": 0,
	"strconv.ParseUint": 0, "strconv.ParseComplex": 0, "strconv.Unquote": 0, "strconv.UnquoteChar": 0,
	"time.Parse": 1, "time.ParseInLocation": 1, "time.ParseDuration": 0,
	"net/url.Parse": 0, "net/url.ParseRequestURI": 0, "net/url.ParseQuery": 0,
	"net/url.QueryUnescape": 0, "net/url.PathUnescape": 0,
	"net.ParseMAC": 0, "net.ParseCIDR": 0, "net.SplitHostPort": 0,
	"net/netip.ParseAddr": 0, "net/netip.ParsePrefix": 0, "net/netip.ParseAddrPort": 0,
	"net/mail.ParseAddress": 0, "mime.ParseMediaType": 0,
	// Match's only error is ErrBadPattern, about the pattern.
	"path.Match": 0, "path/filepath.Match": 0,
	"regexp.Compile": 0, "regexp.CompilePOSIX": 0,
	"encoding/base64.Encoding.DecodeString": 0, "encoding/base32.Encoding.DecodeString": 0,
	"encoding/hex.DecodeString": 0,
	// Only into a value decoded without the program's methods: see
	// plainTarget.
	"encoding/json.Unmarshal": 0,
}

// parsedText returns the text argument of call when call is a pure parser
// (pureParsers), or nil.
func parsedText(info *types.Info, call *ast.CallExpr) ast.Expr {
	for _, name := range provenance.CalleeNames(info, call) {
		i, ok := pureParsers[name]
		if !ok || i >= len(call.Args) {
			continue
		}
		if name == "encoding/json.Unmarshal" && (len(call.Args) != 2 || !plainTarget(info, call.Args[1])) {
			return nil
		}
		return call.Args[i]
	}
	return nil
}

// plainTarget reports whether e points to a value that json.Unmarshal
// decodes without running a method of the program: no type in it (behind
// fields, elements, map values and pointers) has an UnmarshalJSON or
// UnmarshalText method, other than the standard library's parsers in
// plainDecoders. json.Unmarshal into it fails only with a *SyntaxError or
// an *UnmarshalTypeError about the data, or a parse error of one of those
// methods; a method of the program may return any error.
func plainTarget(info *types.Info, e ast.Expr) bool {
	t := info.TypeOf(e)
	if t == nil {
		return false
	}
	p, ok := t.Underlying().(*types.Pointer)
	return ok && decodesPlainly(p.Elem(), map[types.Type]bool{})
}

// plainDecoders are the standard library's types whose UnmarshalJSON or
// UnmarshalText only parses the data.
var plainDecoders = map[string]bool{
	"time.Time": true, "encoding/json.RawMessage": true,
	"math/big.Int": true, "math/big.Float": true, "math/big.Rat": true,
	"net.IP": true, "net/netip.Addr": true, "net/netip.Prefix": true, "net/netip.AddrPort": true,
}

func decodesPlainly(t types.Type, seen map[types.Type]bool) bool {
	if seen[t] {
		return true
	}
	seen[t] = true
	if n, ok := types.Unalias(t).(*types.Named); ok {
		ms := types.NewMethodSet(types.NewPointer(n))
		for _, m := range []string{"UnmarshalJSON", "UnmarshalText"} {
			if ms.Lookup(nil, m) != nil {
				return plainDecoders[provenance.TypeName(n)]
			}
		}
	}
	switch u := t.Underlying().(type) {
	case *types.Basic, *types.Interface:
		return true
	case *types.Pointer:
		return decodesPlainly(u.Elem(), seen)
	case *types.Slice:
		return decodesPlainly(u.Elem(), seen)
	case *types.Array:
		return decodesPlainly(u.Elem(), seen)
	case *types.Map:
		return decodesPlainly(u.Key(), seen) && decodesPlainly(u.Elem(), seen)
	case *types.Struct:
		for f := range u.Fields() {
			if !decodesPlainly(f.Type(), seen) {
				return false
			}
		}
		return true
	}
	return false
}

// textSources returns the variables (and fields of variables) the parsed
// text input is made of, and those it was derived from: a local variable
// defined once by slicing, indexing or asserting another value
// (`year := match[1]`, `s, ok := v.(string)`), or by a function of
// package strings or bytes (`ints := strings.Split(part, ":")`,
// `id, mode, _ := strings.Cut(result, "_")`) names that value's text as
// well. A variable assigned anywhere else in the function is not
// followed.
func textSources(info *types.Info, c inspector.Cursor, input ast.Expr) map[string]bool {
	var body *ast.BlockStmt
	if fd, ok := flow.EnclosingFuncDecl(c); ok {
		body = fd.Body
	} else if _, _, b, ok := flow.EnclosingFunc(c); ok {
		body = b
	}
	sources := map[string]bool{}
	var add func(e ast.Expr, depth int)
	add = func(e ast.Expr, depth int) {
		ast.Inspect(e, func(n ast.Node) bool {
			x, ok := n.(ast.Expr)
			if !ok || !isVarOperand(info, x) {
				return true
			}
			sources[types.ExprString(x)] = true
			if id, ok := x.(*ast.Ident); ok && body != nil && depth < 4 {
				if from := derivedFrom(info, body, info.Uses[id]); from != nil {
					add(from, depth+1)
				}
			}
			return false
		})
	}
	add(input, 0)
	return sources
}

// derivedFrom returns the expression a local variable was derived from as
// text (see textSources), when its definition is its only assignment in
// body, or nil.
func derivedFrom(info *types.Info, body *ast.BlockStmt, obj types.Object) ast.Expr {
	v, ok := obj.(*types.Var)
	if !ok || v.IsField() || !(body.Pos() <= v.Pos() && v.Pos() < body.End()) {
		return nil
	}
	var def ast.Expr
	assigned := 0
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			for i, l := range n.Lhs {
				id, ok := ast.Unparen(l).(*ast.Ident)
				if !ok || info.ObjectOf(id) != obj {
					continue
				}
				assigned++
				if n.Tok == token.DEFINE && info.Defs[id] == obj {
					switch {
					case len(n.Rhs) == len(n.Lhs):
						def = n.Rhs[i]
					case len(n.Rhs) == 1:
						def = n.Rhs[0]
					}
				}
			}
		case *ast.IncDecStmt:
			if id, ok := ast.Unparen(n.X).(*ast.Ident); ok && info.ObjectOf(id) == obj {
				assigned++
			}
		case *ast.UnaryExpr:
			if id, ok := ast.Unparen(n.X).(*ast.Ident); ok && n.Op == token.AND && info.ObjectOf(id) == obj {
				assigned++ // written through a pointer, perhaps
			}
		case *ast.RangeStmt:
			for _, x := range []ast.Expr{n.Key, n.Value} {
				if id, ok := x.(*ast.Ident); ok && info.ObjectOf(id) == obj {
					assigned++
				}
			}
		}
		return true
	})
	if assigned != 1 || def == nil {
		return nil
	}
	switch d := ast.Unparen(def).(type) {
	case *ast.IndexExpr:
		return d.X
	case *ast.SliceExpr:
		return d.X
	case *ast.TypeAssertExpr:
		return d.X
	case *ast.CallExpr:
		for _, name := range provenance.CalleeNames(info, d) {
			if strings.HasPrefix(name, "strings.") || strings.HasPrefix(name, "bytes.") {
				return d
			}
		}
	}
	return nil
}
