// Package editortest holds what the tests of the editor integrations
// share: finding the client (skipping without it, failing under CI=true),
// building the failfast binary, copying the demo workspace and running a
// command with a hard timeout.
package editortest

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
	"time"
)

// Need stops a test whose tool is missing: it skips, saying why and how
// to install the tool, or fails when CI=true, where every tool must be
// there.
func Need(t testing.TB, tool, why, install string) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf("CI=true and %s is missing: %s (%s)", tool, why, install)
	}
	t.Skipf("%s is missing: %s (%s)", tool, why, install)
}

// Run runs name with args in dir, killed after timeout, and returns its
// combined output; the error says when the timeout was the cause.
func Run(timeout time.Duration, dir, name string, args ...string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	cmd.WaitDelay = 5 * time.Second
	out, err := cmd.CombinedOutput()
	if ctx.Err() != nil {
		err = fmt.Errorf("timed out after %s: %w", timeout, err)
	}
	return out, err
}

// Root is the repository's root directory.
func Root(t testing.TB) string {
	t.Helper()
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		t.Fatal("cannot tell where editortest's source is")
	}
	return filepath.Dir(filepath.Dir(filepath.Dir(file)))
}

// BuildFailfast builds the failfast binary into dir and returns its path.
func BuildFailfast(t testing.TB, dir string) string {
	t.Helper()
	bin := filepath.Join(dir, "failfast")
	if out, err := Run(3*time.Minute, Root(t), "go", "build", "-o", bin, "./cmd/failfast"); err != nil {
		t.Fatalf("step: build failfast: %v\n%s", err, out)
	}
	return bin
}

// CopyDemo copies testdata/demo into a new temporary directory and
// returns the copy's path.
func CopyDemo(t testing.TB) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "demo")
	if err := os.CopyFS(dst, os.DirFS(filepath.Join(Root(t), "testdata", "demo"))); err != nil {
		t.Fatalf("copying testdata/demo: %v", err)
	}
	return dst
}
