package loader

import (
	"context"
	"fmt"
	"go/ast"
	"go/token"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// writeTree creates files (name → content) under a new temporary directory.
func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, src := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func loadOne(t *testing.T, cfg Config) (*Graph, *Package) {
	t.Helper()
	ctx := context.Background()
	g, err := Load(ctx, cfg, "./...")
	if err != nil {
		t.Fatal(err)
	}
	if len(g.Roots) != 1 {
		t.Fatalf("got %d targets, want 1: %v", len(g.Roots), g.Roots)
	}
	p, err := g.Check(ctx, g.Roots[0])
	if err != nil {
		t.Fatal(err)
	}
	return g, p
}

func TestOverlayAndTestVariant(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"go.mod":      "module example.com/m\n\ngo 1.22\n",
		"m.go":        "package m\n\nfunc F() int { return 1 }\n",
		"m_test.go":   "package m\n\nimport \"testing\"\n\nfunc TestF(t *testing.T) { _ = F() }\n",
		"sub/sub.go":  "package sub\n",
		"sub/keep.go": "package sub\n\nimport \"strings\"\n\nvar X = strings.ToUpper(\"x\")\n",
	})
	// The overlay renames F; the test file still calls F, so the type
	// checker must see the overlay to report it.
	overlay := map[string][]byte{filepath.Join(dir, "m.go"): []byte("package m\n\nfunc G() string { return \"\" }\n")}
	ctx := context.Background()
	g, err := Load(ctx, Config{Dir: dir, Tests: true, Overlay: overlay}, "./...")
	if err != nil {
		t.Fatal(err)
	}
	if g.Mode != Full || g.Notice != "" {
		t.Fatalf("mode %v, notice %q; want Full and no notice", g.Mode, g.Notice)
	}
	var ids []string
	for _, r := range g.Roots {
		ids = append(ids, r.ID)
	}
	if got := strings.Join(ids, "|"); got != "example.com/m [example.com/m.test]|example.com/m/sub" {
		t.Fatalf("targets = %s; want the test variant of m (not m itself) and sub", got)
	}
	p, err := g.Check(ctx, g.Roots[0])
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Syntax) != 2 {
		t.Errorf("test variant has %d files, want 2 (m.go and m_test.go)", len(p.Syntax))
	}
	if p.Types.Scope().Lookup("G") == nil {
		t.Error("overlay content was not type-checked: G is missing")
	}
	if len(p.Errors) == 0 || !strings.Contains(p.Errors[0].Error(), "undefined: F") {
		t.Errorf("errors = %v; want undefined: F from the test file", p.Errors)
	}
	sub, err := g.Check(ctx, g.Roots[1])
	if err != nil {
		t.Fatal(err)
	}
	if len(sub.Errors) != 0 {
		t.Errorf("sub: unexpected errors %v (imports from export data must resolve)", sub.Errors)
	}
}

func TestHalfTypedBufferKeepsTypes(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"go.mod": "module example.com/m\n\ngo 1.22\n",
		"m.go": `package m

import "os"

func F() string {
	v := os.Getenv("HOME")
	undefinedThing(v)
	return v +
}
`,
	})
	_, p := loadOne(t, Config{Dir: dir})
	if len(p.Errors) == 0 {
		t.Fatal("want parse and type errors")
	}
	var call *ast.CallExpr
	ast.Inspect(p.Syntax[0], func(n ast.Node) bool {
		if c, ok := n.(*ast.CallExpr); ok && call == nil {
			call = c
		}
		return true
	})
	if call == nil {
		t.Fatal("the call to os.Getenv was lost")
	}
	if tv, ok := p.TypesInfo.Types[call]; !ok || tv.Type.String() != "string" {
		t.Errorf("os.Getenv(...) has type %v, want string despite the errors", tv.Type)
	}
}

func TestOutsideModuleIsSyntaxOnlyWithStdTypes(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"main.go": "package main\n\nimport (\n\t\"os\"\n\t\"example.com/missing\"\n)\n\nfunc main() { _ = os.Getenv(\"X\"); missing.Do() }\n",
	})
	g, p := loadOne(t, Config{Dir: dir, Env: []string{"GOFLAGS=-mod=mod", "GO111MODULE=on"}})
	if g.Mode != SyntaxOnly || !strings.Contains(g.Notice, "outside any Go module") {
		t.Fatalf("mode %v, notice %q; want SyntaxOnly and a notice", g.Mode, g.Notice)
	}
	if p.Types.Scope().Lookup("main") == nil {
		t.Error("package not type-checked")
	}
	found := false
	for _, e := range p.Errors {
		if strings.Contains(e.Error(), "example.com/missing") {
			found = true
		}
		if strings.Contains(e.Error(), `"os"`) {
			t.Errorf("standard-library import failed: %v", e)
		}
	}
	if !found {
		t.Errorf("errors %v do not mention the unresolvable import", p.Errors)
	}
}

func TestNewerGoIsNeverDownloaded(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"go.mod": "module example.com/m\n\ngo 1.99\n\ntoolchain go1.99.1\n",
		"m.go":   "package m\n\nfunc F() {}\n",
	})
	// GOPROXY=off makes any download attempt fail loudly.
	g, _ := loadOne(t, Config{Dir: dir, Env: []string{"GOPROXY=off", "GOTOOLCHAIN=auto"}})
	if g.Mode != SyntaxOnly || !strings.Contains(g.Notice, "needs Go 1.99") {
		t.Fatalf("mode %v, notice %q; want SyntaxOnly because the module needs Go 1.99", g.Mode, g.Notice)
	}
}

func TestSetOverlayTargetsForAndCheckFiles(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"go.mod": "module example.com/m\n\ngo 1.22\n",
		"a.go":   "package m\n\nfunc A() int { return B() }\n",
		"b.go":   "package m\n\nfunc B() int { return 2 }\n",
	})
	ctx := context.Background()
	caller := map[string][]byte{}
	g, err := Load(ctx, Config{Dir: dir, Overlay: caller}, "./...")
	if err != nil {
		t.Fatal(err)
	}
	a, b := filepath.Join(dir, "a.go"), filepath.Join(dir, "b.go")
	targets := g.TargetsFor(a)
	if len(targets) != 1 || targets[0].PkgPath != "example.com/m" {
		t.Fatalf("TargetsFor(a.go) = %v, want the one package example.com/m", targets)
	}
	if got := g.TargetsFor(filepath.Join(dir, "none.go")); len(got) != 0 {
		t.Fatalf("TargetsFor(none.go) = %v, want none", got)
	}

	// An overlay set after loading is what the next Check reads.
	g.SetOverlay(b, []byte("package m\n\nfunc B() string { return \"\" }\n"))
	if len(caller) != 0 {
		t.Error("SetOverlay modified the caller's overlay map")
	}
	p, err := g.Check(ctx, targets[0])
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Errors) == 0 || !strings.Contains(p.Errors[0].Error(), "string") {
		t.Errorf("errors = %v, want a mismatch with the overlay's string-returning B", p.Errors)
	}
	// Removing it reads the disk again.
	g.SetOverlay(b, nil)
	if p, err = g.Check(ctx, targets[0]); err != nil || len(p.Errors) != 0 {
		t.Fatalf("after removing the overlay: err %v, package errors %v; want none", err, p.Errors)
	}

	// CheckFiles type-checks syntax the caller parsed and may reuse: here
	// b.go without its function bodies.
	srcA, err := os.ReadFile(a)
	if err != nil {
		t.Fatal(err)
	}
	fa, err := g.ParseFile(a, srcA)
	if err != nil {
		t.Fatal(err)
	}
	fb, err := g.ParseFile(b, []byte("package m\n\nfunc B() int\n"))
	if err != nil {
		t.Fatal(err)
	}
	p, err = g.CheckFiles(ctx, targets[0], []*ast.File{fa, fb})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Errors) != 0 || p.Types.Scope().Lookup("A") == nil {
		t.Fatalf("CheckFiles: errors %v, A defined %v; want no errors and A", p.Errors, p.Types.Scope().Lookup("A") != nil)
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := g.CheckFiles(cancelled, targets[0], []*ast.File{fa, fb}); err == nil {
		t.Error("CheckFiles with a cancelled context succeeded")
	}
}

func TestSetOverlayConcurrentWithCheck(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"go.mod": "module example.com/m\n\ngo 1.22\n",
		"a.go":   "package m\n\nfunc A() int { return 1 }\n",
	})
	ctx := context.Background()
	g, err := Load(ctx, Config{Dir: dir}, "./...")
	if err != nil {
		t.Fatal(err)
	}
	a := filepath.Join(dir, "a.go")
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := range 50 {
			g.SetOverlay(a, []byte("package m\n\nfunc A() int { return "+strings.Repeat("1", i+1)+" }\n"))
		}
	}()
	for range 20 {
		if _, err := g.Check(ctx, g.Roots[0]); err != nil {
			t.Fatal(err)
		}
	}
	<-done
}

// TestMissingStdPackageIsRemembered: a half-typed import ("fm") that names
// no standard-library package costs one go command, not one per check.
func TestMissingStdPackageIsRemembered(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"go.mod": "module example.com/m\n\ngo 1.22\n",
		"a.go":   "package m\n\nfunc A() {}\n",
	})
	g, _ := loadOne(t, Config{Dir: dir})
	ctx := context.Background()
	if _, err := g.extraStd(ctx, "fm"); err == nil {
		t.Fatal(`extraStd("fm") found a package`)
	}
	g.extraMu.Lock()
	p, remembered := g.extra["fm"]
	g.extraMu.Unlock()
	if !remembered || p != nil {
		t.Fatalf(`"fm" after a failed lookup: remembered %v, package %v; want remembered as missing`, remembered, p)
	}
	if _, err := g.extraStd(ctx, "fm"); err == nil || !strings.Contains(err.Error(), `"fm"`) {
		t.Errorf(`second lookup of "fm": %v; want an error naming it`, err)
	}
	if p, err := g.extraStd(ctx, "fmt"); err != nil || p == nil {
		t.Errorf(`extraStd("fmt") = %v, %v`, p, err)
	}
}

// TestRecheckDoesNotGrow re-checks, as quick fixes and the language server
// do, a package that imports a test variant (an external test importing
// its package, recompiled with its in-package tests): such a package
// cannot share imported types with others, and once read the export data
// of its imports anew at each check, leaking it (the file set kept the
// imports' files, whose names hold the whole export data).
func TestRecheckDoesNotGrow(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"go.mod":      "module example.com/m\n\ngo 1.22\n",
		"m.go":        "package m\n\nfunc F() int { return 1 }\n",
		"m_test.go":   "package m\n\nimport \"testing\"\n\nfunc TestF(t *testing.T) { _ = F() }\n",
		"x_test.go":   "package m_test\n\nimport (\n\t\"net/http\"\n\t\"testing\"\n\n\t\"example.com/m\"\n)\n\nfunc TestX(t *testing.T) { _, _ = http.Get(\"\"); _ = m.F() }\n",
		"sub/sub.go":  "package sub\n",
		"sub/keep.go": "package sub\n",
	})
	ctx := context.Background()
	g, err := Load(ctx, Config{Dir: dir, Tests: true}, "./...")
	if err != nil {
		t.Fatal(err)
	}
	var x *Target
	for _, r := range g.Roots {
		if r.Name == "m_test" {
			x = r
		}
	}
	if x == nil || !importsTestVariant(x) {
		t.Fatalf("no external test package importing a test variant among %d targets", len(g.Roots))
	}
	name := filepath.Join(dir, "x_test.go")
	src, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	files := func() int {
		n := 0
		g.FileSet().Iterate(func(*token.File) bool { n++; return true })
		return n
	}
	recheck := func(i int) {
		edited := strings.Replace(string(src), "_ = m.F()", fmt.Sprintf("_ = m.F() + %d", i), 1)
		p, err := g.CheckWith(ctx, x, map[string][]byte{name: []byte(edited)})
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Errors) != 0 {
			t.Fatalf("recheck %d: errors %v", i, p.Errors)
		}
		p.Release()
	}
	recheck(0)
	wantFiles := files()
	var before runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	const n = 30
	for i := 1; i <= n; i++ {
		recheck(i)
	}
	if got := files(); got != wantFiles {
		t.Errorf("file set has %d files after %d more rechecks, %d after the first: it grows at each check", got, n, wantFiles)
	}
	var after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(g) // what it holds is what is measured
	// Leaking, each recheck kept about 400 KB here (the export data of
	// net/http, testing and m).
	grew := int64(after.HeapAlloc) - int64(before.HeapAlloc)
	t.Logf("live heap grew by %d KB over %d rechecks", grew>>10, n)
	if grew > 4<<20 {
		t.Errorf("live heap grew by %.1f MB over %d rechecks; want it bounded (under 4 MB)", float64(grew)/(1<<20), n)
	}
}

// TestCompactImportsTypeLikeTheCompilers checks a package whose imports use
// what export data must carry (generics, a generic alias, embedded
// interfaces, struct tags, iota constants, unexported fields, methods of
// instantiated types, standard-library generics and iterators) once with
// the compiler's export data as read and once re-encoded (CompactImports,
// the language server's setting): the types of every expression and the
// objects of every identifier must print the same.
func TestCompactImportsTypeLikeTheCompilers(t *testing.T) {
	files := map[string]string{
		"go.mod": "module example.com/m\n\ngo 1.24\n",
		"dep/dep.go": `package dep

import "strings"

type Kind int

const (
	KindA Kind = iota
	KindB
)

type Set[T comparable] struct {
	items map[T]struct{}
	Name  string ` + "`json:\"name,omitempty\"`" + `
}

func NewSet[T comparable](xs ...T) *Set[T] {
	s := &Set[T]{items: map[T]struct{}{}}
	for _, x := range xs {
		s.items[x] = struct{}{}
	}
	return s
}

func (s *Set[T]) Has(x T) bool { _, ok := s.items[x]; return ok }

type Strings = Set[string]

type Pair[K comparable, V any] = struct {
	Key K
	Val V
}

type Reader interface{ Read([]byte) (int, error) }

type ReadCloser interface {
	Reader
	Close() error
}

func Upper(s string) string { return strings.ToUpper(s) }
`,
		"m.go": `package m

import (
	"iter"
	"maps"
	"net/http"
	"slices"
	"sync/atomic"

	"example.com/m/dep"
)

func Use(r *http.Request, rc dep.ReadCloser) (dep.Kind, error) {
	s := dep.NewSet("a", "b")
	var alias *dep.Strings = s
	p := dep.Pair[string, int]{Key: "k", Val: 1}
	var n atomic.Pointer[dep.Set[int]]
	n.Store(dep.NewSet(1))
	keys := slices.Sorted(maps.Keys(map[string]int{p.Key: p.Val}))
	var seq iter.Seq[string] = slices.Values(keys)
	for k := range seq {
		_ = alias.Has(dep.Upper(k)) && n.Load().Has(p.Val)
	}
	if err := rc.Close(); err != nil {
		return dep.KindA, err
	}
	_ = r.URL.Query().Get("q")
	return dep.KindB, nil
}
`,
	}
	print := func(compact bool) map[string]string {
		dir := writeTree(t, files)
		ctx := context.Background()
		g, err := Load(ctx, Config{Dir: dir, CompactImports: compact}, "./...")
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]string{}
		for _, r := range g.Roots {
			p, err := g.Check(ctx, r)
			if err != nil {
				t.Fatal(err)
			}
			if len(p.Errors) != 0 {
				t.Fatalf("compact %v: %s: type errors %v", compact, r.ID, p.Errors)
			}
			for e, tv := range p.TypesInfo.Types {
				pos, end := p.Fset.Position(e.Pos()), p.Fset.Position(e.End())
				out[fmt.Sprintf("%s:%d:%d-%d:%d %T", filepath.Base(pos.Filename), pos.Line, pos.Column, end.Line, end.Column, e)] = tv.Type.String()
			}
			for id, obj := range p.TypesInfo.Uses {
				pos := p.Fset.Position(id.Pos())
				out[fmt.Sprintf("%s:%d:%d use", filepath.Base(pos.Filename), pos.Line, pos.Column)] = obj.String()
			}
		}
		return out
	}
	raw, compact := print(false), print(true)
	if len(raw) == 0 {
		t.Fatal("nothing was typed")
	}
	for k, want := range raw {
		if got := compact[k]; got != want {
			t.Errorf("%s: %s re-encoded, %s as the compiler wrote it", k, got, want)
		}
	}
	if len(compact) != len(raw) {
		t.Errorf("%d typed places re-encoded, %d as the compiler wrote it", len(compact), len(raw))
	}
}

// TestPassSpaceIsReplacedOnceFull checks that PassSpace hands out one Space
// until it has read passImports of export data, and that a package checked
// there has its positions in that Space's file set, not the Graph's.
func TestPassSpaceIsReplacedOnceFull(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"go.mod": "module example.com/m\n\ngo 1.22\n",
		"m.go":   "package m\n\nimport \"strings\"\n\nvar X = strings.ToUpper(\"x\")\n",
	})
	ctx := context.Background()
	g, err := Load(ctx, Config{Dir: dir}, "./...")
	if err != nil {
		t.Fatal(err)
	}
	sp := g.PassSpace()
	p, err := sp.Check(ctx, g.Roots[0])
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Errors) != 0 {
		t.Fatalf("errors %v", p.Errors)
	}
	if sp.Imported() == 0 {
		t.Error("the pass Space read no export data for strings")
	}
	if p.Fset == g.FileSet() || p.Fset.File(p.Syntax[0].Pos()) == nil || g.FileSet().File(p.Syntax[0].Pos()) != nil {
		t.Error("the package's positions are not in the pass Space's own file set")
	}
	if again := g.PassSpace(); again != sp {
		t.Error("PassSpace replaced a Space that has read little")
	}
	sp.countRead(passImports)
	if next := g.PassSpace(); next == sp {
		t.Errorf("PassSpace kept a Space that has read %d bytes (limit %d)", sp.Imported(), passImports)
	}
}
