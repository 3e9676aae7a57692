// Package uncheckedindex implements the unchecked-index rule: a constant
// index into a slice whose length depends on input (strings.Split results,
// os.Args, regexp submatches, csv records, url.Values entries) with no
// dominating length check.
package uncheckedindex

import "github.com/failfast-dev/failfast/rules/spec"

// ID is the rule's stable public name.
const ID = "unchecked-index"

const summary = "constant index into a slice whose length depends on input, with no length check"

// Rule describes the rule for the registry.
var Rule = &spec.Rule{
	ID:       ID,
	Severity: spec.Warning,
	HasFix:   true,
	Summary:  summary,
	New:      New,
	Doc: spec.Doc{
		What: "Reports a constant index `x[i]` into a slice whose length is decided by input, " +
			"when no check of the length dominates it. The slices are the results of the " +
			"splitters list (`strings`/`bytes` `Split*` and `Fields*`, `filepath.SplitList`, " +
			"`regexp` `Find*Submatch` and `FindAll*`, `csv.Reader.Read` and `ReadAll`, `os.Args`, " +
			"`flag.Args()`) and the entries of `url.Values`, `http.Header` and " +
			"`textproto.MIMEHeader` (`r.URL.Query()[\"id\"][0]`). The slice is followed through " +
			"local variables and re-slicing: `args := os.Args[1:]; args[0]` needs two arguments; " +
			"and a field of a struct type of the package is followed to the package's stores into " +
			"it: when one stores such a slice with no check that covers the index " +
			"(`Command{Args: fields[1:]}`), `c.Args[0]` depends on input too. " +
			"For the splitters that take a string (`Split*`, `Fields*`, the regexp `Find` methods) " +
			"the string must come from input: a listed external source, a reader " +
			"(`bufio.Scanner.Text`, `os.ReadFile`), a directory listing (`os.ReadDir`, the path and " +
			"entry of a `filepath.WalkDir` callback), an `*http.Request`, a parameter of an exported " +
			"function, or a parameter of a helper that some caller feeds such input.",
		Why: "`parts := strings.Split(line, \"=\"); parts[1]` works on every line the author " +
			"tried and panics on the first line without `=`: a malformed config line, a header " +
			"someone else sends, a missing command-line argument. The panic happens far from " +
			"where the input came in and says `index out of range [1] with length 1`, not what " +
			"was wrong with the input.",
		Bad: `func loadLabels(r io.Reader) map[string]string {
	labels := map[string]string{}
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		kv := strings.SplitN(sc.Text(), "=", 2)
		labels[kv[0]] = kv[1] // panics on a line without "="
	}
	return labels
}`,
		Good: `func loadLabels(r io.Reader) (map[string]string, error) {
	labels := map[string]string{}
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		k, v, ok := strings.Cut(sc.Text(), "=")
		if !ok {
			return nil, fmt.Errorf("line %d: want key=value, got %q", n, sc.Text())
		}
		labels[k] = v
	}
	return labels, sc.Err()
}`,
		Exceptions: "- Indexes guarded by a dominating check: `if len(parts) != 2 { return }`, " +
			"`if len(parts) < 2 { continue }`, `len(parts) > 1 && parts[1] == ...`, " +
			"`switch len(parts) { case 2: ... }` (and a `default` after cases 0 and 1), " +
			"`for len(rest) >= 2`, `flag.NArg() < 2` for `flag.Args()`, a check of `len(os.Args)` " +
			"before `args := os.Args[1:]`, a nil check or `re.MatchString(s)` for a submatch, " +
			"`re.MatchString(s)` for the first match of `re.FindAllStringSubmatch(s, n)` (n not 0), " +
			"`strings.Contains(s, sep)` or the found result of `strings.Cut(s, sep)` before " +
			"`strings.Split(s, sep)[1]` (also in every caller of " +
			"an unexported helper), `q.Has(k)` or a comma-ok lookup for a `url.Values` entry, and " +
			"padding in the short branch (`parts = append(parts, \"\")`). A check of a variable " +
			"that holds the length counts as a check of the length when nothing changes either " +
			"afterwards (`depth := len(parts)`, then `depth == 4 && parts[3] != \"\"`).\n" +
			"- Indexes of a local slice that an earlier index of the same slice, at the same position " +
			"or beyond, already took on every path, with nothing assigned to the slice since " +
			"(`pathParts[1] == \"orgs\" || pathParts[1] == \"users\"`, `repo := parts[1]` then " +
			"`parts[0]`, `err != nil && args[0] != \"a\" && args[0] != \"b\"`, the body of " +
			"`if ok && parts[1] != \"\"`): that index would have panicked first. For a regexp submatch any earlier " +
			"index proves the match, and a match has every group (`m[2]` after `m[1]`). An index in a " +
			"branch does not cover what follows the branch.\n" +
			"- Entries of a request's or response's header (`req.Header`, `resp.Header`, their " +
			"`Trailer`, `w.Header()`) under a constant name not in canonical form " +
			"(`req.Header[\"X-Akamai-ACS-Action\"][0]`): net/http canonicalizes every name it " +
			"reads, so only the program's own direct store makes the entry.\n" +
			"- Index 0 of `Split`, `SplitN` and `SplitAfter(N)` (never empty for n != 0), of " +
			"`os.Args` and of a csv record. `Fields(s)[0]` is reported: a blank line gives no fields.\n" +
			"- Splitting a constant, an `os.Environ()` entry at `=`, or any string the program " +
			"built itself (a fixed table's keys, an internal ID format, `fmt.Sprintf(\"%T\", v)`, " +
			"a callback's parameter): its shape is the author's invariant.\n" +
			"- Guards that end in a helper that never returns (`fatalf` calling `os.Exit`, found " +
			"through the package's function bodies: no `return` in it, and every path ends in an exit, also through " +
			"an if/else or switch; or an unexported package-level function variable every value of which is such a " +
			"function, `var exit = os.Exit`), another package's `Fatal*`, or a `usage()` call; " +
			"`strings.Count(s, sep) >= n`, `strings.HasPrefix(s, \"key=\")`, `strings.ContainsRune(s, '=')`, " +
			"`strings.Index`, `IndexRune`, `IndexByte` or `LastIndex` of the separator `>= 0` (or `> 0`, `!= -1`); " +
			"a nil check of a `FindAll*` result for index 0; a trimmed non-empty string for `Fields(s)[0]`, a non-empty one for `filepath.SplitList(s)[0]`.\n" +
			"- Slices passed in as parameters: their length is the caller's business (a command " +
			"framework that validated the argument count). A field whose every store of an " +
			"input-length slice is checked for the index (`if len(parts) != 2 { return }; " +
			"pair{parts: parts}`) is not reported either.\n" +
			"- Rows of `FindAllStringSubmatch`: a match always has every group.\n" +
			"- Fields of a csv record below the reader's `FieldsPerRecord`, when the enclosing " +
			"function sets it to a positive constant before the `Read` or `ReadAll` " +
			"(`dec.FieldsPerRecord = 12`): the reader returns `csv.ErrFieldCount` for a record of " +
			"any other length.",
		Fix: "\"Guard the index with a length check\": one `if len(x) < N` before the first " +
			"constant index of the slice, N covering the largest index the following statements of " +
			"the block use unconditionally (fix-all then writes one check per record, not one per " +
			"field), or `if m == nil` for a regexp submatch; a slice returned by a call is first " +
			"stored in a variable. The failure says what was wrong in the input's terms " +
			"(`malformed line %q: want KEY=VALUE`, `record %q: want 4 fields, got %d`, `missing code`); " +
			"in an HTTP handler, a slice derived from the request is answered with 400 and that " +
			"message, anything else with 500.",
	},
}
