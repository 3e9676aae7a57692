// Package swallowedrecover implements the swallowed-recover rule: recover() whose panic value is dropped.
package swallowedrecover

import "github.com/failfast-dev/failfast/rules/spec"

// ID is the rule's stable public name.
const ID = "swallowed-recover"

const summary = "recover() whose panic value is dropped"

// Rule describes the rule for the registry.
var Rule = &spec.Rule{
	ID:       ID,
	Severity: spec.Error,
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
