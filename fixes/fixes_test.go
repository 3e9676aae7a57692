package fixes

import (
	"context"
	"flag"
	"fmt"
	"go/format"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/failfast-dev/failfast/config"
	"github.com/failfast-dev/failfast/loader"
	"github.com/failfast-dev/failfast/runner"
)

var update = flag.Bool("update", false, "rewrite the .golden files")

// checked is one package of testdata, checked, with its findings.
type checked struct {
	pkg      *loader.Package
	findings []runner.Finding
}

// load checks every package of the module in dir and runs all rules (test
// files included) on it.
func load(t *testing.T, dir string) []checked {
	t.Helper()
	ctx := context.Background()
	g, err := loader.Load(ctx, loader.Config{Dir: dir, Tests: true}, "./...")
	if err != nil {
		t.Fatalf("load %s: %v", dir, err)
	}
	if len(g.Errors) > 0 {
		t.Fatalf("load %s: %v", dir, g.Errors)
	}
	run, err := runner.New(&config.Config{Tests: true}, nil)
	if err != nil {
		t.Fatalf("runner: %v", err)
	}
	var out []checked
	for _, target := range g.Roots {
		pkg, err := g.Check(ctx, target)
		if err != nil {
			t.Fatalf("check %s: %v", target.ID, err)
		}
		if len(pkg.Errors) > 0 {
			t.Fatalf("testdata package %s does not type-check: %v", target.ID, pkg.Errors)
		}
		findings, errs := run.Run(ctx, pkg)
		if len(errs) > 0 {
			t.Fatalf("run %s: %v", target.ID, errs)
		}
		out = append(out, checked{pkg, findings})
	}
	return out
}

// TestGolden computes every fix of every finding in testdata/golden and
// compares the rewritten code with the .golden file beside each input
// file. Every output must parse, type-check, keep every comment, and be
// gofmt-clean when the input was.
func TestGolden(t *testing.T) {
	src, err := filepath.Abs(filepath.Join("testdata", "golden"))
	if err != nil {
		t.Fatal(err)
	}
	dir := copyModule(t, src)
	files := map[string][]runner.Finding{}
	pkgOf := map[string]*loader.Package{}
	for _, c := range load(t, dir) {
		for _, f := range c.findings {
			files[f.Pos.Filename] = append(files[f.Pos.Filename], f)
			pkgOf[f.Pos.Filename] = c.pkg
		}
	}
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	slices.Sort(names)
	matched, expected := 0, 0
	for _, name := range names {
		rel, err := filepath.Rel(dir, name)
		if err != nil {
			t.Fatal(err)
		}
		t.Run(rel, func(t *testing.T) {
			got := strings.ReplaceAll(goldenReport(t, pkgOf[name], name, files[name]), dir+string(filepath.Separator), "")
			golden := filepath.Join(src, strings.TrimSuffix(rel, ".go")+".golden")
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./fixes -update)", err)
			}
			m, e := compareGolden(t, golden, got, string(want))
			matched, expected = matched+m, expected+e
		})
	}
	if !*update && matched*2 < expected {
		t.Errorf("only %d of the %d golden sections were produced: the fixes or the testdata broke", matched, expected)
	}
}

// compareGolden compares the report with the golden one section by
// section ("== line:col rule"). The rules are tuned independently of their
// fixes, so a finding that appears or disappears is logged rather than
// failed; the fixes of every finding present in both must match. It
// returns how many golden sections matched, of how many.
func compareGolden(t *testing.T, golden, got, want string) (matched, expected int) {
	t.Helper()
	g, w := sections(got), sections(want)
	for key, body := range g {
		wb, ok := w[key]
		switch {
		case !ok:
			t.Logf("%s: new section %q (run go test ./fixes -update to record it)", golden, key)
		case wb != body:
			t.Errorf("%s: section %q differs (run go test ./fixes -update and review the diff):\n--- got\n%s--- want\n%s", golden, key, body, wb)
		default:
			matched++
		}
	}
	for key := range w {
		if _, ok := g[key]; !ok {
			t.Logf("%s: section %q no longer produced (a rule changed?)", golden, key)
		}
	}
	return matched, len(w)
}

// sections splits a report into its "== " sections, dropping the "# "
// lines (the rules' messages, which may be reworded).
func sections(report string) map[string]string {
	out := map[string]string{}
	key := ""
	var b strings.Builder
	flush := func() {
		if key != "" {
			out[key] = b.String()
		}
		b.Reset()
	}
	for _, line := range strings.SplitAfter(report, "\n") {
		switch {
		case strings.HasPrefix(line, "== "):
			flush()
			key = strings.TrimSpace(line)
		case strings.HasPrefix(line, "# "):
		default:
			b.WriteString(line)
		}
	}
	flush()
	return out
}

// goldenReport renders every fix of the file's findings, then the result
// of FixAll, as diffs of the input, checking each output.
func goldenReport(t *testing.T, pkg *loader.Package, name string, findings []runner.Finding) string {
	src, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	formatted, err := format.Source(src)
	if err != nil {
		t.Fatal(err)
	}
	clean := string(formatted) == string(src)
	var b strings.Builder
	for _, f := range findings {
		fmt.Fprintf(&b, "== %d:%d %s\n# %s\n", f.Pos.Line, f.Pos.Column, f.Rule, f.Message)
		fixes, err := For(pkg, f, Options{})
		if err != nil {
			fmt.Fprintf(&b, "dropped: %s\n", firstLine(err.Error()))
		}
		for _, fix := range fixes {
			fmt.Fprintf(&b, "-- %s (safe: %v)\n", fix.Title, fix.Safe)
			out, err := Apply(src, fix.Edits)
			if err != nil {
				t.Fatalf("%s: %v", fix.Title, err)
			}
			re := checkOutput(t, pkg, name, src, out, clean, fix.Title)
			if fix.Title == IgnoreTitle(f.Rule) && re != nil {
				checkSuppressed(t, re, name, f.Rule, findings)
			}
			if re != nil {
				re.Release()
			}
			b.WriteString(lineDiff(src, out))
		}
	}
	all, err := FixAll(pkg, findings, Options{})
	if err != nil {
		t.Fatal(err)
	}
	out, err := Apply(src, all.Edits)
	if err != nil {
		t.Fatalf("fix all: %v", err)
	}
	if re := checkOutput(t, pkg, name, src, out, clean, "fix all"); re != nil {
		re.Release()
	}
	var fixed []string
	for _, f := range all.Fixed {
		fixed = append(fixed, fmt.Sprintf("%d:%d", f.Pos.Line, f.Pos.Column))
	}
	fmt.Fprintf(&b, "== fix all: %s\n", strings.Join(fixed, " "))
	b.WriteString(lineDiff(src, out))
	return b.String()
}

// copyModule copies the testdata module to a temporary directory, turning
// .gosrc files (inputs that are deliberately not gofmt-clean, which the
// repository's gofmt check must not see) into .go files.
func copyModule(t *testing.T, src string) string {
	t.Helper()
	dst := t.TempDir()
	err := filepath.WalkDir(src, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		if strings.HasSuffix(rel, ".golden") {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if base, ok := strings.CutSuffix(rel, ".gosrc"); ok {
			rel = base + ".go"
		}
		return os.WriteFile(filepath.Join(dst, rel), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

// amended reports whether a failfast:ignore directive survives with more
// rules named (the Ignore fix adds its rule to a directive above the line).
func amended(directive string, have map[string]int) bool {
	old := strings.Fields(directive)
	if len(old) < 2 || old[0] != "//failfast:ignore" {
		return false
	}
	for c, n := range have {
		if n > 0 && strings.HasPrefix(c, directive+" ") {
			return true // a reason was added
		}
		now := strings.Fields(c)
		if n > 0 && len(now) >= 2 && len(now) == len(old) && now[0] == old[0] && strings.HasPrefix(now[1], old[1]+",") &&
			slices.Equal(now[2:], old[2:]) {
			return true
		}
	}
	return false
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return s
}

// checkOutput checks that a fixed file parses, type-checks in its package,
// keeps every comment of the input and is gofmt-clean when the input was.
func checkOutput(t *testing.T, pkg *loader.Package, name string, src, out []byte, clean bool, title string) *loader.Package {
	t.Helper()
	fset := token.NewFileSet()
	in, err := parser.ParseFile(fset, name, src, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	f, err := parser.ParseFile(fset, name, out, parser.ParseComments)
	if err != nil {
		t.Errorf("%s: output does not parse: %v\n%s", title, err, out)
		return nil
	}
	if clean {
		if formatted, err := format.Source(out); err != nil || string(formatted) != string(out) {
			t.Errorf("%s: output is not gofmt-clean:\n%s", title, out)
		}
	}
	have := map[string]int{}
	for _, cg := range f.Comments {
		for _, c := range cg.List {
			have[c.Text]++
		}
	}
	for _, cg := range in.Comments {
		for _, c := range cg.List {
			if have[c.Text] == 0 && !amended(c.Text, have) {
				t.Errorf("%s: comment %q is lost", title, c.Text)
			}
			have[c.Text]--
		}
	}
	re, err := pkg.CheckWith(context.Background(), map[string][]byte{name: out})
	if err != nil {
		t.Fatal(err)
	}
	if len(re.Errors) > 0 {
		t.Errorf("%s: output does not type-check: %v\n%s", title, re.Errors, out)
	}
	return re
}

// checkSuppressed checks that after an Ignore fix the file has one finding
// of rule fewer and no malformed directive.
func checkSuppressed(t *testing.T, re *loader.Package, name, rule string, before []runner.Finding) {
	t.Helper()
	run, err := runner.New(&config.Config{Tests: true}, nil)
	if err != nil {
		t.Fatal(err)
	}
	after, errs := run.Run(context.Background(), re)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	count := func(fs []runner.Finding, id string) int {
		n := 0
		for _, f := range fs {
			if f.Rule == id && f.Pos.Filename == name {
				n++
			}
		}
		return n
	}
	if b, a := count(before, rule), count(after, rule); a != b-1 {
		t.Errorf("ignore %s: %d findings before, %d after", rule, b, a)
	}
	if b, a := count(before, "invalid-directive"), count(after, "invalid-directive"); a > b {
		t.Errorf("ignore %s: the directive is reported as malformed", rule)
	}
}

// lineDiff renders the changed lines of out against src, with their line
// numbers in src.
func lineDiff(src, out []byte) string {
	edits, err := lineEdits("", src, out)
	if err != nil {
		return "error: " + err.Error() + "\n"
	}
	var b strings.Builder
	for _, e := range edits {
		line := strings.Count(string(src[:e.Start]), "\n") + 1
		fmt.Fprintf(&b, "@@ %d\n", line)
		for _, l := range splitLines(string(src[e.Start:e.End])) {
			b.WriteString("-" + l + "\n")
		}
		for _, l := range splitLines(e.NewText) {
			b.WriteString("+" + l + "\n")
		}
	}
	return b.String()
}

func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(strings.TrimSuffix(s, "\n"), "\n")
}
