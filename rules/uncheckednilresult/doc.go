// Package uncheckednilresult implements the unchecked-nil-result rule: a result that a function may return as nil, used as if it never were.
package uncheckednilresult

import "github.com/failfast-dev/failfast/rules/spec"

// ID is the rule's stable public name.
const ID = "unchecked-nil-result"

const summary = "result of a function that may return nil, dereferenced without a nil check"

// Rule describes the rule for the registry.
var Rule = &spec.Rule{
	ID:       ID,
	Severity: spec.Warning,
	HasFix:   true,
	Summary:  summary,
	New:      New,
	Doc: spec.Doc{
		What: "Reports the first use that needs a non-nil value (a field through a pointer, `*p`, a call " +
			"of a func value, a method of an interface, a pointer method that is not nil-safe, a store into " +
			"a map, a send or receive on a channel) of a result that the called function may return as nil " +
			"unannounced, when no nil check of the result comes before the use on every path. A function " +
			"may return nil in a result when one of its returns gives there the literal `nil`, a map " +
			"element (nil for a missing key), a call that may itself return nil, or a local variable that " +
			"holds one of those (or was declared without a value) on the path to that return; and the " +
			"return does not announce it: the function's last result is not an error other than `nil`, " +
			"nor an ok bool other than `true`. Functions of the module are summarised in dependency order " +
			"(go/analysis facts), so a call into another package is understood; the standard library's " +
			"nil-on-miss lookups (`flag.Lookup`, `(*template.Template).Lookup`, `errors.Unwrap`, " +
			"`(*list.List).Front`, `pem.Decode`, ...) are a provenance list that `nil-on-miss` in " +
			"`.failfast.yaml` extends. The finding names the function and the line of its `return nil`, " +
			"which is also its related place.\n\n" +
			"It also reports the target of `errors.As(err, &target)` read where `As` returned false (the right " +
			"operand of `!errors.As(...) &&` or `errors.As(...) ||`, the body of `if !errors.As(...)`, the else of " +
			"`if errors.As(...)`): a field of it or `*target`, when the target is a local pointer declared without a " +
			"value (`var dnsErr *net.DNSError`) that nothing else assigns, outside any loop that does not also hold " +
			"its declaration. `As` leaves the target untouched when it finds nothing, so it is still nil there " +
			"(`!errors.As(err, &dnsErr) && !dnsErr.IsNotFound`, an inverted test). A method call on it is left out: " +
			"a method may accept a nil receiver.",
		Why: "A lookup that returns nil for \"not found\" hands its caller a value that works until the " +
			"one request whose key is missing: then a nil dereference panics in the caller, with a stack " +
			"that points at the symptom (`u.Name`), far from the cause (the id nobody has), and the " +
			"request, job or process dies with it.",
		Bad: `func (s *Store) Find(id string) *User {
	for _, u := range s.users {
		if u.ID == id {
			return u
		}
	}
	return nil
}

func (h *Handler) hello(w http.ResponseWriter, r *http.Request) {
	u := h.store.Find(r.PathValue("id"))
	fmt.Fprintf(w, "hello %s", u.Name)
}`,
		Good: `func (h *Handler) hello(w http.ResponseWriter, r *http.Request) {
	u := h.store.Find(r.PathValue("id"))
	if u == nil {
		http.Error(w, "no such user", http.StatusNotFound)
		return
	}
	fmt.Fprintf(w, "hello %s", u.Name)
}`,
		Exceptions: "Not reported:\n\n" +
			"- a function that never returns nil in that result: every return gives a constructed value, " +
			"a parameter, a field, or a variable set on every path to it (also through an if with an else, " +
			"or a switch with a default, each branch of which sets it or ends, or a range over a slice, map or " +
			"string that a dominating length check proves not empty, whose body sets it before any continue or " +
			"break: `if len(urls) == 0 { return nil, err }` then `for _, u := range urls { opts = parse(u) }`; " +
			"inside a range that assigns it, an element: `for _, vr = range vrs { if match(vr) { return vr, true } }`), " +
			"or a map element under a nil or " +
			"comma-ok check of it or after a value that is not nil was stored into it " +
			"(`f.m[k] = newFactory(k); return f.m[k]`); a `return nil` in the branch of `if err != nil` on a " +
			"call whose error is documented to be always nil (`crypto/rand.Read` since Go 1.24, " +
			"`bytes.Buffer.Write`) is never reached;\n" +
			"- a context accessor: a function each of whose returns gives nil or the value it loads from a " +
			"request's context (`ctx.Value(key)`, or the `c.Get(key)` of gin's and echo's contexts; " +
			"`FromContext(ctx)`: `if b, ok := ctx.Value(key).(*Backend); ok { return b }; return nil`). " +
			"Whether the context holds the value is decided by how the program wires its handlers (the " +
			"middleware that stores it), the same for every request that takes that path, not by input, so a " +
			"missing store fails on the first such request. An accessor whose doc comment names nil as an answer " +
			"(\"FromContext returns the request's session, or nil for anonymous requests\") is reported like any " +
			"lookup: its author says the value is absent for some requests; a function that also returns a lookup of its own " +
			"(`return s.Find(id)` with an id from the context) is still summarised by that lookup;\n" +
			"- a `return nil` that cannot be reached: after a call that never returns (`os.Exit`, `log.Fatal`, " +
			"`panic`, a function of the package that always does, and the listed calls of common libraries: " +
			"logrus's and klog's fatal logging, a structured logger's fatal event (`log.Fatal().Msg(...)` of zerolog, " +
			"gologger's `gologger.Fatal().Msgf(...)`), gopher-lua's `ArgError`, `TypeError`, `RaiseError` and `Error`, " +
			"which raise a Lua error);\n" +
			"- a nil-on-miss lookup whose answer is fixed by the language: `types.Universe.Lookup` of a " +
			"constant name the universe holds (`types.Universe.Lookup(\"error\")`), which the rule looks up " +
			"itself;\n" +
			"- a nil announced beside it: `return nil, err` with an error other than `nil`, `return nil, " +
			"false` (dropping that error or ok is discarded-error's business); but a function with one " +
			"`return nil, nil` path is not protected by its callers' `err` checks, and their uses are " +
			"findings;\n" +
			"- a use under a nil check of the result: in the branch of `if v != nil`, after `if v == nil { " +
			"return }` (or a branch that sets it), on the right of `v != nil &&`, in a loop whose condition " +
			"tests it; a use of a call's result right under a nil check of the same call (`if a.Top() != nil " +
			"{ a.Top().Stop() }`, `a.Top() != nil && a.Top().Name()`), unless the receiver's variable is " +
			"assigned in between; `Front` and `Back` of a `container/list.List` under a check that its " +
			"`Len()` is at least 1 (they are nil exactly when the list is empty); a use where a method that " +
			"answers true for a nil receiver answered false (`d.Empty() || d.Ops.Added == nil`, `if !d.Empty() " +
			"{ d.Ops }`, for `func (d *Diff) Empty() bool { return d == nil || ... }` or one that begins `if d == " +
			"nil { return true }`; a go/analysis fact, `trueOnNil`, carries it to other packages);\n" +
			"- a result that is only passed on, compared, stored or returned: the code that uses it is " +
			"where a check belongs, and this rule reports there when it can see it;\n" +
			"- a pointer method that is nil-safe by its own code (it dereferences its receiver only under " +
			"a nil check, or not at all), such as `func (n *Node) Attr(k string) string { if n == nil { " +
			"return \"\" }; ... }`, and the standard library's methods on the nil-safe list " +
			"(`(*runtime.Func).Name`, `(*url.Userinfo).Username`; `nil-safe` in `.failfast.yaml` extends it), " +
			"since check has no facts for the standard library;\n" +
			"- a use after the variable was given another value;\n" +
			"- results of the error type and of the empty interface, whose nil is an ordinary value, and " +
			"slices, which read as empty.",
		Fix: "Inserts a nil check right after the call that ends the path the way the function's other " +
			"failure paths do: return the zero values and an error naming the lookup in a function that " +
			"returns an error, `http.Error(w, \"... not found\", http.StatusNotFound)` and return in an " +
			"HTTP handler, `continue` in a loop.",
	},
}
