package uncheckedtypeassertion_test

import (
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"

	"github.com/failfast-dev/failfast/rules/directive"
	"github.com/failfast-dev/failfast/rules/uncheckedtypeassertion"
)

// partialSrc does not type-check: an undefined decoder, an undefined
// type and a missing import leave holes in the type information.
const partialSrc = `package p

import (
	"context"
	"encoding/json"
)

func load(ctx context.Context, data []byte) string {
	var doc map[string]any
	_ = json.Unmarshal(data, &doc)
	n := doc["n"].(float64)
	u := ctx.Value("user").(*Undefined)
	var v any
	_ = yaml.Unmarshal(data, &v)
	s := v.(string)
	w := missing.Thing().(int)
	defer func() {
		if r := recover(); r != nil {
			err = r.(error)
		}
	}()
	_, _, _, _ = n, u, s, w
	return ""
}
`

// TestPartialTypes runs the analyzer on code with type errors: it must not
// panic, and must still find what it can.
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
	var got []string
	pass := &analysis.Pass{
		Fset: fset, Files: []*ast.File{f}, Pkg: pkg, TypesInfo: info,
		TypesSizes: types.SizesFor("gc", "amd64"),
		ResultOf:   map[*analysis.Analyzer]any{},
		Report:     func(d analysis.Diagnostic) { got = append(got, d.Message) },
	}
	for _, a := range []*analysis.Analyzer{inspect.Analyzer, directive.Analyzer} {
		res, err := a.Run(pass)
		if err != nil {
			t.Fatalf("%s: %v", a.Name, err)
		}
		pass.ResultOf[a] = res
	}
	if _, err := uncheckedtypeassertion.Analyzer.Run(pass); err != nil {
		t.Fatal(err)
	}
	all := strings.Join(got, "\n")
	for _, want := range []string{`doc["n"].(float64)`, `ctx.Value("user")`, `v.(string)`, `r.(error)`} {
		if !strings.Contains(all, want) {
			t.Errorf("no finding mentions %s on partial types; got:\n%s", want, all)
		}
	}
}
