// Package uncheckedmaplookup implements the unchecked-map-lookup rule: a
// single-value map lookup whose nil zero value is then dereferenced, called
// or written into, or a field of a decoded document passed on without a
// presence check.
package uncheckedmaplookup

import "github.com/failfast-dev/failfast/rules/spec"

// ID is the rule's stable public name.
const ID = "unchecked-map-lookup"

const summary = "map lookup whose result is used as if the key were present"

// Rule describes the rule for the registry.
var Rule = &spec.Rule{
	ID:       ID,
	Severity: spec.Warning,
	HasFix:   true,
	Summary:  summary,
	New:      New,
	Doc: spec.Doc{
		What: "Reports a single-value lookup `m[k]` whose zero value makes the program fail:\n\n" +
			"- the element is a pointer, interface, map, func or slice, and the lookup (or a variable " +
			"`v := m[k]` holding it, before any nil check) is dereferenced (`m[k].Field`, `*m[k]`), " +
			"has a method called on it, is called (`m[k](x)`), is written into (`m[a][b] = v`, " +
			"`m[a][b]++`: a missing inner map panics), or, directly, is indexed (`m[k][0]`: a missing " +
			"key is an empty slice), where the key can be absent for a reason outside the program: " +
			"it comes from input, the map does (`r.URL.Query()`, `r.Header`), or the map is a " +
			"registry filled under keys from input (`m[name] = h` in an exported `Register`), so " +
			"that other keys need not be among them;\n" +
			"- the map is a document from outside (`map[string]any` decoded here, or arriving as a " +
			"parameter, field or result, or asserted from one) and a constant key's value is used as " +
			"if present: asserted with the single-value form, passed to a function, returned, or " +
			"stored into a field, element or literal (a local variable is judged where it is used).\n\n" +
			"The finding is at the lookup; when the failing use is elsewhere (through a " +
			"variable), it is attached as related information.",
		Why: "A lookup of a missing key does not fail: it returns the zero value, and the " +
			"program fails later, where the value is used: a nil pointer dereference in a " +
			"handler far from the request that carried the unknown ID, or a `nil` document " +
			"field saved as if it had been sent. The key usually comes from outside (a " +
			"request, a parsed file, a caller of an exported API), so the assumption that it " +
			"is present is an assumption about input. A document field asserted " +
			"with the single-value form panics the same way.",
		Bad: `func (s *Server) user(r *http.Request) string {
	sess := s.sessions[r.Header.Get("X-Session")]
	return sess.User // nil pointer dereference for an unknown session
}`,
		Good: `func (s *Server) user(r *http.Request) (string, error) {
	sess, ok := s.sessions[r.Header.Get("X-Session")]
	if !ok {
		return "", errUnknownSession
	}
	return sess.User, nil
}`,
		Exceptions: "- Comma-ok lookups; stores (`m[k] = v`, `m[k]++`), `append(m[k], x)`, " +
			"`range m[k]`, `len(m[k])`, reading from a missing inner map (`m[a][b]`), and every " +
			"use of harmless zero values (numbers, strings, structs) and of sets " +
			"(`map[T]bool`, `map[T]struct{}`); a slice element held in a variable (its length check " +
			"is unchecked-index's business).\n" +
			"- Lookups under a dominating presence or nil check (`if m[k] != nil`, " +
			"`_, ok := m[k]; if !ok { return }`, `if v == nil { v = ...; m[k] = v }`, or a length " +
			"check that proves the element non-empty: `len(m[k]) == 1 && m[k][0] == x`), and keys " +
			"just inserted (`m[k] = v` before the use).\n" +
			"- Keys the program guarantees: a constant key into a table the program fills (not a " +
			"map from input), the key of a range over the same map, keys collected from the same " +
			"map (`maps.Keys(m)`, `slices.Sorted(maps.Keys(m))`, `for k := range m { keys = append(keys, k) }`, " +
			"or a function of the module that returns only a map parameter's keys, such as a " +
			"`SortedMapKeys(m)` helper, known by its summary and not by its name; the map may be " +
			"held in a local variable, `content := resp.Content`), and keys the same function stores under (an index built from the same " +
			"collection).\n" +
			"- Keys and maps that input does not reach (by `flow.Inputs`: listed external sources, " +
			"an `*http.Request`, values read by a Read/Decode/Unmarshal/Scan call, directory " +
			"listings (`os.ReadDir`, `filepath.Glob`) and the `path` and entry a " +
			"`filepath.WalkDir` or `filepath.Walk` callback receives, parameters of the " +
			"exported API and of helpers that some caller feeds input): a lookup in the package's " +
			"own tables by the package's own keys relies on an invariant it maintains.\n" +
			"- A request's or response's header (`req.Header`, `resp.Header`, their `Trailer`, " +
			"`w.Header()`) under a constant name not in canonical form " +
			"(`req.Header[\"X-Akamai-ACS-Action\"]`): net/http canonicalizes every header name it " +
			"reads (and `Set`, `Add`, `Get` theirs), so only the program's own direct store puts " +
			"such a key in the map.\n" +
			"- Documents the same code built (a composite literal or `make` in the same function, a " +
			"package-level table, the parameter of an unexported function that every call in the " +
			"package passes a document it built, a field of a struct of the package into which the " +
			"package only ever stores documents it built, untagged, its address never taken and no " +
			"pointer to its struct passed as an `any`), and document fields only compared (also by an " +
			"equality function: `reflect.DeepEqual`, go-cmp's `cmp.Equal`, `bytes.Equal`) or kept in a " +
			"local variable.\n" +
			"- Document fields that only describe themselves to a person (an argument of " +
			"`fmt.Errorf`, of a logger, of `fmt.Print*` or of `fmt.Fprint*` to `os.Stdout` or " +
			"`os.Stderr`, or formatted with `%T`: a nil prints as `<nil>` where the person reads it; " +
			"`fmt.Sprintf` and `fmt.Fprintf` to another writer make data and are reported), and fields " +
			"passed to a function of the package that tests that parameter (compares it with nil, " +
			"or tests its type with a two-value assertion or a type switch): it handles absence.\n" +
			"- Method calls on a pointer element through a pointer receiver, which may be " +
			"nil-safe (protobuf getters).\n" +
			"- A single-value assertion of a document field is reported by both this rule and " +
			"unchecked-type-assertion, because both assumptions are made (the field is present, and " +
			"it has the type); the one fix, the two-value assertion, answers both.",
		Fix: "\"Check that the key is present\": `v := m[k]` becomes `v, ok := m[k]` followed by a failure branch naming the key (in an HTTP handler, a missing query parameter or header is a 400 naming it); a key computed by a call is first stored in a variable; a document field asserted with the single-value form gets the two-value assertion instead, which fails on a missing field too.",
	},
}
