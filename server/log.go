package server

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"sync"

	"go.lsp.dev/protocol"
)

// logHandler writes each record to stderr (text) and to the client as
// window/logMessage: never to stdout, which carries the protocol.
type logHandler struct {
	stderr slog.Handler
	level  slog.Level
	client func(protocol.MessageType, string)
	// attrs and groups rendered for the client, as the text handler does.
	buf *bytes.Buffer
	mu  *sync.Mutex
	txt slog.Handler // renders a record's attributes into buf
}

func newLogHandler(stderr io.Writer, level slog.Level, client func(protocol.MessageType, string)) *logHandler {
	buf := &bytes.Buffer{}
	opts := &slog.HandlerOptions{Level: level}
	return &logHandler{
		stderr: slog.NewTextHandler(stderr, opts),
		level:  level,
		client: client,
		buf:    buf,
		mu:     &sync.Mutex{},
		txt: slog.NewTextHandler(buf, &slog.HandlerOptions{Level: level, ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
			if len(groups) == 0 && (a.Key == slog.TimeKey || a.Key == slog.LevelKey) {
				return slog.Attr{} // the client stamps and classes the message itself
			}
			return a
		}}),
	}
}

func (h *logHandler) Enabled(_ context.Context, l slog.Level) bool { return l >= h.level }

func (h *logHandler) Handle(ctx context.Context, r slog.Record) error {
	err := h.stderr.Handle(ctx, r)
	if h.client == nil || r.Level < slog.LevelInfo {
		return err // debug records stay on stderr
	}
	h.mu.Lock()
	h.buf.Reset()
	terr := h.txt.Handle(ctx, r)
	msg := string(bytes.TrimSpace(h.buf.Bytes()))
	h.mu.Unlock()
	if terr != nil {
		return terr
	}
	typ := protocol.MessageTypeInfo
	switch {
	case r.Level >= slog.LevelError:
		typ = protocol.MessageTypeError
	case r.Level >= slog.LevelWarn:
		typ = protocol.MessageTypeWarning
	}
	h.client(typ, msg)
	return err
}

func (h *logHandler) WithAttrs(as []slog.Attr) slog.Handler {
	c := *h
	c.stderr, c.txt = h.stderr.WithAttrs(as), h.txt.WithAttrs(as)
	return &c
}

func (h *logHandler) WithGroup(name string) slog.Handler {
	c := *h
	c.stderr, c.txt = h.stderr.WithGroup(name), h.txt.WithGroup(name)
	return &c
}

// logToClient sends a log line as window/logMessage. A failure to send is
// written to stderr only (logging it through the client would loop).
func (s *Server) logToClient(typ protocol.MessageType, msg string) {
	if s.closed.Load() {
		return
	}
	if err := s.client.LogMessage(context.Background(), &protocol.LogMessageParams{Type: typ, Message: msg}); err != nil {
		s.stderrOnly.Warn("window/logMessage not sent", "err", err)
	}
}
