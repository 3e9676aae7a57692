package server_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"

	"github.com/failfast-dev/failfast/server"
)

// pullCaps are the client capabilities of a client that pulls diagnostics
// and can be told to pull again (what vscode-languageclient 11 and Neovim
// 0.12 announce, trimmed to that).
func pullCaps() map[string]any {
	return map[string]any{
		"textDocument": map[string]any{"diagnostic": map[string]any{"dynamicRegistration": true, "relatedDocumentSupport": false}},
		"workspace":    map[string]any{"diagnostics": map[string]any{"refreshSupport": true}},
	}
}

// report is a document or workspace diagnostic report as the client reads
// it; raw keeps the JSON, to check which fields were sent.
type report struct {
	Kind     string                `json:"kind"`
	ResultID string                `json:"resultId"`
	Items    []protocol.Diagnostic `json:"items"`
	URI      protocol.DocumentURI  `json:"uri"`
	Version  *int32                `json:"version"`
	raw      json.RawMessage
}

func decodeReport(t *testing.T, raw json.RawMessage) report {
	t.Helper()
	var r report
	if err := json.Unmarshal(raw, &r); err != nil {
		t.Fatalf("decoding the report %s: %v", raw, err)
	}
	r.raw = raw
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(raw, &fields); err != nil {
		t.Fatalf("decoding the report %s: %v", raw, err)
	}
	switch r.Kind {
	case "full":
		if items, ok := fields["items"]; !ok || !strings.HasPrefix(string(items), "[") {
			t.Errorf("full report without an items array: %s", raw)
		}
	case "unchanged":
		if _, ok := fields["items"]; ok {
			t.Errorf("unchanged report with items: %s", raw)
		}
	default:
		t.Errorf("report of kind %q: %s", r.Kind, raw)
	}
	if r.ResultID == "" {
		t.Errorf("report without a resultId: %s", raw)
	}
	return r
}

// pull sends textDocument/diagnostic for uri with previousResultId prev.
func (c *client) pull(uri protocol.DocumentURI, prev string) report {
	c.t.Helper()
	params := map[string]any{"textDocument": map[string]any{"uri": uri}, "identifier": "failfast"}
	if prev != "" {
		params["previousResultId"] = prev
	}
	var raw json.RawMessage
	if err := c.call("textDocument/diagnostic", params, &raw); err != nil {
		c.t.Fatalf("textDocument/diagnostic for %s: %v", uri, err)
	}
	return decodeReport(c.t, raw)
}

// pullWorkspace sends workspace/diagnostic with the given previous
// resultIds and returns the reports by URI.
func (c *client) pullWorkspace(prev map[protocol.DocumentURI]string) map[protocol.DocumentURI]report {
	c.t.Helper()
	ids := []map[string]any{}
	for uri, v := range prev {
		ids = append(ids, map[string]any{"uri": uri, "value": v})
	}
	var res struct {
		Items []json.RawMessage `json:"items"`
	}
	if err := c.call("workspace/diagnostic", map[string]any{"identifier": "failfast", "previousResultIds": ids}, &res); err != nil {
		c.t.Fatalf("workspace/diagnostic: %v", err)
	}
	out := map[protocol.DocumentURI]report{}
	for _, raw := range res.Items {
		r := decodeReport(c.t, raw)
		if _, dup := out[r.URI]; dup {
			c.t.Errorf("workspace/diagnostic reports %s twice", r.URI)
		}
		var fields map[string]json.RawMessage
		if err := json.Unmarshal(raw, &fields); err != nil {
			c.t.Fatal(err)
		}
		if _, ok := fields["version"]; !ok {
			c.t.Errorf("workspace report without a version (null for a file that is not open): %s", raw)
		}
		out[r.URI] = r
	}
	return out
}

func (c *client) refreshCount() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.refreshes
}

// pushed fails the test if the server published diagnostics to a client
// that pulls them.
func (c *client) noPush() {
	c.t.Helper()
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.diags) > 0 {
		c.t.Errorf("the server published %d times to a client that pulls diagnostics (first for %s)", len(c.diags), c.diags[0].URI)
	}
}

func diagnosticProvider(t *testing.T, res map[string]any) (map[string]any, bool) {
	t.Helper()
	caps, ok := res["capabilities"].(map[string]any)
	if !ok {
		t.Fatalf("no capabilities in %v", res)
	}
	p, ok := caps["diagnosticProvider"].(map[string]any)
	return p, ok
}

func findIn(items []protocol.Diagnostic, rule string) (protocol.Diagnostic, bool) {
	return find(published{Diagnostics: items}, rule)
}

// A client that pulls gets a diagnosticProvider, a full report with a
// resultId, "unchanged" while that resultId still names the findings, and
// after an edit the findings of the edited text: the pull that follows
// the edit at once waits for its (debounced) analysis instead of
// answering with the previous text's findings. Nothing is pushed to it,
// and it is asked to pull again when the findings change.
func TestPullDiagnosticsFullUnchangedAndAfterAnEdit(t *testing.T) {
	dir := writeModule(t, map[string]string{"a.go": demoSource})
	c := start(t, dir)
	// Only the open files, so that a closed one has no findings (see
	// TestBackgroundPassInPullMode for the others).
	res := c.initialize(dir, pullCaps(), map[string]any{"debounceMs": 300, "scope": "openFiles"})
	p, ok := diagnosticProvider(t, res)
	if !ok || p["identifier"] != "failfast" || p["interFileDependencies"] != true || p["workspaceDiagnostics"] != true {
		t.Fatalf("diagnosticProvider = %v, want {identifier: failfast, interFileDependencies: true, workspaceDiagnostics: true}", res["capabilities"])
	}
	uri := open(c, filepath.Join(dir, "a.go"), demoSource, 1)

	// The first pull comes while the packages are still being listed.
	first := c.pull(uri, "")
	if first.Kind != "full" {
		t.Fatalf("first pull: %s, want a full report", first.raw)
	}
	d, ok := findIn(first.Items, "unchecked-type-assertion")
	if !ok {
		t.Fatalf("first pull lacks unchecked-type-assertion: %s", first.raw)
	}
	if d.Range.Start.Line != 11 || d.Range.Start.Character != 23 || d.Source != "failfast" || d.CodeDescription == nil {
		t.Errorf("pulled diagnostic %+v, want UTF-16 start 11:23 with source and documentation, as pushed", d)
	}

	again := c.pull(uri, first.ResultID)
	if again.Kind != "unchanged" || again.ResultID != first.ResultID {
		t.Errorf("pull with the current resultId: %s, want unchanged with resultId %q", again.raw, first.ResultID)
	}

	refreshes := c.refreshCount()
	fixed := strings.Replace(demoSource, `n := v["n"].(float64)`, `n, _ := v["n"].(float64)`, 1)
	c.notify("textDocument/didChange", map[string]any{"textDocument": map[string]any{"uri": uri, "version": 2},
		"contentChanges": []map[string]any{{"text": fixed}}})
	// Sent at once: the analysis of version 2 is still debounced.
	after := c.pull(uri, first.ResultID)
	if after.Kind != "full" || after.ResultID == first.ResultID {
		t.Fatalf("pull right after an edit: %s, want a full report with a new resultId (not %q)", after.raw, first.ResultID)
	}
	if _, ok := findIn(after.Items, "unchecked-type-assertion"); ok {
		t.Errorf("pull after the fix still has unchecked-type-assertion: the previous text's findings: %s", after.raw)
	}
	c.waitFor("a workspace/diagnostic/refresh after the findings changed", func() bool { return c.refreshes > refreshes })
	c.noPush()

	// Closing the document clears its findings for the next pull.
	c.notify("textDocument/didClose", map[string]any{"textDocument": map[string]any{"uri": uri}})
	closed := c.pull(uri, after.ResultID)
	if closed.Kind != "full" || len(closed.Items) != 0 {
		t.Errorf("pull after close: %s, want a full empty report", closed.raw)
	}
	c.noPush()
	if code := c.shutdownExit(); code != 0 {
		t.Errorf("exit status %d", code)
	}
}

// A pull waiting for an analysis ends with RequestCancelled when the client
// cancels it ($/cancelRequest with VS Code's numeric id), and the server
// goes on serving.
func TestPullWaitingForAnalysisIsCancellable(t *testing.T) {
	dir := writeModule(t, map[string]string{"a.go": demoSource})
	c := start(t, dir)
	c.initialize(dir, pullCaps(), map[string]any{"debounceMs": 60000}) // request 1
	path := filepath.Join(dir, "a.go")
	uri := open(c, path, demoSource, 1)
	first := c.pull(uri, "") // request 2; the analysis on open is not debounced
	if _, ok := findIn(first.Items, "unchecked-type-assertion"); !ok {
		t.Fatalf("first pull lacks unchecked-type-assertion: %s", first.raw)
	}
	fixed := strings.Replace(demoSource, `n := v["n"].(float64)`, `n, _ := v["n"].(float64)`, 1)
	c.notify("textDocument/didChange", map[string]any{"textDocument": map[string]any{"uri": uri, "version": 2},
		"contentChanges": []map[string]any{{"text": fixed}}})
	go func() {
		time.Sleep(300 * time.Millisecond)
		if err := c.conn.Notify(context.Background(), "$/cancelRequest", map[string]any{"id": 3}); err != nil {
			t.Errorf("cancel: %v", err)
		}
	}()
	start := time.Now()
	err := c.call("textDocument/diagnostic", map[string]any{"textDocument": map[string]any{"uri": uri}, "previousResultId": first.ResultID}, nil) // request 3
	var we *jsonrpc2.Error
	if !errors.As(err, &we) || we.Code != protocol.CodeRequestCancelled {
		t.Fatalf("cancelled pull (waiting for a 60 s debounce): %v, want RequestCancelled (-32800)", err)
	}
	if took := time.Since(start); took > 20*time.Second {
		t.Errorf("the cancelled pull was answered after %v", took)
	}
	// A save analyses at once; the pull then gets version 2's findings.
	if err := os.WriteFile(path, []byte(fixed), 0o644); err != nil {
		t.Fatal(err)
	}
	c.notify("textDocument/didSave", map[string]any{"textDocument": map[string]any{"uri": uri}})
	saved := c.pull(uri, first.ResultID)
	if saved.Kind != "full" {
		t.Fatalf("pull after save: %s, want full", saved.raw)
	}
	if _, ok := findIn(saved.Items, "unchecked-type-assertion"); ok {
		t.Errorf("pull after save still has the fixed finding: %s", saved.raw)
	}
	c.noPush()
	c.shutdownExit()
}

// In onSave mode an edit schedules no analysis: a pull answers at once
// with the last findings, and their resultId does not match the findings
// of the saved text, which a refresh announces.
func TestPullOnSaveAnswersTheLastFindings(t *testing.T) {
	dir := writeModule(t, map[string]string{"a.go": demoSource})
	c := startInProcess(t, server.Options{})
	c.initialize(dir, pullCaps(), map[string]any{"run": "onSave"})
	path := filepath.Join(dir, "a.go")
	uri := open(c, path, demoSource, 1)
	first := c.pull(uri, "")
	if _, ok := findIn(first.Items, "unchecked-type-assertion"); !ok {
		t.Fatalf("first pull lacks unchecked-type-assertion: %s", first.raw)
	}
	fixed := strings.Replace(demoSource, `n := v["n"].(float64)`, `n, _ := v["n"].(float64)`, 1)
	c.notify("textDocument/didChange", map[string]any{"textDocument": map[string]any{"uri": uri, "version": 2},
		"contentChanges": []map[string]any{{"text": fixed}}})
	start := time.Now()
	unsaved := c.pull(uri, first.ResultID)
	if unsaved.Kind != "unchanged" || unsaved.ResultID != first.ResultID {
		t.Errorf("pull after an unsaved edit in onSave mode: %s, want the last findings (unchanged, %q)", unsaved.raw, first.ResultID)
	}
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("pull in onSave mode took %v: it waited for an analysis that is not coming", took)
	}
	refreshes := c.refreshCount()
	if err := os.WriteFile(path, []byte(fixed), 0o644); err != nil {
		t.Fatal(err)
	}
	c.notify("textDocument/didSave", map[string]any{"textDocument": map[string]any{"uri": uri}})
	c.waitFor("a refresh after the save's analysis", func() bool { return c.refreshes > refreshes })
	saved := c.pull(uri, first.ResultID)
	if saved.Kind != "full" || saved.ResultID == first.ResultID {
		t.Fatalf("pull after save: %s, want full with a new resultId", saved.raw)
	}
	if _, ok := findIn(saved.Items, "unchecked-type-assertion"); ok {
		t.Errorf("pull after save still has the fixed finding: %s", saved.raw)
	}
	c.noPush()
	c.shutdownExit()
}

// workspace/diagnostic reports every file the server has findings for,
// with its version and the resultId the document pull gave, "unchanged"
// for the resultIds the client sends back; a closed file gets an empty
// report with a null version (the client clears it) in scope openFiles,
// as does a file the client names that the server knows nothing of.
func TestWorkspaceDiagnosticAndRefresh(t *testing.T) {
	// Two one-file packages: no whole-package pass follows the first
	// result, so the resultIds stay put.
	b := strings.Replace(demoSource, "package m1", "package sub", 1)
	dir := writeModule(t, map[string]string{"a.go": demoSource, "sub/b.go": b})
	c := startInProcess(t, server.Options{})
	c.initialize(dir, pullCaps(), map[string]any{"debounceMs": 0, "scope": "openFiles"})
	ua := open(c, filepath.Join(dir, "a.go"), demoSource, 1)
	ub := open(c, filepath.Join(dir, "sub", "b.go"), b, 3)
	ra, rb := c.pull(ua, ""), c.pull(ub, "")
	if len(ra.Items) == 0 || len(rb.Items) == 0 {
		t.Fatalf("want findings in both files: a.go %s, b.go %s", ra.raw, rb.raw)
	}
	ws := c.pullWorkspace(nil)
	for uri, want := range map[protocol.DocumentURI]report{ua: ra, ub: rb} {
		r, ok := ws[uri]
		if !ok || r.Kind != "full" || r.Version == nil || r.ResultID != want.ResultID || diagJSON(t, r.Items) != diagJSON(t, want.Items) {
			t.Fatalf("workspace report for %s: %s, want the document pull's %s with its version", uri, r.raw, want.raw)
		}
	}
	if *ws[ua].Version != 1 || *ws[ub].Version != 3 {
		t.Errorf("workspace report versions %d and %d, want the documents' 1 and 3", *ws[ua].Version, *ws[ub].Version)
	}
	prev := map[protocol.DocumentURI]string{ua: ws[ua].ResultID, ub: ws[ub].ResultID}
	if doc := c.pull(ua, prev[ua]); doc.Kind != "unchanged" {
		t.Errorf("document pull with the workspace report's resultId: %s, want unchanged", doc.raw)
	}
	ws = c.pullWorkspace(prev)
	for uri := range prev {
		if ws[uri].Kind != "unchanged" || ws[uri].ResultID != prev[uri] {
			t.Errorf("workspace report for %s with its resultId sent back: %s, want unchanged", uri, ws[uri].raw)
		}
	}

	refreshes := c.refreshCount()
	c.notify("textDocument/didClose", map[string]any{"textDocument": map[string]any{"uri": ub}})
	c.waitFor("a refresh after b.go closed", func() bool { return c.refreshes > refreshes })
	gone := protocol.DocumentURI("file://" + filepath.Join(dir, "gone.go"))
	prev[gone] = "an id from an earlier session"
	ws = c.pullWorkspace(prev)
	if r := ws[ub]; r.Kind != "full" || len(r.Items) != 0 || r.Version != nil {
		t.Errorf("workspace report for the closed b.go: %s, want full, empty, version null", r.raw)
	}
	if r := ws[gone]; r.Kind != "full" || len(r.Items) != 0 {
		t.Errorf("workspace report for a file the server never had: %s, want full and empty", r.raw)
	}
	if r := ws[ua]; r.Kind != "unchanged" {
		t.Errorf("workspace report for the untouched a.go: %s, want unchanged", r.raw)
	}
	c.noPush()
	c.shutdownExit()
}

// A client that does not pull, or pulls but cannot be told to pull again
// (Neovim 0.10), gets no diagnosticProvider and the diagnostics
// pushed, as before; a pull from it is refused. Neovim before 0.13 is
// offered document pulls only (its refresh would pull workspace
// diagnostics alone, which it applies to no open buffer).
func TestPushClientsStillGetPush(t *testing.T) {
	dir := writeModule(t, map[string]string{"a.go": demoSource})
	noRefresh := map[string]any{"textDocument": map[string]any{"diagnostic": map[string]any{"dynamicRegistration": false}}}
	for name, caps := range map[string]map[string]any{"no pull": {}, "pull without refresh": noRefresh} {
		t.Run(name, func(t *testing.T) {
			c := startInProcess(t, server.Options{})
			res := c.initialize(dir, caps, nil)
			if p, ok := diagnosticProvider(t, res); ok {
				t.Errorf("diagnosticProvider %v offered to a client that should get push", p)
			}
			uri := open(c, filepath.Join(dir, "a.go"), demoSource, 1)
			if _, ok := find(c.diagnosticsFor(uri, 1), "unchecked-type-assertion"); !ok {
				t.Error("no pushed unchecked-type-assertion")
			}
			err := c.call("textDocument/diagnostic", map[string]any{"textDocument": map[string]any{"uri": uri}}, nil)
			var we *jsonrpc2.Error
			if !errors.As(err, &we) || we.Code != jsonrpc2.MethodNotFound {
				t.Errorf("textDocument/diagnostic from a push client: %v, want MethodNotFound", err)
			}
			c.shutdownExit()
		})
	}
	for version, workspace := range map[string]bool{"0.12.4": false, "0.13.0-dev-1234+g0123abc": true} {
		t.Run("Neovim "+version, func(t *testing.T) {
			c := startInProcess(t, server.Options{})
			var res map[string]any
			params := map[string]any{"processId": os.Getpid(), "rootUri": "file://" + dir, "capabilities": pullCaps(),
				"clientInfo": map[string]any{"name": "Neovim", "version": version}}
			if err := c.call("initialize", params, &res); err != nil {
				t.Fatal(err)
			}
			p, ok := diagnosticProvider(t, res)
			if !ok || p["workspaceDiagnostics"] != workspace {
				t.Errorf("diagnosticProvider for Neovim %s = %v, want workspaceDiagnostics %v", version, p, workspace)
			}
			c.shutdownExit()
		})
	}
}

// diagJSON renders diagnostics for comparison: everything the client sees.
func diagJSON(t *testing.T, ds []protocol.Diagnostic) string {
	t.Helper()
	if ds == nil {
		ds = []protocol.Diagnostic{}
	}
	b, err := json.MarshalIndent(ds, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// pullState is what a pulling client shows: per document, the last full
// report's items, replaced as it pulls again on every refresh.
type pullState struct {
	c      *client
	pullMu sync.Mutex // one pull at a time, so that answers apply in order
	mu     sync.Mutex
	docs   []protocol.DocumentURI // the open documents, pulled on refresh
	ids    map[protocol.DocumentURI]string
	items  map[protocol.DocumentURI][]protocol.Diagnostic
}

func (ps *pullState) pull(uri protocol.DocumentURI) report {
	ps.pullMu.Lock()
	defer ps.pullMu.Unlock()
	ps.mu.Lock()
	prev := ps.ids[uri]
	ps.mu.Unlock()
	r := ps.c.pull(uri, prev)
	ps.mu.Lock()
	defer ps.mu.Unlock()
	ps.ids[uri] = r.ResultID
	if r.Kind == "full" {
		ps.items[uri] = r.Items
	}
	return r
}

// refreshed pulls every open document, as a client does on a refresh.
func (ps *pullState) refreshed() {
	ps.mu.Lock()
	docs := slices.Clone(ps.docs)
	ps.mu.Unlock()
	for _, uri := range docs {
		ps.pull(uri)
	}
}

func (ps *pullState) shown(uri protocol.DocumentURI) []protocol.Diagnostic {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	return ps.items[uri]
}

// For the same buffers and edits, the diagnostics a pulling client shows
// are the ones a push client is sent, once each server has done the idle
// whole-package pass of the version (which adds related places in other
// files): the pulls that the refreshes cause give what push publishes
// last. Before that, the first pull after each edit (without a resultId)
// already describes the edited text. (Which per-edit result comes first
// may differ between two servers: it uses the facts of the previous
// whole-package pass when that pass finished before the edit.)
func TestPushAndPullShowTheSameFindings(t *testing.T) {
	dir := copyDemo(t)
	push := start(t, dir)
	push.initialize(dir, map[string]any{}, map[string]any{"debounceMs": 0})
	pull := start(t, dir)
	pull.initialize(dir, pullCaps(), map[string]any{"debounceMs": 0})
	ps := &pullState{c: pull, ids: map[protocol.DocumentURI]string{}, items: map[protocol.DocumentURI][]protocol.Diagnostic{}}
	pull.mu.Lock()
	pull.onRefresh = ps.refreshed
	pull.mu.Unlock()

	path := filepath.Join(dir, "handlers.go")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	store := filepath.Join(dir, "store.go")
	storeData, err := os.ReadFile(store)
	if err != nil {
		t.Fatal(err)
	}
	uri := open(push, path, text, 1)
	open(pull, path, text, 1)
	suri := open(push, store, string(storeData), 1)
	open(pull, store, string(storeData), 1)
	ps.mu.Lock()
	ps.docs = []protocol.DocumentURI{uri, suri}
	ps.mu.Unlock()

	// settled waits for push's publications of uri at version to settle
	// (at least `least` of them: an edit's partial result, then the
	// whole-package pass's; a file opened unchanged may take the
	// background pass's answer in one, and an edit of another file of the
	// package may publish it again), then for the pulls that refreshes
	// cause to show what push published last. Settled means the pulled
	// diagnostics equal push's last publication and push has published
	// nothing new for uri for a second.
	settled := func(step string, uri protocol.DocumentURI, version int32, least int) published {
		t.Helper()
		atVersion := func() []published {
			var pubs []published
			for _, p := range push.diags {
				if p.URI == uri && p.Version != nil && *p.Version == version {
					pubs = append(pubs, p)
				}
			}
			return pubs
		}
		push.waitFor(fmt.Sprintf("%s: push's whole-package publication (%d at version %d)", step, least, version), func() bool {
			return len(atVersion()) >= least
		})
		deadline := time.Now().Add(30 * time.Second)
		var agreed time.Time
		for {
			push.mu.Lock()
			pubs := atVersion()
			total := len(push.diags)
			push.mu.Unlock()
			last := pubs[len(pubs)-1]
			want, got := diagJSON(t, last.Diagnostics), diagJSON(t, ps.shown(uri))
			switch {
			case got != want:
				agreed = time.Time{}
			case agreed.IsZero():
				agreed = time.Now()
			case time.Since(agreed) >= time.Second:
				push.mu.Lock()
				quiet := len(push.diags) == total
				push.mu.Unlock()
				if quiet {
					return last
				}
				agreed = time.Time{}
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s: after the whole-package pass, the pulled diagnostics of %s differ from the pushed ones\npulled %s\npushed %s",
					step, uri, got, want)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	// compare checks one version of handlers.go: the first pull, at once
	// after the edit, describes the edited text (ok says how), and once
	// both servers are idle the pulled diagnostics are the pushed ones.
	related := false
	compare := func(step string, version int32, ok func([]protocol.Diagnostic) bool) {
		t.Helper()
		first := pull.pull(uri, "")
		if first.Kind != "full" || !ok(first.Items) {
			t.Errorf("%s: the first pull after the edit does not describe the edited text: %s", step, first.raw)
		}
		last := settled(step, uri, version, 2)
		related = related || strings.Contains(diagJSON(t, last.Diagnostics), "relatedInformation")
	}
	has := func(rule string, line int) func([]protocol.Diagnostic) bool {
		return func(ds []protocol.Diagnostic) bool {
			return slices.ContainsFunc(ds, func(d protocol.Diagnostic) bool { return d.Code == rule && int(d.Range.Start.Line) == line })
		}
	}
	textLines := strings.Split(text, "\n")
	sku := slices.Index(textLines, "\tsku := doc[\"sku\"].(string)")
	if sku < 0 {
		t.Fatal("handlers.go lacks the line this test edits")
	}
	compare("open", 1, has("unchecked-type-assertion", sku))

	edit := func(version int32, changes []map[string]any) {
		for _, c := range []*client{push, pull} {
			c.notify("textDocument/didChange", map[string]any{"textDocument": map[string]any{"uri": uri, "version": version}, "contentChanges": changes})
		}
	}
	// A new function that drops an error, at the end of the file.
	lines := strings.Count(text, "\n")
	edit(2, []map[string]any{{"range": rng(lines, 0, lines, 0),
		"text": "\n// reset zeroes a count.\nfunc (s *Server) reset(r *http.Request) {\n\ts.store.Adjust(r.Context(), \"A-100\", 0, \"north\")\n}\n"}})
	compare("a function added", 2, has("discarded-error", lines+3))
	// The first assertion in its two-value form: one finding fewer.
	edit(3, []map[string]any{{"range": rng(sku, 4, sku, 4), "text": ", _"}})
	compare("an assertion checked", 3, func(ds []protocol.Diagnostic) bool {
		return !has("unchecked-type-assertion", sku)(ds) && has("discarded-error", lines+3)(ds)
	})

	// The other file, untouched, agrees too.
	settled("store.go", suri, 1, 1)
	if !related {
		t.Error("no related places in handlers.go's findings: the whole-package pass was not compared")
	}
	pull.noPush()
	push.shutdownExit()
	pull.shutdownExit()
}
