package swallowedrecover_test

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
	"github.com/failfast-dev/failfast/rules/swallowedrecover"
)

// brokenSrc does not type-check: undefinedFlag, logger and runJob are not
// declared, so parts of the type information are missing.
const brokenSrc = `package p

func work() {
	defer func() {
		if r := recover(); r != nil {
			undefinedFlag = true
		}
	}()
	defer func() { recover() }()
	defer func() {
		if r := recover(); r != nil {
			logger.Errorf("panic: %v", r)
		}
	}()
	runJob()
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
	if _, err := swallowedrecover.Analyzer.Run(pass); err != nil {
		t.Fatalf("run: %v", err)
	}
	if len(diags) != 2 {
		for _, d := range diags {
			t.Logf("%s: %s", fset.Position(d.Pos), d.Message)
		}
		t.Fatalf("got %d findings, want 2 (the flag-only recover and the dropped one)", len(diags))
	}
}
