package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/failfast-dev/failfast/loader"
)

// TestDependencyOrder checks that check analyses a package only after the
// packages of the module it imports, also when its tests import a package
// that imports it (the test variant must not wait for itself).
func TestDependencyOrder(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "go.mod", "module example.com/m\n\ngo 1.22\n")
	write(t, dir, "a/a.go", "package a\n\nfunc A() {}\n")
	write(t, dir, "b/b.go", "package b\n\nimport \"example.com/m/a\"\n\nfunc B() { a.A() }\n")
	write(t, dir, "a/a_test.go", "package a\n\nimport (\n\t\"testing\"\n\n\t\"example.com/m/b\"\n)\n\nfunc TestA(t *testing.T) { b.B() }\n")
	write(t, dir, "a/x_test.go", "package a_test\n\nimport (\n\t\"testing\"\n\n\t\"example.com/m/a\"\n)\n\nfunc TestX(t *testing.T) { a.A() }\n")
	for i := range 5 {
		write(t, dir, fmt.Sprintf("c%d/c.go", i), fmt.Sprintf("package c%d\n\nimport \"example.com/m/b\"\n\nfunc C() { b.B() }\n", i))
	}
	g, err := loader.Load(context.Background(), loader.Config{Dir: dir, Tests: true}, "./...")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	done := map[*loader.Target]bool{}
	inDependencyOrder(g.Roots, 3, func(tg *loader.Target) {
		mu.Lock()
		defer mu.Unlock()
		for _, d := range tg.Deps() {
			if !done[d] {
				t.Errorf("%s analysed before its dependency %s", tg.ID, d.ID)
			}
		}
		done[tg] = true
	})
	if len(done) != len(g.Roots) {
		t.Errorf("%d of %d packages analysed", len(done), len(g.Roots))
	}
	var deps int
	for _, tg := range g.Roots {
		deps += len(tg.Deps())
	}
	if deps < 7 {
		t.Errorf("%d dependencies among %d packages; want at least b→a, x_test→a and each c→b", deps, len(g.Roots))
	}
}

func write(t *testing.T, dir, name, content string) {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}
