package server_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"go.lsp.dev/protocol"

	"github.com/failfast-dev/failfast/server"
)

// The load test sends didChange notifications as fast as the pipe takes
// them, spread at random over 20 open files (the demo service copied into
// five packages), each edit typing one character of new functions at the
// end of a file, or deleting the last one (a backspace), so that most
// versions do not parse. CI runs 1,000 edits; FAILFAST_LOAD_EDITS=10000
// runs the full size (see bench/README.md, "Load"), with a binary built
// without -race so that its memory is what users see.

const loadFiles = 20

// loadSnippet is what each file gets typed into it: a nil-nil-return and
// an unchecked-map-lookup finding per copy, no imports needed.
const loadSnippet = "\nfunc zFind%[1]d_%[2]d(id int) (*struct{ ID int }, error) {\n\tif id < 0 {\n\t\treturn nil, nil\n\t}\n\treturn &struct{ ID int }{id}, nil\n}\n" +
	"\nfunc zGet%[1]d_%[2]d(m map[string]*struct{ N int }, k string) int {\n\treturn m[k].N\n}\n"

func loadEdits(t *testing.T) (int, bool) {
	v := os.Getenv("FAILFAST_LOAD_EDITS")
	if v == "" {
		return 1000, false
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < loadFiles {
		t.Fatalf("FAILFAST_LOAD_EDITS=%q: want a number of edits ≥ %d", v, loadFiles)
	}
	return n, true
}

// loadWorkspace copies the demo into five packages of one module and
// returns the module's directory and its 20 files.
func loadWorkspace(t *testing.T) (string, []string) {
	t.Helper()
	demo := copyDemo(t)
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/inventory\n\ngo 1.22\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	names, err := filepath.Glob(filepath.Join(demo, "*.go"))
	if err != nil || len(names) != 4 {
		t.Fatalf("demo files: %v %v, want 4", names, err)
	}
	var files []string
	for p := range loadFiles / len(names) {
		for _, name := range names {
			src, err := os.ReadFile(name)
			if err != nil {
				t.Fatal(err)
			}
			dst := filepath.Join(dir, fmt.Sprintf("p%d", p), filepath.Base(name))
			if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(dst, src, 0o644); err != nil {
				t.Fatal(err)
			}
			files = append(files, dst)
		}
	}
	return dir, files
}

// loadDoc is the client's copy of one open file.
type loadDoc struct {
	uri     protocol.DocumentURI
	path    string
	text    string
	version int32
	typed   int    // bytes of the snippets typed so far
	script  string // what is being typed
}

// endPosition is the position just after the last byte of text (ASCII).
func endPosition(text string) (int, int) {
	line := strings.Count(text, "\n")
	return line, len(text) - strings.LastIndexByte(text, '\n') - 1
}

type loadFigures struct {
	edits                int
	send, caughtUp, calm time.Duration
	publications         int
}

// runLoad opens the files, sends n edits as fast as possible, waits for
// the final version of every file to be published and then for the
// server to fall quiet (the whole-package pass), and checks that the last
// diagnostics of each file equal what `failfast check` finds in its final
// text. The files are left open.
func runLoad(t *testing.T, c *client, dir string, paths []string, n int) ([]*loadDoc, loadFigures) {
	t.Helper()
	var docs []*loadDoc
	for i, p := range paths {
		src, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		var script strings.Builder
		for k := 0; script.Len() < n/loadFiles+len(loadSnippet); k++ {
			fmt.Fprintf(&script, loadSnippet, i, k)
		}
		d := &loadDoc{path: p, text: string(src), version: 1, script: script.String()}
		d.uri = open(c, p, d.text, 1)
		docs = append(docs, d)
	}
	for _, d := range docs {
		c.publishedWithin("opening "+d.path, d.uri, 1)
	}
	c.mu.Lock()
	before := len(c.diags)
	c.mu.Unlock()

	rnd := rand.New(rand.NewPCG(5, 10000))
	start := time.Now()
	for i := range n {
		d := docs[rnd.IntN(len(docs))]
		d.version++
		l, ch := endPosition(d.text)
		var change map[string]any
		if i%7 == 6 && d.typed > 0 {
			// Backspace: the character is typed again later.
			d.text = d.text[:len(d.text)-1]
			d.typed--
			if ch == 0 {
				pl, pc := endPosition(d.text)
				change = map[string]any{"range": rng(pl, pc, l, ch), "text": ""}
			} else {
				change = map[string]any{"range": rng(l, ch-1, l, ch), "text": ""}
			}
		} else {
			next := d.script[d.typed : d.typed+1]
			d.text += next
			d.typed++
			change = map[string]any{"range": rng(l, ch, l, ch), "text": next}
		}
		if err := c.conn.Notify(t.Context(), "textDocument/didChange", map[string]any{
			"textDocument":   map[string]any{"uri": d.uri, "version": d.version},
			"contentChanges": []map[string]any{change},
		}); err != nil {
			t.Fatalf("edit %d of %d: didChange: %v", i+1, n, err)
		}
	}
	fig := loadFigures{edits: n, send: time.Since(start)}
	for _, d := range docs {
		c.publishedWithin(fmt.Sprintf("the last edit of %s (version %d)", d.path, d.version), d.uri, d.version)
	}
	fig.caughtUp = time.Since(start)

	// Quiet: nothing published for 3 s (the whole-package pass runs after
	// a second of idle).
	last, lastAt := -1, time.Now()
	deadline := time.Now().Add(2 * time.Minute)
	for time.Since(lastAt) < 3*time.Second {
		if time.Now().After(deadline) {
			t.Fatal("the server kept publishing diagnostics for 2 minutes after the last edit")
		}
		time.Sleep(100 * time.Millisecond)
		c.mu.Lock()
		if len(c.diags) != last {
			last, lastAt = len(c.diags), time.Now()
		}
		c.mu.Unlock()
	}
	fig.calm = lastAt.Sub(start)
	fig.publications = last - before

	// The last publication of each file against `failfast check` on the
	// final texts.
	for _, d := range docs {
		if err := os.WriteFile(d.path, []byte(d.text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want := checkFindings(t, dir)
	c.mu.Lock()
	lastFor := map[protocol.DocumentURI]published{}
	for _, p := range c.diags {
		lastFor[p.URI] = p
	}
	c.mu.Unlock()
	for _, d := range docs {
		p := lastFor[d.uri]
		if p.Version == nil || *p.Version != d.version {
			t.Errorf("%s: last publication is for version %v, want %d", d.path, p.Version, d.version)
		}
		var got []string
		for _, dg := range p.Diagnostics {
			got = append(got, fmt.Sprintf("%d:%d %s %s", dg.Range.Start.Line+1, dg.Range.Start.Character+1, dg.Code, dg.Message))
		}
		slices.Sort(got)
		rel, _ := filepath.Rel(dir, d.path)
		if w := want[filepath.ToSlash(rel)]; !slices.Equal(got, w) {
			t.Errorf("%s: the last diagnostics differ from `failfast check` on the final text:\nserver:\n  %s\ncheck:\n  %s",
				rel, strings.Join(got, "\n  "), strings.Join(w, "\n  "))
		}
	}
	c.mu.Lock()
	log := c.stderr.String()
	c.mu.Unlock()
	if strings.Contains(log, "panic") {
		t.Errorf("the server log reports a panic under load (see the log below)")
	}
	return docs, fig
}

// checkFindings runs `failfast check -json` in dir and returns each file's
// findings as "line:col rule message", sorted. The final texts may not
// parse (typing stopped mid-word): check then exits with status 2 and
// still reports what it found.
func checkFindings(t *testing.T, dir string) map[string][]string {
	t.Helper()
	cmd := exec.Command(binary, "check", "-json", "./...")
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if ee, ok := err.(*exec.ExitError); err != nil && (!ok || ee.ExitCode() == 0) {
		t.Fatalf("failfast check on the final texts: %v\n%s", err, stderr.String())
	}
	var res struct {
		Findings []struct {
			File, Rule, Message string
			Line, Column        int
		}
	}
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatalf("failfast check -json: %v\n%s", err, out)
	}
	m := map[string][]string{}
	for _, f := range res.Findings {
		m[f.File] = append(m[f.File], fmt.Sprintf("%d:%d %s %s", f.Line, f.Column, f.Rule, f.Message))
	}
	for _, v := range m {
		slices.Sort(v)
	}
	return m
}

func closeAll(c *client, docs []*loadDoc) {
	for _, d := range docs {
		c.notify("textDocument/didClose", map[string]any{"textDocument": map[string]any{"uri": d.uri}})
	}
}

func (f loadFigures) log(t *testing.T) {
	t.Logf("%d edits over %d files: sent in %v, every final version published after %v (%.0f edits/s), quiet after %v, %d publications",
		f.edits, loadFiles, f.send.Round(time.Millisecond), f.caughtUp.Round(time.Millisecond),
		float64(f.edits)/f.caughtUp.Seconds(), f.calm.Round(time.Millisecond), f.publications)
}

// TestLoadInProcess runs the load in the test process (under -race in CI)
// and checks that closing the files leaves no goroutine behind and gives
// back the memory the edits took.
func TestLoadInProcess(t *testing.T) {
	n, _ := loadEdits(t)
	dir, paths := loadWorkspace(t)
	c := startInProcess(t, server.Options{})
	c.initialize(dir, map[string]any{}, map[string]any{"debounceMs": 0})
	time.Sleep(200 * time.Millisecond) // the configuration pull after initialized
	baseline := runtime.NumGoroutine()

	docs, fig := runLoad(t, c, dir, paths, n)
	fig.log(t)
	var ms runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms)
	openHeap := ms.HeapAlloc

	c.mu.Lock()
	before := len(c.diags)
	c.mu.Unlock()
	closeAll(c, docs)
	c.waitFor("the diagnostics cleared on close", func() bool { return len(c.diags) >= before+len(docs) })
	var now int
	for wait := time.Now(); ; {
		if now = runtime.NumGoroutine(); now <= baseline || time.Since(wait) > 10*time.Second {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if now > baseline {
		var buf bytes.Buffer
		if err := pprof.Lookup("goroutine").WriteTo(&buf, 1); err != nil {
			t.Fatal(err)
		}
		t.Errorf("%d goroutines 10 s after closing every file, %d before opening them:\n%s", now, baseline, buf.String())
	}
	runtime.GC()
	runtime.ReadMemStats(&ms)
	t.Logf("heap: %.1f MB with the files open after the load, %.1f MB after closing them; %d goroutines (%d before)",
		float64(openHeap)/(1<<20), float64(ms.HeapAlloc)/(1<<20), now, baseline)
	if ms.HeapAlloc > 512<<20 {
		t.Errorf("heap %.0f MB after closing every file, want it bounded (< 512 MB)", float64(ms.HeapAlloc)/(1<<20))
	}
	if code := c.shutdownExit(); code != 0 {
		t.Errorf("exit status %d after shutdown", code)
	}
}

// TestLoadBinary runs the load against the real binary and reports its
// peak memory (VmHWM). At the full size it builds the binary without
// -race.
func TestLoadBinary(t *testing.T) {
	n, full := loadEdits(t)
	if runtime.GOOS != "linux" {
		t.Skip("peak memory is read from /proc")
	}
	bin, limitMB := binary, 2048.0 // the race detector multiplies memory
	if full {
		bin, limitMB = filepath.Join(t.TempDir(), "failfast"), 512
		if out, err := exec.Command("go", "build", "-o", bin, "../cmd/failfast").CombinedOutput(); err != nil {
			t.Fatalf("building failfast without -race: %v\n%s", err, out)
		}
	}
	dir, paths := loadWorkspace(t)
	c := startBinary(t, bin, dir)
	c.initialize(dir, map[string]any{}, map[string]any{"debounceMs": 0})
	docs, fig := runLoad(t, c, dir, paths, n)
	fig.log(t)
	peak := vmHWM(t, c.cmd.Process.Pid)
	t.Logf("peak RSS of %s: %.0f MB (race detector: %v)", filepath.Base(bin), peak, !full)
	if peak > limitMB {
		t.Errorf("peak RSS %.0f MB, want under %.0f MB", peak, limitMB)
	}
	closeAll(c, docs)
	if code := c.shutdownExit(); code != 0 {
		t.Errorf("exit status %d after shutdown", code)
	}
}

// startBinary is start with another build of the binary. (The tests of
// this package do not run in parallel.)
func startBinary(t *testing.T, bin, dir string) *client {
	t.Helper()
	raced := binary
	binary = bin
	defer func() { binary = raced }()
	return start(t, dir)
}

// vmHWM reads a process's peak resident set size in MB.
func vmHWM(t *testing.T, pid int) float64 {
	t.Helper()
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Fatalf("reading the server's peak memory: %v", err)
	}
	for _, l := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(l, "VmHWM:"); ok {
			kb, err := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")))
			if err != nil {
				t.Fatalf("VmHWM %q: %v", v, err)
			}
			return float64(kb) / 1024
		}
	}
	t.Fatal("no VmHWM in /proc/<pid>/status")
	return 0
}
