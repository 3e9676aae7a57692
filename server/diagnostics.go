package server

import (
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"runtime"
	"sync"
	"time"

	"go.lsp.dev/protocol"

	"github.com/failfast-dev/failfast/rules"
	"github.com/failfast-dev/failfast/rules/spec"
	"github.com/failfast-dev/failfast/runner"
)

// docAnalysis is the analysis state of one open document, guarded by the
// scheduler's lock.
type docAnalysis struct {
	timer  *time.Timer
	cancel context.CancelFunc
	gen    int // bumped by every schedule: a run of an older gen is stale
	// lastPublished is the version of the last diagnostics sent; a result
	// for an older version is never published over it.
	lastPublished int32
	published     bool
	result        *result // the result last published, for code actions
	// pending: an analysis of gen is scheduled or running. A pull waits
	// for it (see scheduler.await).
	pending bool
	// deliveredGen is the gen of the last result delivered.
	deliveredGen int
}

// scheduler runs the analyses: debounced on typing, at once on open and
// save, the previous run of a document cancelled by the next. A per-edit
// result that is partial (see result) is completed by a whole-package pass
// once the document has been idle for fullDelay, or at once when its
// package has never had one (result.unsummarised).
type scheduler struct {
	s       *Server
	mu      sync.Mutex // guards every docAnalysis, and publication order
	base    context.Context
	stopAll context.CancelFunc
	// background counts the work that outlives the request that started
	// it (the go command listing a module's packages), so that exit can
	// wait for it to be stopped.
	background sync.WaitGroup
	bgMu       sync.Mutex // guards stopped, and orders it before background.Wait
	stopped    bool
	// wake is closed, and replaced, whenever a result is delivered or an
	// analysis ends: the pulls waiting in await look again.
	wake chan struct{}
	// active is when an open document's analysis was last scheduled or
	// ended: the background pass waits for a pause after it.
	active time.Time
	// summarising holds the directories whose package's first complete
	// pass is running (summarise).
	summarising map[string]bool
	// analysing admits as many open documents' analyses at once as
	// there are processors: more run no sooner, and each holds its
	// package's syntax and types meanwhile (twenty files opened at once
	// would hold twenty).
	analysing chan struct{}
}

// fullDelay is the idle time before the whole-package pass; like gopls's
// diagnosticsDelay, it keeps the costly pass out of the way of typing.
const fullDelay = time.Second

func newScheduler(s *Server) *scheduler {
	ctx, cancel := context.WithCancel(context.Background())
	return &scheduler{s: s, base: ctx, stopAll: cancel, wake: make(chan struct{}), summarising: map[string]bool{},
		analysing: make(chan struct{}, runtime.GOMAXPROCS(0))}
}

// stop cancels every pending and running analysis; the pulls waiting for
// one are answered with what was delivered.
func (sc *scheduler) stop() {
	sc.bgMu.Lock()
	sc.stopped = true
	sc.bgMu.Unlock()
	sc.stopAll()
	sc.mu.Lock()
	defer sc.mu.Unlock()
	for _, d := range sc.s.docs.all() {
		if d.analysis.timer != nil {
			d.analysis.timer.Stop()
		}
		d.analysis.pending = false
	}
	sc.broadcast()
}

// broadcast wakes the pulls waiting in await; sc.mu is held.
func (sc *scheduler) broadcast() {
	close(sc.wake)
	sc.wake = make(chan struct{})
}

// await waits, bounded by ctx, until the analysis of the document at uri
// that is pending when it is called (or a newer one) has delivered its
// result, or until no analysis is pending any more (it failed, the
// document closed, the server stopped). It returns at once for a document
// that is not open or has no pending analysis (onSave mode after an edit).
func (sc *scheduler) await(ctx context.Context, uri protocol.DocumentURI) error {
	d, _, open := sc.s.docs.get(uri)
	if !open {
		return nil
	}
	sc.mu.Lock()
	a := d.analysis
	target := a.gen
	for a.pending && a.deliveredGen < target {
		wake := sc.wake
		sc.mu.Unlock()
		select {
		case <-wake:
		case <-ctx.Done():
			return ctx.Err()
		}
		sc.mu.Lock()
	}
	sc.mu.Unlock()
	return nil
}

// finished marks the analysis of gen as over, whatever its outcome, unless
// a newer one was scheduled meanwhile.
func (sc *scheduler) finished(d *document, gen int) {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	sc.active = time.Now()
	if d.analysis.gen == gen && d.analysis.pending {
		d.analysis.pending = false
		sc.broadcast()
	}
}

// goBackground runs f in a goroutine, with a context that stop cancels,
// and reports whether it did: after stop it starts nothing, so that no
// work is added to the group exit is waiting for.
func (sc *scheduler) goBackground(f func(ctx context.Context)) bool {
	sc.bgMu.Lock()
	defer sc.bgMu.Unlock()
	if sc.stopped {
		return false
	}
	sc.background.Go(func() { f(sc.base) })
	return true
}

// waitBackground waits up to timeout for the background work to end after
// stop, so that no go command outlives the server; it reports whether it
// did.
func (sc *scheduler) waitBackground(timeout time.Duration) bool {
	done := make(chan struct{})
	go func() {
		sc.background.Wait()
		close(done)
	}()
	select {
	case <-done:
		return true
	case <-time.After(timeout):
		return false
	}
}

// schedule (re)starts the analysis of d after delay.
func (sc *scheduler) schedule(d *document, delay time.Duration) {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	a := d.analysis
	if a.timer != nil {
		a.timer.Stop()
	}
	if a.cancel != nil {
		a.cancel()
		a.cancel = nil
	}
	a.gen++
	a.pending = true
	sc.active = time.Now()
	gen := a.gen
	a.timer = time.AfterFunc(delay, func() { sc.run(d, gen) })
	sc.s.bg.preemptPackage() // the background pass yields to the editor
}

// cancel stops d's pending and running analysis (the document closed).
func (sc *scheduler) cancel(d *document) {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	a := d.analysis
	if a.timer != nil {
		a.timer.Stop()
	}
	if a.cancel != nil {
		a.cancel()
	}
	a.gen++
	a.pending = false
	sc.broadcast()
	if a.result != nil && a.result.release != nil {
		a.result.release()
	}
	a.result = nil
}

// reanalyseAll schedules every open document (settings or go.mod changed).
func (sc *scheduler) reanalyseAll(delay time.Duration) {
	for _, d := range sc.s.docs.all() {
		sc.schedule(d, delay)
	}
}

func (sc *scheduler) run(d *document, gen int) {
	defer sc.finished(d, gen)
	if sc.base.Err() != nil {
		return
	}
	sc.mu.Lock()
	if d.analysis.gen != gen {
		sc.mu.Unlock()
		return
	}
	ctx, cancel := context.WithCancel(sc.base)
	d.analysis.cancel = cancel
	sc.mu.Unlock()
	defer cancel()
	cur, snap, open := sc.s.docs.get(d.uri)
	if !open || cur != d {
		return
	}
	var prev *declBase
	sc.mu.Lock()
	if r := d.analysis.result; r != nil {
		prev = r.base
	}
	sc.mu.Unlock()
	var res *result
	_, err := sc.s.safely("analysis", func() (any, error) {
		select {
		case sc.analysing <- struct{}{}:
			defer func() { <-sc.analysing }()
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		var err error
		res, err = sc.s.analyse(ctx, snap, prev)
		return nil, err
	})
	if err != nil {
		if errors.Is(err, context.Canceled) {
			return // a newer edit or a close superseded this run
		}
		sc.s.log.Error("analysis failed", "file", snap.uri, "version", snap.version, "err", err)
		return
	}
	sc.publish(d, gen, res, nil)
}

// runFull completes the published partial result of gen with a
// whole-package pass, if the document has not moved on meanwhile.
func (sc *scheduler) runFull(d *document, gen int) {
	if sc.base.Err() != nil {
		return
	}
	sc.mu.Lock()
	cur := d.analysis.result
	if d.analysis.gen != gen || cur == nil || !cur.partial {
		sc.mu.Unlock()
		return
	}
	ctx, cancel := context.WithCancel(sc.base)
	d.analysis.cancel = cancel
	sc.mu.Unlock()
	defer cancel()
	var findings []runner.Finding
	var base *declBase
	_, err := sc.s.safely("analysis", func() (any, error) {
		var err error
		findings, base, err = sc.s.analyseFull(ctx, cur.snap, cur.base)
		return nil, err
	})
	if err != nil {
		if !errors.Is(err, context.Canceled) {
			sc.s.log.Error("whole-package analysis failed", "file", cur.snap.uri, "version", cur.snap.version, "err", err)
		}
		return
	}
	sc.publish(d, gen, &result{snap: cur.snap, findings: findings, base: base}, cur)
}

// publish sends res's diagnostics unless the document moved on: closed,
// reopened, edited since (a newer run is coming), or already published at
// a newer version. The check and the send happen under one lock so that
// publications go out in version order. A whole-package result replaces
// from, the partial result of the same version, and takes over its
// package (kept for quick fixes).
func (sc *scheduler) publish(d *document, gen int, res *result, from *result) {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	a := d.analysis
	cur, snap, open := sc.s.docs.get(d.uri)
	stale := !open || cur != d || a.gen != gen || snap.version != res.snap.version ||
		(a.published && res.snap.version < a.lastPublished) || (from != nil && a.result != from)
	if stale {
		if res.release != nil {
			res.release()
		}
		return
	}
	if res.partial && !res.unsummarised && from == nil {
		// A file opened as the background pass last saw it: that pass's
		// answer is the complete pass's, at no cost.
		if full := sc.s.bg.adopt(res); full != nil {
			sc.s.log.Debug("the background pass's answer is complete for this version", "file", res.snap.path, "version", res.snap.version)
			full.pkg, full.fix, full.release = res.pkg, res.fix, res.release
			res = full
		}
	}
	diags := make([]protocol.Diagnostic, 0, len(res.findings))
	for _, f := range res.findings {
		diags = append(diags, sc.s.diagnostic(res.snap, f))
	}
	if err := sc.s.deliverDiagnostics(res.snap.uri, &res.snap.version, diags); err != nil {
		sc.s.log.Error("publishing diagnostics", "file", res.snap.uri, "err", err)
		return
	}
	a.deliveredGen = gen
	sc.broadcast()
	if from != nil {
		res.pkg, res.fix, res.release, from.release = from.pkg, from.fix, from.release, nil
	}
	if a.result != nil && a.result != res && a.result.release != nil {
		a.result.release()
	}
	a.result, a.lastPublished, a.published = res, res.snap.version, true
	switch {
	case res.unsummarised:
		sc.summarise(d, gen, res)
	case res.partial:
		a.timer = time.AfterFunc(fullDelay, func() { sc.runFull(d, gen) })
	}
}

// summarise runs the first complete pass of the package of res, the
// unsummarised result of gen for d, at once: the facts it keeps (a
// function of another file that may return nil) are what every later edit
// of the package needs, and what a fix-all on the first save fixes. Unlike
// runFull, an edit does not cancel it: a package's check cannot be
// interrupted, so a pass restarted at each keystroke and cancelled by the
// next would compete with the edits for the processor without ever
// finishing. (Waiting for a pause instead, as the background pass does,
// left an editor that saves right after opening without those facts.) One
// runs per package directory at a time. It publishes its findings if d has
// not moved on; then the open documents of the package whose last result
// is partial get their complete pass after the usual pause. sc.mu is held.
func (sc *scheduler) summarise(d *document, gen int, res *result) {
	dir := filepath.Dir(res.snap.path)
	if sc.summarising[dir] {
		return
	}
	sc.summarising[dir] = true
	started := sc.goBackground(func(ctx context.Context) {
		var findings []runner.Finding
		var base *declBase
		_, err := sc.s.safely("analysis", func() (any, error) {
			var err error
			findings, base, err = sc.s.analyseFull(ctx, res.snap, res.base)
			return nil, err
		})
		switch {
		case err == nil:
			sc.publish(d, gen, &result{snap: res.snap, findings: findings, base: base}, res)
		case !errors.Is(err, context.Canceled):
			sc.s.log.Error("whole-package analysis failed", "file", res.snap.uri, "version", res.snap.version, "err", err)
		}
		sc.mu.Lock()
		defer sc.mu.Unlock()
		delete(sc.summarising, dir)
		if err != nil {
			return
		}
		for _, o := range sc.s.docs.all() {
			a := o.analysis
			if a.pending || a.result == nil || !a.result.partial || filepath.Dir(a.result.snap.path) != dir {
				continue
			}
			if a.timer != nil {
				a.timer.Stop()
			}
			gen := a.gen
			a.timer = time.AfterFunc(fullDelay, func() { sc.runFull(o, gen) })
		}
	})
	if !started {
		delete(sc.summarising, dir)
	}
}

// current returns the last published result for d when it is for version.
func (sc *scheduler) current(d *document, version int32) (*result, bool) {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	r := d.analysis.result
	if r == nil || r.snap.version != version {
		return nil, false
	}
	return r, true
}

// publishParams is protocol's PublishDiagnosticsParams with a version that
// is sent even when it is 0, and omitted when unknown.
type publishParams struct {
	URI         protocol.DocumentURI  `json:"uri"`
	Version     *int32                `json:"version,omitempty"`
	Diagnostics []protocol.Diagnostic `json:"diagnostics"`
}

// sendDiagnostics pushes diagnostics (textDocument/publishDiagnostics);
// deliverDiagnostics decides whether to.
func (s *Server) sendDiagnostics(uri protocol.DocumentURI, version *int32, diags []protocol.Diagnostic) error {
	if diags == nil {
		diags = []protocol.Diagnostic{} // null would not clear them in every client
	}
	return s.conn.Notify(context.Background(), protocol.MethodTextDocumentPublishDiagnostics, &publishParams{URI: uri, Version: version, Diagnostics: diags})
}

var severities = map[spec.Severity]protocol.DiagnosticSeverity{
	spec.Error:   protocol.DiagnosticSeverityError,
	spec.Warning: protocol.DiagnosticSeverityWarning,
	spec.Info:    protocol.DiagnosticSeverityInformation,
	spec.Hint:    protocol.DiagnosticSeverityHint,
}

// diagnostic converts a finding in snap's file, positions included.
func (s *Server) diagnostic(snap *snapshot, f runner.Finding) protocol.Diagnostic {
	sev, ok := severities[f.Severity]
	if !ok {
		s.log.Warn("finding with an unknown severity shown as a warning", "rule", f.Rule, "severity", f.Severity)
		sev = protocol.DiagnosticSeverityWarning
	}
	d := protocol.Diagnostic{
		Range:    snap.lines.rangeOf(f.Pos.Offset, f.End.Offset, s.enc),
		Severity: sev,
		Code:     f.Rule,
		Source:   "failfast",
		Message:  f.Message,
	}
	if _, ok := rules.Lookup(f.Rule); ok {
		d.CodeDescription = &protocol.CodeDescription{Href: protocol.URI(spec.DocURL(f.Rule))}
	}
	for _, r := range f.Related {
		loc, err := s.location(snap, r.Pos.Filename, r.Pos.Offset, r.End.Offset)
		if err != nil {
			s.log.Warn("related information dropped", "rule", f.Rule, "err", err)
			continue
		}
		d.RelatedInformation = append(d.RelatedInformation, protocol.DiagnosticRelatedInformation{Location: loc, Message: r.Message})
	}
	return d
}

// location converts a byte range in file, which may be another file than
// snap's, read from its buffer or the disk.
func (s *Server) location(snap *snapshot, file string, start, end int) (protocol.Location, error) {
	if file == snap.path {
		return protocol.Location{URI: protocol.URI(snap.uri), Range: snap.lines.rangeOf(start, end, s.enc)}, nil
	}
	src, _, err := s.readSource(file)
	if err != nil {
		return protocol.Location{}, err
	}
	return protocol.Location{URI: protocol.URI(fileURI(file)), Range: newLineIndex(src).rangeOf(start, end, s.enc)}, nil
}

// Document notifications.

type didOpenParams struct {
	TextDocument protocol.TextDocumentItem `json:"textDocument"`
}

func (s *Server) didOpen(_ context.Context, raw json.RawMessage) error {
	var p didOpenParams
	if err := decodeParams(raw, &p); err != nil {
		return err
	}
	d, err := s.docs.open(p.TextDocument.URI, p.TextDocument.Version, []byte(p.TextDocument.Text))
	if err != nil {
		return err
	}
	if d.path == "" {
		s.log.Info("buffer is not a file: not analysed", "uri", d.uri)
		return nil
	}
	s.ws.setOverlay(d.path, []byte(p.TextDocument.Text))
	s.sched.schedule(d, 0)
	return nil
}

func (s *Server) didChange(_ context.Context, raw json.RawMessage) error {
	var p didChangeParams
	if err := decodeParams(raw, &p); err != nil {
		return err
	}
	d, snap, err := s.docs.change(p.TextDocument.URI, p.TextDocument.Version, p.ContentChanges, s.enc)
	if err != nil {
		return err
	}
	if d.path == "" {
		return nil
	}
	s.ws.setOverlay(d.path, snap.text)
	if st := s.settings.get(); st.Run == runOnType {
		s.sched.schedule(d, st.Debounce)
	}
	return nil
}

type didSaveParams struct {
	TextDocument protocol.TextDocumentIdentifier `json:"textDocument"`
}

// didSave analyses the saved file in onSave mode; in both modes it
// re-analyses the other open files of its directory, whose package-level
// view may have changed, and reloads when go.mod or go.work was saved.
func (s *Server) didSave(_ context.Context, raw json.RawMessage) error {
	var p didSaveParams
	if err := decodeParams(raw, &p); err != nil {
		return err
	}
	d, _, ok := s.docs.get(p.TextDocument.URI)
	if !ok {
		s.log.Warn("didSave for a document that is not open", "uri", p.TextDocument.URI)
		return nil
	}
	if base := filepath.Base(d.path); base == "go.mod" || base == "go.work" || base == settingsFile {
		s.configFileChanged(base)
		return nil
	}
	for _, o := range s.docs.all() {
		if o == d || (o.path != "" && d.path != "" && filepath.Dir(o.path) == filepath.Dir(d.path)) {
			s.sched.schedule(o, 0)
		}
	}
	return nil
}

func (s *Server) didClose(_ context.Context, raw json.RawMessage) error {
	var p didSaveParams
	if err := decodeParams(raw, &p); err != nil {
		return err
	}
	d, ok := s.docs.close(p.TextDocument.URI)
	if !ok {
		s.log.Warn("didClose for a document that is not open", "uri", p.TextDocument.URI)
		return nil
	}
	s.sched.cancel(d)
	s.actions.drop(d.uri)
	if d.path != "" {
		s.ws.setOverlay(d.path, nil)
	}
	if d.path != "" && s.bg.closed(d.path) {
		// The background pass analyses the file again from the disk
		// and replaces its diagnostics.
		return nil
	}
	s.sched.mu.Lock()
	defer s.sched.mu.Unlock()
	// Nothing is known of a file that is not open: its findings are
	// cleared (pushed empty, or an empty report for the next pull).
	return s.deliverDiagnostics(d.uri, nil, nil)
}

type didChangeWatchedFilesParams struct {
	Changes []struct {
		URI  protocol.DocumentURI `json:"uri"`
		Type int                  `json:"type"`
	} `json:"changes"`
}

func (s *Server) didChangeWatchedFiles(_ context.Context, raw json.RawMessage) error {
	var p didChangeWatchedFilesParams
	if err := decodeParams(raw, &p); err != nil {
		return err
	}
	seen := map[string]bool{}
	for _, c := range p.Changes {
		path, err := uriPath(c.URI)
		if err != nil || path == "" {
			s.log.Warn("watched-file change ignored: not a file URI", "uri", c.URI, "err", err)
			continue
		}
		if filepath.Ext(path) == ".go" {
			// An open file is read from its buffer (didSave handles a
			// save); one that is not open is the background pass's.
			if _, open := s.docs.byPath(path); !open {
				s.bg.diskChanged(path, c.Type == int(protocol.FileChangeTypeDeleted))
			}
			continue
		}
		if base := filepath.Base(path); !seen[base] {
			seen[base] = true
			s.configFileChanged(base)
		}
	}
	return nil
}

// configFileChanged reloads what depends on a changed go.mod, go.work or
// settings file, and re-analyses the open files.
func (s *Server) configFileChanged(base string) {
	switch base {
	case "go.mod", "go.work":
		s.log.Info(base + " changed: listing the packages again")
		s.ws.reloadAll()
	case settingsFile:
		s.log.Info(settingsFile + " changed: reading the settings again")
		s.ws.invalidateRunners()
		s.actions.clear()
	default:
		return
	}
	s.sched.reanalyseAll(0)
	s.bg.requestSweep(base + " changed")
}
