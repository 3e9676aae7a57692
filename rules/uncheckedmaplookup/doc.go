// Package uncheckedmaplookup implements the unchecked-map-lookup rule: map lookup whose result is used as if the key were present.
package uncheckedmaplookup

import "github.com/failfast-dev/failfast/rules/spec"

// ID is the rule's stable public name.
const ID = "unchecked-map-lookup"

const summary = "map lookup whose result is used as if the key were present"

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
