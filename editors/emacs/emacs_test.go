// Package emacs tests failfast.el with Eglot end to end: it builds the failfast binary, copies
// testdata/demo, and runs `emacs --batch` with testdata/eglot-test.el, which loads Eglot and
// failfast.el, opens handlers.go (in a one-line go-mode when Emacs has none), connects Eglot to
// `failfast serve`, waits for failfast's diagnostics in Flymake (with one rule turned off in the
// settings, to show they reached the server), asks for the code actions at a diagnostic, checks
// that each carries its edit (Eglot 1.9 cannot resolve code actions), applies the preferred quick
// fix, saves, then saves again with failfast-fix-all-on-save-mode (source.fixAll.failfast), and
// shuts the server down. The test then builds the edited module with `go build ./...` and checks
// with `failfast check -json` that the fixed findings are gone from the file on disk.
//
// It needs emacs and Eglot (Debian 12: apt-get install -y emacs-nox elpa-eglot). Without them it
// skips, unless CI=true, where it fails.
package emacs

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/failfast-dev/failfast/editors/editortest"
)

// Hard limits. The Lisp script has its own per-step deadlines and a 150 s one for the run.
const (
	emacsTimeout = 180 * time.Second
	buildTimeout = 180 * time.Second
)

const eglotInstall = "Debian 12: apt-get install -y emacs-nox elpa-eglot"

type finding struct {
	File string `json:"file"`
	Line int    `json:"line"`
	Rule string `json:"rule"`
}

func TestEglot(t *testing.T) {
	emacs, err := exec.LookPath("emacs")
	if err != nil {
		editortest.Need(t, "emacs", "no emacs on PATH", eglotInstall)
	}
	// Eglot: built in from Emacs 29, a package (elpa-eglot) before.
	out, err := editortest.Run(30*time.Second, ".", emacs, "--batch", "--eval",
		`(progn (require 'package) (package-initialize) (princ (if (locate-library "eglot") "eglot:yes" "eglot:no")))`)
	if err != nil {
		t.Fatalf("step: ask emacs for eglot: %v\n%s", err, out)
	}
	if !bytes.Contains(out, []byte("eglot:yes")) {
		editortest.Need(t, "eglot", "emacs cannot load eglot", eglotInstall)
	}

	bin := editortest.BuildFailfast(t, t.TempDir())
	module := editortest.CopyDemo(t)
	original, err := os.ReadFile(filepath.Join(module, "handlers.go"))
	if err != nil {
		t.Fatal(err)
	}
	lispDir, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	script := filepath.Join(lispDir, "testdata", "eglot-test.el")

	start := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), emacsTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, emacs, "--batch", "-l", script, lispDir, bin, module)
	cmd.Dir = module
	cmd.WaitDelay = 5 * time.Second
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	runErr := cmd.Run()
	elapsed := time.Since(start)

	step, results := "(none)", map[string]string{}
	for _, line := range strings.Split(stdout.String(), "\n") {
		if s, ok := strings.CutPrefix(line, "STEP "); ok {
			step = s
		} else if r, ok := strings.CutPrefix(line, "RESULT "); ok {
			k, v, _ := strings.Cut(r, " ")
			results[k] = v
		}
	}
	if ctx.Err() != nil {
		t.Fatalf("emacs timed out after %s in step %q\nstdout:\n%s\nstderr:\n%s", emacsTimeout, step, stdout.String(), stderr.String())
	}
	if runErr != nil || !strings.Contains(stdout.String(), "\nOK\n") {
		t.Fatalf("emacs failed in step %q: %v\nstdout:\n%s\nstderr:\n%s", step, runErr, stdout.String(), stderr.String())
	}
	t.Logf("eglot %s, %s in %s", results["eglot-version"], results["server"], elapsed.Round(time.Millisecond))
	for _, k := range []string{"before", "actions", "applied", "after-fix", "after-fix-all", "server-exit"} {
		t.Logf("%-13s %s", k, results[k])
	}

	if before := results["before"]; !strings.Contains(before, "unchecked-type-assertion") ||
		!strings.Contains(before, "discarded-error") || strings.Contains(before, "unchecked-map-lookup") {
		t.Errorf("diagnostics before the fixes: want unchecked-type-assertion and discarded-error and no unchecked-map-lookup (turned off in the settings), got %q", before)
	}
	if got := results["server-exit"]; got != "0" {
		t.Errorf("failfast exited with status %q after shutdown and exit, want 0", got)
	}

	fixed, err := os.ReadFile(filepath.Join(module, "handlers.go"))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(fixed, original) {
		t.Fatalf("step: file on disk: handlers.go is unchanged after the fixes and saves")
	}
	if out, err := editortest.Run(buildTimeout, module, "go", "build", "./..."); err != nil {
		t.Fatalf("step: go build ./... of the fixed module: %v\n%s\nhandlers.go:\n%s", err, out, fixed)
	}
	out, err = editortest.Run(buildTimeout, module, bin, "check", "-json")
	if err != nil && !bytes.Contains(out, []byte(`"findings"`)) {
		t.Fatalf("step: failfast check -json of the fixed module: %v\n%s", err, out)
	}
	var report struct{ Findings []finding }
	if i := bytes.IndexByte(out, '{'); i < 0 {
		t.Fatalf("step: failfast check -json printed no JSON:\n%s", out)
	} else if err := json.Unmarshal(out[i:], &report); err != nil {
		t.Fatalf("step: decode failfast check -json: %v\n%s", err, out)
	}
	for _, f := range report.Findings {
		if filepath.Base(f.File) == "handlers.go" && f.Rule != "unchecked-map-lookup" {
			t.Errorf("after fix-all on save, handlers.go still has %s at line %d", f.Rule, f.Line)
		}
	}
}
