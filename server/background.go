package server

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"go.lsp.dev/protocol"

	"github.com/failfast-dev/failfast/loader"
	"github.com/failfast-dev/failfast/runner"
)

// The background pass analyses the packages of the workspace folders'
// modules that the open files do not cover, one package at a time in
// dependency order as `failfast check` does, and delivers the findings of
// the files that are not open through deliverDiagnostics (with no
// version). It is the server's lowest priority:
//
//   - it starts a package only when no open document's analysis has been
//     pending or running for idleGrace, and an edit cancels the package
//     it is analysing (it is analysed again once the edits pause), so a
//     keystroke never waits behind it;
//   - an open file's findings come from its own analysis only: the pass
//     never delivers for a file that is open at delivery time (checked
//     under the scheduler's lock, as the open files' deliveries are).
//
// Work comes as sweeps (every package: after initialized, when the scope
// becomes "workspace", the rules, settings file, go.mod or go.work
// change, workspace folders are added) and as changed files (on disk, or
// closed in the editor): a changed file re-analyses the packages of its
// directory and, transitively, the packages of its module that import
// them, since facts flow from a package to its importers. A batch of more
// than one package reports window/workDoneProgress when the client
// supports it; the client may cancel it, which stops the batch and drops
// the queued work (later changes queue new work).
type background struct {
	s *Server

	mu      sync.Mutex
	wake    chan struct{} // one pending signal: work was queued
	started bool          // the pass may run (after initialized)
	sweep   bool          // queued: every package
	why     string        // why the queued sweep was asked for (the log says)
	files   map[string]bool
	// stop cancels the running batch; nil when none runs.
	stop context.CancelFunc
	// token is the running batch's progress token ("" without progress).
	token string
	seq   int // numbers progress tokens
	// preempt cancels the package being analysed (an edit started).
	preempt context.CancelFunc

	// shown holds the files that are not open for which the client may
	// show diagnostics the pass delivered (or that an open document left
	// when it closed): the ones to clear when they have no findings any
	// more, are deleted, or the scope becomes "openFiles". Guarded by the
	// scheduler's lock, like every delivery.
	shown map[string]bool
	// found holds, per file that is not open, what the pass's last
	// analysis of its package found, for settling (settle). Guarded by
	// the scheduler's lock.
	found map[string]*foundFile
	// checked holds, per file that was not open when the pass last
	// analysed its package, that analysis's answer for it, so that the
	// file opened unchanged takes it as its complete result (adopt)
	// instead of checking its whole package again. Guarded by the
	// scheduler's lock.
	checked map[string]*checkedFile
}

// checkedPackage is what one analysis of a package by the pass saw: the
// graph, rules and imported facts it ran with, and its files.
type checkedPackage struct {
	g     *loader.Graph
	r     *runner.Runner
	t     *loader.Target
	facts uint64 // r.FactsGeneration of the packages t imports, before the check
	// stamps holds each file's stamp (Server.fileStamp), the same before
	// and after the check, and sums the hash of its content.
	stamps map[string]string
	sums   map[string][sha256.Size]byte
}

// checkedFile is the pass's answer for one file of a checkedPackage: its
// findings as the package's analysis reported them, before settling, as
// a whole-package pass of the open file reports them.
type checkedFile struct {
	pkg      *checkedPackage
	findings []runner.Finding
}

// foundFile is what the pass found in one file that is not open.
type foundFile struct {
	m         *module
	src       []byte
	findings  []runner.Finding // as the package's analysis reported them
	delivered []runner.Finding // as last delivered (settled or not)
}

func newBackground(s *Server) *background {
	return &background{s: s, wake: make(chan struct{}, 1), files: map[string]bool{}, shown: map[string]bool{}, found: map[string]*foundFile{},
		checked: map[string]*checkedFile{}}
}

// start begins the pass (after initialized and the first configuration
// pull, so that the client's scope is known) and queues the first sweep.
func (b *background) start() {
	b.mu.Lock()
	b.started = true
	b.mu.Unlock()
	b.s.sched.goBackground(b.loop)
	st := b.s.settings.get()
	if st.Scope != scopeWorkspace {
		b.s.log.Info("no background pass: failfast.scope is " + st.Scope + "; only open files get diagnostics")
		return
	}
	why := "the session started"
	if !st.scopeSet {
		why += " (failfast.scope is not set: the default, workspace, analyses every package of the workspace folders)"
	}
	b.requestSweep(why)
}

// enabled reports whether the pass runs: started, in workspace scope.
func (b *background) enabled() bool {
	b.mu.Lock()
	started := b.started
	b.mu.Unlock()
	return started && b.s.settings.get().Scope == scopeWorkspace
}

// requestSweep queues a pass over every package; a running batch is
// stopped, since the sweep redoes its work under the new conditions.
func (b *background) requestSweep(why string) {
	if !b.enabled() {
		return
	}
	b.mu.Lock()
	b.sweep, b.why = true, why
	if b.stop != nil {
		b.stop()
	}
	b.mu.Unlock()
	b.signal()
}

// requestFiles queues the packages of changed files (and their importers).
func (b *background) requestFiles(paths ...string) {
	if !b.enabled() || len(paths) == 0 {
		return
	}
	b.mu.Lock()
	for _, p := range paths {
		b.files[p] = true
	}
	b.mu.Unlock()
	b.signal()
}

func (b *background) signal() {
	select {
	case b.wake <- struct{}{}:
	default:
	}
}

// scopeChanged starts the pass (workspace) or stops it and clears what it
// delivered (openFiles).
func (b *background) scopeChanged(scope string) {
	b.mu.Lock()
	started := b.started
	b.mu.Unlock()
	if !started {
		return // start decides
	}
	if scope == scopeWorkspace {
		b.requestSweep("failfast.scope became workspace")
		return
	}
	b.s.log.Info("failfast.scope became openFiles: the background pass stops and the diagnostics of files that are not open are cleared")
	b.cancel()
	b.clearShown(func(string) bool { return true })
}

// cancel stops the running batch and drops the queued work.
func (b *background) cancel() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.sweep, b.files = false, map[string]bool{}
	if b.stop != nil {
		b.stop()
	}
}

// cancelProgress handles window/workDoneProgress/cancel for token.
func (b *background) cancelProgress(token string) {
	b.mu.Lock()
	mine := token != "" && token == b.token
	b.mu.Unlock()
	if !mine {
		b.s.log.Debug("window/workDoneProgress/cancel for a token that is not running", "token", token)
		return
	}
	b.s.log.Info("the client cancelled the background pass; files changed from now on are analysed again", "token", token)
	b.cancel()
}

// preemptPackage cancels the package being analysed: an open document's
// analysis was scheduled. It never blocks.
func (b *background) preemptPackage() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.preempt != nil {
		b.preempt()
	}
}

// clearShown clears the diagnostics of the files in shown that match and
// are not open.
func (b *background) clearShown(match func(string) bool) {
	sc := b.s.sched
	sc.mu.Lock()
	defer sc.mu.Unlock()
	for _, path := range slices.Sorted(mapKeys(b.shown)) {
		if !match(path) {
			continue
		}
		delete(b.shown, path)
		delete(b.found, path)
		if _, open := b.s.docs.byPath(path); open {
			continue
		}
		if err := b.s.deliverDiagnostics(fileURI(path), nil, nil); err != nil {
			b.s.log.Error("clearing diagnostics", "file", path, "err", err)
		}
	}
}

func mapKeys[V any](m map[string]V) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// closed hands a document that was just closed over to the pass: its
// package is analysed again from the disk, and the pass's delivery
// replaces the open document's diagnostics (an empty one when it has no
// findings). It reports false when the pass does not cover the file (the
// caller clears its diagnostics).
func (b *background) closed(path string) bool {
	if !b.enabled() || filepath.Ext(path) != ".go" {
		return false
	}
	m := b.s.ws.moduleFor(path)
	m.mu.Lock()
	covered := m.covered(filepath.Dir(path))
	m.mu.Unlock()
	if !covered {
		return false
	}
	sc := b.s.sched
	sc.mu.Lock()
	b.shown[path] = true
	sc.mu.Unlock()
	b.requestFiles(path)
	return true
}

// diskChanged handles a watched *.go file that changed on disk and is not
// open: its module lists its packages again (without making edits wait),
// a deleted file's diagnostics are cleared, and its packages are queued.
func (b *background) diskChanged(path string, deleted bool) {
	if deleted {
		b.clearShown(func(p string) bool { return p == path })
	}
	if !b.enabled() {
		return
	}
	m := b.s.ws.moduleFor(path)
	if !m.hasTrees() {
		return
	}
	m.markSoftStale()
	b.requestFiles(path)
}

// loop runs the queued batches until the server stops.
func (b *background) loop(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-b.wake:
		}
		b.mu.Lock()
		sweep, why, files := b.sweep, b.why, b.files
		b.sweep, b.why, b.files = false, "", map[string]bool{}
		batch, stop := context.WithCancel(ctx)
		b.stop = stop
		b.mu.Unlock()
		if sweep || len(files) > 0 {
			_, err := b.s.safely("background pass", func() (any, error) {
				return nil, b.runBatch(batch, sweep, why, files)
			})
			if err != nil && !errors.Is(err, context.Canceled) {
				b.s.log.Error("background pass failed; the files that are not open may show old findings", "err", err)
			}
		}
		b.mu.Lock()
		b.stop = nil
		b.mu.Unlock()
		stop()
	}
}

// job is one package of a batch, with the graph and rules it is analysed
// with.
type job struct {
	m *module
	g *loader.Graph
	t *loader.Target
}

// runBatch analyses a sweep (every package of the workspace folders'
// modules) or the packages of changed files, one at a time.
func (b *background) runBatch(ctx context.Context, sweep bool, why string, files map[string]bool) error {
	start := time.Now()
	var jobs []job
	var errs []error
	// queue adds the jobs of m's targets (which picks them from its
	// graph); a graph that cannot be loaded is an error of the batch.
	queue := func(m *module, targets func(*loader.Graph) []*loader.Target) error {
		g, err := m.graphCurrent(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			errs = append(errs, fmt.Errorf("background pass over %s: %w", m.root, err))
			return nil
		}
		for _, t := range inOrder(targets(g)) {
			jobs = append(jobs, job{m: m, g: g, t: t})
		}
		return nil
	}
	if sweep {
		b.s.log.Info("background pass: every package of the workspace", "why", why)
		for _, m := range b.sweepModules() {
			if err := queue(m, func(g *loader.Graph) []*loader.Target { return g.Roots }); err != nil {
				return err
			}
		}
	} else {
		byModule := map[*module][]string{}
		for p := range files {
			m := b.s.ws.moduleFor(p)
			byModule[m] = append(byModule[m], p)
		}
		for m, paths := range byModule {
			if err := queue(m, func(g *loader.Graph) []*loader.Target { return affected(g, paths) }); err != nil {
				return err
			}
		}
		b.s.log.Info("background pass: the packages of changed files and their importers", "files", len(files), "packages", len(jobs))
	}
	prog := b.beginProgress(ctx, len(jobs))
	done := 0
	defer func() { prog.end(done, len(jobs), ctx.Err() != nil) }()
	for _, j := range jobs {
		if err := b.analysePackage(ctx, j); err != nil {
			if ctx.Err() != nil {
				b.s.log.Info("background pass stopped", "done", done, "packages", len(jobs))
				return errors.Join(append(errs, ctx.Err())...)
			}
			errs = append(errs, err)
		}
		done++
		prog.report(done, len(jobs))
	}
	if err := b.settle(ctx); err != nil {
		return errors.Join(append(errs, err)...)
	}
	b.refreshOpen(jobs, sweep)
	b.s.log.Info("background pass done", "packages", len(jobs), "took", time.Since(start).Round(time.Millisecond).String())
	return errors.Join(errs...)
}

// refreshOpen analyses again every open document whose last result the
// batch may have made outdated: one in a package the batch analysed for a
// changed file (another file of its package changed on disk), and one
// whose package's facts, or those of a package it imports, changed since
// that result was computed (Runner.FactsGeneration: a function of the
// changed package may now return nil). A document whose analysis is
// pending gets the new state anyway.
func (b *background) refreshOpen(jobs []job, sweep bool) {
	analysed := map[string]bool{} // target IDs
	if !sweep {
		for _, j := range jobs {
			analysed[j.t.ID] = true
		}
	}
	sc := b.s.sched
	var due []*document
	sc.mu.Lock()
	for _, d := range b.s.docs.all() {
		res := d.analysis.result
		if d.analysis.pending || res == nil || res.base == nil || d.path == "" {
			continue
		}
		targets := res.base.g.TargetsFor(d.path)
		stale := res.base.facts != res.base.r.FactsGeneration(factPaths(targets))
		for _, t := range targets {
			stale = stale || analysed[t.ID]
		}
		if stale {
			due = append(due, d)
		}
	}
	sc.mu.Unlock()
	for _, d := range due {
		b.s.log.Debug("analysing an open file again after the background pass", "file", d.path)
		sc.schedule(d, 0)
	}
}

// settle applies to what the pass found in the files that are not open
// the verdicts that check applies once every package has run
// (runner.Settle: a nil-nil-return finding whose callers, in packages
// analysed after it, all test the result is dropped), and delivers the
// files whose findings that changes. It runs when a batch has analysed
// all its packages, so the importers of every package it delivered have
// been analysed too, as in check.
func (b *background) settle(ctx context.Context) error {
	sc := b.s.sched
	sc.mu.Lock()
	defer sc.mu.Unlock()
	byModule := map[*module][]string{}
	for name, ff := range b.found {
		byModule[ff.m] = append(byModule[ff.m], name)
	}
	for m, names := range byModule {
		r, err := m.runner(ctx)
		if err != nil {
			return fmt.Errorf("settling the background findings of %s: %w", m.root, err)
		}
		slices.Sort(names)
		var all []runner.Finding
		for _, name := range names {
			all = append(all, b.found[name].findings...)
		}
		settled := map[string][]runner.Finding{}
		for _, f := range r.Settle(all) {
			settled[f.Pos.Filename] = append(settled[f.Pos.Filename], f)
		}
		for _, name := range names {
			ff := b.found[name]
			if _, open := b.s.docs.byPath(name); open || sameFindings(settled[name], ff.delivered) {
				continue
			}
			b.deliverFile(name, ff.src, settled[name])
			ff.delivered = settled[name]
		}
	}
	return nil
}

// sameFindings reports whether a and b are the same findings in the same
// order, related places counted.
func sameFindings(a, b []runner.Finding) bool {
	return slices.EqualFunc(a, b, func(x, y runner.Finding) bool {
		return x.Rule == y.Rule && x.Pos == y.Pos && x.End == y.End && x.Message == y.Message && len(x.Related) == len(y.Related)
	})
}

// sweepModules returns the modules of the workspace folders, each asked
// to cover its folders: the module a folder is in (its packages under the
// folder), and the modules nested below it.
func (b *background) sweepModules() []*module {
	var out []*module
	add := func(root, tree string) {
		m := b.s.ws.moduleAt(root)
		m.addTree(tree)
		if !slices.Contains(out, m) {
			out = append(out, m)
		}
	}
	for _, folder := range b.s.ws.folderList() {
		root := moduleRoot(folder)
		if _, err := os.Stat(filepath.Join(root, "go.mod")); err == nil {
			add(root, folder)
		}
		nested, err := nestedModules(folder)
		if err != nil {
			b.s.log.Warn("looking for modules in a workspace folder", "folder", folder, "err", err)
		}
		for _, n := range nested {
			add(n, n)
		}
		if len(out) == 0 {
			b.s.log.Info("workspace folder in no module: its files get diagnostics when opened", "folder", folder)
		}
	}
	return out
}

// maxWalkedDirs bounds the search for nested modules in one folder.
const maxWalkedDirs = 20_000

// nestedModules returns the directories below folder (not folder itself)
// that hold a go.mod, skipping what the go command's ./... skips
// (testdata, vendor, names starting with . or _) and node_modules.
func nestedModules(folder string) ([]string, error) {
	var out []string
	walked := 0
	err := filepath.WalkDir(folder, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == folder {
				return err
			}
			return nil // an unreadable directory: what it holds is not found
		}
		if !d.IsDir() {
			return nil
		}
		if walked++; walked > maxWalkedDirs {
			return fmt.Errorf("more than %d directories: modules deeper in the walk order are not analysed in the background", maxWalkedDirs)
		}
		if p == folder {
			return nil
		}
		name := d.Name()
		if name == "testdata" || name == "vendor" || name == "node_modules" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") {
			return filepath.SkipDir
		}
		if _, err := os.Stat(filepath.Join(p, "go.mod")); err == nil {
			out = append(out, p)
		}
		return nil
	})
	return out, err
}

// affected returns the targets of g that a change of the given files
// affects: the packages of their directories (a deleted or new file is in
// no listed package, its directory's package is) and, transitively, the
// targets that import them.
func affected(g *loader.Graph, paths []string) []*loader.Target {
	dirs := map[string]bool{}
	for _, p := range paths {
		dirs[filepath.Dir(p)] = true
	}
	importers := map[*loader.Target][]*loader.Target{}
	for _, t := range g.Roots {
		for _, d := range t.Deps() {
			importers[d] = append(importers[d], t)
		}
	}
	seen := map[*loader.Target]bool{}
	var queue []*loader.Target
	for _, t := range g.Roots {
		if slices.ContainsFunc(t.Files, func(f string) bool { return dirs[filepath.Dir(f)] }) {
			seen[t] = true
			queue = append(queue, t)
		}
	}
	for i := 0; i < len(queue); i++ {
		for _, imp := range importers[queue[i]] {
			if !seen[imp] {
				seen[imp] = true
				queue = append(queue, imp)
			}
		}
	}
	return queue
}

// inOrder sorts targets so that each comes after those of its Deps that
// are among them, as check runs them (a package's rules then see its
// imports' facts); ties keep the order by ID.
func inOrder(targets []*loader.Target) []*loader.Target {
	want := map[*loader.Target]bool{}
	for _, t := range targets {
		want[t] = true
	}
	sorted := slices.Clone(targets)
	slices.SortFunc(sorted, func(a, b *loader.Target) int { return strings.Compare(a.ID, b.ID) })
	done := map[*loader.Target]bool{}
	out := make([]*loader.Target, 0, len(targets))
	var visit func(t *loader.Target)
	visit = func(t *loader.Target) {
		if done[t] {
			return
		}
		done[t] = true // no cycles: Deps is acyclic
		for _, d := range t.Deps() {
			if want[d] {
				visit(d)
			}
		}
		out = append(out, t)
	}
	for _, t := range sorted {
		visit(t)
	}
	return out
}

// analysePackage analyses one package once no open document's analysis
// is pending, again if an edit preempts it, and delivers the findings of
// its files that are not open.
func (b *background) analysePackage(ctx context.Context, j job) error {
	for {
		if err := b.s.sched.awaitIdle(ctx); err != nil {
			return err
		}
		pctx, cancel := context.WithCancel(ctx)
		b.mu.Lock()
		b.preempt = cancel
		b.mu.Unlock()
		findings, sources, seen, err := b.check(pctx, j)
		b.mu.Lock()
		b.preempt = nil
		b.mu.Unlock()
		preempted := pctx.Err() != nil && ctx.Err() == nil
		cancel()
		if preempted {
			continue // an edit came first; try again when it is done
		}
		if err != nil {
			return err
		}
		b.deliver(ctx, j.m, j.t, findings, sources, seen)
		return nil
	}
}

// check runs the rules on the whole package and returns its findings, the
// content of the files they are in, and what the analysis saw (nil when a
// file changed while it ran, or could not be read).
func (b *background) check(ctx context.Context, j job) ([]runner.Finding, map[string][]byte, *checkedPackage, error) {
	r, err := j.m.runner(ctx)
	if err != nil {
		return nil, nil, nil, err
	}
	stamps := b.stamps(j.t)
	facts := r.FactsGeneration(importedPaths([]*loader.Target{j.t}))
	// In the pass Space: what this package imports is dropped as the
	// pass goes on, unless the open files' checks import it too.
	pkg, err := j.g.PassSpace().Check(ctx, j.t)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("background pass: %s: %w", j.t.ID, err)
	}
	defer pkg.Release()
	findings, errs := r.Run(ctx, pkg)
	if err := ctx.Err(); err != nil {
		return nil, nil, nil, err
	}
	for _, e := range errs {
		b.s.log.Error("a rule failed; its findings are missing", "package", j.t.ID, "err", e)
	}
	sources := map[string][]byte{}
	for _, f := range findings {
		name := f.Pos.Filename
		if _, ok := sources[name]; ok {
			continue
		}
		src, err := pkg.ReadFile(name)
		if err != nil {
			b.s.log.Warn("findings dropped: their file cannot be read", "file", name, "err", err)
			continue
		}
		sources[name] = src
	}
	var seen *checkedPackage
	if stamps != nil && len(errs) == 0 && maps.Equal(stamps, b.stamps(j.t)) {
		seen = &checkedPackage{g: j.g, r: r, t: j.t, facts: facts, stamps: stamps, sums: map[string][sha256.Size]byte{}}
		for _, name := range j.t.Files {
			src, err := pkg.ReadFile(name)
			if err != nil {
				seen = nil
				break
			}
			seen.sums[name] = sha256.Sum256(src)
		}
	}
	return dedupe(findings), sources, seen, nil
}

// stamps returns the stamps of t's files; nil when one has none.
func (b *background) stamps(t *loader.Target) map[string]string {
	out := make(map[string]string, len(t.Files))
	for _, name := range t.Files {
		st, err := b.s.fileStamp(name)
		if err != nil {
			return nil
		}
		out[name] = st
	}
	return out
}

// adopt returns the complete result of res's document, a partial result
// (the file just opened, say), from the pass's last analysis of its
// package, when that analysis saw what a whole-package pass would see now:
// the document's content, the package's other files (the content of those
// open now, the stamps of the others), the same graph, rules and facts of
// the packages it imports. Nil otherwise.
// The scheduler's lock is held.
func (b *background) adopt(res *result) *result {
	snap, base := res.snap, res.base
	cf := b.checked[snap.path]
	if cf == nil || base == nil || cf.pkg.g != base.g || cf.pkg.r != base.r {
		return nil
	}
	p := cf.pkg
	targets := p.g.TargetsFor(snap.path)
	if len(targets) != 1 || targets[0] != p.t || sha256.Sum256(snap.text) != p.sums[snap.path] ||
		p.r.FactsGeneration(importedPaths(targets)) != p.facts {
		return nil
	}
	for _, name := range p.t.Files {
		switch other, open := b.s.docs.byPath(name); {
		case name == snap.path:
		case open: // opened since, as it was or not
			if sha256.Sum256(other.text) != p.sums[name] {
				return nil
			}
		default:
			if st, err := b.s.fileStamp(name); err != nil || st != p.stamps[name] {
				return nil
			}
		}
	}
	next := *base
	next.findings, next.facts = slices.Clone(cf.findings), p.r.FactsGeneration(factPaths(targets))
	return &result{snap: snap, findings: next.findings, base: &next}
}

// deliver hands the client the findings of t's files that are not open,
// and clears those the pass showed before that have none now. It delivers
// nothing once ctx is done (the scope changed, the pass was cancelled).
func (b *background) deliver(ctx context.Context, m *module, t *loader.Target, findings []runner.Finding, sources map[string][]byte, seen *checkedPackage) {
	byFile := map[string][]runner.Finding{}
	for _, f := range findings {
		if _, ok := sources[f.Pos.Filename]; ok {
			byFile[f.Pos.Filename] = append(byFile[f.Pos.Filename], f)
		}
	}
	sc := b.s.sched
	sc.mu.Lock()
	defer sc.mu.Unlock()
	if ctx.Err() != nil {
		return
	}
	for _, name := range t.Files {
		if _, open := b.s.docs.byPath(name); open {
			continue // an open file's findings come from its own analysis
		}
		fs := byFile[name]
		if seen != nil {
			b.checked[name] = &checkedFile{pkg: seen, findings: fs}
		} else {
			delete(b.checked, name)
		}
		if len(fs) == 0 {
			delete(b.found, name)
		} else {
			b.found[name] = &foundFile{m: m, src: sources[name], findings: fs, delivered: fs}
		}
		if len(fs) == 0 && !b.shown[name] {
			continue
		}
		b.deliverFile(name, sources[name], fs)
	}
}

// deliverFile delivers fs as the diagnostics of name (not open), whose
// content is src, and notes whether the client shows any. The caller holds
// the scheduler's lock.
func (b *background) deliverFile(name string, src []byte, fs []runner.Finding) {
	snap := newSnapshot(fileURI(name), name, 0, src)
	diags := make([]protocol.Diagnostic, 0, len(fs))
	for _, f := range fs {
		diags = append(diags, b.s.diagnostic(snap, f))
	}
	if err := b.s.deliverDiagnostics(snap.uri, nil, diags); err != nil {
		b.s.log.Error("delivering diagnostics", "file", name, "err", err)
		return
	}
	if len(diags) > 0 {
		b.shown[name] = true
	} else {
		delete(b.shown, name)
	}
}

// idleGrace is how long the editor must have left the server alone
// (no open document's analysis scheduled or running) before the
// background pass starts a package: a package's type-check cannot be
// interrupted, so one started between two keystrokes would compete with
// the second's analysis for the processor.
const idleGrace = 300 * time.Millisecond

// awaitIdle waits until no open document's analysis is pending or
// running, and none has been for idleGrace: the background pass goes
// only when the editor does not need the processor.
func (sc *scheduler) awaitIdle(ctx context.Context) error {
	for {
		sc.mu.Lock()
		busy, wake := sc.busy(), sc.wake
		quiet := time.Since(sc.active)
		sc.mu.Unlock()
		switch {
		case busy:
			select {
			case <-wake:
			case <-ctx.Done():
				return ctx.Err()
			}
		case quiet < idleGrace:
			t := time.NewTimer(idleGrace - quiet)
			select {
			case <-t.C:
			case <-ctx.Done():
				t.Stop()
				return ctx.Err()
			}
		default:
			return ctx.Err()
		}
	}
}

// busy reports whether an open document's analysis is pending or
// running; sc.mu is held.
func (sc *scheduler) busy() bool {
	for _, d := range sc.s.docs.all() {
		if d.analysis.pending {
			return true
		}
	}
	return false
}

// progress reports a batch as window/workDoneProgress; its methods do
// nothing when the client cannot show it.
type progress struct {
	b     *background
	token string
	last  time.Time
}

// progressInterval is the least time between two progress reports.
const progressInterval = 200 * time.Millisecond

// beginProgress creates a progress token and begins it, for a batch of
// more than one package, when the client announced
// window.workDoneProgress.
func (b *background) beginProgress(ctx context.Context, total int) *progress {
	p := &progress{b: b}
	if total < 2 || !b.s.clientC.Window.WorkDoneProgress {
		return p
	}
	b.mu.Lock()
	b.seq++
	token := fmt.Sprintf("failfast-background-%d", b.seq)
	b.mu.Unlock()
	cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if _, err := b.s.conn.Call(cctx, protocol.MethodWorkDoneProgressCreate, progressCreate{Token: token}, nil); err != nil {
		if ctx.Err() == nil {
			b.s.log.Warn("window/workDoneProgress/create failed; the background pass runs without progress", "err", err)
		}
		return p
	}
	b.mu.Lock()
	b.token = token
	b.mu.Unlock()
	p.token = token
	p.send(progressValue{Kind: "begin", Title: "failfast", Cancellable: true, Message: packagesMessage(0, total)})
	p.last = time.Now()
	return p
}

func (p *progress) report(done, total int) {
	if p.token == "" || done == total || time.Since(p.last) < progressInterval {
		return
	}
	p.last = time.Now()
	p.send(progressValue{Kind: "report", Message: packagesMessage(done, total), Percentage: uint32(done * 100 / total)})
}

func (p *progress) end(done, total int, stopped bool) {
	if p.token == "" {
		return
	}
	msg := fmt.Sprintf("%d packages analysed", total)
	if stopped {
		msg = fmt.Sprintf("stopped at %d/%d packages", done, total)
	}
	p.send(progressValue{Kind: "end", Message: msg})
	p.b.mu.Lock()
	if p.b.token == p.token {
		p.b.token = ""
	}
	p.b.mu.Unlock()
}

func (p *progress) send(v progressValue) {
	if err := p.b.s.conn.Notify(context.Background(), protocol.MethodProgress, progressParams{Token: p.token, Value: v}); err != nil {
		p.b.s.log.Warn("$/progress not sent", "kind", v.Kind, "err", err)
	}
}

func packagesMessage(done, total int) string {
	return fmt.Sprintf("%d/%d packages", done, total)
}

// progressCreate, progressParams and progressValue are
// window/workDoneProgress/create's and $/progress's parameters with a
// string token: protocol's ProgressToken marshals through a pointer
// receiver, which a value field does not always reach.
type progressCreate struct {
	Token string `json:"token"`
}

type progressParams struct {
	Token string        `json:"token"`
	Value progressValue `json:"value"`
}

// progressValue is a WorkDoneProgressBegin, Report or End.
type progressValue struct {
	Kind        string `json:"kind"`
	Title       string `json:"title,omitempty"`
	Cancellable bool   `json:"cancellable,omitempty"`
	Message     string `json:"message,omitempty"`
	Percentage  uint32 `json:"percentage,omitempty"`
}

// progressCancelParams are window/workDoneProgress/cancel's parameters;
// the token is a string or a number.
type progressCancelParams struct {
	Token any `json:"token"`
}

func (s *Server) workDoneProgressCancel(_ context.Context, raw json.RawMessage) error {
	var p progressCancelParams
	if err := decodeParams(raw, &p); err != nil {
		return err
	}
	token, ok := p.Token.(string)
	if !ok {
		s.log.Debug("window/workDoneProgress/cancel for a token the server did not create", "token", fmt.Sprint(p.Token))
		return nil
	}
	s.bg.cancelProgress(token)
	return nil
}
