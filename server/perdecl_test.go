package server

import (
	"go/parser"
	"go/token"
	"testing"
)

// TestDiffAndEnclosingBody: only an edit strictly inside one function's
// braces is a per-declaration edit.
func TestDiffAndEnclosingBody(t *testing.T) {
	old := []byte("package p\n\nfunc a() {\n\tx()\n}\n\nfunc b() {\n\ty()\n}\n")
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", old, 0)
	if err != nil {
		t.Fatal(err)
	}
	base := &declBase{decls: declSpans(fset.File(f.FileStart), f)}
	for _, tc := range []struct {
		name string
		new  string
		want int
	}{
		{"inside b", "package p\n\nfunc a() {\n\tx()\n}\n\nfunc b() {\n\ty()\n\tz()\n}\n", 1},
		{"inside a", "package p\n\nfunc a() {\n\tw()\n}\n\nfunc b() {\n\ty()\n}\n", 0},
		{"a signature", "package p\n\nfunc a(int) {\n\tx()\n}\n\nfunc b() {\n\ty()\n}\n", -1},
		{"across both", "package p\n\nfunc a() {\n\tx()\n}\n\nfunc b() {\n\ty()\n}\n"[:22] + "}\n", -1},
		{"a closing brace", "package p\n\nfunc a() {\n\tx()\n}\n\nfunc b() {\n\ty()\n}}\n", -1},
	} {
		c, ok := diff(old, []byte(tc.new))
		if !ok {
			t.Fatalf("%s: no change found", tc.name)
		}
		if got := base.enclosingBody(c); got != tc.want {
			t.Errorf("%s: change %+v is in the body of declaration %d, want %d", tc.name, c, got, tc.want)
		}
	}
	if _, ok := diff(old, old); ok {
		t.Error("equal texts differ")
	}
}

// TestRequote: a quoted line of the edited file moves with its related
// place, and nothing that merely looks like it does.
func TestRequote(t *testing.T) {
	lines := map[int]int{2740: 2741}
	for in, want := range map[string]string{
		"n is used, but m returns nil at server.go:2740: n.p panics":    "n is used, but m returns nil at server.go:2741: n.p panics",
		"m returns nil at server.go:27400":                              "m returns nil at server.go:27400",
		"m returns nil at xserver.go:2740":                              "m returns nil at xserver.go:2740",
		"m returns nil at store.go:2740 and server.go:12":               "m returns nil at store.go:2740 and server.go:12",
		"server.go:2740 first, (server.go:2740) and dir/server.go:2740": "server.go:2741 first, (server.go:2741) and dir/server.go:2741",
	} {
		if got := requote(in, "server.go:", lines); got != want {
			t.Errorf("requote(%q) = %q, want %q", in, got, want)
		}
	}
}
