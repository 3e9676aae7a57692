package runner

import (
	"fmt"

	"golang.org/x/tools/go/analysis"

	"github.com/failfast-dev/failfast/config"
	"github.com/failfast-dev/failfast/rules"
	"github.com/failfast-dev/failfast/rules/spec"
)

// enabled is one rule the settings leave on, with its analyzer.
type enabled struct {
	rule     *spec.Rule
	analyzer *analysis.Analyzer
	severity spec.Severity
}

// enable builds the analyzers of the selected rules (all when nil) that cfg
// leaves on, with the options cfg gives them.
func enable(cfg *config.Config, selected []*spec.Rule) ([]enabled, error) {
	if selected == nil {
		selected = rules.All()
	}
	opts, err := cfg.Options()
	if err != nil {
		return nil, err
	}
	var out []enabled
	for _, rule := range selected {
		sev, on := cfg.Severity(rule)
		if !on {
			continue
		}
		out = append(out, enabled{rule, rule.New(opts), sev})
	}
	return out, nil
}

// Analyzers returns the analyzers of the rules cfg enables (of selected;
// all when nil), with the directive analyzer that reports malformed
// //failfast:ignore comments, for drivers other than this package's Runner:
// go vet's unitchecker, golangci-lint's plugin, Bazel's nogo, a
// multichecker. They are plain go/analysis analyzers: their facts are
// gob-encodable and their only requirements are inspect and directive.
// Each analyzer ends its messages with the rule's ID and drops findings in
// files that cfg excludes, since those drivers know neither. What they cannot do is
// settle findings over the workspace (Runner.Settle): they see one package
// at a time.
func Analyzers(cfg *config.Config, selected []*spec.Rule) ([]*analysis.Analyzer, error) {
	on, err := enable(cfg, selected)
	if err != nil {
		return nil, err
	}
	var out []*analysis.Analyzer
	for _, e := range on {
		out = append(out, forDriver(cfg, e.analyzer, e.rule.ID))
	}
	out = append(out, forDriver(cfg, rules.DirectiveAnalyzer, rules.DirectiveID))
	if err := analysis.Validate(out); err != nil {
		return nil, fmt.Errorf("rule analyzers: %w", err)
	}
	return out, nil
}

// forDriver returns a copy of a whose diagnostics end in the rule's ID, as
// check prints them ("... (discarded-error)": the name a //nolint or
// //failfast:ignore comment takes), and drops those in files cfg excludes.
func forDriver(cfg *config.Config, a *analysis.Analyzer, id string) *analysis.Analyzer {
	wrapped := *a
	wrapped.Run = func(pass *analysis.Pass) (any, error) {
		report := pass.Report
		pass.Report = func(d analysis.Diagnostic) {
			if cfg.Excluded(pass.Fset.Position(d.Pos).Filename) {
				return
			}
			d.Message = fmt.Sprintf("%s (%s)", d.Message, id)
			report(d)
		}
		return a.Run(pass)
	}
	return &wrapped
}
