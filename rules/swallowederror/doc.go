// Package swallowederror implements the swallowed-error rule: error branch that returns no error or falls through.
package swallowederror

import "github.com/failfast-dev/failfast/rules/spec"

// ID is the rule's stable public name.
const ID = "swallowed-error"

const summary = "error branch that returns no error or falls through"

// nolint names the golangci-lint linter that reports the same failure:
// //nolint:nilerr silences this rule too.
var nolint = []string{"nilerr"}

// Rule describes the rule for the registry.
var Rule = &spec.Rule{
	ID:       ID,
	Severity: spec.Error,
	HasFix:   true,
	Nolint:   nolint,
	Summary:  summary,
	New:      New,
	Doc: spec.Doc{
		What: "Reports an `if err != nil` branch that notices a failed call and then carries on as if it " +
			"had succeeded: the branch returns a nil error (`return nil`, `return x, nil`) from a function " +
			"whose last result is an error, the branch is empty, or it only logs or prints and then falls " +
			"through into code that dereferences or returns the failed call's other results (`resp.Body` " +
			"after a failed `http.Get`). The finding names the call whose error is lost.",
		Why: "The error was checked, so the author knew the call could fail, and then threw the knowledge " +
			"away. The caller sees success; the failure shows up later as missing data, a zero value taken " +
			"for a real one, or a nil pointer dereference far from the call that failed, with no trace of " +
			"the original cause.",
		Bad: `func loadConfig(path string, cfg *Config) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil // the caller thinks the configuration was applied
	}
	return json.Unmarshal(data, cfg)
}

resp, err := http.Get(url)
if err != nil {
	log.Printf("fetch %s: %v", url, err)
}
defer resp.Body.Close() // nil pointer dereference when Get failed`,
		Good: `func loadConfig(path string, cfg *Config) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("read config: %w", err)
	}
	return json.Unmarshal(data, cfg)
}

resp, err := http.Get(url)
if err != nil {
	return fmt.Errorf("fetch %s: %w", url, err)
}
defer resp.Body.Close()`,
		Exceptions: "Not reported:\n\n" +
			"- branches that return the error, wrap it, `panic`, exit, `continue` or `break`;\n" +
			"- branches that hand the error on: log it, store it in a field or a slice, send it, write it " +
			"to a response (any mention of the error variable), or log at all before returning nil;\n" +
			"- a nil return from a branch that does other work first (prints a fallback answer, cleans " +
			"up, resets state), or that holds an explanatory comment on a line of its own;\n" +
			"- comments inside the branch, on its line, or on the line above the branch or the failed " +
			"call that say the drop is deliberate (\"ignore\", \"best effort\", \"on purpose\", " +
			"\"expected\", \"not an error\", \"fine\", \"ok\", \"fall back\", \"optional\"...), and " +
			"functions whose doc comment says they ignore errors (`filepath.Glob`);\n" +
			"- an empty branch with an `else`, or with a comment that is not a TODO;\n" +
			"- conditions other than plain `err != nil` (`err == io.EOF`, `errors.Is(err, fs.ErrNotExist)`, " +
			"`os.IsNotExist(err)`): a specific, handled error;\n" +
			"- errors that no call in view produced (a parameter, such as the `err` of a `filepath.WalkFunc`, " +
			"whose contract lets the callee skip), errors kept in a field, and `ctx.Err()` (returning " +
			"quietly is how a cancelled operation stops);\n" +
			"- functions without an error result (`if err != nil { return false }` in a predicate);\n" +
			"- a log-and-fall-through branch whose results are only compared (`if resp == nil`), copied " +
			"or passed on, rather than dereferenced or returned.\n\n" +
			"Suppress a deliberate drop with `//failfast:ignore swallowed-error reason`.",
		Fix: "\"Return the error\": the branch returns the error wrapped with `%w` and what failed (outside a function that returns an error: `http.Error`, `t.Fatalf`, `log.Fatalf` or a panic).",
	},
}
