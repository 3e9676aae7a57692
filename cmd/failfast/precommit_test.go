package main

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestPreCommitHook runs the repository's .pre-commit-hooks.yaml with the
// real pre-commit (Debian's package) on a git repository made from the
// demo: the hook fails the commit with the findings, and passes once
// failfast check -fix has fixed them. worker.go stays out of the copy: its
// one finding has only a fix that is not safe, so -fix leaves it.
func TestPreCommitHook(t *testing.T) {
	if _, err := exec.LookPath("pre-commit"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("pre-commit is not installed (CI=true: apt-get install pre-commit)")
		}
		t.Skip("pre-commit is not installed (apt-get install pre-commit, or pip install pre-commit)")
	}
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, name := range []string{"go.mod", "config.go", "handlers.go", "store.go"} {
		data, err := os.ReadFile(filepath.Join(root, "testdata", "demo", name))
		if err != nil {
			t.Fatal(err)
		}
		write(t, dir, name, string(data))
	}
	// pre-commit builds the hook with a GOPATH of its own; without
	// GOMODCACHE it would download every module of failfast again into it
	// (hundreds of megabytes of a CI machine's disk, and the time to fetch them).
	modcache, err := exec.Command("go", "env", "GOMODCACHE").Output()
	if err != nil {
		t.Fatalf("go env GOMODCACHE: %v", err)
	}
	env := append(os.Environ(),
		"GOMODCACHE="+strings.TrimSpace(string(modcache)),
		"PRE_COMMIT_HOME="+t.TempDir(), // a fresh hook environment, built from root
		"GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com",
		"GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com")
	run := func(name string, args ...string) (string, error) {
		t.Helper()
		cmd := exec.Command(name, args...)
		cmd.Dir, cmd.Env = dir, env
		cmd.WaitDelay = time.Second
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	commitAll := func() {
		t.Helper()
		for _, args := range [][]string{{"add", "-A"}, {"commit", "-q", "-m", "demo"}} {
			if out, err := run("git", args...); err != nil {
				t.Fatalf("git %v: %v\n%s", args, err, out)
			}
		}
	}
	if out, err := run("git", "init", "-q"); err != nil {
		t.Fatalf("git init: %v\n%s", err, out)
	}
	commitAll()

	out, err := run("pre-commit", "try-repo", root, "failfast", "--all-files")
	var ee *exec.ExitError
	if !errors.As(err, &ee) {
		t.Fatalf("pre-commit on the demo: %v, want the hook to fail\n%s", err, out)
	}
	for _, want := range []string{"failfast......", "Failed", "(discarded-error)", "(unchecked-index)"} {
		if !strings.Contains(out, want) {
			t.Errorf("pre-commit output lacks %q:\n%s", want, out)
		}
	}

	if stdout, stderr, code := failfast(t, dir, "check", "-fix"); code != 0 {
		t.Fatalf("check -fix left findings (status %d):\n%s%s", code, stdout, stderr)
	}
	commitAll()
	if out, err := run("pre-commit", "try-repo", root, "failfast", "--all-files"); err != nil || !strings.Contains(out, "Passed") {
		t.Errorf("pre-commit after check -fix: %v, want the hook to pass\n%s", err, out)
	}
}
