package silentdefault_test

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
	"github.com/failfast-dev/failfast/rules/silentdefault"
)

// partialSrc does not type-check: undefined identifiers and a missing
// import leave holes in the type information.
const partialSrc = `package p

import (
	"os"
	"strconv"
)

func settings() (string, int) {
	port := os.Getenv("PORT")
	if port == "" {
		port = undefinedDefault
	}
	n, err := strconv.Atoi(missing.Value())
	if err != nil {
		n = 4
	}
	lvl := os.Getenv("LEVEL")
	if lvl == "" {
		logger.Warn("LEVEL unset")
		lvl = "info"
	}
	return port + lvl, n
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
	if _, err := silentdefault.Analyzer.Run(pass); err != nil {
		t.Fatal(err)
	}
	all := strings.Join(got, "\n")
	for _, want := range []string{`os.Getenv("PORT")`, `strconv.Atoi(missing.Value())`} {
		if !strings.Contains(all, want) {
			t.Errorf("no finding mentions %s on partial types; got:\n%s", want, all)
		}
	}
	if strings.Contains(all, `"LEVEL"`) {
		t.Errorf("reported a logged fallback on partial types:\n%s", all)
	}
}
