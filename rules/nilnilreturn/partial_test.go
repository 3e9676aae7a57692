package nilnilreturn_test

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
	"github.com/failfast-dev/failfast/rules/nilnilreturn"
)

// brokenSrc does not type-check: Config, Thing, parse and lookupHook are not declared,
// so the result types are known only by their syntax.
const brokenSrc = `package p

func load(path string) (*Config, error) {
	if path == "" {
		return nil, nil
	}
	return parse(path)
}

func get() (Thing, error) {
	return nil, nil
}

func list() ([]Thing, error) {
	return nil, nil
}

func hook(name string) (func(Thing), error) {
	if name == "" {
		return nil, nil
	}
	return lookupHook(name)
}
`

// TestPartialTypes runs the analyzer over code with type errors: it must not
// panic and must still report what the syntax shows.
func TestPartialTypes(t *testing.T) {
	fset := token.NewFileSet()
	file, err := parser.ParseFile(fset, "p.go", brokenSrc, parser.ParseComments)
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	info := &types.Info{
		Types:      map[ast.Expr]types.TypeAndValue{},
		Defs:       map[*ast.Ident]types.Object{},
		Uses:       map[*ast.Ident]types.Object{},
		Selections: map[*ast.SelectorExpr]*types.Selection{},
		Implicits:  map[ast.Node]types.Object{},
		Scopes:     map[ast.Node]*types.Scope{},
	}
	cfg := types.Config{Importer: importer.Default(), Error: func(error) {}}
	pkg, _ := cfg.Check("p", fset, []*ast.File{file}, info) // the type errors are the point
	var diags []analysis.Diagnostic
	pass := &analysis.Pass{
		Fset:       fset,
		Files:      []*ast.File{file},
		Pkg:        pkg,
		TypesInfo:  info,
		TypesSizes: types.SizesFor("gc", "amd64"),
		ResultOf:   map[*analysis.Analyzer]any{},
		Report:     func(d analysis.Diagnostic) { diags = append(diags, d) },
	}
	for _, req := range []*analysis.Analyzer{inspect.Analyzer, directive.Analyzer} {
		res, err := req.Run(pass)
		if err != nil {
			t.Fatalf("%s: %v", req.Name, err)
		}
		pass.ResultOf[req] = res
	}
	if _, err := nilnilreturn.Analyzer.Run(pass); err != nil {
		t.Fatalf("run: %v", err)
	}
	if len(diags) != 2 {
		for _, d := range diags {
			t.Logf("%s: %s", fset.Position(d.Pos), d.Message)
		}
		t.Fatalf("got %d findings, want 2 (the *Config and the func results)", len(diags))
	}
}
