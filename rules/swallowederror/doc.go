// Package swallowederror implements the swallowed-error rule: error branch that returns no error or falls through.
package swallowederror

import "github.com/failfast-dev/failfast/rules/spec"

// ID is the rule's stable public name.
const ID = "swallowed-error"

const summary = "error branch that returns no error or falls through"

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
