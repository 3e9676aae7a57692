package server

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"

	"github.com/failfast-dev/failfast/runner"
)

// actionCache keeps the fixes computed for a document version, so that
// clients asking again (on every cursor move, for some) are answered at
// once and codeAction/resolve finds what codeAction offered.
type actionCache struct {
	mu   sync.Mutex
	docs map[protocol.DocumentURI]*docFixes
}

type docFixes struct {
	version int32
	fixes   map[string][]Fix // by findingKey
}

// findingKey identifies a finding within a document version.
func findingKey(f runner.Finding) string {
	return fmt.Sprintf("%s@%d-%d", f.Rule, f.Pos.Offset, f.End.Offset)
}

func newActionCache() *actionCache {
	return &actionCache{docs: map[protocol.DocumentURI]*docFixes{}}
}

func (c *actionCache) clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	clear(c.docs)
}

func (c *actionCache) drop(uri protocol.DocumentURI) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.docs, uri)
}

// fixesFor returns the fixes of finding f of res, computing them once per
// document version.
func (s *Server) fixesFor(ctx context.Context, res *result, f runner.Finding) ([]Fix, error) {
	c := s.actions
	uri, version := res.snap.uri, res.snap.version
	c.mu.Lock()
	df, ok := c.docs[uri]
	if !ok || df.version != version {
		df = &docFixes{version: version, fixes: map[string][]Fix{}}
		c.docs[uri] = df
	}
	key := findingKey(f)
	fixes, ok := df.fixes[key]
	c.mu.Unlock()
	if ok {
		return fixes, nil
	}
	pkg, err := res.fixPackage(ctx)
	if err != nil {
		return nil, fmt.Errorf("fixes for %s at %s:%d:%d: %w", f.Rule, f.Pos.Filename, f.Pos.Line, f.Pos.Column, err)
	}
	req := FixRequest{Package: pkg, Finding: f, Source: res.snap.text, Logger: s.settings.get().Logger}
	fixes, err = s.fixes.Fixes(ctx, req)
	if err != nil {
		err = fmt.Errorf("fixes for %s at %s:%d:%d: %w", f.Rule, f.Pos.Filename, f.Pos.Line, f.Pos.Column, err)
		if len(fixes) == 0 || ctx.Err() != nil {
			return nil, err
		}
		// Some fixes could not be built or verified: offer the others.
		s.log.Warn("fixes left out", "err", err)
	}
	fixes = slices.DeleteFunc(slices.Clone(fixes), func(fx Fix) bool {
		for _, e := range fx.Edits {
			if e.Filename != res.snap.path {
				s.log.Error("fix dropped: it edits another file", "title", fx.Title, "file", e.Filename)
				return true
			}
			if e.Start < 0 || e.End < e.Start || e.End > len(res.snap.text) {
				s.log.Error("fix dropped: edit outside the file", "title", fx.Title, "start", e.Start, "end", e.End, "size", len(res.snap.text))
				return true
			}
		}
		return false
	})
	c.mu.Lock()
	if df.version == version {
		df.fixes[key] = fixes
	}
	c.mu.Unlock()
	return fixes, nil
}

type codeActionParams struct {
	TextDocument protocol.TextDocumentIdentifier `json:"textDocument"`
	Range        protocol.Range                  `json:"range"`
	Context      struct {
		Diagnostics []echoedDiagnostic        `json:"diagnostics"`
		Only        []protocol.CodeActionKind `json:"only"`
	} `json:"context"`
}

// echoedDiagnostic is a diagnostic as a client sends it back: any subset
// of what was published (ALE sends only code, message and range).
type echoedDiagnostic struct {
	Range   protocol.Range  `json:"range"`
	Code    json.RawMessage `json:"code"`
	Source  string          `json:"source"`
	Message string          `json:"message"`
}

// codeAction is protocol's CodeAction with the data field (LSP 3.16) that
// codeAction/resolve needs.
type codeAction struct {
	Title       string                  `json:"title"`
	Kind        protocol.CodeActionKind `json:"kind,omitempty"`
	Diagnostics []protocol.Diagnostic   `json:"diagnostics,omitempty"`
	IsPreferred bool                    `json:"isPreferred,omitempty"`
	Edit        *protocol.WorkspaceEdit `json:"edit,omitempty"`
	Data        *actionData             `json:"data,omitempty"`
}

// actionData identifies a fix for codeAction/resolve.
type actionData struct {
	URI     protocol.DocumentURI `json:"uri"`
	Version int32                `json:"version"`
	FixAll  bool                 `json:"fixAll,omitempty"`
	Finding string               `json:"finding,omitempty"` // findingKey
	Fix     int                  `json:"fix"`
}

// wants reports whether an action of kind k is asked for by only (every
// kind when only is empty, except source actions, which must be asked for).
func wants(only []protocol.CodeActionKind, k protocol.CodeActionKind) bool {
	if len(only) == 0 {
		return !strings.HasPrefix(string(k), "source")
	}
	for _, o := range only {
		if k == o || strings.HasPrefix(string(k), string(o)+".") {
			return true
		}
	}
	return false
}

func (s *Server) codeAction(ctx context.Context, raw json.RawMessage) (any, error) {
	var p codeActionParams
	if err := decodeParams(raw, &p); err != nil {
		return nil, invalidParams("textDocument/codeAction", err)
	}
	actions := []codeAction{}
	quick, fixAll := wants(p.Context.Only, protocol.QuickFix), wants(p.Context.Only, FixAllKind)
	if !quick && !fixAll {
		return actions, nil
	}
	res, done, err := s.resultFor(ctx, p.TextDocument.URI)
	if err != nil || res == nil {
		return actions, err
	}
	defer done()
	lines := res.snap.lines
	if quick {
		for _, i := range s.selectFindings(res, p.Range, p.Context.Diagnostics) {
			fixes, err := s.fixesFor(ctx, res, res.findings[i])
			if err != nil {
				return nil, err
			}
			diag := s.diagnostic(res.snap, res.findings[i])
			preferred := false
			for j, fx := range fixes {
				a := codeAction{Title: fx.Title, Kind: protocol.QuickFix, Diagnostics: []protocol.Diagnostic{diag}}
				if fx.Safe && !preferred {
					a.IsPreferred, preferred = true, true
				}
				if s.clientC.resolvesEdits() {
					a.Data = &actionData{URI: res.snap.uri, Version: res.snap.version, Finding: findingKey(res.findings[i]), Fix: j}
				} else {
					a.Edit = workspaceEdit(res.snap.uri, lines, s.enc, fx.Edits)
				}
				actions = append(actions, a)
			}
		}
	}
	if fixAll && len(res.findings) > 0 {
		a := codeAction{Title: "Apply every safe failfast fix", Kind: FixAllKind}
		if s.clientC.resolvesEdits() {
			a.Data = &actionData{URI: res.snap.uri, Version: res.snap.version, FixAll: true}
		} else {
			edits, err := s.safeEdits(ctx, res)
			if err != nil {
				return nil, err
			}
			if len(edits) == 0 {
				return actions, nil
			}
			a.Edit = workspaceEdit(res.snap.uri, lines, s.enc, edits)
		}
		actions = append(actions, a)
	}
	return actions, nil
}

// resultFor returns the analysis of the document's current version: the
// published one, or a fresh analysis when the document changed since (or
// in onSave mode). Call done when the result is no longer needed.
func (s *Server) resultFor(ctx context.Context, uri protocol.DocumentURI) (res *result, done func(), err error) {
	d, snap, ok := s.docs.get(uri)
	if !ok {
		s.log.Warn("code actions asked for a document that is not open", "uri", uri)
		return nil, func() {}, nil
	}
	return s.resultAt(ctx, d, snap)
}

func (s *Server) resultAt(ctx context.Context, d *document, snap *snapshot) (*result, func(), error) {
	if res, ok := s.sched.current(d, snap.version); ok {
		return res, func() {}, nil
	}
	res, err := s.analyse(ctx, snap, nil)
	if err != nil {
		return nil, nil, fmt.Errorf("analysing %s for code actions: %w", snap.uri, err)
	}
	done := func() {
		if res.release != nil {
			res.release()
		}
	}
	return res, done, nil
}

// selectFindings picks the findings a code action request is about: those
// matching a diagnostic the client sent back (same code, overlapping
// range: clients echo different subsets of the fields), else those whose
// range meets the requested one.
func (s *Server) selectFindings(res *result, rng protocol.Range, echoed []echoedDiagnostic) []int {
	var out []int
	lines := res.snap.lines
	for i, f := range res.findings {
		fr := lines.rangeOf(f.Pos.Offset, f.End.Offset, s.enc)
		for _, e := range echoed {
			var code string
			if err := json.Unmarshal(e.Code, &code); err != nil || code != f.Rule {
				continue
			}
			if overlaps(fr, e.Range) {
				out = append(out, i)
				break
			}
		}
	}
	if len(out) > 0 {
		return out
	}
	for i, f := range res.findings {
		if overlaps(lines.rangeOf(f.Pos.Offset, f.End.Offset, s.enc), rng) {
			out = append(out, i)
		}
	}
	return out
}

func before(a, b protocol.Position) bool {
	return a.Line < b.Line || (a.Line == b.Line && a.Character < b.Character)
}

// overlaps reports whether two ranges share a position (touching counts:
// a cursor at either end of a diagnostic selects it).
func overlaps(a, b protocol.Range) bool {
	return !before(a.End, b.Start) && !before(b.End, a.Start)
}

// safeEdits asks the provider for every safe fix of the result at once.
func (s *Server) safeEdits(ctx context.Context, res *result) ([]Edit, error) {
	if len(res.findings) == 0 {
		return nil, nil
	}
	pkg, err := res.fixPackage(ctx)
	if err != nil {
		return nil, fmt.Errorf("fix-all on %s: %w", res.snap.uri, err)
	}
	req := FixAllRequest{Package: pkg, Findings: res.findings, Source: res.snap.text, Logger: s.settings.get().Logger}
	edits, skipped, err := s.fixes.FixAll(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("fix-all on %s: %w", res.snap.uri, err)
	}
	for _, e := range skipped {
		s.log.Info("fix-all: finding left alone", "reason", e)
	}
	for _, e := range edits {
		if e.Filename != res.snap.path || e.Start < 0 || e.End < e.Start || e.End > len(res.snap.text) {
			return nil, fmt.Errorf("fix-all on %s: edit [%d,%d) of %s lies outside the file", res.snap.uri, e.Start, e.End, e.Filename)
		}
	}
	return edits, nil
}

func workspaceEdit(uri protocol.DocumentURI, lines *lineIndex, enc encoding, edits []Edit) *protocol.WorkspaceEdit {
	tes := make([]protocol.TextEdit, 0, len(edits))
	for _, e := range edits {
		tes = append(tes, protocol.TextEdit{Range: lines.rangeOf(e.Start, e.End, enc), NewText: e.NewText})
	}
	return &protocol.WorkspaceEdit{Changes: map[protocol.DocumentURI][]protocol.TextEdit{uri: tes}}
}

// resolveCodeAction fills in the edit of an action offered without one.
func (s *Server) resolveCodeAction(ctx context.Context, raw json.RawMessage) (any, error) {
	var a codeAction
	if err := decodeParams(raw, &a); err != nil {
		return nil, invalidParams(methodCodeActionResolve, err)
	}
	if a.Data == nil {
		return nil, invalidParams(methodCodeActionResolve, fmt.Errorf("the action has no data"))
	}
	d, snap, ok := s.docs.get(a.Data.URI)
	if !ok || snap.version != a.Data.Version {
		return nil, jsonrpc2.NewError(protocol.CodeContentModified, fmt.Sprintf("%s changed since the action was offered", a.Data.URI))
	}
	res, done, err := s.resultAt(ctx, d, snap)
	if err != nil {
		return nil, err
	}
	defer done()
	if a.Data.FixAll {
		edits, err := s.safeEdits(ctx, res)
		if err != nil {
			return nil, err
		}
		a.Edit = workspaceEdit(res.snap.uri, res.snap.lines, s.enc, edits)
		return a, nil
	}
	i := slices.IndexFunc(res.findings, func(f runner.Finding) bool { return findingKey(f) == a.Data.Finding })
	if i < 0 {
		return nil, jsonrpc2.NewError(protocol.CodeContentModified, fmt.Sprintf("finding %s is no longer reported in %s", a.Data.Finding, a.Data.URI))
	}
	fixes, err := s.fixesFor(ctx, res, res.findings[i])
	if err != nil {
		return nil, err
	}
	if a.Data.Fix < 0 || a.Data.Fix >= len(fixes) {
		return nil, invalidParams(methodCodeActionResolve, fmt.Errorf("no fix %d for finding %s", a.Data.Fix, a.Data.Finding))
	}
	a.Edit = workspaceEdit(res.snap.uri, res.snap.lines, s.enc, fixes[a.Data.Fix].Edits)
	return a, nil
}
