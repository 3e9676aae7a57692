package runner

import (
	"context"
	"go/ast"
	"go/types"
	"reflect"
	"slices"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/failfast-dev/failfast/config"
	"github.com/failfast-dev/failfast/loader"
	"github.com/failfast-dev/failfast/rules/spec"
)

// mayNil is the test rule's fact: the function returns nil on some path.
type mayNil struct{ Returns string }

func (*mayNil) AFact() {}

// nilCalls exports mayNil for each function with a `return nil` and
// reports each call of a function that has the fact, wherever it is.
var nilCalls = &spec.Rule{
	ID: "nil-calls", Severity: spec.Warning, Summary: "test rule",
	New: func(*spec.Options) *analysis.Analyzer {
		return &analysis.Analyzer{
			Name: "nil_calls", Doc: "reports calls of functions that return nil",
			FactTypes: []analysis.Fact{new(mayNil)},
			Run: func(pass *analysis.Pass) (any, error) {
				for _, f := range pass.Files {
					for _, d := range f.Decls {
						fd, ok := d.(*ast.FuncDecl)
						if !ok || fd.Body == nil {
							continue
						}
						ast.Inspect(fd.Body, func(n ast.Node) bool {
							if r, ok := n.(*ast.ReturnStmt); ok && len(r.Results) == 1 {
								if id, ok := r.Results[0].(*ast.Ident); ok && id.Name == "nil" {
									pass.ExportObjectFact(pass.TypesInfo.Defs[fd.Name], &mayNil{Returns: "nil"})
								}
							}
							return true
						})
					}
				}
				for _, f := range pass.Files {
					ast.Inspect(f, func(n ast.Node) bool {
						call, ok := n.(*ast.CallExpr)
						if !ok {
							return true
						}
						fn, ok := typeutil.Callee(pass.TypesInfo, call).(*types.Func)
						var fact mayNil
						if ok && pass.ImportObjectFact(fn, &fact) {
							pass.Reportf(call.Pos(), "%s may return %s", fn.Name(), fact.Returns)
						}
						return true
					})
				}
				return nil, nil
			},
		}
	},
}

// TestFactsCrossPackages checks that a rule's facts about one package of a
// module reach the packages that import it when they run in the order of
// Target.Deps, as check runs them, including through a test variant.
func TestFactsCrossPackages(t *testing.T) {
	dir := writeModule(t, map[string]string{
		"go.mod": "module example.com/m\n\ngo 1.22\n",
		"m.go":   "package m\n\nimport \"example.com/m/store\"\n\nfunc Use() any { return store.Find(\"k\") }\n",
		"store/store.go": "package store\n\nfunc Find(k string) *int {\n\tif k == \"\" {\n\t\treturn nil\n\t}\n\tv := 1\n\treturn &v\n}\n\n" +
			"func Local() any { return Find(\"x\") }\n",
		"store/store_test.go": "package store\n\nimport \"testing\"\n\nfunc TestFind(t *testing.T) { Find(\"\") }\n",
	})
	ctx := context.Background()
	g, err := loader.Load(ctx, loader.Config{Dir: dir, Tests: true}, "./...")
	if err != nil {
		t.Fatal(err)
	}
	r, err := New(&config.Config{}, []*spec.Rule{nilCalls})
	if err != nil {
		t.Fatal(err)
	}
	var order []string
	done := map[*loader.Target]bool{}
	var got []string
	for len(done) < len(g.Roots) {
		for _, tg := range g.Roots {
			if done[tg] || slices.ContainsFunc(tg.Deps(), func(d *loader.Target) bool { return !done[d] }) {
				continue
			}
			done[tg] = true
			order = append(order, tg.ID)
			pkg, err := g.Check(ctx, tg)
			if err != nil {
				t.Fatal(err)
			}
			findings, errs := r.Run(ctx, pkg)
			pkg.Release()
			if len(errs) > 0 {
				t.Fatal(errs)
			}
			for _, f := range findings {
				if f.Rule == "nil-calls" {
					got = append(got, tg.PkgPath+": "+f.Message)
				}
			}
		}
	}
	slices.Sort(got)
	want := []string{
		"example.com/m/store: Find may return nil", // Local
		"example.com/m/store: Find may return nil", // TestFind
		"example.com/m: Find may return nil",       // Use, in another package
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("run in order %v: findings %q, want %q", order, got, want)
	}
}

// TestFactsGenerationMovesOnlyWithTheFacts checks that keeping the same
// facts about a package again leaves its generation, so that findings
// computed from them stay valid, and that different facts move it.
func TestFactsGenerationMovesOnlyWithTheFacts(t *testing.T) {
	pkg := types.NewPackage("example.com/m", "m")
	fn := types.NewFunc(0, pkg, "Find", types.NewSignatureType(nil, nil, nil, nil, nil, false))
	pkg.Scope().Insert(fn)
	typ := reflect.TypeFor[*mayNil]()
	f := newFacts()
	gen := func() uint64 { return f.generation[pkg.Path()] }
	for i, step := range []struct {
		returns string
		want    uint64
	}{{"nil", 1}, {"nil", 1}, {"a nil map", 2}, {"a nil map", 2}} {
		local := &pkgFacts{objects: map[objectFact]analysis.Fact{{fn, typ}: &mayNil{Returns: step.returns}}, pkg: map[reflect.Type]analysis.Fact{}}
		if err := f.keep(pkg, local); err != nil {
			t.Fatal(err)
		}
		if gen() != step.want {
			t.Errorf("keep %d (Returns %q): generation %d, want %d", i+1, step.returns, gen(), step.want)
		}
	}
}

// TestStandIn checks which functions objectpath cannot name because their
// package does not declare them: a function or method made apart from the
// package's check (the language server's stand-in for an edited one) is;
// the package's own functions and methods, and an interface's methods, are
// not.
func TestStandIn(t *testing.T) {
	pkg := types.NewPackage("example.com/p", "p")
	tn := types.NewTypeName(0, pkg, "T", nil)
	named := types.NewNamed(tn, types.NewStruct(nil, nil), nil)
	pkg.Scope().Insert(tn)
	recv := types.NewVar(0, pkg, "t", types.NewPointer(named))
	method := types.NewFunc(0, pkg, "M", types.NewSignatureType(recv, nil, nil, nil, nil, false))
	named.AddMethod(method)
	fn := types.NewFunc(0, pkg, "F", types.NewSignatureType(nil, nil, nil, nil, nil, false))
	pkg.Scope().Insert(fn)
	iface := types.NewInterfaceType([]*types.Func{types.NewFunc(0, pkg, "Read", types.NewSignatureType(nil, nil, nil, nil, nil, false))}, nil).Complete()
	for _, c := range []struct {
		obj  types.Object
		want bool
	}{
		{fn, false},
		{method, false},
		{iface.Method(0), false},
		{tn, false},
		{types.NewFunc(0, pkg, "F", fn.Signature()), true},
		{types.NewFunc(0, pkg, "M", method.Signature()), true},
	} {
		if got := standIn(c.obj); got != c.want {
			t.Errorf("standIn(%v) = %v, want %v", c.obj, got, c.want)
		}
	}
}
