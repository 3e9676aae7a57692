package discardederror

import (
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ast/inspector"

	"github.com/failfast-dev/failfast/rules/flow"
)

// rejectsZero reports whether the identifier at u, the first use of a
// value a failed call leaves at its zero value, is a test that the zero
// value passes into a branch rejecting it: `dur, _ := time.ParseDuration(s)`
// then `if dur <= 0 { return errBadWait }`. The comparison with a constant
// (or the negation of a boolean) holds for the zero value, it is the if's
// condition or an operand of a || that is, and the branch ends the function
// having returned or recorded an error (see reportsError). The failure
// cannot go on as if it had succeeded: it stops at once with an error.
func (ch *checker) rejectsZero(u inspector.Cursor) bool {
	v, ok := u.Node().(ast.Expr)
	if !ok {
		return false
	}
	var test inspector.Cursor
	switch p := u.Parent().Node().(type) {
	case *ast.BinaryExpr:
		if !ch.holdsForZero(v, p) {
			return false
		}
		test = u.Parent()
	case *ast.UnaryExpr:
		t := ch.info.TypeOf(v)
		if p.Op != token.NOT || t == nil || !types.Identical(t.Underlying(), types.Typ[types.Bool]) {
			return false
		}
		test = u.Parent()
	default:
		return false
	}
	child := test.Node()
	for p := test.Parent(); p.Node() != nil; p = p.Parent() {
		switch n := p.Node().(type) {
		case *ast.ParenExpr:
		case *ast.BinaryExpr:
			if n.Op != token.LOR {
				return false // under &&, the zero value need not enter the branch
			}
		case *ast.IfStmt:
			return n.Cond == child && ch.reportsError(n.Body)
		default:
			return false
		}
		child = p.Node()
	}
	return false
}

// holdsForZero reports whether b compares v with a constant (other than
// nil) and is true when v holds its type's zero value (0, "", false).
func (ch *checker) holdsForZero(v ast.Expr, b *ast.BinaryExpr) bool {
	switch b.Op {
	case token.EQL, token.NEQ, token.LSS, token.LEQ, token.GTR, token.GEQ:
	default:
		return false
	}
	other, op := b.Y, b.Op
	if ast.Unparen(b.Y) == v {
		other, op = b.X, flow.Mirror(b.Op)
	}
	tv, ok := ch.info.Types[other]
	if !ok || tv.Value == nil {
		return false
	}
	var zero constant.Value
	switch tv.Value.Kind() {
	case constant.Int, constant.Float:
		zero = constant.MakeInt64(0)
	case constant.String:
		zero = constant.MakeString("")
	case constant.Bool:
		if op != token.EQL && op != token.NEQ {
			return false
		}
		zero = constant.MakeBool(false)
	default:
		return false
	}
	return constant.Compare(zero, op, tv.Value)
}

// reportsError reports whether body, the branch of an if, ends the
// function (a return, a panic, an exit) and reports an error on the way: the
// return's last result is an error built there (a call such as fmt.Errorf,
// or a composite literal), or the branch stores or appends such a value of a
// type that implements error (`p.errors = append(p.errors, NewError(tok,
// "expects a positive duration"))`) before returning, or it panics or exits.
// A variable, such as a sentinel (`return ErrNotFound` when RowsAffected
// gave 0), is an answer callers test for: the failure is taken for it.
func (ch *checker) reportsError(body *ast.BlockStmt) bool {
	if len(body.List) == 0 {
		return false
	}
	switch last := body.List[len(body.List)-1].(type) {
	case *ast.ExprStmt:
		call, ok := ast.Unparen(last.X).(*ast.CallExpr)
		return ok && ch.lists.IsExit(ch.info, call)
	case *ast.ReturnStmt:
		if n := len(last.Results); n > 0 {
			r := ast.Unparen(last.Results[n-1])
			if built(r) && isError(ch.info.TypeOf(r)) {
				return true
			}
		}
		for _, s := range body.List[:len(body.List)-1] {
			if ch.recordsError(s) {
				return true
			}
		}
	}
	return false
}

// recordsError reports whether s assigns a value whose type implements
// error, or appends one (x = append(x, e)).
func (ch *checker) recordsError(s ast.Stmt) bool {
	as, ok := s.(*ast.AssignStmt)
	if !ok || as.Tok != token.ASSIGN {
		return false
	}
	for _, r := range as.Rhs {
		r = ast.Unparen(r)
		if call, ok := r.(*ast.CallExpr); ok {
			if id, ok := ast.Unparen(call.Fun).(*ast.Ident); ok && id.Name == "append" {
				if _, builtin := ch.info.Uses[id].(*types.Builtin); builtin {
					for _, a := range call.Args[1:] {
						if built(a) && ch.implementsError(a) {
							return true
						}
					}
					continue
				}
			}
		}
		if built(r) && ch.implementsError(r) {
			return true
		}
	}
	return false
}

// built reports whether e makes a value in place: a call or a composite
// literal (or its address), not a variable such as a sentinel error.
func built(e ast.Expr) bool {
	e = ast.Unparen(e)
	if u, ok := e.(*ast.UnaryExpr); ok && u.Op == token.AND {
		e = ast.Unparen(u.X)
	}
	switch e.(type) {
	case *ast.CallExpr, *ast.CompositeLit:
		return true
	}
	return false
}

func (ch *checker) implementsError(e ast.Expr) bool {
	t := ch.info.TypeOf(e)
	if t == nil {
		return false
	}
	iface := errorType.Underlying().(*types.Interface)
	return types.Implements(t, iface) || types.Implements(types.NewPointer(t), iface)
}
