// Package nvim tests the failfast Neovim plugin (lua/failfast) end to end: for each Neovim found
// it runs a headless `nvim -u NONE` with the plugin on its runtimepath and test/e2e.lua, which
// calls require("failfast").setup{} (after checking that a missing binary and bad settings are
// reported), opens store.go in a copy of testdata/demo, waits for the real failfast server's
// diagnostics, checks that the settings reached the server, asks for the code actions of one,
// applies its quick fix, writes the file, adds a new problem by an edit and waits for its
// diagnostic, runs :FailfastFixAll and :checkhealth failfast, and checks that the diagnostics
// came the way this Neovim gets them: pulled (textDocument/diagnostic) on 0.12, pushed before. The
// test then checks the file on disk and runs `go build ./...` in the copied module.
//
// Neovims: $FAILFAST_NVIM (colon-separated executables), else nvim on PATH plus the wrappers
// that scripts/fetch-neovim.sh puts under .neovim/. With CI=true all three API generations
// (0.7, 0.8-0.10, 0.11+) must be found; otherwise a missing one is skipped.
package nvim

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/failfast-dev/failfast/editors/editortest"
)

// Hard limits: one nvim run (the Lua script has its own, shorter, timeout) and the build.
const (
	nvimTimeout  = 150 * time.Second
	luaTimeoutMs = 120000
	buildTimeout = 120 * time.Second
)

type neovim struct {
	path         string
	major, minor int
	version      string // "0.10.4"
}

// generation is the plugin's API path for this version.
func (n neovim) generation() string {
	switch {
	case n.major == 0 && n.minor < 8:
		return "0.7"
	case n.major == 0 && n.minor < 11:
		return "0.8-0.10"
	default:
		return "0.11+"
	}
}

func (n neovim) String() string { return n.version + " (" + n.path + ")" }

// diagnostics is how this Neovim gets failfast's diagnostics: 0.12 announces pull diagnostics
// with refresh support (LSP 3.17), so the server answers its textDocument/diagnostic requests
// and pushes nothing; older ones cannot be told to pull again, so the server pushes.
func (n neovim) diagnostics() string {
	if n.major > 0 || n.minor >= 12 {
		return "pull"
	}
	return "push"
}

var generations = []string{"0.7", "0.8-0.10", "0.11+"}

var versionLine = regexp.MustCompile(`NVIM v(\d+)\.(\d+)\.(\d+)`)

func probe(path string) (neovim, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, path, "--version").CombinedOutput()
	if err != nil {
		return neovim{}, fmt.Errorf("%s --version: %v: %s", path, err, out)
	}
	m := versionLine.FindSubmatch(out)
	if m == nil {
		return neovim{}, fmt.Errorf("%s --version: no NVIM vX.Y.Z line in %q", path, out)
	}
	major, _ := strconv.Atoi(string(m[1]))
	minor, _ := strconv.Atoi(string(m[2]))
	return neovim{path: path, major: major, minor: minor, version: fmt.Sprintf("%s.%s.%s", m[1], m[2], m[3])}, nil
}

// findNeovims returns the Neovims to test, sorted by version, one per version.
func findNeovims(t *testing.T) []neovim {
	var paths []string
	if env := os.Getenv("FAILFAST_NVIM"); env != "" {
		paths = filepath.SplitList(env)
	} else {
		if p, err := exec.LookPath("nvim"); err == nil {
			paths = append(paths, p)
		}
		wrappers, _ := filepath.Glob(filepath.Join(".neovim", "nvim-*", "bin", "nvim"))
		paths = append(paths, wrappers...)
	}
	seen := map[string]bool{}
	var found []neovim
	for _, p := range paths {
		abs, err := filepath.Abs(p)
		if err != nil {
			t.Fatalf("neovim %s: %v", p, err)
		}
		n, err := probe(abs)
		if err != nil {
			t.Fatalf("neovim %s does not run: %v", p, err)
		}
		if seen[n.version] {
			continue
		}
		seen[n.version] = true
		found = append(found, n)
	}
	sort.Slice(found, func(i, j int) bool {
		a, b := found[i], found[j]
		return a.major < b.major || a.major == b.major && a.minor < b.minor
	})
	return found
}

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// failfastBinary builds the failfast binary once for the package.
func failfastBinary(t *testing.T) string {
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "failfast-nvim-bin")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "failfast")
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, "go", "build", "-o", binPath, "../../cmd/failfast")
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("go build ./cmd/failfast: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatalf("building the failfast binary: %v", buildErr)
	}
	return binPath
}

func TestMain(m *testing.M) {
	code := m.Run()
	if binPath != "" {
		os.RemoveAll(filepath.Dir(binPath))
	}
	os.Exit(code)
}

func TestNeovim(t *testing.T) {
	ci := os.Getenv("CI") == "true"
	nvims := findNeovims(t)
	have := map[string]bool{}
	for _, n := range nvims {
		have[n.generation()] = true
	}
	for _, g := range generations {
		if have[g] {
			continue
		}
		hint := "apt-get install -y neovim (Debian 12's 0.7)"
		if g != "0.7" {
			hint = "editors/nvim/scripts/fetch-neovim.sh editors/nvim/.neovim (Debian trixie's 0.10 and sid's 0.12)"
		}
		if ci {
			t.Errorf("CI=true and Neovim %s is missing (found: %v); get it with: %s", g, nvims, hint)
		} else {
			t.Logf("Neovim %s not found, not tested; get it with: %s", g, hint)
		}
	}
	if len(nvims) == 0 {
		if ci {
			t.Fatalf("CI=true and nvim is missing: no Neovim in $FAILFAST_NVIM, on PATH or under .neovim/")
		}
		t.Skip("no Neovim found (FAILFAST_NVIM, PATH, .neovim/): skipping the Neovim plugin tests")
	}
	bin := failfastBinary(t)
	for _, n := range nvims {
		t.Run("nvim-"+n.version, func(t *testing.T) {
			t.Run("plugin", func(t *testing.T) { testPlugin(t, n, bin) })
			t.Run("readme", func(t *testing.T) { testReadme(t, n, bin) })
		})
	}
}

// testPlugin runs test/e2e.lua, then checks store.go on disk and builds the module.
func testPlugin(t *testing.T, n neovim, bin string) {
	start := time.Now()
	work, report := runScript(t, n, bin, "e2e.lua")
	store, err := os.ReadFile(filepath.Join(work, "store.go"))
	if err != nil {
		report("reading store.go after nvim: %v", err)
	}
	for _, want := range []string{
		`fmt.Errorf("find %s: %w", sku, err)`, // the quick fix, written
		"func (s *Store) Purge(ctx context.Context) {",
	} {
		if !bytes.Contains(store, []byte(want)) {
			report("store.go on disk lacks %q:\n%s", want, store)
		}
	}
	if bytes.Contains(store, []byte("\n\ttx.Commit()\n")) {
		report("store.go on disk still drops tx.Commit()'s error after :FailfastFixAll:\n%s", store)
	}

	bctx, bcancel := context.WithTimeout(context.Background(), buildTimeout)
	defer bcancel()
	build := exec.CommandContext(bctx, "go", "build", "./...")
	build.Dir = work
	if out, err := build.CombinedOutput(); err != nil {
		report("go build ./... in the fixed module: %v\n%s\nstore.go:\n%s", err, out, store)
	}
	t.Logf("Neovim %s (API %s): plugin test passed in %v", n.version, n.generation(), time.Since(start).Round(time.Millisecond))
}

// testReadme runs test/bare.lua: README.md's snippet for this Neovim, without the plugin.
func testReadme(t *testing.T, n neovim, bin string) {
	if n.generation() == "0.7" {
		t.Skip("README.md has no plugin-less snippet for Neovim 0.7")
	}
	start := time.Now()
	runScript(t, n, bin, "bare.lua")
	t.Logf("Neovim %s: README snippet passed in %v", n.version, time.Since(start).Round(time.Millisecond))
}

// runScript runs test/<script> in a headless nvim (-u NONE, the plugin on the runtimepath) in a
// copy of testdata/demo, and fails the test, with the step log, unless it ends with PASS. It
// returns the copy and a function that fails the test with the log.
func runScript(t *testing.T, n neovim, bin, script string) (string, func(format string, args ...any)) {
	t.Helper()
	work := editortest.CopyDemo(t)
	logPath := filepath.Join(t.TempDir(), "e2e.log")
	plugin, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	scriptPath := filepath.Join(plugin, "test", script)

	ctx, cancel := context.WithTimeout(context.Background(), nvimTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, n.path, "--headless", "-u", "NONE", "-i", "NONE", "-n",
		"--cmd", "set rtp^="+escapeVim(plugin),
		"-c", "luafile "+escapeVim(scriptPath))
	// Neovim's own files (its LSP log, with the server's stderr) go to a temp dir, printed on
	// failure; the go command the server runs keeps the user's warm caches and settings. The
	// config dir stays the user's (-u NONE reads nothing from it): the go commands the server
	// starts write their telemetry counters there, and one still running when nvim exits would
	// write into a temp dir being removed.
	xdg := t.TempDir()
	genv := goEnv(t)
	cmd.Dir = work
	cmd.Env = append(os.Environ(),
		"XDG_DATA_HOME="+filepath.Join(xdg, "data"),
		"XDG_STATE_HOME="+filepath.Join(xdg, "state"),
		"XDG_CACHE_HOME="+filepath.Join(xdg, "cache"),
		"GOCACHE="+genv.GOCACHE,
		"GOMODCACHE="+genv.GOMODCACHE,
		"GOENV="+genv.GOENV,
		"FAILFAST_BIN="+bin,
		"FAILFAST_WORK="+work,
		"FAILFAST_LOG="+logPath,
		"FAILFAST_TIMEOUT_MS="+strconv.Itoa(luaTimeoutMs),
		"FAILFAST_README="+filepath.Join(plugin, "README.md"),
		"FAILFAST_DIAGNOSTICS="+n.diagnostics(),
	)
	var output bytes.Buffer
	cmd.Stdout = &output
	cmd.Stderr = &output
	cmd.WaitDelay = 5 * time.Second
	runErr := cmd.Run()
	logText, _ := os.ReadFile(logPath)
	report := func(format string, args ...any) {
		t.Helper()
		t.Fatalf("Neovim %s (%s), %s: %s\n--- step log (the last step: line names what did not happen) ---\n%s--- nvim output ---\n%s--- end of Neovim's LSP log (server stderr) ---\n%s",
			n.version, n.path, script, fmt.Sprintf(format, args...), logText, withNewline(output.String()), lspLogTail(xdg))
	}
	switch {
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		report("nvim did not exit within %v (killed)", nvimTimeout)
	case runErr != nil:
		report("nvim failed: %v", runErr)
	case !bytes.HasSuffix(bytes.TrimSpace(logText), []byte("PASS")):
		report("nvim exited 0 but the log does not end with PASS")
	}
	if testing.Verbose() {
		t.Logf("%s step log:\n%s", script, logText)
	}
	return work, report
}

type goEnvVars struct{ GOCACHE, GOMODCACHE, GOENV string }

var goEnvOnce = sync.OnceValues(func() (goEnvVars, error) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, "go", "env", "-json", "GOCACHE", "GOMODCACHE", "GOENV").Output()
	if err != nil {
		return goEnvVars{}, fmt.Errorf("go env: %v", err)
	}
	var v goEnvVars
	if err := json.Unmarshal(out, &v); err != nil {
		return goEnvVars{}, fmt.Errorf("go env -json: %v: %s", err, out)
	}
	return v, nil
})

func goEnv(t *testing.T) goEnvVars {
	v, err := goEnvOnce()
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// lspLogTail returns the last lines of Neovim's LSP log under the XDG dir xdg (0.7 writes it
// to the cache dir, later versions to the state dir), each clipped.
func lspLogTail(xdg string) string {
	var b strings.Builder
	for _, p := range []string{filepath.Join(xdg, "cache", "nvim", "lsp.log"), filepath.Join(xdg, "state", "nvim", "lsp.log")} {
		data, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		lines := strings.Split(strings.TrimSpace(string(data)), "\n")
		if len(lines) > 30 {
			lines = lines[len(lines)-30:]
		}
		for _, l := range lines {
			if len(l) > 600 {
				l = l[:600] + "…"
			}
			b.WriteString(l + "\n")
		}
	}
	if b.Len() == 0 {
		return "(no LSP log)\n"
	}
	return b.String()
}

func withNewline(s string) string {
	if s != "" && !strings.HasSuffix(s, "\n") {
		return s + "\n"
	}
	return s
}

// escapeVim escapes a path for an Ex command argument.
func escapeVim(p string) string {
	return strings.NewReplacer(`\`, `\\`, " ", `\ `, "|", `\|`, `"`, `\"`).Replace(p)
}
