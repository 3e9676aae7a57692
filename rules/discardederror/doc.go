// Package discardederror implements the discarded-error rule: an error
// result dropped where its failure loses data or state.
package discardederror

import "github.com/failfast-dev/failfast/rules/spec"

// ID is the rule's stable public name.
const ID = "discarded-error"

const summary = "error result dropped where a failure loses data or state"

// nolint names the golangci-lint linter that reports the same failure:
// //nolint:errcheck silences this rule too.
var nolint = []string{"errcheck"}

// Rule describes the rule for the registry.
var Rule = &spec.Rule{
	ID:       ID,
	Severity: spec.Warning,
	HasFix:   true,
	Nolint:   nolint,
	Summary:  summary,
	New:      New,
	Doc: spec.Doc{
		What: "Reports an error thrown away without a word where the code goes on to rely on what " +
			"the call was to do. A dropped error matters when it guards data or state that is used " +
			"afterwards, wherever the callee lives (standard library, a dependency, the same package):\n\n" +
			"- `v, _ := f()` where the blank receives the error and `v` is then used " +
			"(`n, _ := strconv.Atoi(s)`, `f, _ := os.Open(path)`, `resp, _ := client.Get(url)`). The " +
			"message names `v` and the zero value it holds when `f` fails;\n" +
			"- a call statement (also under `go`) whose only result is an `error`: a command " +
			"(`r.ParseForm()`, `fset.Parse(args)`, `rows.Scan(&a)`, `s.store.Save(order)`, " +
			"`p.Close()` of a hook), whose error is the only sign that the state change did not happen;\n" +
			"- a call statement that fills an output argument read afterwards (`fmt.Sscanf(s, \"%d\", &n)`); " +
			"an argument `&v` counts as an output only when the function has not read `v` before the call " +
			"(assigning it or its fields is not reading): a variable already read held data of its own, which " +
			"the call takes in (`u.LastLogin = now; PutUser(&u)` after `u.Hash` was checked);\n" +
			"- writes a person relies on, also under `defer`: the must-check list (commit, `Exec`, " +
			"`Flush` of a buffered writer, `Close` of a compressor or archive, `Sync`, `os.WriteFile`, " +
			"`os.MkdirAll`, `os.Rename`, `(*exec.Cmd).Run`, `ListenAndServe`, decoders, template " +
			"`Execute`, ...), the `Close` of a file the function created for writing (`os.Create`, " +
			"`os.OpenFile` with a write flag, or a function of the module that may return such a file, " +
			"`out, err := openOutput(name, true)`; when it creates only in the branch of a bool parameter, `if create { return " +
			"os.Create(name) }`, a call passing the constant false only opens) and wrote or handed on, and " +
			"writes to such a file (`f.Write`, `fmt.Fprintf(f, ...)`, `io.Copy(f, ...)`);\n" +
			"- a copy (`io.Copy`, `io.CopyN`, `io.CopyBuffer`) into a variable the function reads " +
			"afterwards, from a source other than an in-memory reader: a copy also reads, so its error " +
			"is the source's too, and the destination then holds part of the data (`io.Copy(buf, " +
			"resp.Body)` then `buf.Bytes()`), whatever the destination is.",
		Why: "When the error is dropped the program carries on as if the call had succeeded: the file " +
			"is missing or truncated, the transaction was rolled back, the server never listened, the " +
			"setting parsed to 0. Nobody is told, and the failure surfaces later as wrong data or a " +
			"confusing error somewhere else, if at all.",
		Bad: `func save(path string, cfg Config) {
	b, _ := json.Marshal(cfg)
	os.WriteFile(path, b, 0o644)
}

func export(path string, rows []Row) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return writeCSV(f, rows)
}`,
		Good: `func save(path string, cfg Config) error {
	b, err := json.Marshal(cfg)
	if err != nil {
		return fmt.Errorf("encoding config: %w", err)
	}
	return os.WriteFile(path, b, 0o644)
}

func export(path string, rows []Row) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	return writeCSV(f, rows)
}`,
		Exceptions: "Not reported:\n\n" +
			"- where the author said so: an explicit `_ = f()` or `_, _ = f()`, a `//failfast:ignore` " +
			"or golangci-lint `//nolint:errcheck` directive, or a comment on the line, just above it, or " +
			"heading its paragraph (the run of statements above it with no blank line between, continued " +
			"through the leading paragraph of the block of an enclosing `if`, `for` or `switch`), or the " +
			"doc comment of the enclosing function (\"StringToBool converts a string ignoring errors\"; for a function " +
			"literal, the comment on the line above the map element, assignment or declaration holding it: " +
			"\"toDate parses s, returning zero time on failure\"), " +
			"that states the drop is deliberate (\"best effort\", \"ignore the error\", \"the error is " +
			"deliberately ignored\", \"cannot fail\", \"the error will be nil since the level is valid\", " +
			"\"OK if this fails\", \"zero if unset or " +
			"invalid\", \"on error the default value will be used\", \"if a file fails to verify, matches is nil\", " +
			"\"we're not checking for errors here because ...\", \"invokeHookSync already logs the error\"). A comment that merely " +
			"mentions an error, or a to-do note, is no such statement;\n" +
			"- calls on the never-fail list (extendable with `never-fail`): documented never to fail " +
			"(`bytes.Buffer`, `strings.Builder`, hashes, `crypto/rand.Read`, `rand.Int`, `ed25519.GenerateKey` and reads of `crypto/rand.Reader` such as `io.ReadFull(rand.Reader, b)`: crypto/rand's reader never fails since Go 1.24), sticky writers whose error " +
			"comes back from `Flush`/`Close` (which are must-check), undo and cleanup (`tx.Rollback()`, " +
			"`rows.Close()`, `os.Remove`), connection deadlines and TCP keep-alive and no-delay settings, writes to standard output or an HTTP " +
			"response (nobody is left to tell), `net.SplitHostPort` (no port is an answer), " +
			"`os.Setenv`, killing or signalling a process (`os.Process.Kill`, `syscall.Kill`: it fails when the " +
			"process already exited), constructors that fail only on a bad level or key size, flag look-ups and " +
			"bindings that fail only for a flag the program did not define (pflag's `GetString`, " +
			"cobra's `MarkFlagRequired`, viper's `BindPFlag`), zap's `Sync`; and a function of the module whose every " +
			"return gives nil or such a never-failing call as its error (`func kill(c *exec.Cmd) error { return " +
			"syscall.Kill(-c.Process.Pid, syscall.SIGKILL) }`, or `return &Option{Name: name}, nil` on every path, or a " +
			"named error result that nothing in the body sets, returned bare or by name, or an error variable that only " +
			"calls whose error is always nil set (`n, err := io.ReadFull(rand.Reader, b); if n != len(b) || err != nil { " +
			"return \"\", err }`), or `return g(...)` of such a function; a return in the branch of " +
			"`if err != nil` where `err`, a local variable or a named result, only ever holds the error of such a call, or of `json.Marshal` of a value that always marshals (below), " +
			"does not count, since that branch never runs: `b, err := json.Marshal(payload); if err != nil { return nil, " +
			"fmt.Errorf(...) }` for a payload of strings; a named error that a function literal sets, as a deferred " +
			"`recover` handler does, is no such nil), known to its callers, also in other packages, through a " +
			"go/analysis fact; a function of a dependency, which the analysis sees through export data without facts, is " +
			"read from its source file instead, and never fails when every return of its body lists its results and ends " +
			"with the literal nil, with no defer that could set a named error (goflags' `FlagSet.GetConfigFilePath`); " +
			"the same for a function whose other errors come only from marshalling one of its " +
			"parameters that it never assigns (`func PrintJSON(d any) error` whose only failure is `json.MarshalIndent(d, " +
			"\"\", \"  \")`'s, returned as it is), called with a value that always marshals (`PrintJSON(names)` for a " +
			"`[]string`); and for a function whose other errors come only from calls of its function " +
			"parameters (an iteration helper, `if err := fn(k, v); err != nil { return err }`), or of the elements of a variadic " +
			"parameter of functions it ranges over (functional options, `func New(opts ...Option) (*T, error)`), called with callbacks " +
			"that only return nil (a function literal whose every return gives nil, or a never-failing function), " +
			"or with no options at all (`worker.New()`);\n" +
			"- a parser (the parsers list) called again with the same arguments, each a constant or a variable " +
			"not assigned in between, after a call of it that ran on every path here and whose error was " +
			"checked by the next statement with a branch that leaves (`base, err := url.Parse(s); if err != nil " +
			"{ return err }` ... `track, _ := url.Parse(s)`): the same text parses the same way;\n" +
			"- `v, _ := f()` where `f` is a function of the module that, with every error it returns (a new error, " +
			"or `err` under `if err != nil`), gives in `v`'s place a value it chose for the failure, not the zero " +
			"value: `return new(APIResource), fmt.Errorf(\"no meta for %q\", gvr)`, `&T{...}`, a made map or " +
			"slice, a constant other than zero, or a parameter it never assigns, as it is or converted (`return s, " +
			"err` from an unquoter that hands its input back) (a go/analysis fact, `failsWith`); the caller uses " +
			"its author's answer for a miss;\n" +
			"- a call proved not to fail: a parser applied to constants (a constant, a local variable that only " +
			"its definition assigns, from a constant, and whose address is never taken, or a parameter of an " +
			"unexported function that every call in the package passes a constant and that the function never " +
			"reassigns: `func mustCIDR(s string)` called only as `mustCIDR(\"10.0.0.0/8\")`; including the semver parsers of " +
			"`github.com/Masterminds/semver`, `NewConstraint` and `NewVersion`, documented to fail only on a parse error), `regexp.MatchString`, `regexp.Match`, " +
			"`path.Match` and `filepath.Match` with a constant pattern (they fail only when the pattern does not " +
			"compile), `ecdsa.GenerateKey` of `elliptic.P224()` to `P521()` (it fails only for a curve it does not " +
			"implement), `json.Marshal` (and `sigs.k8s.io/yaml`'s, which marshals through it) of a type with " +
			"no floats, interfaces or custom marshalers or of a map or slice literal built in place whose " +
			"elements all are such values (`map[string]any{\"error\": err.Error()}`), `yaml.Marshal` of " +
			"`gopkg.in/yaml.v2` and `v3` of such a value, floats allowed (YAML writes NaN and infinities), " +
			"`http.NewRequest` with a constant method and URL (it fails only on an invalid one), " +
			"x/sync's `semaphore.Weighted.Acquire` with `context.Background()` or `context.TODO()` (also through a local " +
			"variable only its definition assigns): it fails only with its context's error, and that context is never done, " +
			"`strconv.Atoi`, `ParseInt` and `ParseUint` of a submatch of a constant regexp whose group matches only a " +
			"non-empty run of the base's digits (`([0-9]+)`: only overflow is left, where the parser returns the " +
			"largest value), also when the group's other alternatives are literals that an enclosing `if` excludes " +
			"(`([0-9]+|MAX)` in the else of `strings.EqualFold(x, \"MAX\")`), " +
			"`br.Peek(br.Buffered())`, `Parse` of a " +
			"`flag.FlagSet` the function built with `flag.ExitOnError`, or held by an unexported package-level variable " +
			"that the package only ever gives such a set (`var flags = flag.NewFlagSet(os.Args[0], flag.ExitOnError)`): it exits instead;\n" +
			"- a close (a method named `Close`, `closeBody`, `CloseWrite`, ...) of anything but a file " +
			"created for writing and then written or handed on (`writer = f`, then `writer.Write(b)`): closing what was only read (files opened with " +
			"`os.Open`, response bodies, connections, listeners, database handles, `io.Closer` " +
			"interfaces) releases it and loses nothing; a deferred `Close` when the function also " +
			"closes or syncs the file and checks that error, itself or in a function of the package it " +
			"hands the file to (`editTreeImpl(tmpfile, …)`, which checks `tmpfile.Close()`); a rollback (a method named `Rollback...`), " +
			"which undoes changes that were not to be kept;\n" +
			"- a logging call (a method of a logger, or a listed log function), whose error is the log's own " +
			"or the line itself (openark/golib's `log.Warningf` returns the message as an error): nobody is left to tell;\n" +
			"- writes to a destination whose failure nobody here can act on: the standard streams, " +
			"`io.Discard`, in-memory buffers (unless a copy fills one that is read afterwards, above), " +
			"network connections (the next read or write fails too), " +
			"an `io.Writer` or encoder whose destination is not in view, also when the call is handed " +
			"the writer (`xml.EscapeText(w, s)`, `render(w, page)`), unless the function takes the error of " +
			"another write to the same writer (`return xml.NewEncoder(w).Encode(v)` after a dropped " +
			"`io.WriteString(w, xml.Header)`): its own code says that destination's failures matter; `Flush` of a buffered " +
			"writer held in a struct field or by the method's receiver (the owner keeps the sticky " +
			"error); `Flush` or `Close` of a writer the function layered over such a quiet destination " +
			"(`zw := gzip.NewWriter(&buf)`, or over a parameter of an unexported function every call of which passes " +
			"one: the bytes land in memory, so no destination can fail);\n" +
			"- a deferred call not on the must-check list: it runs after the function's last " +
			"statement, so nothing in the function relies on its effect;\n" +
			"- a call statement that returns data as well as an error, where the data is not used " +
			"either (no output argument read later): nothing guarded by the error is relied on;\n" +
			"- dropped errors while handling another: in the body of `if err != nil`, or in a block " +
			"that goes on to return a non-nil error (not the result of a write, encode, flush, close or " +
			"commit, `return enc.Encode(v)`, which is the outcome of the work, nor of a call handed a success status of " +
			"net/http, `return c.JSON(http.StatusOK, resp)`, which answers the request);\n" +
			"- `v, _ := f()` where `v` is only logged (also by a variadic function of the program's own named like a " +
			"log level that returns nothing, `fs.Debugf(o, format, args...)`) or put in an error value being built " +
			"(`fmt.Errorf`, `errors.New`, `&StatusError{Code: code, Body: body}`: a composite literal of a type " +
			"implementing `error`, or an argument at any depth of a wrapper that takes an error and returns one, " +
			"`errs.Wrap(fmt.Errorf(...), errs.WithOutput(string(body)))`; a failed read of a bad response's body loses " +
			"detail, not correctness), or where the first " +
			"use of `v` compares it with `nil` or `\"\"` (the failure's zero value is tested for) or " +
			"with a constant other than its zero value (`ct == \"text/event-stream\"`: a failure takes " +
			"the \"not that\" branch like any other value), or where a boolean `v` is itself the condition " +
			"(`if ok`, `ok && x`: the same test as `ok == true`); the same for a variable whose address is " +
			"handed to a call statement that returns data besides its error (`fmt.Scanln(&answer)` then " +
			"`if answer == \"y\"`: a failed read leaves \"\", which takes the \"not yes\" branch like any other " +
			"answer; a call whose only result is the error, `rows.Scan(&name)`, is reported whatever follows); for a field or element (`c.md5, _ = src.Hash(...)`), " +
			"the condition of the `if` the assignment initialises or that follows it must be that first use " +
			"(`if c.md5, _ = src.Hash(ctx, hash.MD5); c.md5 == \"\"`). A comparison with the zero value itself " +
			"(`n == 0` after `RowsAffected`, `return n == 0`), or `!ok`, mistakes the failure for an answer and is reported, " +
			"unless it is a check that rejects the zero value: the first use of `v` is a comparison with a constant " +
			"that holds for the zero value (`dur <= 0`, `n < 1`, `n == 0`) or the negation of a boolean `v`, that " +
			"comparison is the condition of an `if` (alone or joined by `||`), and the branch ends the function having " +
			"returned an error it builds (`fmt.Errorf(...)`, a composite literal; a variable such as a sentinel " +
			"`ErrNotFound` is an answer callers test for, and the failure is taken for it), stored or appended such " +
			"a value of a type that implements `error` " +
			"(`p.errors = append(p.errors, NewError(tok, \"Wait expects positive duration\")); return cmd`), " +
			"panicked or exited: the failure stops there with an error;\n" +
			"- `v, _ := f()` where `v` is first returned as it is (`return programVersion`) from an unexported " +
			"function declaration whose every use in the package, outside test files, is a call whose result is " +
			"assigned to a variable whose first use tests it as above (`v := getVersion(\"ttyd\"); if v == nil {`): " +
			"every caller there can be tests for the zero value the failure leaves;\n" +
			"- a call, also under `go`, of a function literal that names its error result and reads it in a deferred " +
			"function literal of its own body (`go func() (err error) { defer func() { done <- err }() ... }()`): " +
			"every return sets the result before the deferred call runs, so the literal hands its error on itself;\n" +
			"- test helpers: files that import `testing` are skipped with the tests.",
		Fix: "\"Handle the error\": the error is checked with `if err != nil` and a failure branch that fits the function; a deferred call reports through a named error result, and an error in a `go` statement or a `defer` without one is logged.",
	},
}
