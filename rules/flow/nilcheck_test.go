package flow_test

import (
	"go/ast"
	"go/token"
	"go/types"
	"testing"

	"github.com/failfast-dev/failfast/rules/flow"
)

// conditions type-checks src (a package whose function f's body is a list
// of if statements; type errors are tolerated) and returns the conditions
// of those ifs with the package's type information.
func conditions(t *testing.T, src string) (*types.Info, []ast.Expr) {
	t.Helper()
	f, info := partialCheck(t, src)
	var conds []ast.Expr
	ast.Inspect(f, func(n ast.Node) bool {
		if ifs, ok := n.(*ast.IfStmt); ok {
			conds = append(conds, ifs.Cond)
		}
		return true
	})
	return info, conds
}

func TestErrCompared(t *testing.T) {
	const src = `package p

type netError interface{ error; Timeout() bool }
type wrapper interface{ netError; Unwrap() error }
type myErr struct{}

func (myErr) Error() string { return "" }

func f(err error, ne netError, w wrapper, me myErr, pe *myErr, p *int, s struct{ err error }) {
	if err != nil {}          // 0: error
	if nil != err {}          // 1: either way round
	if (err) != (nil) {}      // 2: parentheses
	if ne != nil {}           // 3: a named interface embedding error
	if w != nil {}            // 4: one embedding error through another
	if pe != nil {}           // 5: a concrete type is not an error interface
	if p != nil {}            // 6: not an error
	if s.err != nil {}        // 7: a selector
	if err == nil {}          // 8: the other operator
	if readErr != nil {}      // 9: partial types, named like an error
	if q.lastErr != nil {}    // 10: partial types, a selector
	if c.conn.Err != nil {}   // 11: partial types, Err
	if stderr != nil {}       // 12: partial types, ends in err
	if result != nil {}       // 13: partial types, not named like an error
	if errors() != nil {}     // 14: not an identifier or selector
	if err != err {}          // 15: not a comparison with nil
	{ nil := err; if err != nil {} } // 16: a shadowed nil is not nil
}
`
	info, conds := conditions(t, src)
	want := map[int]string{0: "err", 1: "err", 2: "err", 3: "ne", 4: "w", 7: "s.err", 9: "readErr", 10: "q.lastErr", 11: "c.conn.Err", 12: "stderr"}
	if len(conds) != 17 {
		t.Fatalf("got %d conditions, want 17", len(conds))
	}
	for i, cond := range conds {
		got := ""
		if x := flow.ErrNotNil(info, cond); x != nil {
			got = types.ExprString(x)
		}
		if got != want[i] {
			t.Errorf("%d: ErrNotNil(%s) = %q, want %q", i, types.ExprString(cond), got, want[i])
		}
	}
	if x := flow.ErrCompared(info, conds[8], token.EQL); x == nil || types.ExprString(x) != "err" {
		t.Errorf("ErrCompared(err == nil, ==) = %v, want err", x)
	}
	if x := flow.ErrCompared(info, conds[0], token.EQL); x != nil {
		t.Errorf("ErrCompared(err != nil, ==) = %v, want nil", x)
	}
}

func TestIsNil(t *testing.T) {
	const src = `package p

func f(p *int) {
	if p != nil {}          // 0: the predeclared nil
	if p != (nil) {}        // 1: parentheses
	if p != undefined {}    // 2: not nil
	{ nil := p; if p != nil {} } // 3: a shadowed nil
	if q != nil {}          // 4: partial types: nil still resolves
}
`
	info, conds := conditions(t, src)
	want := []bool{true, true, false, false, true}
	if len(conds) != len(want) {
		t.Fatalf("got %d conditions, want %d", len(conds), len(want))
	}
	for i, cond := range conds {
		y := cond.(*ast.BinaryExpr).Y
		if got := flow.IsNil(info, y); got != want[i] {
			t.Errorf("%d: IsNil(%s) = %v, want %v", i, types.ExprString(y), got, want[i])
		}
	}
	// Without type information, by the name alone: the shadowed nil too.
	if !flow.IsNil(nil, conds[3].(*ast.BinaryExpr).Y) {
		t.Errorf("IsNil(nil, shadowed nil) = false, want true")
	}
	// An identifier nil that nothing resolves (as in code built outside the
	// type checker) is the predeclared nil.
	if !flow.IsNil(&types.Info{}, ast.NewIdent("nil")) {
		t.Errorf("IsNil(unresolved nil) = false, want true")
	}
}
