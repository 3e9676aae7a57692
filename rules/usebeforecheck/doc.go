// Package usebeforecheck implements the use-before-check rule: a result of
// a call dereferenced before the call's error is checked.
package usebeforecheck

import "github.com/failfast-dev/failfast/rules/spec"

// ID is the rule's stable public name.
const ID = "use-before-check"

const summary = "result of a call dereferenced before its error is checked"

// Rule describes the rule for the registry.
var Rule = &spec.Rule{
	ID:       ID,
	Severity: spec.Error,
	HasFix:   true,
	Summary:  summary,
	New:      New,
	Doc: spec.Doc{
		What: "Reports the first dereference of a result of `x, err := f()` that comes before `err` " +
			"is looked at: a field access (`resp.Body`), a method call on an interface or through a " +
			"pointer, `*x`, indexing a slice, writing to a map or a slice element, and any of " +
			"these in a `defer` (evaluated at once, like `defer resp.Body.Close()`) or inside a " +
			"deferred closure (run on the early return of the error path). The check that comes too " +
			"late, if any, is shown as related information.\n\n" +
			"Any mention of `err` ends the search (`if err != nil`, `if err == nil`, `return x, err`, " +
			"passing `err` on), but one: a test for one kind of failure (`os.IsNotExist(err)`, " +
			"`os.IsExist`, `os.IsPermission`, `os.IsTimeout`, `errors.Is(err, target)`, `errors.As`) is " +
			"false when `err` is nil and also when it holds any other failure, so the search goes on " +
			"into its `else` and, when its branch leaves (returns, continues, panics), past it: " +
			"`info, err := os.Stat(p); if os.IsNotExist(err) { return false }; return info.IsDir()` panics " +
			"on \"permission denied\". A then-branch that falls through ends the search.",
		Why: "A function that fails returns the zero value for its other results: `resp` is nil when " +
			"`http.Get` fails. Using it before the check panics with a nil dereference, and the panic " +
			"hides the real error (a refused connection, a missing file) that the check a line later " +
			"would have reported.",
		Bad: `resp, err := http.Get(url)
defer resp.Body.Close()
if err != nil {
	return err
}`,
		Good: `resp, err := http.Get(url)
if err != nil {
	return fmt.Errorf("fetching %s: %w", url, err)
}
defer resp.Body.Close()`,
		Exceptions: "Not reported:\n\n" +
			"- results that cannot be nil (numbers, strings, structs, arrays): `n, err := w.Write(p)` " +
			"leaves `n` valid, `strconv.Atoi` returns 0; and function results (`release, err := acquire()`), " +
			"which APIs that return them document as always callable;\n" +
			"- uses after the first mention of `err` (but past a one-kind test, above), even when that check " +
			"does not return (what the error branch does is another rule's business);\n" +
			"- results the code checks itself first (`x == nil`, `x != nil`, `len(x)`, ranging " +
			"over it);\n" +
			"- calls documented to return a usable result with the error (`go/build.Import`, " +
			"`go/parser.ParseFile`), and functions of the module (this package, or one it imports, through " +
			"a fact the callee's package exports) whose every `return` with a non-nil error gives a value " +
			"for that result that is neither `nil`, nor a variable assigned together with an error " +
			"(`return req, err` passes on a nil), nor a variable declared without a value and never " +
			"assigned one: `data := &[]File{}; ...; return data, err` and `return u, errNoHost` give a usable result; " +
			"and functions whose every return gives a literal nil error and a value for that result that is not one " +
			"of those (`m = &Muxer{...}; return m, nil`): their error is always nil;\n" +
			"- passing the result to another function, ranging over it, reading a map, `len`;\n" +
			"- pointer-receiver methods of types that are nil-safe by contract: `(*os.File).Close` " +
			"returns `os.ErrInvalid` on nil, so `defer f.Close()` before the check is harmless;\n" +
			"- uses in goroutines and non-deferred closures, which may run after the check;\n" +
			"- assignments in `if`/`switch` initialisers, and results whose type is unknown;\n" +
			"- test helpers: files that import `testing` are skipped with the tests.",
		Fix: "\"Move this use after the error check\": the statement moves below the `if err != nil` check (fix-all applies it to `defer` statements only). " +
			"After a test for one kind of failure, \"Check the error's other failures before this use\": `if err != nil` goes " +
			"before the use and ends the path the way the function's failure paths do (`return ..., fmt.Errorf(\"stat %q: %w\", dir, err)`; " +
			"in an HTTP handler `http.Error` and `return`), safe unless it panics or exits.",
	},
}
