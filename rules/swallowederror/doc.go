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
		What: "Reports an `if err != nil` branch that notices a failure and then carries on as if there " +
			"had been none. The error comes from a call in the if's init or the statement before it, or " +
			"from a parameter (the `err` handed to a `filepath.WalkDirFunc`). Reported: a branch that " +
			"returns a nil error from a function whose last result is an error, whether or not it logs " +
			"first (also when it answers with the error's text, `return err.Error(), nil`); a branch that returns a different error variable that an earlier check proved nil " +
			"(`if err2 != nil { return err }`); a return of a nil error nested under a further condition " +
			"that leaves unfilled the destination parameter the success path fills (`out` of " +
			"`json.Unmarshal(data, out)`); an empty branch without an else; and a branch that falls through when the code " +
			"after it reads the failed call's results or output arguments (`u` of `u, err := scan(rows)`, " +
			"`req` of `Decode(&req)`; `&v` is an output argument only when the function has not read `v` before " +
			"the call: `PutUser(&u)` after `u.Hash` was checked takes `u` in, and a failed save leaves it valid), " +
			"or when it only logs, and without the error's value (a generic " +
			"message that says something failed but not why). The finding names the call whose error is lost.",
		Why: "The error was checked, so the author knew the call could fail, and then threw the knowledge " +
			"away. The caller sees success, or the code goes on with results that are not valid; the " +
			"failure shows up later as missing data, a zero value taken for a real one, or a nil pointer " +
			"dereference far from the call that failed, with no trace of the original cause. A log line " +
			"does not change what the caller is told.",
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
			"- branches that return an error, `panic`, exit (`os.Exit`, `log.Fatal`, a logger's `Fatal` method, " +
			"a structured logger's fatal event such as zerolog's `log.Fatal().Msg(...)`, a function or method of " +
			"the package whose body always exits or panics, such as a CLI's `func (l *Log) fatal(...)` that " +
			"prints and calls `os.Exit(1)`), `continue` or `break`;\n" +
			"- branches after which the function returns the same error variable, unchanged and with no " +
			"other return on the way (`if err != nil { log.Error(out) }; return out, err`): the branch " +
			"adds to the failure, and the error reaches the caller;\n" +
			"- branches that hand the error to someone who acts on it: store it, send it, append it, or " +
			"pass it to a call that is not a logger (`http.Error(w, err.Error(), ...)`), or record the " +
			"failure as another error (`p.err = ErrHeader`, or an HTTP error status for the client: " +
			"`w.WriteHeader(http.StatusBadRequest)` or `http.Error(w, \"bad length\", 400)` with a constant status of at " +
			"least 400), or return it inside a result (`return " +
			"Outcome{Err: err}, nil`). Returning only its text with a nil error (`return err.Error(), nil`) " +
			"hands nothing on: the caller takes the message for the answer;\n" +
			"- a well-defined fallback: a branch that logs the error with its value and returns a value of " +
			"its own with the nil error (`return defaults, nil`), or that gives the failed call's result " +
			"a value of its own before execution goes on (`n = 4`; without a log that is silent-default's " +
			"finding), or fills a field of the output argument it handed over, which exists whether or not " +
			"the call worked (`e.Message = string(body)` after `json.Unmarshal(body, &e)` failed);\n" +
			"- a chain of attempts, where the first failure chose another interpretation of the request " +
			"and that second attempt was made in its branch (\"is the root a file?\" after the directory " +
			"was not found): a nil-error return reached only when the second attempt failed too — in its " +
			"branch nested in the first one's, or in the first one's branch after `if err2 == nil { return " +
			"... }` — that returns a value of its own which existed before the first call and which " +
			"neither call produced (`return f, nil`, not `nil, nil`); and a nil-error return after the " +
			"second attempt succeeded (its failure returned as an error) that answers with what the " +
			"branch built (`out[\"status\"] = \"directory cleared\"`, or the second attempt's own result; in a " +
			"function whose only result is the error, a write into its pointer receiver or parameter after that " +
			"attempt: an `UnmarshalYAML` that tries the short form, then `unmarshal(&long)`, returns that error, and " +
			"sets `*t = Tunnel(long)`). " +
			"What the code proves is that the first failure was acted on and that the answer carries " +
			"nothing a failed call was to provide; what it does not prove is that every failure of the " +
			"attempts (a timeout as well as \"not found\") means \"not that interpretation\": the chain " +
			"takes each for that answer. A destination parameter left unfilled is still reported, and so " +
			"is a return after a cleanup that succeeded (`if err := tx.Rollback(); err != nil { return nil, " +
			"err }; return res, nil`), whose answer is the value built before the failure;\n" +
			"- an empty branch with an else (`if err != nil {} else if info.IsDir() { ... }`): it only " +
			"spells `if err == nil`, a branch on success, which is not a check of the failure;\n" +
			"- a log-and-continue that logs the error with its value when the code after it does not read " +
			"the failed call's results, or only compares them (`if resp == nil`, `if len(rows) == 0`, or a " +
			"boolean result tested as a condition, `if !authorized`: the false a failure leaves takes the " +
			"\"not so\" branch), " +
			"replaces them, or looks at the error again (`return v, err`);\n" +
			"- a log-and-continue that logs the error with its value after a call of a function of the module " +
			"that, with every error it returns, gives in each of its other results a value it chose for the " +
			"failure (a fact, `fallsBack`): one made on the spot that is not the zero value (`&Config{Port: 8080}`, " +
			"a non-empty literal, a made map or slice, a constant other than zero) or a parameter it never " +
			"assigns, as it is or converted (`return []byte(body), err`: a template expander that hands the raw " +
			"template back). What follows reads its author's fallback, not a broken value; without the error's " +
			"value in the log it is still reported;\n" +
			"- a log-and-continue that logs the error with its value when the failed call's results are slices, " +
			"maps or strings that the code after it only measures with `len`/`cap`, deletes from " +
			"(a nil map ignores `delete`) or logs; in a function without an error result, whose only report is " +
			"the log, or in one that is already answering another failure (every return reachable after the " +
			"branch hands back an error variable a dominating `!= nil` check proved set: cleanup under " +
			"`if err != nil { …; return false, err }`), also one that ranges over them, converts them to a string, spreads them into an " +
			"`append` (`append(all, entries...)` appends nothing) or logs, or returns as the lone result of an unexported " +
			"function (not a method) without an error result whose every use in the package, outside test files, is a " +
			"call whose result is read so, directly or through a variable the call defines " +
			"(`append(devices, bootstrapDevices(ctx)...)`, `len(bootstrapDevices(ctx)) == 0`; the nil is that " +
			"function's \"none\", and every caller there can be takes it for that): " +
			"a failure leaves them empty (a nil slice ranges zero times, a nil `[]byte` converts to \"\") or " +
			"holding what was read before it, which is still valid data (`for _, e := range entries` after " +
			"`os.ReadDir` failed). Passing them to a call, indexing them, returning them from an exported function or " +
			"a method (callers not in view), or returning them with a nil error from a function that has one is still " +
			"reported;\n" +
			"- a branch that falls through after doing the work another way (prints a fallback answer to " +
			"standard output, sets a flag its caller reads), when the failed call's results are not read " +
			"after it;\n" +
			"- a walk function or other callback literal passed to a call (directly, or through a local variable " +
			"that is only ever passed to calls: `walker := func(…) error {…}; filepath.Walk(root, walker)`) that " +
			"logs the error with its value and returns nil: its result steers the caller's iteration, like a " +
			"loop's `continue`;\n" +
			"- a nested return of a nil error that leaves no destination unfilled " +
			"(`if errors.Is(err, fs.ErrNotExist) { return nil }` in a remove): the condition says which " +
			"failure means success;\n" +
			"- conditions other than plain `err != nil` (`err == io.EOF`, `errors.Is(err, fs.ErrNotExist)`): " +
			"a specific, handled error;\n" +
			"- a branch on an error parameter that falls through: a function that receives an error to " +
			"handle (an `OnError` callback) decides what handling means; only a nil return, which tells its " +
			"caller to carry on, or an empty branch is reported;\n" +
			"- errors kept in a field, errors that no call in view and no parameter produced, and " +
			"`ctx.Err()` (returning quietly is how a cancelled operation stops), and the errors of calls " +
			"documented never to fail (`crypto/rand.Read` since Go 1.24, `bytes.Buffer.Write`), failing only for a flag " +
			"the program did not define (pflag's `GetBool`, `GetString`, ...: the program's own flag table), or proved not to " +
			"(`json.Marshal` of a type without floats, interfaces or custom marshalers), and of functions of the module " +
			"whose every return gives nil as the error, known to callers in other packages through a go/analysis fact " +
			"(`func Globs(...) ([]string, error)` that skips each failing pattern and ends in `return keys, nil`; a named " +
			"error that a deferred function may set does not count; a dependency's function, seen without facts, is read from " +
			"its source file: every return of its body ends with the literal nil): the branch never runs, and the function that drops " +
			"its own failures is reported where it drops them;\n" +
			"- functions without an error result have no nil error to return (`if err != nil { return false }` " +
			"in a predicate);\n" +
			"- drops the author says are deliberate: a comment inside the branch, on its line, or on the " +
			"line above the branch or the failed call, or the enclosing function's doc comment (for a function literal, the comment above the element holding it), that says " +
			"so (\"ignore\", \"best effort\", \"deliberately\", \"on purpose\", \"cannot fail\", \"shouldn't error\", " +
			"\"non-fatal\", \"don't throw an error\", \"if we can't parse the version, then ignore the version checks\"), or a " +
			"comment inside the branch that says what is assumed or used in the " +
			"failed call's place (\"assume the file has changed\", \"fallback: keep the raw bytes\": there the failure is its condition). A comment that " +
			"describes the code or guesses the cause (\"already gone\", " +
			"\"skip it\", \"a missing file is fine\") is not such a statement: the branch drops every error, " +
			"not only the one the comment has in mind.\n\n" +
			"Suppress a deliberate drop with `//failfast:ignore swallowed-error reason`.",
		Fix: "\"Return the error\": the branch returns the error wrapped with `%w` and what failed (outside a function that returns an error: `http.Error`, `t.Fatalf`, `log.Fatalf` or a panic).",
	},
}
