package server

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"slices"
	"sync"

	"go.lsp.dev/protocol"
)

// document is one buffer the client has open. Its content and version
// change together, under the store's lock; a snapshot is immutable.
type document struct {
	uri      protocol.DocumentURI
	path     string // absolute file name; "" for a non-file URI
	snap     *snapshot
	analysis *docAnalysis // scheduling state, see analysis.go
}

// snapshot is a document's content at one version.
type snapshot struct {
	uri     protocol.DocumentURI
	path    string
	version int32
	text    []byte
	lines   *lineIndex
}

func newSnapshot(uri protocol.DocumentURI, path string, version int32, text []byte) *snapshot {
	return &snapshot{uri: uri, path: path, version: version, text: text, lines: newLineIndex(text)}
}

// store holds the open documents.
type store struct {
	mu   sync.Mutex
	docs map[protocol.DocumentURI]*document
}

func newStore() *store { return &store{docs: map[protocol.DocumentURI]*document{}} }

func (s *store) open(uri protocol.DocumentURI, version int32, text []byte) (*document, error) {
	path, err := uriPath(uri)
	if err != nil {
		return nil, err
	}
	d := &document{uri: uri, path: path, snap: newSnapshot(uri, path, version, text), analysis: &docAnalysis{}}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.docs[uri] = d
	return d, nil
}

func (s *store) get(uri protocol.DocumentURI) (*document, *snapshot, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	d, ok := s.docs[uri]
	if !ok {
		return nil, nil, false
	}
	return d, d.snap, true
}

func (s *store) close(uri protocol.DocumentURI) (*document, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	d, ok := s.docs[uri]
	delete(s.docs, uri)
	return d, ok
}

// all returns the open documents.
func (s *store) all() []*document {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]*document, 0, len(s.docs))
	for _, d := range s.docs {
		out = append(out, d)
	}
	slices.SortFunc(out, func(a, b *document) int { return cmp.Compare(a.uri, b.uri) })
	return out
}

// byPath returns the current snapshot of the open document for a file.
func (s *store) byPath(path string) (*snapshot, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, d := range s.docs {
		if d.path == path {
			return d.snap, true
		}
	}
	return nil, false
}

// contentChange is one entry of didChange's contentChanges. protocol v0.12's
// TextDocumentContentChangeEvent has a Range value, so a full-document change
// (no range) would decode as an insertion at 0:0; here the range is a pointer.
type contentChange struct {
	Range *protocol.Range `json:"range"`
	Text  *string         `json:"text"`
}

type didChangeParams struct {
	TextDocument   protocol.VersionedTextDocumentIdentifier `json:"textDocument"`
	ContentChanges []contentChange                          `json:"contentChanges"`
}

// change applies the changes, in order, to the document's content and
// stamps the new version. A change that cannot apply (a range past the end)
// leaves the document as it was and is an error: the client and server
// disagree about its content, and analysing a guess would mislead.
func (s *store) change(uri protocol.DocumentURI, version int32, changes []contentChange, enc encoding) (*document, *snapshot, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	d, ok := s.docs[uri]
	if !ok {
		return nil, nil, fmt.Errorf("didChange for %s, which is not open", uri)
	}
	if version <= d.snap.version {
		return nil, nil, fmt.Errorf("didChange for %s to version %d, not after the current version %d", uri, version, d.snap.version)
	}
	text, lines := d.snap.text, d.snap.lines
	for i, c := range changes {
		if c.Text == nil {
			return nil, nil, fmt.Errorf("didChange for %s: change %d has no text", uri, i)
		}
		if c.Range == nil {
			text = []byte(*c.Text)
		} else {
			start, end, err := lines.offsets(*c.Range, enc)
			if err != nil {
				return nil, nil, fmt.Errorf("didChange for %s: change %d: %w", uri, i, err)
			}
			next := make([]byte, 0, len(text)-(end-start)+len(*c.Text))
			next = append(next, text[:start]...)
			next = append(next, *c.Text...)
			text = append(next, text[end:]...)
		}
		lines = newLineIndex(text)
	}
	d.snap = &snapshot{uri: uri, path: d.path, version: version, text: text, lines: lines}
	return d, d.snap, nil
}

// uriPath returns the file name of a file: URI, or "" for another scheme
// (untitled buffers are still accepted, for syntax-only analysis).
func uriPath(uri protocol.DocumentURI) (string, error) {
	u, err := url.Parse(string(uri))
	if err != nil {
		return "", fmt.Errorf("document URI %q: %w", uri, err)
	}
	if u.Scheme != "file" {
		return "", nil
	}
	if u.Path == "" {
		return "", fmt.Errorf("document URI %q has no path", uri)
	}
	return filepath.Clean(filepath.FromSlash(u.Path)), nil
}

// fileURI returns the file: URI of an absolute file name.
func fileURI(path string) protocol.DocumentURI {
	u := url.URL{Scheme: "file", Path: filepath.ToSlash(path)}
	return protocol.DocumentURI(u.String())
}

// decodeParams decodes a message's params strictly enough to reject a
// malformed message with InvalidParams instead of acting on zero values.
func decodeParams(raw json.RawMessage, v any) error {
	if len(raw) == 0 {
		return errors.New("missing params")
	}
	if err := json.Unmarshal(raw, v); err != nil {
		return fmt.Errorf("decode params: %w", err)
	}
	return nil
}
