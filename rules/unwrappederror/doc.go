// Package unwrappederror implements the unwrapped-error rule: error's cause dropped instead of wrapped with %w.
package unwrappederror

import "github.com/failfast-dev/failfast/rules/spec"

// ID is the rule's stable public name.
const ID = "unwrapped-error"

const summary = "error's cause dropped instead of wrapped with %w"

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
