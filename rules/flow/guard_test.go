package flow_test

import (
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"testing"

	"golang.org/x/tools/go/ast/inspector"

	"github.com/failfast-dev/failfast/rules/flow"
	"github.com/failfast-dev/failfast/rules/provenance"
)

// check type-checks a function body that mentions x (a []string), p (a
// *int), m (a map[string]*int) and k (a string) and calls use() once, and
// reports whether the guard built by mk dominates the call. Type errors are
// tolerated: guards must work on partial type information.
func check(t *testing.T, body string, mk func(info *types.Info, fn *ast.FuncDecl) *flow.Guard) bool {
	t.Helper()
	src := "package p\n\nfunc use(...any) bool { return true }\nfunc fail(string) { panic(0) }\n\nfunc f(x []string, p *int, m map[string]*int, k string) {\n" + body + "\n}\n"
	f, info := partialCheck(t, src)
	in := inspector.New([]*ast.File{f})
	var fn *ast.FuncDecl
	for _, d := range f.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok && fd.Name.Name == "f" {
			fn = fd
		}
	}
	g := mk(info, fn)
	for c := range in.Root().Preorder((*ast.CallExpr)(nil)) {
		call, ok := c.Node().(*ast.CallExpr)
		if !ok {
			continue
		}
		if id, ok := call.Fun.(*ast.Ident); ok && id.Name == "use" && c.Node().Pos() > fn.Pos() {
			return g.Dominates(c)
		}
	}
	t.Fatalf("no use() call in\n%s", body)
	return false
}

func sameName(name string) func(ast.Expr) bool {
	return func(e ast.Expr) bool {
		id, ok := ast.Unparen(e).(*ast.Ident)
		return ok && id.Name == name
	}
}

func lenGuard(n int64) func(*types.Info, *ast.FuncDecl) *flow.Guard {
	return func(info *types.Info, _ *ast.FuncDecl) *flow.Guard {
		return &flow.Guard{
			Info:  info,
			Lists: provenance.Default(),
			Holds: flow.LenAtLeast(info, flow.IsLenOf(info, sameName("x")), n),
			Sets: func(s ast.Stmt) bool {
				return false
			},
			Resets: func(s ast.Stmt) bool { return flow.Assigns(s, sameName("x")) },
		}
	}
}

func TestLenAtLeast(t *testing.T) {
	tests := []struct {
		name string
		body string
		want bool
	}{
		{"unguarded", `use(x[1])`, false},
		{"early return !=", `if len(x) != 2 { return }; use(x[1])`, true},
		{"early return <", `if len(x) < 2 { return }; use(x[1])`, true},
		{"early return too weak", `if len(x) < 1 { return }; use(x[1])`, false},
		{"continue in loop", `for range 3 { if len(x) < 2 { continue }; use(x[1]) }`, true},
		{"exit call", `if len(x) <= 1 { panic("usage") }; use(x[1])`, true},
		{"then branch", `if len(x) > 1 { use(x[1]) }`, true},
		{"then branch reversed", `if 2 <= len(x) { use(x[1]) }`, true},
		{"else branch", `if len(x) < 2 { return } else { use(x[1]) }`, true},
		{"wrong branch", `if len(x) < 2 { use(x[1]) }`, false},
		{"and", `_ = len(x) > 1 && use(x[1])`, true},
		{"or", `_ = len(x) < 2 || use(x[1])`, true},
		{"negation", `if !(len(x) < 2) { use(x[1]) }`, true},
		{"conjunction in condition", `if k != "" && len(x) == 2 { use(x[1]) }`, true},
		{"disjunction in condition", `if k != "" || len(x) == 2 { use(x[1]) }`, false},
		{"check does not stop", `if len(x) < 2 { println("short") }; use(x[1])`, false},
		{"switch case", `switch len(x) { case 2, 3: use(x[1]) }`, true},
		{"switch case too short", `switch len(x) { case 1, 3: use(x[1]) }`, false},
		{"switch default after short cases", `switch len(x) { case 0: return; case 1: return; default: use(x[1]) }`, true},
		{"switch default after one case", `switch len(x) { case 0: return; default: use(x[1]) }`, false},
		{"tagless switch", `switch { case len(x) > 1: use(x[1]) }`, true},
		{"preceding switch", `switch { case len(x) < 2: return }; use(x[1])`, true},
		{"preceding switch no default", `switch len(x) { case 0, 1: return }; use(x[1])`, true},
		{"for condition", `for len(x) >= 2 { use(x[1]); x = x[2:] }`, true},
		{"reassigned after check", `if len(x) < 2 { return }; x = nil; use(x[1])`, false},
		{"closure under check", `if len(x) > 1 { go func() { use(x[1]) }() }`, true},
		{"else-if chain", `if len(x) == 0 { return } else if len(x) == 1 { return }; use(x[1])`, false},
		{"if-else both end", `if len(x) < 2 { return } else { println() }; use(x[1])`, true},
		{"nested block", `if len(x) < 2 { return }; { use(x[1]) }`, true},
		{"partial types", `if len(x) < 2 { undefined() ; return }; use(x[1], undefinedVar)`, true},
		{"early exit on a disjunction", `for i := range 3 { if i == 0 || len(x) < 4 { continue }; use(x[1]) }`, true},
		{"early exit on a disjunction with <=", `if k == "" || len(x) <= 1 { return }; use(x[1])`, true},
		{"early exit on a conjunction", `if k == "" && len(x) < 2 { return }; use(x[1])`, false},
		{"early exit on an exact length", `if len(x) != 4 { return }; use(x[1])`, true},
		{"early exit on an exact length too short", `if len(x) != 1 { return }; use(x[1])`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := check(t, tt.body, lenGuard(2)); got != tt.want {
				t.Errorf("Dominates = %v, want %v for\n%s", got, tt.want, tt.body)
			}
		})
	}
}

func TestNonNilAndPresent(t *testing.T) {
	lookup := func(info *types.Info, fn *ast.FuncDecl) *flow.Guard {
		same := func(e ast.Expr) bool {
			ix, ok := ast.Unparen(e).(*ast.IndexExpr)
			return ok && sameName("m")(ix.X) && sameName("k")(ix.Index)
		}
		return &flow.Guard{
			Info:  info,
			Lists: provenance.Default(),
			Holds: flow.Either(flow.NonNil(same), flow.NonNil(sameName("p")), flow.Present(info, fn.Body, same)),
			Sets:  func(s ast.Stmt) bool { return flow.Assigns(s, same) },
		}
	}
	tests := []struct {
		name string
		body string
		want bool
	}{
		{"unguarded", `use(*m[k])`, false},
		{"nil check", `if m[k] != nil { use(*m[k]) }`, true},
		{"nil return", `if m[k] == nil { return }; use(*m[k])`, true},
		{"nil check of another key", `if m["a"] != nil { use(*m[k]) }`, false},
		{"comma ok", `_, ok := m[k]; if !ok { return }; use(*m[k])`, true},
		{"comma ok in if", `if _, ok := m[k]; ok { use(*m[k]) }`, true},
		{"comma ok of another key", `_, ok := m["a"]; if !ok { return }; use(*m[k])`, false},
		{"inserted", `m[k] = new(int); use(*m[k])`, true},
		{"inserted when missing", `if m[k] == nil { m[k] = new(int) }; use(*m[k])`, true},
		{"variable nil check", `if p == nil { panic("no p") }; use(*p)`, true},
		{"earlier case of tagless switch", `switch { case p == nil: println(); case *p > 0: use(*p) }`, true},
		{"earlier case body", `switch { case p == nil: println(); default: use(*p) }`, true},
		{"helper that panics", `if p == nil { fail("no p") }; use(*p)`, true},
		{"variable nil check wrong way", `if p != nil { panic("p") }; use(*p)`, false},
		{"select whose every case ends", `for { if p == nil { select { case <-make(chan int): return; default: continue } }; use(*p) }`, true},
		{"select with a case that breaks out of it", `for { if p == nil { select { case <-make(chan int): return; default: break } }; use(*p) }`, false},
		{"switch with a default whose every case ends", `if p == nil { switch k { case "a": return; default: panic(k) } }; use(*p)`, true},
		{"switch without a default", `if p == nil { switch k { case "a": return } }; use(*p)`, false},
		{"switch case that falls through", `if p == nil { switch k { case "a": fallthrough; default: return } }; use(*p)`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := check(t, tt.body, lookup); got != tt.want {
				t.Errorf("Dominates = %v, want %v for\n%s", got, tt.want, tt.body)
			}
		})
	}
}

func TestSameExpr(t *testing.T) {
	fset := token.NewFileSet()
	parse := func(s string) ast.Expr {
		e, err := parser.ParseExprFrom(fset, "", s, 0)
		if err != nil {
			t.Fatalf("parse %q: %v", s, err)
		}
		return e
	}
	info := &types.Info{}
	for _, tt := range []struct {
		a, b string
		want bool
	}{
		{"x", "x", true},
		{"x", "y", false},
		{"(a.b[1])", "a.b[1]", true},
		{"a.b[1]", "a.b[2]", false},
		{"f(x, y)", "f(x, y)", true},
		{"f(x)", "g(x)", false},
		{`m["k"]`, `m["k"]`, true},
		{"s[1:]", "s[1:]", true},
		{"s[1:]", "s[2:]", false},
	} {
		if got := flow.SameExpr(info, parse(tt.a), parse(tt.b)); got != tt.want {
			t.Errorf("SameExpr(%s, %s) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestFromInput(t *testing.T) {
	const src = `package p

import (
	"bufio"
	"net/http"
	"os"
	"strings"
)

type store struct{ order []string }

func use(...any) {}

func Handler(w http.ResponseWriter, r *http.Request) {
	id := r.Header.Get("X-ID")
	path := r.URL.Path
	use(id, path)
}

func Exported(name string) { use(name) }

func helper(s string) { use(s) }

func internalOnly(s string) { use(s) }

func callers(sc *bufio.Scanner) {
	helper(sc.Text())
	internalOnly("fixed")
}

func (s *store) walk() {
	for _, n := range s.order {
		use(n, os.Args[1], strings.ToUpper(os.Getenv("HOME")))
	}
}
`
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	info := &types.Info{
		Types: map[ast.Expr]types.TypeAndValue{}, Defs: map[*ast.Ident]types.Object{},
		Uses: map[*ast.Ident]types.Object{}, Selections: map[*ast.SelectorExpr]*types.Selection{},
	}
	conf := types.Config{Importer: importer.Default(), Error: func(error) {}}
	pkg, _ := conf.Check("example.com/p", fset, []*ast.File{f}, info)
	in := &flow.Inputs{Info: info, Lists: provenance.Default(), Pkg: pkg}
	want := map[string]bool{
		"id": true, "path": true, "name": true, "s": false, "n": false,
		"os.Args[1]": true, `strings.ToUpper(os.Getenv("HOME"))`: true,
	}
	// s is true in helper (fed sc.Text()) and false in internalOnly.
	inHelper := map[string]bool{"helper": true, "internalOnly": false}
	root := inspector.New([]*ast.File{f}).Root()
	for c := range root.Preorder((*ast.CallExpr)(nil)) {
		call, ok := c.Node().(*ast.CallExpr)
		if !ok {
			continue
		}
		if id, ok := call.Fun.(*ast.Ident); !ok || id.Name != "use" {
			continue
		}
		fd, _ := flow.EnclosingFuncDecl(c)
		for _, a := range call.Args {
			text := types.ExprString(a)
			w, ok := want[text]
			if text == "s" {
				w, ok = inHelper[fd.Name.Name]
			}
			if !ok {
				t.Fatalf("unexpected argument %s", text)
			}
			if got := in.FromInput(c, a); got != w {
				t.Errorf("FromInput(%s in %s) = %v, want %v", text, fd.Name.Name, got, w)
			}
		}
	}
}

// TestSameExprConstants: constants are the same when their values are
// equal and of comparable kinds; the rune '=' is not the string "=".
func TestSameExprConstants(t *testing.T) {
	fset := token.NewFileSet()
	info := &types.Info{Types: map[ast.Expr]types.TypeAndValue{}}
	typed := func(s string) ast.Expr {
		e, err := parser.ParseExprFrom(fset, "", s, 0)
		if err != nil {
			t.Fatalf("parse %q: %v", s, err)
		}
		if err := types.CheckExpr(fset, nil, token.NoPos, e, info); err != nil {
			t.Fatalf("check %q: %v", s, err)
		}
		return e
	}
	for _, tt := range []struct {
		a, b string
		want bool
	}{
		{`"="`, `"="`, true},
		{`"="`, `"=" + ""`, true},
		{`'='`, `"="`, false},
		{`61`, `'='`, true},
		{`2`, `2.0`, true},
		{`2`, `3`, false},
	} {
		if got := flow.SameExpr(info, typed(tt.a), typed(tt.b)); got != tt.want {
			t.Errorf("SameExpr(%s, %s) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}
