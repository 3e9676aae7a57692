// Package vim tests the ALE linter for failfast (ale_linters/go/failfast.vim) end to end: it
// builds the failfast binary, copies testdata/demo, and runs a headless Vim (`vim -N -u
// testdata/ale-test.vim -es`) with ALE and this directory on 'runtimepath'. The script opens
// handlers.go, lints it with ALE, waits for failfast's diagnostics in ALE's list
// (ale#engine#GetLoclist) with one rule turned off in g:ale_go_failfast_settings, runs
// :ALECodeAction on an unchecked-type-assertion and picks the quick fix from ALE's menu, writes
// the file and waits for ALE's new diagnostics. The test checks the rule IDs that arrived and
// builds the edited module with `go build ./...`.
//
// It needs vim and ALE (Debian 12: apt-get install -y vim-ale); $FAILFAST_ALE_DIR names ALE's
// directory when it is not /usr/share/vim-ale or under ~/.vim/pack. Without them it skips, unless
// CI=true, where it fails.
package vim

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

// Hard limits: one Vim run (the script's own waits are shorter) and the builds.
const (
	vimTimeout   = 150 * time.Second
	buildTimeout = 180 * time.Second
)

const aleInstall = "Debian 12: apt-get install -y vim-ale"

// aleDir finds ALE: $FAILFAST_ALE_DIR, Debian's vim-ale, or a Vim package.
func aleDir() string {
	candidates := []string{os.Getenv("FAILFAST_ALE_DIR"), "/usr/share/vim-ale"}
	if home, err := os.UserHomeDir(); err == nil {
		for _, kind := range []string{"start", "opt"} {
			m, _ := filepath.Glob(filepath.Join(home, ".vim", "pack", "*", kind, "ale"))
			candidates = append(candidates, m...)
		}
	}
	for _, dir := range candidates {
		if dir == "" {
			continue
		}
		if _, err := os.Stat(filepath.Join(dir, "autoload", "ale", "lsp_linter.vim")); err == nil {
			return dir
		}
	}
	return ""
}

type aleItem struct {
	Lnum int    `json:"lnum"`
	Col  int    `json:"col"`
	Code string `json:"code"`
	Type string `json:"type"`
	Text string `json:"text"`
}

func TestALE(t *testing.T) {
	vim, err := exec.LookPath("vim")
	if err != nil {
		editortest.Need(t, "vim", "no vim on PATH", aleInstall)
	}
	ale := aleDir()
	if ale == "" {
		editortest.Need(t, "ALE", "not in $FAILFAST_ALE_DIR, /usr/share/vim-ale or ~/.vim/pack/*/{start,opt}/ale", aleInstall)
	}
	version, _ := editortest.Run(10*time.Second, ".", vim, "--version")
	version, _, _ = bytes.Cut(version, []byte("\n"))

	here, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()
	bin := editortest.BuildFailfast(t, tmp)
	module := editortest.CopyDemo(t)
	outFile := filepath.Join(tmp, "ale.json")

	start := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), vimTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, vim, "-N", "-u", filepath.Join(here, "testdata", "ale-test.vim"), "-i", "NONE", "-n", "-es")
	cmd.Dir = module
	cmd.WaitDelay = 5 * time.Second
	cmd.Env = append(os.Environ(),
		"FAILFAST_ALE_DIR="+ale, "FAILFAST_VIM_DIR="+here, "FAILFAST_BIN="+bin,
		"FAILFAST_MODULE="+module, "FAILFAST_OUT="+outFile)
	out, runErr := cmd.CombinedOutput()
	elapsed := time.Since(start)

	logText, _ := os.ReadFile(outFile + ".log")
	step, results := "(none)", map[string]string{}
	for _, line := range strings.Split(string(logText), "\n") {
		if s, ok := strings.CutPrefix(line, "STEP "); ok {
			step = s
		} else if r, ok := strings.CutPrefix(line, "RESULT "); ok {
			k, v, _ := strings.Cut(r, " ")
			results[k] = v
		}
	}
	if ctx.Err() != nil {
		t.Fatalf("vim timed out after %s in step %q\nlog:\n%s\noutput:\n%s", vimTimeout, step, logText, out)
	}
	if runErr != nil || !bytes.Contains(logText, []byte("\nOK\n")) {
		t.Fatalf("vim failed in step %q: %v\nlog:\n%s\noutput:\n%s", step, runErr, logText, out)
	}
	t.Logf("%s, ALE %s (%s), %s", version, results["ale"], ale, elapsed.Round(time.Millisecond))

	data, err := os.ReadFile(outFile)
	if err != nil {
		t.Fatalf("step: read ALE's diagnostics: %v", err)
	}
	var items []aleItem
	if err := json.Unmarshal(data, &items); err != nil {
		t.Fatalf("step: decode ALE's diagnostics: %v\n%s", err, data)
	}
	got := map[string]int{}
	for _, it := range items {
		t.Logf("ALE: handlers.go:%d:%d %s [%s] %s", it.Lnum, it.Col, it.Type, it.Code, it.Text)
		got[it.Code]++
	}
	want := map[string]int{"discarded-error": 1, "unchecked-type-assertion": 2, "unchecked-index": 1}
	for code, n := range want {
		if got[code] != n {
			t.Errorf("ALE has %d %s diagnostics, want %d", got[code], code, n)
		}
	}
	if got["unchecked-map-lookup"] != 0 {
		t.Errorf("ALE has unchecked-map-lookup, which g:ale_go_failfast_settings turned off: the settings did not reach the server")
	}
	t.Logf("menu:      %s", results["menu"])
	t.Logf("after fix: %s", results["after-fix"])
	if !strings.Contains(results["menu"], "Use the two-value form") {
		t.Errorf("ALE's code action menu lacks the quick fix: %q", results["menu"])
	}

	if out, err := editortest.Run(buildTimeout, module, "go", "build", "./..."); err != nil {
		fixed, _ := os.ReadFile(filepath.Join(module, "handlers.go"))
		t.Fatalf("step: go build ./... after ALE's quick fix: %v\n%s\nhandlers.go:\n%s", err, out, fixed)
	}
}
