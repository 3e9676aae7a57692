package server

import (
	"bytes"
	"context"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/failfast-dev/failfast/loader"
	"github.com/failfast-dev/failfast/runner"
)

// TestTrimmedCheckFindsWhatAFullCheckFinds compares the per-edit analysis
// (the edited file in full, the rest of its package trimmed and pruned)
// with a whole-package check, file by file, on real code: the same
// findings at the same places with the same messages. Related places that
// a rule finds in other files' function bodies are the per-edit pass's
// known gap; the whole-package pass that follows (analyseFull) must match
// the full check exactly. Then edits are replayed in function bodies of
// the biggest files (every file of the demo): see replayEdits.
func TestTrimmedCheckFindsWhatAFullCheckFinds(t *testing.T) {
	goroot := runtime.GOROOT()
	dirs := []string{
		filepath.Join("..", "testdata", "demo"),
		filepath.Join(goroot, "src", "net", "http"),
		filepath.Join(goroot, "src", "encoding", "json"),
	}
	if testing.Short() {
		dirs = dirs[:1]
	}
	ctx := context.Background()
	for _, dir := range dirs {
		dir, err := filepath.Abs(dir)
		if err != nil {
			t.Fatal(err)
		}
		t.Run(filepath.Base(dir), func(t *testing.T) {
			full := fullFindings(t, dir)
			log := &syncBuffer{}
			s := newServer(strings.NewReader(""), io.Discard, Options{Stderr: log, LogLevel: slog.LevelDebug})
			s.settings.set(defaultSettings(), true)
			files, err := filepath.Glob(filepath.Join(dir, "*.go"))
			if err != nil {
				t.Fatal(err)
			}
			// The scheduler runs a package's first complete pass as soon
			// as a file of it is open (result.unsummarised): from then on
			// the per-edit pass has the facts of the other files' bodies.
			primeFacts(t, s, files[0])
			for _, name := range files {
				src, err := os.ReadFile(name)
				if err != nil {
					t.Fatal(err)
				}
				d, err := s.docs.open(fileURI(name), 1, src)
				if err != nil {
					t.Fatal(err)
				}
				_, snap, _ := s.docs.get(d.uri)
				res, err := s.analyse(ctx, snap, nil)
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				if got, want := render(res.findings, false), render(full[name], false); got != want {
					t.Errorf("%s: per-edit analysis differs from the full check\ngot:\n%s\nwant:\n%s", filepath.Base(name), got, want)
				}
				complete, _, err := s.analyseFull(ctx, snap, nil)
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				if got, want := render(complete, true), render(full[name], true); got != want {
					t.Errorf("%s: whole-package pass differs from the full check\ngot:\n%s\nwant:\n%s", filepath.Base(name), got, want)
				}
				if _, ok := s.docs.close(d.uri); !ok {
					t.Fatal("close")
				}
			}
			for _, name := range replayed(files) {
				replayEdits(t, s, name, full[name])
			}
			// Every edit of a replay stays inside one body that checks on
			// its own: each took the path that checks it alone (body.go).
			if n := strings.Count(log.String(), "alone=false"); n > 0 {
				t.Errorf("%d edits checked their function with its file, not alone:\n%s", n, grepLines(log.String(), "alone=false", "checking the edited function with its file"))
			}
		})
	}
}

// replayed picks the files whose edits TestTrimmedCheckFindsWhatAFullCheckFinds
// replays: every file of a small package, the biggest of the others.
func replayed(files []string) []string {
	var out []string
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		switch filepath.Base(name) {
		case "server.go", "encode.go", "decode.go":
			out = append(out, name)
		}
		if len(files) < 10 {
			out = append(out, name)
		}
	}
	return out
}

// replayEdits types into a few function bodies of name, one edit after
// another as the scheduler hands them to analyse (each with the previous
// result's base): a line that shifts everything after it, then a deferred
// recover that is a finding of its own, in the next function. Each edit
// must take the per-declaration path, and its findings, the edited
// function's and every other declaration's (moved by the edits), must be
// those of a full check of the edited text, which a second server, with
// its own facts, computes. The whole-package pass after the last edit
// (the idle pass) must also equal the full check, related places
// included. After the idle pass, whose base
// the next edit reuses, one more line; finally the text goes back to the
// original in one edit, which spans functions (the whole-file path) unless
// only one was edited.
func replayEdits(t *testing.T, s *Server, name string, original []runner.Finding) {
	t.Helper()
	ctx := context.Background()
	src, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	ref := newServer(strings.NewReader(""), io.Discard, Options{Stderr: io.Discard})
	ref.settings.set(defaultSettings(), true)
	uri := fileURI(name)
	if _, err := s.docs.open(uri, 1, src); err != nil {
		t.Fatal(err)
	}
	defer s.docs.close(uri)
	first := newSnapshot(uri, name, 1, src)
	res, err := s.analyse(ctx, first, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := render(res.findings, false), render(original, false); got != want {
		t.Fatalf("%s: whole-file analysis differs from the full check\ngot:\n%s\nwant:\n%s", filepath.Base(name), got, want)
	}
	text, version := src, int32(1)
	step := func(what string, next []byte, perDecl bool) {
		t.Helper()
		version++
		snap := newSnapshot(uri, name, version, next)
		got, err := s.analyse(ctx, snap, res.base)
		if err != nil {
			t.Fatalf("%s: %s: %v", filepath.Base(name), what, err)
		}
		if (got.fix != nil) != perDecl {
			t.Errorf("%s: %s: per-declaration path taken: %v, want %v", filepath.Base(name), what, got.fix != nil, perDecl)
		}
		want := referenceFindings(t, ref, snap)
		if g, w := render(got.findings, false), render(want, false); g != w {
			t.Errorf("%s: %s: findings differ from the full check\ngot:\n%s\nwant:\n%s", filepath.Base(name), what, g, w)
		}
		if pkg, err := got.fixPackage(ctx); err != nil || pkg == nil {
			t.Errorf("%s: %s: no package for the quick fixes: %v", filepath.Base(name), what, err)
		}
		res.release()
		res, text = got, next
	}
	edited := editableFuncs(t, text, 4)
	for _, fn := range edited {
		at := bodyLineStart(t, text, fn)
		step(fmt.Sprintf("a line in declaration %d", fn), splice(text, at, "\t_ = 0\n"), true)
		at = bodyLineStart(t, text, fn)
		step(fmt.Sprintf("a recover in declaration %d", fn), splice(text, at, "\tdefer func() { recover() }()\n"), true)
	}
	snap := newSnapshot(uri, name, version, text)
	idle, base, err := s.analyseFull(ctx, snap, res.base)
	if err != nil {
		t.Fatal(err)
	}
	if g, w := render(idle, true), render(referenceFindings(t, ref, snap), true); g != w {
		t.Errorf("%s: the idle pass after the edits differs from the full check\ngot:\n%s\nwant:\n%s", filepath.Base(name), g, w)
	}
	// The idle pass leaves a base at the facts it kept: the next edit
	// inside a body re-checks one function again.
	if base == nil {
		t.Fatalf("%s: the idle pass left no base for the next edit", filepath.Base(name))
	}
	res.base, res.findings = base, idle
	if len(edited) > 0 {
		step("a line after the idle pass", splice(text, bodyLineStart(t, text, edited[0]), "\t_ = 1\n"), true)
	}
	// Going back spans every edited function: one body only when one
	// function was edited.
	step("back to the original", src, len(edited) == 1)
	res.release()
}

// referenceFindings is a full check of snap's text by ref.
func referenceFindings(t *testing.T, ref *Server, snap *snapshot) []runner.Finding {
	t.Helper()
	fs, _, err := ref.analyseFull(context.Background(), snap, nil)
	if err != nil {
		t.Fatal(err)
	}
	return fs
}

// editableFuncs names up to n functions of src, spread over the file,
// whose body's first statement starts a line of its own.
func editableFuncs(t *testing.T, src []byte, n int) []int {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "x.go", src, parser.SkipObjectResolution)
	if err != nil {
		t.Fatal(err)
	}
	var all []int
	for i, d := range f.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if ok && fd.Body != nil && len(fd.Body.List) > 0 && fset.Position(fd.Body.List[0].Pos()).Line > fset.Position(fd.Body.Lbrace).Line {
			all = append(all, i)
		}
	}
	if len(all) <= n {
		return all
	}
	out := make([]int, n)
	for k := range out {
		out[k] = all[k*len(all)/n]
	}
	return out
}

// bodyLineStart returns the offset of the line of the first statement of
// declaration i of src.
func bodyLineStart(t *testing.T, src []byte, i int) int {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "x.go", src, parser.SkipObjectResolution)
	if err != nil {
		t.Fatal(err)
	}
	off := fset.Position(f.Decls[i].(*ast.FuncDecl).Body.List[0].Pos()).Offset
	return bytes.LastIndexByte(src[:off], '\n') + 1
}

func splice(src []byte, at int, s string) []byte {
	return slices.Concat(src[:at:at], []byte(s), src[at:])
}

func fullFindings(t *testing.T, dir string) map[string][]runner.Finding {
	t.Helper()
	ctx := context.Background()
	g, err := loader.Load(ctx, loader.Config{Dir: dir, Tests: true}, ".")
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := moduleConfig(moduleRoot(dir))
	if err != nil {
		t.Fatal(err)
	}
	r, err := runner.New(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]runner.Finding{}
	for _, tg := range g.Roots {
		pkg, err := g.Check(ctx, tg)
		if err != nil {
			t.Fatal(err)
		}
		fs, errs := r.Run(ctx, pkg)
		if len(errs) > 0 {
			t.Fatalf("full check: %v", errs)
		}
		for _, f := range fs {
			out[f.Pos.Filename] = append(out[f.Pos.Filename], f)
		}
	}
	for k, v := range out {
		out[k] = dedupe(v)
	}
	return out
}

func render(fs []runner.Finding, related bool) string {
	var lines []string
	for _, f := range fs {
		line := fmt.Sprintf("%d:%d-%d %s %s", f.Pos.Line, f.Pos.Column, f.End.Offset, f.Rule, f.Message)
		if related {
			for _, r := range f.Related {
				line += fmt.Sprintf(" [related %s:%d:%d %s]", filepath.Base(r.Pos.Filename), r.Pos.Line, r.Pos.Column, r.Message)
			}
		}
		lines = append(lines, line)
	}
	slices.Sort(lines)
	return strings.Join(lines, "\n")
}

// primeFacts runs the complete pass of name's package once, as the
// scheduler does when a file of a package that has had none is opened.
func primeFacts(t *testing.T, s *Server, name string) {
	t.Helper()
	src, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	d, err := s.docs.open(fileURI(name), 1, src)
	if err != nil {
		t.Fatal(err)
	}
	_, snap, _ := s.docs.get(d.uri)
	if _, _, err := s.analyseFull(context.Background(), snap, nil); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if _, ok := s.docs.close(d.uri); !ok {
		t.Fatal("close")
	}
}

// TestOutdatedFactsKeepTheEditToOneFunction checks that an edit inside a
// body takes the per-declaration path even when facts were kept since
// the previous result (here the package's first complete pass): its base
// keeps the generation the other declarations' findings were computed at
// (outdated), for the next edit too, until a complete pass leaves a base
// at the new facts.
func TestOutdatedFactsKeepTheEditToOneFunction(t *testing.T) {
	name, err := filepath.Abs(filepath.Join("..", "testdata", "demo", "handlers.go"))
	if err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	s := newServer(strings.NewReader(""), io.Discard, Options{Stderr: io.Discard})
	s.settings.set(defaultSettings(), true)
	uri := fileURI(name)
	if _, err := s.docs.open(uri, 1, src); err != nil {
		t.Fatal(err)
	}
	defer s.docs.close(uri)
	res, err := s.analyse(ctx, newSnapshot(uri, name, 1, src), nil)
	if err != nil {
		t.Fatal(err)
	}
	if !res.unsummarised || res.base == nil {
		t.Fatalf("first analysis: unsummarised %v, base %v; want a base before any complete pass", res.unsummarised, res.base != nil)
	}
	// The package's first complete pass keeps its facts.
	if _, _, err := s.analyseFull(ctx, newSnapshot(uri, name, 1, src), nil); err != nil {
		t.Fatal(err)
	}
	fns := editableFuncs(t, src, 2)
	if len(fns) < 2 {
		t.Fatalf("%s: %d editable functions, want 2", name, len(fns))
	}
	text, version := src, int32(1)
	edit := func(fn int, wantOutdated bool) {
		t.Helper()
		version++
		text = splice(text, bodyLineStart(t, text, fn), "\t_ = 0\n")
		snap := newSnapshot(uri, name, version, text)
		got, err := s.analyse(ctx, snap, res.base)
		if err != nil {
			t.Fatal(err)
		}
		outdated := got.base.facts != got.base.r.FactsGeneration(factPaths(got.base.g.TargetsFor(name)))
		if got.fix == nil || outdated != wantOutdated {
			t.Errorf("edit %d: per-declaration %v, outdated %v; want true, %v", version, got.fix != nil, outdated, wantOutdated)
		}
		res.release()
		res = got
	}
	edit(fns[0], true)
	edit(fns[1], true)
	findings, base, err := s.analyseFull(ctx, newSnapshot(uri, name, version, text), res.base)
	if err != nil || base == nil {
		t.Fatalf("complete pass: base %v, err %v", base != nil, err)
	}
	res.base, res.findings = base, findings
	edit(fns[0], false)
	res.release()
}

// syncBuffer is a bytes.Buffer that a server's log may write to from
// several goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// grepLines returns the lines of text that contain one of words.
func grepLines(text string, words ...string) string {
	var out []string
	for _, l := range strings.Split(text, "\n") {
		for _, w := range words {
			if strings.Contains(l, w) {
				out = append(out, l)
				break
			}
		}
	}
	return strings.Join(out, "\n")
}

// TestGenericBodyIsCheckedWithItsFile checks the fallback of the
// per-body path: an edit inside a method of a generic type, which cannot
// be checked as a function literal, is checked with its file's other
// functions by signature, and its findings still equal a full check's.
func TestGenericBodyIsCheckedWithItsFile(t *testing.T) {
	dir := t.TempDir()
	src := "package g\n\nimport \"strings\"\n\ntype Box[T any] struct{ m map[string]T }\n\n" +
		"func (b *Box[T]) Get(k string) T {\n\treturn b.m[k]\n}\n\n" +
		"func Second(s string) string {\n\treturn strings.Split(s, \",\")[1]\n}\n"
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/g\n\ngo 1.22\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	name := filepath.Join(dir, "g.go")
	if err := os.WriteFile(name, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	log := &syncBuffer{}
	s := newServer(strings.NewReader(""), io.Discard, Options{Stderr: log, LogLevel: slog.LevelDebug})
	s.settings.set(defaultSettings(), true)
	ref := newServer(strings.NewReader(""), io.Discard, Options{Stderr: io.Discard})
	ref.settings.set(defaultSettings(), true)
	uri := fileURI(name)
	if _, err := s.docs.open(uri, 1, []byte(src)); err != nil {
		t.Fatal(err)
	}
	defer s.docs.close(uri)
	ctx := context.Background()
	res, err := s.analyse(ctx, newSnapshot(uri, name, 1, []byte(src)), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { res.release() }()
	text := []byte(src)
	for v, edit := range []struct{ anchor, insert string }{
		{"\treturn b.m[k]", "\t_ = k\n"},                         // the generic method: with its file
		{"\treturn strings.Split", "\t_ = strings.ToUpper(s)\n"}, // a plain function: alone
	} {
		at := strings.Index(string(text), edit.anchor)
		text = splice(text, at, edit.insert)
		snap := newSnapshot(uri, name, int32(v+2), text)
		got, err := s.analyse(ctx, snap, res.base)
		if err != nil {
			t.Fatal(err)
		}
		res.release()
		res = got
		if got.fix == nil {
			t.Errorf("edit %d: not the per-declaration path", v+1)
		}
		if g, w := render(got.findings, false), render(referenceFindings(t, ref, snap), false); g != w {
			t.Errorf("edit %d: findings differ from the full check\ngot:\n%s\nwant:\n%s", v+1, g, w)
		}
	}
	logged := log.String()
	if !strings.Contains(logged, "has a generic receiver") || !strings.Contains(logged, "alone=true") {
		t.Errorf("want the generic method checked with its file and the plain function alone; log:\n%s", grepLines(logged, "alone=", "with its file"))
	}
}

// TestHeldPackagesAreBounded checks that at most maxHeld held packages
// are alive: an edit inside a body of one more document checks its
// function with its file, and once a result that holds one is released,
// the next such edit may hold again.
func TestHeldPackagesAreBounded(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/h\n\ngo 1.22\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	n := maxHeld + 2
	for i := range n {
		src := fmt.Sprintf("package h\n\nfunc F%d(s []string) string {\n\treturn s[0]\n}\n", i)
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("f%d.go", i)), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	log := &syncBuffer{}
	s := newServer(strings.NewReader(""), io.Discard, Options{Stderr: log, LogLevel: slog.LevelDebug})
	s.settings.set(defaultSettings(), true)
	ctx := context.Background()
	var results []*result
	defer func() {
		for _, r := range results {
			r.release()
		}
	}()
	edit := func(i int) *result {
		t.Helper()
		name := filepath.Join(dir, fmt.Sprintf("f%d.go", i))
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		uri := fileURI(name)
		if _, err := s.docs.open(uri, 1, src); err != nil {
			t.Fatal(err)
		}
		first, err := s.analyse(ctx, newSnapshot(uri, name, 1, src), nil)
		if err != nil {
			t.Fatal(err)
		}
		next := splice(src, strings.Index(string(src), "\treturn"), "\t_ = s\n")
		got, err := s.analyse(ctx, newSnapshot(uri, name, 2, next), first.base)
		if err != nil {
			t.Fatal(err)
		}
		first.release()
		if got.fix == nil {
			t.Fatalf("f%d.go: not the per-declaration path", i)
		}
		return got
	}
	for i := range n {
		results = append(results, edit(i))
	}
	if held := s.held.Load(); held != maxHeld {
		t.Errorf("%d held packages after %d documents edited, want %d", held, n, maxHeld)
	}
	if c := strings.Count(log.String(), "are held for other documents"); c != n-maxHeld {
		t.Errorf("%d edits refused a held package, want %d", c, n-maxHeld)
	}
	results[0].release()
	results = results[1:]
	if held := s.held.Load(); held != maxHeld-1 {
		t.Errorf("%d held packages after one result was released, want %d", held, maxHeld-1)
	}
}
