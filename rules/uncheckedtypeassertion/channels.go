package uncheckedtypeassertion

// This file answers "does every value this channel can deliver have the
// asserted type?" for a channel of interface values that only the package
// can reach: every send in view is the proof, as the stores are for an
// atomic.Value.

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ast/inspector"

	"github.com/failfast-dev/failfast/rules/provenance"
)

// chanUse is what the package does with one channel variable or field.
type chanUse struct {
	sent    []types.Type // the static type of each value sent (nil: unknown)
	closed  bool         // close(ch) appears
	escapes bool         // the channel is used other than by send, receive, range, len, cap, close or make
}

// sentOnly reports whether every value a receive from ch can give has type
// want: ch is an unexported variable or field of the package (or a local),
// used only to send, receive, range over, measure, close and make it, each
// send sends a value of static type want, and, unless the receive is a
// range (which ends at close), the channel is never closed (a receive from
// a closed channel gives nil).
func (c *checker) sentOnly(ch ast.Expr, want types.Type, ranged bool) bool {
	v, ok := c.containerObj(ch).(*types.Var)
	if !ok || want == nil || v.Pkg() != c.pass.Pkg {
		return false
	}
	if v.Exported() && (v.IsField() || v.Parent() == v.Pkg().Scope()) {
		return false // another package may send into it
	}
	if c.chans == nil {
		c.chans = map[*types.Var]*chanUse{}
	}
	u, ok := c.chans[v]
	if !ok {
		u = c.useOf(v)
		c.chans[v] = u
	}
	if u.escapes || len(u.sent) == 0 || (u.closed && !ranged) {
		return false
	}
	for _, t := range u.sent {
		if t == nil || !types.Identical(t, want) {
			return false
		}
	}
	return true
}

// useOf reads every mention of the channel variable v in the package.
func (c *checker) useOf(v *types.Var) *chanUse {
	u := &chanUse{}
	info := c.pass.TypesInfo
	for cur := range c.at.Inspector().Root().Preorder((*ast.Ident)(nil)) {
		id, ok := cur.Node().(*ast.Ident)
		if !ok {
			continue
		}
		if info.Uses[id] != v && info.Defs[id] != v {
			continue
		}
		if info.Defs[id] == v && v.IsField() {
			continue // the field's declaration
		}
		c.judgeMention(u, cur)
		if u.escapes {
			break
		}
	}
	return u
}

// judgeMention records what the expression around the mention at cur does
// with the channel.
func (c *checker) judgeMention(u *chanUse, cur inspector.Cursor) {
	info := c.pass.TypesInfo
	expr := cur
	if sel, ok := cur.Parent().Node().(*ast.SelectorExpr); ok && sel.Sel == cur.Node() {
		expr = cur.Parent() // p.ch
	}
	parent := expr.Parent()
	for {
		if _, ok := parent.Node().(*ast.ParenExpr); !ok {
			break
		}
		expr, parent = parent, parent.Parent()
	}
	node := expr.Node()
	switch p := parent.Node().(type) {
	case *ast.SendStmt:
		if p.Chan == node {
			u.sent = append(u.sent, c.typeOf(p.Value))
			return
		}
	case *ast.UnaryExpr:
		if p.Op == token.ARROW {
			return
		}
	case *ast.RangeStmt:
		if p.X == node {
			return
		}
	case *ast.CallExpr:
		if len(p.Args) == 1 && p.Args[0] == node {
			switch provenance.Builtin(info, p) {
			case "len", "cap":
				return
			case "close":
				u.closed = true
				return
			}
		}
	case *ast.KeyValueExpr: // pool{ch: make(chan any, n)}
		if p.Key == node && isMake(info, p.Value) {
			return
		}
	case *ast.AssignStmt: // p.ch = make(chan any), ch := make(chan any)
		for i, l := range p.Lhs {
			if l == node && len(p.Rhs) == len(p.Lhs) && isMake(info, p.Rhs[i]) {
				return
			}
		}
	case *ast.ValueSpec: // var ch = make(chan any)
		for i, n := range p.Names {
			if n == node && len(p.Values) == len(p.Names) && isMake(info, p.Values[i]) {
				return
			}
		}
	}
	u.escapes = true
}

// isMake reports whether e is a call of the builtin make.
func isMake(info *types.Info, e ast.Expr) bool {
	call, ok := ast.Unparen(e).(*ast.CallExpr)
	return ok && provenance.Builtin(info, call) == "make"
}
