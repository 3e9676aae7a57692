// Package uncheckedtypeassertion implements the unchecked-type-assertion rule: single-value type assertion on a value whose dynamic type is decided outside this code.
package uncheckedtypeassertion

import "github.com/failfast-dev/failfast/rules/spec"

// ID is the rule's stable public name.
const ID = "unchecked-type-assertion"

const summary = "single-value type assertion on a value whose dynamic type is decided outside this code"

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
