// Package unwrappederror implements the unwrapped-error rule: error's cause dropped instead of wrapped with %w.
package unwrappederror

import "github.com/failfast-dev/failfast/rules/spec"

// ID is the rule's stable public name.
const ID = "unwrapped-error"

const summary = "error's cause dropped instead of wrapped with %w"

// nolint names the golangci-lint linter that reports the same failure:
// //nolint:errorlint silences this rule too.
var nolint = []string{"errorlint"}

// Rule describes the rule for the registry.
var Rule = &spec.Rule{
	ID:       ID,
	Severity: spec.Warning,
	HasFix:   true,
	Nolint:   nolint,
	Summary:  summary,
	New:      New,
	Doc: spec.Doc{
		What: "Reports a new error that drops the error it was made from: `fmt.Errorf` formatting an error " +
			"with `%v`, `%s` or `%q` (or its `.Error()` text) instead of `%w`; `errors.New(err.Error())` and " +
			"`errors.New(fmt.Sprintf(..., err))`; and, inside an `if err != nil` branch, a returned " +
			"`errors.New` or `fmt.Errorf` that neither wraps nor mentions `err`. The `%v` case is reported " +
			"when the cause comes from a call whose errors callers test by identity or type: file system, " +
			"I/O, network, HTTP client, `database/sql`, `os/exec`, `context` and `syscall` calls.",
		Why: "Callers decide what to do from the cause: `errors.Is(err, fs.ErrNotExist)` to fall back to " +
			"defaults, `errors.Is(err, context.Canceled)` to stay quiet about a client that went away, " +
			"`errors.As(err, &netErr)` to retry a timeout, `errors.Is(err, sql.ErrNoRows)` to answer 404. " +
			"Once the cause is flattened to text those checks are silently false, and the program takes " +
			"the wrong branch far from the line that lost the information. A fresh error that does not " +
			"mention the cause at all loses even the text: the log says \"failed to open file\" and not why.",
		Bad: `data, err := os.ReadFile(path)
if err != nil {
	return fmt.Errorf("read config %s: %v", path, err) // errors.Is(err, fs.ErrNotExist) is now false
}

resp, err := client.Do(req)
if err != nil {
	return errors.New("upstream request failed") // why?
}`,
		Good: `data, err := os.ReadFile(path)
if err != nil {
	return fmt.Errorf("read config %s: %w", path, err)
}

resp, err := client.Do(req)
if err != nil {
	return fmt.Errorf("upstream request: %w", err)
}`,
		Exceptions: "Not reported:\n\n" +
			"- any format that already wraps one error with `%w` (a second error formatted with `%v`, such " +
			"as a Close error beside the main one, is deliberate);\n" +
			"- `%v` of errors from parsers (`strconv`, `url.Parse`, `json.Unmarshal`, `http.NewRequest`...), " +
			"whose text is all a caller can use, and of errors whose origin is not a visible call (a " +
			"parameter, a field);\n" +
			"- code in package `main` and in command handlers named `cmdX`, whose errors end on a terminal;\n" +
			"- `%T` and `%d` verbs, and formats that are not constant;\n" +
			"- an `if err != nil` branch that returns a sentinel (`return ErrNotFound`): a deliberate " +
			"translation, or that mentions `err` anywhere (logs it before returning an opaque error).\n\n" +
			"Document an opaque error at an API boundary with `//failfast:ignore unwrapped-error reason`.",
		Fix: "\"Wrap the error with %w\": the verb becomes `%w` (`err.Error()` becomes `err`), `errors.New(err.Error())` becomes `fmt.Errorf(\"%w\", err)`, and a new error in an `if err != nil` branch gets `: %w` and the error.",
	},
}
