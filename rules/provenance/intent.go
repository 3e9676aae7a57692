package provenance

import (
	"regexp"
	"sync"
)

// statesDrop matches words with which an author says that a failure is
// dropped on purpose: "ignore the error" ("ignore" with the failure, or
// "it", as its object: "ignoring blank hashes" says nothing of an error),
// "best effort", "deliberately",
// "cannot fail", "should never panic", "shouldn't error", "the error will
// be nil since the level is valid", "don't throw an error", "swallow the
// panic", "OK if this fails", "zero if unset or invalid", "always valid",
// "returning zero time on failure", "if can't parse, assume local" and "if we can't parse the version, then
// ignore the version checks" (the failure named as the condition of the
// answer assumed in its place, or of what is skipped), "if a file fails to verify, then
// matches is nil" and "on error the default value will be used" (the
// failure named with the value it leaves), "we're not checking for errors
// here because ...", "invokeHookSync already logs the error", "the error
// was already logged". A
// comment that only describes what the code does ("already gone", "skip
// it", "use the default"), mentions an error, or believes which failure
// occurs ("file may not exist") does not match: it states an assumption,
// not a decision to drop every failure.
var statesDrop = regexp.MustCompile(`(?i)\bignor(e|es|ed|ing)(\W+\w+){0,3}?\W+(errors?|errs?|failures?|panics?|results?|status(es)?|it|them|this)\b` +
	`|\b(errors?|errs?|failures?|panics?|results?|(exit\s+)?status(es)?|exit\s+codes?)\W+(\w+\W+){0,3}?ignored\b` +
	`|\b(best[- ]effort|deliberate(ly)?|intentional(ly)?|on purpose` +
	`|swallow(s|ed|ing)?|don't care|do not care|non-?fatal|not fatal|harmless|on the floor)\b` +
	`|\b(cannot|can't|can ?not|won't|will not|does not|doesn't|shouldn't|should not|never)\s+(fail|error|happen|panic)s?\b` +
	`|\b(error|err)\s+(will|would)\s+(always\s+)?be\s+nil\b` +
	`|\b(don't|do not|never)\s+(throw|raise|return|report|propagate)\s+(an?\s+|the\s+)?(error|err)s?\b` +
	`|\b(ok|okay|fine)\s+if\s+(this|it)\s+fails\b` +
	`|\balways\s+(valid|succeeds|parses)\b` +
	`|\b(zero|empty|nil|default)\b[^.;]*\bif\b[^.;]*\b(invalid|unset|malformed|missing|fails)\b` +
	`|\b(zero|empty|nil|default)\b[^.;]*\b(on|upon)\s+(an?\s+)?(failure|error)\b` +
	`|\b(if|when)\b[^.;]*\b(can't|cannot|can not|couldn't|could not|unable|fails?|failed|errors?|invalid|malformed|unset|missing)\b[^.;]*\bassum(e|es|ing)\b` +
	`|\b(if|when)\b[^.;]*\b(fails?|failed)\b[^.;]*\b(is|are|stays?|will\s+be)\s+(nil|zero|empty|the\s+default)\b` +
	`|\b(if|when)\b[^.;]*\b(can't|cannot|can not|couldn't|could not|unable|fails?|failed)\b[^.;]*\b(ignor(e|es|ing)|skip(s|ping)?)\b` +
	`|\b(on|upon)\s+(an?\s+)?(errors?|failures?)\b[^.;]*\b(defaults?|fallback)\b` +
	`|\b(not|don't|do\s+not|no\s+need\s+to)\s+(check|checking|handle|handling)\s+(for\s+)?(the\s+|any\s+)?(errors?|errs?|failures?)\b` +
	`|\balready\s+(logs|logged|handles|handled|reports|reported)\s+(the\s+|any\s+|its\s+)?(errors?|errs?|failures?)\b` +
	`|\b(errors?|errs?|failures?)\s+(is|are|was|were|has\s+been|have\s+been)\s+already\s+(logged|handled|reported)\b`)

// hidesCause matches words with which an author says that an error's
// cause is left out of a new error on purpose: "do not include the
// original error", "don't leak the underlying error", "hide the cause",
// "redact the error".
var hidesCause = regexp.MustCompile(`(?i)\b(don't|do not|never|not|without)\s+(includ(e|es|ing)|expos(e|es|ing)|leak(s|ing)?|wrap(s|ping)?|show(s|ing)?|reveal(s|ing)?|pass(es|ing)?\s+on)\s+(\w+\s+){0,2}?(errors?|errs?|causes?)\b` +
	`|\b(hide|hides|hiding|redact(s|ed|ing)?)\s+(\w+\s+){0,2}?(errors?|errs?|causes?|details?)\b`)

// HidesCause reports whether a comment's text says that the error it
// annotates leaves its cause out deliberately ("do not include the
// original error, as it contains the password"), or that the failure is
// dropped on purpose (StatesDrop). A to-do note never does.
func HidesCause(text string) bool {
	return StatesDrop(text) || !todo.MatchString(text) && hidesCause.MatchString(statement(text))
}

// notStatement matches comment text that quotes words without stating
// anything: a failfast rule name (//nolint:swallowed-error, an analysistest
// expectation naming the rule).
var notStatement = regexp.MustCompile(`(?i)\b(swallowed|discarded)-[a-z]+`)

// abbreviation matches the dotted abbreviations "e.g." and "i.e.", whose
// dots do not end a sentence.
var abbreviation = regexp.MustCompile(`(?i)\b(e\.g|i\.e)\.`)

// statement returns the text a comment states: without quoted rule names,
// and with "e.g." and "i.e." undotted, so that a clause runs on past them.
func statement(text string) string {
	return abbreviation.ReplaceAllString(notStatement.ReplaceAllString(text, ""), "eg")
}

// todo matches a note that the drop is still to be fixed: not a decision.
var todo = regexp.MustCompile(`\b(TODO|FIXME|XXX)\b`)

// StatesDrop reports whether a comment's text says that the failure it
// annotates is dropped deliberately. A to-do note never does.
func StatesDrop(text string) bool {
	statesDropMemo.Lock()
	v, ok := statesDropMemo.m[text]
	statesDropMemo.Unlock()
	if ok {
		return v
	}
	v = !todo.MatchString(text) && statesDrop.MatchString(statement(text))
	statesDropMemo.Lock()
	if len(statesDropMemo.m) >= statesDropMemoSize {
		clear(statesDropMemo.m) // bounded: a long session sees many comments
	}
	statesDropMemo.m[text] = v
	statesDropMemo.Unlock()
	return v
}

// statesDropMemo remembers StatesDrop's answers: the server asks the same
// doc comments again on every keystroke, and the expression is costly.
var statesDropMemo = struct {
	sync.Mutex
	m map[string]bool
}{m: map[string]bool{}}

const statesDropMemoSize = 1 << 14

// assumes matches a statement of what is assumed: "assume the file has
// changed", "we assume it is local".
// "fallback: keep the raw bytes".
var assumes = regexp.MustCompile(`(?i)\bassum(e|es|ing)\b|\bfall[- ]?back\b`)

// AssumesInstead reports whether a comment's text, written inside the
// branch that handles a failure (so that the failure is its condition),
// says what the code assumes in its place ("Lets just assume the file has
// changed", "fallback: keep the raw bytes"). Outside such a branch "assume the file exists" states a
// belief, not a decision (StatesDrop asks for the condition in the text).
// A to-do note never does.
func AssumesInstead(text string) bool {
	return !todo.MatchString(text) && assumes.MatchString(statement(text))
}
