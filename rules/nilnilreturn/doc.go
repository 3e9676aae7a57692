// Package nilnilreturn implements the nil-nil-return rule: return nil, nil from a function that returns a value and an error.
package nilnilreturn

import "github.com/failfast-dev/failfast/rules/spec"

// ID is the rule's stable public name.
const ID = "nil-nil-return"

const summary = "undocumented return nil, nil from a function that returns a pointer, func, chan or interface and an error"

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
	Doc: spec.Doc{
		What: "Reports `return nil, nil` in a function whose results are a value that cannot be used " +
			"when nil (a pointer, a function, a channel, or an interface with methods) and an error, " +
			"when nothing in the code says that nil is a deliberate answer. The finding is placed on the " +
			"return statement and names the result type.",
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

// Or make the contract explicit: say it in the doc comment, or return a default.
// loadConfig returns nil, nil when the file does not exist.`,
		Exceptions: "Not reported:\n\n" +
			"- slices and maps (a nil slice or map reads as empty) and the empty interface (`any`: nil " +
			"is an ordinary value, such as a decoded JSON null);\n" +
			"- functions whose doc comment documents a nil result (mentions `nil`, \"not found\", " +
			"\"does not exist\", \"if any\", \"if none\", \"optional\"...);\n" +
			"- returns with a comment on their line, or on the line above them or above the `if` " +
			"whose body they open (the author explained the empty answer), including a " +
			"`//nolint:nilnil` directive;\n" +
			"- functions whose callers in the package show that nil is expected: none dereferences the " +
			"result unchecked, and some test it for nil or all of them drop it; unexported functions " +
			"whose callers only hand the result on (store it, pass it); functions referenced as values " +
			"(the states of a state machine, callbacks), whose contract is their function type's;\n" +
			"- nil in, nil out: a return under `if p == nil` where `p` is a parameter or the receiver, " +
			"and a return under a boolean parameter the caller set (`if configOnly`);\n" +
			"- bodies that consist of the return alone (a no-op implementation);\n" +
			"- function literals, whose signature is dictated by the code that calls them " +
			"(`http.Transport.Proxy`, walk callbacks);\n" +
			"- methods that implement an interface of an imported package declaring that method " +
			"(`GetCertificate`, `Accept`): the interface's contract says what nil, nil means;\n" +
			"- test doubles: methods of fake, mock, stub, dummy and no-op types, and packages whose " +
			"path names them test helpers;\n" +
			"- results other than exactly (value, error).\n\n" +
			"When a caller in the package dereferences the result without a nil check, the finding " +
			"points at it as related information.\n\n" +
			"Suppress a deliberate case with `//failfast:ignore nil-nil-return reason`.",
		Fix: "\"Return an error instead of nil, nil\": the error the branch tested, wrapped, or a not-found error naming the key. Callers that read nil, nil as absent change too, so fix-all does not apply it.",
	},
}
