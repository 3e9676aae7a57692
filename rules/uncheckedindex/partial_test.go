package uncheckedindex_test

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
	"github.com/failfast-dev/failfast/rules/uncheckedindex"
)

// A package that does not type-check must not make the rule panic, and
// what syntax and the known types still tell is reported.
const broken = `package p

import (
	"os"
	"strings"
	"example.com/missing"
)

func F(line string) string {
	parts := strings.Split(line, "=")
	x := missing.Parts(line)
	y := undefined(line)
	if len(unknownSlice) > 2 {
		return unknownSlice[2]
	}
	return parts[1] + x[1] + y[2] + os.Args[1] + missing.Fields(line)[3]
}
`

func TestPartialTypes(t *testing.T) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", broken, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	info := &types.Info{
		Types: map[ast.Expr]types.TypeAndValue{}, Defs: map[*ast.Ident]types.Object{},
		Uses: map[*ast.Ident]types.Object{}, Selections: map[*ast.SelectorExpr]*types.Selection{},
		Implicits: map[ast.Node]types.Object{}, Scopes: map[ast.Node]*types.Scope{},
	}
	conf := types.Config{Importer: importer.Default(), Error: func(error) {}}
	pkg, _ := conf.Check("p", fset, []*ast.File{f}, info) // errors expected
	var diags []analysis.Diagnostic
	pass := &analysis.Pass{
		Fset: fset, Files: []*ast.File{f}, Pkg: pkg, TypesInfo: info, TypesSizes: types.SizesFor("gc", "amd64"),
		ResultOf: map[*analysis.Analyzer]any{},
		Report:   func(d analysis.Diagnostic) { diags = append(diags, d) },
		ReadFile: func(string) ([]byte, error) { return []byte(broken), nil },
	}
	for _, a := range []*analysis.Analyzer{inspect.Analyzer, directive.Analyzer} {
		res, err := a.Run(pass)
		if err != nil {
			t.Fatalf("%s: %v", a.Name, err)
		}
		pass.ResultOf[a] = res
	}
	if _, err := uncheckedindex.Analyzer.Run(pass); err != nil {
		t.Fatal(err)
	}
	// parts[1] and os.Args[1]; the missing package's results are unknown.
	if len(diags) != 2 {
		t.Errorf("got %d diagnostics, want 2 (parts[1], os.Args[1]): %v", len(diags), diags)
	}
}
