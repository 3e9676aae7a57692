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
			"value with `%v`, `%s` or `%q` (or its `.Error()` text), or with a verb that is not for errors at all " +
			"(`%e`, a slip for `%w`, which `fmt` prints as `%!e(...)`; not `%T` or `%p`), instead of `%w`, wherever it is and " +
			"whatever the error's origin; `errors.New(err.Error())`, `errors.New(\"...: \" + err.Error())`, " +
			"`fmt.Errorf(\"...: \" + err.Error())` and `errors.New(fmt.Sprintf(..., err))`; and, inside an " +
			"`if err != nil` branch, a returned `errors.New` or `fmt.Errorf` that neither wraps nor mentions " +
			"`err`, even when the branch logged `err` first (the log is not the caller).",
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
			"- an error from a call whose error is nil in every return of its body (a fact, so that " +
			"calls into other packages of the module count too): the branch that handles it never runs; " +
			"a bare return counts as nil for a named error that nothing in the body sets, and a named error that " +
			"anything sets, a deferred `recover` handler included, makes the function fail; and from a call documented never to fail " +
			"(`crypto/rand.Read`, `bytes.Buffer.Write`) or proved not to (`json.Marshal` of a string), or a look-up in " +
			"the program's own flag table (pflag's `GetBool`, `GetString`, ..., cobra's `MarkFlagRequired`, viper's " +
			"`BindPFlag`), which fails only for a flag the program did not define, on every run alike;\n" +
			"- a format that already wraps an error with `%w`: a second error formatted with `%v` (a Close " +
			"error beside the main one) and, in an `if err != nil` branch, a new error wrapping a sentinel " +
			"(`fmt.Errorf(\"%w: %q\", ErrBadPort, s)`) show the author chose which cause callers see. Not " +
			"exempt, from Go 1.20 on (where a format may wrap several errors): an error formatted with `%v` " +
			"beside a `%w` that wraps only a sentinel, a package-level error variable " +
			"(`fmt.Errorf(\"%w: %v\", ErrCantConnect, err)`): the sentinel names the kind of failure, and its " +
			"cause is lost to `errors.As`; the fix wraps both;\n" +
			"- an `if err != nil` branch that returns a sentinel (`return ErrNotFound`), or something that " +
			"is not a new error: a deliberate translation callers can test;\n" +
			"- a new error in the branch whose arguments mention `err` in another way " +
			"(`errors.New(explain(err))`): what the helper keeps cannot be seen;\n" +
			"- a new error in the branch after a pure parser that names the text it failed on " +
			"(`fmt.Errorf(\"port %q is not a number\", port)` after `strconv.Atoi(port)`): the parser's " +
			"error carries nothing but that text and a syntax or range reason, and the new one says it in " +
			"the caller's terms. The pure parsers are the rule's own list (`pureParsers`, not the " +
			"configurable `parsers`): `strconv`'s Atoi, Parse* and Unquote, `time.Parse` (its second " +
			"argument), `ParseInLocation` and `ParseDuration`, `url.Parse`, `ParseRequestURI`, " +
			"`ParseQuery` and the unescapers, `net.ParseMAC`, `ParseCIDR` and `SplitHostPort`, `netip`'s " +
			"parsers, `mail.ParseAddress`, `mime.ParseMediaType`, `path.Match` and `filepath.Match` " +
			"(only `ErrBadPattern`), `regexp.Compile`, base64, base32 and hex `DecodeString`, and " +
			"`json.Unmarshal` into a value that nothing of the program's decodes (no `UnmarshalJSON` or " +
			"`UnmarshalText` but `time.Time`'s, `json.RawMessage`'s and a few other standard parsers'); " +
			"not `time.LoadLocation`, which reads the time zone database. The same holds after one of the " +
			"module's functions whose every error is nil or a fresh error made only of constants and its " +
			"text parameters (`fmt.Errorf(\"didn't find backend called %q\", name)`; a sentinel, a wrapped " +
			"or passed-on error, a bare return disqualify it; a fact crosses packages). The text counts as " +
			"named when the message names the variable or field it is, or one it was cut from by a local " +
			"variable assigned only there: by indexing, slicing, a type assertion or a function of " +
			"`strings` or `bytes` (`ints := strings.Split(part, \":\")`, then `strconv.ParseInt(ints[0], " +
			"10, 64)` and `fmt.Errorf(\"invalid range: %q\", part)`). A message that does not name the " +
			"text (`errors.New(\"invalid key\")`) is reported, and so is one after any other call, even " +
			"when it names the call's arguments (`fmt.Errorf(\"cannot read %s\", path)`);\n" +
			"- formats that are not constant (other than a concatenation with `err.Error()`) and formats " +
			"with explicit argument indexes: the verbs cannot be read, nor the fix written safely;\n" +
			"- verbs that do not print the error's text (`%T`, `%d`, `%p`);\n" +
			"- a new error handed straight to `panic` (`panic(fmt.Errorf(\"bad network %s: %v\", s, err))`): no " +
			"caller receives it to test; the same for one handed straight to a function of the package whose error " +
			"parameter only text consumes, every use of it in the body an argument of a log call or an fmt print, or " +
			"`err.Error()` (`func Error(w, r, err error, code int)` that logs it and answers " +
			"`http.Error(w, err.Error(), code)`): it reaches a log line and a reply's body, which print its text;\n" +
			"- where the author says the cause is left out on purpose, in a comment on the line of the new " +
			"error or just above it, or above the `if err != nil`: \"do not include the original error, as it " +
			"contains the password\", \"don't leak the underlying error\", \"hide the cause\", \"redact the " +
			"error\", or the words with which discarded-error accepts a deliberate drop (\"deliberately\", " +
			"\"on purpose\"). A comment that only describes the failure is not such a statement.\n\n" +
			"Document an opaque error at an API boundary with `//failfast:ignore unwrapped-error reason`.",
		Fix: "\"Wrap the error with %w\": the verb becomes `%w` (`err.Error()` becomes `err`), `errors.New(err.Error())` becomes `err` (`fmt.Errorf(\"%w\", err)` when `err`'s type is not `error`), a concatenation becomes a format (`fmt.Errorf(\"import: %w\", err)`), and a new error in an `if err != nil` branch gets `: %w` and the error.",
	},
}
