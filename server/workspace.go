package server

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"

	"go.lsp.dev/protocol"

	"github.com/failfast-dev/failfast/config"
	"github.com/failfast-dev/failfast/loader"
	"github.com/failfast-dev/failfast/runner"
)

// workspaces holds the workspace folders and one module per go.mod that an
// open file lives in.
type workspaces struct {
	s       *Server
	mu      sync.Mutex
	folders []string
	mods    map[string]*module // by root directory
}

func newWorkspaces(s *Server) *workspaces {
	return &workspaces{s: s, mods: map[string]*module{}}
}

func (w *workspaces) setFolders(folders []string) {
	w.mu.Lock()
	w.folders = slices.Compact(slices.Sorted(slices.Values(folders)))
	w.mu.Unlock()
	w.s.log.Info("workspace folders", "folders", folders)
}

func (w *workspaces) folderList() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return slices.Clone(w.folders)
}

// moduleFor returns the module of a file: the directory of the nearest
// go.mod above it, or the file's own directory outside any module (the
// loader then analyses syntax only and says so).
func (w *workspaces) moduleFor(path string) *module {
	return w.moduleAt(moduleRoot(filepath.Dir(path)))
}

// moduleAt returns the module whose root directory is root.
func (w *workspaces) moduleAt(root string) *module {
	w.mu.Lock()
	defer w.mu.Unlock()
	m, ok := w.mods[root]
	if !ok {
		m = &module{s: w.s, root: root, dirs: map[string]bool{}, trees: map[string]bool{}, headers: map[string]string{}, missed: map[string]string{}}
		w.mods[root] = m
	}
	return m
}

func moduleRoot(dir string) string {
	for d := dir; ; {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d
		}
		parent := filepath.Dir(d)
		if parent == d {
			return dir
		}
		d = parent
	}
}

func (w *workspaces) modules() []*module {
	w.mu.Lock()
	defer w.mu.Unlock()
	out := make([]*module, 0, len(w.mods))
	for _, m := range w.mods {
		out = append(out, m)
	}
	return out
}

// reloadAll marks every module's packages for reloading (go.mod or go.work
// changed).
func (w *workspaces) reloadAll() {
	for _, m := range w.modules() {
		m.markStale()
	}
}

// invalidateRunners drops every module's rules so that they are rebuilt
// from the current settings and settings file.
func (w *workspaces) invalidateRunners() {
	for _, m := range w.modules() {
		m.mu.Lock()
		m.run, m.runErr = nil, nil
		m.mu.Unlock()
	}
}

// setOverlay gives the graph of the file's module the buffer's content, so
// that go list and whole-package checks (the quick fixes') see it.
func (w *workspaces) setOverlay(path string, text []byte) {
	if path == "" {
		return
	}
	m := w.moduleFor(path)
	m.mu.Lock()
	g := m.graph
	m.mu.Unlock()
	if g != nil {
		g.SetOverlay(path, text)
	}
}

// module is one go.mod's packages, loaded for the directories of the files
// open in it.
type module struct {
	s    *Server
	root string

	mu   sync.Mutex
	dirs map[string]bool // directories whose packages are loaded or wanted
	// trees are directories whose every package is wanted (pattern
	// dir/...): the workspace folders the background pass covers.
	trees map[string]bool
	stale bool // dirs, trees or go.mod changed since the graph was loaded
	// soft: files on disk that are not open changed since the graph was
	// loaded (their packages' file lists or export data may be behind).
	// The graph still serves the open files, which are read from their
	// buffers, so a load for soft staleness alone makes no edit wait.
	soft    bool
	graph   *loader.Graph
	loadErr error
	loading chan struct{} // closed when the running load ends; nil when idle
	// loadingHard: the running load was started for a reason the open
	// files must wait for (see graphFor).
	loadingHard bool
	trimmed     *trimCache // the graph's parsed, trimmed files
	// headers holds each analysed file's package clause and imports: when
	// they change, the go command must list the packages again.
	headers map[string]string
	// missed maps a file that no package contained to its header then:
	// the packages are listed again for it once per header, not on every
	// keystroke.
	missed map[string]string
	notice string // the notice already shown to the user
	// shown holds the load problems already shown to the user, so a
	// reload does not repeat them.
	shown  map[string]bool
	run    *runner.Runner
	runErr error
}

func (m *module) markStale() {
	m.mu.Lock()
	m.stale = true
	m.mu.Unlock()
}

// markSoftStale records that files of the module that are not open
// changed on disk: the next graph lists them again, without making the
// open files' analyses wait for it.
func (m *module) markSoftStale() {
	m.mu.Lock()
	m.soft = true
	m.mu.Unlock()
}

// addTree asks for every package under dir (a workspace folder, or the
// module root); it reports whether the module did not cover it yet.
func (m *module) addTree(dir string) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.trees[dir] {
		return false
	}
	m.trees[dir] = true
	// Packages the open files already loaded still serve them meanwhile.
	m.soft = true
	return true
}

// hasTrees reports whether the background pass covers part of the module.
func (m *module) hasTrees() bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.trees) > 0
}

// covered reports whether dir's package is matched by the pattern
// tree/... of one of the module's trees: the go command's ./... leaves
// out directories named testdata or vendor and those starting with . or
// _. m.mu must be held.
func (m *module) covered(dir string) bool {
	for tree := range m.trees {
		if underTree(tree, dir) {
			return true
		}
	}
	return false
}

// underTree reports whether the pattern tree/... matches the package in dir.
func underTree(tree, dir string) bool {
	rel, err := filepath.Rel(tree, dir)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return false
	}
	if rel == "." {
		return true
	}
	for _, part := range strings.Split(rel, string(filepath.Separator)) {
		if part == "testdata" || part == "vendor" || strings.HasPrefix(part, ".") || strings.HasPrefix(part, "_") {
			return false
		}
	}
	return true
}

// startLoad starts a load if the graph needs one and none is running.
// m.mu must be held.
func (m *module) startLoad() {
	if (m.stale || m.soft || (m.graph == nil && m.loadErr == nil)) && m.loading == nil {
		loading := make(chan struct{})
		m.loading = loading
		// Not the caller's context, which the next keystroke cancels: the
		// load serves every analysis of the module, and ends with the
		// server.
		if !m.s.sched.goBackground(func(ctx context.Context) { m.load(ctx, loading) }) {
			m.loading = nil
			if m.graph == nil {
				m.loadErr = errors.New("loading packages: the server is stopping")
			}
			close(loading)
		}
	}
}

// graphFor returns a graph that includes dir's packages, loading (or
// reloading) it first when needed. A load that only catches up with the
// disk (soft staleness, a new tree) is not waited for when a graph
// exists: an open file is read from its buffer either way.
func (m *module) graphFor(ctx context.Context, dir string) (*loader.Graph, *trimCache, error) {
	for {
		m.mu.Lock()
		if !m.dirs[dir] {
			m.dirs[dir] = true
			if !m.covered(dir) {
				m.stale = true
			}
		}
		m.startLoad()
		wait := m.loading
		if wait != nil && m.graph != nil && !m.loadingHard && !m.stale {
			wait = nil
		}
		g, tc, err := m.graph, m.trimmed, m.loadErr
		m.mu.Unlock()
		if wait == nil {
			if err != nil {
				return nil, nil, err
			}
			return g, tc, nil
		}
		select {
		case <-wait:
		case <-ctx.Done():
			return nil, nil, ctx.Err()
		}
	}
}

// graphCurrent returns the module's graph once every load that was due
// when it was called, soft ones included, has run: the background pass
// analyses the packages as they are on disk.
func (m *module) graphCurrent(ctx context.Context) (*loader.Graph, error) {
	for {
		m.mu.Lock()
		m.startLoad()
		wait := m.loading
		g, err := m.graph, m.loadErr
		m.mu.Unlock()
		if wait == nil {
			if g == nil {
				return nil, err
			}
			return g, nil
		}
		select {
		case <-wait:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

// load runs the go command for the module's directories, again if they
// changed meanwhile, then installs the graph with the open buffers in its
// overlay.
func (m *module) load(ctx context.Context, done chan struct{}) {
	defer close(done)
	for {
		m.mu.Lock()
		m.loadingHard = m.stale || m.graph == nil
		m.stale, m.soft = false, false
		var patterns []string
		for tree := range m.trees {
			rel, err := filepath.Rel(m.root, tree)
			if err != nil || strings.HasPrefix(rel, "..") {
				m.s.log.Error("workspace folder outside its module ignored", "dir", tree, "module", m.root, "err", err)
				continue
			}
			patterns = append(patterns, "./"+path.Join(filepath.ToSlash(rel), "..."))
		}
		for d := range m.dirs {
			if m.covered(d) {
				continue
			}
			rel, err := filepath.Rel(m.root, d)
			if err != nil || strings.HasPrefix(rel, "..") {
				m.s.log.Error("directory outside its module ignored", "dir", d, "module", m.root, "err", err)
				continue
			}
			patterns = append(patterns, "./"+filepath.ToSlash(rel))
		}
		m.mu.Unlock()
		slices.Sort(patterns)
		overlay := map[string][]byte{}
		for _, d := range m.s.docs.all() {
			if _, snap, ok := m.s.docs.get(d.uri); ok && d.path != "" && strings.HasPrefix(d.path, m.root+string(filepath.Separator)) {
				overlay[d.path] = snap.text
			}
		}
		log := m.s.log.With("module", m.root, "patterns", patterns)
		log.Info("loading packages")
		g, err := loader.Load(ctx, loader.Config{Dir: m.root, Tests: true, Overlay: overlay, CompactImports: true}, patterns...)
		if err != nil && ctx.Err() != nil {
			log.Info("loading packages stopped: the server is ending", "err", err)
			m.mu.Lock()
			m.loading = nil
			m.mu.Unlock()
			return
		}
		if err != nil {
			err = fmt.Errorf("loading the packages of %s: %w", m.root, err)
			log.Error("loading packages failed", "err", err)
		} else {
			for _, e := range g.Errors {
				log.Warn("package load problem", "err", e)
			}
			// Buffers edited while the go command ran.
			for _, d := range m.s.docs.all() {
				if _, snap, ok := m.s.docs.get(d.uri); ok && strings.HasPrefix(d.path, m.root+string(filepath.Separator)) {
					g.SetOverlay(d.path, snap.text)
				}
			}
			log.Info("packages loaded", "targets", len(g.Roots), "mode", g.Mode)
			// The standard-library packages quick fixes may import, found
			// now so that the first code action need not run go list.
			m.s.sched.goBackground(func(ctx context.Context) {
				if err := g.PrepareStd(ctx); err != nil && ctx.Err() == nil {
					log.Warn("finding the packages quick fixes import failed; the first fix that adds an import will try again", "err", err)
				}
			})
		}
		m.mu.Lock()
		if err == nil {
			m.graph, m.loadErr, m.trimmed = g, nil, newTrimCache(g)
			clear(m.headers)
		} else if m.graph == nil {
			m.loadErr = err
		}
		again := m.stale || m.soft
		if !again {
			m.loading = nil
		}
		notice := ""
		if g != nil && g.Notice != "" && g.Notice != m.notice {
			m.notice, notice = g.Notice, g.Notice
		}
		var problems []string
		if g != nil {
			problems = m.unshown(g.Errors)
		}
		m.mu.Unlock()
		if notice != "" {
			m.s.showMessage(ctx, protocol.MessageTypeInfo, notice)
		}
		m.showProblems(ctx, problems)
		if err != nil {
			m.s.showMessage(ctx, protocol.MessageTypeError, err.Error())
		}
		if !again {
			return
		}
	}
}

// unshown returns the messages of errs not yet shown to the user and
// marks them shown. m.mu must be held.
func (m *module) unshown(errs []error) []string {
	if m.shown == nil {
		m.shown = map[string]bool{}
	}
	var msgs []string
	for _, e := range errs {
		if msg := e.Error(); !m.shown[msg] {
			m.shown[msg] = true
			msgs = append(msgs, msg)
		}
	}
	return msgs
}

// maxShownProblems is how many load problems of one load are shown one by
// one; the rest are counted in one more message and are in the log.
const maxShownProblems = 3

// showProblems tells the user about load problems (an unreadable file, a
// symlink loop, a package the go command cannot list): the packages they
// concern are analysed from what could be read, or not at all.
func (m *module) showProblems(ctx context.Context, problems []string) {
	for i, p := range problems {
		if i == maxShownProblems {
			m.s.showMessage(ctx, protocol.MessageTypeWarning, fmt.Sprintf("%d more problems loading the packages of %s; the log lists each", len(problems)-i, m.root))
			return
		}
		m.s.showMessage(ctx, protocol.MessageTypeWarning, fmt.Sprintf("%s (the rest of %s is analysed)", p, m.root))
	}
}

// runner returns the module's rules under the current settings, merged
// over its settings file. A broken settings file is reported once and the
// client's settings apply over the defaults.
func (m *module) runner(ctx context.Context) (*runner.Runner, error) {
	m.mu.Lock()
	if m.run != nil {
		defer m.mu.Unlock()
		return m.run, nil
	}
	m.mu.Unlock()
	st := m.s.settings.get()
	cfg, fileErr := moduleConfig(m.root)
	if fileErr != nil {
		m.s.log.Error("settings file ignored; using the defaults with the client's settings", "err", fileErr)
		m.s.showMessage(ctx, protocol.MessageTypeError, fmt.Sprintf("%v (ignored: the defaults and the editor's settings apply)", fileErr))
		cfg = &config.Config{Rules: map[string]string{}, Root: m.root}
	}
	for id, sev := range st.Rules {
		cfg.Rules[id] = sev
	}
	r, err := runner.New(cfg, nil)
	if err != nil {
		return nil, fmt.Errorf("building the rules for %s: %w", m.root, err)
	}
	m.mu.Lock()
	m.run = r
	m.mu.Unlock()
	m.s.log.Info("rules", "module", m.root, "settings", cmp.Or(cfg.Path, "(none)"), "enabled", r.Rules())
	return r, nil
}

// moduleConfig reads the settings file that applies to the module, if any.
func moduleConfig(root string) (*config.Config, error) {
	path, err := config.Find(root)
	if err != nil {
		return nil, err
	}
	if path == "" {
		return &config.Config{Rules: map[string]string{}, Root: root}, nil
	}
	cfg, err := config.Load(path)
	if err != nil {
		return nil, err
	}
	if cfg.Rules == nil {
		cfg.Rules = map[string]string{}
	}
	return cfg, nil
}

// firstMiss records that no package contains path, whose content is src,
// and reports whether that is news: the first miss with this header (build
// constraints, package clause, imports).
func (m *module) firstMiss(path string, src []byte) bool {
	h := ""
	if f, _ := parser.ParseFile(token.NewFileSet(), path, src, parser.ImportsOnly|parser.ParseComments); f != nil {
		h = header(f)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if old, ok := m.missed[path]; ok && old == h {
		return false
	}
	m.s.log.Info("file is in no package: listing the packages again", "file", path)
	m.missed[path] = h
	return true
}

// header summarises a file's build constraints, package clause and
// imports: what decides which package it belongs to and what it imports.
func header(f *ast.File) string {
	var b strings.Builder
	for _, cg := range f.Comments {
		if cg.Pos() > f.Package {
			break
		}
		for _, c := range cg.List {
			if strings.HasPrefix(c.Text, "//go:build") {
				b.WriteString(c.Text + "\n")
			}
		}
	}
	if f.Name != nil {
		b.WriteString(f.Name.Name)
	}
	for _, imp := range f.Imports {
		b.WriteByte(' ')
		if imp.Name != nil {
			b.WriteString(imp.Name.Name + "=")
		}
		if p, err := strconv.Unquote(imp.Path.Value); err == nil {
			b.WriteString(p)
		} else {
			b.WriteString(imp.Path.Value) // a half-typed import: compared as written
		}
	}
	return b.String()
}

// headerChanged records f's header and reports whether it differs from the
// last one seen for path in this graph.
func (m *module) headerChanged(path string, f *ast.File) bool {
	h := header(f)
	m.mu.Lock()
	defer m.mu.Unlock()
	old, seen := m.headers[path]
	m.headers[path] = h
	return seen && old != h
}

// readSource reads a file of a package: the open buffer if there is one,
// else the disk. stamp identifies the content cheaply (see fileStamp).
func (s *Server) readSource(path string) (src []byte, stamp string, err error) {
	if snap, ok := s.docs.byPath(path); ok {
		return snap.text, bufferStamp(snap), nil
	}
	stamp, err = s.fileStamp(path)
	if err != nil {
		return nil, "", err
	}
	src, err = os.ReadFile(path)
	if err != nil {
		return nil, "", fmt.Errorf("read source: %w", err)
	}
	return src, stamp, nil
}

// fileStamp identifies the content of a file without reading it: the
// buffer's version when it is open, else its modification time and size.
func (s *Server) fileStamp(path string) (string, error) {
	if snap, ok := s.docs.byPath(path); ok {
		return bufferStamp(snap), nil
	}
	info, err := os.Stat(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return "", fmt.Errorf("%s was deleted: %w", path, err)
		}
		return "", fmt.Errorf("stat source: %w", err)
	}
	return info.ModTime().String() + "/" + strconv.FormatInt(info.Size(), 10), nil
}

func bufferStamp(snap *snapshot) string {
	return "v" + strconv.Itoa(int(snap.version)) + "/" + string(snap.uri)
}
