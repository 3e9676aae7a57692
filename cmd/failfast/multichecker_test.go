package main

import (
	"errors"
	"fmt"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// checkerLine is a finding as multichecker prints it: /abs/file.go:L:C: message.
var checkerLine = regexp.MustCompile(`^(/[^:]+):(\d+):(\d+): (.*)$`)

// TestMultichecker builds testdata/multichecker, a driver made of nothing
// but golang.org/x/tools' multichecker and runner.Analyzers (what a Bazel
// nogo target is given), and runs it on the demo: it reports what check
// reports, so the analyzers and their facts depend on no failfast driver.
func TestMultichecker(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "multichecker")
	if out, err := exec.Command("go", "build", "-o", bin, "./testdata/multichecker").CombinedOutput(); err != nil {
		t.Fatalf("go build ./testdata/multichecker: %v\n%s", err, out)
	}
	dir := copyDemo(t)
	want := checkLines(t, dir)
	cmd := exec.Command(bin, "./...")
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	var ee *exec.ExitError
	if err != nil && !(errors.As(err, &ee) && ee.ExitCode() == 3) { // 3: diagnostics reported
		t.Fatalf("multichecker: %v\n%s", err, out)
	}
	root, err := filepath.EvalSymlinks(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for line := range strings.Lines(string(out)) {
		m := checkerLine.FindStringSubmatch(strings.TrimRight(line, "\n"))
		if m == nil || strings.HasPrefix(m[4], "\t") {
			continue
		}
		file := m[1]
		if rel, err := filepath.Rel(root, file); err == nil {
			file = rel
		} else if rel, err := filepath.Rel(dir, file); err == nil {
			file = rel
		}
		got = append(got, fmt.Sprintf("%s:%s:%s: %s", file, m[2], m[3], m[4]))
	}
	slices.Sort(got)
	if len(got) == 0 || !slices.Equal(got, want) {
		t.Errorf("multichecker differs from check -json\n--- multichecker\n%s\n--- check\n%s\n--- output\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"), out)
	}
}
