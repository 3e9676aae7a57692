// Package uncheckedindex implements the unchecked-index rule: constant index into a slice whose length depends on input.
package uncheckedindex

import "github.com/failfast-dev/failfast/rules/spec"

// ID is the rule's stable public name.
const ID = "unchecked-index"

const summary = "constant index into a slice whose length depends on input"

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
