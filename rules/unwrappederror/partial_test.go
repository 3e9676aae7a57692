package unwrappederror_test

import (
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"

	"github.com/failfast-dev/failfast/rules/directive"
	"github.com/failfast-dev/failfast/rules/unwrappederror"
)

// partialSrc does not type-check: undefined identifiers and a missing
// import leave holes in the type information.
const partialSrc = `package p

import (
	"context"
	"errors"
	"fmt"
	"os"
)

func load(ctx context.Context, path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("read: %v", err)
	}
	cfg, err := undefinedParse(data)
	if err != nil {
		return errors.New("parse failed")
	}
	if err := missing.Apply(cfg); err != nil {
		return errors.New(err.Error())
	}
	return fmt.Errorf("%v %s", undefinedValue, cfg)
}
`

// TestPartialTypes runs the analyzer on code with type errors: it must not
// panic, and must still find what syntax shows.
func TestPartialTypes(t *testing.T) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", partialSrc, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	info := &types.Info{
		Types:      map[ast.Expr]types.TypeAndValue{},
		Defs:       map[*ast.Ident]types.Object{},
		Uses:       map[*ast.Ident]types.Object{},
		Selections: map[*ast.SelectorExpr]*types.Selection{},
		Implicits:  map[ast.Node]types.Object{},
		Scopes:     map[ast.Node]*types.Scope{},
	}
	conf := types.Config{Importer: importer.Default(), Error: func(error) {}}
	pkg, _ := conf.Check("p", fset, []*ast.File{f}, info) // errors expected
	var got []analysis.Diagnostic
	pass := &analysis.Pass{
		Fset: fset, Files: []*ast.File{f}, Pkg: pkg, TypesInfo: info,
		TypesSizes: types.SizesFor("gc", "amd64"),
		ResultOf:   map[*analysis.Analyzer]any{},
		Report:     func(d analysis.Diagnostic) { got = append(got, d) },
	}
	for _, a := range []*analysis.Analyzer{inspect.Analyzer, directive.Analyzer} {
		res, err := a.Run(pass)
		if err != nil {
			t.Fatalf("%s: %v", a.Name, err)
		}
		pass.ResultOf[a] = res
	}
	if _, err := unwrappederror.Analyzer.Run(pass); err != nil {
		t.Fatal(err)
	}
	if len(got) < 2 {
		t.Errorf("got %d findings on partial types, want at least 2 (%%v of os.ReadFile, fresh error): %v", len(got), got)
	}
}
