// Package discardederror implements the discarded-error rule: an error
// result dropped where its failure loses data or state.
package discardederror

import "github.com/failfast-dev/failfast/rules/spec"

// ID is the rule's stable public name.
const ID = "discarded-error"

const summary = "error result dropped where a failure loses data or state"

// Rule describes the rule for the registry.
var Rule = &spec.Rule{
	ID:       ID,
	Severity: spec.Warning,
	Summary:  summary,
	New:      New,
	Doc: spec.Doc{
		What: "Reports a call whose error result is thrown away without a word: a call statement " +
			"whose last result is an `error` (also under `go` and `defer`), and `v, _ := f()` where " +
			"the blank receives the error and `v` is then used.\n\n" +
			"It decides by provenance. A dropped error is reported when it comes from fallible work " +
			"whose failure loses data or state: writing a file (`os.WriteFile`, a write to a file the " +
			"function created, the `Close` of a written file, compressor or archive), committing a " +
			"transaction, flushing a buffered writer, writing to a network connection, starting a " +
			"server in a goroutine, or any call of the program's own. For `v, _ := f()` the message " +
			"names `v` and the zero value it holds when `f` fails.",
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
			"- an explicit `_ = f()` or `_, _ = f()`: the author said so;\n" +
			"- calls on the never-fail list (`provenance` lists, extendable with `never-fail`): " +
			"`fmt.Print*`, writes to `bytes.Buffer`, `strings.Builder`, hashes; sticky writers " +
			"(`bufio.Writer`, `csv.Writer`, gzip/flate/zlib/tar writers) whose error comes back " +
			"from `Flush`/`Close` (those are on the must-check list); `tx.Rollback()`, " +
			"`rows.Close()`; connection deadlines; `os.Remove`/`os.RemoveAll` cleanup; `os.Setenv`;\n" +
			"- `Close` of anything not written: files opened with `os.Open`, response bodies, " +
			"connections, listeners, database handles, any `io.Closer` or `io.WriteCloser` interface " +
			"of unknown origin; a file created and closed without being written; a deferred `Close` " +
			"when the function also closes or syncs the file and checks that error;\n" +
			"- writes whose failure nobody can act on: to `os.Stdout`/`os.Stderr`, `io.Discard`, an " +
			"`http.ResponseWriter` (or a type with its methods), a `tabwriter.Writer`, or an " +
			"`io.Writer` of unknown provenance (in practice terminal or response output);\n" +
			"- cleanup in a block that goes on to return a non-nil error (its error would only hide the " +
			"one being returned);\n" +
			"- `v, _ := f()` where `v` is only logged, where the first use of `v` compares it with " +
			"`nil` or `\"\"` (the failure is expected), where `f` is a parser applied to constants or " +
			"`json.Marshal` of a type that always marshals, or in a two-statement accessor that " +
			"returns `v` (a deliberate \"zero on failure\" API, unless it reads the environment itself);\n" +
			"- lines carrying golangci-lint's `//nolint:errcheck`.",
	},
}
