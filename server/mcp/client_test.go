package mcp_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/failfast-dev/failfast/editors/editortest"
)

// toolCall is one call of testdata/client/client.mjs's report.
type toolCall struct {
	Name          string          `json:"name"`
	Args          json.RawMessage `json:"args"`
	IsError       bool            `json:"isError"`
	Text          string          `json:"text"`
	Structured    json.RawMessage `json:"structured"`
	ProtocolError string          `json:"protocolError"`
}

type clientReport struct {
	Server struct {
		Name, Version string
	} `json:"server"`
	Instructions string `json:"instructions"`
	Tools        []struct {
		Name            string          `json:"name"`
		InputSchema     json.RawMessage `json:"inputSchema"`
		HasOutputSchema bool            `json:"hasOutputSchema"`
		Description     string          `json:"description"`
	} `json:"tools"`
	Check1  toolCall   `json:"check1"`
	Fixable []string   `json:"fixable"`
	DryRun  toolCall   `json:"dryRun"`
	Fix     toolCall   `json:"fix"`
	Check2  toolCall   `json:"check2"`
	Explain toolCall   `json:"explain"`
	Refused []toolCall `json:"refused"`
	Error   string     `json:"error"`
}

type checkOut struct {
	Findings []struct {
		Rule, File, Message, Docs string
		Line, Column              int
		Related                   []struct{ File, Message string }
		Fixes                     []string
	} `json:"findings"`
	Complete bool     `json:"complete"`
	Problems []string `json:"problems"`
}

type fixOut struct {
	Applied  bool     `json:"applied"`
	Files    []string `json:"files"`
	Fixed    []struct{ Rule, File string }
	Diff     string   `json:"diff"`
	Complete bool     `json:"complete"`
	Problems []string `json:"problems"`
}

// decode reads a successful call's structured content into v.
func decode(t *testing.T, c toolCall, v any) {
	t.Helper()
	if c.ProtocolError != "" || c.IsError {
		t.Fatalf("%s %s failed: %s%s", c.Name, c.Args, c.ProtocolError, c.Text)
	}
	if err := json.Unmarshal(c.Structured, v); err != nil {
		t.Fatalf("%s %s: structured content %s: %v", c.Name, c.Args, c.Structured, err)
	}
}

// TestTypeScriptClient drives the real failfast binary with the official
// MCP TypeScript SDK's client (testdata/client, `npm ci` there) on a copy
// of the demo module: it lists the tools, checks, fixes (a dry run that
// changes nothing, then for real), and the copy then builds and has fewer
// findings; paths outside the root and an unknown rule are refused as tool
// errors. Without Node or the npm packages the test skips, saying how to
// install them; with CI=true it fails instead.
func TestTypeScriptClient(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		editortest.Need(t, "node", "the MCP server is not tested with the TypeScript SDK's client", "install Node.js 20")
	}
	client, err := filepath.Abs(filepath.Join("testdata", "client"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(client, "node_modules", "@modelcontextprotocol", "sdk", "package.json")); err != nil {
		editortest.Need(t, "@modelcontextprotocol/sdk", "the MCP server is not tested with the TypeScript SDK's client", "run `npm ci --ignore-scripts` in server/mcp/testdata/client")
	}
	bin := editortest.BuildFailfast(t, t.TempDir())
	demo := editortest.CopyDemo(t)
	// Outside the root, a copy of a file with findings, reachable through
	// a symbolic link inside the root: neither may be touched.
	outside := filepath.Join(filepath.Dir(demo), "outside")
	if err := os.CopyFS(outside, os.DirFS(filepath.Join(editortest.Root(t), "testdata", "demo"))); err != nil {
		t.Fatal(err)
	}
	outsideBefore, err := os.ReadFile(filepath.Join(outside, "handlers.go"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(demo, "linked")); err != nil {
		t.Fatalf("symbolic link: %v", err)
	}
	handlersBefore, err := os.ReadFile(filepath.Join(demo, "handlers.go"))
	if err != nil {
		t.Fatal(err)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, filepath.Join(client, "client.mjs"), bin, demo)
	cmd.Dir = client
	cmd.WaitDelay = 10 * time.Second
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	if err := cmd.Run(); err != nil {
		t.Fatalf("node client.mjs: %v\nstdout:\n%s\nstderr:\n%s", err, &stdout, &stderr)
	}
	t.Logf("the client's run took %v; the server's log:\n%s", time.Since(start).Round(time.Millisecond), &stderr)
	var r clientReport
	if err := json.Unmarshal(stdout.Bytes(), &r); err != nil {
		t.Fatalf("the client's report: %v\n%s", err, &stdout)
	}
	if r.Error != "" {
		t.Fatalf("the client failed: %s", r.Error)
	}

	if r.Server.Name != "failfast" || r.Server.Version == "" || r.Instructions == "" {
		t.Errorf("server %+v, instructions %q: want failfast with a version and instructions", r.Server, r.Instructions)
	}
	var names []string
	for _, tool := range r.Tools {
		names = append(names, tool.Name)
		var schema bytes.Buffer
		if err := json.Compact(&schema, tool.InputSchema); err != nil {
			t.Fatal(err)
		}
		if !tool.HasOutputSchema || tool.Description == "" || !strings.Contains(schema.String(), `"additionalProperties":false`) {
			t.Errorf("tool %s: output schema %v, description %q, input schema %s", tool.Name, tool.HasOutputSchema, tool.Description, tool.InputSchema)
		}
	}
	slices.Sort(names)
	if want := []string{"check", "explain", "fix"}; !slices.Equal(names, want) {
		t.Errorf("tools %v, want %v", names, want)
	}

	// check: the demo's findings, as failfast check -json reports them.
	var before checkOut
	decode(t, r.Check1, &before)
	if !before.Complete || len(before.Problems) > 0 {
		t.Errorf("check: complete %v, problems %q", before.Complete, before.Problems)
	}
	want := checkJSON(t, bin, editortest.CopyDemo(t))
	if len(before.Findings) != len(want) {
		t.Errorf("check: %d findings, failfast check -json: %d", len(before.Findings), len(want))
	}
	rules := map[string]bool{}
	withFix, withRelated := 0, 0
	for i, f := range before.Findings {
		rules[f.Rule] = true
		if f.Docs == "" || f.Line == 0 || f.Column == 0 || f.Message == "" || filepath.IsAbs(f.File) {
			t.Errorf("finding %+v: want a relative file, a position, a message and a docs link", f)
		}
		if i < len(want) && (want[i].File != f.File || want[i].Line != f.Line || want[i].Rule != f.Rule || want[i].Message != f.Message) {
			t.Errorf("finding %d: %s:%d %s, failfast check -json: %s:%d %s", i, f.File, f.Line, f.Rule, want[i].File, want[i].Line, want[i].Rule)
		}
		if len(f.Fixes) > 0 {
			withFix++
		}
		if len(f.Related) > 0 {
			withRelated++
		}
	}
	if withFix == 0 || withRelated == 0 || len(rules) < 10 {
		t.Errorf("check: %d findings with fixes, %d with related places, %d rules; want some of each and every rule of the demo", withFix, withRelated, len(rules))
	}

	// fix, dry run: a diff, nothing written.
	var dry fixOut
	decode(t, r.DryRun, &dry)
	if dry.Applied || !strings.Contains(dry.Diff, "--- a/handlers.go") || len(dry.Fixed) == 0 || !slices.Equal(dry.Files, r.Fixable) {
		t.Errorf("fix dryRun: applied %v, files %v (fixable: %v), %d fixed, diff:\n%s", dry.Applied, dry.Files, r.Fixable, len(dry.Fixed), dry.Diff)
	}

	// fix: applied; the module builds and has fewer findings.
	var fixed fixOut
	decode(t, r.Fix, &fixed)
	if !fixed.Applied || fixed.Diff != dry.Diff || len(fixed.Fixed) != len(dry.Fixed) {
		t.Errorf("fix: applied %v, %d fixed (dry run: %d), same diff as the dry run: %v", fixed.Applied, len(fixed.Fixed), len(dry.Fixed), fixed.Diff == dry.Diff)
	}
	handlersAfter, err := os.ReadFile(filepath.Join(demo, "handlers.go"))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(handlersAfter, handlersBefore) {
		t.Error("fix: handlers.go is unchanged")
	}
	if out, err := editortest.Run(3*time.Minute, demo, "go", "build", "./..."); err != nil {
		t.Errorf("after fix, go build ./... fails: %v\n%s", err, out)
	}
	var after checkOut
	decode(t, r.Check2, &after)
	if len(after.Findings) >= len(before.Findings) {
		t.Errorf("after fix: %d findings, before: %d", len(after.Findings), len(before.Findings))
	}
	t.Logf("findings: %d before fix, %d after; %d fixed in %v", len(before.Findings), len(after.Findings), len(fixed.Fixed), fixed.Files)

	var explained struct{ Rule, Documentation string }
	decode(t, r.Explain, &explained)
	if explained.Rule != "unchecked-type-assertion" || !strings.Contains(explained.Documentation, "unchecked-type-assertion") || r.Explain.Text != explained.Documentation {
		t.Errorf("explain: %+v; text content %q", explained, r.Explain.Text)
	}

	// Refused, as tool errors with a clear message.
	wants := []string{
		"is outside the workspace root",
		"is outside the workspace root",
		"is outside the workspace root",
		"is outside the workspace root",
		"is outside the workspace root",
		"is outside the workspace root",
		"through a symbolic link",
		"through a symbolic link",
		`unknown rule "no-such-rule"; the rules are `,
		`validating "arguments"`,
		"unexpected additional properties",
		`validating "arguments"`,
	}
	if len(r.Refused) != len(wants) {
		t.Fatalf("%d refused calls in the report, want %d", len(r.Refused), len(wants))
	}
	for i, c := range r.Refused {
		if c.ProtocolError != "" || !c.IsError || !strings.Contains(c.Text, wants[i]) {
			t.Errorf("%s %s: isError %v, %q%s; want a tool error saying %q", c.Name, c.Args, c.IsError, c.Text, c.ProtocolError, wants[i])
		}
	}
	outsideAfter, err := os.ReadFile(filepath.Join(outside, "handlers.go"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(outsideAfter, outsideBefore) {
		t.Error("a file outside the root was changed")
	}
}

type jsonFinding struct {
	File, Rule, Message string
	Line                int
}

// checkJSON is what failfast check -json reports in dir.
func checkJSON(t *testing.T, bin, dir string) []jsonFinding {
	t.Helper()
	cmd := exec.Command(bin, "check", "-json", "./...")
	cmd.Dir = dir
	out, err := cmd.Output()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 {
		t.Fatalf("failfast check -json: %v, want exit status 1", err)
	}
	var report struct{ Findings []jsonFinding }
	if err := json.Unmarshal(out, &report); err != nil {
		t.Fatalf("failfast check -json: %v\n%s", err, out)
	}
	return report.Findings
}
