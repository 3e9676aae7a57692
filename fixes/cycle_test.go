package fixes

import (
	"context"
	"fmt"
	"go/build"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/failfast-dev/failfast/config"
	"github.com/failfast-dev/failfast/loader"
	"github.com/failfast-dev/failfast/runner"
)

// TestNoImportCycle adds, through an overlay (nothing is written into
// GOROOT), an in-package test file to log/slog and to errors holding a
// swallowed recover, and checks the fixes against testdata/stdcycle/*.golden:
// bench/fixsafety found the logging fix importing log/slog into log/slog,
// which type-checks against export data but does not build. No offered fix
// may add an import that imports the package back.
func TestNoImportCycle(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	goroot := filepath.Join(build.Default.GOROOT, "src")
	overlay := map[string][]byte{}
	inputs := map[string]string{} // overlay file -> testdata file
	for _, pkg := range []string{"slog", "errors"} {
		src := filepath.Join("testdata", "stdcycle", pkg, "cycle_test.go")
		data, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		dir := map[string]string{"slog": "log/slog", "errors": "errors"}[pkg]
		name := filepath.Join(goroot, dir, "zz_failfast_cycle_test.go")
		overlay[name], inputs[name] = data, src
	}
	g, err := loader.Load(ctx, loader.Config{Dir: goroot, Tests: true, Overlay: overlay}, "log/slog", "errors")
	if err != nil {
		t.Fatalf("load log/slog and errors with the overlay: %v", err)
	}
	run, err := runner.New(&config.Config{Tests: true}, nil)
	if err != nil {
		t.Fatal(err)
	}
	deps := map[string]map[string]bool{}
	depsOf := func(path string) map[string]bool {
		if d, ok := deps[path]; ok {
			return d
		}
		cmd := exec.CommandContext(ctx, "go", "list", "-deps", "-f", "{{.ImportPath}}", path)
		cmd.Dir = goroot
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("go list -deps %s: %v", path, err)
		}
		d := map[string]bool{}
		for _, p := range strings.Fields(string(out)) {
			d[p] = true
		}
		deps[path] = d
		return d
	}
	checked := 0
	for name, input := range inputs {
		var b strings.Builder
		for _, target := range g.TargetsFor(name) {
			pkg, err := g.Check(ctx, target)
			if err != nil {
				t.Fatal(err)
			}
			findings, errs := run.Run(ctx, pkg)
			if len(errs) > 0 {
				t.Fatal(errs)
			}
			src, err := pkg.ReadFile(name)
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range findings {
				if f.Pos.Filename != name {
					continue
				}
				checked++
				fmt.Fprintf(&b, "== %d:%d %s\n", f.Pos.Line, f.Pos.Column, f.Rule)
				fixes, err := For(pkg, f, Options{})
				if err != nil {
					fmt.Fprintf(&b, "dropped: %s\n", strings.ReplaceAll(firstLine(err.Error()), goroot+string(filepath.Separator), "$GOROOT/src/"))
				}
				for _, fix := range fixes {
					out, err := Apply(src, fix.Edits)
					if err != nil {
						t.Fatalf("%s: %v", fix.Title, err)
					}
					for _, p := range addedImports(t, src, out) {
						if p == target.PkgPath || depsOf(p)[target.PkgPath] {
							t.Errorf("%s: %q imports %s into %s, which imports it back", input, fix.Title, p, target.PkgPath)
						}
					}
					fmt.Fprintf(&b, "-- %s (safe: %v)\n%s", fix.Title, fix.Safe, lineDiff(src, out))
				}
			}
			pkg.Release()
		}
		golden := strings.TrimSuffix(input, ".go") + ".golden"
		if *update {
			if err := os.WriteFile(golden, []byte(b.String()), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%v (run go test ./fixes -run NoImportCycle -update)", err)
		}
		if b.String() != string(want) {
			t.Errorf("%s differs (run go test ./fixes -run NoImportCycle -update and review the diff):\n--- got\n%s--- want\n%s", golden, b.String(), want)
		}
	}
	if checked < 2 {
		t.Errorf("expected a swallowed-recover finding in each overlay file, got %d findings", checked)
	}
}

// addedImports returns the import paths of out that src does not have.
func addedImports(t *testing.T, src, out []byte) []string {
	t.Helper()
	paths := func(b []byte) map[string]bool {
		f, err := parser.ParseFile(token.NewFileSet(), "", b, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		m := map[string]bool{}
		for _, s := range f.Imports {
			p, _ := strconv.Unquote(s.Path.Value)
			m[p] = true
		}
		return m
	}
	before := paths(src)
	var added []string
	for p := range paths(out) {
		if !before[p] {
			added = append(added, p)
		}
	}
	return added
}
