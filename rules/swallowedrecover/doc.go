// Package swallowedrecover implements the swallowed-recover rule: recover() whose panic value is dropped.
package swallowedrecover

import "github.com/failfast-dev/failfast/rules/spec"

// ID is the rule's stable public name.
const ID = "swallowed-recover"

const summary = "recover() whose panic value is dropped or only compared with nil, so the crash leaves no trace"

// Rule describes the rule for the registry.
var Rule = &spec.Rule{
	ID:       ID,
	Severity: spec.Error,
	HasFix:   true,
	Summary:  summary,
	New:      New,
	Doc: spec.Doc{
		What: "Reports a `recover()` call that stops a panic and leaves no trace of it: the value is " +
			"dropped (`defer func() { recover() }()`, `_ = recover()`), or it is only compared with nil and " +
			"the branch that runs on a panic merely sets a flag or a counter, answers an HTTP 500, sends a " +
			"signal, logs a message without the value or the stack, or does nothing " +
			"(`if r := recover(); r != nil { ok = false }`). The finding is placed on the `recover()` call.",
		Why: "A panic is the program saying that an assumption broke: a nil map, an index past the end " +
			"of input, a type assertion on data someone else produced. `recover()` stops the crash, and " +
			"if nothing records the value, the cause is gone for good: the goroutine's work silently " +
			"does not happen, a request gets a bare 500 or a zero result, and there is no message, stack " +
			"or metric to say why.",
		Bad: `func worker(jobs <-chan Job) {
	for job := range jobs {
		func() {
			defer func() {
				if r := recover(); r != nil {
					job.Failed = true // which job, which panic, where?
				}
			}()
			job.Run()
		}()
	}
}`,
		Good: `func worker(jobs <-chan Job) {
	for job := range jobs {
		func() {
			defer func() {
				if r := recover(); r != nil {
					job.Failed = true
					slog.Error("job panicked", "job", job.ID, "panic", r, "stack", string(debug.Stack()))
				}
			}()
			job.Run()
		}()
	}
}`,
		Exceptions: "Not reported:\n\n" +
			"- recovers whose value is used in any way other than a nil comparison: passed to a call " +
			"(`log.Printf(\"panic: %v\", r)`, `fmt.Errorf(\"panic: %v\", r)`, `onPanic(r)`), re-panicked " +
			"(`panic(r)`), sent on a channel, returned, stored in a field, a named result or a variable " +
			"of an enclosing function, inspected by a type switch or assertion, or compared with a " +
			"sentinel (`r != errStop`);\n" +
			"- panic branches that record the stack (`debug.Stack()`, `debug.PrintStack()`), panic, or exit, " +
			"even without the value: the trace survives, or the crash goes on;\n" +
			"- panic branches that set an error result or captured error variable, even without the " +
			"value (`err = ErrSyntax`): the caller is told through the channel Go uses for failure, only " +
			"the cause is lost;\n" +
			"- expected panics: the branch taken when nothing panicked complains " +
			"(`if recover() == nil { t.Errorf(\"did not panic\") }`);\n" +
			"- swallows the author says are deliberate: a comment inside the deferred function, on the " +
			"line above the `defer` (or above the `if` that guards it or a statement that encloses the " +
			"recover), or the enclosing function's doc comment, that says so (\"deliberately ignore " +
			"panics from ...\", \"swallow it\", \"best effort\", or, as \"cannot fail\" says of an error, " +
			"\"we should never panic here\"). A comment that describes the code " +
			"(\"a panic in fn won't crash the process\", \"rows that panic are dropped\") is not such a " +
			"statement;\n" +
			"- `defer recover()`, which stops no panic.\n\n" +
			"Suppress a deliberate swallow with `//failfast:ignore swallowed-recover reason`.",
		Fix: "\"Log the recovered panic with its stack\" (with the logger in scope, the logging package the file uses, or `log/slog`, and `debug.Stack()`) and, in a function with a named error result, \"Return the recovered panic as an error\".",
	},
}
