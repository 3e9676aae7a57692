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
		What: "Reports an error result thrown away without a word, where the failure loses data or " +
			"state. Two shapes:\n\n" +
			"- a call statement (also under `go` and `defer`) whose last result is an `error`, when the " +
			"call is on the must-check list (commit, `Exec`, `Flush` of a buffered writer, `Close` of a " +
			"compressor or archive, `os.WriteFile`, `os.MkdirAll`, `os.Rename`, `(*exec.Cmd).Run`, " +
			"`ListenAndServe`, template `Execute`, ...), or is the `Close` of a file the function created " +
			"for writing, or writes to such a file (`f.Write`, `fmt.Fprintf(f, ...)`, `io.Copy(f, ...)`), " +
			"or calls a job handed in as a function value that takes a `context.Context` " +
			"(`sync(ctx, store)`);\n" +
			"- `v, _ := f()` where the blank receives the error and `v` is then used, when `f` is the " +
			"program's own code in another package (a config loader, a hasher), a parser fed with " +
			"external input (`strconv.Atoi(os.Getenv(\"PORT\"))`, `r.FormValue`), a read of the outside " +
			"world (`os.ReadFile`, `io.ReadAll`, `os.Hostname`), or `json.Marshal` of a type that can " +
			"fail to marshal. The message names `v` and the zero value it holds when `f` fails.\n\n" +
			"It decides by provenance: what is lost when the call fails, and whether anyone else will " +
			"report it.",
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
			"- an explicit `_ = f()` or `_, _ = f()`: the author said so; likewise a line under " +
			"golangci-lint's `//nolint:errcheck`, or beside or under a comment that explains the drop " +
			"(\"ignore the error\", \"always valid\", \"OK if this fails\");\n" +
			"- calls on the never-fail list (extendable with `never-fail`): `fmt.Print*`; writes to " +
			"`bytes.Buffer`, `strings.Builder`, hashes, `http.ResponseWriter`, `tabwriter`; sticky " +
			"writers (`bufio.Writer`, `csv.Writer`, gzip/flate/zlib/tar writers) whose error comes back " +
			"from `Flush`/`Close`; `tx.Rollback()`, `rows.Close()`; connection deadlines; " +
			"`os.Remove`/`os.RemoveAll` cleanup; `os.Setenv`; `net.SplitHostPort` (no port is an " +
			"answer); constructors that fail only on a bad level or key size;\n" +
			"- calls not known to lose data: the program's own calls and library calls dropped as " +
			"statements are trusted (add persistence calls to the must-check list to have them " +
			"checked); `Close` of anything but a file created for writing and then written (files " +
			"opened with `os.Open`, response bodies, connections, listeners, database handles, " +
			"`io.Closer` interfaces); a deferred `Close` when the function also closes or syncs the " +
			"file and checks that error; writes to the standard streams, `io.Discard`, network " +
			"connections (the next read or write fails too) or an `io.Writer` of unknown provenance;\n" +
			"- `Flush` of a buffered writer held in a struct field or by the method's receiver: the " +
			"owner keeps the sticky error;\n" +
			"- dropped errors while handling another: in the body of `if err != nil`, or in a block " +
			"that goes on to return a non-nil error;\n" +
			"- `v, _ := f()` where `v` is only logged, where the first use of `v` compares it with " +
			"`nil` or `\"\"`, where `f` is a parser of constants or of text the program produced, an " +
			"unexported helper of the same package, a library call that does not read the outside " +
			"world, the error-returning twin of the enclosing function (`Match` calling " +
			"`MatchWithError`), or in a two-statement accessor that returns `v` (a deliberate \"zero on " +
			"failure\" API, unless it reads the environment itself);\n" +
			"- test helpers: files that import `testing` are skipped with the tests.",
		Fix: "\"Handle the error\": the error is checked with `if err != nil` and a failure branch that fits the function; a deferred call reports through a named error result, and an error in a `go` statement or a `defer` without one is logged.",
	},
}
