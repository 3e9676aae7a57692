package runner

import (
	"context"
	"go/ast"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"

	"github.com/failfast-dev/failfast/config"
	"github.com/failfast-dev/failfast/loader"
	"github.com/failfast-dev/failfast/rules"
	"github.com/failfast-dev/failfast/rules/spec"
)

const src = `package m

import "strings"

// Second returns the part after the first '='.
func Second(s string) string {
	parts := strings.Split(s, "=")
	return parts[1]
}

// Ignored is suppressed with a reason.
func Ignored(s string) string {
	parts := strings.Split(s, "=")
	return parts[1] //failfast:ignore unchecked-index the caller validated s
}

//failfast:ignore unchecked-index
func NoReason() {}
`

func loadModule(t testing.TB, files map[string]string) (*loader.Graph, *loader.Package) {
	t.Helper()
	dir := writeModule(t, files)
	ctx := context.Background()
	g, err := loader.Load(ctx, loader.Config{Dir: dir}, "./...")
	if err != nil {
		t.Fatal(err)
	}
	p, err := g.Check(ctx, g.Roots[0])
	if err != nil {
		t.Fatal(err)
	}
	return g, p
}

// writeModule writes files (names relative to the module root) into a new
// directory and returns it.
func writeModule(t testing.TB, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// panicky is a rule whose analyzer always panics.
var panicky = &spec.Rule{
	ID: "always-panics", Severity: spec.Error, Summary: "test rule",
	New: func(*spec.Options) *analysis.Analyzer {
		return &analysis.Analyzer{Name: "always_panics", Doc: "panics", Run: func(*analysis.Pass) (any, error) {
			var m map[string]*ast.File
			return m["x"].Name, nil // a nil dereference
		}}
	},
}

func TestPanickingRuleIsReportedNotFatal(t *testing.T) {
	_, pkg := loadModule(t, map[string]string{"go.mod": "module example.com/m\n\ngo 1.22\n", "m.go": src})
	idx, ok := rules.Lookup("unchecked-index")
	if !ok {
		t.Fatal("unchecked-index is not registered")
	}
	r, err := New(&config.Config{}, []*spec.Rule{panicky, idx})
	if err != nil {
		t.Fatal(err)
	}
	findings, errs := r.Run(context.Background(), pkg)
	if len(errs) != 1 || !strings.Contains(errs[0].Error(), "always-panics") || !strings.Contains(errs[0].Error(), "goroutine") {
		t.Errorf("errors = %v; want one naming the rule, with a stack", errs)
	}
	var got []string
	for _, f := range findings {
		got = append(got, f.Rule+"@"+string(rune('0'+f.Pos.Line/10))+string(rune('0'+f.Pos.Line%10)))
	}
	want := "unchecked-index@08|invalid-directive@17"
	if strings.Join(got, "|") != want {
		t.Errorf("findings = %v, want %s (the suppressed one on line 14 dropped, the reasonless directive reported)", got, want)
	}
}

func TestSettingsApply(t *testing.T) {
	_, pkg := loadModule(t, map[string]string{"go.mod": "module example.com/m\n\ngo 1.22\n", "m.go": src})
	cfg := &config.Config{Rules: map[string]string{"unchecked-index": "hint"}}
	r, err := New(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	findings, errs := r.Run(context.Background(), pkg)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	for _, f := range findings {
		if f.Rule == "unchecked-index" && f.Severity != spec.Hint {
			t.Errorf("severity %q, want hint from the settings", f.Severity)
		}
	}
	cfg = &config.Config{Rules: map[string]string{"unchecked-index": "off"}}
	if r, err = New(cfg, nil); err != nil {
		t.Fatal(err)
	}
	findings, _ = r.Run(context.Background(), pkg)
	for _, f := range findings {
		if f.Rule == "unchecked-index" {
			t.Errorf("unchecked-index is off but reported: %v", f)
		}
	}
}

// BenchmarkRecheckPackage measures what the language server pays per edit:
// parse and type-check one package against loaded export data, then run
// every rule. The go command is not involved.
func BenchmarkRecheckPackage(b *testing.B) {
	demo, err := filepath.Abs(filepath.Join("..", "testdata", "demo"))
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	g, err := loader.Load(ctx, loader.Config{Dir: demo}, "./...")
	if err != nil {
		b.Fatal(err)
	}
	r, err := New(&config.Config{}, nil)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		pkg, err := g.Check(ctx, g.Roots[0])
		if err != nil {
			b.Fatal(err)
		}
		if findings, errs := r.Run(ctx, pkg); len(findings) == 0 || len(errs) > 0 {
			b.Fatalf("%d findings, errors %v", len(findings), errs)
		}
	}
}
