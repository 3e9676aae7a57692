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
			"- the element is a pointer, interface, map or func, and the lookup (or a variable " +
			"`v := m[k]` holding it, before any nil check) is dereferenced (`m[k].Field`, `*m[k]`), " +
			"has a method called on it, is called (`m[k](x)`), or is written into " +
			"(`m[a][b] = v`, `m[a][b]++`: a missing inner map panics);\n" +
			"- the map is a decoded document (`map[string]any` passed to an `Unmarshal`/`Decode` " +
			"call, or asserted from one) and a constant key's value is passed to a function, " +
			"returned, or stored into a field, element or literal without a presence check (a " +
			"local variable is judged where it is used).\n\n" +
			"The finding is at the lookup; when the failing use is elsewhere (through a " +
			"variable), it is attached as related information.",
		Why: "A lookup of a missing key does not fail: it returns the zero value, and the " +
			"program fails later, where the value is used: a nil pointer dereference in a " +
			"handler far from the request that carried the unknown ID, or a `nil` document " +
			"field saved as if it had been sent. The key usually comes from outside (a " +
			"request, a parsed file, a caller of an exported API), so the assumption that it " +
			"is present is an assumption about input.",
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
			"use of harmless zero values (numbers, strings, structs, slices) and of sets " +
			"(`map[T]bool`, `map[T]struct{}`).\n" +
			"- Lookups under a dominating presence or nil check (`if m[k] != nil`, " +
			"`_, ok := m[k]; if !ok { return }`, `if v == nil { v = ...; m[k] = v }`), and keys " +
			"just inserted (`m[k] = v` before the use).\n" +
			"- Keys that do not come from input: only a key derived from a listed external source, " +
			"an `*http.Request`, a value read by a Read/Decode/Unmarshal/Scan call, a parameter of an " +
			"exported function (outside `internal` and `main` packages), or a parameter of a helper " +
			"that some caller feeds such input, is an assumption; keys from the package's own state " +
			"(struct fields, internal IDs, parallel collections) are invariants it maintains.\n" +
			"- Keys the program guarantees: constant keys (a table the package fills), the key " +
			"of a range over the same map, keys collected from the same map (`maps.Keys(m)`, " +
			"`for k := range m { keys = append(keys, k) }`, a `sortedKeys(m)` helper), and keys " +
			"the same function stores under (an index built from the same collection).\n" +
			"- Method calls on a pointer element through a pointer receiver, which may be " +
			"nil-safe (protobuf getters).\n" +
			"- Type assertions of the value (`doc[\"name\"].(string)`): a single-value assertion " +
			"panics on a missing key and on a wrong type alike, and unchecked-type-assertion " +
			"reports it; the two-value form handles both. This rule reports decoded-document " +
			"fields only where they travel on untyped, and never the same expression as that rule.",
		Fix: "\"Check that the key is present\": `v := m[k]` becomes `v, ok := m[k]` followed by a failure branch naming the key; a key computed by a call is first stored in a variable.",
	},
}
