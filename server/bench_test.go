package server_test

import (
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"

	"github.com/failfast-dev/failfast/server"
)

// BenchmarkEditNetHTTPServer measures the time from a didChange of
// $GOROOT/src/net/http/server.go (4,073 lines; the package has 30 non-test
// files) to the publishDiagnostics for that version, with a 0 ms debounce,
// through the whole protocol stack over in-process pipes: the median and
// 95th percentile, the CPU time per edit, and the memory the process got
// from the system. The edit adds a statement inside (*conn).serve, the next
// removes it.
func BenchmarkEditNetHTTPServer(b *testing.B) {
	benchEdits(b, "server.go", "\t\tc.remoteAddr = ra.String()\n", "\t_ = c.server.ErrorLog\n")
}

// BenchmarkEditNetHTTPStatus is the same on status.go (210 lines) in the
// same package: an edit's cost should follow the edited file's size.
func BenchmarkEditNetHTTPStatus(b *testing.B) {
	benchEdits(b, "status.go", "\tswitch code {\n", "\t_ = code\n")
}

func benchEdits(b *testing.B, file, anchor, stmt string) {
	if os.Getenv("GOGC") == "" {
		defer debug.SetGCPercent(debug.SetGCPercent(400)) // as failfast serve does
	}
	path := filepath.Join(runtime.GOROOT(), "src", "net", "http", file)
	src, err := os.ReadFile(path)
	if err != nil {
		b.Skipf("no net/http source: %v", err)
	}
	text := string(src)
	at := strings.Index(text, anchor)
	if at < 0 {
		b.Skipf("anchor line not found in %s", file)
	}
	line := strings.Count(text[:at], "\n") + 1

	cin, sout := io.Pipe()
	sin, cout := io.Pipe()
	done := make(chan int, 1)
	go func() {
		done <- server.Serve(context.Background(), sin, sout, server.Options{Stderr: benchLog(b), LogLevel: -4})
	}()
	var mu sync.Mutex
	arrived := map[int32]time.Time{}
	notify := make(chan struct{}, 1)
	conn := jsonrpc2.NewConn(jsonrpc2.NewStream(pipes{cin, cout}))
	uri := protocol.DocumentURI("file://" + path)
	conn.Go(context.Background(), func(ctx context.Context, reply jsonrpc2.Replier, req jsonrpc2.Request) error {
		if req.Method() == protocol.MethodTextDocumentPublishDiagnostics {
			var p published
			if err := json.Unmarshal(req.Params(), &p); err == nil && p.URI == uri && p.Version != nil {
				mu.Lock()
				arrived[*p.Version] = time.Now()
				mu.Unlock()
				select {
				case notify <- struct{}{}:
				default:
				}
			}
		}
		return reply(ctx, nil, nil)
	})
	ctx := context.Background()
	dir := filepath.Dir(path)
	if _, err := conn.Call(ctx, "initialize", map[string]any{"rootUri": "file://" + dir, "capabilities": map[string]any{},
		"initializationOptions": map[string]any{"debounce": 0}}, nil); err != nil {
		b.Fatal(err)
	}
	if err := conn.Notify(ctx, "initialized", map[string]any{}); err != nil {
		b.Fatal(err)
	}
	if err := conn.Notify(ctx, "textDocument/didOpen", map[string]any{"textDocument": map[string]any{
		"uri": uri, "languageId": "go", "version": 1, "text": text}}); err != nil {
		b.Fatal(err)
	}
	wait := func(v int32) time.Time {
		deadline := time.After(2 * time.Minute)
		for {
			mu.Lock()
			t, ok := arrived[v]
			mu.Unlock()
			if ok {
				return t
			}
			select {
			case <-notify:
			case <-deadline:
				b.Fatalf("no diagnostics for version %d", v)
			}
		}
	}
	wait(1)
	version := int32(1)
	var lat []time.Duration
	edit := func() {
		version++
		change := map[string]any{"range": rng(line, 0, line, 0), "text": stmt}
		if version%2 == 1 {
			change = map[string]any{"range": rng(line, 0, line+1, 0), "text": ""}
		}
		start := time.Now()
		if err := conn.Notify(ctx, "textDocument/didChange", map[string]any{
			"textDocument": map[string]any{"uri": uri, "version": version}, "contentChanges": []any{change}}); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, wait(version).Sub(start))
	}
	for range 5 { // warm up
		edit()
	}
	lat = lat[:0]
	cpu0 := cpuTime(b)
	b.ResetTimer()
	for b.Loop() {
		edit()
	}
	b.StopTimer()
	for len(lat) < 50 {
		edit()
	}
	b.ReportMetric(float64((cpuTime(b)-cpu0).Microseconds())/1000/float64(len(lat)), "ms-cpu/edit")
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	b.ReportMetric(float64(ms.Sys)/(1<<20), "MB-sys")
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "ms-median")
	b.ReportMetric(float64(lat[len(lat)*95/100].Microseconds())/1000, "ms-p95")
	if _, err := conn.Call(ctx, "shutdown", nil, nil); err != nil {
		b.Fatal(err)
	}
	if err := conn.Notify(ctx, "exit", nil); err != nil {
		b.Fatal(err)
	}
	if code := <-done; code != 0 {
		b.Errorf("exit status %d", code)
	}
}

// benchLog is where the benchmark's server logs: $FAILFAST_BENCH_LOG, or
// nowhere.
func benchLog(b *testing.B) io.Writer {
	name := os.Getenv("FAILFAST_BENCH_LOG")
	if name == "" {
		return io.Discard
	}
	f, err := os.Create(name)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		if err := f.Close(); err != nil {
			b.Error(err)
		}
	})
	return f
}

// cpuTime is the process's user and system CPU time: on a loaded machine
// it tells the work per edit apart from the wait for a processor.
func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
