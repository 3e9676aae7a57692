package uncheckedtypeassertion

import (
	"golang.org/x/tools/go/analysis"

	"github.com/failfast-dev/failfast/rules/spec"
)

// Analyzer is the rule's analyzer with the default options.
var Analyzer = New(spec.DefaultOptions())

// New returns the rule's analyzer for the given options.
func New(o *spec.Options) *analysis.Analyzer {
	return &analysis.Analyzer{
		Name:     spec.AnalyzerName(ID),
		Doc:      summary,
		URL:      spec.DocURL(ID),
		Requires: spec.Requires,
		Run: func(pass *analysis.Pass) (any, error) {
			r, err := spec.NewReporter(pass, ID, o)
			if err != nil {
				return nil, err
			}
			run(pass, r)
			return nil, nil
		},
	}
}

func run(pass *analysis.Pass, r *spec.Reporter) {
	_ = pass
	_ = r
}
