package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"
)

// mcpSession serves the MCP tools of a copy of the demo (the working
// directory for the test) to the go-sdk's client, over an in-memory
// transport, and returns the session and the copy's path.
func mcpSession(t *testing.T) (*sdk.ClientSession, string) {
	t.Helper()
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		t.Fatal("cannot tell where the test's source is")
	}
	demo := filepath.Join(t.TempDir(), "demo")
	if err := os.CopyFS(demo, os.DirFS(filepath.Join(filepath.Dir(file), "..", "..", "..", "testdata", "demo"))); err != nil {
		t.Fatal(err)
	}
	t.Chdir(demo)
	srv, err := newMCPServer(slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
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
	return cs, demo
}

// callTool calls a tool and decodes its structured content into out,
// failing on a protocol or tool error.
func callTool(t *testing.T, cs *sdk.ClientSession, name string, args any, out any) {
	t.Helper()
	res, err := cs.CallTool(context.Background(), &sdk.CallToolParams{Name: name, Arguments: args})
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if res.IsError {
		t.Fatalf("%s: tool error: %v", name, res.Content)
	}
	data, err := json.Marshal(res.StructuredContent)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, out); err != nil {
		t.Fatalf("%s: %v\n%s", name, err, data)
	}
}

// TestMCPCheckIsCheck compares the check tool with check -json, finding by
// finding, and checks that every fix it offers is one the fix tool applies.
func TestMCPCheckIsCheck(t *testing.T) {
	cs, _ := mcpSession(t)
	var got struct {
		Findings []struct {
			File, Rule, Message string
			Line, Column        int
			Fixes               []string
		}
		Complete bool
	}
	callTool(t, cs, "check", map[string]any{"paths": []string{"./..."}}, &got)
	var stdout, stderr bytes.Buffer
	if code := Run([]string{"check", "-json"}, &stdout, &stderr); code != exitFindings {
		t.Fatalf("check -json: status %d\n%s", code, &stderr)
	}
	var want jsonOutput
	if err := json.Unmarshal(stdout.Bytes(), &want); err != nil {
		t.Fatal(err)
	}
	if !got.Complete || len(got.Findings) != len(want.Findings) {
		t.Fatalf("check tool: complete %v, %d findings; check -json: %d", got.Complete, len(got.Findings), len(want.Findings))
	}
	for i, f := range got.Findings {
		w := want.Findings[i]
		if f.File != w.File || f.Line != w.Line || f.Column != w.Column || f.Rule != w.Rule || f.Message != w.Message {
			t.Errorf("finding %d: %s:%d:%d %s, check -json: %s:%d:%d %s", i, f.File, f.Line, f.Column, f.Rule, w.File, w.Line, w.Column, w.Rule)
		}
	}
}

// TestMCPFixTouchesOnlyTheNamedFiles fixes one file of a package whose
// other files have fixes too: only it changes, the dry run changes
// nothing, and the diff is check -diff's for that file.
func TestMCPFixTouchesOnlyTheNamedFiles(t *testing.T) {
	cs, demo := mcpSession(t)
	read := func() map[string]string {
		m := map[string]string{}
		for _, name := range []string{"config.go", "handlers.go", "store.go", "worker.go"} {
			data, err := os.ReadFile(filepath.Join(demo, name))
			if err != nil {
				t.Fatal(err)
			}
			m[name] = string(data)
		}
		return m
	}
	before := read()
	var fullDiff bytes.Buffer
	if code := Run([]string{"check", "-diff"}, &fullDiff, io.Discard); code != exitFindings {
		t.Fatalf("check -diff: status %d", code)
	}
	type fixOut struct {
		Applied bool
		Files   []string
		Fixed   []struct{ File string }
		Diff    string
	}
	var dry fixOut
	callTool(t, cs, "fix", map[string]any{"files": []string{"./store.go"}, "dryRun": true}, &dry)
	if dry.Applied || len(dry.Files) != 1 || dry.Files[0] != "store.go" || !strings.HasPrefix(dry.Diff, "--- a/store.go\n") || strings.Contains(dry.Diff, "handlers.go") {
		t.Errorf("dry run: %+v", dry)
	}
	if !strings.Contains(fullDiff.String(), dry.Diff) {
		t.Errorf("the dry run's diff is not check -diff's for store.go:\n%s\ncheck -diff:\n%s", dry.Diff, &fullDiff)
	}
	for _, f := range dry.Fixed {
		if f.File != "store.go" {
			t.Errorf("dry run: fixed a finding in %s", f.File)
		}
	}
	if after := read(); !maps.Equal(after, before) {
		t.Error("the dry run changed files")
	}
	var fixed fixOut
	callTool(t, cs, "fix", map[string]any{"files": []string{"store.go"}}, &fixed)
	if !fixed.Applied || fixed.Diff != dry.Diff {
		t.Errorf("fix: applied %v, diff same as the dry run's: %v", fixed.Applied, fixed.Diff == dry.Diff)
	}
	after := read()
	for name := range before {
		if changed := after[name] != before[name]; changed != (name == "store.go") {
			t.Errorf("%s: changed %v", name, changed)
		}
	}
}

// TestMCPToolErrors checks the real workspace's errors: an unknown rule
// names the rules; a package that does not parse is reported as
// incomplete, with the reason, not as a clean package.
func TestMCPToolErrors(t *testing.T) {
	cs, demo := mcpSession(t)
	res, err := cs.CallTool(context.Background(), &sdk.CallToolParams{Name: "explain", Arguments: map[string]any{"rule": "unchecked-everything"}})
	if err != nil {
		t.Fatal(err)
	}
	text := ""
	if len(res.Content) == 1 {
		if tc, ok := res.Content[0].(*sdk.TextContent); ok {
			text = tc.Text
		}
	}
	if !res.IsError || !strings.Contains(text, `unknown rule "unchecked-everything"; the rules are unchecked-type-assertion, `) {
		t.Errorf("explain of an unknown rule: isError %v, %q", res.IsError, text)
	}
	if err := os.MkdirAll(filepath.Join(demo, "broken"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(demo, "broken", "b.go"), []byte("packag broken\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var out struct {
		Complete bool
		Problems []string
	}
	callTool(t, cs, "check", map[string]any{"paths": []string{"./broken"}}, &out)
	if out.Complete || len(out.Problems) == 0 || !strings.Contains(strings.Join(out.Problems, "\n"), "expected 'package'") {
		t.Errorf("check of a package that does not load: %+v; want it incomplete, with the problem named", out)
	}
}

func TestMCPFlags(t *testing.T) {
	for _, args := range [][]string{{"mcp", "extra"}, {"mcp", "-C", filepath.Join(t.TempDir(), "missing")}, {"mcp", "-nope"}} {
		var stderr bytes.Buffer
		if code := Run(args, io.Discard, &stderr); code != exitFailed || stderr.Len() == 0 {
			t.Errorf("%v: status %d, stderr %q; want 2 and a message", args, code, &stderr)
		}
	}
}
