// Package runner runs failfast's rule analyzers over one type-checked
// package and turns their diagnostics into findings: rule ID, severity from
// the settings, message, and positions in the real (unadjusted) files. It is
// a small go/analysis driver shared by the command line and the language
// server. A rule that panics does not stop the others: its panic becomes an
// error carrying the stack.
package runner

import (
	"context"
	"fmt"
	"go/token"
	"go/types"
	"reflect"
	"runtime/debug"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/failfast-dev/failfast/config"
	"github.com/failfast-dev/failfast/loader"
	"github.com/failfast-dev/failfast/rules"
	"github.com/failfast-dev/failfast/rules/spec"
)

// Finding is one reported silent-failure risk.
type Finding struct {
	Rule     string
	Severity spec.Severity
	Message  string
	Pos, End token.Position
	Related  []Related
}

// Related points at a place that explains a finding, such as where the
// unchecked value is later used.
type Related struct {
	Pos, End token.Position
	Message  string
}

// Runner holds the analyzers of the enabled rules, built for one
// configuration. It is safe for concurrent use.
type Runner struct {
	cfg      *config.Config
	roots    []*analysis.Analyzer
	ruleOf   map[*analysis.Analyzer]string
	severity map[string]spec.Severity
	facts    *Facts                  // what the rules exported about the packages run so far
	settle   map[string]spec.Settler // the rules that decide some findings over the workspace
}

// New builds a runner for the given rules (all rules when nil), dropping
// those the settings turn off.
func New(cfg *config.Config, selected []*spec.Rule) (*Runner, error) {
	on, err := enable(cfg, selected)
	if err != nil {
		return nil, err
	}
	r := &Runner{cfg: cfg, ruleOf: map[*analysis.Analyzer]string{}, severity: map[string]spec.Severity{}, facts: newFacts(), settle: map[string]spec.Settler{}}
	for _, e := range on {
		r.roots = append(r.roots, e.analyzer)
		r.ruleOf[e.analyzer] = e.rule.ID
		r.severity[e.rule.ID] = e.severity
		if e.rule.Settle != nil {
			r.settle[e.rule.ID] = e.rule.Settle
		}
	}
	r.roots = append(r.roots, rules.DirectiveAnalyzer)
	r.ruleOf[rules.DirectiveAnalyzer] = rules.DirectiveID
	r.severity[rules.DirectiveID] = spec.Warning
	if err := analysis.Validate(r.roots); err != nil {
		return nil, fmt.Errorf("rule analyzers: %w", err)
	}
	return r, nil
}

// Rules returns the IDs of the enabled rules.
func (r *Runner) Rules() []string {
	var ids []string
	for _, a := range r.roots {
		if id := r.ruleOf[a]; id != rules.DirectiveID {
			ids = append(ids, id)
		}
	}
	return ids
}

// Summarised reports whether the runner holds the facts of a complete
// analysis of the package with the given path: until it does, a partial
// view of that package (Package.Partial) misses what the rules learn from
// the bodies it leaves out.
func (r *Runner) Summarised(pkgPath string) bool { return r.facts.has(pkgPath) }

// FactsGeneration changes whenever the facts the runner holds about one
// of the packages with the given paths change (a complete analysis of it
// kept its facts): findings computed from those facts at one generation
// may differ at another, with the same source.
func (r *Runner) FactsGeneration(paths []string) uint64 {
	r.facts.mu.Lock()
	defer r.facts.mu.Unlock()
	var sum uint64
	for _, p := range paths {
		sum += r.facts.generation[p]
	}
	return sum
}

// Run analyses pkg. Its rules import the facts the runner holds about
// pkg's imports (see Facts: run packages in dependency order), and the
// facts they export about pkg are kept for the packages analysed after it,
// unless pkg is a partial view of its package (Package.Partial), whose
// facts would be incomplete. Errors are rule failures (a panic, an analyzer
// error); the findings of the rules that worked are returned with them.
func (r *Runner) Run(ctx context.Context, pkg *loader.Package) ([]Finding, []error) {
	local := &pkgFacts{objects: map[objectFact]analysis.Fact{}, pkg: map[reflect.Type]analysis.Fact{}}
	var typeErrs []types.Error
	for _, e := range pkg.Errors {
		if te, ok := e.(types.Error); ok {
			typeErrs = append(typeErrs, te)
		}
	}
	type result struct {
		value any
		err   error
	}
	results := map[*analysis.Analyzer]*result{}
	var findings []Finding
	var errs []error
	var exec func(a *analysis.Analyzer) *result
	exec = func(a *analysis.Analyzer) *result {
		if res, ok := results[a]; ok {
			return res
		}
		res := &result{}
		results[a] = res
		if err := ctx.Err(); err != nil {
			res.err = err
			return res
		}
		deps := map[*analysis.Analyzer]any{}
		for _, req := range a.Requires {
			dep := exec(req)
			if dep.err != nil {
				res.err = fmt.Errorf("%s needs %s: %w", a.Name, req.Name, dep.err)
				return res
			}
			deps[req] = dep.value
		}
		var module *analysis.Module
		if pkg.ModulePath != "" {
			module = &analysis.Module{Path: pkg.ModulePath, Version: pkg.ModuleVersion, GoVersion: strings.TrimPrefix(pkg.GoVersion, "go")}
		}
		pass := &analysis.Pass{
			Module:     module,
			Analyzer:   a,
			Fset:       pkg.Fset,
			Files:      pkg.Syntax,
			Pkg:        pkg.Types,
			TypesInfo:  pkg.TypesInfo,
			TypesSizes: pkg.Sizes,
			TypeErrors: typeErrs,
			ResultOf:   deps,
			ReadFile:   pkg.ReadFile,
			Report:     func(d analysis.Diagnostic) { findings = append(findings, r.finding(pkg.Fset, a, d)) },
		}
		r.facts.passFacts(pass, local, pkg.Partial)
		res.value, res.err = runSafely(pass, pkg.ID)
		return res
	}
	for _, a := range r.roots {
		if res := exec(a); res.err != nil {
			errs = append(errs, fmt.Errorf("rule %s on %s: %w", r.ruleOf[a], pkg.ID, res.err))
		}
	}
	if pkg.Types != nil && !pkg.Partial {
		if err := r.facts.keep(pkg.Types, local); err != nil {
			errs = append(errs, fmt.Errorf("facts of %s: %w", pkg.ID, err))
		}
	}
	findings = slices.DeleteFunc(findings, func(f Finding) bool { return r.cfg.Excluded(f.Pos.Filename) })
	return findings, errs
}

// Settle applies to findings, those of every package run so far, the
// verdicts of the rules that decide some of their findings over the whole
// workspace (spec.Rule.Settle), from the package facts their analyzers
// exported in all those packages: a finding the importers show wrong is
// dropped, and places in them that explain one are added to it. Call it
// once, when every package of the workspace has been run.
func (r *Runner) Settle(findings []Finding) []Finding {
	verdicts := map[string]map[string]spec.Verdict{} // rule → finding position → verdict
	for _, a := range r.roots {
		if settle := r.settle[r.ruleOf[a]]; settle != nil {
			verdicts[r.ruleOf[a]] = settle(r.facts.packageFacts(a.FactTypes))
		}
	}
	if len(verdicts) == 0 {
		return findings
	}
	out := findings[:0:0]
	for _, f := range findings {
		v, ok := verdicts[f.Rule][spec.PositionKey(f.Pos.Filename, f.Pos.Line, f.Pos.Column)]
		if ok && v.Drop {
			continue
		}
		for _, p := range v.Related {
			f.Related = append(f.Related, Related{
				Pos:     token.Position{Filename: p.Filename, Line: p.Line, Column: p.Column},
				End:     token.Position{Filename: p.Filename, Line: p.EndLine, Column: p.EndColumn},
				Message: p.Message,
			})
		}
		out = append(out, f)
	}
	return out
}

// runSafely runs the pass's analyzer, turning a panic into an error that
// carries the stack: a broken rule must not take the others down, nor be
// hidden.
func runSafely(pass *analysis.Pass, pkgID string) (value any, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic analysing %s: %v\n%s", pkgID, p, debug.Stack())
		}
	}()
	return pass.Analyzer.Run(pass)
}

func (r *Runner) finding(fset *token.FileSet, a *analysis.Analyzer, d analysis.Diagnostic) Finding {
	id := d.Category
	if id == "" || !strings.Contains(id, "-") {
		id = r.ruleOf[a]
	}
	f := Finding{Rule: id, Severity: r.severity[id], Message: d.Message}
	if f.Severity == "" {
		f.Severity = spec.Warning
	}
	f.Pos, f.End = span(fset, d.Pos, d.End)
	for _, rel := range d.Related {
		p, e := span(fset, rel.Pos, rel.End)
		f.Related = append(f.Related, Related{Pos: p, End: e, Message: rel.Message})
	}
	return f
}

// span converts a range to positions in the files as written (ignoring
// //line directives, which an editor cannot follow).
func span(fset *token.FileSet, pos, end token.Pos) (token.Position, token.Position) {
	p := fset.PositionFor(pos, false)
	if !end.IsValid() || end < pos {
		return p, p
	}
	return p, fset.PositionFor(end, false)
}
