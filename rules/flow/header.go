package flow

import (
	"go/ast"
	"go/constant"
	"go/types"
	"net/textproto"
)

// ProgramHeaderKey reports a lookup of a request's or response's header
// (req.Header[k], resp.Header[k], their Trailer, w.Header()[k]) under a
// constant name that is not in canonical form (textproto.CanonicalMIMEHeaderKey
// would change it, as for "X-Akamai-ACS-Action"). net/http canonicalizes the
// name of every header it reads from the wire, and Set, Add and Get
// canonicalize theirs, so no input puts such a key into these maps: it is
// there only when the program stored it directly (h["X-ACS-Action"] = v),
// and its presence is the program's invariant. A header map of another
// origin (decoded from JSON, say) keeps the names it was given and does
// not count.
func ProgramHeaderKey(info *types.Info, ix *ast.IndexExpr) bool {
	kv, ok := info.Types[ix.Index]
	if !ok || kv.Value == nil || kv.Value.Kind() != constant.String {
		return false
	}
	key := constant.StringVal(kv.Value)
	if key == "" || textproto.CanonicalMIMEHeaderKey(key) == key {
		return false
	}
	switch x := ast.Unparen(ix.X).(type) {
	case *ast.SelectorExpr: // req.Header, resp.Trailer
		if x.Sel.Name != "Header" && x.Sel.Name != "Trailer" {
			return false
		}
		switch httpTypeName(info.TypeOf(x.X)) {
		case "Request", "Response":
			return true
		}
	case *ast.CallExpr: // w.Header()
		sel, ok := ast.Unparen(x.Fun).(*ast.SelectorExpr)
		return ok && len(x.Args) == 0 && sel.Sel.Name == "Header" && httpTypeName(info.TypeOf(sel.X)) == "ResponseWriter"
	}
	return false
}

// httpTypeName returns the name of a net/http type t (or *t), or "".
func httpTypeName(t types.Type) string {
	if t == nil {
		return ""
	}
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	n, ok := types.Unalias(t).(*types.Named)
	if !ok || n.Obj().Pkg() == nil || n.Obj().Pkg().Path() != "net/http" {
		return ""
	}
	return n.Obj().Name()
}
