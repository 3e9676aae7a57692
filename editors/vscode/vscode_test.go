// Package vscode_test tests the VS Code extension in this directory: it
// builds the failfast binary, runs the extension's Node tests against it
// (`npm test`: binary discovery and settings unit tests, package.json
// against `failfast rules -json`, and a protocol-level end-to-end run of
// `failfast serve` with vscode-languageserver-protocol, the stack VS Code's
// client uses), then packages the linux-x64 .vsix with scripts/package.sh
// and checks what it holds. Real VS Code cannot run here; the extension's
// own vscode-facing code (src/extension.ts) is type-checked and bundled.
//
// Node and npm are needed: without them the test skips, except with
// CI=true, where it fails. node_modules comes from `npm ci --ignore-scripts`
// when missing (no install script is needed: esbuild's binary comes as an
// optional package, and keytar, which vsce wants only for publishing, would
// try to download or compile).
package vscode_test

import (
	"archive/zip"
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/failfast-dev/failfast/editors/editortest"
)

// requireTool finds a program on PATH, skipping (or, under CI, failing)
// when it is missing.
func requireTool(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		editortest.Need(t, name, err.Error()+": the VS Code extension is not tested", "install Node.js 20 and npm")
	}
	return p
}

// run runs a command in dir with a deadline, failing with its output
// and the step's name if it fails.
func run(t *testing.T, step string, timeout time.Duration, dir string, env []string, name string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	cmd.WaitDelay = 5 * time.Second
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &out
	start := time.Now()
	err := cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("%s: did not finish within %v: %s %s\n%s", step, timeout, name, strings.Join(args, " "), out.String())
	}
	if err != nil {
		t.Fatalf("%s: %s %s: %v\n%s", step, name, strings.Join(args, " "), err, out.String())
	}
	t.Logf("%s: %v", step, time.Since(start).Round(time.Millisecond))
	return out.String()
}

func TestExtension(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("scripts/package.sh and the shell-script binaries of the unit tests need a POSIX shell")
	}
	requireTool(t, "node")
	npm := requireTool(t, "npm")
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	root := filepath.Join(dir, "..", "..")

	bin := filepath.Join(t.TempDir(), "failfast")
	run(t, "build failfast", 5*time.Minute, root, nil, "go", "build", "-o", bin, "./cmd/failfast")

	if _, err := os.Stat(filepath.Join(dir, "node_modules", ".bin", "vsce")); err != nil {
		run(t, "npm ci (node_modules was missing)", 5*time.Minute, dir, nil, npm, "ci", "--no-audit", "--no-fund", "--ignore-scripts")
	}

	t.Run("npm test", func(t *testing.T) {
		out := run(t, "npm test", 3*time.Minute, dir, []string{"FAILFAST_BIN=" + bin}, npm, "test")
		if !strings.Contains(out, "# fail 0") || strings.Contains(out, "# pass 0") {
			t.Fatalf("npm test did not report passing tests:\n%s", out)
		}
		if i := strings.Index(out, "# tests"); i >= 0 {
			t.Logf("%s", out[i:])
		}
	})

	t.Run("package linux-x64", func(t *testing.T) {
		outDir := t.TempDir()
		run(t, "scripts/package.sh linux-x64", 8*time.Minute, dir, []string{"OUT_DIR=" + outDir},
			"bash", filepath.Join(dir, "scripts", "package.sh"), "linux-x64")
		matches, err := filepath.Glob(filepath.Join(outDir, "failfast-linux-x64-*.vsix"))
		if err != nil || len(matches) != 1 {
			t.Fatalf("package.sh left %v in %s (err %v), want one failfast-linux-x64-*.vsix", matches, outDir, err)
		}
		zr, err := zip.OpenReader(matches[0])
		if err != nil {
			t.Fatalf("open %s: %v", matches[0], err)
		}
		defer zr.Close()
		files := map[string]*zip.File{}
		for _, f := range zr.File {
			files[f.Name] = f
		}
		// vsce stores the README as readme.md.
		for _, name := range []string{"extension/out/extension.js", "extension/package.json", "extension/readme.md", "extension/bundled/bin/failfast", "extension.vsixmanifest"} {
			if files[name] == nil {
				t.Errorf("%s has no %s", filepath.Base(matches[0]), name)
			}
		}
		if f := files["extension/bundled/bin/failfast"]; f != nil {
			if f.Mode()&0o111 == 0 {
				t.Errorf("bundled binary is not executable: mode %v", f.Mode())
			}
			if f.UncompressedSize64 < 1<<20 {
				t.Errorf("bundled binary is %d bytes: not a Go binary", f.UncompressedSize64)
			}
		}
		for name := range files {
			for _, bad := range []string{"node_modules/", "/src/", "/test/", "out-test/", ".go"} {
				if strings.Contains(name, bad) {
					t.Errorf("%s should not be in the vsix (see .vscodeignore)", name)
				}
			}
		}
		if f := files["extension.vsixmanifest"]; f != nil {
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			var b bytes.Buffer
			_, err = b.ReadFrom(rc)
			rc.Close()
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(b.String(), `TargetPlatform="linux-x64"`) {
				t.Errorf("extension.vsixmanifest names no TargetPlatform=\"linux-x64\":\n%s", b.String())
			}
		}
	})
}
