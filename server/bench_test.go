package server_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
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
// 95th percentile, the CPU time per edit, and the peak resident memory of
// the process. The edit adds a statement inside (*conn).serve, the next
// removes it.
func BenchmarkEditNetHTTPServer(b *testing.B) {
	benchEdits(b, inProcess(b), "server.go", serverEdit, serverStmt)
}

// BenchmarkEditNetHTTPStatus is the same on status.go (210 lines) in the
// same package: an edit's cost should follow the edited file's size.
func BenchmarkEditNetHTTPStatus(b *testing.B) {
	benchEdits(b, inProcess(b), "status.go", "\tswitch code {\n", "\t_ = code\n")
}

// BenchmarkEditNetHTTPServerBinary sends the same edits to the failfast
// binary (built without the race detector) in its own process, whose peak
// resident memory (VmHWM) and CPU time are read from /proc. The workspace
// folder is net/http: the background pass covers net/http/... meanwhile.
func BenchmarkEditNetHTTPServerBinary(b *testing.B) {
	benchEdits(b, external(b, buildFailfast(b), "serve"), "server.go", serverEdit, serverStmt)
}

// BenchmarkEditNetHTTPServerBinaryAtOpen is the same with the edits
// starting right after the file's first diagnostics: they run beside the
// package's first complete pass (about a second of CPU on net/http), which
// an edit does not cancel.
func BenchmarkEditNetHTTPServerBinaryAtOpen(b *testing.B) {
	srv := external(b, buildFailfast(b), "serve")
	srv.atOpen = true
	benchEdits(b, srv, "server.go", serverEdit, serverStmt)
}

// BenchmarkEditNetHTTPServerBinaryPauses is the same with a pause of
// 400 ms before every fifth edit (longer than the idle grace the
// complete and background passes wait for): the edits after a pause
// compete with the package checks those passes start, which a keystroke
// does not cancel mid-check. The pauses are not counted.
func BenchmarkEditNetHTTPServerBinaryPauses(b *testing.B) {
	srv := external(b, buildFailfast(b), "serve")
	srv.pauseEvery, srv.pauseFor = 5, 400*time.Millisecond
	benchEdits(b, srv, "server.go", serverEdit, serverStmt)
}

// BenchmarkEditNetHTTPServerBinaryOpenFiles is the same with scope
// openFiles, without the background pass: what the pass costs the edits
// is the difference.
func BenchmarkEditNetHTTPServerBinaryOpenFiles(b *testing.B) {
	srv := external(b, buildFailfast(b), "serve")
	srv.options = map[string]any{"debounceMs": 0, "scope": "openFiles"}
	benchEdits(b, srv, "server.go", serverEdit, serverStmt)
}

// buildFailfast builds the failfast binary without the race detector.
func buildFailfast(b *testing.B) string {
	bin := filepath.Join(b.TempDir(), "failfast")
	if out, err := exec.Command("go", "build", "-o", bin, "../cmd/failfast").CombinedOutput(); err != nil {
		b.Fatalf("build: %v\n%s", err, out)
	}
	return bin
}

// BenchmarkEditNetHTTPServerGopls sends the same edits to gopls (from PATH
// or $GOPATH/bin; skipped when absent) with diagnosticsDelay 0s, timed to
// its first publishDiagnostics for each version.
func BenchmarkEditNetHTTPServerGopls(b *testing.B) {
	srv := external(b, goplsBinary(b), "serve")
	srv.options = map[string]any{"diagnosticsDelay": "0s"}
	benchEdits(b, srv, "server.go", serverEdit, serverStmt)
}

// goplsBinary is gopls from PATH or $GOPATH/bin; the benchmark is skipped
// when there is none.
func goplsBinary(b *testing.B) string {
	bin, err := exec.LookPath("gopls")
	if err != nil {
		out, gerr := exec.Command("go", "env", "GOPATH").Output()
		if gerr != nil {
			b.Skipf("no gopls: %v; go env GOPATH: %v", err, gerr)
		}
		bin = filepath.Join(strings.TrimSpace(string(out)), "bin", "gopls")
		if _, serr := os.Stat(bin); serr != nil {
			b.Skipf("no gopls on PATH or in GOPATH/bin: %v", serr)
		}
	}
	return bin
}

const (
	serverEdit = "\t\tc.remoteAddr = ra.String()\n"
	serverStmt = "\t_ = c.server.ErrorLog\n"
)

// benchServer is a language server under measurement.
type benchServer struct {
	in      io.Reader      // the server's output
	out     io.WriteCloser // the server's input
	wait    func() int     // waits for the exit status
	cpu     func() time.Duration
	peakMB  func() float64
	options map[string]any // initializationOptions
	pid     int            // the server's process (external only)
	// pauseEvery, when set, makes every pauseEvery-th edit wait
	// pauseFor first: the package's first complete pass and the
	// background pass start in such pauses, and the edits after one
	// run beside them.
	pauseEvery int
	pauseFor   time.Duration
	// atOpen starts the edits as soon as the opened file's first
	// diagnostics arrive; otherwise they start once the server has been
	// quiet for a second after them (no publishDiagnostics: failfast's
	// first complete pass of the package has republished, gopls has
	// loaded), as when a user reads the file before typing.
	atOpen bool
}

func inProcess(b *testing.B) *benchServer {
	if os.Getenv("GOGC") == "" {
		old := debug.SetGCPercent(400) // as failfast serve does
		b.Cleanup(func() { debug.SetGCPercent(old) })
	}
	cin, sout := osPipe(b)
	sin, cout := osPipe(b)
	done := make(chan int, 1)
	go func() {
		done <- server.Serve(context.Background(), sin, sout, server.Options{Stderr: benchLog(b), LogLevel: -4})
	}()
	return &benchServer{
		in: cin, out: cout,
		wait:    func() int { return <-done },
		cpu:     func() time.Duration { return cpuTime(b) },
		peakMB:  func() float64 { return peakRSS(b, "/proc/self/") }, // the test process's, harness included
		options: map[string]any{"debounceMs": 0},
	}
}

func external(b *testing.B, bin string, args ...string) *benchServer {
	cmd := exec.Command(bin, args...)
	cmd.Stderr = benchLog(b)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		b.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		if cmd.ProcessState == nil {
			if err := cmd.Process.Kill(); err != nil && !errors.Is(err, os.ErrProcessDone) {
				b.Error(err)
			}
		}
	})
	proc := fmt.Sprintf("/proc/%d/", cmd.Process.Pid)
	return &benchServer{
		in: stdout, out: stdin,
		wait: func() int {
			if err := cmd.Wait(); err != nil {
				var ee *exec.ExitError
				if errors.As(err, &ee) {
					return ee.ExitCode()
				}
				b.Error(err)
				return -1
			}
			return 0
		},
		cpu: func() time.Duration {
			data, err := os.ReadFile(proc + "stat")
			if err != nil {
				b.Fatal(err)
			}
			// Fields after the command name: utime and stime are the
			// 12th and 13th, in clock ticks (100 per second on Linux).
			_, rest, _ := strings.Cut(string(data), ") ")
			f := strings.Fields(rest)
			if len(f) < 13 {
				b.Fatalf("unexpected %sstat: %s", proc, data)
			}
			ut, err1 := strconv.Atoi(f[11])
			st, err2 := strconv.Atoi(f[12])
			if err1 != nil || err2 != nil {
				b.Fatalf("unexpected %sstat: %s", proc, data)
			}
			return time.Duration(ut+st) * 10 * time.Millisecond
		},
		peakMB:  func() float64 { return peakRSS(b, proc) },
		options: map[string]any{"debounceMs": 0},
		pid:     cmd.Process.Pid,
	}
}

// peakRSS reads the peak resident set size (VmHWM) of a process in MB.
func peakRSS(b *testing.B, proc string) float64 {
	data, err := os.ReadFile(proc + "status")
	if err != nil {
		b.Fatal(err)
	}
	for _, l := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(l, "VmHWM:"); ok {
			kb, err := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")))
			if err != nil {
				b.Fatalf("VmHWM %q: %v", v, err)
			}
			return float64(kb) / 1024
		}
	}
	b.Fatalf("no VmHWM in %sstatus", proc)
	return 0
}

func benchEdits(b *testing.B, srv *benchServer, file, anchor, stmt string) {
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

	var mu sync.Mutex
	arrived := map[int32]time.Time{}
	var lastPublished time.Time
	notify := make(chan struct{}, 1)
	conn := jsonrpc2.NewConn(jsonrpc2.NewStream(pipes{srv.in, srv.out}))
	uri := protocol.DocumentURI("file://" + path)
	conn.Go(context.Background(), func(ctx context.Context, reply jsonrpc2.Replier, req jsonrpc2.Request) error {
		if req.Method() == protocol.MethodTextDocumentPublishDiagnostics {
			var p published
			mu.Lock()
			lastPublished = time.Now()
			mu.Unlock()
			if err := json.Unmarshal(req.Params(), &p); err == nil && p.URI == uri && p.Version != nil {
				mu.Lock()
				if _, seen := arrived[*p.Version]; !seen {
					arrived[*p.Version] = time.Now()
				}
				mu.Unlock()
				select {
				case notify <- struct{}{}:
				default:
				}
			}
		}
		if req.Method() == protocol.MethodWorkspaceConfiguration {
			return reply(ctx, []any{srv.options}, nil)
		}
		return reply(ctx, nil, nil)
	})
	ctx := context.Background()
	dir := filepath.Dir(path)
	if _, err := conn.Call(ctx, "initialize", map[string]any{"processId": os.Getpid(), "rootUri": "file://" + dir,
		"workspaceFolders": []map[string]string{{"uri": "file://" + dir, "name": "http"}},
		"capabilities":     map[string]any{}, "initializationOptions": srv.options}, nil); err != nil {
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
		deadline := time.After(5 * time.Minute)
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
	if !srv.atOpen {
		deadline := time.Now().Add(time.Minute)
		for {
			mu.Lock()
			quiet := time.Since(lastPublished)
			mu.Unlock()
			if quiet >= time.Second {
				break
			}
			if time.Now().After(deadline) {
				b.Fatal("the server did not fall quiet within a minute of opening the file")
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	version := int32(1)
	var lat []time.Duration
	edit := func() {
		if srv.pauseEvery > 0 && int(version)%srv.pauseEvery == 0 {
			time.Sleep(srv.pauseFor)
		}
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
	cpu0 := srv.cpu()
	b.ResetTimer()
	for b.Loop() {
		edit()
	}
	b.StopTimer()
	for len(lat) < 50 {
		edit()
	}
	b.ReportMetric(float64((srv.cpu()-cpu0).Microseconds())/1000/float64(len(lat)), "ms-cpu/edit")
	b.ReportMetric(srv.peakMB(), "MB-peak")
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "ms-median")
	b.ReportMetric(float64(lat[len(lat)*95/100].Microseconds())/1000, "ms-p95")
	if _, err := conn.Call(ctx, "shutdown", nil, nil); err != nil {
		b.Fatal(err)
	}
	if err := conn.Notify(ctx, "exit", nil); err != nil {
		b.Fatal(err)
	}
	if code := srv.wait(); code != 0 {
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
