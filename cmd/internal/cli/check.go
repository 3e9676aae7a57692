package cli

import (
	"context"
	"errors"
	"fmt"
	"go/scanner"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"strings"
	"sync"

	"github.com/failfast-dev/failfast/config"
	"github.com/failfast-dev/failfast/fixes"
	"github.com/failfast-dev/failfast/loader"
	"github.com/failfast-dev/failfast/rules"
	"github.com/failfast-dev/failfast/rules/spec"
	"github.com/failfast-dev/failfast/runner"
)

const checkDoc = `Check loads the named packages (as for go vet; default ./...; a .go file
names the package in its directory) with their tests, runs the rules, and
prints one line per finding:

  path/file.go:LINE:COL: message (rule)

With -json (-format json), one JSON object instead; with -format sarif, a
SARIF 2.1.0 log (for GitHub code scanning) whose results carry their safe
quick fixes.

With -fix, the safe quick fixes are applied (each file replaced atomically,
only after every package was analysed) and the findings left are printed;
with -diff, the same fixes are printed as a unified diff and nothing changes.

Settings come from the nearest .failfast.yaml at or above the current
directory; one with errors is reported and the defaults apply instead
(exit status 2), except with -fix or -diff, which then do nothing. Findings in _test.go and generated files are not reported unless
-tests, -include-generated or the settings ask for them.
Exit status: 0 nothing found, 1 something found, 2 the run failed (packages
that could not be loaded are named on stderr; the rest is still analysed).`

type checkFlags struct {
	json, includeGenerated, tests bool
	fix, diff                     bool
	rules, disable                string
	format                        outputFormat
	// offerFixes computes each finding's safe quick fixes, each on its
	// own (checkResult.offered): SARIF prints them, the MCP server names
	// them. It is set by -format sarif, not a flag of its own.
	offerFixes bool
}

func runCheck(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("check", "failfast check [flags] [packages]", checkDoc, stderr)
	var f checkFlags
	fs.BoolVar(&f.json, "json", false, `print one JSON object {"findings": [...]}`)
	f.format = formatText
	fs.Var(&f.format, "format", "output `format`: text, json (as -json) or sarif (SARIF 2.1.0, with the safe quick fixes)")
	fs.StringVar(&f.rules, "rules", "", "comma-separated rules to run (default: all that the settings enable)")
	fs.StringVar(&f.disable, "disable", "", "comma-separated rules not to run")
	fs.BoolVar(&f.includeGenerated, "include-generated", false, "also report in generated files")
	fs.BoolVar(&f.tests, "tests", false, "also report in _test.go files")
	fs.BoolVar(&f.fix, "fix", false, "apply the safe quick fixes to the files (atomically); print what remains")
	fs.BoolVar(&f.diff, "diff", false, "print the safe quick fixes as a unified diff instead of findings; change nothing")
	dir := fs.String("C", "", "change to `dir` before doing anything (as go -C)")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the run to `file` (for go tool pprof)")
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	if err := resolveFormat(fs, &f); err != nil {
		fmt.Fprintf(stderr, "failfast check: %v\nRun 'failfast check -h' for the flags.\n", err)
		return exitFailed
	}
	if *cpuProfile != "" {
		stopProfile, err := startCPUProfile(*cpuProfile)
		if err != nil {
			fmt.Fprintf(stderr, "failfast check: -cpuprofile: %v\n", err)
			return exitFailed
		}
		defer func() {
			if err := stopProfile(); err != nil {
				fmt.Fprintf(stderr, "failfast check: -cpuprofile: %v\n", err)
			}
		}()
	}
	if *dir != "" {
		if err := os.Chdir(*dir); err != nil {
			fmt.Fprintf(stderr, "failfast check: -C: %v\n", err)
			return exitFailed
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	patterns, err := packagePatterns(fs.Args())
	if err != nil {
		fmt.Fprintf(stderr, "failfast check: %v\n", err)
		return exitFailed
	}
	res, err := check(ctx, f, patterns, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "failfast check: %v\n", err)
		return exitFailed
	}
	cwd, err := os.Getwd()
	if err != nil {
		fmt.Fprintf(stderr, "failfast check: %v\n", err)
		return exitFailed
	}
	if f.fix || f.diff {
		if err := applyFixes(f, res, cwd, stdout, stderr); err != nil {
			fmt.Fprintf(stderr, "failfast check: %v\n", err)
			return exitFailed
		}
	}
	if f.fix && len(res.fixed) > 0 {
		// Report what is left from the fixed files themselves, so that
		// positions refer to the code as it now is.
		again := f
		again.fix = false
		after, err := check(ctx, again, patterns, io.Discard)
		if err != nil {
			fmt.Fprintf(stderr, "failfast check: after fixing: %v\n", err)
			return exitFailed
		}
		res.findings, res.failed = after.findings, res.failed || after.failed
		res.offered, res.fixNotes = after.offered, after.fixNotes
	}
	if f.diff {
		// The diff is the output.
	} else if f.format == formatJSON {
		if code := writeJSON(stdout, stderr, jsonReport(res, cwd)); code != exitClean {
			return code
		}
	} else if f.format == formatSARIF {
		if code := writeSARIF(stdout, stderr, res, cwd); code != exitClean {
			return code
		}
	} else if err := writeText(stdout, res.findings, cwd); err != nil {
		fmt.Fprintf(stderr, "failfast check: write: %v\n", err)
		return exitFailed
	}
	switch {
	case res.failed:
		return exitFailed
	case len(res.findings) > 0:
		return exitFindings
	}
	return exitClean
}

type checkResult struct {
	findings []runner.Finding
	notice   string
	failed   bool // some package or rule could not be analysed
	// fixed maps a file to its content with the safe fixes applied
	// (with -fix or -diff); fixedFindings are the findings they resolve.
	fixed         map[string]fixedFile
	fixedFindings []runner.Finding
	// offered are the safe fixes of each finding, each computed on its
	// own (-format sarif); fixNotes say why some rule fixes were left out.
	offered  map[findingKey][]fixes.Fix
	fixNotes []error
}

type fixedFile struct{ old, new []byte }

// check loads the packages and analyses them, a few at a time, so that only
// a handful of packages' syntax and types are in memory at once.
func check(ctx context.Context, f checkFlags, patterns []string, stderr io.Writer) (*checkResult, error) {
	cfg, err := loadSettings(f)
	badSettings := err != nil
	if badSettings {
		if f.fix || f.diff {
			// The broken file may exclude paths or turn rules off:
			// fixing by the defaults could rewrite what it protects.
			return nil, err
		}
		// Analyse by the defaults rather than not at all, as the
		// language server does, and exit with status 2.
		fmt.Fprintf(stderr, "failfast: %v (ignored: the default settings apply)\n", err)
		cfg = &config.Config{Rules: map[string]string{}, Generated: f.includeGenerated, Tests: f.tests}
	}
	selected, err := selectRules(f)
	if err != nil {
		return nil, err
	}
	run, err := runner.New(cfg, selected)
	if err != nil {
		return nil, err
	}
	g, err := loader.Load(ctx, loader.Config{Dir: ".", Tests: true}, patterns...)
	if err != nil {
		return nil, err
	}
	res := &checkResult{notice: g.Notice, failed: badSettings}
	if g.Notice != "" {
		fmt.Fprintf(stderr, "failfast: %s\n", g.Notice)
	}
	for _, e := range g.Errors {
		fmt.Fprintf(stderr, "failfast: %v\n", e)
		res.failed = true
	}
	listed := fmt.Sprint(g.Errors) // what the go command already said
	progress := newProgress(stderr, len(g.Roots))
	var mu sync.Mutex
	inDependencyOrder(g.Roots, runtime.GOMAXPROCS(0), func(t *loader.Target) {
		findings, fixed, errs := checkOne(ctx, g, run, t, f.fix || f.diff, f.offerFixes, listed)
		mu.Lock()
		defer mu.Unlock()
		res.findings = append(res.findings, findings...)
		res.addFixes(fixed)
		for _, e := range errs {
			fmt.Fprintf(stderr, "failfast: %v\n", e)
			res.failed = true
		}
		progress.step()
	})
	progress.done()
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("interrupted: %w", err)
	}
	// Findings that depend on the packages importing their own (the
	// callers of an exported function) are settled now that all are done.
	res.findings = sortFindings(run.Settle(res.findings))
	return res, nil
}

// startCPUProfile starts writing a CPU profile to name; the function it
// returns stops it and closes the file.
func startCPUProfile(name string) (func() error, error) {
	f, err := os.Create(name)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("starting the profile: %w", err)
	}
	return func() error {
		pprof.StopCPUProfile()
		if err := f.Close(); err != nil {
			return fmt.Errorf("writing %s: %w", name, err)
		}
		return nil
	}, nil
}

// inDependencyOrder calls do for every target, from up to n goroutines at
// once, each target only after its Deps are done: then its rules see the
// facts their rules exported about the packages it imports.
func inDependencyOrder(targets []*loader.Target, n int, do func(*loader.Target)) {
	waiting := map[*loader.Target]int{}                 // unfinished deps
	dependents := map[*loader.Target][]*loader.Target{} // who waits for whom
	for _, t := range targets {
		waiting[t] += 0
		for _, d := range t.Deps() {
			waiting[t]++
			dependents[d] = append(dependents[d], t)
		}
	}
	ready := make(chan *loader.Target, len(targets))
	for _, t := range targets {
		if waiting[t] == 0 {
			ready <- t
		}
	}
	var mu sync.Mutex // guards waiting and left
	left := len(targets)
	if left == 0 {
		close(ready)
	}
	var wg sync.WaitGroup
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for t := range ready {
				do(t)
				mu.Lock()
				for _, next := range dependents[t] {
					if waiting[next]--; waiting[next] == 0 {
						ready <- next
					}
				}
				if left--; left == 0 {
					close(ready)
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
}

// packageFixes are the safe fixes of one package: applied together
// (files, resolved; -fix, -diff) or offered one by one (offered, notes).
type packageFixes struct {
	files    map[string]fixedFile
	resolved []runner.Finding
	offered  map[findingKey][]fixes.Fix
	notes    []error
}

func checkOne(ctx context.Context, g *loader.Graph, run *runner.Runner, t *loader.Target, fix, offer bool, listed string) ([]runner.Finding, *packageFixes, []error) {
	pkg, err := g.Check(ctx, t)
	if err != nil {
		return nil, nil, []error{fmt.Errorf("%s: %w", t.ID, err)}
	}
	defer pkg.Release()
	findings, errs := run.Run(ctx, pkg)
	errs = append(errs, unparsed(pkg, listed)...)
	pf := &packageFixes{}
	if offer && len(findings) > 0 {
		pf.offered, pf.notes = offeredFixes(ctx, pkg, findings)
	}
	if !fix || len(findings) == 0 {
		return findings, pf, errs
	}
	applied, err := fixes.FixAll(pkg, findings, fixes.Options{Context: ctx})
	if err != nil {
		return findings, pf, append(errs, fmt.Errorf("fix %s: %w", t.ID, err))
	}
	contents, err := applied.Contents(pkg)
	if err != nil {
		return findings, pf, append(errs, fmt.Errorf("fix %s: %w", t.ID, err))
	}
	pf.files, pf.resolved = map[string]fixedFile{}, applied.Fixed
	for name, content := range contents {
		old, err := pkg.ReadFile(name)
		if err != nil {
			return findings, pf, append(errs, fmt.Errorf("fix %s: %w", t.ID, err))
		}
		pf.files[name] = fixedFile{old: old, new: content}
	}
	return findings, pf, errs
}

// unparsed names the files of pkg that did not parse as far as their
// package clause, so were not analysed at all, unless the go command
// already said why (listed): past go/parser's nesting limit, for one, the
// compiler has no complaint and the file would pass for clean.
func unparsed(pkg *loader.Package, listed string) []error {
	parsed := map[string]bool{}
	for _, f := range pkg.Syntax {
		if tf := pkg.Fset.File(f.FileStart); tf != nil && f.Name != nil && f.Name.Name != "" {
			parsed[tf.Name()] = true
		}
	}
	var out []error
	for _, name := range pkg.Files {
		if parsed[name] || strings.Contains(listed, filepath.Base(name)+":") {
			continue
		}
		why := "it does not parse"
		for _, e := range pkg.Errors {
			var el scanner.ErrorList
			if errors.As(e, &el) && len(el) > 0 && el[0].Pos.Filename == name {
				why = el[0].Error()
			}
		}
		out = append(out, fmt.Errorf("%s: not analysed: %s", name, why))
	}
	return out
}

// addFixes records a package's fixes; a file fixed by an earlier package
// (a file shared by two build variants) keeps the first fixes.
func (res *checkResult) addFixes(pf *packageFixes) {
	if pf == nil {
		return
	}
	for k, fs := range pf.offered {
		if res.offered == nil {
			res.offered = map[findingKey][]fixes.Fix{}
		}
		if _, dup := res.offered[k]; !dup {
			res.offered[k] = fs
		}
	}
	res.fixNotes = append(res.fixNotes, pf.notes...)
	if res.fixed == nil {
		res.fixed = map[string]fixedFile{}
	}
	taken := map[string]bool{}
	for name, ff := range pf.files {
		if _, dup := res.fixed[name]; dup {
			taken[name] = true
			continue
		}
		res.fixed[name] = ff
	}
	for _, f := range pf.resolved {
		if !taken[f.Pos.Filename] {
			res.fixedFindings = append(res.fixedFindings, f)
		}
	}
}

// applyFixes writes the fixed files (-fix) or prints them as a diff
// (-diff). Files are written only after every package was analysed, each
// atomically, so an interrupted run leaves every file whole.
func applyFixes(f checkFlags, res *checkResult, cwd string, stdout, stderr io.Writer) error {
	names := make([]string, 0, len(res.fixed))
	for name := range res.fixed {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		ff := res.fixed[name]
		if f.diff {
			d, err := fixes.UnifiedDiff(relPath(name, cwd), ff.old, ff.new)
			if err != nil {
				return err
			}
			if _, err := io.WriteString(stdout, d); err != nil {
				return fmt.Errorf("write diff: %w", err)
			}
			continue
		}
		if err := fixes.WriteFile(name, ff.new); err != nil {
			return err
		}
	}
	if f.fix {
		fmt.Fprintf(stderr, "failfast: fixed %d findings in %d files\n", len(res.fixedFindings), len(names))
	}
	return nil
}

func loadSettings(f checkFlags) (*config.Config, error) {
	path, err := config.Find(".")
	if err != nil {
		return nil, err
	}
	cfg := &config.Config{Rules: map[string]string{}}
	if path != "" {
		if cfg, err = config.Load(path); err != nil {
			return nil, err
		}
	}
	cfg.Generated = cfg.Generated || f.includeGenerated
	cfg.Tests = cfg.Tests || f.tests
	return cfg, nil
}

func selectRules(f checkFlags) ([]*spec.Rule, error) {
	selected := rules.All()
	if f.rules != "" {
		var err error
		if selected, err = rules.Select(f.rules); err != nil {
			return nil, fmt.Errorf("-rules: %w", err)
		}
	}
	disabled, err := rules.Select(f.disable)
	if err != nil {
		return nil, fmt.Errorf("-disable: %w", err)
	}
	return slices.DeleteFunc(selected, func(r *spec.Rule) bool { return slices.Contains(disabled, r) }), nil
}

// sortFindings orders findings by file and position and drops duplicates
// (a file analysed in two build variants).
func sortFindings(fs []runner.Finding) []runner.Finding {
	slices.SortFunc(fs, func(a, b runner.Finding) int {
		if c := strings.Compare(a.Pos.Filename, b.Pos.Filename); c != 0 {
			return c
		}
		if a.Pos.Offset != b.Pos.Offset {
			return a.Pos.Offset - b.Pos.Offset
		}
		if c := strings.Compare(a.Rule, b.Rule); c != 0 {
			return c
		}
		return strings.Compare(a.Message, b.Message)
	})
	return slices.CompactFunc(fs, func(a, b runner.Finding) bool {
		return a.Pos == b.Pos && a.Rule == b.Rule && a.Message == b.Message
	})
}

// relPath shows path relative to dir when it is below it, as go vet does.
func relPath(path, dir string) string {
	if rel, err := filepath.Rel(dir, path); err == nil && !strings.HasPrefix(rel, "..") {
		return rel
	}
	return path
}

func writeText(w io.Writer, findings []runner.Finding, cwd string) error {
	for _, f := range findings {
		if _, err := fmt.Fprintf(w, "%s:%d:%d: %s (%s)\n", relPath(f.Pos.Filename, cwd), f.Pos.Line, f.Pos.Column, f.Message, f.Rule); err != nil {
			return err
		}
	}
	return nil
}

type jsonFinding struct {
	File      string        `json:"file"`
	Line      int           `json:"line"`
	Column    int           `json:"column"`
	EndLine   int           `json:"endLine"`
	EndColumn int           `json:"endColumn"`
	Rule      string        `json:"rule"`
	Severity  string        `json:"severity"`
	Message   string        `json:"message"`
	Docs      string        `json:"docs,omitempty"`
	Related   []jsonRelated `json:"related,omitempty"`
}

type jsonRelated struct {
	File    string `json:"file"`
	Line    int    `json:"line"`
	Column  int    `json:"column"`
	Message string `json:"message"`
}

type jsonOutput struct {
	Findings []jsonFinding `json:"findings"`
	Notice   string        `json:"notice,omitempty"`
}

func jsonReport(res *checkResult, cwd string) jsonOutput {
	out := jsonOutput{Findings: []jsonFinding{}, Notice: res.notice}
	for _, f := range res.findings {
		jf := jsonFinding{
			File: relPath(f.Pos.Filename, cwd), Line: f.Pos.Line, Column: f.Pos.Column,
			EndLine: f.End.Line, EndColumn: f.End.Column,
			Rule: f.Rule, Severity: string(f.Severity), Message: f.Message,
		}
		if _, ok := rules.Lookup(f.Rule); ok {
			jf.Docs = spec.DocURL(f.Rule)
		}
		for _, r := range f.Related {
			jf.Related = append(jf.Related, jsonRelated{File: relPath(r.Pos.Filename, cwd), Line: r.Pos.Line, Column: r.Pos.Column, Message: r.Message})
		}
		out.Findings = append(out.Findings, jf)
	}
	return out
}
