package fixes

import (
	"bytes"
	"context"
	"fmt"
	"go/ast"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/failfast-dev/failfast/config"
	"github.com/failfast-dev/failfast/loader"
	"github.com/failfast-dev/failfast/runner"
)

// findingsIn loads the testdata package dir and returns it with its
// findings of rule.
func findingsIn(t *testing.T, dir, rule string) (*loader.Package, []runner.Finding) {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("testdata", "golden"))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range load(t, copyModule(t, root)) {
		if !strings.HasSuffix(c.pkg.PkgPath, "/"+dir) {
			continue
		}
		var out []runner.Finding
		for _, f := range c.findings {
			if f.Rule == rule {
				out = append(out, f)
			}
		}
		return c.pkg, out
	}
	t.Fatalf("no package %s in testdata", dir)
	return nil, nil
}

func fixText(t *testing.T, pkg *loader.Package, f runner.Finding, opts Options, title string) string {
	t.Helper()
	fixes, err := For(pkg, f, opts)
	for _, fix := range fixes {
		if fix.Title == title {
			var b strings.Builder
			for _, e := range fix.Edits {
				b.WriteString(e.NewText)
			}
			return b.String()
		}
	}
	t.Fatalf("no fix %q (error: %v)", title, err)
	return ""
}

func TestLoggerSetting(t *testing.T) {
	pkg, fs := findingsIn(t, "defaults", "silent-default")
	var workers runner.Finding
	for _, f := range fs {
		if strings.Contains(f.Message, "WORKERS") {
			workers = f
		}
	}
	if workers.Rule == "" {
		t.Fatal("no WORKERS finding")
	}
	for _, tc := range []struct{ logger, want string }{
		{"", `c.logger.Warn("WORKERS is not valid (want a number); using the default", "default", 4)`},
		{"slog", `slog.Warn("WORKERS is not valid (want a number); using the default", "default", 4)`},
		{"log", `log.Printf("WORKERS is not valid (want a number); using the default (default: %v)", 4)`},
		{"c.logger", `c.logger.Warn(`},
	} {
		got := fixText(t, pkg, workers, Options{Logger: tc.logger}, titleLogDefault)
		if !strings.Contains(got, tc.want) {
			t.Errorf("logger %q: got\n%s\nwant it to contain\n%s", tc.logger, got, tc.want)
		}
	}
	// A logger expression that does not resolve drops the fix and says why.
	fixes, err := For(pkg, workers, Options{Logger: "nosuch.logger"})
	if err == nil || !strings.Contains(err.Error(), `"nosuch.logger"`) {
		t.Errorf("bad logger setting: error %v, want one naming it", err)
	}
	for _, fix := range fixes {
		if fix.Title == titleLogDefault {
			t.Errorf("bad logger setting: the fix is still offered")
		}
	}
}

func TestOddFindingsFailCleanly(t *testing.T) {
	pkg, fs := findingsIn(t, "okcheck", "unchecked-type-assertion")
	if len(fs) == 0 {
		t.Fatal("no findings")
	}
	bad := fs[0]
	bad.Pos.Offset, bad.End.Offset = 1<<30, 1<<30+5
	if _, err := For(pkg, bad, Options{}); err == nil {
		t.Error("offsets past the end of the file: no error")
	}
	elsewhere := fs[0]
	elsewhere.Pos.Filename = "/no/such/file.go"
	if _, err := For(pkg, elsewhere, Options{}); err == nil {
		t.Error("a file outside the package: no error")
	}
	// A finding moved onto code of another shape gets no rule fix, only
	// an error, and never a panic.
	moved := fs[0]
	moved.Pos.Offset, moved.End.Offset = 0, 7
	moved.Rule = "swallowed-recover"
	fixes, err := For(pkg, moved, Options{})
	if err == nil {
		t.Error("a finding at the package clause: no error")
	}
	for _, f := range fixes {
		if f.Title != IgnoreTitle(moved.Rule) {
			t.Errorf("a finding at the package clause got fix %q", f.Title)
		}
	}
	unknown := fs[0]
	unknown.Rule = "no-such-rule"
	if _, err := For(pkg, unknown, Options{}); err == nil || !strings.Contains(err.Error(), "no quick fix") {
		t.Errorf("unknown rule: error %v", err)
	}
}

func TestApplyRejectsOverlaps(t *testing.T) {
	src := []byte("hello world")
	out, err := Apply(src, []Edit{{Start: 6, End: 11, NewText: "there"}, {Start: 0, End: 5, NewText: "hi"}})
	if err != nil || string(out) != "hi there" {
		t.Errorf("Apply = %q, %v", out, err)
	}
	if _, err := Apply(src, []Edit{{Start: 0, End: 6}, {Start: 5, End: 7}}); err == nil {
		t.Error("overlapping edits: no error")
	}
	if _, err := Apply(src, []Edit{{Start: 5, End: 40}}); err == nil {
		t.Error("edit past the end: no error")
	}
}

// TestFixAllReducesFindings applies every safe fix to the demo and checks
// that the result type-checks and reports fewer findings.
func TestFixAllReducesFindings(t *testing.T) {
	root, err := filepath.Abs(filepath.Join("testdata", "golden"))
	if err != nil {
		t.Fatal(err)
	}
	run, err := runner.New(&config.Config{Tests: true}, nil)
	if err != nil {
		t.Fatal(err)
	}
	dir := copyModule(t, root)
	for _, c := range load(t, dir) {
		if !strings.HasSuffix(c.pkg.PkgPath, "/demo") {
			continue
		}
		all, err := FixAll(c.pkg, c.findings, Options{})
		if err != nil {
			t.Fatal(err)
		}
		overrides, err := all.Contents(c.pkg)
		if err != nil {
			t.Fatal(err)
		}
		fixed, err := c.pkg.CheckWith(context.Background(), overrides)
		if err != nil {
			t.Fatal(err)
		}
		if len(fixed.Errors) > 0 {
			t.Fatalf("the fixed demo does not type-check: %v", fixed.Errors)
		}
		after, errs := run.Run(context.Background(), fixed)
		if len(errs) > 0 {
			t.Fatal(errs)
		}
		if len(after) >= len(c.findings) || len(all.Fixed) == 0 {
			t.Errorf("fix all: %d findings before, %d after (%d fixed, skipped: %v)", len(c.findings), len(after), len(all.Fixed), all.Skipped)
		}
		for _, f := range after {
			t.Logf("left: %s:%d %s", filepath.Base(f.Pos.Filename), f.Pos.Line, f.Rule)
		}
		// The files on disk, rewritten, build with the go command.
		for name, content := range overrides {
			if err := WriteFile(name, content); err != nil {
				t.Fatal(err)
			}
		}
		build := exec.Command("go", "build", "./demo")
		build.Dir = dir
		build.Env = append(os.Environ(), "GOTOOLCHAIN=local", "GOFLAGS=-mod=mod")
		if out, err := build.CombinedOutput(); err != nil {
			t.Errorf("go build of the fixed demo: %v\n%s", err, out)
		}
		return
	}
	t.Fatal("no demo package")
}

// TestWindowsLineEndings checks that a fix in a file with \r\n line endings
// keeps them and stays minimal.
func TestWindowsLineEndings(t *testing.T) {
	root, err := filepath.Abs(filepath.Join("testdata", "golden"))
	if err != nil {
		t.Fatal(err)
	}
	dir := copyModule(t, root)
	name := filepath.Join(dir, "okcheck", "okcheck.go")
	src, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	crlf := bytes.ReplaceAll(src, []byte("\n"), []byte("\r\n"))
	if err := os.WriteFile(name, crlf, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range load(t, dir) {
		for _, f := range c.findings {
			if f.Pos.Filename != name || f.Rule != "unchecked-type-assertion" {
				continue
			}
			fixes, err := For(c.pkg, f, Options{})
			if len(fixes) < 2 {
				t.Fatalf("no rule fix: %v", err)
			}
			out, err := Apply(crlf, fixes[0].Edits)
			if err != nil {
				t.Fatal(err)
			}
			if n := bytes.Count(out, []byte("\n")) - bytes.Count(out, []byte("\r\n")); n > 0 {
				t.Errorf("%d lines lost their \\r:\n%q", n, out)
			}
			changed := 0
			for _, e := range fixes[0].Edits {
				changed += e.End - e.Start
			}
			if changed > 200 {
				t.Errorf("the fix replaces %d bytes: not minimal", changed)
			}
			return
		}
	}
	t.Fatal("no type assertion finding in okcheck.go")
}

// TestMismatchedFindings asks every rule's fix for every finding of the
// testdata, so that each fix meets code shapes it was not written for: it
// must fail with an error or produce a fix that type-checks, never panic.
func TestMismatchedFindings(t *testing.T) {
	root, err := filepath.Abs(filepath.Join("testdata", "golden"))
	if err != nil {
		t.Fatal(err)
	}
	offered := 0
	for _, c := range load(t, copyModule(t, root)) {
		for _, f := range c.findings {
			for _, rule := range Rules() {
				g := f
				g.Rule = rule
				fixes, err := For(c.pkg, g, Options{})
				if err != nil && strings.Contains(err.Error(), "panicked") {
					t.Errorf("%s at %s: %v", rule, f.Pos, err)
				}
				if len(fixes) == 0 && !strings.Contains(fmt.Sprint(err), "already ignores it") {
					t.Errorf("%s at %s: not even the Ignore fix (%v)", rule, f.Pos, err)
				}
				offered += len(fixes) - 1
			}
		}
	}
	t.Logf("%d rule fixes offered for mismatched findings", offered)
}

// TestIgnoreRefusesInsideRawString moves a finding onto the second line of
// a raw string: a directive line there would change the string.
func TestIgnoreRefusesInsideRawString(t *testing.T) {
	pkg, fs := findingsIn(t, "okcheck", "unchecked-type-assertion")
	if len(fs) == 0 {
		t.Fatal("no findings")
	}
	f := fs[0]
	src, err := pkg.ReadFile(f.Pos.Filename)
	if err != nil {
		t.Fatal(err)
	}
	off := bytes.Index(src, []byte("  -port n"))
	if off < 0 {
		t.Fatal("no raw string in okcheck.go")
	}
	f.Pos.Offset, f.End.Offset = off+2, off+7
	if fix, err := Ignore(pkg, f); err == nil {
		t.Errorf("Ignore inside a raw string: got %+v, want an error", fix)
	}
}

// TestConcurrentFor computes the fixes of one package's findings in
// parallel, as a language server answering several code-action requests
// does; run with -race.
func TestConcurrentFor(t *testing.T) {
	root, err := filepath.Abs(filepath.Join("testdata", "golden"))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range load(t, copyModule(t, root)) {
		if !strings.HasSuffix(c.pkg.PkgPath, "/demo") {
			continue
		}
		errs := make(chan error, len(c.findings))
		for _, f := range c.findings {
			go func() {
				fixes, err := For(c.pkg, f, Options{})
				if len(fixes) == 0 {
					err = fmt.Errorf("%s at %s: no fix: %v", f.Rule, f.Pos, err)
				} else {
					err = nil
				}
				errs <- err
			}()
		}
		for range c.findings {
			if err := <-errs; err != nil {
				t.Error(err)
			}
		}
		return
	}
	t.Fatal("no demo package")
}

// TestEditsAreMinimal checks that a one-token change is sent as that
// token, not as its line.
func TestEditsAreMinimal(t *testing.T) {
	pkg, fs := findingsIn(t, "demo", "unwrapped-error")
	for _, f := range fs {
		if !strings.Contains(f.Message, "with %v") {
			continue
		}
		fixes, err := For(pkg, f, Options{})
		if len(fixes) < 2 {
			t.Fatalf("no fix: %v", err)
		}
		for _, e := range fixes[0].Edits {
			if strings.Contains(e.NewText, "return") || strings.Contains(e.NewText, "\n") {
				t.Errorf("edit %+v replaces more than the format string", e)
			}
		}
		return
	}
	t.Skip("the rule no longer reports a formatted (not wrapped) error in the demo")
}

// TestFixesAtEveryNode asks each rule's fix for a finding placed on nodes
// all over the testdata files (a deterministic sample), so that every fix
// meets shapes it was not written for: an error is fine, a panic is not,
// and whatever is offered type-checks (For verifies it).
func TestFixesAtEveryNode(t *testing.T) {
	root, err := filepath.Abs(filepath.Join("testdata", "golden"))
	if err != nil {
		t.Fatal(err)
	}
	tried, offered := 0, 0
	for _, c := range load(t, copyModule(t, root)) {
		for i, file := range c.pkg.Syntax {
			n := 0
			ast.Inspect(file, func(node ast.Node) bool {
				if node == nil {
					return false
				}
				n++
				if (n+i)%7 != 0 {
					return true
				}
				for _, rule := range Rules() {
					f := runner.Finding{Rule: rule, Message: "when x fails, gives no reason",
						Pos: c.pkg.Fset.PositionFor(node.Pos(), false), End: c.pkg.Fset.PositionFor(node.End(), false)}
					f.Related = []runner.Related{{Pos: f.Pos, End: f.End}}
					fixes, err := For(c.pkg, f, Options{})
					if err != nil && strings.Contains(err.Error(), "panicked") {
						t.Errorf("%s at %s (%T): %v", rule, f.Pos, node, err)
					}
					tried++
					offered += max(len(fixes)-1, 0)
				}
				return true
			})
		}
	}
	t.Logf("%d fix requests at arbitrary nodes, %d rule fixes offered", tried, offered)
}

// TestPackageWithTypeErrors computes fixes in a package that does not
// type-check (a buffer being edited): the rule fixes are still offered,
// since only errors the rewrite adds count against it.
func TestPackageWithTypeErrors(t *testing.T) {
	root, err := filepath.Abs(filepath.Join("testdata", "golden"))
	if err != nil {
		t.Fatal(err)
	}
	dir := copyModule(t, root)
	broken := "package okcheck\n\nvar _ = notDeclaredAnywhere\n"
	if err := os.WriteFile(filepath.Join(dir, "okcheck", "broken.go"), []byte(broken), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	g, err := loader.Load(ctx, loader.Config{Dir: dir}, "./okcheck")
	if err != nil {
		t.Fatal(err)
	}
	run, err := runner.New(&config.Config{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, target := range g.Roots {
		pkg, err := g.Check(ctx, target)
		if err != nil {
			t.Fatal(err)
		}
		if len(pkg.Errors) == 0 {
			t.Fatal("the broken package type-checks")
		}
		findings, errs := run.Run(ctx, pkg)
		for _, err := range errs {
			t.Logf("rule error on the broken package: %v", err)
		}
		offered := 0
		for _, f := range findings {
			fixes, err := For(pkg, f, Options{})
			if err != nil && strings.Contains(err.Error(), "panicked") {
				t.Error(err)
			}
			offered += max(len(fixes)-1, 0)
		}
		if len(findings) == 0 || offered == 0 {
			t.Errorf("%d findings, %d rule fixes in a package with a type error", len(findings), offered)
		}
	}
}
