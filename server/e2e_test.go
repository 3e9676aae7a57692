package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
)

// binary is the failfast command built once for the end-to-end tests.
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "failfast-e2e")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	binary = filepath.Join(dir, "failfast")
	out, err := exec.Command("go", "build", "-race", "-o", binary, "../cmd/failfast").CombinedOutput()
	if err != nil {
		fmt.Fprintf(os.Stderr, "building failfast: %v\n%s", err, out)
		os.Exit(2)
	}
	code := m.Run()
	if err := os.RemoveAll(dir); err != nil {
		fmt.Fprintln(os.Stderr, err)
	}
	os.Exit(code)
}

// The flagged assertion follows non-ASCII text on its line: byte column 27
// (go/token), UTF-8 character 26, UTF-16 character 23.
const demoSource = `package m1

import (
	"encoding/json"
	"os"
)

func Load(path string) int {
	data, _ := os.ReadFile(path)
	var v map[string]any
	json.Unmarshal(data, &v)
	s := "héllo 🙂"; n := v["n"].(float64)
	_ = s
	return int(n)
}
`

func writeModule(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	files["go.mod"] = "module example.com/m1\n\ngo 1.22\n"
	for name, src := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

type published struct {
	URI         protocol.DocumentURI  `json:"uri"`
	Version     *int32                `json:"version"`
	Diagnostics []protocol.Diagnostic `json:"diagnostics"`
}

// client is a minimal LSP client on jsonrpc2 that drives the real binary
// over its stdin and stdout.
type client struct {
	t      *testing.T
	cmd    *exec.Cmd
	conn   jsonrpc2.Conn
	stderr *bytes.Buffer
	stdin  io.WriteCloser

	mu       sync.Mutex
	diags    []published
	shows    []protocol.ShowMessageParams
	logs     []protocol.LogMessageParams
	changed  chan struct{} // signalled on every notification
	settings json.RawMessage
	// refreshes counts workspace/diagnostic/refresh requests; onRefresh,
	// when set, runs (in its own goroutine) on each, as a pulling client
	// pulls again.
	refreshes int
	onRefresh func()
	// created holds the progress tokens the server created, progress
	// the $/progress notifications; onProgress, when set, runs (in its
	// own goroutine) on each.
	created    []string
	progress   []progressEvent
	onProgress func(progressEvent)
	exited     chan error
	code       chan int // the in-process server's exit status
}

// progressEvent is the value of one $/progress notification, with its token.
type progressEvent struct {
	Token       string `json:"-"`
	Kind        string `json:"kind"`
	Title       string `json:"title"`
	Message     string `json:"message"`
	Cancellable bool   `json:"cancellable"`
}

type pipes struct {
	io.Reader
	io.WriteCloser
}

func start(t *testing.T, dir string) *client {
	t.Helper()
	cmd := exec.Command(binary, "serve", "--stdio")
	cmd.Dir = dir
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	c := &client{t: t, cmd: cmd, stderr: &bytes.Buffer{}, stdin: stdin, changed: make(chan struct{}, 1000), exited: make(chan error, 1)}
	cmd.Stderr = &lockedWriter{w: c.stderr, mu: &c.mu}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { c.exited <- cmd.Wait() }()
	c.conn = jsonrpc2.NewConn(jsonrpc2.NewStream(pipes{stdout, stdin}))
	c.conn.Go(context.Background(), c.handle)
	t.Cleanup(func() {
		if c.cmd.ProcessState == nil {
			if err := c.cmd.Process.Kill(); err != nil && !errors.Is(err, os.ErrProcessDone) {
				t.Errorf("kill server: %v", err)
			}
		}
		if t.Failed() {
			c.mu.Lock()
			t.Logf("server stderr:\n%s", c.stderr.String())
			c.mu.Unlock()
		}
	})
	return c
}

type lockedWriter struct {
	w  io.Writer
	mu *sync.Mutex
}

func (l *lockedWriter) Write(b []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(b)
}

func (c *client) handle(ctx context.Context, reply jsonrpc2.Replier, req jsonrpc2.Request) error {
	switch req.Method() {
	case protocol.MethodTextDocumentPublishDiagnostics:
		var p published
		if err := json.Unmarshal(req.Params(), &p); err != nil {
			c.t.Errorf("bad publishDiagnostics: %v", err)
		}
		if string(req.Params()) != "" && strings.Contains(string(req.Params()), `"diagnostics":null`) {
			c.t.Errorf("diagnostics sent as null: %s", req.Params())
		}
		c.mu.Lock()
		c.diags = append(c.diags, p)
		c.mu.Unlock()
	case protocol.MethodWindowShowMessage:
		var p protocol.ShowMessageParams
		if err := json.Unmarshal(req.Params(), &p); err != nil {
			c.t.Errorf("bad showMessage: %v", err)
		}
		c.mu.Lock()
		c.shows = append(c.shows, p)
		c.mu.Unlock()
	case protocol.MethodWindowLogMessage:
		var p protocol.LogMessageParams
		if err := json.Unmarshal(req.Params(), &p); err != nil {
			c.t.Errorf("bad logMessage: %v", err)
		}
		c.mu.Lock()
		c.logs = append(c.logs, p)
		c.mu.Unlock()
	case protocol.MethodWorkspaceConfiguration:
		c.mu.Lock()
		s := c.settings
		c.mu.Unlock()
		if s == nil {
			s = json.RawMessage("null")
		}
		return reply(ctx, []json.RawMessage{s}, nil)
	case protocol.MethodClientRegisterCapability:
		return reply(ctx, nil, nil)
	case protocol.MethodWorkDoneProgressCreate:
		var p struct {
			Token string `json:"token"`
		}
		if err := json.Unmarshal(req.Params(), &p); err != nil || p.Token == "" {
			c.t.Errorf("bad window/workDoneProgress/create %s: %v", req.Params(), err)
		}
		c.mu.Lock()
		c.created = append(c.created, p.Token)
		c.mu.Unlock()
		return reply(ctx, nil, nil)
	case protocol.MethodProgress:
		var p struct {
			Token string        `json:"token"`
			Value progressEvent `json:"value"`
		}
		if err := json.Unmarshal(req.Params(), &p); err != nil {
			c.t.Errorf("bad $/progress %s: %v", req.Params(), err)
		}
		p.Value.Token = p.Token
		c.mu.Lock()
		c.progress = append(c.progress, p.Value)
		f := c.onProgress
		c.mu.Unlock()
		if f != nil {
			go f(p.Value)
		}
	case "workspace/diagnostic/refresh":
		if string(req.Params()) != "" && string(req.Params()) != "null" {
			c.t.Errorf("workspace/diagnostic/refresh has params %s, want none", req.Params())
		}
		c.mu.Lock()
		c.refreshes++
		f := c.onRefresh
		c.mu.Unlock()
		if f != nil {
			go f() // a call from the read loop would wait for itself
		}
		if err := reply(ctx, nil, nil); err != nil {
			return err
		}
		select {
		case c.changed <- struct{}{}:
		default:
		}
		return nil
	}
	select {
	case c.changed <- struct{}{}:
	default:
	}
	return reply(ctx, nil, nil)
}

func (c *client) call(method string, params, result any) error {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	_, err := c.conn.Call(ctx, method, params, result)
	return err
}

func (c *client) notify(method string, params any) {
	c.t.Helper()
	if err := c.conn.Notify(context.Background(), method, params); err != nil {
		c.t.Fatalf("notify %s: %v", method, err)
	}
}

// initialize sends initialize and initialized; caps are the client
// capabilities, options the initializationOptions.
func (c *client) initialize(dir string, caps map[string]any, options any) map[string]any {
	c.t.Helper()
	params := map[string]any{
		"processId":        os.Getpid(),
		"rootUri":          "file://" + dir,
		"capabilities":     caps,
		"workspaceFolders": []map[string]string{{"uri": "file://" + dir, "name": "m1"}},
	}
	if options != nil {
		params["initializationOptions"] = options
	}
	var res map[string]any
	if err := c.call("initialize", params, &res); err != nil {
		c.t.Fatalf("initialize: %v", err)
	}
	c.notify("initialized", map[string]any{})
	return res
}

// waitFor polls until cond holds, failing the test after the timeout.
func (c *client) waitFor(what string, cond func() bool) {
	c.t.Helper()
	deadline := time.After(60 * time.Second)
	for {
		c.mu.Lock()
		ok := cond()
		c.mu.Unlock()
		if ok {
			return
		}
		select {
		case <-c.changed:
		case <-time.After(50 * time.Millisecond):
		case <-deadline:
			c.t.Fatalf("timed out waiting for %s", what)
		}
	}
}

// diagnosticsFor waits for a publication for uri at version (any version
// when version < 0) and returns it.
func (c *client) diagnosticsFor(uri protocol.DocumentURI, version int32) published {
	c.t.Helper()
	var got published
	c.waitFor(fmt.Sprintf("diagnostics for %s version %d", uri, version), func() bool {
		for i := len(c.diags) - 1; i >= 0; i-- {
			p := c.diags[i]
			if p.URI == uri && (version < 0 || (p.Version != nil && *p.Version == version)) {
				got = p
				return true
			}
		}
		return false
	})
	return got
}

func (c *client) shutdownExit() int {
	c.t.Helper()
	if err := c.call("shutdown", nil, nil); err != nil {
		c.t.Fatalf("shutdown: %v", err)
	}
	c.notify("exit", nil)
	return c.waitExit()
}

func (c *client) waitExit() int {
	c.t.Helper()
	if c.code != nil {
		select {
		case code := <-c.code:
			return code
		case <-time.After(20 * time.Second):
			c.t.Fatal("server did not exit")
		}
	}
	select {
	case err := <-c.exited:
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return ee.ExitCode()
		}
		if err != nil {
			c.t.Fatalf("server: %v", err)
		}
		return 0
	case <-time.After(20 * time.Second):
		c.t.Fatal("server did not exit")
		return -1
	}
}

func rules(p published) []string {
	var out []string
	for _, d := range p.Diagnostics {
		out = append(out, fmt.Sprint(d.Code))
	}
	return out
}

func find(p published, rule string) (protocol.Diagnostic, bool) {
	for _, d := range p.Diagnostics {
		if d.Code == rule {
			return d, true
		}
	}
	return protocol.Diagnostic{}, false
}

func open(c *client, path, text string, version int32) protocol.DocumentURI {
	uri := protocol.DocumentURI("file://" + path)
	c.notify("textDocument/didOpen", map[string]any{"textDocument": map[string]any{
		"uri": uri, "languageId": "go", "version": version, "text": text,
	}})
	return uri
}

func TestInitializeOpenDiagnosticsUTF16(t *testing.T) {
	dir := writeModule(t, map[string]string{"a.go": demoSource})
	c := start(t, dir)
	res := c.initialize(dir, map[string]any{}, nil)
	caps, ok := res["capabilities"].(map[string]any)
	if !ok {
		t.Fatalf("no capabilities in %v", res)
	}
	if enc, present := caps["positionEncoding"]; present && enc != "utf-16" {
		t.Errorf("positionEncoding = %v without an offer, want utf-16 or absent", enc)
	}
	sync, ok := caps["textDocumentSync"].(map[string]any)
	if !ok || sync["change"] != float64(2) || sync["openClose"] != true {
		t.Errorf("textDocumentSync = %v, want incremental with open/close", caps["textDocumentSync"])
	}
	ca, ok := caps["codeActionProvider"].(map[string]any)
	if !ok || !strings.Contains(fmt.Sprint(ca["codeActionKinds"]), "source.fixAll.failfast") || !strings.Contains(fmt.Sprint(ca["codeActionKinds"]), "quickfix") {
		t.Errorf("codeActionProvider = %v, want quickfix and source.fixAll.failfast", caps["codeActionProvider"])
	}

	uri := open(c, filepath.Join(dir, "a.go"), demoSource, 1)
	p := c.diagnosticsFor(uri, 1)
	d, ok := find(p, "unchecked-type-assertion")
	if !ok {
		t.Fatalf("no unchecked-type-assertion diagnostic in %v", rules(p))
	}
	if d.Range.Start.Line != 11 || d.Range.Start.Character != 23 {
		t.Errorf("UTF-16 start = %d:%d, want 11:23 (after \"héllo 🙂\")", d.Range.Start.Line, d.Range.Start.Character)
	}
	if d.Source != "failfast" || d.CodeDescription == nil || !strings.HasSuffix(string(d.CodeDescription.Href), "unchecked-type-assertion.md") {
		t.Errorf("source %q, codeDescription %v; want failfast and the rule's documentation", d.Source, d.CodeDescription)
	}
	if d.Severity == 0 {
		t.Error("no severity")
	}
	c.mu.Lock()
	logged := slices.ContainsFunc(c.logs, func(l protocol.LogMessageParams) bool { return strings.Contains(l.Message, "packages loaded") })
	c.mu.Unlock()
	if !logged {
		t.Error("the log does not reach the client as window/logMessage")
	}
	if code := c.shutdownExit(); code != 0 {
		t.Errorf("exit status after shutdown = %d, want 0", code)
	}
}

func TestUTF8PositionsAndIncrementalEdits(t *testing.T) {
	dir := writeModule(t, map[string]string{"a.go": demoSource})
	c := start(t, dir)
	res := c.initialize(dir, map[string]any{"general": map[string]any{"positionEncodings": []string{"utf-8", "utf-16"}}}, nil)
	caps, ok := res["capabilities"].(map[string]any)
	if !ok || caps["positionEncoding"] != "utf-8" {
		t.Fatalf("positionEncoding = %v, want utf-8 when offered", res["capabilities"])
	}
	uri := open(c, filepath.Join(dir, "a.go"), demoSource, 1)
	d, ok := find(c.diagnosticsFor(uri, 1), "unchecked-type-assertion")
	if !ok || d.Range.Start.Line != 11 || d.Range.Start.Character != 26 {
		t.Fatalf("UTF-8 start = %v (found %v), want 11:26", d.Range.Start, ok)
	}
	// Two changes in one notification, in UTF-8 units: insert "xy" just
	// before the assertion's operand, then delete it again and add a
	// line at the top. The assertion moves down one line.
	c.notify("textDocument/didChange", map[string]any{
		"textDocument": map[string]any{"uri": uri, "version": 2},
		"contentChanges": []map[string]any{
			{"range": rng(11, 26, 11, 26), "text": "xy"},
			{"range": rng(11, 26, 11, 28), "text": ""},
			{"range": rng(1, 0, 1, 0), "text": "// added\n"},
		},
	})
	d, ok = find(c.diagnosticsFor(uri, 2), "unchecked-type-assertion")
	if !ok || d.Range.Start.Line != 12 || d.Range.Start.Character != 26 {
		t.Fatalf("after the edits: start = %v (found %v), want 12:26", d.Range.Start, ok)
	}
	// Fixing the code with a whole-document change (no range) clears it.
	fixed := strings.Replace(demoSource, `n := v["n"].(float64)`, `n, _ := v["n"].(float64)`, 1)
	c.notify("textDocument/didChange", map[string]any{
		"textDocument":   map[string]any{"uri": uri, "version": 3},
		"contentChanges": []map[string]any{{"text": fixed}},
	})
	if _, ok := find(c.diagnosticsFor(uri, 3), "unchecked-type-assertion"); ok {
		t.Error("assertion still reported after the two-value form")
	}
	// Closed, the file is the background pass's: its findings on disk
	// (demoSource), with no version, in the negotiated UTF-8.
	c.notify("textDocument/didClose", map[string]any{"textDocument": map[string]any{"uri": uri}})
	c.waitFor("the findings on disk once closed", func() bool {
		last := c.diags[len(c.diags)-1]
		d, ok := find(last, "unchecked-type-assertion")
		return last.URI == uri && last.Version == nil && ok && d.Range.Start.Line == 11 && d.Range.Start.Character == 26
	})
	if code := c.shutdownExit(); code != 0 {
		t.Errorf("exit status = %d", code)
	}
}

func rng(l1, c1, l2, c2 int) map[string]any {
	return map[string]any{"start": map[string]int{"line": l1, "character": c1}, "end": map[string]int{"line": l2, "character": c2}}
}
