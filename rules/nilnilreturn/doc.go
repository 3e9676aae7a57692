// Package nilnilreturn implements the nil-nil-return rule: return nil, nil from a function that returns a value and an error.
package nilnilreturn

import "github.com/failfast-dev/failfast/rules/spec"

// ID is the rule's stable public name.
const ID = "nil-nil-return"

const summary = "undocumented return nil, nil from a function that returns a pointer, func, chan, map or interface and an error"

// nolint names the golangci-lint linter that reports the same failure:
// //nolint:nilnil silences this rule too.
var nolint = []string{"nilnil"}

// Rule describes the rule for the registry.
var Rule = &spec.Rule{
	ID:       ID,
	Severity: spec.Warning,
	HasFix:   true,
	Nolint:   nolint,
	Summary:  summary,
	New:      New,
	Settle:   settle,
	Doc: spec.Doc{
		What: "Reports `return nil, nil` in a function whose results are a value that cannot be used " +
			"when nil (a pointer to a struct or an array, a function, a channel, a map, or an interface with methods) and an error, " +
			"unless the function states that nil is an answer and no caller in view breaks that, or the " +
			"code proves the nil is handled. A nil map reads as empty, so for a map result nil, nil is the " +
			"empty answer: it is reported only when a caller in view stores into it, or when it replaces an " +
			"error the function tested (`if errors.Is(err, fs.ErrNotExist) { return nil, nil }`: the caller " +
			"cannot tell a missing file from an empty one). The finding is placed on the return statement and names the " +
			"result type; callers in the package that use the result without a nil check are shown as " +
			"related information. `return nil, describe(body)` is judged the same way when `describe` is a " +
			"function of the module whose only result is an error and that returns nil on a path no nil " +
			"check of its parameters selects (known to other packages through a go/analysis fact): " +
			"`func errorFromBody(body string) error` that gives nil when the body does not parse makes it " +
			"nil, nil; `wrap(err)`, nil only for a nil `err`, does not.",
		Why: "The error result is the caller's only signal that something went wrong. `return nil, nil` " +
			"says \"no error\" and hands over nothing: a caller that follows the usual " +
			"`v, err := f(); if err != nil { return err }` pattern goes on to dereference `v`, call it or " +
			"receive from it, and panics (or blocks) far from the function that knew what was missing: " +
			"the file that did not exist, the row that was not found, the kind that was not handled.",
		Bad: `func loadConfig(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil // the caller's cfg.Addr panics
	}
	...
}`,
		Good: `func loadConfig(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("config %s: %w", path, err)
	}
	...
}

// Or state the contract in the doc comment, and check for nil at every caller:
// loadConfig returns nil, nil when the file does not exist.`,
		Exceptions: "Not reported:\n\n" +
			"- slices (append and range work on nil) and the empty interface (`any`: nil is an ordinary " +
			"value, such as a decoded JSON null);\n" +
			"- a pointer to a number, string, bool, slice or map (`*bool`, `*string`, `*int`, `*[]T`): an optional " +
			"value, whose nil is the way to say \"not set\", not a missing object;\n" +
			"- a map result that no caller in view stores into, returned other than in the body of an if " +
			"that tests an error's identity (`errors.Is`, `errors.As`, `err == ErrX`, `os.IsNotExist`): a nil " +
			"map reads as empty, and ranging over it, reading it or `len` work;\n" +
			"- functions whose doc comment states the contract (`nil, nil`, \"returns nil\", \"or nil if\", " +
			"\"the result is nil\", \"the item returned may be nil\", \", nil when\", a sentence about what it " +
			"returns followed by \"this may be nil\", \"the returned message will be nil\", \"otherwise nil\", " +
			"\"returns an optional value\", or the result's own name: " +
			"\"then metadata will be nil\"), when no caller in the package dereferences the result " +
			"unchecked: a doc comment that only mentions nil or an absence (\"the optional file\", \"if any\") " +
			"states nothing about the result, and a caller that dereferences it shows the contract is missed " +
			"(for a map, only a store is a dereference: a nil map reads as empty, and a method of the map " +
			"type receives it as a value to hand on);\n" +
			"- functions never referenced as a value every one of whose calls in the package tests the " +
			"result for nil, drops it, or hands it on unexamined (stores it in a field or element, sends it, " +
			"returns it from a closure, passes it to a function that does not dereference it), none using " +
			"it unchecked, at least one testing it when the function is exported (callers elsewhere are not " +
			"in view, but those in view show the contract is known; callers that only drop the result show " +
			"nothing; a result handed on is used, if at all, further on, where unchecked-nil-result judges " +
			"the use). Using it unchecked is a dereference, or passing it to a parameter that a function of " +
			"the package dereferences and never compares with nil. Testing is comparing with nil, a comma-ok type assertion (a nil " +
			"interface fails it), calling a method of it that compares its receiver with nil (`if !d.Empty()` of " +
			"`func (d *Diff) Empty() bool { return d == nil || ... }`: the type's own code takes nil for \"no change\"), " +
			"or passing the result to a parameter that the callee compares with nil " +
			"(a function of the package, or of an imported one through a fact; not a nil pointer handed to " +
			"an interface parameter, which is a non-nil interface there). A call whose result is " +
			"returned as it is (`return f(x)`) counts as its own callers do: a recursive call, a result of " +
			"the empty interface, and a return from a function literal or a function handed on as a value " +
			"(whose function type's contract holds) as dropped, and a return from a function whose callers " +
			"show the contract is known as tested; callers in test files are not counted, " +
			"since a test that gets nil fails loudly;\n" +
			"- in `failfast check`, which sees the whole module: a return that leaves its package only " +
			"through exported functions (the function itself, or one that returns its result as it is), " +
			"with no caller in the package using it unchecked, when the callers in the module's other " +
			"packages test the result for nil, drop it or hand it on unexamined, at least one testing it. Each package records how its calls treat such results in a package fact, and check " +
			"settles the finding once every package is done; a caller elsewhere that dereferences the " +
			"result unchecked is added as related information. Drivers that see one package at a time " +
			"(`go vet`, golangci-lint, the language server) cannot see the importers and report it;\n" +
			"- functions handed on as values (`Fn: rcList`, `Config: Config`) that no caller in the " +
			"package uses unchecked: like a function literal, the function type's contract says what nil, " +
			"nil means, and its callers are the code that calls the value;\n" +
			"- nil in, nil out: a return under `if p == nil` where `p` is a parameter or the receiver, " +
			"and a return under a boolean parameter (`if headerOnly`): the caller's own argument chose " +
			"the empty answer;\n" +
			"- bodies that consist of the return alone: a no-op implementation, unconditionally;\n" +
			"- function literals, whose signature and contract are set by the code that calls them " +
			"(`http.Transport.Proxy`, walk callbacks);\n" +
			"- methods that implement an interface of an imported package declaring that method " +
			"(`GetCertificate`, `Accept`): the interface's contract says what nil, nil means;\n" +

			"- a `return nil, nil` directly in an `if err != nil` branch, which swallowed-error reports;\n" +
			"- results other than exactly (value, error).\n\n" +
			"A comment beside the return is not a contract, and neither is a name (a `FakeStore` or a " +
			"`mocks` package outside the tests is code like any other). Suppress a deliberate case with " +
			"`//failfast:ignore nil-nil-return reason` or golangci-lint's `//nolint:nilnil`.",
		Fix: "\"Return an error instead of nil, nil\": the error the branch tested, wrapped, or a not-found error naming the key. Callers that read nil, nil as absent change too, so fix-all does not apply it. No fix is offered for `return nil, describe(body)`: replacing the call would drop the error it builds when it builds one.",
	},
}
