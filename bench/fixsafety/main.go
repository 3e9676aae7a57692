// Command fixsafety checks that failfast's quick fixes never break a build,
// on real code nobody here wrote. It loads the packages matching its
// arguments (default ./...) with their tests, runs every rule, and for every
// finding applies each fix that failfast offers for it, one at a time, to
// the pristine file: the rule's own fixes, safe or not (those that add a
// panic or an exit too), and "Ignore RULE on this line". For every file
// with findings, the result of fix-all (what `failfast check -fix` writes)
// counts as one more fix. Each result must
//
//   - parse, and be gofmt-clean when the original was;
//   - type-check, in every package variant that compiles the file (the
//     package with its in-package tests, and the package alone when the
//     file is not a _test.go file), with no error the pristine package did
//     not have: the exact resulting bytes are type-checked in memory,
//     through failfast's own loader, against the dependencies' export data;
//   - not add an import that imports the fixed package back (an import
//     cycle, which type-checking against export data cannot see).
//
// Nothing is written: fixes are applied in memory, so the standard library
// can be checked in place ($(go env GOROOT)/src).
//
// It prints a Markdown table (findings, fixes tried and broken per rule,
// safe and unsafe apart), then every breakage with its place, rule, fix
// title and the error. Exit status: 0 nothing broke, 1 some fix broke its
// package, 2 the run failed.
//
//	fixsafety [-C dir] [-tests=true] [-wide] [-v] [packages]
//
// -wide extends the provenance lists (see wideProvenance) so that the
// rules, tuned for precision, report more and more fixes are exercised.
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"go/format"
	"go/parser"
	"go/scanner"
	"go/token"
	"go/types"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/failfast-dev/failfast/config"
	"github.com/failfast-dev/failfast/fixes"
	"github.com/failfast-dev/failfast/loader"
	"github.com/failfast-dev/failfast/rules"
	"github.com/failfast-dev/failfast/rules/spec"
	"github.com/failfast-dev/failfast/runner"
)

func main() {
	fs := flag.NewFlagSet("fixsafety", flag.ContinueOnError)
	var o options
	fs.StringVar(&o.dir, "C", ".", "analyse the packages of `dir`")
	fs.BoolVar(&o.tests, "tests", true, "also report (and fix) findings in _test.go files")
	fs.BoolVar(&o.wide, "wide", false, "extend the provenance lists so that the rules report more")
	fs.BoolVar(&o.verbose, "v", false, "print each fix tried")
	fs.StringVar(&o.rules, "rules", "", "fix the findings of these rules only (comma-separated IDs; default every rule)")
	fs.StringVar(&o.memprofile, "memprofile", "", "write a heap profile to `file` at the end of the run, before anything is released")
	if err := fs.Parse(os.Args[1:]); err != nil {
		os.Exit(2)
	}
	o.patterns = fs.Args()
	if o.verbose {
		o.log = os.Stderr
	}
	rep, err := run(context.Background(), o)
	if err != nil {
		fmt.Fprintf(os.Stderr, "fixsafety: %v\n", err)
		os.Exit(2)
	}
	rep.write(os.Stdout)
	switch {
	case len(rep.Broken) > 0:
		os.Exit(1)
	case len(rep.Errors) > 0:
		os.Exit(2)
	}
}

type options struct {
	dir         string
	tests, wide bool
	verbose     bool
	memprofile  string
	rules       string // comma-separated rule IDs; empty for every rule
	patterns    []string
	log         io.Writer // progress of each fix, when verbose
}

// wideProvenance widens the lists the rules decide by: more calls count as
// external input, and the errors of common I/O calls as must-check, so that
// discarded-error, swallowed-error and the unchecked-* rules report (and
// fix) far more than their precise defaults do.
var wideProvenance = map[string][]string{
	"external": {
		"os.ReadFile", "io.ReadAll", "os.Hostname", "os.Getwd", "os.UserHomeDir",
		"encoding/json.Marshal", "net/http.Request.URL", "net/url.URL.String",
		"strings.TrimSpace", "strings.ToLower", "strconv.Itoa",
		"fmt.Sprintf", "fmt.Sprint", "path/filepath.Join", "path/filepath.Base",
	},
	"dynamic": {
		"encoding/json.Unmarshal", "reflect.Value.Interface", "sync.Pool.Get",
		"container/list.Element.Value", "container/heap.Pop",
	},
	"must-check": {
		"os.File.*", "io.Closer.Close", "io.Writer.Write", "io.Reader.Read", "io.Copy", "io.WriteString",
		"net.Conn.*", "net.Listener.*", "bufio.Writer.*", "bufio.Reader.*",
		"os.Remove", "os.RemoveAll", "os.MkdirAll", "os.Setenv", "os.Chdir", "os.Chmod", "os.Rename",
		"encoding/json.Encoder.Encode", "encoding/binary.Write", "net/http.ResponseWriter.Write",
		"fmt.Fprintf", "fmt.Fprintln", "fmt.Fprint", "fmt.Sscanf", "fmt.Sscan",
		"strings.Builder.WriteString", "strings.Builder.WriteByte", "bytes.Buffer.*", "hash.Hash.Write",
		"text/template.Template.Execute", "html/template.Template.Execute",
		"compress/gzip.Writer.*", "archive/zip.Writer.*", "archive/tar.Writer.*",
		"os/exec.Cmd.Run", "os/exec.Cmd.Start", "os/exec.Cmd.Wait",
		"time.Parse", "strconv.Atoi", "strconv.ParseInt", "strconv.ParseUint", "strconv.ParseFloat",
		"strconv.ParseBool", "net/url.Parse",
	},
}

// counts are fixes tried and broken.
type counts struct{ Tried, Broke int }

func (c *counts) add(broke bool) {
	c.Tried++
	if broke {
		c.Broke++
	}
}

// ruleStats are one rule's figures.
type ruleStats struct {
	Findings int
	// Safe are the fixes fix-all may apply, Unsafe the rule's other fixes
	// (a panic or an exit added), Ignore the "Ignore RULE" directive.
	Safe, Unsafe, Ignore counts
	// Withheld counts the fixes failfast built but did not offer, because
	// its own verification rejected them (or building them failed).
	Withheld int
}

// breakage is a fix whose result does not build.
type breakage struct {
	Pos     token.Position
	Rule    string
	Title   string
	Safe    bool
	Problem string
}

// report is the outcome of one run.
type report struct {
	Dir         string
	Tests, Wide bool
	Packages    int
	Findings    int
	Rules       map[string]*ruleStats
	FixAll      counts // one per file with findings
	Broken      []breakage
	Panics      []string // panics inside the fixes, caught by failfast
	Errors      []string // packages or rules that could not be analysed
	// Unclean counts the packages that have type errors as they are (only
	// errors a fix adds count against it).
	Unclean         int
	Wall            time.Duration
	WithheldReasons map[string]int
	mu              sync.Mutex
	seen            map[string]bool
}

func (r *report) rule(id string) *ruleStats {
	s := r.Rules[id]
	if s == nil {
		s = &ruleStats{}
		r.Rules[id] = s
	}
	return s
}

func run(ctx context.Context, o options) (*report, error) {
	start := time.Now()
	dir, err := filepath.Abs(o.dir)
	if err != nil {
		return nil, err
	}
	rep := &report{Dir: dir, Tests: o.tests, Wide: o.wide, Rules: map[string]*ruleStats{},
		WithheldReasons: map[string]int{}, seen: map[string]bool{}}
	cfg := &config.Config{Rules: map[string]string{}, Tests: o.tests}
	if o.rules != "" {
		only, err := rules.Select(o.rules)
		if err != nil {
			return nil, fmt.Errorf("-rules: %w", err)
		}
		for _, id := range rules.IDs() {
			if !slices.ContainsFunc(only, func(r *spec.Rule) bool { return r.ID == id }) {
				cfg.Rules[id] = "off"
			}
		}
	}
	if o.wide {
		cfg.Provenance = wideProvenance
	}
	rn, err := runner.New(cfg, nil)
	if err != nil {
		return nil, err
	}
	c, err := newChecker(ctx, dir, o.patterns)
	if err != nil {
		return nil, err
	}
	tg := c.graphs[0]
	for _, e := range tg.Errors {
		rep.Errors = append(rep.Errors, e.Error())
	}
	work := make(chan *loader.Target)
	var workers sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		workers.Go(func() {
			for t := range work {
				c.target(ctx, o, rn, tg, t, rep)
			}
		})
	}
	for _, t := range tg.Roots {
		rep.Packages++
		work <- t
	}
	close(work)
	workers.Wait()
	if o.memprofile != "" {
		if err := writeHeapProfile(o.memprofile); err != nil {
			return nil, err
		}
		runtime.KeepAlive(c)
	}
	slices.SortFunc(rep.Broken, func(a, b breakage) int {
		return cmpPos(a.Pos, b.Pos)
	})
	slices.Sort(rep.Errors)
	rep.Wall = time.Since(start)
	return rep, nil
}

// writeHeapProfile writes the live heap, after a collection, to name.
func writeHeapProfile(name string) error {
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	runtime.GC()
	if err := pprof.WriteHeapProfile(f); err != nil {
		f.Close() // the write's error is the one to report
		return err
	}
	return f.Close()
}

func cmpPos(a, b token.Position) int {
	if c := strings.Compare(a.Filename, b.Filename); c != 0 {
		return c
	}
	return a.Offset - b.Offset
}

// newChecker loads the packages matching patterns in dir twice: with their
// in-package tests, as failfast analyses them, and alone, which a fix in a
// non-test file must not break either (it could use a name that only a
// _test.go file declares).
func newChecker(ctx context.Context, dir string, patterns []string) (*checker, error) {
	var tg, pg *loader.Graph
	var terr, perr error
	var wg sync.WaitGroup
	wg.Go(func() { tg, terr = loader.Load(ctx, loader.Config{Dir: dir, Tests: true}, patterns...) })
	wg.Go(func() { pg, perr = loader.Load(ctx, loader.Config{Dir: dir, Tests: false}, patterns...) })
	wg.Wait()
	if err := errors.Join(terr, perr); err != nil {
		return nil, err
	}
	if tg.Mode != loader.Full {
		return nil, fmt.Errorf("%s: %s", dir, tg.Notice)
	}
	return &checker{dir: dir, graphs: []*loader.Graph{tg, pg}, pristine: map[string]*pristine{}, deps: map[string]*depsOf{}}, nil
}

// checker type-checks fixed files.
type checker struct {
	dir    string
	graphs []*loader.Graph // with tests, without

	mu       sync.Mutex
	pristine map[string]*pristine // graph index + target ID
	deps     map[string]*depsOf   // import path
}

// pristine is the error messages of a target as it is on disk.
type pristine struct {
	once sync.Once
	msgs map[string]int
	err  error
}

type depsOf struct {
	once sync.Once
	set  map[string]bool
	err  error
}

// target analyses one package and tries every fix of its findings.
func (c *checker) target(ctx context.Context, o options, rn *runner.Runner, g *loader.Graph, t *loader.Target, rep *report) {
	pkg, err := g.Check(ctx, t)
	if err != nil {
		rep.addError(fmt.Sprintf("%s: %v", t.ID, err))
		return
	}
	defer pkg.Release()
	if len(pkg.Errors) > 0 {
		rep.mu.Lock()
		rep.Unclean++
		rep.mu.Unlock()
	}
	findings, errs := rn.Run(ctx, pkg)
	for _, e := range errs {
		rep.addError(e.Error())
	}
	byFile := map[string][]runner.Finding{}
	var files []string
	for _, f := range findings {
		key := fmt.Sprintf("%s:%d:%s:%s", f.Pos.Filename, f.Pos.Offset, f.Rule, f.Message)
		rep.mu.Lock()
		dup := rep.seen[key]
		rep.seen[key] = true
		if !dup {
			rep.Findings++
			rep.rule(f.Rule).Findings++
		}
		rep.mu.Unlock()
		if dup {
			continue // a file shared by two variants
		}
		if _, ok := byFile[f.Pos.Filename]; !ok {
			files = append(files, f.Pos.Filename)
		}
		byFile[f.Pos.Filename] = append(byFile[f.Pos.Filename], f)
	}
	opts := fixes.Options{Context: ctx}
	for _, name := range files {
		for _, f := range byFile[name] {
			offered, err := fixes.For(pkg, f, opts)
			c.withheld(rep, f, err)
			for _, fix := range offered {
				problem := c.tryEdits(ctx, pkg, fix.Edits)
				rep.mu.Lock()
				s := rep.rule(f.Rule)
				switch {
				case fix.Title == fixes.IgnoreTitle(f.Rule):
					s.Ignore.add(problem != "")
				case fix.Safe:
					s.Safe.add(problem != "")
				default:
					s.Unsafe.add(problem != "")
				}
				if problem != "" {
					rep.Broken = append(rep.Broken, breakage{Pos: f.Pos, Rule: f.Rule, Title: fix.Title, Safe: fix.Safe, Problem: problem})
				}
				rep.mu.Unlock()
				if o.log != nil {
					fmt.Fprintf(o.log, "%s:%d: %s: %q: %s\n", name, f.Pos.Line, f.Rule, fix.Title, cmpOr(problem, "ok"))
				}
			}
		}
		// Fix-all on the file, as check -fix does it.
		applied, err := fixes.FixAll(pkg, byFile[name], opts)
		if err != nil {
			rep.addError(fmt.Sprintf("fix all %s: %v", name, err))
			continue
		}
		for _, e := range applied.Skipped {
			if strings.Contains(e.Error(), "panicked") {
				rep.addPanic(e.Error())
			}
		}
		if len(applied.Edits) == 0 {
			continue
		}
		problem := c.tryEdits(ctx, pkg, applied.Edits)
		rep.mu.Lock()
		rep.FixAll.add(problem != "")
		if problem != "" {
			rep.Broken = append(rep.Broken, breakage{Pos: token.Position{Filename: name, Line: 1, Column: 1}, Rule: "(fix all)",
				Title: fmt.Sprintf("fix all: %d findings", len(applied.Fixed)), Safe: true, Problem: problem})
		}
		rep.mu.Unlock()
		if o.log != nil {
			fmt.Fprintf(o.log, "%s: fix all (%d): %s\n", name, len(applied.Fixed), cmpOr(problem, "ok"))
		}
	}
}

// withheld counts the fixes failfast left out for f, by reason.
func (c *checker) withheld(rep *report, f runner.Finding, err error) {
	if err == nil {
		return
	}
	var errs []error
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		errs = j.Unwrap()
	} else {
		errs = []error{err}
	}
	rep.mu.Lock()
	defer rep.mu.Unlock()
	for _, e := range errs {
		msg := e.Error()
		if strings.Contains(msg, "quick fix panicked") {
			rep.Panics = append(rep.Panics, firstLine(msg))
		}
		if !strings.Contains(msg, "dropped:") {
			continue // no candidate (the rule has no fix for this shape)
		}
		rep.rule(f.Rule).Withheld++
		_, reason, _ := strings.Cut(firstLine(msg), "dropped: ")
		// Keep the kind of reason, not its details.
		if i := strings.Index(reason, ": "); i > 0 && strings.HasPrefix(reason, "the rewritten package") {
			reason = reason[:i]
		}
		rep.WithheldReasons[f.Rule+": "+reason]++
	}
}

func (r *report) addError(s string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.Errors = append(r.Errors, s)
}

func (r *report) addPanic(s string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.Panics = append(r.Panics, firstLine(s))
}

// tryEdits applies edits to the pristine files of pkg and returns what is
// wrong with the result ("" when nothing is).
func (c *checker) tryEdits(ctx context.Context, pkg *loader.Package, edits []fixes.Edit) string {
	byFile := map[string][]fixes.Edit{}
	for _, e := range edits {
		byFile[e.Filename] = append(byFile[e.Filename], e)
	}
	originals := map[string][]byte{}
	overrides := map[string][]byte{}
	for name, es := range byFile {
		src, err := pkg.ReadFile(name)
		if err != nil {
			return err.Error()
		}
		out, err := fixes.Apply(src, es)
		if err != nil {
			return err.Error()
		}
		originals[name], overrides[name] = src, out
	}
	return c.verify(ctx, originals, overrides)
}

// verify checks the fixed files: they parse, stay gofmt-clean, type-check
// in every variant that compiles them, and add no import cycle.
func (c *checker) verify(ctx context.Context, originals, overrides map[string][]byte) string {
	var problems []string
	for name, out := range overrides {
		src := originals[name]
		fset := token.NewFileSet()
		after, err := parser.ParseFile(fset, name, out, parser.ParseComments|parser.SkipObjectResolution)
		if err != nil {
			return "does not parse: " + firstLine(err.Error())
		}
		if formatted, err := format.Source(src); err == nil && bytes.Equal(formatted, src) {
			if formatted, err := format.Source(out); err != nil || !bytes.Equal(formatted, out) {
				problems = append(problems, "not gofmt-clean")
			}
		}
		before, err := parser.ParseFile(fset, name, src, parser.ImportsOnly)
		if err != nil {
			return "the original does not parse: " + err.Error()
		}
		had := map[string]bool{}
		for _, spec := range before.Imports {
			p, _ := strconv.Unquote(spec.Path.Value) //failfast:ignore discarded-error the parser accepted the file, so each import path is a valid string literal
			had[p] = true
		}
		for _, spec := range after.Imports {
			p, _ := strconv.Unquote(spec.Path.Value) //failfast:ignore discarded-error the parser accepted the file, so each import path is a valid string literal
			if had[p] || p == "C" {
				continue
			}
			for _, g := range c.graphs {
				for _, t := range g.TargetsFor(name) {
					deps, err := c.depsOf(ctx, p)
					if err != nil {
						problems = append(problems, fmt.Sprintf("new import %q: %v", p, err))
					} else if deps[t.PkgPath] {
						problems = append(problems, fmt.Sprintf("import cycle: the fix adds import %q to %s, which %q imports", p, t.PkgPath, p))
					}
				}
			}
		}
	}
	if len(problems) > 0 {
		return strings.Join(dedup(problems), "; ")
	}
	checked := 0
	for gi, g := range c.graphs {
		var targets []*loader.Target
		for name := range overrides {
			for _, t := range g.TargetsFor(name) {
				if !slices.Contains(targets, t) {
					targets = append(targets, t)
				}
			}
		}
		for _, t := range targets {
			checked++
			base, err := c.pristineErrors(ctx, gi, t)
			if err != nil {
				return fmt.Sprintf("check %s: %v", t.ID, err)
			}
			p, err := g.CheckWith(ctx, t, overrides)
			if err != nil {
				return fmt.Sprintf("check %s: %v", t.ID, err)
			}
			left := clone(base)
			for _, e := range p.Errors {
				m := message(e)
				if left[m] > 0 {
					left[m]--
					continue
				}
				problems = append(problems, fmt.Sprintf("%s: %s", t.ID, e.Error()))
			}
			p.Release()
		}
	}
	if checked == 0 {
		return "no package compiles the fixed file"
	}
	return strings.Join(dedup(problems), "; ")
}

func clone(m map[string]int) map[string]int {
	out := make(map[string]int, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func dedup(s []string) []string {
	slices.Sort(s)
	return slices.Compact(s)
}

// pristineErrors returns the messages of t's parse and type errors as on
// disk (the corpus need not be error-free; only new errors count).
func (c *checker) pristineErrors(ctx context.Context, gi int, t *loader.Target) (map[string]int, error) {
	key := strconv.Itoa(gi) + " " + t.ID
	c.mu.Lock()
	p := c.pristine[key]
	if p == nil {
		p = &pristine{}
		c.pristine[key] = p
	}
	c.mu.Unlock()
	p.once.Do(func() {
		pkg, err := c.graphs[gi].Check(ctx, t)
		if err != nil {
			p.err = err
			return
		}
		p.msgs = map[string]int{}
		for _, e := range pkg.Errors {
			p.msgs[message(e)]++
		}
		pkg.Release()
	})
	return p.msgs, p.err
}

// message is an error's text without its position, which a fix moves.
func message(e error) string {
	var te types.Error
	var list scanner.ErrorList
	switch {
	case errors.As(e, &te):
		return te.Msg
	case errors.As(e, &list) && len(list) > 0:
		var b strings.Builder
		for _, se := range list {
			b.WriteString("syntax: " + se.Msg + "\n")
		}
		return b.String()
	}
	return e.Error()
}

// depsOf returns the packages that path imports, directly or not, as the
// go command builds them from the corpus directory.
func (c *checker) depsOf(ctx context.Context, path string) (map[string]bool, error) {
	c.mu.Lock()
	d := c.deps[path]
	if d == nil {
		d = &depsOf{}
		c.deps[path] = d
	}
	c.mu.Unlock()
	d.once.Do(func() {
		cmd := exec.CommandContext(ctx, "go", "list", "-deps", "-f", "{{.ImportPath}}", path)
		cmd.Dir = c.dir
		cmd.Env = append(os.Environ(), "GOTOOLCHAIN=local", "GOFLAGS=-mod=readonly")
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			d.err = fmt.Errorf("go list -deps %s: %w: %s", path, err, strings.TrimSpace(stderr.String()))
			return
		}
		d.set = map[string]bool{}
		for _, l := range strings.Fields(string(out)) {
			// The standard library's vendored packages are listed as
			// vendor/...; a package imports them by their plain path.
			d.set[strings.TrimPrefix(l, "vendor/")] = true
		}
	})
	return d.set, d.err
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return s
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// write prints the report: a Markdown table, then every breakage.
func (r *report) write(w io.Writer) {
	mode := "tests included"
	if !r.Tests {
		mode = "tests excluded"
	}
	if r.Wide {
		mode += ", -wide provenance"
	}
	fmt.Fprintf(w, "corpus %s (%s): %d packages (%d with type errors as they are), %d findings, wall %.1f s\n\n",
		r.Dir, mode, r.Packages, r.Unclean, r.Findings, r.Wall.Seconds())
	fmt.Fprintln(w, "| rule | findings | safe fixes tried | broke | unsafe fixes tried | broke | ignore tried | broke | withheld by failfast |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---:|---:|---:|---:|---:|")
	ids := make([]string, 0, len(r.Rules))
	for id := range r.Rules {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	var tot ruleStats
	for _, id := range ids {
		s := r.Rules[id]
		fmt.Fprintf(w, "| %s | %d | %d | %d | %d | %d | %d | %d | %d |\n", id, s.Findings, s.Safe.Tried, s.Safe.Broke,
			s.Unsafe.Tried, s.Unsafe.Broke, s.Ignore.Tried, s.Ignore.Broke, s.Withheld)
		tot.Findings += s.Findings
		tot.Safe.Tried += s.Safe.Tried
		tot.Safe.Broke += s.Safe.Broke
		tot.Unsafe.Tried += s.Unsafe.Tried
		tot.Unsafe.Broke += s.Unsafe.Broke
		tot.Ignore.Tried += s.Ignore.Tried
		tot.Ignore.Broke += s.Ignore.Broke
		tot.Withheld += s.Withheld
	}
	fmt.Fprintf(w, "| fix all (per file) | — | %d | %d | — | — | — | — | — |\n", r.FixAll.Tried, r.FixAll.Broke)
	tried := tot.Safe.Tried + tot.Unsafe.Tried + tot.Ignore.Tried + r.FixAll.Tried
	broke := tot.Safe.Broke + tot.Unsafe.Broke + tot.Ignore.Broke + r.FixAll.Broke
	fmt.Fprintf(w, "| **all** (fix all apart) | %d | %d | %d | %d | %d | %d | %d | %d |\n\n", tot.Findings, tot.Safe.Tried,
		tot.Safe.Broke, tot.Unsafe.Tried, tot.Unsafe.Broke, tot.Ignore.Tried, tot.Ignore.Broke, tot.Withheld)
	fmt.Fprintf(w, "fixes tried: %d   broke: %d   panics caught: %d   analysis errors: %d\n", tried, broke, len(r.Panics), len(r.Errors))
	if len(r.WithheldReasons) > 0 {
		fmt.Fprintln(w, "\nwithheld by failfast's own verification (not offered), by reason:")
		keys := make([]string, 0, len(r.WithheldReasons))
		for k := range r.WithheldReasons {
			keys = append(keys, k)
		}
		slices.SortFunc(keys, func(a, b string) int {
			if d := r.WithheldReasons[b] - r.WithheldReasons[a]; d != 0 {
				return d
			}
			return strings.Compare(a, b)
		})
		for _, k := range keys {
			fmt.Fprintf(w, "  %4d  %s\n", r.WithheldReasons[k], k)
		}
	}
	if len(r.Broken) > 0 {
		fmt.Fprintln(w, "\nbroken:")
		for _, b := range r.Broken {
			kind := "unsafe"
			if b.Safe {
				kind = "safe"
			}
			fmt.Fprintf(w, "%s:%d:%d: %s: %q (%s): %s\n", rel(b.Pos.Filename, r.Dir), b.Pos.Line, b.Pos.Column, b.Rule, b.Title, kind, b.Problem)
		}
	}
	for _, p := range r.Panics {
		fmt.Fprintf(w, "panic: %s\n", p)
	}
	for _, e := range r.Errors {
		fmt.Fprintf(w, "error: %s\n", e)
	}
}

func rel(path, dir string) string {
	if r, err := filepath.Rel(dir, path); err == nil && !strings.HasPrefix(r, "..") {
		return r
	}
	return path
}
