// Package nilnilreturn implements the nil-nil-return rule: return nil, nil from a function that returns a value and an error.
package nilnilreturn

import "github.com/failfast-dev/failfast/rules/spec"

// ID is the rule's stable public name.
const ID = "nil-nil-return"

const summary = "return nil, nil from a function that returns a value and an error"

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
