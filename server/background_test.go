package server_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"go.lsp.dev/protocol"
)

// unopenedSource has a finding (the type assertion) and is never opened.
const unopenedSource = `package sub

func Get(m map[string]any) string {
	return m["k"].(string)
}
`

// backgroundModule is a module with a.go (demoSource) at its root and
// sub/b.go, sub/c.go, which the tests never open.
func backgroundModule(t *testing.T) string {
	return writeModule(t, map[string]string{
		"a.go":     demoSource,
		"sub/b.go": unopenedSource,
		"sub/c.go": strings.Replace(unopenedSource, "func Get", "func Get2", 1),
	})
}

func progressCaps() map[string]any {
	return map[string]any{
		"window":    map[string]any{"workDoneProgress": true},
		"workspace": map[string]any{"didChangeWatchedFiles": map[string]any{"dynamicRegistration": true}},
	}
}

// unversioned returns the last publication for uri if it has no version
// (the background pass's), waiting for one that satisfies cond.
func (c *client) backgroundDiagnostics(uri protocol.DocumentURI, what string, cond func(published) bool) published {
	c.t.Helper()
	var got published
	c.waitFor(what, func() bool {
		for i := len(c.diags) - 1; i >= 0; i-- {
			if p := c.diags[i]; p.URI == uri {
				got = p
				return p.Version == nil && cond(p)
			}
		}
		return false
	})
	return got
}

func TestBackgroundPassPushesFilesNotOpen(t *testing.T) {
	dir := backgroundModule(t)
	c := start(t, dir)
	c.initialize(dir, progressCaps(), nil)
	b := protocol.DocumentURI("file://" + filepath.Join(dir, "sub", "b.go"))
	cURI := protocol.DocumentURI("file://" + filepath.Join(dir, "sub", "c.go"))
	p := c.backgroundDiagnostics(b, "background diagnostics for sub/b.go, never opened", func(p published) bool { return len(p.Diagnostics) > 0 })
	if d, ok := find(p, "unchecked-type-assertion"); !ok || d.Range.Start.Line != 3 {
		t.Errorf("sub/b.go diagnostics = %v, want unchecked-type-assertion on line 4", rules(p))
	}
	c.backgroundDiagnostics(cURI, "background diagnostics for sub/c.go", func(p published) bool { return len(p.Diagnostics) > 0 })

	// The progress of the sweep: created, begun, ended.
	c.waitFor("the background pass's progress to end", func() bool {
		return slices.ContainsFunc(c.progress, func(e progressEvent) bool { return e.Kind == "end" })
	})
	c.mu.Lock()
	events := slices.Clone(c.progress)
	created := slices.Clone(c.created)
	c.mu.Unlock()
	if len(events) < 2 || events[0].Kind != "begin" || events[0].Title != "failfast" || !events[0].Cancellable ||
		!strings.HasSuffix(events[0].Message, " packages") || !slices.Contains(created, events[0].Token) {
		t.Errorf("progress = %+v (created %q), want a cancellable begin titled failfast on a created token, then an end", events, created)
	}
	if last := events[len(events)-1]; last.Kind != "end" || last.Message != "2 packages analysed" {
		t.Errorf("last progress = %+v, want the end of 2 packages", last)
	}

	// An open file's findings come from its own analysis: the version is
	// stamped, and the pass delivers nothing unversioned for it while open.
	aPath := filepath.Join(dir, "a.go")
	a := open(c, aPath, demoSource, 1)
	if _, ok := find(c.diagnosticsFor(a, 1), "unchecked-type-assertion"); !ok {
		t.Fatal("no diagnostics for the open a.go")
	}
	c.mu.Lock()
	opened := len(c.diags)
	c.mu.Unlock()

	// A file changed on disk: its package is analysed again.
	bPath := filepath.Join(dir, "sub", "b.go")
	fixed := strings.Replace(unopenedSource, `return m["k"].(string)`, "s, _ := m[\"k\"].(string)\n\treturn s", 1)
	if err := os.WriteFile(bPath, []byte(fixed), 0o644); err != nil {
		t.Fatal(err)
	}
	c.notify("workspace/didChangeWatchedFiles", map[string]any{"changes": []map[string]any{{"uri": b, "type": 2}}})
	c.backgroundDiagnostics(b, "sub/b.go cleared after its fix on disk", func(p published) bool { return len(p.Diagnostics) == 0 })
	// A deleted file's diagnostics are cleared.
	if err := os.Remove(filepath.Join(dir, "sub", "c.go")); err != nil {
		t.Fatal(err)
	}
	c.notify("workspace/didChangeWatchedFiles", map[string]any{"changes": []map[string]any{{"uri": cURI, "type": 3}}})
	c.backgroundDiagnostics(cURI, "sub/c.go cleared after its deletion", func(p published) bool { return len(p.Diagnostics) == 0 })

	c.mu.Lock()
	for _, p := range c.diags[opened:] {
		if p.URI == a && p.Version == nil {
			t.Errorf("the background pass delivered for a.go while it was open: %v", rules(p))
		}
	}
	c.mu.Unlock()

	// Closing a.go hands it back to the pass, which analyses it from the
	// disk: its findings stay, without a version.
	c.notify("textDocument/didClose", map[string]any{"textDocument": map[string]any{"uri": a}})
	c.backgroundDiagnostics(a, "a.go's findings from the disk after it closed", func(p published) bool {
		_, ok := find(p, "unchecked-type-assertion")
		return ok
	})
	if code := c.shutdownExit(); code != 0 {
		t.Errorf("exit status = %d", code)
	}
}

func TestBackgroundPassInPullMode(t *testing.T) {
	dir := backgroundModule(t)
	c := start(t, dir)
	c.initialize(dir, pullCaps(), nil)
	b := protocol.DocumentURI("file://" + filepath.Join(dir, "sub", "b.go"))
	var rep report
	deadline := time.Now().Add(60 * time.Second)
	for {
		reports := c.pullWorkspace(nil)
		rep = reports[b]
		if len(rep.Items) > 0 || time.Now().After(deadline) {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if len(rep.Items) == 0 || rep.Version != nil || rep.Kind != "full" {
		t.Fatalf("workspace/diagnostic report for sub/b.go = %+v, want its findings with a null version", rep)
	}
	if c.refreshCount() == 0 {
		t.Error("no workspace/diagnostic/refresh after the background pass delivered")
	}
	// A document pull of the file, never opened, answers the same.
	if doc := c.pull(b, ""); len(doc.Items) != len(rep.Items) || doc.ResultID != rep.ResultID {
		t.Errorf("textDocument/diagnostic for sub/b.go = %+v, want the workspace report %+v", doc, rep)
	}
	c.mu.Lock()
	pushed := len(c.diags)
	c.mu.Unlock()
	if pushed != 0 {
		t.Errorf("%d publishDiagnostics to a pulling client", pushed)
	}
	if code := c.shutdownExit(); code != 0 {
		t.Errorf("exit status = %d", code)
	}
}

func TestScopeOpenFilesAndSwitching(t *testing.T) {
	dir := backgroundModule(t)
	c := start(t, dir)
	c.initialize(dir, map[string]any{}, map[string]any{"scope": "openFiles"})
	a := open(c, filepath.Join(dir, "a.go"), demoSource, 1)
	c.diagnosticsFor(a, 1)
	b := protocol.DocumentURI("file://" + filepath.Join(dir, "sub", "b.go"))
	c.waitFor("the log to say there is no background pass", func() bool {
		return slices.ContainsFunc(c.logs, func(l protocol.LogMessageParams) bool {
			return strings.Contains(l.Message, "no background pass: failfast.scope is openFiles")
		})
	})
	time.Sleep(time.Second) // what a pass would have delivered by now
	c.mu.Lock()
	for _, p := range c.diags {
		if p.URI != a {
			t.Errorf("diagnostics for %s with scope openFiles", p.URI)
		}
	}
	c.mu.Unlock()

	// Switched to workspace at runtime: the pass starts.
	c.notify("workspace/didChangeConfiguration", map[string]any{"settings": map[string]any{"failfast": map[string]any{"scope": "workspace"}}})
	c.backgroundDiagnostics(b, "sub/b.go's diagnostics once the scope is workspace", func(p published) bool { return len(p.Diagnostics) > 0 })
	// And back: the files that are not open are cleared, the open one kept.
	c.notify("workspace/didChangeConfiguration", map[string]any{"settings": map[string]any{"failfast": map[string]any{"scope": "openFiles"}}})
	c.backgroundDiagnostics(b, "sub/b.go cleared once the scope is openFiles", func(p published) bool { return len(p.Diagnostics) == 0 })

	// A wrong value is named to the user and the scope stays.
	c.notify("workspace/didChangeConfiguration", map[string]any{"settings": map[string]any{"failfast": map[string]any{"scope": "everything"}}})
	c.waitFor("a message naming failfast.scope", func() bool {
		return slices.ContainsFunc(c.shows, func(m protocol.ShowMessageParams) bool {
			return strings.Contains(m.Message, `failfast.scope: want "workspace"`) && strings.Contains(m.Message, "everything")
		})
	})
	if code := c.shutdownExit(); code != 0 {
		t.Errorf("exit status = %d", code)
	}
}

func TestBackgroundPassCancelledFromTheClient(t *testing.T) {
	files := map[string]string{}
	const n = 40
	for i := range n {
		files[fmt.Sprintf("p%02d/p.go", i)] = strings.Replace(unopenedSource, "package sub", fmt.Sprintf("package p%02d", i), 1)
	}
	dir := writeModule(t, files)
	c := start(t, dir)
	c.mu.Lock()
	c.onProgress = func(e progressEvent) {
		if e.Kind == "begin" {
			c.notify("window/workDoneProgress/cancel", map[string]any{"token": e.Token})
		}
	}
	c.mu.Unlock()
	c.initialize(dir, progressCaps(), nil)
	c.waitFor("the progress to end after the cancel", func() bool {
		return slices.ContainsFunc(c.progress, func(e progressEvent) bool { return e.Kind == "end" })
	})
	c.mu.Lock()
	end := c.progress[len(c.progress)-1]
	c.mu.Unlock()
	if end.Kind != "end" || !strings.HasPrefix(end.Message, "stopped at ") || !strings.HasSuffix(end.Message, fmt.Sprintf("/%d packages", n)) {
		t.Errorf("progress end = %+v, want stopped at k/%d packages", end, n)
	}
	time.Sleep(500 * time.Millisecond) // what a pass that went on would deliver
	c.mu.Lock()
	delivered := map[protocol.DocumentURI]bool{}
	for _, p := range c.diags {
		delivered[p.URI] = true
	}
	c.mu.Unlock()
	if len(delivered) == n {
		t.Errorf("all %d packages delivered after the cancel", n)
	}
	if code := c.shutdownExit(); code != 0 {
		t.Errorf("exit status = %d", code)
	}
}

// An open file's analysis does not wait behind the background pass: a
// file opened when the pass begins gets its diagnostics while the pass is
// still running (it yields after each package and pauses while the
// editor's analyses run).
func TestEditsDoNotWaitBehindTheBackgroundPass(t *testing.T) {
	files := map[string]string{"a.go": demoSource}
	const n = 40
	for i := range n {
		files[fmt.Sprintf("p%02d/p.go", i)] = strings.Replace(unopenedSource, "package sub", fmt.Sprintf("package p%02d", i), 1)
	}
	dir := writeModule(t, files)
	c := start(t, dir)
	aPath := filepath.Join(dir, "a.go")
	a := protocol.DocumentURI("file://" + aPath)
	c.mu.Lock()
	c.onProgress = func(e progressEvent) {
		if e.Kind == "begin" {
			open(c, aPath, demoSource, 1)
		}
	}
	c.mu.Unlock()
	c.initialize(dir, progressCaps(), map[string]any{"debounceMs": 0})
	c.diagnosticsFor(a, 1)
	c.mu.Lock()
	ended := slices.ContainsFunc(c.progress, func(e progressEvent) bool { return e.Kind == "end" })
	c.mu.Unlock()
	if ended {
		t.Error("the open file's diagnostics came only after the background pass ended")
	}
	c.waitFor("the background pass to end", func() bool {
		return slices.ContainsFunc(c.progress, func(e progressEvent) bool { return e.Kind == "end" })
	})
	if code := c.shutdownExit(); code != 0 {
		t.Errorf("exit status = %d", code)
	}
}

// TestBackgroundPassSettlesLikeCheck checks that the background pass,
// once its sweep has analysed every package, settles its findings as
// check does (runner.Settle) on testdata/settle, the module of cmd/failfast's
// TestCheckSettlesNilNilAcrossPackages: store.go's `return nil, nil` whose
// callers, all in package ui, test the result is not shown; the one that ui
// dereferences unchecked, and the one no caller reaches, are.
func TestBackgroundPassSettlesLikeCheck(t *testing.T) {
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS(filepath.Join("..", "testdata", "settle"))); err != nil {
		t.Fatal(err)
	}
	c := start(t, dir)
	c.initialize(dir, progressCaps(), nil)
	c.waitFor("the background pass's progress to end", func() bool {
		return slices.ContainsFunc(c.progress, func(e progressEvent) bool { return e.Kind == "end" })
	})
	store := protocol.DocumentURI("file://" + filepath.Join(dir, "store", "store.go"))
	p := c.backgroundDiagnostics(store, "settled diagnostics for store/store.go", func(published) bool { return true })
	var lines []int
	for _, d := range p.Diagnostics {
		if d.Code == "nil-nil-return" {
			lines = append(lines, int(d.Range.Start.Line)+1)
		}
	}
	if want := []int{30, 45}; !slices.Equal(lines, want) {
		t.Errorf("nil-nil-return on lines %v of store/store.go, want %v (line 19's callers all test the result)", lines, want)
	}
}

// TestOpenedUnchangedTakesTheBackgroundAnswer opens a file as the
// background pass last analysed it: the pass's answer is the complete one,
// so the document gets one publication for its version, with the pass's
// findings, and no whole-package pass follows (it would publish the same
// version again after the pause). A file opened with other content than
// the pass saw gets its complete pass as usual.
func TestOpenedUnchangedTakesTheBackgroundAnswer(t *testing.T) {
	dir := backgroundModule(t)
	c := start(t, dir)
	c.initialize(dir, progressCaps(), nil)
	bPath, cPath := filepath.Join(dir, "sub", "b.go"), filepath.Join(dir, "sub", "c.go")
	b, cURI := protocol.DocumentURI("file://"+bPath), protocol.DocumentURI("file://"+cPath)
	before := c.backgroundDiagnostics(b, "background diagnostics for sub/b.go", func(p published) bool { return len(p.Diagnostics) > 0 })
	c.backgroundDiagnostics(cURI, "background diagnostics for sub/c.go", func(p published) bool { return len(p.Diagnostics) > 0 })
	c.waitFor("the background pass's progress to end", func() bool {
		return slices.ContainsFunc(c.progress, func(e progressEvent) bool { return e.Kind == "end" })
	})
	publications := func(uri protocol.DocumentURI, version int32) int {
		c.mu.Lock()
		defer c.mu.Unlock()
		n := 0
		for _, p := range c.diags {
			if p.URI == uri && p.Version != nil && *p.Version == version {
				n++
			}
		}
		return n
	}

	open(c, bPath, unopenedSource, 1)
	got := c.diagnosticsFor(b, 1)
	if g, w := mustJSON(t, got.Diagnostics), mustJSON(t, before.Diagnostics); g != w {
		t.Errorf("sub/b.go opened unchanged: %v\nthe background pass found: %v", got.Diagnostics, before.Diagnostics)
	}
	changed := strings.Replace(unopenedSource, "func Get", "func Get2", 1) + "\n// edited\n"
	open(c, cPath, changed, 1)
	c.diagnosticsFor(cURI, 1)
	c.waitFor("sub/c.go's complete pass after the pause (a second publication of version 1)", func() bool {
		for n, i := 0, 0; i < len(c.diags); i++ {
			if p := c.diags[i]; p.URI == cURI && p.Version != nil && *p.Version == 1 {
				if n++; n == 2 {
					return true
				}
			}
		}
		return false
	})
	// sub/c.go's complete pass came a pause after its opening, which came
	// after sub/b.go's: one for b.go would have come by now.
	if n := publications(b, 1); n != 1 {
		t.Errorf("sub/b.go, opened unchanged, was published %d times for version 1, want once (no whole-package pass)", n)
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// TestOpenFileFollowsAChangeOnDisk changes, on disk, a file that is not
// open in a package the open file imports: after the background pass has
// analysed it again, the open file (unchanged, same version) is analysed
// again with its new facts and gets the finding that the change causes.
func TestOpenFileFollowsAChangeOnDisk(t *testing.T) {
	found := "package store\n\ntype User struct{ Name string }\n\nfunc Find(id string) *User {\n\treturn &User{Name: id}\n}\n"
	dir := writeModule(t, map[string]string{
		"store/store.go": found,
		"a.go": `package m

import "example.com/m1/store"

func Greet(id string) string {
	u := store.Find(id)
	return "hello " + u.Name
}
`,
	})
	c := start(t, dir)
	c.initialize(dir, progressCaps(), nil)
	c.waitFor("the background pass's progress to end", func() bool {
		return slices.ContainsFunc(c.progress, func(e progressEvent) bool { return e.Kind == "end" })
	})
	aPath := filepath.Join(dir, "a.go")
	src, err := os.ReadFile(aPath)
	if err != nil {
		t.Fatal(err)
	}
	a := open(c, aPath, string(src), 1)
	if p := c.diagnosticsFor(a, 1); len(p.Diagnostics) != 0 {
		t.Fatalf("a.go: %v before the change, want nothing (Find never returns nil)", rules(p))
	}
	storePath := filepath.Join(dir, "store", "store.go")
	missing := strings.Replace(found, "\treturn &User{Name: id}\n", "\tif id == \"\" {\n\t\treturn nil\n\t}\n\treturn &User{Name: id}\n", 1)
	if err := os.WriteFile(storePath, []byte(missing), 0o644); err != nil {
		t.Fatal(err)
	}
	c.notify("workspace/didChangeWatchedFiles", map[string]any{"changes": []map[string]any{{"uri": "file://" + storePath, "type": 2}}})
	c.waitFor("a.go's unchecked-nil-result once store.Find may return nil", func() bool {
		for _, p := range c.diags {
			if p.URI == a && p.Version != nil && *p.Version == 1 {
				if _, ok := find(p, "unchecked-nil-result"); ok {
					return true
				}
			}
		}
		return false
	})
}
