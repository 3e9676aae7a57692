package server_test

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/build"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
)

// The workspace-memory benchmarks (issue 12) start a language server's
// binary over pipes with $FAILFAST_JAEGER (a writable copy of
// github.com/jaegertracing/jaeger whose build cache is warm; bench/jaeger.sh
// makes one) as the workspace folder, wait for the background pass, open
// memoryOpenFiles files, the same for both servers, wait for each one's
// diagnostics and for the server to be quiet, and report the peak resident
// memory of its process (VmHWM): MB-peak at the end, MB-peak-background
// before the files were opened. s-background is the time from initialized
// to the end of the background pass (failfast: its work-done progress
// "failfast: N/M packages" ends; gopls: its initial load's progress ends and
// its workspace diagnostics are out), s-open the time from the first
// didOpen to the last opened file's diagnostics. files-published counts the
// files that got a publishDiagnostics, files-nonempty those whose last one
// has a diagnostic. Run them once each: -benchtime 1x.

// BenchmarkWorkspaceMemoryJaegerFailfast measures failfast serve with
// debounceMs 0 and its default scope, workspace. With $FAILFAST_MEMPROFILE
// set, the server writes a heap profile there when it exits (-memprofile).
func BenchmarkWorkspaceMemoryJaegerFailfast(b *testing.B) {
	dir := jaegerDir(b)
	args := []string{"serve"}
	if p := os.Getenv("FAILFAST_MEMPROFILE"); p != "" {
		args = append(args, "-memprofile", p)
	}
	benchWorkspaceMemory(b, external(b, buildFailfast(b), args...), dir)
}

// BenchmarkWorkspaceMemoryJaegerGopls measures gopls serve (located as
// BenchmarkEditNetHTTPServerGopls does) with its default settings, twice
// on its own cache (GOPLSCACHE) in a new folder: cold, the first start,
// which type-checks and analyses the workspace and fills the cache, then
// warm, the next start on that cache, as after an editor's restart. Its
// peak depends on that cache far more than on anything else: on the same
// files it was 2.3 GB on a cache left by an earlier start that had been
// stopped before they were opened, and 377 MB on the next start.
func BenchmarkWorkspaceMemoryJaegerGopls(b *testing.B) {
	dir := jaegerDir(b)
	bin := goplsBinary(b)
	b.Setenv("GOPLSCACHE", b.TempDir())
	for _, name := range []string{"cold", "warm"} {
		b.Run(name, func(b *testing.B) {
			srv := external(b, bin, "serve")
			srv.options = map[string]any{}
			benchWorkspaceMemory(b, srv, dir)
		})
	}
}

const (
	memoryOpenFiles = 20
	memoryTimeout   = 15 * time.Minute
	// memoryQuiet is how long a server must go without a
	// publishDiagnostics or $/progress, without using the CPU and without
	// running the go command (go list) to count as quiet.
	memoryQuiet = 5 * time.Second
)

func jaegerDir(b *testing.B) string {
	dir := os.Getenv("FAILFAST_JAEGER")
	if dir == "" {
		b.Skip("FAILFAST_JAEGER is unset: it names a copy of github.com/jaegertracing/jaeger (bench/jaeger.sh makes one and runs this)")
	}
	dir, err := filepath.Abs(dir)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "go.mod")); err != nil {
		b.Fatalf("FAILFAST_JAEGER=%s is not a module: %v", dir, err)
	}
	return dir
}

// largestFiles returns the n largest .go files under dir's cmd and internal
// folders (by size, then path) that are neither tests nor generated and
// that the build constraints keep on this platform, sorted by path.
func largestFiles(b *testing.B, dir string, n int) []string {
	type sized struct {
		path string
		size int64
	}
	var all []sized
	for _, top := range []string{"cmd", "internal"} {
		err := filepath.WalkDir(filepath.Join(dir, top), func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			name := d.Name()
			if d.IsDir() {
				if name == "testdata" || name == "vendor" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") {
					return filepath.SkipDir
				}
				return nil
			}
			if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
				return nil
			}
			if ok, err := build.Default.MatchFile(filepath.Dir(path), name); err != nil || !ok {
				return err
			}
			f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.PackageClauseOnly|parser.ParseComments)
			if err != nil || ast.IsGenerated(f) {
				return nil
			}
			info, err := d.Info()
			if err != nil {
				return err
			}
			all = append(all, sized{path, info.Size()})
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	slices.SortFunc(all, func(x, y sized) int {
		return cmp.Or(cmp.Compare(y.size, x.size), strings.Compare(x.path, y.path))
	})
	if len(all) < n {
		b.Fatalf("only %d candidate files under %s/{cmd,internal}, want %d", len(all), dir, n)
	}
	var paths []string
	for _, s := range all[:n] {
		paths = append(paths, s.path)
	}
	slices.Sort(paths)
	return paths
}

// memoryClient is the harness's side of the connection: it answers the
// server's requests and keeps the times of what it sends.
type memoryClient struct {
	options map[string]any

	mu        sync.Mutex
	last      time.Time // the last publishDiagnostics or $/progress
	published map[protocol.DocumentURI]memoryPublication
	begun     map[string]string // progress token to the begin's title
	ended     map[string]time.Time
}

type memoryPublication struct {
	at      time.Time
	version *int32
	n       int
}

func (c *memoryClient) handle(ctx context.Context, reply jsonrpc2.Replier, req jsonrpc2.Request) error {
	now := time.Now()
	switch req.Method() {
	case protocol.MethodTextDocumentPublishDiagnostics:
		var p published
		if err := json.Unmarshal(req.Params(), &p); err == nil {
			c.mu.Lock()
			c.published[p.URI] = memoryPublication{now, p.Version, len(p.Diagnostics)}
			c.last = now
			c.mu.Unlock()
		}
	case protocol.MethodProgress:
		var p struct {
			Token json.RawMessage `json:"token"` // a string or a number
			Value progressEvent   `json:"value"`
		}
		if err := json.Unmarshal(req.Params(), &p); err == nil {
			c.mu.Lock()
			switch p.Value.Kind {
			case "begin":
				c.begun[string(p.Token)] = p.Value.Title
			case "end":
				c.ended[string(p.Token)] = now
			}
			c.last = now
			c.mu.Unlock()
		}
	case protocol.MethodWorkspaceConfiguration:
		var p struct {
			Items []json.RawMessage `json:"items"`
		}
		if err := json.Unmarshal(req.Params(), &p); err != nil {
			return reply(ctx, nil, err)
		}
		res := make([]any, len(p.Items))
		for i := range res {
			res[i] = c.options
		}
		return reply(ctx, res, nil)
	}
	return reply(ctx, nil, nil)
}

// loaded reports whether a progress has begun and every one that began has
// ended, and when the last ended.
func (c *memoryClient) loaded() (time.Time, bool) {
	var last time.Time
	for tok := range c.begun {
		end, ok := c.ended[tok]
		if !ok {
			return time.Time{}, false
		}
		last = later(last, end)
	}
	return last, len(c.begun) > 0
}

func benchWorkspaceMemory(b *testing.B, srv *benchServer, dir string) {
	files := largestFiles(b, dir, memoryOpenFiles)
	var rel []string
	for _, f := range files {
		rel = append(rel, strings.TrimPrefix(f, dir+"/"))
	}
	b.Logf("opens %s", strings.Join(rel, " ")) // one line: a benchmark's log is cut at 10
	deadline := time.Now().Add(memoryTimeout)
	c := &memoryClient{options: srv.options, published: map[protocol.DocumentURI]memoryPublication{},
		begun: map[string]string{}, ended: map[string]time.Time{}}
	conn := jsonrpc2.NewConn(jsonrpc2.NewStream(pipes{srv.in, srv.out}))
	conn.Go(context.Background(), c.handle)
	ctx := context.Background()

	// waitFor polls cond (under c.mu) until it holds, failing after the
	// deadline with what it was waiting for and where the server is.
	waitFor := func(what string, cond func() bool) {
		for {
			c.mu.Lock()
			ok := cond()
			state := fmt.Sprintf("progress begun %v, %d ended; %d files published", c.begun, len(c.ended), len(c.published))
			c.mu.Unlock()
			if ok {
				return
			}
			if time.Now().After(deadline) {
				b.Fatalf("timed out after %v waiting for %s (%s; peak RSS %.0f MB)", memoryTimeout, what, state, srv.peakMB())
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	// settle waits until the server has been quiet for memoryQuiet and
	// returns when it last was not: when it last sent a publishDiagnostics
	// or $/progress, had a progress running, used more than a tenth of a
	// core over half a second or ran the go command.
	settle := func(what string) time.Time {
		busy, sampled, cpu := time.Now(), time.Now(), srv.cpu()
		var quietSince time.Time
		for {
			time.Sleep(100 * time.Millisecond)
			now := time.Now()
			if now.Sub(sampled) >= 500*time.Millisecond {
				used := srv.cpu()
				if used-cpu > now.Sub(sampled)/10 {
					busy = now
				}
				sampled, cpu = now, used
			}
			if runsGo(srv.pid) {
				busy = now
			}
			c.mu.Lock()
			if _, ok := c.loaded(); !ok && len(c.begun) > 0 {
				busy = now
			}
			quietSince = later(busy, c.last)
			c.mu.Unlock()
			if now.Sub(quietSince) >= memoryQuiet {
				return quietSince
			}
			if now.After(deadline) {
				b.Fatalf("timed out after %v waiting for %s to be quiet for %v (peak RSS %.0f MB)", memoryTimeout, what, memoryQuiet, srv.peakMB())
			}
		}
	}

	start := time.Now()
	params := map[string]any{
		"processId":        os.Getpid(),
		"rootUri":          "file://" + dir,
		"workspaceFolders": []map[string]string{{"uri": "file://" + dir, "name": filepath.Base(dir)}},
		"capabilities": map[string]any{
			"window":    map[string]any{"workDoneProgress": true},
			"workspace": map[string]any{"configuration": true, "workspaceFolders": true},
		},
		"initializationOptions": srv.options,
	}
	cctx, cancel := context.WithTimeout(ctx, memoryTimeout)
	_, err := conn.Call(cctx, "initialize", params, nil)
	cancel()
	if err != nil {
		b.Fatalf("initialize: %v", err)
	}
	if err := conn.Notify(ctx, "initialized", map[string]any{}); err != nil {
		b.Fatal(err)
	}
	var loadEnd time.Time
	waitFor("the end of the background pass's progress", func() bool {
		var ok bool
		loadEnd, ok = c.loaded()
		return ok
	})
	c.mu.Lock()
	b.Logf("progress ended after %v: %v", loadEnd.Sub(start).Round(time.Millisecond), c.begun)
	c.mu.Unlock()
	backgroundEnd := settle("the background pass")
	peakBackground := srv.peakMB()
	b.Logf("background pass done after %v, peak RSS %.0f MB", backgroundEnd.Sub(start).Round(time.Millisecond), peakBackground)

	opened := time.Now()
	var uris []protocol.DocumentURI
	for _, f := range files {
		text, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		uri := protocol.DocumentURI("file://" + f)
		uris = append(uris, uri)
		if err := conn.Notify(ctx, "textDocument/didOpen", map[string]any{"textDocument": map[string]any{
			"uri": uri, "languageId": "go", "version": 1, "text": string(text)}}); err != nil {
			b.Fatal(err)
		}
	}
	var lastOpen time.Time
	waitFor("diagnostics for each opened file", func() bool {
		for _, uri := range uris {
			p, ok := c.published[uri]
			if !ok || p.version == nil || *p.version != 1 || p.at.Before(opened) {
				return false
			}
			lastOpen = later(lastOpen, p.at)
		}
		return true
	})
	settle("the opened files")
	peak := srv.peakMB()

	c.mu.Lock()
	nonempty := 0
	for _, p := range c.published {
		if p.n > 0 {
			nonempty++
		}
	}
	b.ReportMetric(peak, "MB-peak")
	b.ReportMetric(peakBackground, "MB-peak-background")
	b.ReportMetric(backgroundEnd.Sub(start).Seconds(), "s-background")
	b.ReportMetric(lastOpen.Sub(opened).Seconds(), "s-open")
	b.ReportMetric(float64(len(c.published)), "files-published")
	b.ReportMetric(float64(nonempty), "files-nonempty")
	c.mu.Unlock()

	cctx, cancel = context.WithTimeout(ctx, time.Minute)
	defer cancel()
	if _, err := conn.Call(cctx, "shutdown", nil, nil); err != nil {
		b.Fatalf("shutdown: %v", err)
	}
	if err := conn.Notify(ctx, "exit", nil); err != nil {
		b.Fatal(err)
	}
	if code := srv.wait(); code != 0 {
		b.Errorf("exit status %d", code)
	}
}

func later(t, u time.Time) time.Time {
	if u.After(t) {
		return u
	}
	return t
}

// runsGo reports whether process pid has a child process that is the go
// command (a go list it runs; gopls keeps a telemetry child all along);
// false when /proc does not tell.
func runsGo(pid int) bool {
	tasks, err := os.ReadDir(fmt.Sprintf("/proc/%d/task", pid))
	if err != nil {
		return false
	}
	for _, t := range tasks {
		data, err := os.ReadFile(fmt.Sprintf("/proc/%d/task/%s/children", pid, t.Name()))
		if err != nil {
			continue
		}
		for _, child := range strings.Fields(string(data)) {
			comm, err := os.ReadFile("/proc/" + child + "/comm")
			if err == nil && strings.TrimSpace(string(comm)) == "go" {
				return true
			}
		}
	}
	return false
}
