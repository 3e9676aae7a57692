package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/failfast-dev/failfast/rules"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// binary is the failfast command built once for all tests: they run the real
// program, as a user or a CI job would.
var binary string

func TestMain(m *testing.M) {
	flag.Parse()
	dir, err := os.MkdirTemp("", "failfast-test")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "failfast")
	out, err := exec.Command("go", "build", "-o", binary, ".").CombinedOutput()
	if err != nil {
		os.RemoveAll(dir)
		panic("go build: " + err.Error() + "\n" + string(out))
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// failfast runs the binary in dir and returns stdout, stderr and the exit status.
func failfast(t *testing.T, dir string, args ...string) (string, string, int) {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Dir = dir
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var ee *exec.ExitError
	switch {
	case err == nil:
		return stdout.String(), stderr.String(), 0
	case errors.As(err, &ee):
		return stdout.String(), stderr.String(), ee.ExitCode()
	}
	t.Fatalf("run failfast %v: %v", args, err)
	return "", "", -1
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./cmd/failfast -update)", err)
	}
	if got != string(want) {
		t.Errorf("output differs from %s (run go test ./cmd/failfast -update and review the diff):\n--- got\n%s", path, got)
	}
}

func TestCheckDemoGolden(t *testing.T) {
	for _, tc := range []struct {
		name   string
		args   []string
		golden string
	}{
		{"text", []string{"check", "-C", "../../testdata/demo"}, "demo.txt"},
		{"json", []string{"check", "-json", "-C", "../../testdata/demo", "./..."}, "demo.json"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			stdout, stderr, code := failfast(t, ".", tc.args...)
			if code != 1 {
				t.Errorf("exit status %d, want 1 (findings); stderr:\n%s", code, stderr)
			}
			if stderr != "" {
				t.Errorf("unexpected stderr:\n%s", stderr)
			}
			golden(t, tc.golden, stdout)
		})
	}
}

func TestCheckExitStatus(t *testing.T) {
	clean := t.TempDir()
	write(t, clean, "go.mod", "module example.com/clean\n\ngo 1.22\n")
	write(t, clean, "clean.go", "package clean\n\n// Add adds.\nfunc Add(a, b int) int { return a + b }\n")
	if stdout, stderr, code := failfast(t, clean, "check", "./..."); code != 0 || stdout != "" {
		t.Errorf("clean module: status %d, stdout %q, stderr %q; want 0 and no output", code, stdout, stderr)
	}
	if stdout, _, code := failfast(t, clean, "check", "-json"); code != 0 || strings.TrimSpace(stdout) != "{\n  \"findings\": []\n}" {
		t.Errorf("clean module -json: status %d, stdout %q; want 0 and an empty findings array", code, stdout)
	}
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"unknown rule", []string{"check", "-rules", "no-such-rule"}, `unknown rule "no-such-rule"`},
		{"bad flag", []string{"check", "-frobnicate"}, "flag provided but not defined"},
		{"missing package", []string{"check", "./does/not/exist"}, "does/not/exist"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, stderr, code := failfast(t, clean, tc.args...)
			if code != 2 || !strings.Contains(stderr, tc.want) {
				t.Errorf("status %d, stderr %q; want 2 and %q", code, stderr, tc.want)
			}
		})
	}
}

// TestCheckFindsNothingInFailfast runs failfast on its own module: the
// tool holds itself to its rules (a deliberate drop says why, with a
// directive).
func TestCheckFindsNothingInFailfast(t *testing.T) {
	stdout, stderr, code := failfast(t, "../..", "check", "./...")
	if code != 0 || stdout != "" {
		t.Errorf("failfast check ./... on failfast: status %d, want 0 and no findings:\n%s%s", code, stdout, stderr)
	}
}

func TestCheckBadSettingsNamesFileAndLine(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "go.mod", "module example.com/m\n\ngo 1.22\n")
	write(t, dir, "m.go", "package m\n")
	write(t, dir, ".failfast.yaml", "rules:\n  discarded-error: loud\n")
	_, stderr, code := failfast(t, dir, "check")
	if code != 2 || !strings.Contains(stderr, ".failfast.yaml:2: rules.discarded-error") {
		t.Errorf("status %d, stderr %q; want 2 and the file, line and key", code, stderr)
	}
}

func TestCheckOutsideModuleSaysSoOnce(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "main.go", "package main\n\nimport (\n\t\"os\"\n\t\"strings\"\n)\n\nfunc main() {\n\tparts := strings.Split(os.Getenv(\"PAIR\"), \"=\")\n\tprintln(parts[1])\n}\n")
	write(t, dir, "sub/sub.go", "package sub\n")
	stdout, stderr, code := failfast(t, dir, "check", "./...")
	if code != 1 || !strings.Contains(stdout, "main.go:10:10:") {
		t.Errorf("status %d, stdout %q; want 1 and the unchecked index found from syntax and std types", code, stdout)
	}
	if n := strings.Count(stderr, "outside any Go module"); n != 1 {
		t.Errorf("the syntax-only notice appears %d times in %q, want once", n, stderr)
	}
}

func TestRulesExplainVersionHelp(t *testing.T) {
	stdout, _, code := failfast(t, ".", "rules")
	if code != 0 || !strings.Contains(stdout, "unchecked-type-assertion") || !strings.Contains(stdout, "SEVERITY") {
		t.Errorf("rules: status %d, output %q", code, stdout)
	}
	stdout, _, code = failfast(t, ".", "explain", "swallowed-recover")
	if code != 0 || !strings.HasPrefix(stdout, "# swallowed-recover\n") {
		t.Errorf("explain: status %d, output %q", code, stdout)
	}
	if _, stderr, code := failfast(t, ".", "explain", "nope"); code != 2 || !strings.Contains(stderr, `unknown rule "nope"`) {
		t.Errorf("explain nope: status %d, stderr %q", code, stderr)
	}
	if stdout, _, code := failfast(t, ".", "version"); code != 0 || !strings.HasPrefix(stdout, "failfast ") {
		t.Errorf("version: status %d, output %q", code, stdout)
	}
	for _, args := range [][]string{{"help"}, {"-h"}, {"help", "check"}, {"check", "-h"}} {
		stdout, stderr, code := failfast(t, ".", args...)
		if code != 0 || !strings.Contains(stdout+stderr, "check") {
			t.Errorf("%v: status %d, output %q", args, code, stdout+stderr)
		}
	}
}

func write(t *testing.T, dir, name, content string) {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// copyDemo copies testdata/demo into a new temporary directory.
func copyDemo(t *testing.T) string {
	t.Helper()
	dst := t.TempDir()
	src := filepath.Join("..", "..", "testdata", "demo")
	entries, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		write(t, dst, e.Name(), string(data))
	}
	return dst
}

func TestCheckFixLeavesABuildingTreeWithFewerFindings(t *testing.T) {
	dir := copyDemo(t)
	before, _, _ := failfast(t, dir, "check")
	diff, _, code := failfast(t, dir, "check", "-diff")
	if code != 1 || !strings.Contains(diff, "+++ b/handlers.go") {
		t.Fatalf("-diff: status %d, output:\n%s", code, diff)
	}
	if again, _, _ := failfast(t, dir, "check"); again != before {
		t.Fatal("-diff changed the files")
	}
	remaining, stderr, _ := failfast(t, dir, "check", "-fix")
	if !strings.Contains(stderr, "failfast: fixed ") {
		t.Errorf("-fix did not say what it fixed: %q", stderr)
	}
	build := exec.Command("go", "build", "./...")
	build.Dir = dir
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("the fixed tree does not build: %v\n%s", err, out)
	}
	after, _, _ := failfast(t, dir, "check")
	if after != remaining {
		t.Errorf("-fix printed\n%s\nbut a new check reports\n%s", remaining, after)
	}
	if n, m := strings.Count(after, "\n"), strings.Count(before, "\n"); n >= m {
		t.Errorf("%d findings after -fix, %d before; want fewer", n, m)
	}
	if matches, _ := filepath.Glob(filepath.Join(dir, ".*failfast-*")); len(matches) > 0 {
		t.Errorf("temporary files left behind: %v", matches)
	}
}

// TestCheckFixInterruptedLeavesFilesWhole interrupts check -fix at several
// moments: every file must then be either as it was or exactly as a
// complete -fix run leaves it, never half-written.
func TestCheckFixInterruptedLeavesFilesWhole(t *testing.T) {
	fixedDir := copyDemo(t)
	failfast(t, fixedDir, "check", "-fix")
	names, err := filepath.Glob(filepath.Join(fixedDir, "*.go"))
	if err != nil || len(names) == 0 {
		t.Fatalf("no Go files in the demo copy: %v", err)
	}
	for _, delay := range []time.Duration{0, 20 * time.Millisecond, 100 * time.Millisecond, 300 * time.Millisecond} {
		dir := copyDemo(t)
		cmd := exec.Command(binary, "check", "-fix")
		cmd.Dir = dir
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(delay)
		if err := cmd.Process.Signal(os.Interrupt); err != nil && !errors.Is(err, os.ErrProcessDone) {
			t.Fatal(err)
		}
		_ = cmd.Wait() // the status depends on when the signal landed; the files are what matter
		for _, name := range names {
			base := filepath.Base(name)
			got, err := os.ReadFile(filepath.Join(dir, base))
			if err != nil {
				t.Fatal(err)
			}
			orig, err := os.ReadFile(filepath.Join("..", "..", "testdata", "demo", base))
			if err != nil {
				t.Fatal(err)
			}
			fixed, err := os.ReadFile(name)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, orig) && !bytes.Equal(got, fixed) {
				t.Errorf("interrupted after %v: %s is neither the original nor the fixed file", delay, base)
			}
		}
		if leftovers, _ := filepath.Glob(filepath.Join(dir, ".*failfast-*")); len(leftovers) > 0 {
			t.Errorf("interrupted after %v: temporary files left behind: %v", delay, leftovers)
		}
	}
}

// TestReadmeShowsDemoOutput checks that the README's copy of the demo's
// output is the current one, and that the demo shows every rule.
func TestReadmeShowsDemoOutput(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	demo, err := os.ReadFile(filepath.Join("testdata", "demo.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(readme), "```\n"+string(demo)+"```\n") {
		t.Errorf("README.md does not show the demo's output as in cmd/failfast/testdata/demo.txt; copy it into the block after the <!-- demo output --> comment")
	}
	for _, id := range rules.IDs() {
		if !strings.Contains(string(demo), "("+id+")") {
			t.Errorf("the demo shows no finding of %s", id)
		}
	}
}

// TestCheckSettlesNilNilAcrossPackages checks that check drops a
// nil-nil-return finding whose callers, all in another package, test the
// result for nil, keeps one that a caller there dereferences unchecked
// (naming that use), and keeps one that no caller reaches.
func TestCheckSettlesNilNilAcrossPackages(t *testing.T) {
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS(filepath.Join("..", "..", "testdata", "settle"))); err != nil {
		t.Fatal(err)
	}
	stdout, stderr, code := failfast(t, dir, "check", "-json", "./...")
	if code != 1 {
		t.Fatalf("status %d, want 1; stderr:\n%s", code, stderr)
	}
	var report struct {
		Findings []struct {
			File    string `json:"file"`
			Line    int    `json:"line"`
			Rule    string `json:"rule"`
			Related []struct {
				File string `json:"file"`
				Line int    `json:"line"`
			} `json:"related"`
		} `json:"findings"`
	}
	if err := json.Unmarshal([]byte(stdout), &report); err != nil {
		t.Fatalf("decoding the report: %v\n%s", err, stdout)
	}
	var got []string
	for _, f := range report.Findings {
		if f.Rule != "nil-nil-return" {
			continue
		}
		s := fmt.Sprintf("%s:%d", f.File, f.Line)
		for _, r := range f.Related {
			s += fmt.Sprintf(" <- %s:%d", r.File, r.Line)
		}
		got = append(got, s)
	}
	want := []string{"store/store.go:30 <- ui/ui.go:24", "store/store.go:45"}
	if !slices.Equal(got, want) {
		t.Errorf("nil-nil-return findings %q, want %q", got, want)
	}
}

// TestCheckKnowsNilSafeStandardMethods checks that check, which has no
// facts for the standard library, takes (*runtime.Func).Name as nil-safe
// (the nil-safe list) and still reports Entry, which dereferences a nil
// Func, on runtime.FuncForPC's result.
func TestCheckKnowsNilSafeStandardMethods(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "go.mod", "module example.com/ns\n\ngo 1.22\n")
	write(t, dir, "caller.go", `// Package ns names callers.
package ns

import "runtime"

// Name is "" for an unknown pc.
func Name(pc uintptr) string {
	return runtime.FuncForPC(pc).Name()
}

// Entry panics for an unknown pc.
func Entry(pc uintptr) uintptr {
	return runtime.FuncForPC(pc).Entry()
}
`)
	stdout, stderr, code := failfast(t, dir, "check", "./...")
	if code != 1 {
		t.Fatalf("status %d, want 1; stderr:\n%s", code, stderr)
	}
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if len(lines) != 1 || !strings.HasPrefix(lines[0], "caller.go:13:") || !strings.Contains(lines[0], "(unchecked-nil-result)") {
		t.Errorf("findings:\n%s\nwant one unchecked-nil-result at caller.go:13 (Entry)", stdout)
	}
}
