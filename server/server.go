package server

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.uber.org/zap"
)

// Options configure a server.
type Options struct {
	// Stderr receives the log; the client gets it too, as window/logMessage.
	Stderr io.Writer
	// LogLevel is the lowest level logged (default Info).
	LogLevel slog.Level
	// Fixes provides the quick fixes; nil means package fixes.
	Fixes FixProvider
	// OnShutdown, when set, is called when the client asks for shutdown,
	// before anything of the session is stopped or dropped (failfast
	// serve -memprofile writes the heap profile there).
	OnShutdown func()
}

// Server state, in lifecycle order.
type state int

const (
	stateNew         state = iota // before initialize
	stateInitialized              // initialize answered
	stateShutdown                 // shutdown answered; only exit is accepted
)

// Server is one language-server session over one connection.
type Server struct {
	conn   jsonrpc2.Conn
	client protocol.Client
	log    *slog.Logger
	// stderrOnly logs what cannot be sent to the client.
	stderrOnly *slog.Logger
	fixes      FixProvider
	onShutdown func()
	// wholePackage admits one whole-package analysis of an open
	// document at a time (analyseFull): each holds its package's syntax
	// and types while it runs, and opening twenty files at once would
	// otherwise hold twenty packages side by side for no gain in time.
	wholePackage chan struct{}

	closed atomic.Bool // the connection is gone: log to stderr only

	mu       sync.Mutex
	state    state
	inflight map[jsonrpc2.ID]context.CancelFunc
	exitCode chan int // receives the exit status once

	// set by initialize, read-only afterwards
	enc     encoding
	clientC clientCaps
	pull    bool // the client pulls diagnostics (see pull.go)

	docs     *store
	settings *settingsStore
	ws       *workspaces
	sched    *scheduler
	actions  *actionCache
	reports  *reportStore // what a pulling client is answered
	refresh  *refresher
	bg       *background // the pass over the files that are not open
	// held counts the held packages alive (body.go), at most maxHeld.
	held atomic.Int32

	requests      map[string]func(context.Context, json.RawMessage) (any, error)
	notifications map[string]func(context.Context, json.RawMessage) error
}

// Serve runs a language server over in and out until the client sends exit
// or closes the stream, and returns the process exit status: 0 after
// shutdown and exit, 1 otherwise.
func Serve(ctx context.Context, in io.Reader, out io.Writer, opts Options) int {
	s := newServer(in, out, opts)
	conn := s.conn
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	// Whatever ends the session, the go commands it started end with it.
	defer func() {
		s.sched.stop()
		if !s.sched.waitBackground(exitGrace) {
			s.log.Warn("a go command started by the server was still running at exit", "waited", exitGrace.String())
		}
	}()
	conn.Go(ctx, s.handle)
	defer s.closed.Store(true)
	select {
	case code := <-s.exitCode:
		s.closed.Store(true)
		s.sched.stop()
		if err := conn.Close(); err != nil {
			s.log.Debug("closing the connection", "err", err)
		}
		return code
	case <-conn.Done():
		s.closed.Store(true)
		s.sched.stop()
		err := conn.Err()
		s.mu.Lock()
		st := s.state
		s.mu.Unlock()
		if st == stateShutdown {
			s.log.Info("the client closed the connection after shutdown without sending exit", "err", err)
		} else {
			s.log.Error("the client closed the connection without shutdown", "err", err)
		}
		return 1
	case <-ctx.Done():
		s.sched.stop()
		s.log.Error("server stopped", "err", ctx.Err())
		return 1
	}
}

func newServer(in io.Reader, out io.Writer, opts Options) *Server {
	if opts.Stderr == nil {
		opts.Stderr = io.Discard
	}
	stream := newTolerantStream(in, out)
	conn := jsonrpc2.NewConn(stream)
	s := &Server{
		conn: conn,
		// The dispatcher logs through zap and crashes on a nil logger;
		// the server's own log is slog, so zap's is discarded.
		client:       protocol.ClientDispatcher(conn, zap.NewNop()),
		fixes:        opts.Fixes,
		onShutdown:   opts.OnShutdown,
		wholePackage: make(chan struct{}, 1),
		inflight:     map[jsonrpc2.ID]context.CancelFunc{},
		exitCode:     make(chan int, 1),
		enc:          utf16Encoding,
		docs:         newStore(),
	}
	if s.fixes == nil {
		s.fixes = DefaultFixes{}
	}
	s.log = slog.New(newLogHandler(opts.Stderr, opts.LogLevel, s.logToClient))
	s.stderrOnly = slog.New(slog.NewTextHandler(opts.Stderr, &slog.HandlerOptions{Level: opts.LogLevel}))
	stream.log = s.log
	s.settings = newSettingsStore()
	s.ws = newWorkspaces(s)
	s.sched = newScheduler(s)
	s.actions = newActionCache()
	s.reports = newReportStore()
	s.refresh = &refresher{s: s}
	s.bg = newBackground(s)
	s.routes()
	return s
}

// routes lists the methods this server implements; anything else is
// MethodNotFound (a request) or ignored (a notification).
func (s *Server) routes() {
	s.requests = map[string]func(context.Context, json.RawMessage) (any, error){
		protocol.MethodTextDocumentCodeAction: s.codeAction,
		methodCodeActionResolve:               s.resolveCodeAction,
		methodTextDocumentDiagnostic:          s.documentDiagnostic,
		methodWorkspaceDiagnostic:             s.workspaceDiagnostic,
	}
	s.notifications = map[string]func(context.Context, json.RawMessage) error{
		protocol.MethodInitialized:                        s.initialized,
		protocol.MethodTextDocumentDidOpen:                s.didOpen,
		protocol.MethodTextDocumentDidChange:              s.didChange,
		protocol.MethodTextDocumentDidSave:                s.didSave,
		protocol.MethodTextDocumentDidClose:               s.didClose,
		protocol.MethodWorkspaceDidChangeConfiguration:    s.didChangeConfiguration,
		protocol.MethodWorkspaceDidChangeWatchedFiles:     s.didChangeWatchedFiles,
		protocol.MethodWorkspaceDidChangeWorkspaceFolders: s.didChangeWorkspaceFolders,
		protocol.MethodWorkDoneProgressCancel:             s.workDoneProgressCancel,
	}
}

// methodCodeActionResolve is not routed by protocol v0.12.
const methodCodeActionResolve = "codeAction/resolve"

// handle is the connection's handler. It runs on the read loop: state
// changes (notifications, initialize, shutdown) are applied in message
// order, and other requests run in their own goroutines so that a slow one
// neither delays the next message nor escapes $/cancelRequest. It never
// returns an error, which would close the connection.
func (s *Server) handle(ctx context.Context, reply jsonrpc2.Replier, req jsonrpc2.Request) error {
	method := req.Method()
	call, isCall := req.(*jsonrpc2.Call)
	if !isCall {
		s.notify(ctx, method, req.Params())
		return nil
	}
	id := call.ID()
	send := func(result any, err error) {
		if err != nil {
			s.log.Debug("request failed", "method", method, "id", fmt.Sprint(id), "err", err)
		}
		if werr := reply(ctx, result, wireError(err)); werr != nil {
			s.log.Error("replying", "method", method, "id", fmt.Sprint(id), "err", werr)
		}
	}
	s.mu.Lock()
	st := s.state
	s.mu.Unlock()
	switch {
	case method == protocol.MethodInitialize:
		send(s.safely(method, func() (any, error) { return s.initialize(ctx, req.Params()) }))
		return nil
	case st == stateNew:
		send(nil, jsonrpc2.NewError(jsonrpc2.ServerNotInitialized, fmt.Sprintf("%s before initialize", method)))
		return nil
	case st == stateShutdown:
		send(nil, jsonrpc2.NewError(jsonrpc2.InvalidRequest, fmt.Sprintf("%s after shutdown", method)))
		return nil
	case method == protocol.MethodShutdown:
		send(s.safely(method, func() (any, error) { return s.shutdown() }))
		return nil
	}
	h, ok := s.requests[method]
	if !ok {
		send(nil, jsonrpc2.NewError(jsonrpc2.MethodNotFound, fmt.Sprintf("method not found: %s", method)))
		return nil
	}
	rctx, cancel := context.WithCancel(ctx)
	s.mu.Lock()
	s.inflight[id] = cancel
	s.mu.Unlock()
	go func() {
		defer func() {
			s.mu.Lock()
			delete(s.inflight, id)
			s.mu.Unlock()
			cancel()
		}()
		res, err := s.safely(method, func() (any, error) { return h(rctx, req.Params()) })
		if err != nil && rctx.Err() != nil {
			s.log.Info("request cancelled", "method", method, "id", fmt.Sprint(id))
			err = fmt.Errorf("%s: %w", method, protocol.ErrRequestCancelled)
		}
		send(res, err)
	}()
	return nil
}

// notify handles a notification in message order.
func (s *Server) notify(ctx context.Context, method string, params json.RawMessage) {
	switch method {
	case protocol.MethodExit:
		s.exit()
		return
	case protocol.MethodCancelRequest:
		s.cancelRequest(params)
		return
	}
	s.mu.Lock()
	st := s.state
	s.mu.Unlock()
	if st != stateInitialized {
		s.log.Warn("notification ignored outside the initialized state", "method", method, "state", st)
		return
	}
	h, ok := s.notifications[method]
	if !ok {
		if !strings.HasPrefix(method, "$/") {
			s.log.Debug("notification ignored: not implemented", "method", method)
		}
		return
	}
	if _, err := s.safely(method, func() (any, error) { return nil, h(ctx, params) }); err != nil {
		s.log.Error("notification failed", "method", method, "err", err)
	}
}

// safely runs f, turning a panic into an error (with the stack in the log):
// one bad message or rule must not take the server down, nor be hidden.
func (s *Server) safely(method string, f func() (any, error)) (res any, err error) {
	defer func() {
		if p := recover(); p != nil {
			s.log.Error("panic handling a message", "method", method, "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
			res, err = nil, jsonrpc2.NewError(jsonrpc2.InternalError, fmt.Sprintf("internal error handling %s: %v (the stack is in the server log)", method, p))
		}
	}()
	return f()
}

// wireError gives err a JSON-RPC code: its own, RequestCancelled for a
// cancelled context, InternalError otherwise (jsonrpc2 would send code 0).
func wireError(err error) error {
	if err == nil {
		return nil
	}
	var we *jsonrpc2.Error
	if errors.As(err, &we) {
		if we.Message == err.Error() {
			return we
		}
		return jsonrpc2.NewError(we.Code, err.Error())
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return jsonrpc2.NewError(protocol.CodeRequestCancelled, err.Error())
	}
	return jsonrpc2.NewError(jsonrpc2.InternalError, err.Error())
}

// invalidParams marks a decoding error as InvalidParams.
func invalidParams(method string, err error) error {
	return jsonrpc2.NewError(jsonrpc2.InvalidParams, fmt.Sprintf("%s: %v", method, err))
}

type cancelParams struct {
	ID *jsonrpc2.ID `json:"id"`
}

// cancelRequest cancels a running request. protocol.CancelHandler only
// understands int32 and string ids and silently drops the numeric ids
// (decoded as float64) that VS Code sends; jsonrpc2.ID decodes both.
func (s *Server) cancelRequest(params json.RawMessage) {
	var p cancelParams
	if err := decodeParams(params, &p); err != nil || p.ID == nil {
		s.log.Warn("$/cancelRequest ignored: no request id", "params", string(params), "err", err)
		return
	}
	s.mu.Lock()
	cancel, ok := s.inflight[*p.ID]
	s.mu.Unlock()
	if !ok {
		s.log.Debug("$/cancelRequest for a request that is not running", "id", fmt.Sprint(*p.ID))
		return
	}
	cancel()
}

func (s *Server) shutdown() (any, error) {
	s.mu.Lock()
	s.state = stateShutdown
	s.mu.Unlock()
	if s.onShutdown != nil {
		s.onShutdown()
	}
	s.sched.stop()
	s.log.Info("shutdown")
	return nil, nil
}

// exitGrace is how long the server waits at exit for the go commands it
// started to stop (they are interrupted, then killed).
const exitGrace = 3 * time.Second

// exit ends the session: status 0 after shutdown, 1 otherwise.
func (s *Server) exit() {
	s.mu.Lock()
	code := 1
	if s.state == stateShutdown {
		code = 0
	}
	s.mu.Unlock()
	if code != 0 {
		s.log.Warn("exit without shutdown: exiting with status 1")
	}
	select {
	case s.exitCode <- code:
	default: // a second exit: the first decides
	}
}

// showMessage tells the user something through window/showMessage.
func (s *Server) showMessage(ctx context.Context, typ protocol.MessageType, msg string) {
	if err := s.client.ShowMessage(ctx, &protocol.ShowMessageParams{Type: typ, Message: "failfast: " + msg}); err != nil {
		s.log.Error("window/showMessage", "message", msg, "err", err)
	}
}

// pipe is the connection's byte stream: stdin and stdout for `failfast
// serve`.
type pipe struct {
	in  io.Reader
	out io.Writer
}

func (p *pipe) Read(b []byte) (int, error)  { return p.in.Read(b) }
func (p *pipe) Write(b []byte) (int, error) { return p.out.Write(b) }

// Close closes both directions where they can be closed.
func (p *pipe) Close() error {
	var errs []error
	if c, ok := p.in.(io.Closer); ok {
		errs = append(errs, c.Close())
	}
	if c, ok := p.out.(io.Closer); ok {
		errs = append(errs, c.Close())
	}
	return errors.Join(errs...)
}

// tolerantStream is the connection's stream. It writes with jsonrpc2's
// framing and reads frames itself, with the same framing rules, so that a
// message whose JSON does not decode can be answered and skipped: jsonrpc2
// would close the connection on it, and a client waiting for the answer to
// a request it sent would wait forever. When the message's top-level id (a
// string or a number, however large) can be read, from the well-formed
// beginning of a body that is not JSON too, the answer is a ParseError
// (-32700) for a body that is not JSON and an InvalidRequest (-32600) for
// JSON that is not a message (a method that is not a string, a wrong
// jsonrpc version, an id jsonrpc2 cannot hold). Without an id the message
// is only logged: JSON-RPC would answer with a null id, but clients take
// that badly (go.lsp.dev/jsonrpc2 closes the connection on it). The
// framing (Content-Length) was intact, so the next message is read
// normally. Framing errors still end the session, since the stream can no
// longer be followed.
type tolerantStream struct {
	jsonrpc2.Stream // writes
	in              *bufio.Reader
	out             io.Writer
	log             *slog.Logger // set before the connection starts reading
	writeMu         sync.Mutex   // the read loop writes the answers above
}

func newTolerantStream(in io.Reader, out io.Writer) *tolerantStream {
	return &tolerantStream{Stream: jsonrpc2.NewStream(&pipe{in: in, out: out}), in: bufio.NewReader(in), out: out}
}

func (t *tolerantStream) Write(ctx context.Context, msg jsonrpc2.Message) (int64, error) {
	t.writeMu.Lock()
	defer t.writeMu.Unlock()
	return t.Stream.Write(ctx, msg)
}

func (t *tolerantStream) Read(ctx context.Context) (jsonrpc2.Message, int64, error) {
	for {
		if err := ctx.Err(); err != nil {
			return nil, 0, err
		}
		body, n, err := readFrame(t.in)
		if err != nil {
			return nil, n, err
		}
		msg, err := jsonrpc2.DecodeMessage(body)
		if err == nil {
			return msg, n, nil
		}
		t.log.Error("skipped a malformed message", "err", err)
		t.answerMalformed(body)
	}
}

// readFrame reads one message body with jsonrpc2's framing: header lines
// up to an empty one, a Content-Length (a positive 32-bit decimal), other
// headers ignored.
func readFrame(in *bufio.Reader) ([]byte, int64, error) {
	var total, length int64
	for {
		line, err := in.ReadString('\n')
		total += int64(len(line))
		if err != nil {
			return nil, total, fmt.Errorf("failed reading header line: %w", err)
		}
		line = strings.TrimSpace(line)
		if line == "" {
			break
		}
		name, value, ok := strings.Cut(line, ":")
		if !ok {
			return nil, total, fmt.Errorf("invalid header line %q", line)
		}
		if name == jsonrpc2.HdrContentLength {
			if length, err = strconv.ParseInt(strings.TrimSpace(value), 10, 32); err != nil {
				return nil, total, fmt.Errorf("failed parsing %s: %v: %w", jsonrpc2.HdrContentLength, value, err)
			}
			if length <= 0 {
				return nil, total, fmt.Errorf("invalid %s: %v", jsonrpc2.HdrContentLength, length)
			}
		}
	}
	if length == 0 {
		return nil, total, fmt.Errorf("missing %s header", jsonrpc2.HdrContentLength)
	}
	body := make([]byte, length)
	if _, err := io.ReadFull(in, body); err != nil {
		return nil, total, fmt.Errorf("read full of data: %w", err)
	}
	return body, total + length, nil
}

// answerMalformed answers a message that did not decode, if its id can be
// read (see tolerantStream).
func (t *tolerantStream) answerMalformed(body []byte) {
	id := requestID(body)
	if id == nil {
		return
	}
	code, why := jsonrpc2.ParseError, "malformed message: invalid JSON"
	if json.Valid(body) {
		code, why = jsonrpc2.InvalidRequest, "malformed message: not a JSON-RPC request"
	}
	resp, err := json.Marshal(struct {
		JSONRPC string          `json:"jsonrpc"`
		ID      json.RawMessage `json:"id"`
		Error   *jsonrpc2.Error `json:"error"`
	}{"2.0", id, jsonrpc2.NewError(code, why)})
	if err != nil {
		t.log.Error("answering a malformed message", "err", err)
		return
	}
	t.writeMu.Lock()
	defer t.writeMu.Unlock()
	if _, err := fmt.Fprintf(t.out, "%s: %d\r\n\r\n%s", jsonrpc2.HdrContentLength, len(resp), resp); err != nil {
		t.log.Error("answering a malformed message", "err", err)
	}
}

// requestID returns the top-level "id" of a message body if it is a string
// or a number, read from the body's well-formed beginning; nil otherwise.
func requestID(body []byte) json.RawMessage {
	dec := json.NewDecoder(bytes.NewReader(body))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil
	}
	for dec.More() {
		key, err := dec.Token()
		if err != nil {
			return nil
		}
		var value json.RawMessage
		if err := dec.Decode(&value); err != nil {
			return nil
		}
		if key != "id" {
			continue
		}
		if len(value) > 0 && (value[0] == '"' || value[0] == '-' || value[0] >= '0' && value[0] <= '9') {
			return value
		}
		return nil
	}
	return nil
}
