package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// vetLine is a finding as go vet prints it: ./file.go:LINE:COL: message.
// Lines whose message starts with a tab are a finding's related places.
var vetLine = regexp.MustCompile(`^\./([^:]+):(\d+):(\d+): (.*)$`)

// goVet runs go vet with the test binary as its tool in dir and returns
// its findings as "file:line:col: message" lines, sorted.
func goVet(t *testing.T, dir string) []string {
	t.Helper()
	cmd := exec.Command("go", "vet", "-vettool="+binary, "./...")
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	var ee *exec.ExitError
	if err != nil && !(errors.As(err, &ee) && ee.ExitCode() == 1) {
		t.Fatalf("go vet: %v\n%s", err, out)
	}
	var got []string
	for line := range strings.Lines(string(out)) {
		m := vetLine.FindStringSubmatch(strings.TrimRight(line, "\n"))
		if m == nil || strings.HasPrefix(m[4], "\t") {
			continue
		}
		got = append(got, fmt.Sprintf("%s:%s:%s: %s", m[1], m[2], m[3], m[4]))
	}
	slices.Sort(got)
	return got
}

// checkLines runs failfast check -json in dir and returns its findings in
// goVet's form.
func checkLines(t *testing.T, dir string) []string {
	t.Helper()
	stdout, stderr, code := failfast(t, dir, "check", "-json", "./...")
	if code > 1 {
		t.Fatalf("check: status %d\n%s", code, stderr)
	}
	var out struct {
		Findings []struct {
			File         string
			Line, Column int
			Rule         string
			Message      string
		}
	}
	if err := json.Unmarshal([]byte(stdout), &out); err != nil {
		t.Fatalf("check -json: %v", err)
	}
	var want []string
	for _, f := range out.Findings {
		want = append(want, fmt.Sprintf("%s:%d:%d: %s (%s)", f.File, f.Line, f.Column, f.Message, f.Rule))
	}
	slices.Sort(want)
	return want
}

// TestGoVetTool runs go vet -vettool=failfast on the demo: it reports what
// check reports, and follows .failfast.yaml, also when the settings change
// between two runs (vet's result cache is keyed by the tool's -V=full).
func TestGoVetTool(t *testing.T) {
	dir := copyDemo(t)
	want := checkLines(t, dir)
	if len(want) == 0 {
		t.Fatal("check found nothing in the demo")
	}
	got := goVet(t, dir)
	if !slices.Equal(got, want) {
		t.Errorf("go vet -vettool differs from check -json\n--- vet\n%s\n--- check\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	write(t, dir, ".failfast.yaml", "rules:\n  silent-default: off\nexclude:\n  - worker.go\n")
	want = checkLines(t, dir)
	got = goVet(t, dir)
	if !slices.Equal(got, want) {
		t.Errorf("with settings, go vet -vettool differs from check -json\n--- vet\n%s\n--- check\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, l := range got {
		if strings.HasSuffix(l, "(silent-default)") || strings.HasPrefix(l, "worker.go:") {
			t.Errorf("go vet reports what .failfast.yaml turns off or excludes: %s", l)
		}
	}

	write(t, dir, ".failfast.yaml", "rules:\n  no-such-rule: off\n")
	cmd := exec.Command("go", "vet", "-vettool="+binary, "./...")
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err == nil || !strings.Contains(string(out), "no-such-rule") {
		t.Errorf("go vet with a bad .failfast.yaml: err %v, want a failure naming the bad rule; output:\n%s", err, out)
	}
}

// TestGoInstallName checks that go install of this package installs a
// binary named failfast (the name editors and go vet -vettool look for).
func TestGoInstallName(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", "{{.Target}}", ".").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	target := strings.TrimSpace(string(out))
	if name := strings.TrimSuffix(filepath.Base(target), ".exe"); name != "failfast" {
		t.Errorf("go install would install %s, want a binary named failfast", target)
	}
}

// TestCheckSaysAnImportIsMissing checks that a package whose import the go
// command cannot find is not reported as clean: check names the import and
// exits 2, since the package was analysed without that import's types.
func TestCheckSaysAnImportIsMissing(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "go.mod", "module example.com/u\n\ngo 1.22\n")
	write(t, dir, "u.go", "package u\n\nimport \"example.com/nowhere\"\n\nfunc F() { nowhere.X() }\n")
	_, stderr, code := failfast(t, dir, "check", "./...")
	if code != 2 || !strings.Contains(stderr, `import "example.com/nowhere"`) {
		t.Errorf("check with a missing import: status %d, stderr %q; want 2 and the import named", code, stderr)
	}
}
