// Package discardederror implements the discarded-error rule: error result dropped.
package discardederror

import "github.com/failfast-dev/failfast/rules/spec"

// ID is the rule's stable public name.
const ID = "discarded-error"

const summary = "error result dropped"

// Rule describes the rule for the registry.
var Rule = &spec.Rule{
	ID:       ID,
	Severity: spec.Warning,
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
