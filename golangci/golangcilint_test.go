package golangci

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/failfast-dev/failfast/editors/editortest"
	"github.com/failfast-dev/failfast/rules"
	"github.com/failfast-dev/failfast/rules/spec"
)

// golangciVersion is the golangci-lint release the plugin is built into,
// the version .custom-gcl.yml names in the README.
const golangciVersion = "v2.15.0"

// scratch is the package's temporary directory (TestMain removes it): the
// golangci-lint source, its build and its cache live there, nowhere else.
var scratch string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "failfast-golangci-")
	if err != nil {
		fmt.Fprintf(os.Stderr, "temporary directory: %v\n", err)
		os.Exit(2)
	}
	scratch = dir
	code := m.Run()
	if err := os.RemoveAll(dir); err != nil {
		fmt.Fprintf(os.Stderr, "removing %s: %v\n", dir, err)
		code = max(code, 1)
	}
	os.Exit(code)
}

// custom is the golangci-lint binary with the plugin, built once per run.
var custom struct {
	once  sync.Once
	bin   string
	steps string // how long each step took
	skip  string // why the source could not be had
	err   error
}

// golangciLint returns a golangci-lint built with the plugin, as
// `golangci-lint custom` builds it, but from the module proxy instead of
// a clone from GitHub. It takes minutes, once per test run.
func golangciLint(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("-short: building golangci-lint with the plugin takes minutes")
	}
	custom.once.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
		defer cancel()
		if d, ok := t.Deadline(); ok { // fail naming the slow step, before go test's own timeout panics
			var stop context.CancelFunc
			ctx, stop = context.WithDeadline(ctx, d.Add(-time.Minute))
			defer stop()
		}
		custom.bin, custom.steps, custom.skip, custom.err = buildCustom(ctx, editortest.Root(t), filepath.Join(scratch, "build"))
	})
	if custom.skip != "" {
		editortest.Need(t, "golangci-lint "+golangciVersion+"'s source", custom.skip, "it comes from the Go module proxy (GOPROXY): go mod download github.com/golangci/golangci-lint/v2@"+golangciVersion)
	}
	if custom.err != nil {
		t.Fatalf("building golangci-lint %s with the plugin: %v", golangciVersion, custom.err)
	}
	t.Logf("golangci-lint %s with the plugin: %s", golangciVersion, custom.steps)
	return custom.bin
}

// buildCustom does in dir what `golangci-lint custom` does after its git
// clone: the plugin's blank import in cmd/golangci-lint/plugins.go, a
// replace of this module by root, go mod tidy, go build. It returns the
// binary, the time of each step, and why it skipped when the source
// cannot be downloaded.
func buildCustom(ctx context.Context, root, dir string) (bin, steps, skip string, err error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", "", "", err
	}
	env := append(os.Environ(), "GOWORK=off", "GOTOOLCHAIN=local", "GOFLAGS=-mod=mod -buildvcs=false")
	var took []string
	run := func(name, wd string, args ...string) ([]byte, error) {
		start := time.Now()
		cmd := exec.CommandContext(ctx, "go", args...)
		cmd.Dir, cmd.Env, cmd.WaitDelay = wd, env, 5*time.Second
		var stderr strings.Builder
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		took = append(took, fmt.Sprintf("%s %s", name, time.Since(start).Round(100*time.Millisecond)))
		if ctx.Err() != nil {
			err = fmt.Errorf("%w (%v)", ctx.Err(), err)
		}
		if err != nil {
			return out, fmt.Errorf("go %s: %w\n%s", strings.Join(args, " "), err, stderr.String())
		}
		return out, nil
	}

	mod := "github.com/golangci/golangci-lint/v2@" + golangciVersion
	out, err := run("download", dir, "mod", "download", "-json", mod)
	var dl struct{ Dir, Error string }
	if jerr := json.Unmarshal(out, &dl); jerr != nil && err == nil {
		err = fmt.Errorf("go mod download -json: %w", jerr)
	}
	switch {
	case dl.Error != "": // go mod download -json reports there, exit status 1
		return "", "", fmt.Sprintf("go mod download %s: %s", mod, dl.Error), nil
	case err != nil:
		return "", "", err.Error(), nil
	case dl.Dir == "":
		return "", "", fmt.Sprintf("go mod download %s gave no source directory", mod), nil
	}

	src := filepath.Join(dir, "golangci-lint")
	if err := os.CopyFS(src, os.DirFS(dl.Dir)); err != nil { // the copy is writable: CopyFS makes files 0666
		return "", "", "", fmt.Errorf("copying %s: %w", dl.Dir, err)
	}
	plugins := filepath.Join(src, "cmd", "golangci-lint", "plugins.go")
	if _, err := os.Stat(plugins); err != nil {
		return "", "", "", fmt.Errorf("golangci-lint %s has no file for module plugins: %w", golangciVersion, err)
	}
	imports := "package main\n\nimport (\n\t_ \"github.com/failfast-dev/failfast/golangci\"\n)\n"
	if err := os.WriteFile(plugins, []byte(imports), 0o644); err != nil {
		return "", "", "", err
	}
	if _, err := run("replace", src, "mod", "edit", "-replace", "github.com/failfast-dev/failfast="+root); err != nil {
		return "", "", "", err
	}
	if _, err := run("tidy", src, "mod", "tidy"); err != nil {
		return "", "", "", err
	}
	bin = filepath.Join(dir, "custom-gcl")
	if _, err := run("build", src, "build", "-o", bin, "./cmd/golangci-lint"); err != nil {
		return "", "", "", err
	}
	return bin, strings.Join(took, ", "), "", nil
}

// issue is the part of a golangci-lint JSON issue the test compares.
type issue struct {
	FromLinter string
	Text       string
	Pos        struct {
		Filename     string
		Line, Column int
	}
}

// lint writes a .golangci.yml that enables only failfast, with settings
// (YAML, "" for none) as its plugin settings, and runs bin on dir. It
// returns the issues, stderr and the exit status.
func lint(t *testing.T, bin, dir, settings string) ([]issue, string, int) {
	t.Helper()
	conf := `version: "2"
linters:
  default: none
  enable: [failfast]
  settings:
    custom:
      failfast:
        type: module
        description: silent failures (failfast)
`
	if settings != "" {
		conf += "        settings:\n"
		for line := range strings.Lines(settings) {
			conf += "          " + line
		}
	}
	conf += `issues:
  max-issues-per-linter: 0
  max-same-issues: 0
  uniq-by-line: false
`
	write(t, filepath.Join(dir, ".golangci.yml"), conf)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "run", "--output.json.path=stdout", "--show-stats=false", "./...")
	cmd.Dir, cmd.WaitDelay = dir, 5*time.Second
	cmd.Env = append(os.Environ(), "GOLANGCI_LINT_CACHE="+filepath.Join(scratch, "golangci-cache"), "GOWORK=off", "GOTOOLCHAIN=local")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	code := 0
	if ee := (*exec.ExitError)(nil); errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("golangci-lint run: %v\n%s", err, stderr.String())
	}
	if code > 1 {
		return nil, stderr.String(), code
	}
	var report struct{ Issues []issue }
	if err := json.Unmarshal(out, &report); err != nil {
		t.Fatalf("golangci-lint's JSON: %v\n%s\n%s", err, out, stderr.String())
	}
	return report.Issues, stderr.String(), code
}

// related matches the issues golangci-lint makes of a diagnostic's related
// places ("discarded_error(related information): ..."); check -json keeps
// them inside the finding.
var related = regexp.MustCompile(`^\w+\(related information\): `)

// ruleSuffix is the rule ID that ends each of failfast's messages.
var ruleSuffix = regexp.MustCompile(` \(([a-z-]+)\)$`)

// findingLines renders golangci-lint's failfast issues as check's:
// file:line:col: message (rule). golangci-lint starts each message with
// the analyzer's name; a message that does not start with its rule's
// analyzer name is kept whole, so that the comparison shows it.
func findingLines(t *testing.T, issues []issue) []string {
	t.Helper()
	analyzer := map[string]string{rules.DirectiveID: rules.DirectiveAnalyzer.Name}
	for _, r := range rules.All() {
		analyzer[r.ID] = spec.AnalyzerName(r.ID)
	}
	var lines []string
	for _, is := range issues {
		if is.FromLinter != Name {
			t.Errorf("issue from %q, not %s: %+v", is.FromLinter, Name, is)
			continue
		}
		if related.MatchString(is.Text) {
			continue
		}
		text := is.Text
		if m := ruleSuffix.FindStringSubmatch(text); m != nil {
			text = strings.TrimPrefix(text, analyzer[m[1]]+": ")
		}
		lines = append(lines, fmt.Sprintf("%s:%d:%d: %s", is.Pos.Filename, is.Pos.Line, is.Pos.Column, text))
	}
	slices.Sort(lines)
	return lines
}

// checkLines runs failfast check -json in dir: file:line:col: message
// (rule), sorted.
func checkLines(t *testing.T, failfast, dir string) []string {
	t.Helper()
	out, err := editortest.Run(3*time.Minute, dir, failfast, "check", "-json", "./...")
	var ee *exec.ExitError
	if err != nil && !(errors.As(err, &ee) && ee.ExitCode() == 1) {
		t.Fatalf("failfast check: %v\n%s", err, out)
	}
	var report struct {
		Findings []struct {
			File          string
			Line, Column  int
			Rule, Message string
		}
	}
	if err := json.Unmarshal(out, &report); err != nil {
		t.Fatalf("failfast check -json: %v\n%s", err, out)
	}
	var lines []string
	for _, f := range report.Findings {
		lines = append(lines, fmt.Sprintf("%s:%d:%d: %s (%s)", f.File, f.Line, f.Column, f.Message, f.Rule))
	}
	slices.Sort(lines)
	return lines
}

// without returns lines minus those that contain any of drop.
func without(lines []string, drop ...string) []string {
	return slices.DeleteFunc(slices.Clone(lines), func(l string) bool {
		return slices.ContainsFunc(drop, func(d string) bool { return strings.Contains(l, d) })
	})
}

func sameLines(t *testing.T, what string, got, want []string) {
	t.Helper()
	if len(want) == 0 || !slices.Equal(got, want) {
		t.Errorf("%s\n--- golangci-lint\n%s\n--- want\n%s", what, strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func write(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// appendToLine appends text to line n (1-based) of the file at path and
// returns the line as it was.
func appendToLine(t *testing.T, path string, n int, text string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(data), "\n")
	if n > len(lines) {
		t.Fatalf("%s has no line %d", path, n)
	}
	old := lines[n-1]
	lines[n-1] += text
	write(t, path, strings.Join(lines, "\n"))
	return old
}

// TestGolangciLint builds golangci-lint with the plugin and runs it on
// the demo: it reports what check reports, follows the plugin's settings
// over .failfast.yaml, honours //nolint:failfast and //nolint:RULE, and
// stops with an error that names a bad setting.
func TestGolangciLint(t *testing.T) {
	bin := golangciLint(t)
	failfast := editortest.BuildFailfast(t, t.TempDir())
	all := checkLines(t, failfast, editortest.CopyDemo(t))
	if len(without(all, "(unchecked-index)", "(swallowed-recover)")) == len(all) {
		t.Fatalf("the demo has no unchecked-index or swallowed-recover finding to turn off:\n%s", strings.Join(all, "\n"))
	}

	t.Run("same findings as check", func(t *testing.T) {
		dir := editortest.CopyDemo(t)
		issues, stderr, code := lint(t, bin, dir, "rules:\n  unchecked-index: off\n")
		if code != 1 {
			t.Fatalf("golangci-lint exited %d, want 1 (issues found)\n%s", code, stderr)
		}
		sameLines(t, "golangci-lint with unchecked-index off differs from check without it",
			findingLines(t, issues), without(all, "(unchecked-index)"))
	})

	t.Run("plugin settings over .failfast.yaml", func(t *testing.T) {
		dir := editortest.CopyDemo(t)
		write(t, filepath.Join(dir, ".failfast.yaml"), "rules:\n  discarded-error: off\n  swallowed-recover: off\n")
		issues, stderr, code := lint(t, bin, dir, "rules:\n  discarded-error: on\n")
		if code != 1 {
			t.Fatalf("golangci-lint exited %d, want 1\n%s", code, stderr)
		}
		sameLines(t, "discarded-error is on in the plugin's settings, swallowed-recover off in .failfast.yaml",
			findingLines(t, issues), without(all, "(swallowed-recover)"))
	})

	t.Run("nolint", func(t *testing.T) {
		dir := editortest.CopyDemo(t)
		var suppressed []string
		for _, d := range []struct {
			file      string
			line      int
			directive string
		}{
			{"handlers.go", 27, " //nolint:failfast"},     // discarded-error on io.ReadAll
			{"store.go", 45, " //nolint:discarded-error"}, // tx.Commit
		} {
			at := fmt.Sprintf("%s:%d:", d.file, d.line)
			if len(without(all, at)) == len(all) {
				t.Fatalf("no finding at %s to suppress", at)
			}
			appendToLine(t, filepath.Join(dir, d.file), d.line, d.directive)
			suppressed = append(suppressed, at)
		}
		issues, stderr, code := lint(t, bin, dir, "")
		if code != 1 {
			t.Fatalf("golangci-lint exited %d, want 1\n%s", code, stderr)
		}
		want := without(all, suppressed...)
		sameLines(t, "//nolint:failfast and //nolint:discarded-error do not suppress as in check", findingLines(t, issues), want)
		sameLines(t, "check on the same files", checkLines(t, failfast, dir), want)
		// golangci-lint's own nolint filter does not know rule IDs; the
		// rules suppressed the finding themselves.
		if !strings.Contains(stderr, "Found unknown linters in //nolint directives: discarded-error") {
			t.Errorf("golangci-lint no longer warns about //nolint:discarded-error; update the README:\n%s", stderr)
		}
	})

	t.Run("bad settings", func(t *testing.T) {
		dir := editortest.CopyDemo(t)
		for _, tc := range []struct{ settings, want string }{
			{"rules:\n  no-such-rule: off\n", `plugin(failfast): newPlugin linters.settings.custom.failfast.settings: rules: unknown rule "no-such-rule" (known: `},
			{"tests: maybe\n", `linters.settings.custom.failfast.settings: tests: want true or false, got "maybe"`},
			{"exclude: [internal/**]\n", "linters.settings.custom.failfast.settings: exclude: not available in .golangci.yml"},
		} {
			issues, stderr, code := lint(t, bin, dir, tc.settings)
			if code <= 1 || !strings.Contains(stderr, tc.want) {
				t.Errorf("settings %q: exit %d, %d issues, stderr without %q:\n%s", tc.settings, code, len(issues), tc.want, stderr)
			}
		}
	})
}
