package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestDemo runs the fix-safety check over testdata/demo (read, never
// written): every fix of its fourteen findings is tried and none may break.
func TestDemo(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	rep, err := run(ctx, options{dir: filepath.Join("..", "..", "testdata", "demo"), tests: true})
	if err != nil {
		t.Fatalf("run over testdata/demo: %v", err)
	}
	var b strings.Builder
	rep.write(&b)
	tried := rep.FixAll.Tried
	for _, s := range rep.Rules {
		tried += s.Safe.Tried + s.Unsafe.Tried + s.Ignore.Tried
	}
	if rep.Findings < 14 || tried < 2*rep.Findings {
		t.Errorf("expected at least 14 findings and two fixes each, got %d findings and %d fixes:\n%s", rep.Findings, tried, b.String())
	}
	if len(rep.Broken) > 0 || len(rep.Panics) > 0 || len(rep.Errors) > 0 {
		t.Errorf("fixes broke the demo, panicked or the analysis failed:\n%s", b.String())
	}
}

// TestVerifyCatchesBreakage makes sure the checker itself sees each way a
// fix can break a package: a type error, a name that only a _test.go file
// declares, a file that is no longer gofmt-clean, an import cycle (which
// type-checking against export data cannot see), a file that does not
// parse.
func TestVerifyCatchesBreakage(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"go.mod":      "module example.com/m\n\ngo 1.22\n",
		"a/a.go":      "package a\n\nfunc F() int { return 1 }\n",
		"a/a_test.go": "package a\n\nvar testOnly = 2\n",
		"b/b.go":      "package b\n\nimport \"example.com/m/a\"\n\nvar X = a.F()\n",
	}
	for name, content := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	c, err := newChecker(ctx, dir, []string{"./..."})
	if err != nil {
		t.Fatalf("load the test module: %v", err)
	}
	a := filepath.Join(dir, "a", "a.go")
	orig := []byte(files["a/a.go"])
	for _, tc := range []struct{ name, fixed, want string }{
		{"fine", "package a\n\nfunc F() int { return 2 }\n", ""},
		{"type error", "package a\n\nfunc F() int { return \"x\" }\n", "cannot use"},
		{"test-only name", "package a\n\nfunc F() int { return testOnly }\n", "undefined: testOnly"},
		{"not gofmt-clean", "package a\n\nfunc F() int {  return 1 }\n", "not gofmt-clean"},
		{"import cycle", "package a\n\nimport \"example.com/m/b\"\n\nvar _ = b.X\n\nfunc F() int { return 1 }\n", "import cycle"},
		{"does not parse", "package a\n\nfunc F() int { return 1\n", "does not parse"},
	} {
		got := c.verify(ctx, map[string][]byte{a: orig}, map[string][]byte{a: []byte(tc.fixed)})
		switch {
		case tc.want == "" && got != "":
			t.Errorf("%s: a correct file was reported: %s", tc.name, got)
		case tc.want != "" && !strings.Contains(got, tc.want):
			t.Errorf("%s: want a problem mentioning %q, got %q", tc.name, tc.want, got)
		}
	}
}
