package fixes

// Fuzz targets for the rules and the quick fixes on arbitrary Go source.
//
// Each input is analysed the way the language server analyses a buffer
// being typed (server.checkEdited): parsed with partial syntax kept, the
// parse error kept with it, type-checked with loader.CheckFiles however
// broken it is, then every rule runs on it. Properties:
//
//   - no rule panics (runner turns a panic into an error: that fails here),
//     and no quick fix panics (fixes turns it into an error: that fails too);
//   - analysing one input, fixes included, takes less than fuzzTimeout;
//   - every offered fix, and fix-all, applies to the input; when the input
//     parses, the result parses; when the input is gofmt-clean, the result
//     is gofmt-clean.
//
// The seeds are the demo workspace, the rules' analysistest files and the
// fixes' golden inputs (f.Add), plus the files under testdata/fuzz, so
// plain `go test` replays them all. To fuzz:
//
//	go test -run XXX -fuzz FuzzRules -fuzztime 4m -parallel 1 ./fixes
//	go test -run XXX -fuzz FuzzFixes -fuzztime 4m -parallel 1 ./fixes

import (
	"bytes"
	"context"
	"fmt"
	"go/ast"
	"go/build"
	"go/format"
	"go/parser"
	"go/token"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/failfast-dev/failfast/config"
	"github.com/failfast-dev/failfast/loader"
	"github.com/failfast-dev/failfast/runner"
)

// fuzzTimeout bounds the analysis of one input, fixes included. It is
// generous because the machine may be busy and the seeds are the rules'
// whole testdata files: the largest, with every fix type-checked, takes
// 30 s under -race on a quiet two-core machine, and took over 60 s in a
// full CI run beside the other packages' tests. A hang exceeds any bound.
const fuzzTimeout = 3 * time.Minute

// fuzzMaxInput skips inputs larger than this: the fuzzer's mutations of a
// seed stay far below it, and huge files are the load tests' business.
const fuzzMaxInput = 64 << 10

// fuzzModule is a module with one package of one file, a.go, whose
// content each input replaces (as an unsaved buffer does in the server).
type fuzzModule struct {
	g    *loader.Graph
	t    *loader.Target
	path string
	run  *runner.Runner
	std  map[string]bool // standard-library imports with export data
}

// fuzzSeeds returns the contents of the Go files the fuzz targets start
// from, by name relative to the repository root.
func fuzzSeeds(f *testing.F) map[string][]byte {
	f.Helper()
	var globs = []string{
		"../testdata/demo/*.go",
		"../rules/*/testdata/src/*/*.go",
		"../rules/*/testdata/src/*/*/*.go",
		"testdata/golden/*/*.go",
		"testdata/golden/*/*.gosrc",
		"testdata/golden/*/*/*.go",
	}
	seeds := map[string][]byte{}
	for _, g := range globs {
		names, err := filepath.Glob(g)
		if err != nil {
			f.Fatal(err)
		}
		for _, name := range names {
			data, err := os.ReadFile(name)
			if err != nil {
				f.Fatal(err)
			}
			seeds[name] = data
		}
	}
	if len(seeds) < 20 {
		f.Fatalf("only %d seed files found: did the testdata move?", len(seeds))
	}
	return seeds
}

// newFuzzModule writes the module and lists it. a.go imports every
// standard-library package the seeds import, so that the go command
// provides their export data once; an input importing another package
// is skipped (finding its export data takes a go command per input).
func newFuzzModule(f *testing.F, seeds map[string][]byte) *fuzzModule {
	f.Helper()
	std := map[string]bool{"errors": true, "fmt": true, "log": true, "log/slog": true, "net/http": true, "runtime/debug": true, "unsafe": true}
	fset := token.NewFileSet()
	for _, src := range seeds {
		file, _ := parser.ParseFile(fset, "", src, parser.ImportsOnly)
		if file == nil {
			continue
		}
		for _, spec := range file.Imports {
			p, err := strconv.Unquote(spec.Path.Value)
			if err == nil && importable(p) {
				std[p] = true
			}
		}
	}
	var b strings.Builder
	b.WriteString("package p\n\nimport (\n")
	for _, p := range slices.Sorted(maps.Keys(std)) {
		fmt.Fprintf(&b, "\t_ %q\n", p)
	}
	b.WriteString(")\n")
	dir := f.TempDir()
	write := func(name, content string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			f.Fatal(err)
		}
	}
	write("go.mod", "module example.com/fuzz\n\ngo 1.22\n")
	write("a.go", b.String())
	ctx := context.Background()
	g, err := loader.Load(ctx, loader.Config{Dir: dir}, "./...")
	if err != nil {
		f.Fatalf("load the fuzz module: %v", err)
	}
	if len(g.Errors) > 0 || len(g.Roots) != 1 || len(g.Roots[0].Files) != 1 {
		f.Fatalf("load the fuzz module: %d packages, errors %v", len(g.Roots), g.Errors)
	}
	run, err := runner.New(&config.Config{Tests: true, Generated: true}, nil)
	if err != nil {
		f.Fatalf("runner: %v", err)
	}
	return &fuzzModule{g: g, t: g.Roots[0], path: g.Roots[0].Files[0], run: run, std: std}
}

// importable reports whether p looks like a standard-library package a
// module may import.
func importable(p string) bool {
	first, _, _ := strings.Cut(p, "/")
	if p == "" || p == "C" || strings.Contains(first, ".") || strings.Contains(p, "internal") ||
		strings.Contains(p, "vendor") || strings.ContainsAny(p, " \\\t\n\"'`:") {
		return false
	}
	// A seed may import a made-up package ("b", "client"): only a package
	// of the standard library is in the fuzz module's a.go.
	fi, err := os.Stat(filepath.Join(build.Default.GOROOT, "src", filepath.FromSlash(p)))
	return err == nil && fi.IsDir()
}

// skip reports why an input is not analysed, or "".
func (m *fuzzModule) skip(src []byte) string {
	if len(src) > fuzzMaxInput {
		return "input too large"
	}
	file, _ := parser.ParseFile(token.NewFileSet(), "", src, parser.ImportsOnly)
	if file == nil {
		return ""
	}
	for _, spec := range file.Imports {
		p, err := strconv.Unquote(spec.Path.Value)
		if err == nil && importable(p) && !m.std[p] {
			return "imports " + strconv.Quote(p) + ", which has no export data here"
		}
	}
	return ""
}

// check analyses src as the content of a.go the way the server analyses
// a buffer: partial syntax and the parse error kept, type-checked however
// broken. The package must be released.
func (m *fuzzModule) check(ctx context.Context, src []byte) (*loader.Package, error) {
	f, perr := m.g.ParseFile(m.path, src)
	if f == nil {
		return nil, fmt.Errorf("nothing parsed: %v", perr)
	}
	pkg, err := m.g.CheckFiles(ctx, m.t, []*ast.File{f})
	if err != nil {
		if tf := m.g.FileSet().File(f.FileStart); tf != nil {
			m.g.FileSet().RemoveFile(tf)
		}
		return nil, err
	}
	if perr != nil {
		pkg.Errors = append(pkg.Errors, perr)
	}
	pkg.ReadFile = func(name string) ([]byte, error) {
		if name == m.path {
			return src, nil
		}
		return nil, fmt.Errorf("no file %s in the fuzz package", name)
	}
	pkg.Recheck = func(ctx context.Context, overrides map[string][]byte) (*loader.Package, error) {
		next, ok := overrides[m.path]
		if !ok || len(overrides) != 1 {
			return nil, fmt.Errorf("re-check of files other than a.go: %v", slices.Collect(maps.Keys(overrides)))
		}
		return m.check(ctx, next)
	}
	return pkg, nil
}

// analyse runs every rule on src and, with withFixes, computes and checks
// every fix of every finding and fix-all. It returns the problems found.
func (m *fuzzModule) analyse(ctx context.Context, src []byte, withFixes bool) []string {
	var problems []string
	pkg, err := m.check(ctx, src)
	if err != nil {
		return []string{"check: " + err.Error()}
	}
	defer pkg.Release()
	findings, errs := m.run.Run(ctx, pkg)
	for _, e := range errs {
		problems = append(problems, "a rule failed (a recovered panic counts): "+e.Error())
	}
	if !withFixes {
		return problems
	}
	_, perr := parser.ParseFile(token.NewFileSet(), "a.go", src, parser.ParseComments|parser.SkipObjectResolution)
	parses := perr == nil
	formatted, ferr := format.Source(src)
	clean := ferr == nil && bytes.Equal(formatted, src)
	checkOut := func(what string, edits []Edit) {
		out, err := Apply(src, edits)
		if err != nil {
			problems = append(problems, what+": edits do not apply: "+err.Error())
			return
		}
		if !parses {
			return
		}
		if _, err := parser.ParseFile(token.NewFileSet(), "a.go", out, parser.ParseComments|parser.SkipObjectResolution); err != nil {
			problems = append(problems, fmt.Sprintf("%s: the fixed file does not parse: %v\n%s", what, err, out))
			return
		}
		if clean {
			if f, err := format.Source(out); err != nil || !bytes.Equal(f, out) {
				problems = append(problems, fmt.Sprintf("%s: the fixed file is not gofmt-clean though the input was:\n%s", what, out))
			}
		}
	}
	for _, fd := range findings {
		fixes, err := For(pkg, fd, Options{Context: ctx})
		if err != nil && strings.Contains(err.Error(), "panicked") {
			problems = append(problems, fmt.Sprintf("fix for %s at %d:%d: %v", fd.Rule, fd.Pos.Line, fd.Pos.Column, err))
		}
		for _, fix := range fixes {
			checkOut(fmt.Sprintf("fix %q for %s at %d:%d", fix.Title, fd.Rule, fd.Pos.Line, fd.Pos.Column), fix.Edits)
		}
	}
	all, err := FixAll(pkg, findings, Options{Context: ctx})
	if err != nil {
		problems = append(problems, "fix-all: "+err.Error())
	}
	if all != nil {
		for _, e := range all.Skipped {
			if strings.Contains(e.Error(), "panicked") {
				problems = append(problems, "fix-all: "+e.Error())
			}
		}
		checkOut("fix-all", all.Edits)
	}
	return problems
}

// fuzzAnalysis is the body of both targets: analyse one input within
// fuzzTimeout and fail on any problem.
func fuzzAnalysis(f *testing.F, withFixes bool) {
	seeds := fuzzSeeds(f)
	for _, name := range slices.Sorted(maps.Keys(seeds)) {
		f.Add(seeds[name])
	}
	m := newFuzzModule(f, seeds)
	f.Fuzz(func(t *testing.T, src []byte) {
		if why := m.skip(src); why != "" {
			t.Skip(why)
		}
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		done := make(chan []string, 1)
		go func() { done <- m.analyse(ctx, src, withFixes) }()
		select {
		case problems := <-done:
			for _, p := range problems {
				t.Error(p)
			}
			if len(problems) > 0 {
				t.Logf("input:\n%s", src)
			}
		case <-time.After(fuzzTimeout):
			cancel()
			t.Fatalf("analysing the input (fixes: %v) took more than %v: a hang?\ninput:\n%s", withFixes, fuzzTimeout, src)
		}
	})
}

// FuzzRules runs every rule on arbitrary, often broken, Go source.
func FuzzRules(f *testing.F) { fuzzAnalysis(f, false) }

// FuzzFixes runs every rule, computes every fix of every finding and
// fix-all, and checks the fixed files.
func FuzzFixes(f *testing.F) { fuzzAnalysis(f, true) }
