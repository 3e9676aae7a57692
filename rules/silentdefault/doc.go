// Package silentdefault implements the silent-default rule: a fallback
// value chosen, without a log, for a setting that is missing or for input
// that failed to parse.
package silentdefault

import "github.com/failfast-dev/failfast/rules/spec"

// ID is the rule's stable public name.
const ID = "silent-default"

const summary = "fallback value chosen for a missing setting or malformed input without a log"

// Rule describes the rule for the registry.
var Rule = &spec.Rule{
	ID:       ID,
	Severity: spec.Info,
	HasFix:   true,
	Summary:  summary,
	New:      New,
	Doc: spec.Doc{
		What: "A fallback chosen without telling anyone:\n\n" +
			"- a setting read from the environment (`os.Getenv`, `os.LookupEnv`, or another " +
			"configured external source) replaced, when it is empty or unset, by a default spelled " +
			"out at the fallback (a literal, `30 * time.Second`, `[]string{\"localhost:9092\"}`), whether " +
			"as `if v == \"\" { v = \"8080\" }`, as a default assigned before `if v := os.Getenv(…); " +
			"v != \"\" { x = v }`, as the `return fallback` of a `getEnv(key, fallback)` helper that a " +
			"caller passes a spelled-out default, or " +
			"as `cmp.Or(os.Getenv(\"X\"), \"y\")`; the value may be held in a local variable or a " +
			"field (`cfg.DatabaseURL = os.Getenv(…)`);\n" +
			"- an application header of an HTTP request (`r.Header.Get(\"X-User\")`, any header no " +
			"HTTP standard defines) replaced the same way: a gateway, a proxy or the client's SDK is " +
			"configured to send it, and its absence means that configuration is wrong;\n" +
			"- a field of a document from outside (decoded JSON or YAML, a `map[string]any` " +
			"parameter) asserted to its type and replaced when it is missing or of another type " +
			"(`if c, ok := m[\"currency\"].(string); ok { … } else { cur = \"USD\" }`, or the default " +
			"assigned before), again by a spelled-out value: whoever wrote the data left the field out " +
			"or changed its shape;\n" +
			"- the error branch of a parse or conversion (`strconv`, `time.Parse`, " +
			"`time.ParseDuration`, `url.Parse`, `json.Unmarshal`, …, or a function of the package " +
			"that returns an error and calls one of them, such as a `parseDate` trying several " +
			"layouts) that assigns or returns a fallback, whatever it is, instead of reporting the error, including " +
			"the return after `if n, err := strconv.Atoi(s); err == nil { return … }` when that " +
			"branch returns the value or something built from it " +
			"(`context.WithTimeout(ctx, time.Duration(n)*time.Minute)`).\n\n" +
			"The finding is at the fallback assignment or return; the related location is the read " +
			"or the parse.",
		Why: "A misspelt variable name, a setting left out of a deployment, or `TIMEOUT=30` where " +
			"`30s` was expected all produce a program that starts and runs with values nobody chose. " +
			"Nothing fails, so nobody looks, until the default causes trouble far from the cause: a " +
			"service listening on the wrong port, a pool sized 4 in production, a timeout of 30 " +
			"seconds instead of 30 minutes.",
		Bad: `port := os.Getenv("PORT")
if port == "" {
	port = "8080"
}
workers, err := strconv.Atoi(os.Getenv("WORKERS"))
if err != nil {
	workers = 4
}`,
		Good: `port := os.Getenv("PORT")
if port == "" {
	port = "8080"
	slog.Info("PORT not set, using default", "port", port)
}
workers, err := strconv.Atoi(os.Getenv("WORKERS"))
if err != nil {
	return fmt.Errorf("WORKERS: %w", err)
}`,
		Exceptions: "- For a missing value (a setting unset or empty, a header or a document field " +
			"absent), a default that is declared or derived rather than spelled out at the fallback: a " +
			"named constant or variable (`h = defaultHost`: declared once, where its name and comment " +
			"state it), a value derived from the running system or from other input (`runtime.GOOS`, " +
			"`filepath.Join(home, \".cache\")`, another setting, what the method's receiver holds, " +
			"`make(…)`), and a helper's fallback parameter that no caller in the package fills with a " +
			"spelled-out value. What is reported is an invented value: a literal, constant arithmetic " +
			"on literals (`30 * time.Second`), `true`/`false`, or a composite literal of such values " +
			"(`[]string{\"localhost:9092\"}`), written where the code needed one (a placeholder " +
			"password, a database URL, an environment name). A *malformed* value (the error branch of " +
			"a parse) is reported whatever its fallback: the value was set, and the program ignored it.\n" +
			"- Documented defaults: a comment from the line above the read (or above the " +
			"declaration that first assigns the same fallback, `modified := obj.Created`) to the end of " +
			"the fallback that says \"default\", \"optional\" or \"fall back to\", or that states the " +
			"drop deliberate (the common test of failfast's rules, which includes naming the failure " +
			"as the condition of an assumed answer: `return true // If can't parse, assume local`); " +
			"or a doc comment that speaks for the code — of the enclosing function or, for the " +
			"initializer of a package-level variable, of that variable and of the accessors that " +
			"return it — which says \"default\" and names the setting (`// cacheDir returns " +
			"APP_CACHE_DIR, by default /var/cache/app.`) or states what is returned or used when the " +
			"input is missing or invalid (`// … or defaultValue when missing, invalid, or negative.`; " +
			"not `… or an error if it is invalid`, and not a doc comment that merely mentions a " +
			"default), or names the setting and presents it as an override (\"the replacement binary via " +
			"gpgExecEnv\", \"in order of preference: 1. $GNUPGHOME …\", \"overrides\"), or says the function " +
			"\"returns the default\"; or a fallback that is a package-level constant or variable whose " +
			"declaration's comment calls it the default (`// Default value of the allowlist.`): the author " +
			"stated the default is the interface. A doc comment that only names the setting " +
			"(`// ttlFromEnv reads APP_SESSION_TTL as a Go duration.`) states no default.\n" +
			"- Branches that log (`log`, `slog`, any `Warn`/`Info`/… method of a logger), call " +
			"anything for its effect (`http.Error`, `usage()`), mention the error, return an error " +
			"(an `error`, or a pointer to an error type of the program's or a library's own such as `*cli.ExitError`) " +
			"or replace the failure with another error, of either kind (`err = fmt.Errorf(…)`, which the caller " +
			"receives, or `resp.Error = ErrorBadRequest`, an API's error reply), skip the item (`continue`), or exit; and fallbacks after a parse by a function " +
			"of the package that itself logs every failure before returning it (each return of an " +
			"error follows a call statement in its block, as in a reporting branch).\n" +
			"- Branches that only append to a list (`unused = append(unused, \"APP_KEY\")`): they record the " +
			"absence, for a later report, and substitute no value for the setting.\n" +
			"- Option and struct defaulting (`if o.Timeout == 0 { o.Timeout = … }`): the value was " +
			"not read from outside.\n" +
			"- Query, form and path parameters and command-line arguments (`r.URL.Query().Get`, " +
			"`r.FormValue`, `flag.Arg`): an optional parameter the caller chose to omit is an " +
			"interface choice. Their *parse* errors are still reported.\n" +
			"- Headers the HTTP standards define, and the de facto standard ones (`Content-Type`, " +
			"`Accept`, `X-Forwarded-*`, `X-Request-Id`): their absence has a defined meaning. " +
			"Headers of a response (`resp.Header.Get`): another service's answer, not a setting " +
			"of this one.\n" +
			"- Conventional operating-system variables with a well-known default (`HOME`, `TMPDIR`, " +
			"`PATH`, `EDITOR`, `PAGER`, `TERM`, `XDG_*`, …), and those of other software whose " +
			"documentation gives the default (`SSL_CERT_FILE`, `KRB5_CONFIG`, `DOCKER_HOST`, `GOOS`, " +
			"`KUBECACHEDIR`, …), compared in upper case (Windows' `LocalAppData` is `LOCALAPPDATA`).\n" +
			"- Variables set by the platform rather than the operator (`KUBERNETES_SERVICE_HOST`, " +
			"`AZURE_FEDERATED_TOKEN_FILE`, `CI`, the GitHub Actions runner's `ACTIONS_*` and " +
			"`RUNNER_*`, …): absent means \"not running there\"; and `envOr(name, def)` helpers whose " +
			"every caller names such a variable.\n" +
			"- Fields of a document the same function built (`m := map[string]any{…}`): it holds " +
			"what the code put there. Fields the function stores back into the document it read " +
			"them from (`p, ok := cfg[\"providers\"].(map[string]any); if !ok { p = map[string]any{…} " +
			"}; …; cfg[\"providers\"] = p`): the function is editing the document, and what it " +
			"creates for a missing section is what it means to write.\n" +
			"- Fields of a document passed as a parameter whose fallback is built from the function's " +
			"other parameters (`if c, ok := args[\"command\"].(string); ok { return tool + \":\" + c }; " +
			"return tool`), through locals assigned only such values and constants: the caller chose " +
			"both the document and the answer without the field.\n" +
			"- Parses of constants, and converters of their own parameter (`func retryAfter(t string) " +
			"time.Duration`): the fallback is the function's contract, and the text's origin is its " +
			"callers' business.\n" +
			"- Zero values and sentinels (`return \"\"`, `return -1`, `x = nil`, `n = -1`, `return \"\", false`, " +
			"an empty map or slice: `map[string]any{}`, `make(map[string]any)`, `make([]any, 0)`), " +
			"a yes/no answer in a predicate (`if _, err := strconv.Atoi(s); err != nil { return false " +
			"}`), type sniffing that keeps the raw text (`if n, err := strconv.Atoi(s); err == nil { " +
			"return n }; return s`), a setting that extends the default (`ua = env + \" \" + ua`), and a " +
			"zero-value initialisation before an override.",
		Fix: "\"Log the default that is chosen\": a warning naming the setting (or the header, or " +
			"the parse), why the default is used (not set, or not valid and what a valid value looks " +
			"like) and the default when it is a constant. It never logs a value that came from " +
			"outside: not the setting's text, not the parse error (which quotes it), not a fallback " +
			"read from another variable; any of them may be a secret.",
	},
}
