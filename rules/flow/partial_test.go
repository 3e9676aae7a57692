package flow_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"testing"
)

// partialCheck parses src as the file p.go and type-checks it, tolerating
// type errors (the rules' helpers must work on partial type information),
// and returns the file with what the checker recorded.
func partialCheck(t *testing.T, src string) (*ast.File, *types.Info) {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", src, 0)
	if err != nil {
		t.Fatalf("parse: %v\n%s", err, src)
	}
	info := &types.Info{
		Types: map[ast.Expr]types.TypeAndValue{},
		Defs:  map[*ast.Ident]types.Object{},
		Uses:  map[*ast.Ident]types.Object{},
	}
	conf := types.Config{Error: func(error) {}}
	_, _ = conf.Check("p", fset, []*ast.File{f}, info) // type errors are expected here: the types stay partial
	return f, info
}
