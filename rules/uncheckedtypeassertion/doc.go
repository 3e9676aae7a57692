// Package uncheckedtypeassertion implements the unchecked-type-assertion
// rule: a single-value type assertion on a value whose dynamic type is
// decided outside this code.
package uncheckedtypeassertion

import "github.com/failfast-dev/failfast/rules/spec"

// ID is the rule's stable public name.
const ID = "unchecked-type-assertion"

const summary = "single-value type assertion on a value whose dynamic type is decided outside this code"

// nolint names the golangci-lint linter that reports the same failure:
// //nolint:forcetypeassert silences this rule too.
var nolint = []string{"forcetypeassert"}

// Rule describes the rule for the registry.
var Rule = &spec.Rule{
	ID:       ID,
	Severity: spec.Error,
	HasFix:   true,
	Nolint:   nolint,
	Summary:  summary,
	New:      New,
	Doc: spec.Doc{
		What: "A single-value type assertion `x.(T)` on a value whose dynamic type another component " +
			"decides: an element of a document (`map[string]any`, `map[any]any`, `[]any`), wherever the " +
			"document arrives from (decoded here, a parameter, a field, a function's result, a channel) " +
			"and through the variables, ranges, type switches and nested assertions that take elements " +
			"from it, also an interface parameter that not every caller builds, or an interface field that a " +
			"decoder fills (tagged for an encoding, of a struct the package decodes), which the code narrows to a " +
			"document's shape (`switch t := matcher.(type) { case []any: … t[i].(string) }`, " +
			"`list, ok := h.Exclude.([]any)`; not an event's `Data any` that only the program fills); a " +
			"value a decoder filled (`json.Unmarshal(b, &v)` into `any`); a field of empty-interface type " +
			"that a struct tag names for an encoding (a field `Attrs any` tagged `json:\"attrs\"`), of a struct " +
			"type the package declares and decodes (a pointer to it passed as an interface value, " +
			"`json.NewDecoder(r).Decode(&is)`), wherever in the package the struct is read: the data decides " +
			"what the field holds; a `context.Context` value; a " +
			"`sync.Map` or `atomic.Value` load; a value looked up by key in a store of values of any type " +
			"(a method taking a key whose results are an interface value and a bool, as `sync.Map.Load`'s " +
			"are: gin's `Context.Get`, a database record's `Get`, a cache's `Get`); a value received from " +
			"a channel of interface values; " +
			"the value `recover()` returns; a value returned by another listed dynamic source.",
		Why: "The single-value form panics when the value holds another type, or is nil because the " +
			"key, field, stored value or context value is absent. The type is decided by data the " +
			"program did not write, by middleware that may not have run, by whether a store happened " +
			"yet, or by whatever was passed to `panic`, so the assumption breaks on input or timing, " +
			"not on a bug in this code, and the panic takes down the request or the process far from " +
			"the real cause (a renamed JSON field, a number sent as a string, a handler mounted " +
			"without its middleware, a read before the first store).",
		Bad: `func applyFile(cfg *Config, raw map[string]any) {
	db := raw["database"].(map[string]any) // raw came from a config file
	cfg.Port = int(db["port"].(float64))
}

user := r.Context().Value(userKey{}).(*User)`,
		Good: `db, ok := raw["database"].(map[string]any)
if !ok {
	return fmt.Errorf("config: database must be an object, got %T", raw["database"])
}

user, ok := r.Context().Value(userKey{}).(*User)
if !ok {
	http.Error(w, "not authenticated", http.StatusUnauthorized)
	return
}`,
		Exceptions: "- The two-value form `v, ok := x.(T)` and type switches.\n" +
			"- Assertions a dominating check proves: inside `case T:` of a type switch on the same " +
			"value, or under the `ok` of a two-value assertion to the same type.\n" +
			"- Documents the same code built: a composite literal or `make` in the same function, a " +
			"package-level variable declared with one (a table), the parameter of an unexported " +
			"function that every call in the package passes a document it built (an option bag, " +
			"`rpc(ctx, \"list\", params{...})`), the variadic `args ...any` of a " +
			"function (its callers' code, not data), and a field of a struct declared in the package " +
			"that the package stores into and only ever stores values it built (a parser's `[]any` of " +
			"results): not when the field has a struct tag, its address is taken, or a pointer to its " +
			"struct is passed as an `any` (a decoder may fill it). A field of a struct that is only ever " +
			"decoded from data compiled into the program (a `//go:embed` variable or an `embed.FS` file, " +
			"`json.Unmarshal(b, &table)` with `b` from `files.ReadFile`) holds the program's own constant.\n" +
			"- Interface values that are not taken from a document or a dynamic source (a parameter " +
			"or field of type `any` or of another interface, untagged or tagged `json:\"-\"`): their type is " +
			"the caller's contract; so is a tagged interface field of a struct the package never decodes (a tag " +
			"alone marks a struct encoded as output as often as one decoded), of a struct declared in another " +
			"package (whether that package decodes it is not known here), of a struct that the same function builds " +
			"with a composite literal and no decoder fills (`env := envelope{Data: \"x\"}`), or of one that the package " +
			"decodes only from data compiled into the program.\n" +
			"- `sync.Map` and `atomic.Value` loads that cannot miss and whose every store in the " +
			"package stores the asserted type: `LoadOrStore`, a `Load` under a check of its `ok` or " +
			"of the value being non-nil (or refilled by `LoadOrStore` when it missed; also when the value and its `ok` " +
			"are loaded again from the same `sync.Map`, `el, loaded = m.LoadOrStore(k, v)`, and otherwise only set " +
			"to false, so a true `ok` always comes from a load that found a value), an `atomic.Value` stored by a top-level statement of `init` " +
			"or by a statement of the block that creates the struct holding it, after the creation " +
			"(`l := &lock{}; l.holder.Store(owner{})`, also inside `if debug { ... }`), or a local one stored " +
			"before anything else mentions it (`var v atomic.Value; v.Store(pos{})`); a `Swap`, which gives the value " +
			"stored before it, is judged as a `Load`; for a slice or array of " +
			"`atomic.Value`s, the stores into any element count for every element, and the ring is filled first by a " +
			"loop over every index right after it is made (`for i := range r.slots` or " +
			"`for i := 0; i < n; i++` over `slots: make([]atomic.Value, n)`). A `Load` whose `ok` is dropped " +
			"can miss however uniform the stores are. The same for other keyed lookups: under a check of " +
			"their `ok`, when the package stores under the same key (the same constant, variable or key " +
			"literal) into values of the same type, and every such store holds the asserted type " +
			"(`c.Set(\"greeting\", \"hello\", ttl)`, then `if x, found := c.Get(\"greeting\"); found { ... x.(string) ... }`); " +
			"a method without a key (a queue's `Pop() (any, bool)`) is no lookup.\n" +
			"- A context value under a check that it is non-nil, when only this package can store " +
			"under the key (a variable or literal of an unexported type declared here) and every " +
			"`context.WithValue` with that key stores the asserted type (or a value loaded from the " +
			"same key). Without the nil check the " +
			"load can miss (the context may not have passed through the storing code), wherever " +
			"the key is declared.\n" +
			"- A receive from a channel of interface values that only the package reaches (an unexported " +
			"field or package-level variable, or a local), when the package only sends into it, receives from it, " +
			"ranges over it, measures, makes and closes it (it is not passed, returned or assigned elsewhere), every " +
			"send sends a value of the asserted static type (`p.ch <- &entry{...}`, then `(<-p.ch).(*entry)`), and " +
			"nothing closes it (a receive from a closed channel gives nil; a `range` ends at the close instead).\n" +
			"- `sync.Pool.Get`: the pool's `New` decides the type.\n" +
			"- Assertions on `error` values: matching error types is `errors.As`'s business.\n" +
			"- Assertions the author marks with `//failfast:ignore unchecked-type-assertion reason`.",
		Fix: "\"Use the two-value form and handle a mismatch\": `v := x.(T)` becomes `v, ok := x.(T)` followed by a failure branch that fits the function (an error naming the value and its type, `http.Error` in a handler, `t.Fatalf` in a test, `log.Fatalf` in `main`, else a panic with a message); an assertion inside a larger expression is first moved into a variable.",
	},
}
