package provenance_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"testing"

	"github.com/failfast-dev/failfast/rules/provenance"
)

const depSource = `package dep

type failure struct{}

func (failure) Error() string { return "failed" }

type FlagSet struct{ path string }

// ConfigPath answers with a nil error on every path.
func (f *FlagSet) ConfigPath() (string, error) {
	if f.path == "" {
		return "default.yaml", nil
	}
	return f.path, nil
}

// Load can fail.
func (f *FlagSet) Load() error {
	if f.path == "" {
		return failure{}
	}
	return nil
}

// Forward returns another call's error.
func Forward(f *FlagSet) error { return f.Load() }

// Named sets its named error in a defer.
func Named() (err error) {
	defer func() { err = failure{} }()
	return nil
}

// Bare returns its named error as it stands.
func Bare() (err error) { return }

// Quiet is a function that never fails.
func Quiet() error { return nil }

type Cache[K comparable] struct{ m map[K]int }

// Put is a generic method that never fails.
func (c *Cache[K]) Put(k K) error { c.m[k] = 1; return nil }
`

func TestNeverFailsInSource(t *testing.T) {
	file := filepath.Join(t.TempDir(), "dep.go")
	if err := os.WriteFile(file, []byte(depSource), 0o644); err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, file, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	pkg, err := new(types.Config).Check("dep", fset, []*ast.File{f}, nil)
	if err != nil {
		t.Fatal(err)
	}
	method := func(typ, name string) *types.Func {
		obj, _, _ := types.LookupFieldOrMethod(types.NewPointer(pkg.Scope().Lookup(typ).Type()), true, pkg, name)
		return obj.(*types.Func)
	}
	fn := func(name string) *types.Func { return pkg.Scope().Lookup(name).(*types.Func) }
	for _, tc := range []struct {
		fn   *types.Func
		want bool
	}{
		{method("FlagSet", "ConfigPath"), true},
		{method("FlagSet", "Load"), false},
		{fn("Forward"), false},
		{fn("Named"), false},
		{fn("Bare"), false},
		{fn("Quiet"), true},
		{method("Cache", "Put"), true},
	} {
		if got := provenance.NeverFailsInSource(fset, tc.fn); got != tc.want {
			t.Errorf("NeverFailsInSource(%s) = %v, want %v", tc.fn.FullName(), got, tc.want)
		}
	}
	// Without its source at hand nothing is known never to fail.
	if err := os.Remove(file); err != nil {
		t.Fatal(err)
	}
	gone := token.NewFileSet()
	g, err := parser.ParseFile(gone, filepath.Join(t.TempDir(), "gone.go"), depSource, 0)
	if err != nil {
		t.Fatal(err)
	}
	gpkg, err := new(types.Config).Check("gone", gone, []*ast.File{g}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if provenance.NeverFailsInSource(gone, gpkg.Scope().Lookup("Quiet").(*types.Func)) {
		t.Error("NeverFailsInSource of a function whose file is gone = true, want false")
	}
}
