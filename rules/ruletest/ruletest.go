// Package ruletest runs a rule's analyzer on source that does not fully
// type-check, as an editor's half-typed buffer would be.
package ruletest

import (
	"fmt"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"testing"

	"golang.org/x/tools/go/analysis"
)

// RunBroken parses files (the source of p.go, p1.go, p2.go, ... of one
// package), type-checks them while ignoring every type error, runs the
// analyzers that a requires (in dependency order) and then a, and returns
// a's diagnostics with the FileSet that their positions refer to.
//
// A parse error is not fatal: the partial syntax tree the parser returns is
// analysed, as an editor would. An error returned by any analyzer fails the
// test.
func RunBroken(t testing.TB, a *analysis.Analyzer, files ...string) ([]analysis.Diagnostic, *token.FileSet) {
	t.Helper()
	fset := token.NewFileSet()
	srcs := map[string][]byte{}
	var asts []*ast.File
	for i, src := range files {
		name := "p.go"
		if i > 0 {
			name = fmt.Sprintf("p%d.go", i)
		}
		f, err := parser.ParseFile(fset, name, src, parser.ParseComments)
		if f == nil {
			t.Fatalf("ruletest: parse %s: %v", name, err)
		}
		// err is not fatal: f holds what could be parsed.
		srcs[name] = []byte(src)
		asts = append(asts, f)
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
	pkg, _ := conf.Check("p", fset, asts, info) // the type errors are the point

	results := map[*analysis.Analyzer]any{}
	var diags []analysis.Diagnostic
	var run func(x *analysis.Analyzer, onStack map[*analysis.Analyzer]bool)
	run = func(x *analysis.Analyzer, onStack map[*analysis.Analyzer]bool) {
		if _, done := results[x]; done {
			return
		}
		if onStack[x] {
			t.Fatalf("ruletest: %s requires itself", x.Name)
		}
		onStack[x] = true
		resultOf := map[*analysis.Analyzer]any{}
		for _, req := range x.Requires {
			run(req, onStack)
			resultOf[req] = results[req]
		}
		delete(onStack, x)
		pass := &analysis.Pass{
			Analyzer:   x,
			Fset:       fset,
			Files:      asts,
			Pkg:        pkg,
			TypesInfo:  info,
			TypesSizes: types.SizesFor("gc", "amd64"),
			ResultOf:   resultOf,
			Report: func(d analysis.Diagnostic) {
				if x == a {
					diags = append(diags, d)
				}
			},
			ReadFile: func(name string) ([]byte, error) {
				if src, ok := srcs[name]; ok {
					return src, nil
				}
				return nil, fmt.Errorf("ruletest: read %s: %w", name, os.ErrNotExist)
			},
		}
		res, err := x.Run(pass)
		if err != nil {
			t.Fatalf("ruletest: %s: %v", x.Name, err)
		}
		results[x] = res
	}
	run(a, map[*analysis.Analyzer]bool{})
	return diags, fset
}
