// Package usebeforecheck implements the use-before-check rule: result of a call used before its error is checked.
package usebeforecheck

import "github.com/failfast-dev/failfast/rules/spec"

// ID is the rule's stable public name.
const ID = "use-before-check"

const summary = "result of a call used before its error is checked"

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
