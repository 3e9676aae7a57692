// Package rules is the registry of failfast's rules: the one place the
// command line, the language server and the documentation read rule IDs,
// severities, summaries and documentation from.
package rules

import (
	"fmt"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/failfast-dev/failfast/rules/directive"
	"github.com/failfast-dev/failfast/rules/discardederror"
	"github.com/failfast-dev/failfast/rules/nilnilreturn"
	"github.com/failfast-dev/failfast/rules/silentdefault"
	"github.com/failfast-dev/failfast/rules/spec"
	"github.com/failfast-dev/failfast/rules/swallowederror"
	"github.com/failfast-dev/failfast/rules/swallowedrecover"
	"github.com/failfast-dev/failfast/rules/uncheckedindex"
	"github.com/failfast-dev/failfast/rules/uncheckedmaplookup"
	"github.com/failfast-dev/failfast/rules/uncheckednilresult"
	"github.com/failfast-dev/failfast/rules/uncheckedtypeassertion"
	"github.com/failfast-dev/failfast/rules/unwrappederror"
	"github.com/failfast-dev/failfast/rules/usebeforecheck"
)

// all lists the rules in the order they are documented.
var all = []*spec.Rule{
	uncheckedtypeassertion.Rule,
	uncheckedmaplookup.Rule,
	uncheckedindex.Rule,
	swallowedrecover.Rule,
	discardederror.Rule,
	swallowederror.Rule,
	silentdefault.Rule,
	nilnilreturn.Rule,
	uncheckednilresult.Rule,
	usebeforecheck.Rule,
	unwrappederror.Rule,
}

// All returns every rule, in documentation order.
func All() []*spec.Rule { return slices.Clone(all) }

// Lookup returns the rule with the given ID.
func Lookup(id string) (*spec.Rule, bool) {
	for _, r := range all {
		if r.ID == id {
			return r, true
		}
	}
	return nil, false
}

// IDs returns the IDs of every rule.
func IDs() []string {
	ids := make([]string, len(all))
	for i, r := range all {
		ids[i] = r.ID
	}
	return ids
}

// Select parses a comma-separated list of rule IDs, naming the first unknown
// one in the error.
func Select(list string) ([]*spec.Rule, error) {
	var out []*spec.Rule
	for _, id := range strings.Split(list, ",") {
		id = strings.TrimSpace(id)
		if id == "" {
			continue
		}
		r, ok := Lookup(id)
		if !ok {
			return nil, fmt.Errorf("unknown rule %q (known: %s)", id, strings.Join(IDs(), ", "))
		}
		out = append(out, r)
	}
	return out, nil
}

// DirectiveID is the rule ID under which malformed suppression directives
// are reported. It is not a rule: it cannot be disabled or suppressed.
const DirectiveID = "invalid-directive"

// DirectiveAnalyzer reports failfast:ignore directives that name no rule or
// an unknown rule, or give no reason.
var DirectiveAnalyzer = &analysis.Analyzer{
	Name:     "failfast_invalid_directive",
	Doc:      "reports malformed //failfast:ignore directives",
	Requires: []*analysis.Analyzer{directive.Analyzer},
	Run:      checkDirectives,
}

func checkDirectives(pass *analysis.Pass) (any, error) {
	index, ok := pass.ResultOf[directive.Analyzer].(*directive.Index)
	if !ok {
		return nil, fmt.Errorf("directive analyzer gave no index")
	}
	for _, ig := range index.Ignores {
		report := func(format string, args ...any) {
			pass.Report(analysis.Diagnostic{Pos: ig.Pos, End: ig.End, Category: DirectiveID,
				Message: fmt.Sprintf(format, args...)})
		}
		if len(ig.Rules) == 0 {
			report("failfast:ignore names no rule; write //failfast:ignore RULE reason")
			continue
		}
		for _, id := range ig.Rules {
			if _, ok := Lookup(id); !ok {
				report("failfast:ignore names unknown rule %q; `failfast rules` lists them", id)
			}
		}
		if ig.Reason == "" {
			report("failfast:ignore %s gives no reason; say why the finding is wrong here", strings.Join(ig.Rules, ","))
		}
	}
	return nil, nil
}
