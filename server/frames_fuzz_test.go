package server

// FuzzFrames feeds the server's input stream, after a valid initialize,
// with fuzzed messages, then a well-formed trailing request. The input is
// a list of message bodies (split at "\x1e"), each framed with a correct
// Content-Length, followed by raw bytes (bad Content-Length, truncated
// bodies, garbage headers). Properties:
//
//   - nothing panics (a recovered panic is logged as one: that fails too);
//   - while the framing holds (checked by the test's own reading of the
//     stream), the server keeps serving: it answers the trailing request;
//     once the framing breaks, or after an exit notification, it ends the
//     session instead, and never hangs;
//   - every request is answered once, with its id, and with the right
//     error: ParseError (-32700) for a body that is not JSON,
//     InvalidRequest (-32600) for JSON that is not a message (both only
//     when the body's id can be read: see tolerantStream), MethodNotFound
//     (-32601) for an unknown method, InvalidParams (-32602) for
//     codeAction or codeAction/resolve parameters of the wrong shape.
//
// To fuzz:
//
//	go test -run XXX -fuzz FuzzFrames -fuzztime 4m -parallel 1 ./server

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"go.lsp.dev/jsonrpc2"
)

const framesTimeout = 10 * time.Second

func frame(body string) string {
	return fmt.Sprintf("Content-Length: %d\r\n\r\n%s", len(body), body)
}

// splitFrames reads a byte stream the way the base protocol defines it:
// header lines ending in "\r\n" (a bare "\n" is tolerated), an empty line,
// then Content-Length bytes; Content-Length is a positive decimal that
// fits 32 bits, other headers are ignored. It returns the complete bodies
// and whether the framing broke (or the stream ended inside a frame).
func splitFrames(stream []byte) (bodies [][]byte, broken bool) {
	r := bufio.NewReader(bytes.NewReader(stream))
	for {
		if _, err := r.Peek(1); err == io.EOF {
			return bodies, false
		}
		length := int64(-1)
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				return bodies, true
			}
			line = strings.TrimSpace(line)
			if line == "" {
				break
			}
			i := strings.IndexByte(line, ':')
			if i < 0 {
				return bodies, true
			}
			if line[:i] == "Content-Length" {
				n, err := strconv.ParseInt(strings.TrimSpace(line[i+1:]), 10, 32)
				if err != nil || n <= 0 {
					return bodies, true
				}
				length = n
			}
		}
		if length < 0 {
			return bodies, true
		}
		body := make([]byte, length)
		if _, err := io.ReadFull(r, body); err != nil {
			return bodies, true
		}
		bodies = append(bodies, body)
	}
}

// idKey names a JSON-RPC id for comparison: "s:<string>", "n:<number
// text>" or "null".
func idKey(raw json.RawMessage) string {
	var v any
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	if len(raw) == 0 || d.Decode(&v) != nil {
		return "null"
	}
	switch v := v.(type) {
	case string:
		return "s:" + v
	case json.Number:
		return "n:" + v.String()
	}
	return "null"
}

// expectation is what the server must answer to one request: any code
// when code is 0 (a well-formed call of a known method).
type expectation struct {
	id   string
	code jsonrpc2.Code
	what string
}

// expect classifies the bodies as the server must treat them, in order,
// and returns the answers owed and whether an exit notification ends the
// session.
func expect(bodies [][]byte) (want []expectation, exited bool) {
	shutdown := false
	for _, body := range bodies {
		msg, err := jsonrpc2.DecodeMessage(body)
		if err != nil {
			// Answered only when the id can be read (see tolerantStream).
			id := idKey(requestID(body))
			if id == "null" {
				continue
			}
			if !json.Valid(body) {
				want = append(want, expectation{id, jsonrpc2.ParseError, "a body that is not JSON"})
			} else {
				want = append(want, expectation{id, jsonrpc2.InvalidRequest, "JSON that is not a message"})
			}
			continue
		}
		switch m := msg.(type) {
		case *jsonrpc2.Notification:
			if m.Method() == "exit" {
				return want, true
			}
		case *jsonrpc2.Call:
			id := m.ID()
			raw, _ := json.Marshal(&id)
			e := expectation{id: idKey(raw), what: "a call of " + strconv.Quote(m.Method())}
			switch method := m.Method(); {
			case method == "initialize":
				e.code = jsonrpc2.InvalidRequest // sent twice
			case shutdown:
				e.code = jsonrpc2.InvalidRequest
			case method == "shutdown":
				shutdown = true
			case method == "textDocument/codeAction":
				if err := decodeParams(m.Params(), &codeActionParams{}); err != nil {
					e.code = jsonrpc2.InvalidParams
				}
			case method == methodCodeActionResolve:
				var a codeAction
				if err := decodeParams(m.Params(), &a); err != nil || a.Data == nil {
					e.code = jsonrpc2.InvalidParams
				}
			default:
				e.code = jsonrpc2.MethodNotFound
			}
			want = append(want, e)
		}
	}
	return want, false
}

type answer struct {
	id   string
	code jsonrpc2.Code // 0 for a result
}

// framesSession is one server over pipes and what it wrote.
type framesSession struct {
	in      *io.PipeWriter
	code    chan int
	mu      sync.Mutex
	answers []answer
	changed chan struct{}
	log     *lockedBuffer
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func startFrames() *framesSession {
	sin, cin := io.Pipe()
	cout, sout := io.Pipe()
	fs := &framesSession{in: cin, code: make(chan int, 1), changed: make(chan struct{}, 1), log: &lockedBuffer{}}
	go func() { fs.code <- Serve(context.Background(), sin, sout, Options{Stderr: fs.log}) }()
	go func() {
		r := bufio.NewReader(cout)
		for {
			body, _, err := readFrame(r)
			if err != nil {
				return
			}
			var m struct {
				ID     json.RawMessage `json:"id"`
				Method string          `json:"method"`
				Error  *struct {
					Code jsonrpc2.Code `json:"code"`
				} `json:"error"`
			}
			if json.Unmarshal(body, &m) != nil || m.Method != "" {
				continue // a notification or request of the server's
			}
			a := answer{id: idKey(m.ID)}
			if m.Error != nil {
				a.code = m.Error.Code
			}
			fs.mu.Lock()
			fs.answers = append(fs.answers, a)
			fs.mu.Unlock()
			select {
			case fs.changed <- struct{}{}:
			default:
			}
		}
	}()
	return fs
}

// answered waits until cond holds over the answers, or the session ends,
// or the timeout passes; it reports whether cond held.
func (fs *framesSession) answered(cond func([]answer) bool, timeout time.Duration, ended <-chan struct{}) bool {
	deadline := time.After(timeout)
	for {
		fs.mu.Lock()
		ok := cond(fs.answers)
		fs.mu.Unlock()
		if ok {
			return true
		}
		select {
		case <-fs.changed:
		case <-ended:
			fs.mu.Lock()
			defer fs.mu.Unlock()
			return cond(fs.answers)
		case <-deadline:
			return false
		}
	}
}

func countID(as []answer, id string) int {
	n := 0
	for _, a := range as {
		if a.id == id {
			n++
		}
	}
	return n
}

const (
	framesInit      = `{"jsonrpc":"2.0","id":"ff-init","method":"initialize","params":{"capabilities":{}}}`
	framesInited    = `{"jsonrpc":"2.0","method":"initialized","params":{}}`
	framesTrailerID = "ff-trailer"
	framesTrailer   = `{"jsonrpc":"2.0","id":"ff-trailer","method":"failfast/unknownTrailer","params":{}}`
)

func addFrameSeeds(f *testing.F) {
	open := `{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":"untitled:a","languageId":"go","version":1,"text":"package p\n"}}}`
	bodies := []string{
		`{"jsonrpc":"2.0","id":1,"method":"textDocument/codeAction","params":{"textDocument":{"uri":"untitled:a"},"range":{"start":{"line":0,"character":0},"end":{"line":0,"character":0}},"context":{"diagnostics":[]}}}`,
		`{"jsonrpc":"2.0","id":2,"method":"textDocument/codeAction","params":[1,2]}`,
		`{"jsonrpc":"2.0","id":3,"method":"textDocument/codeAction","params":{"textDocument":5}}`,
		`{"jsonrpc":"2.0","id":4,"method":"codeAction/resolve","params":{"title":"x"}}`,
		`{"jsonrpc":"2.0","id":5,"method":"no/such/method","params":{}}`,
		`{"jsonrpc":"2.0","id":6,"method":"initialize","params":{"capabilities":{}}}`,
		`{"jsonrpc":"2.0","id":99999999999,"method":"shutdown"}`,
		`{"jsonrpc":"2.0","id":1.5,"method":"no/such/method"}`,
		`{"jsonrpc":"2.0","id":true,"method":"no/such/method"}`,
		`{"jsonrpc":"2.0","id":"s","method":7}`,
		`{"jsonrpc":"1.0","id":"v","method":"shutdown"}`,
		`[{"jsonrpc":"2.0","id":8,"method":"shutdown"}]`,
		`{"jsonrpc":"2.0","id":9,"method":"textDocument/codeAction"`,
		`{"jsonrpc":"2.0","id":"x","method":"textDocument/codeAction","params":{"a":[1,2}}`,
		`{"jsonrpc":"2.0","params":{"id":12},"method":"a" "id":13}`,
		`not json at all`,
		`{"jsonrpc":"2.0","method":"textDocument/didChange","params":{"textDocument":{"uri":"untitled:a","version":2},"contentChanges":[{"range":{"start":{"line":9,"character":0},"end":{"line":0,"character":0}},"text":"x"}]}}`,
		`{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":1}}`,
		`{"jsonrpc":"2.0","method":"workspace/didChangeConfiguration","params":{"settings":{"failfast":{"run":7,"rules":[]}}}}`,
		`{"jsonrpc":"2.0","id":10,"method":"shutdown"}`,
		`{"jsonrpc":"2.0","id":11,"method":"textDocument/codeAction","params":{}}`,
	}
	f.Add(open+"\x1e"+strings.Join(bodies, "\x1e"), []byte(nil))
	for _, b := range bodies {
		f.Add(open+"\x1e"+b, []byte(nil))
	}
	for _, tail := range []string{
		"Content-Length: abc\r\n\r\n{}",
		"Content-Length: 0\r\n\r\n",
		"Content-Length: -5\r\n\r\n",
		"Content-Length: 99999999999\r\n\r\n{}",
		"Content-Length: 500\r\n\r\n{\"jsonrpc\":\"2.0\"}", // truncated: swallows the trailer
		"X-Header: 1\r\nContent-Length: 2\r\n\r\n{}",
		"no colon here\r\n\r\n",
		"\r\n{}",
		"Content-Length: 4\n\n[1]\n",
		"Content-Length: 8\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\nnull    ",
	} {
		f.Add(open, []byte(tail))
	}
	f.Add(`{"jsonrpc":"2.0","method":"exit"}`, []byte(nil))
}

// FuzzFrames: see the top of the file.
func FuzzFrames(f *testing.F) {
	addFrameSeeds(f)
	f.Fuzz(func(t *testing.T, bodies string, tail []byte) {
		if len(bodies)+len(tail) > 1<<16 {
			t.Skip("input too large")
		}
		var stream bytes.Buffer
		stream.WriteString(frame(framesInit) + frame(framesInited))
		for _, b := range strings.Split(bodies, "\x1e") {
			if b != "" {
				stream.WriteString(frame(b))
			}
		}
		stream.Write(tail)
		stream.WriteString(frame(framesTrailer))
		all, broken := splitFrames(stream.Bytes())
		if len(all) < 2 {
			t.Fatalf("the test's own frames do not read back")
		}
		want, exited := expect(all[2:])
		trailerRead := !broken && !exited
		if trailerRead {
			// The trailer is the last body; expect() saw it as an unknown method.
			want = want[:len(want)-1]
		}

		fs := startFrames()
		ended := make(chan struct{})
		var code int
		go func() { code = <-fs.code; close(ended) }()
		go func() {
			// Fails once the server stops reading: that is checked below.
			_, _ = fs.in.Write(stream.Bytes())
			if !trailerRead {
				fs.in.Close() // what follows a broken frame or exit never comes
			}
		}()
		fail := func(format string, args ...any) {
			t.Helper()
			t.Errorf(format, args...)
			t.Logf("stream (%d bytes):\n%q\nserver log:\n%s", stream.Len(), stream.Bytes(), fs.log.String())
		}
		defer func() {
			// End the session and wait for it, so sessions do not pile up.
			fs.in.Close()
			select {
			case <-ended:
			case <-time.After(framesTimeout):
				t.Errorf("the server did not end the session within %v of its input closing", framesTimeout)
			}
			if log := fs.log.String(); strings.Contains(log, "panic") {
				fail("the server panicked (recovered):\n%s", log)
			}
		}()

		if trailerRead {
			if !fs.answered(func(as []answer) bool { return countID(as, "s:"+framesTrailerID) > 0 }, framesTimeout, ended) {
				fail("the server did not answer a well-formed request after the fuzzed messages (session ended: %v)", isClosed(ended))
				return
			}
			// Requests run concurrently: the trailer's answer may come first.
			owed := map[string]int{}
			for _, e := range want {
				owed[e.id]++
			}
			ok := fs.answered(func(as []answer) bool {
				for id, n := range owed {
					if countID(as, id) < n {
						return false
					}
				}
				return true
			}, framesTimeout, ended)
			fs.mu.Lock()
			got := append([]answer(nil), fs.answers...)
			fs.mu.Unlock()
			if !ok {
				fail("requests left unanswered: owed %v, answered %v", owed, got)
				return
			}
			for _, e := range want {
				if e.code == 0 {
					continue
				}
				found := false
				for _, a := range got {
					// A $/cancelRequest may overtake a call's check.
					cancelled := a.code == jsonrpc2.Code(-32800) && strings.HasPrefix(e.what, "a call")
					if a.id == e.id && (a.code == e.code || cancelled) {
						found = true
					}
				}
				if !found {
					fail("%s (id %s) was not answered with code %d; answers: %v", e.what, e.id, e.code, got)
				}
			}
			return
		}
		// The framing broke or the client sent exit: the session must end,
		// once the client closes its side at the latest.
		select {
		case <-ended:
		case <-time.After(framesTimeout):
			fail("the server did not end the session within %v of a framing error or exit", framesTimeout)
			return
		}
		if exited && !broken {
			return // status 0 or 1, by whether shutdown came first
		}
		if code == 0 {
			fail("the session ended with status 0 on a broken stream")
		}
	})
}

func isClosed(c <-chan struct{}) bool {
	select {
	case <-c:
		return true
	default:
		return false
	}
}
