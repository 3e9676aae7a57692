package server_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
)

type action struct {
	Title       string                  `json:"title"`
	Kind        string                  `json:"kind"`
	IsPreferred bool                    `json:"isPreferred"`
	Edit        *protocol.WorkspaceEdit `json:"edit"`
	Data        json.RawMessage         `json:"data"`
	Diagnostics []protocol.Diagnostic   `json:"diagnostics"`
}

// applyEdits applies LSP text edits (UTF-16 positions) to text.
func applyEdits(t *testing.T, text string, edits []protocol.TextEdit) string {
	t.Helper()
	offset := func(p protocol.Position) int {
		lines := strings.SplitAfter(text, "\n")
		off := 0
		for i := 0; i < int(p.Line); i++ {
			off += len(lines[i])
		}
		units := 0
		for i, r := range lines[p.Line] {
			if units >= int(p.Character) {
				return off + i
			}
			units++
			if r > 0xFFFF {
				units++
			}
		}
		return off + len(strings.TrimRight(lines[p.Line], "\r\n"))
	}
	slices.SortFunc(edits, func(a, b protocol.TextEdit) int { return offset(b.Range.Start) - offset(a.Range.Start) })
	for _, e := range edits {
		s, en := offset(e.Range.Start), offset(e.Range.End)
		text = text[:s] + e.NewText + text[en:]
	}
	return text
}

func codeActions(t *testing.T, c *client, uri protocol.DocumentURI, d protocol.Diagnostic, only []string) []action {
	t.Helper()
	params := map[string]any{
		"textDocument": map[string]any{"uri": uri},
		"range":        d.Range,
		"context":      map[string]any{"diagnostics": []any{map[string]any{"range": d.Range, "code": d.Code, "message": d.Message}}},
	}
	if only != nil {
		params["context"].(map[string]any)["only"] = only
	}
	var actions []action
	if err := c.call("textDocument/codeAction", params, &actions); err != nil {
		t.Fatalf("codeAction: %v", err)
	}
	return actions
}

func goBuild(t *testing.T, dir string) {
	t.Helper()
	cmd := exec.Command("go", "build", "./...")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOTOOLCHAIN=local")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build after the fix: %v\n%s", err, out)
	}
}

func TestQuickFixAppliesAndBuilds(t *testing.T) {
	// Save's dropped error has a safe fix (it returns an error), which
	// fix-all applies; Load's have only unsafe ones (a panic).
	src := demoSource + "\nfunc Save(path string, b []byte) error {\n\tos.WriteFile(path, b, 0o600)\n\treturn nil\n}\n"
	dir := writeModule(t, map[string]string{"a.go": src})
	c := start(t, dir)
	c.initialize(dir, map[string]any{}, nil)
	path := filepath.Join(dir, "a.go")
	uri := open(c, path, src, 1)
	d, ok := find(c.diagnosticsFor(uri, 1), "unchecked-type-assertion")
	if !ok {
		t.Fatal("no unchecked-type-assertion diagnostic")
	}
	actions := codeActions(t, c, uri, d, nil)
	var titles []string
	var fix *action
	for i, a := range actions {
		titles = append(titles, a.Title)
		if a.Kind == "quickfix" && a.IsPreferred && fix == nil {
			fix = &actions[i]
		}
	}
	if fix == nil || fix.Edit == nil {
		t.Fatalf("no preferred quick fix with an edit among %q", titles)
	}
	if !slices.Contains(titles, "Ignore unchecked-type-assertion on this line") {
		t.Errorf("no Ignore action among %q", titles)
	}
	fixed := applyEdits(t, src, fix.Edit.Changes[uri])
	if err := os.WriteFile(path, []byte(fixed), 0o644); err != nil {
		t.Fatal(err)
	}
	goBuild(t, dir)
	c.notify("textDocument/didChange", map[string]any{
		"textDocument":   map[string]any{"uri": uri, "version": 2},
		"contentChanges": []map[string]any{{"text": fixed}},
	})
	if _, ok := find(c.diagnosticsFor(uri, 2), "unchecked-type-assertion"); ok {
		t.Errorf("still reported after %q:\n%s", fix.Title, fixed)
	}

	// Fix-all, asked for explicitly as on save, fixes what is left.
	all := codeActions(t, c, uri, protocol.Diagnostic{Range: protocol.Range{}}, []string{"source.fixAll.failfast"})
	if len(all) != 1 || all[0].Kind != "source.fixAll.failfast" || all[0].Edit == nil {
		t.Fatalf("fix-all actions = %+v, want one with an edit", all)
	}
	fixedAll := applyEdits(t, fixed, all[0].Edit.Changes[uri])
	if err := os.WriteFile(path, []byte(fixedAll), 0o644); err != nil {
		t.Fatal(err)
	}
	goBuild(t, dir)
	c.notify("textDocument/didChange", map[string]any{
		"textDocument":   map[string]any{"uri": uri, "version": 3},
		"contentChanges": []map[string]any{{"text": fixedAll}},
	})
	if p := c.diagnosticsFor(uri, 3); len(p.Diagnostics) >= len(c.diagnosticsFor(uri, 2).Diagnostics) {
		t.Errorf("fix-all left %v", rules(p))
	}
	if code := c.shutdownExit(); code != 0 {
		t.Errorf("exit status = %d", code)
	}
}

func TestResolveSupportDefersTheEdit(t *testing.T) {
	dir := writeModule(t, map[string]string{"a.go": demoSource})
	c := start(t, dir)
	caps := map[string]any{"textDocument": map[string]any{"codeAction": map[string]any{
		"dataSupport": true, "resolveSupport": map[string]any{"properties": []string{"edit"}},
	}}}
	c.initialize(dir, caps, nil)
	uri := open(c, filepath.Join(dir, "a.go"), demoSource, 1)
	d, ok := find(c.diagnosticsFor(uri, 1), "unchecked-type-assertion")
	if !ok {
		t.Fatal("no diagnostic")
	}
	actions := codeActions(t, c, uri, d, nil)
	if len(actions) == 0 || actions[0].Edit != nil || len(actions[0].Data) == 0 {
		t.Fatalf("actions = %+v, want edits deferred to resolve (data, no edit)", actions)
	}
	var resolved action
	if err := c.call("codeAction/resolve", actions[0], &resolved); err != nil {
		t.Fatalf("codeAction/resolve: %v", err)
	}
	if resolved.Edit == nil || len(resolved.Edit.Changes[uri]) == 0 {
		t.Fatalf("resolved action has no edit: %+v", resolved)
	}
	c.shutdownExit()
}

func TestConfigurationDisablesRuleAndBadSettingIsShown(t *testing.T) {
	dir := writeModule(t, map[string]string{"a.go": demoSource})
	c := start(t, dir)
	c.settings = json.RawMessage(`{}`)
	c.initialize(dir, map[string]any{"workspace": map[string]any{"configuration": true}},
		map[string]any{"rules": map[string]string{"no-such-rule": "off"}, "run": "onType", "debounceMs": 0})
	c.waitFor("a showMessage naming the bad setting", func() bool {
		return slices.ContainsFunc(c.shows, func(m protocol.ShowMessageParams) bool {
			return strings.Contains(m.Message, "failfast.rules.no-such-rule")
		})
	})
	uri := open(c, filepath.Join(dir, "a.go"), demoSource, 1)
	if _, ok := find(c.diagnosticsFor(uri, 1), "unchecked-type-assertion"); !ok {
		t.Fatal("rule not reported before it is disabled")
	}
	c.mu.Lock()
	n := len(c.diags)
	c.settings = json.RawMessage(`{"rules": {"unchecked-type-assertion": "off", "unchecked-map-lookup": "off", "discarded-error": "off"}, "debounceMs": "bad"}`)
	c.mu.Unlock()
	c.notify("workspace/didChangeConfiguration", map[string]any{"settings": nil})
	c.waitFor("diagnostics without the disabled rules", func() bool {
		for _, p := range c.diags[n:] {
			if p.URI == uri && len(p.Diagnostics) == 0 {
				return true
			}
		}
		return false
	})
	c.waitFor("a showMessage naming failfast.debounceMs", func() bool {
		return slices.ContainsFunc(c.shows, func(m protocol.ShowMessageParams) bool { return strings.Contains(m.Message, "failfast.debounceMs") })
	})
	c.shutdownExit()
}

func TestProtocolErrors(t *testing.T) {
	dir := writeModule(t, map[string]string{"a.go": demoSource})
	c := start(t, dir)
	err := c.call("textDocument/codeAction", map[string]any{}, nil)
	var we *jsonrpc2.Error
	if !errors.As(err, &we) || we.Code != jsonrpc2.ServerNotInitialized {
		t.Errorf("request before initialize: %v, want ServerNotInitialized (-32002)", err)
	}
	c.initialize(dir, map[string]any{}, nil)
	err = c.call("textDocument/hover", map[string]any{}, nil)
	if !errors.As(err, &we) || we.Code != jsonrpc2.MethodNotFound {
		t.Errorf("unknown request: %v, want MethodNotFound (-32601)", err)
	}
	c.notify("textDocument/unknownNotification", map[string]any{})
	// A malformed message is skipped; the server answers the next one.
	if _, err := fmt.Fprintf(c.stdin, "Content-Length: 9\r\n\r\n{not json"); err != nil {
		t.Fatal(err)
	}
	err = c.call("textDocument/codeAction", map[string]any{"textDocument": 5}, nil)
	if !errors.As(err, &we) || we.Code != jsonrpc2.InvalidParams {
		t.Errorf("bad params: %v, want InvalidParams", err)
	}
	// Exit without shutdown: status 1.
	c.notify("exit", nil)
	if code := c.waitExit(); code != 1 {
		t.Errorf("exit without shutdown: status %d, want 1", code)
	}
}

func TestCancelWithNumericID(t *testing.T) {
	dir := writeModule(t, map[string]string{"a.go": demoSource})
	c := start(t, dir)
	c.initialize(dir, map[string]any{}, nil) // request id 1
	// A code action on a file opened a moment ago waits for the packages
	// to be listed and checked; $/cancelRequest with the numeric id 2
	// (VS Code's form) arrives meanwhile and must end it with
	// RequestCancelled (-32800).
	uri := open(c, filepath.Join(dir, "a.go"), demoSource, 1)
	go func() {
		time.Sleep(5 * time.Millisecond)
		if err := c.conn.Notify(context.Background(), "$/cancelRequest", map[string]any{"id": 2}); err != nil {
			t.Errorf("cancel: %v", err)
		}
	}()
	err := c.call("textDocument/codeAction", map[string]any{
		"textDocument": map[string]any{"uri": uri}, "range": rng(11, 0, 11, 0), "context": map[string]any{"diagnostics": []any{}},
	}, nil)
	var we *jsonrpc2.Error
	switch {
	case err == nil:
		t.Log("the request finished before the cancellation arrived")
	case errors.As(err, &we) && we.Code == protocol.CodeRequestCancelled:
	default:
		t.Errorf("cancelled request: %v, want RequestCancelled (-32800)", err)
	}
	c.diagnosticsFor(uri, 1) // still serving
	if code := c.shutdownExit(); code != 0 {
		t.Errorf("exit status = %d", code)
	}
}

// TestFirstCompletePassSurvivesTyping checks that the first complete pass
// of a package, which a file's first analysis starts at once, is not
// cancelled by the edits that follow: typed without a pause (each edit
// sent as soon as the previous version's diagnostics arrive, debounce 0,
// one short pause among them), the edited function soon sees the facts
// that pass keeps about the package's other file (Find may return nil),
// which no per-edit check of that file alone can learn.
func TestFirstCompletePassSurvivesTyping(t *testing.T) {
	const a = "package m\n\nfunc Greet(id string) string {\n\tu := Find(id)\n\treturn \"hello \" + u.Name\n}\n"
	const b = "package m\n\ntype User struct{ Name string }\n\nvar users = map[string]*User{}\n\n" +
		"// Find returns the user with id, or nil.\nfunc Find(id string) *User {\n\tfor k, u := range users {\n\t\tif k == id {\n\t\t\treturn u\n\t\t}\n\t}\n\treturn nil\n}\n"
	// c.go makes the complete pass cost far more than an edit of a.go,
	// whose check prunes it away.
	var more strings.Builder
	more.WriteString("package m\n\nimport \"strconv\"\n")
	for i := range 3000 {
		fmt.Fprintf(&more, "\nfunc f%d(s string) (int, error) {\n\tn, err := strconv.Atoi(s)\n\tif err != nil {\n\t\treturn 0, err\n\t}\n\treturn n + %d, nil\n}\n", i, i)
	}
	dir := writeModule(t, map[string]string{"a.go": a, "b.go": b, "c.go": more.String()})
	c := start(t, dir)
	c.initialize(dir, nil, map[string]any{"debounceMs": 0, "scope": "openFiles"})
	uri := open(c, filepath.Join(dir, "a.go"), a, 1)
	c.diagnosticsFor(uri, 1)
	deadline := time.Now().Add(45 * time.Second)
	for v := int32(2); time.Now().Before(deadline); v++ {
		if v == 12 {
			time.Sleep(500 * time.Millisecond) // the one pause
		}
		change := map[string]any{"range": rng(3, 0, 3, 0), "text": "\t_ = 0\n"}
		if v%2 == 1 {
			change = map[string]any{"range": rng(3, 0, 4, 0), "text": ""}
		}
		c.notify("textDocument/didChange", map[string]any{
			"textDocument": map[string]any{"uri": uri, "version": v}, "contentChanges": []any{change}})
		if _, ok := find(c.diagnosticsFor(uri, v), "unchecked-nil-result"); ok {
			if code := c.shutdownExit(); code != 0 {
				t.Errorf("exit status = %d", code)
			}
			return
		}
	}
	t.Fatal("after 45 s of edits without a pause, Greet's edits still do not see that Find may return nil: the first complete pass never finished")
}
