// Package uncheckedtypeassertion implements the unchecked-type-assertion
// rule: a single-value type assertion on a value whose dynamic type is
// decided outside this code.
package uncheckedtypeassertion

import "github.com/failfast-dev/failfast/rules/spec"

// ID is the rule's stable public name.
const ID = "unchecked-type-assertion"

const summary = "single-value type assertion on a value whose dynamic type is decided outside this code"

// nolint names the golangci-lint linter that reports the same failure:
// //nolint:forcetypeassert silences this rule too.
var nolint = []string{"forcetypeassert"}

// Rule describes the rule for the registry.
var Rule = &spec.Rule{
	ID:       ID,
	Severity: spec.Error,
	HasFix:   true,
	Nolint:   nolint,
	Summary:  summary,
	New:      New,
	Doc: spec.Doc{
		What: "A single-value type assertion `x.(T)` on a value whose dynamic type another component " +
			"decides: an element of a decoded document (`map[string]any`, `[]any`, or a variable " +
			"`json.Unmarshal`/`Decode` filled), a `context.Context` value, a `sync.Map` or " +
			"`atomic.Value` load that other code stores into, a value received from a channel of " +
			"interface values, or the value `recover()` returns. The rule follows local variables a " +
			"few assignments back to find where the value came from.",
		Why: "The single-value form panics when the value holds another type, or is nil because the " +
			"key, field or context value is absent. The type is decided by a document the program " +
			"did not write, by middleware that may not be installed, or by whatever was passed to " +
			"`panic`, so the assumption breaks on input, not on a bug in this code, and the panic " +
			"takes down the request or the process far from the real cause (a renamed JSON field, a " +
			"number sent as a string, a handler mounted without its middleware).",
		Bad: `var doc map[string]any
if err := json.Unmarshal(data, &doc); err != nil {
	return err
}
port := int(doc["port"].(float64))

user := r.Context().Value(userKey{}).(*User)`,
		Good: `port, ok := doc["port"].(float64)
if !ok {
	return fmt.Errorf("config: port must be a number, got %T", doc["port"])
}

user, ok := r.Context().Value(userKey{}).(*User)
if !ok {
	http.Error(w, "not authenticated", http.StatusUnauthorized)
	return
}`,
		Exceptions: "- The two-value form `v, ok := x.(T)` and type switches.\n" +
			"- Values the code itself constructs or guarantees: `sync.Pool.Get` (the pool's `New` " +
			"decides the type), maps and slices of `any` built by a composite literal or `make` in the " +
			"same function, package-level tables, and `sync.Map`/`atomic.Value` containers into which " +
			"this package stores only the asserted type.\n" +
			"- Function parameters, struct fields and other values whose origin is not traced: their " +
			"type is the caller's contract.\n" +
			"- Context keys declared in the same package, or in a package the current one extends (its " +
			"import path is a prefix of the current one): the component that sets the value is the " +
			"same one that reads it.\n" +
			"- `recover()` values asserted to a concrete type of the same package (the deliberate " +
			"re-panic of foreign panics), and any value whose type the function tests elsewhere with " +
			"a two-value assertion or a type switch.\n" +
			"- Assertions on `error` values: matching error types is `errors.As`'s business.",
		Fix: "\"Use the two-value form and handle a mismatch\": `v := x.(T)` becomes `v, ok := x.(T)` followed by a failure branch that fits the function (an error naming the value and its type, `http.Error` in a handler, `t.Fatalf` in a test, `log.Fatalf` in `main`, else a panic with a message); an assertion inside a larger expression is first moved into a variable.",
	},
}
