package ruletest_test

import (
	"errors"
	"fmt"
	"go/ast"
	"go/types"
	"runtime"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/failfast-dev/failfast/rules/ruletest"
)

// calls lists the calls whose callee has no type: its result needs inspect.
var calls = &analysis.Analyzer{
	Name:     "untypedcalls",
	Doc:      "lists calls whose callee has no type",
	Requires: []*analysis.Analyzer{inspect.Analyzer},
	Run: func(pass *analysis.Pass) (any, error) {
		var names []string
		in := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
		in.Preorder([]ast.Node{(*ast.CallExpr)(nil)}, func(n ast.Node) {
			call := n.(*ast.CallExpr)
			if tv, ok := pass.TypesInfo.Types[call.Fun]; !ok || tv.Type == nil || tv.Type == types.Typ[types.Invalid] {
				names = append(names, types.ExprString(call.Fun))
			}
		})
		return names, nil
	},
}

// report reports each untyped call; it needs calls, which needs inspect.
var report = &analysis.Analyzer{
	Name:     "reportuntyped",
	Doc:      "reports calls whose callee has no type",
	Requires: []*analysis.Analyzer{calls},
	Run: func(pass *analysis.Pass) (any, error) {
		src, err := pass.ReadFile("p.go")
		if err != nil {
			return nil, err
		}
		if !strings.HasPrefix(string(src), "package p") {
			pass.Reportf(pass.Files[0].Package, "ReadFile gave %q", src)
		}
		for _, name := range pass.ResultOf[calls].([]string) {
			pass.Reportf(pass.Files[0].Package, "untyped call %s", name)
		}
		return nil, nil
	},
}

func TestRunBroken(t *testing.T) {
	diags, fset := ruletest.RunBroken(t, report, `package p

import "strings"

func f() string {
	g()
	return strings.ToUpper(missing.Name())
}
`, `package p

func h() { undefined.Call(1) }

func broken( { // a parse error: the partial tree is kept
`)
	var got []string
	for _, d := range diags {
		got = append(got, d.Message)
		if p := fset.Position(d.Pos); p.Filename != "p.go" || p.Line != 1 {
			t.Errorf("diagnostic at %s, want p.go:1", p)
		}
	}
	want := []string{"untyped call g", "untyped call missing.Name", "untyped call undefined.Call"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got diagnostics\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// fatalTB records a Fatalf and stops the goroutine, as testing.T does.
type fatalTB struct {
	testing.TB
	msg string
}

func (f *fatalTB) Helper() {}

func (f *fatalTB) Fatalf(format string, args ...any) {
	f.msg = fmt.Sprintf(format, args...)
	runtime.Goexit()
}

func TestRunBrokenFailsOnAnalyzerError(t *testing.T) {
	failing := &analysis.Analyzer{
		Name:     "failing",
		Doc:      "always fails",
		Requires: []*analysis.Analyzer{inspect.Analyzer},
		Run:      func(*analysis.Pass) (any, error) { return nil, errors.New("boom") },
	}
	tb := &fatalTB{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		ruletest.RunBroken(tb, failing, "package p\n\nvar x = undefined\n")
		tb.msg = "RunBroken returned"
	}()
	<-done
	if !strings.Contains(tb.msg, "failing: boom") {
		t.Errorf("got %q, want a fatal failure naming the analyzer error", tb.msg)
	}
}
