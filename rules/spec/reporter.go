package spec

import (
	"fmt"
	"go/ast"
	"go/token"
	"iter"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/failfast-dev/failfast/rules/directive"
)

// Requires is what every rule analyzer lists in its Requires field.
var Requires = []*analysis.Analyzer{inspect.Analyzer, directive.Analyzer}

// Reporter reports one rule's findings in one pass. It drops findings that a
// directive suppresses, and skips test and generated files unless the
// options ask for them.
type Reporter struct {
	pass    *analysis.Pass
	id      string
	names   []string // what a directive may call the rule: its ID and its Nolint names
	opts    *Options
	index   *directive.Index
	inspect *inspector.Inspector
}

// NewReporter returns the reporter of rule id for pass; nolint are the other
// linters' names that a //nolint directive may silence the rule by (the
// rule's Rule.Nolint). The analyzer must list Requires among its
// requirements.
func NewReporter(pass *analysis.Pass, id string, opts *Options, nolint ...string) (*Reporter, error) {
	index, ok := pass.ResultOf[directive.Analyzer].(*directive.Index)
	if !ok {
		return nil, fmt.Errorf("rule %s: analyzer does not require the directive analyzer", id)
	}
	in, ok := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	if !ok {
		return nil, fmt.Errorf("rule %s: analyzer does not require the inspect analyzer", id)
	}
	if opts == nil {
		opts = DefaultOptions()
	}
	names := append([]string{id}, nolint...)
	return &Reporter{pass: pass, id: id, names: names, opts: opts, index: index, inspect: in}, nil
}

// Options returns the options the rule runs with.
func (r *Reporter) Options() *Options { return r.opts }

// Files yields a cursor for each file the rule should analyse.
func (r *Reporter) Files() iter.Seq[inspector.Cursor] {
	return func(yield func(inspector.Cursor) bool) {
		for c := range r.inspect.Root().Children() {
			f, ok := c.Node().(*ast.File)
			if !ok || r.skip(r.pass.Fset.File(f.FileStart)) {
				continue
			}
			if !yield(c) {
				return
			}
		}
	}
}

func (r *Reporter) skip(tf *token.File) bool {
	if tf == nil {
		return true
	}
	return (!r.opts.TestFiles && r.index.IsTest(tf)) || (!r.opts.Generated && r.index.IsGenerated(tf))
}

// Report reports d as a finding of the rule unless it is suppressed or falls
// in a file the rule skips.
func (r *Reporter) Report(d analysis.Diagnostic) {
	if r.skip(r.pass.Fset.File(d.Pos)) || r.index.Suppressed(r.pass.Fset, d.Pos, r.names...) ||
		(!r.opts.TestFiles && r.index.InTestHelper(r.pass.Fset, d.Pos)) {
		return
	}
	d.Category = r.id
	r.pass.Report(d)
}

// Reportf reports a finding spanning node.
func (r *Reporter) Reportf(node ast.Node, format string, args ...any) {
	r.Report(analysis.Diagnostic{Pos: node.Pos(), End: node.End(), Message: fmt.Sprintf(format, args...)})
}

// NewAnalyzer builds the analyzer of rule id with the given options: it
// requires Requires, makes a Reporter for each pass and hands it to run.
// nolint is the rule's Rule.Nolint.
func NewAnalyzer(id, doc string, o *Options, run func(*analysis.Pass, *Reporter), nolint ...string) *analysis.Analyzer {
	return &analysis.Analyzer{
		Name:     AnalyzerName(id),
		Doc:      doc,
		URL:      DocURL(id),
		Requires: Requires,
		Run: func(pass *analysis.Pass) (any, error) {
			r, err := NewReporter(pass, id, o, nolint...)
			if err != nil {
				return nil, err
			}
			run(pass, r)
			return nil, nil
		},
	}
}
