package mcp

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"
)

// fakeWorkspace records what the tools pass on.
type fakeWorkspace struct {
	patterns []string
	files    []string
	dryRun   bool
	calls    int
}

func (w *fakeWorkspace) Check(_ context.Context, patterns []string) (*CheckOutput, error) {
	w.calls++
	w.patterns = patterns
	return &CheckOutput{Findings: []Finding{{Rule: "unchecked-index", File: "a.go", Line: 1, Column: 2, Fixes: []string{"Guard the index with a length check"}}}, Complete: true}, nil
}

func (w *fakeWorkspace) Fix(_ context.Context, files []string, dryRun bool) (*FixOutput, error) {
	w.calls++
	w.files, w.dryRun = files, dryRun
	return &FixOutput{Files: []string{}, Fixed: []FixedOne{}, Complete: true}, nil
}

func (w *fakeWorkspace) Explain(rule string) (string, error) {
	w.calls++
	if rule != "unchecked-index" {
		return "", errors.New("unknown rule " + rule)
	}
	return "# unchecked-index\n", nil
}

// workspace makes a root with a package, a file, a non-Go file and
// symbolic links pointing inside and outside it.
func workspace(t *testing.T) (root, outside string) {
	t.Helper()
	base := t.TempDir()
	root, outside = filepath.Join(base, "root"), filepath.Join(base, "outside")
	for _, d := range []string{filepath.Join(root, "store"), outside} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for name, content := range map[string]string{
		filepath.Join(root, "go.mod"):        "module example.com/w\n",
		filepath.Join(root, "main.go"):       "package main\n",
		filepath.Join(root, "store", "a.go"): "package store\n",
		filepath.Join(outside, "x.go"):       "package x\n",
	} {
		if err := os.WriteFile(name, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for link, target := range map[string]string{
		filepath.Join(root, "out"):      outside,
		filepath.Join(root, "out.go"):   filepath.Join(outside, "x.go"),
		filepath.Join(root, "inside"):   filepath.Join(root, "store"),
		filepath.Join(root, "alias.go"): filepath.Join(root, "main.go"),
	} {
		if err := os.Symlink(target, link); err != nil {
			t.Skipf("cannot make symbolic links here: %v", err)
		}
	}
	return root, outside
}

// connect starts a server for root over an in-memory transport and
// returns a client session of the go-sdk's own client.
func connect(t *testing.T, root string, ws Workspace) *sdk.ClientSession {
	t.Helper()
	r, err := NewRoot(root)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := New(r, ws, Options{Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	st, ct := sdk.NewInMemoryTransports()
	done := make(chan error, 1)
	go func() { done <- srv.Run(ctx, st) }()
	cs, err := sdk.NewClient(&sdk.Implementation{Name: "test", Version: "1"}, nil).Connect(ctx, ct, nil)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := cs.Close(); err != nil {
			t.Errorf("closing the client: %v", err)
		}
		if err := <-done; err != nil {
			t.Errorf("server: %v", err)
		}
		cancel()
	})
	return cs
}

func call(t *testing.T, cs *sdk.ClientSession, name string, args any) (*sdk.CallToolResult, string) {
	t.Helper()
	res, err := cs.CallTool(context.Background(), &sdk.CallToolParams{Name: name, Arguments: args})
	if err != nil {
		t.Fatalf("%s %v: a protocol error, want a tool result: %v", name, args, err)
	}
	var text []string
	for _, c := range res.Content {
		if tc, ok := c.(*sdk.TextContent); ok {
			text = append(text, tc.Text)
		}
	}
	return res, strings.Join(text, "\n")
}

func TestToolsAndSchemas(t *testing.T) {
	root, _ := workspace(t)
	cs := connect(t, root, &fakeWorkspace{})
	list, err := cs.ListTools(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, tool := range list.Tools {
		names = append(names, tool.Name)
		data, err := json.Marshal(tool.InputSchema)
		if err != nil {
			t.Fatal(err)
		}
		var schema struct {
			Type                 string          `json:"type"`
			AdditionalProperties json.RawMessage `json:"additionalProperties"`
			Required             []string        `json:"required"`
		}
		if err := json.Unmarshal(data, &schema); err != nil {
			t.Fatal(err)
		}
		if schema.Type != "object" || string(schema.AdditionalProperties) != "false" {
			t.Errorf("%s: input schema %s: want an object with additionalProperties false", tool.Name, data)
		}
		if tool.OutputSchema == nil || tool.Description == "" {
			t.Errorf("%s: no output schema or no description", tool.Name)
		}
		want := map[string][]string{"check": nil, "fix": {"files"}, "explain": {"rule"}}[tool.Name]
		if !slices.Equal(schema.Required, want) {
			t.Errorf("%s: required %v, want %v", tool.Name, schema.Required, want)
		}
	}
	slices.Sort(names)
	if want := []string{"check", "explain", "fix"}; !slices.Equal(names, want) {
		t.Errorf("tools %v, want %v", names, want)
	}
}

// TestPathsPassedOn checks what a valid call hands the workspace.
func TestPathsPassedOn(t *testing.T) {
	root, _ := workspace(t)
	ws := &fakeWorkspace{}
	cs := connect(t, root, ws)
	for _, tc := range []struct {
		args any
		want []string
	}{
		{map[string]any{}, []string{"./..."}},
		{map[string]any{"paths": []string{}}, []string{"./..."}},
		{map[string]any{"paths": []string{"...", "./..."}}, []string{"./..."}},
		{map[string]any{"paths": []string{"store", "./store/a.go", "store/...", "."}}, []string{"./store", "./store/a.go", "./store/...", "."}},
		{map[string]any{"paths": []string{filepath.Join(root, "store"), "inside", "store/../main.go"}}, []string{"./store", "./main.go"}},
	} {
		res, text := call(t, cs, "check", tc.args)
		if res.IsError {
			t.Errorf("check %v: tool error %s", tc.args, text)
			continue
		}
		if !slices.Equal(ws.patterns, tc.want) {
			t.Errorf("check %v: patterns %q, want %q", tc.args, ws.patterns, tc.want)
		}
		var out CheckOutput
		if err := json.Unmarshal([]byte(text), &out); err != nil || len(out.Findings) != 1 || out.Findings[0].Fixes[0] == "" {
			t.Errorf("check %v: content %s (%v), want the workspace's output as JSON", tc.args, text, err)
		}
	}
	res, text := call(t, cs, "fix", map[string]any{"files": []string{"main.go", "alias.go", "store/a.go"}, "dryRun": true})
	if res.IsError {
		t.Fatalf("fix: tool error %s", text)
	}
	real, err := filepath.EvalSymlinks(root)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{filepath.Join(real, "main.go"), filepath.Join(real, "store", "a.go")}; !slices.Equal(ws.files, want) || !ws.dryRun {
		t.Errorf("fix: files %q dryRun %v, want %q and true", ws.files, ws.dryRun, want)
	}
	res, text = call(t, cs, "explain", map[string]any{"rule": "unchecked-index"})
	if res.IsError || text != "# unchecked-index\n" {
		t.Errorf("explain: isError %v, content %q; want the Markdown", res.IsError, text)
	}
}

// TestRefused checks that bad input is a tool error with a clear message,
// and never reaches the workspace.
func TestRefused(t *testing.T) {
	root, outside := workspace(t)
	ws := &fakeWorkspace{}
	cs := connect(t, root, ws)
	for _, tc := range []struct {
		tool string
		args any
		want string
	}{
		{"check", map[string]any{"paths": []string{"../../etc/passwd"}}, "is outside the workspace root"},
		{"check", map[string]any{"paths": []string{"/etc/passwd"}}, "is outside the workspace root"},
		{"check", map[string]any{"paths": []string{outside}}, "is outside the workspace root"},
		{"check", map[string]any{"paths": []string{"store/../../outside"}}, "is outside the workspace root"},
		{"check", map[string]any{"paths": []string{"/..."}}, "is outside the workspace root"},
		{"check", map[string]any{"paths": []string{"../..."}}, "is outside the workspace root"},
		{"check", map[string]any{"paths": []string{"out"}}, "through a symbolic link"},
		{"check", map[string]any{"paths": []string{"out/..."}}, "through a symbolic link"},
		{"check", map[string]any{"paths": []string{"out.go"}}, "through a symbolic link"},
		{"check", map[string]any{"paths": []string{"missing"}}, "does not exist in the workspace root"},
		{"check", map[string]any{"paths": []string{"github.com/acme/x"}}, "does not exist in the workspace root"},
		{"check", map[string]any{"paths": []string{"./st.../a"}}, "only a trailing /... is supported"},
		{"check", map[string]any{"paths": []string{"go.mod"}}, "is neither a directory nor a .go file"},
		{"check", map[string]any{"paths": []string{"main.go/..."}}, "is not a directory"},
		{"check", map[string]any{"paths": []string{""}}, "validating"},
		{"check", map[string]any{"paths": "./..."}, "validating"},
		{"check", map[string]any{"paths": []any{1}}, "validating"},
		{"check", map[string]any{"path": []string{"."}}, "validating"},
		{"fix", map[string]any{"files": []string{"../../etc/passwd"}}, "is outside the workspace root"},
		{"fix", map[string]any{"files": []string{"/etc/passwd"}}, "is outside the workspace root"},
		{"fix", map[string]any{"files": []string{"out.go"}}, "through a symbolic link"},
		{"fix", map[string]any{"files": []string{"main.go", "out/x.go"}}, "through a symbolic link"},
		{"fix", map[string]any{"files": []string{"store"}}, "is not a .go file"},
		{"fix", map[string]any{"files": []string{"go.mod"}}, "is not a .go file"},
		{"fix", map[string]any{"files": []string{}}, "validating"},
		{"fix", map[string]any{}, "validating"},
		{"fix", map[string]any{"files": []string{"main.go"}, "dryRun": "yes"}, "validating"},
		{"fix", map[string]any{"files": []string{"main.go"}, "force": true}, "validating"},
		{"explain", map[string]any{"rule": "no-such-rule"}, "unknown rule no-such-rule"},
		{"explain", map[string]any{}, "validating"},
		{"explain", map[string]any{"rule": 3}, "validating"},
	} {
		before := ws.calls
		res, text := call(t, cs, tc.tool, tc.args)
		t.Logf("%s %v: %s", tc.tool, tc.args, text)
		if !res.IsError || !strings.Contains(text, tc.want) {
			t.Errorf("%s %v: isError %v, %q; want a tool error saying %q", tc.tool, tc.args, res.IsError, text, tc.want)
		}
		if tc.tool != "explain" && ws.calls != before {
			t.Errorf("%s %v reached the workspace", tc.tool, tc.args)
		}
	}
	if _, err := cs.CallTool(context.Background(), &sdk.CallToolParams{Name: "rm", Arguments: map[string]any{}}); err == nil {
		t.Error("an unknown tool was not refused")
	}
}

// panicking is a workspace whose check panics.
type panicking struct{ fakeWorkspace }

func (*panicking) Check(context.Context, []string) (*CheckOutput, error) { panic("boom") }

func TestPanicIsAToolError(t *testing.T) {
	root, _ := workspace(t)
	cs := connect(t, root, &panicking{})
	res, text := call(t, cs, "check", map[string]any{})
	if !res.IsError || !strings.Contains(text, "crashed") || !strings.Contains(text, "boom") {
		t.Errorf("isError %v, %q; want a tool error naming the panic", res.IsError, text)
	}
	// The server still answers.
	if res, text := call(t, cs, "explain", map[string]any{"rule": "unchecked-index"}); res.IsError {
		t.Errorf("after a panic: %s", text)
	}
}
