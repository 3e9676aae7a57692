package provenance

import "regexp"

// statesDrop matches words with which an author says that a failure is
// dropped on purpose: "ignore the error", "best effort", "deliberately",
// "cannot fail", "swallow the panic". A comment that only describes what the
// code does ("already gone", "skip it", "use the default") or believes about
// which failure occurs ("file may not exist") does not match: it states an
// assumption, not a decision to drop every failure.
var statesDrop = regexp.MustCompile(`(?i)\b(ignor(e|es|ed|ing)|best[- ]effort|deliberate(ly)?|intentional(ly)?|on purpose|swallow(s|ed|ing)?|(can ?not|can't|never) fail(s)?|don't care|do not care|non-?fatal|not fatal|harmless|on the floor)\b`)

// ruleName matches the names of failfast's swallowed-* rules, which a
// comment may quote (//nolint:swallowed-error) without stating anything.
var ruleName = regexp.MustCompile(`(?i)\bswallowed-[a-z]+`)

// StatesDrop reports whether a comment's text says that the failure it
// annotates is dropped deliberately.
func StatesDrop(text string) bool {
	return statesDrop.MatchString(ruleName.ReplaceAllString(text, ""))
}
