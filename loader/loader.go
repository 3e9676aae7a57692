// Package loader loads Go packages for analysis: it asks the go command (via
// golang.org/x/tools/go/packages) for package metadata and the export data of
// dependencies, then parses and type-checks each package to analyse from
// source, one at a time, against that export data. Holding only one package's
// syntax at a time keeps memory flat on large trees, and re-checking a single
// edited package (the language server's case) costs only that package.
// The dependency types a check imports live in a Space (see Space): the
// Graph's own, which its checks share, or another that a caller drops to
// free what it imported.
//
// Unsaved buffers are honoured through an overlay. The go command always runs
// with GOTOOLCHAIN=local: a toolchain line in an untrusted go.mod must never
// make us download and run a binary. A directory outside any module, or a
// module that needs a newer Go than the one installed, is analysed in
// syntax-only mode: files are parsed and type-checked with only the standard
// library's types, and the Graph says so.
package loader

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"io"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"

	"go/version"

	"golang.org/x/mod/modfile"
	"golang.org/x/tools/go/gcexportdata"
	"golang.org/x/tools/go/packages"
)

// Config says where and how to load.
type Config struct {
	// Dir is the directory the go command runs in; patterns are relative
	// to it.
	Dir string
	// Overlay maps absolute file names to unsaved contents.
	Overlay map[string][]byte
	// Tests includes _test.go files (and external test packages).
	Tests bool
	// Env is added to the environment of the go command.
	Env []string
	// CompactImports re-encodes what the Graph's own Space imports with
	// the types alone (see Space): about half the memory for what a
	// long-lived Space keeps, for about four times the cost of each
	// import. The language server sets it; check, which imports each
	// dependency once and exits, does not.
	CompactImports bool
}

// Mode tells how completely a package could be type-checked.
type Mode int

const (
	// Full: metadata from the go command, dependencies from export data.
	Full Mode = iota
	// SyntaxOnly: outside a module (or with a Go too old for it); only
	// standard-library imports have types.
	SyntaxOnly
)

// Graph is the result of loading: the packages to analyse and why any
// could not be.
type Graph struct {
	cfg   Config
	Mode  Mode
	Roots []*Target
	// Notice explains a degraded mode in one sentence; empty in Full mode.
	Notice string
	// Errors are load problems (a package that cannot be found, a
	// go.mod error); the packages that did load are still in Roots.
	Errors []error
	// std provides export data for standard-library imports in
	// SyntaxOnly mode.
	std map[string]*packages.Package

	// space is where Check, CheckFiles and ParseFile put what they make:
	// the file set and the imported dependency types that every check
	// through the Graph shares. NewSpace makes others.
	space *Space
	// passes is the Space of PassSpace, replaced as it fills; passesMu
	// guards it.
	passesMu sync.Mutex
	passes   *Space
	// extra holds the export data of standard-library packages found for
	// CheckWith (a fix that adds an import); extraMu guards it.
	extraMu sync.Mutex
	extra   map[string]*packages.Package
	// overlayMu guards cfg.Overlay, which SetOverlay replaces while
	// packages are being checked.
	overlayMu sync.RWMutex
}

// Target is a package to analyse, before it is parsed and type-checked.
type Target struct {
	ID, PkgPath, Name string
	Files             []string // absolute .go file names, tests included
	GoVersion         string   // "go1.22", from the module; may be empty
	// ModulePath and ModuleVersion name the module the package belongs
	// to; empty in syntax-only mode.
	ModulePath, ModuleVersion string
	imports                   map[string]*packages.Package
	listErrors                []packages.Error
	deps                      []*Target
}

// Deps returns the other targets of the Graph that t's non-test files
// import directly. Analysing them before t lets t's rules see the facts
// their rules export (see runner.Facts); no target is its own dependency,
// directly or not, so the order always exists.
func (t *Target) Deps() []*Target { return t.deps }

// Load asks the go command for the packages matching patterns and for the
// export data of their dependencies.
func Load(ctx context.Context, cfg Config, patterns ...string) (*Graph, error) {
	if len(patterns) == 0 {
		patterns = []string{"./..."}
	}
	dir, err := filepath.Abs(cmpOr(cfg.Dir, "."))
	if err != nil {
		return nil, fmt.Errorf("load: %w", err)
	}
	cfg.Dir = dir
	inModule, needs, err := moduleAt(ctx, cfg)
	if err != nil {
		return nil, err
	}
	if needs != "" {
		return loadSyntaxOnly(ctx, cfg, tooOld(needs), patterns)
	}
	if !inModule {
		return loadSyntaxOnly(ctx, cfg, fmt.Sprintf("%s is outside any Go module (no go.mod or go.work above it); analysing syntax only, with types for standard-library imports alone", dir), patterns)
	}
	pcfg := packagesConfig(ctx, cfg)
	pcfg.Mode = packages.NeedName | packages.NeedFiles | packages.NeedImports | packages.NeedDeps |
		packages.NeedExportFile | packages.NeedModule | packages.NeedForTest
	pkgs, err := packages.Load(pcfg, patterns...)
	if err != nil {
		if v, ok := needsNewerGo(err); ok {
			return loadSyntaxOnly(ctx, cfg, tooOld(v), patterns)
		}
		return nil, fmt.Errorf("load %s: %w", strings.Join(patterns, " "), err)
	}
	g := &Graph{cfg: cfg, Mode: Full}
	g.space = g.NewSpace()
	g.space.compact = cfg.CompactImports
	g.Roots, g.Errors = selectTargets(pkgs)
	if len(g.Roots) == 0 && !slices.Contains(cfg.Env, "GOWORK=off") {
		if werr := workError(g.Errors); werr != nil {
			// A go.work the go command cannot use (a folder it names is
			// missing, say) stops every package from loading: analyse
			// the module alone rather than nothing, and say why.
			alone := cfg
			alone.Env = append(slices.Clone(cfg.Env), "GOWORK=off")
			if g2, err := Load(ctx, alone, patterns...); err == nil {
				g2.Notice = strings.TrimSpace(fmt.Sprintf("%v; go.work ignored, each module analysed on its own. %s", werr, g2.Notice))
				return g2, nil
			}
		}
	}
	if len(pkgs) == 0 {
		g.Errors = append(g.Errors, fmt.Errorf("no Go packages match %s in %s", strings.Join(patterns, " "), cfg.Dir))
	}
	return g, nil
}

// workError returns the load error that blames go.work, if any.
func workError(errs []error) error {
	for _, e := range errs {
		if strings.Contains(e.Error(), "go.work") {
			return e
		}
	}
	return nil
}

func tooOld(needs string) string {
	return fmt.Sprintf("the module needs Go %s but this is %s, and failfast never downloads a toolchain (GOTOOLCHAIN=local); analysing syntax only, with types for standard-library imports alone", needs, runtime.Version())
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// packagesConfig is the go/packages configuration shared by every load.
func packagesConfig(ctx context.Context, cfg Config) *packages.Config {
	return &packages.Config{
		Context: ctx,
		Dir:     cfg.Dir,
		Env:     goEnv(cfg),
		Tests:   cfg.Tests,
		Overlay: cfg.Overlay,
		// Parsing is ours: go/packages only lists.
		ParseFile: func(*token.FileSet, string, []byte) (*ast.File, error) {
			return nil, errors.New("loader: go/packages must not parse")
		},
	}
}

// goEnv is the environment of every go command we run: the caller's, then
// the configured additions, then GOTOOLCHAIN=local, last so that nothing can
// override it.
func goEnv(cfg Config) []string {
	env := append(os.Environ(), "GOFLAGS="+goflags())
	env = append(env, cfg.Env...)
	return append(env, "GOTOOLCHAIN=local")
}

// goflags keeps the user's GOFLAGS but forbids the go command to change
// go.mod or go.sum while we look.
func goflags() string {
	f := os.Getenv("GOFLAGS")
	if !strings.Contains(f, "-mod=") {
		f = strings.TrimSpace(f + " -mod=readonly")
	}
	return f
}

// moduleAt reports whether dir is inside a module or workspace and, if so,
// the Go version its go.mod or go.work requires when that is newer than
// this Go.
func moduleAt(ctx context.Context, cfg Config) (inModule bool, needs string, err error) {
	cmd := exec.CommandContext(ctx, "go", "env", "GOMOD", "GOWORK")
	cmd.Dir = cfg.Dir
	cmd.Env = goEnv(cfg)
	out, err := cmd.Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return false, "", fmt.Errorf("go env in %s: %w: %s", cfg.Dir, err, strings.TrimSpace(string(ee.Stderr)))
		}
		return false, "", fmt.Errorf("go env in %s: %w (is the go command installed?)", cfg.Dir, err)
	}
	for _, file := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if file = strings.TrimSpace(file); file == "" || file == os.DevNull || file == "off" {
			continue
		}
		inModule = true
		v, err := requiredGo(file)
		if err != nil {
			return true, "", err
		}
		if v != "" && version.Compare("go"+v, runtime.Version()) > 0 {
			needs = v
		}
	}
	return inModule, needs, nil
}

// requiredGo returns the version in the go line of a go.mod or go.work file.
func requiredGo(file string) (string, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return "", fmt.Errorf("read %s: %w", file, err)
	}
	if strings.HasSuffix(file, ".work") {
		wf, err := modfile.ParseWork(file, data, nil)
		if err != nil {
			return "", fmt.Errorf("parse %s: %w", file, err)
		}
		if wf.Go == nil {
			return "", nil
		}
		return wf.Go.Version, nil
	}
	mf, err := modfile.ParseLax(file, data, nil)
	if err != nil {
		return "", fmt.Errorf("parse %s: %w", file, err)
	}
	if mf.Go == nil {
		return "", nil
	}
	return mf.Go.Version, nil
}

// needsNewerGo recognises the go command's refusal to load a module that
// requires a newer Go than the installed one under GOTOOLCHAIN=local.
func needsNewerGo(err error) (string, bool) {
	msg := err.Error()
	_, rest, ok := strings.Cut(msg, "requires go >= ")
	if !ok {
		return "", false
	}
	v, _, _ := strings.Cut(rest, " ")
	return v, true
}

// selectTargets picks the packages to analyse among the go command's roots:
// a package's test variant replaces the package itself (it has the same
// files plus the in-package tests), and generated test mains are skipped.
func selectTargets(pkgs []*packages.Package) ([]*Target, []error) {
	hasTestVariant := map[string]bool{}
	for _, p := range pkgs {
		if p.ForTest != "" && p.PkgPath == p.ForTest {
			hasTestVariant[p.PkgPath] = true
		}
	}
	var targets []*Target
	var errs []error
	seen := map[string]bool{} // go/packages may report one error twice
	for _, p := range pkgs {
		if strings.HasSuffix(p.ID, ".test") && p.Name == "main" && p.ForTest == "" {
			continue // the generated test main
		}
		if p.ForTest == "" && hasTestVariant[p.PkgPath] {
			continue
		}
		for _, e := range p.Errors {
			if msg := fmt.Sprintf("%s: %s", p.PkgPath, e.Error()); !seen[msg] {
				seen[msg] = true
				errs = append(errs, errors.New(msg))
			}
		}
		// An import the go command cannot find (a module not required,
		// a mistyped path) carries its error on the imported package:
		// the package that imports it is analysed without its types,
		// which must be said, not left to look like a clean result.
		for _, path := range slices.Sorted(maps.Keys(p.Imports)) {
			imp := p.Imports[path]
			if len(imp.GoFiles) > 0 || len(imp.Errors) == 0 {
				continue
			}
			if msg := fmt.Sprintf("%s: import %q: %s", p.PkgPath, path, imp.Errors[0].Msg); !seen[msg] {
				seen[msg] = true
				errs = append(errs, errors.New(msg))
			}
		}
		if len(p.GoFiles) == 0 {
			continue
		}
		t := &Target{ID: p.ID, PkgPath: p.PkgPath, Name: p.Name, Files: p.GoFiles, imports: p.Imports, listErrors: p.Errors}
		if p.Module != nil {
			t.ModulePath, t.ModuleVersion = p.Module.Path, p.Module.Version
			if p.Module.GoVersion != "" {
				t.GoVersion = "go" + p.Module.GoVersion
			}
		}
		targets = append(targets, t)
	}
	slices.SortFunc(targets, func(a, b *Target) int { return strings.Compare(a.ID, b.ID) })
	linkDeps(targets, pkgs)
	return targets, errs
}

// linkDeps sets each target's Deps. A test variant `p [p.test]` stands for
// p, so it depends on what p's own files import (its test files may import
// packages that import p), and p's importers depend on it; an external
// test package depends on everything it imports, and nothing imports it.
func linkDeps(targets []*Target, pkgs []*packages.Package) {
	byPath := map[string]*Target{}
	for _, t := range targets {
		byPath[t.PkgPath] = t
	}
	plain := map[string]*packages.Package{}
	for _, p := range pkgs {
		if p.ForTest == "" {
			plain[p.PkgPath] = p
		}
	}
	for _, t := range targets {
		imports := t.imports
		if p, ok := plain[t.PkgPath]; ok {
			imports = p.Imports
		}
		for path := range imports {
			if dep, ok := byPath[path]; ok && dep != t {
				t.deps = append(t.deps, dep)
			}
		}
		slices.SortFunc(t.deps, func(a, b *Target) int { return strings.Compare(a.ID, b.ID) })
	}
}

// Package is a parsed and type-checked package, complete or not.
type Package struct {
	*Target
	Fset      *token.FileSet
	Syntax    []*ast.File
	Types     *types.Package
	TypesInfo *types.Info
	Sizes     types.Sizes
	// Errors are the parse and type errors; analysis proceeds regardless.
	Errors []error
	// Partial is set by a caller that checked only part of the package
	// (the language server's view of an edited file against the other
	// files' declarations): what the rules learn from it about the package
	// as a whole, such as their facts, is incomplete.
	Partial bool
	// ReadFile reads a file of the package, overlay first.
	ReadFile func(string) ([]byte, error)

	// Recheck, when set, is what CheckWith does. A caller that checked the
	// package its own way (the language server checks an edited file
	// against only the declarations of the package's other files) sets it
	// so that a re-check after a rewrite is done the same way, and errors
	// before and after compare like for like.
	Recheck func(ctx context.Context, overrides map[string][]byte) (*Package, error)

	space  *Space // the Space that checked it, for CheckWith
	newStd bool   // imports may include standard-library packages the go command did not list
}

// Check parses and type-checks t. Parse and type errors do not stop it: the
// syntax that parsed and the types that resolved are returned with them.
func (g *Graph) Check(ctx context.Context, t *Target) (*Package, error) {
	return g.space.Check(ctx, t)
}

// CheckWith is Check with the contents of some of t's files replaced by
// overrides (absolute file name to content): the quick fixes use it to make
// sure a rewritten file still type-checks in its package before offering
// it. The package's ReadFile answers from overrides first.
func (g *Graph) CheckWith(ctx context.Context, t *Target, overrides map[string][]byte) (*Package, error) {
	return g.space.CheckWith(ctx, t, overrides)
}

// ParseFile parses one file of the Graph as Check does (comments kept,
// partial syntax returned with the error), recording its positions in the
// Graph's file set so that CheckFiles can type-check it.
func (g *Graph) ParseFile(name string, src []byte) (*ast.File, error) {
	return g.space.ParseFile(name, src)
}

// FileSet returns the file set of every file the Graph parses; positions
// in its Packages refer to it.
func (g *Graph) FileSet() *token.FileSet { return g.space.fset }

// CheckFiles type-checks t from files the caller parsed with ParseFile (and
// may have kept from an earlier check, or trimmed): the language server
// re-checks an edited file against its package's other files this way
// without parsing them again. Type errors are collected in the Package, as
// in Check. The files are not modified, so they may be shared between
// concurrent calls. As in CheckWith, a standard-library import the go
// command did not list (one just typed, or added by a fix) is found.
func (g *Graph) CheckFiles(ctx context.Context, t *Target, files []*ast.File) (*Package, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	sp := g.space
	p := &Package{Target: t, Fset: sp.fset, ReadFile: g.readFile, Syntax: files, space: sp, newStd: true}
	sp.typeCheck(p)
	return p, nil
}

// A Space is where packages are type-checked: the file set that holds the
// positions of their files and of the objects they import, and the
// dependency types imported for them, which every check in the Space
// shares (reading export data dominates the cost of checking a package,
// so each dependency is read once per Space). What a Space imports lives
// as long as the Space: the importer records the dependencies' files in
// its file set, and their names keep the whole export data alive, so
// types imported into a Space cannot be dropped on their own. A Graph's
// own Space (Graph.Check) lasts as long as the Graph; a caller that checks
// many packages once each (the language server's background pass) uses a
// Space of its own, and drops it to free what it imported. Positions in a
// Space's Packages refer to its file set alone.
type Space struct {
	g    *Graph
	fset *token.FileSet

	// importMu guards shared and variants, and shared's packages while
	// export data is read into them.
	importMu sync.Mutex
	// shared holds the dependency types imported so far, for every
	// package whose imports include no test variant.
	shared map[string]*types.Package
	// variants holds, for each package that imports a test variant (and
	// so cannot share), the dependency types imported for it, reused by
	// its every check; importMu guards the map, each cache its own
	// packages.
	variants map[*Target]*importCache
	// compact: imported types are re-encoded before they are kept. The
	// compiler's export data holds more than types (function bodies for
	// inlining, among others), and reading it keeps all of it alive,
	// since the names of the objects read are parts of it; the types
	// re-encoded with gcexportdata.Write hold about half as much.
	compact bool
	// scratch is the universe that compact imports into shared read the
	// compiler's export data into (nil in variants' imports, each of which
	// has its own: a test variant has the path of the package it
	// replaces). It holds what one import read for the next to reuse, and
	// is dropped once it has read scratchImports or no check is running
	// (active counts them). Guarded by importMu.
	scratch *universe
	active  int
	// read counts the bytes of export data read into the Space; readMu
	// guards it (a variant's import holds its cache's lock, not importMu).
	readMu sync.Mutex
	read   int64
}

// NewSpace returns an empty Space for checking g's packages.
func (g *Graph) NewSpace() *Space {
	return &Space{g: g, fset: token.NewFileSet()}
}

// passImports is how much export data (bytes read) the Space of PassSpace
// takes in before another replaces it: the memory a Space holds for
// imported types grows with it (about as much again decoded), and each new
// Space reads the common dependencies again.
const passImports = 16 << 20

// PassSpace returns the Space for checks of whole packages whose results
// are kept only as findings and facts (the language server's background
// pass over the workspace): checks share it until it has read passImports
// of export data, then a new one takes its place, so that what they
// imported is dropped as they go instead of staying for the Graph's life
// beside what the checks of open files keep. (The open files' own
// whole-package passes use the Graph's Space: they import what those
// files' edits import anyway.) A check that has the old one finishes in
// it.
func (g *Graph) PassSpace() *Space {
	g.passesMu.Lock()
	defer g.passesMu.Unlock()
	if g.passes == nil || g.passes.Imported() > passImports {
		g.passes = g.NewSpace()
	}
	return g.passes
}

// Imported returns the bytes of export data read into the Space so far: a
// measure of the memory its imported types hold.
func (sp *Space) Imported() int64 {
	sp.readMu.Lock()
	defer sp.readMu.Unlock()
	return sp.read
}

// Check parses and type-checks t in the Space, as Graph.Check does.
func (sp *Space) Check(ctx context.Context, t *Target) (*Package, error) {
	return sp.check(ctx, t, sp.g.readFile, false)
}

// CheckWith is Check with overrides, as Graph.CheckWith.
func (sp *Space) CheckWith(ctx context.Context, t *Target, overrides map[string][]byte) (*Package, error) {
	read := func(name string) ([]byte, error) {
		if src, ok := overrides[name]; ok {
			return src, nil
		}
		return sp.g.readFile(name)
	}
	return sp.check(ctx, t, read, true)
}

// ParseFile parses one file into the Space's file set, as Graph.ParseFile.
func (sp *Space) ParseFile(name string, src []byte) (*ast.File, error) {
	return parser.ParseFile(sp.fset, name, src, parser.ParseComments|parser.SkipObjectResolution)
}

// CheckWith re-checks p's package with some files' contents replaced, as
// Graph.CheckWith does, in the Space that checked p; the result is a new
// Package (Release it when done).
func (p *Package) CheckWith(ctx context.Context, overrides map[string][]byte) (*Package, error) {
	if p.Recheck != nil {
		return p.Recheck(ctx, overrides)
	}
	if p.space == nil {
		return nil, errors.New("loader: package was not checked by a Graph")
	}
	return p.space.CheckWith(ctx, p.Target, overrides)
}

// check parses and type-checks t. With newStd, a standard-library import
// the go command did not list (one a fix adds) is found with another go
// command, once per Graph.
func (sp *Space) check(ctx context.Context, t *Target, readFile func(string) ([]byte, error), newStd bool) (*Package, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	p := &Package{Target: t, Fset: sp.fset, ReadFile: readFile, space: sp, newStd: newStd}
	for _, name := range t.Files {
		src, err := readFile(name)
		if err != nil {
			p.Errors = append(p.Errors, err)
			continue
		}
		f, err := sp.ParseFile(name, src)
		if err != nil {
			p.Errors = append(p.Errors, err)
		}
		if f != nil {
			p.Syntax = append(p.Syntax, f)
		}
	}
	sp.typeCheck(p)
	return p, nil
}

// typeCheck type-checks p.Syntax, filling in p's types and collecting type
// errors in p.Errors.
func (sp *Space) typeCheck(p *Package) {
	t := p.Target
	g := sp.g
	p.Sizes = types.SizesFor("gc", runtime.GOARCH)
	p.TypesInfo = NewInfo()
	imp := &exportImporter{space: sp, target: t, newStd: p.newStd}
	if importsTestVariant(t) {
		c := sp.variantImports(t)
		imp.packages, imp.mu, imp.variant = c.packages, &c.mu, true
	} else {
		imp.packages, imp.mu = sp.sharedImports(), &sp.importMu
	}
	sp.importMu.Lock()
	sp.active++
	sp.importMu.Unlock()
	defer func() {
		sp.importMu.Lock()
		if sp.active--; sp.active == 0 {
			sp.scratch = nil
		}
		sp.importMu.Unlock()
	}()
	tc := &types.Config{
		Importer:    imp,
		Sizes:       p.Sizes,
		GoVersion:   t.GoVersion,
		FakeImportC: true,
		Error:       func(err error) { p.Errors = append(p.Errors, err) },
	}
	if g.Mode == SyntaxOnly {
		tc.GoVersion = ""
	}
	// Check's error repeats the first of the errors collected above.
	p.Types, _ = tc.Check(t.PkgPath, p.Fset, p.Syntax, p.TypesInfo) //failfast:ignore discarded-error tc.Error collects every error into p.Errors, and Check returns a package even with errors
}

// NewInfo returns a types.Info with every map the rules read made, as
// Check fills it.
func NewInfo() *types.Info {
	return &types.Info{
		Types:        map[ast.Expr]types.TypeAndValue{},
		Defs:         map[*ast.Ident]types.Object{},
		Uses:         map[*ast.Ident]types.Object{},
		Implicits:    map[ast.Node]types.Object{},
		Selections:   map[*ast.SelectorExpr]*types.Selection{},
		Scopes:       map[ast.Node]*types.Scope{},
		Instances:    map[*ast.Ident]types.Instance{},
		FileVersions: map[*ast.File]string{},
	}
}

// Release drops the package's files from the file set of the Space that
// checked it once its findings have been turned into positions; the
// package must not be used afterwards.
func (p *Package) Release() {
	for _, f := range p.Syntax {
		if tf := p.Fset.File(f.FileStart); tf != nil {
			p.Fset.RemoveFile(tf)
		}
	}
	p.Syntax, p.TypesInfo, p.Types = nil, nil, nil
}

// importsTestVariant reports whether t imports a package recompiled for a
// test ("q [p.test]"): its types differ from the plain q's, so t cannot
// share imported types with other packages.
func importsTestVariant(t *Target) bool {
	for _, dep := range t.imports {
		if strings.Contains(dep.ID, " [") {
			return true
		}
	}
	return false
}

func (sp *Space) sharedImports() map[string]*types.Package {
	sp.importMu.Lock()
	defer sp.importMu.Unlock()
	if sp.shared == nil {
		sp.shared = map[string]*types.Package{}
	}
	return sp.shared
}

// countRead adds n bytes of export data to what the Space has read.
func (sp *Space) countRead(n int64) {
	sp.readMu.Lock()
	sp.read += n
	sp.readMu.Unlock()
}

// importCache is the dependency types imported for one package.
type importCache struct {
	mu       sync.Mutex
	packages map[string]*types.Package
}

// variantImports returns the import cache of t, which imports a test
// variant: every check of t in the Space imports the same dependencies.
func (sp *Space) variantImports(t *Target) *importCache {
	sp.importMu.Lock()
	defer sp.importMu.Unlock()
	c := sp.variants[t]
	if c == nil {
		if sp.variants == nil {
			sp.variants = map[*Target]*importCache{}
		}
		c = &importCache{packages: map[string]*types.Package{}}
		sp.variants[t] = c
	}
	return c
}

// SetOverlay replaces the unsaved content of the file name (absolute) that
// later checks read; nil content removes the file from the overlay, so that
// it is read from disk again. It is safe to call while packages are being
// checked: a check reads each file once, either version.
func (g *Graph) SetOverlay(name string, content []byte) {
	g.overlayMu.Lock()
	defer g.overlayMu.Unlock()
	next := maps.Clone(g.cfg.Overlay) // the caller's map is never modified
	if next == nil {
		next = map[string][]byte{}
	}
	if content == nil {
		delete(next, name)
	} else {
		next[name] = content
	}
	g.cfg.Overlay = next
}

// TargetsFor returns the packages whose files include name (absolute):
// usually one, more when build variants share a file.
func (g *Graph) TargetsFor(name string) []*Target {
	var out []*Target
	for _, t := range g.Roots {
		if slices.Contains(t.Files, name) {
			out = append(out, t)
		}
	}
	return out
}

func (g *Graph) readFile(name string) ([]byte, error) {
	g.overlayMu.RLock()
	src, ok := g.cfg.Overlay[name]
	g.overlayMu.RUnlock()
	if ok {
		return src, nil
	}
	src, err := os.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("read source: %w", err)
	}
	return src, nil
}

// exportImporter imports the direct dependencies of one package from the
// export data the go command produced. Export data is deep: the direct
// imports' data describe every type they mention.
type exportImporter struct {
	newStd   bool // find standard-library packages the go command did not list
	space    *Space
	target   *Target
	packages map[string]*types.Package
	mu       *sync.Mutex // guards packages, which other checks share
	// variant: packages is a variant's import cache, not the Space's
	// shared one; scratch is then the universe readCompact reads the
	// compiler's export data into for this check, nil until it does.
	variant bool
	scratch *universe
}

func (imp *exportImporter) Import(path string) (*types.Package, error) {
	if path == "unsafe" {
		return types.Unsafe, nil
	}
	if imp.mu != nil {
		imp.mu.Lock()
		defer imp.mu.Unlock()
	}
	g := imp.space.g
	dep, ok := imp.target.imports[path]
	if !ok && g.std != nil {
		dep, ok = g.std[path]
	}
	if !ok && imp.newStd && isStd(path) {
		var err error
		// The importer has no context: finding one package's export data
		// takes one short go command.
		if dep, err = g.extraStd(context.Background(), path); err != nil {
			return nil, err
		}
		ok = true
	}
	if !ok {
		if g.Mode == SyntaxOnly {
			return nil, fmt.Errorf("no types for %q in syntax-only mode", path)
		}
		return nil, fmt.Errorf("%s does not import %q according to the go command", imp.target.PkgPath, path)
	}
	if p, ok := imp.packages[dep.PkgPath]; ok && p.Complete() {
		return p, nil
	}
	if dep.ExportFile == "" {
		return nil, fmt.Errorf("no export data for %s (it may not build)", dep.PkgPath)
	}
	f, err := os.Open(dep.ExportFile)
	if err != nil {
		return nil, fmt.Errorf("import %s: %w", dep.PkgPath, err)
	}
	defer f.Close() // read-only
	r, err := gcexportdata.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("import %s: read export data: %w", dep.PkgPath, err)
	}
	var size int64 // what Imported counts; a file that cannot say counts nothing
	if info, err := f.Stat(); err == nil {
		size = info.Size()
	}
	var p *types.Package
	if imp.space.compact {
		p, err = imp.readCompact(r, dep.PkgPath, size)
	} else {
		p, err = gcexportdata.Read(r, imp.space.fset, imp.packages, dep.PkgPath)
	}
	if err != nil {
		return nil, fmt.Errorf("import %s: decode export data: %w", dep.PkgPath, err)
	}
	imp.space.countRead(size)
	return p, nil
}

// universe is a file set and the packages read with their positions in it.
type universe struct {
	fset     *token.FileSet
	packages map[string]*types.Package
	read     int64 // bytes of export data read into it
}

// scratchImports is how much export data the scratch universe of a compact
// Space reads before a new one replaces it.
const scratchImports = 16 << 20

// readCompact reads the export data r (size bytes) of the package path
// into a scratch universe, re-encodes the package's types and reads them
// into the Space. imp.mu is held.
func (imp *exportImporter) readCompact(r io.Reader, path string, size int64) (*types.Package, error) {
	sp := imp.space
	u := imp.scratch // a variant's, for this check only
	if !imp.variant {
		if sp.scratch == nil || sp.scratch.read > scratchImports {
			sp.scratch = &universe{fset: token.NewFileSet(), packages: map[string]*types.Package{}}
		}
		u = sp.scratch
	} else if u == nil {
		u = &universe{fset: token.NewFileSet(), packages: map[string]*types.Package{}}
		imp.scratch = u
	}
	u.read += size
	raw, err := gcexportdata.Read(r, u.fset, u.packages, path)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := gcexportdata.Write(&buf, u.fset, raw); err != nil {
		return nil, fmt.Errorf("re-encoding its types: %w", err)
	}
	return gcexportdata.Read(&buf, sp.fset, imp.packages, path)
}

// extraStd finds the export data of a standard-library package that no
// loaded package imports. The first call also finds the packages in
// PrepareStd's list, so that a session pays for one go command.
func (g *Graph) extraStd(ctx context.Context, path string) (*packages.Package, error) {
	g.extraMu.Lock()
	p, ok := g.extra[path]
	g.extraMu.Unlock()
	if !ok {
		if err := g.PrepareStd(ctx, path); err != nil {
			return nil, err
		}
		g.extraMu.Lock()
		p = g.extra[path]
		g.extraMu.Unlock()
	}
	if p == nil {
		return nil, fmt.Errorf("no export data for standard-library package %q", path)
	}
	return p, nil
}

// FixImports are the standard-library packages quick fixes may add to a
// file.
var FixImports = []string{"errors", "fmt", "log", "log/slog", "net/http", "runtime/debug"}

// PrepareStd finds, with one go command, the export data of the given
// standard-library packages and of FixImports, for CheckWith to use when a
// rewritten file imports a package its package did not. A language server
// can call it in the background after loading to make the first fix fast.
func (g *Graph) PrepareStd(ctx context.Context, paths ...string) error {
	want := map[string]bool{}
	g.extraMu.Lock()
	for _, p := range append(slices.Clone(FixImports), paths...) {
		if _, ok := g.extra[p]; !ok && isStd(p) {
			want[p] = true
		}
	}
	g.extraMu.Unlock()
	if len(want) == 0 {
		return nil
	}
	g.overlayMu.RLock()
	cfg := g.cfg // SetOverlay replaces cfg.Overlay meanwhile
	g.overlayMu.RUnlock()
	std, err := loadStd(ctx, cfg, want)
	if err != nil {
		return err
	}
	g.extraMu.Lock()
	defer g.extraMu.Unlock()
	if g.extra == nil {
		g.extra = map[string]*packages.Package{}
	}
	for p, pkg := range std {
		g.extra[p] = pkg
	}
	// A path the go command did not find (a half-typed import) is
	// remembered as missing, so it costs one go command, not one per
	// keystroke.
	for p := range want {
		if _, ok := std[p]; !ok {
			g.extra[p] = nil
		}
	}
	return nil
}
