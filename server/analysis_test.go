package server

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
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
// the full check exactly.
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
			s := newServer(strings.NewReader(""), io.Discard, Options{Stderr: io.Discard})
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
				res, err := s.analyse(ctx, snap)
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				if got, want := render(res.findings, false), render(full[name], false); got != want {
					t.Errorf("%s: per-edit analysis differs from the full check\ngot:\n%s\nwant:\n%s", filepath.Base(name), got, want)
				}
				complete, err := s.analyseFull(ctx, snap)
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
		})
	}
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
	if _, err := s.analyseFull(context.Background(), snap); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if _, ok := s.docs.close(d.uri); !ok {
		t.Fatal("close")
	}
}
