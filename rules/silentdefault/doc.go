// Package silentdefault implements the silent-default rule: fallback value chosen for bad or missing input without a log.
package silentdefault

import "github.com/failfast-dev/failfast/rules/spec"

// ID is the rule's stable public name.
const ID = "silent-default"

const summary = "fallback value chosen for bad or missing input without a log"

// Rule describes the rule for the registry.
var Rule = &spec.Rule{
	ID:       ID,
	Severity: spec.Info,
	Summary:  summary,
	New:      New,
	Doc: spec.Doc{
		What:       "TODO",
		Why:        "TODO",
		Bad:        "TODO",
		Good:       "TODO",
		Exceptions: "TODO",
	},
}
