package a

import (
	"errors"
	"fmt"
	"log"
	"log/slog"
	"net/http"
	"os"
	"runtime/debug"
	"sync"
)

// ---- reported ----

// A worker pool whose jobs may crash on bad input: the crash vanishes.
func runJobs(jobs []func()) {
	var wg sync.WaitGroup
	for _, job := range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() {
				recover() // want `recover\(\) drops the panic: its value is neither logged, re-panicked nor returned`
			}()
			job()
		}()
	}
	wg.Wait()
}

// Only a flag survives the crash.
func parseRecord(line string) (ok bool) {
	ok = true
	defer func() {
		if r := recover(); r != nil { // want `recover\(\) is only compared with nil: the panic value and stack are neither logged`
			ok = false
		}
	}()
	_ = line[10:20]
	return ok
}

// The comparison is inline.
func safeCall(f func()) (failed bool) {
	defer func() {
		if recover() != nil { // want `recover\(\) is only compared with nil`
			failed = true
		}
	}()
	f()
	return false
}

// An HTTP middleware that answers 500 but keeps no record of why.
func recoverMiddleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		defer func() {
			if err := recover(); err != nil { // want `recover\(\) is only compared with nil`
				w.WriteHeader(http.StatusInternalServerError)
			}
		}()
		next.ServeHTTP(w, req)
	})
}

// Assigned to the blank identifier.
func loadPlugin(init func()) {
	defer func() { _ = recover() }() // want `recover\(\) drops the panic`
	init()
}

// Turned into an error without the value: the caller is told, so it is not
// silent.
var errBadConfig = errors.New("bad config")

func decodeConfig(raw map[string]any) (cfg *Config, err error) {
	defer func() {
		if r := recover(); r != nil {
			cfg, err = nil, errBadConfig
		}
	}()
	cfg = &Config{Port: raw["port"].(int)}
	return cfg, nil
}

type Config struct{ Port int }

// A deferred helper function, not a literal.
func swallow() {
	if r := recover(); r == nil { // want `recover\(\) is only compared with nil`
		return
	}
}

func processBatch(rows [][]string) {
	defer swallow()
	for _, r := range rows {
		_ = r[3]
	}
}

// The value is assigned but the variable is only compared with nil.
func tryPing(ping func()) (alive bool) {
	defer func() {
		r := recover() // want `recover\(\) is only compared with nil`
		alive = r == nil
	}()
	ping()
	return true
}

// A flag stored from the comparison.
type task struct{ panicked bool }

func (t *task) run(f func()) {
	defer func() {
		t.panicked = recover() != nil // want `recover\(\) is only compared with nil`
	}()
	f()
}

// Logged through slog without the value: the log says that something
// panicked, not what or where.
func tick(logger *slog.Logger, f func()) {
	defer func() {
		if recover() != nil { // want `recover\(\) is only compared with nil: the branch logs that something panicked but neither the panic value nor the stack`
			logger.Error("tick panicked")
		}
	}()
	f()
}

// A comment that describes why nothing is logged is not an intent.
func comparable(a, b any) (equal bool) {
	defer func() {
		// == on two uncomparable dynamic types is the only thing that can
		// go wrong here, and it means "not equal".
		if recover() != nil { // want `recover\(\) is only compared with nil`
			equal = false
		}
	}()
	return a == b
}

// Nor does one above the defer statement.
func probeFormat(data []byte, decode func([]byte)) (ok bool) {
	// Malformed input makes decode fail: that just means "not this format".
	defer func() { ok = recover() == nil }() // want `recover\(\) is only compared with nil`
	decode(data)
	return true
}

// interfaceEqual protects against panics from comparing uncomparable values.
func interfaceEqual(a, b any) bool {
	defer func() {
		recover() // want `recover\(\) drops the panic`
	}()
	return a == b
}

var disableRecover = false

// funcNames lists the functions of a symbol table read from a binary.
func funcNames(table []byte, parse func([]byte) []string) (names []string) {
	// Assume a table that cannot be read is empty.
	if !disableRecover {
		defer func() {
			recover() // want `recover\(\) drops the panic`
		}()
	}
	return parse(table)
}

// A panic probe that hands only a flag to its caller: which panic, where?
func didPanic(f func()) (panicked bool) {
	panicked = true
	defer func() {
		panicked = recover() != nil // want `recover\(\) is only compared with nil`
	}()
	f()
	return false
}

// Sets a flag on a channel: the receiver learns that, not why.
func signalDone(f func(), failed chan<- bool) {
	defer func() {
		if recover() != nil { // want `recover\(\) is only compared with nil`
			failed <- true
		}
	}()
	f()
}

// ---- not reported ----

// Logged with the value.
func serve(h http.Handler, w http.ResponseWriter, req *http.Request) {
	defer func() {
		if r := recover(); r != nil {
			log.Printf("panic serving %s: %v\n%s", req.URL, r, debug.Stack())
			w.WriteHeader(http.StatusInternalServerError)
		}
	}()
	h.ServeHTTP(w, req)
}

// Re-panicked unless it is our own sentinel.
type bailout struct{}

func parse(src string) (err error) {
	defer func() {
		if e := recover(); e != nil {
			if _, ok := e.(bailout); !ok {
				panic(e)
			}
			err = errors.New("syntax error")
		}
	}()
	if src == "" {
		panic(bailout{})
	}
	return nil
}

// Turned into a named error result with the value.
func evalTemplate(f func() string) (out string, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("template panicked: %v", r)
		}
	}()
	return f(), nil
}

// Sent to another goroutine.
func runAsync(f func()) <-chan any {
	panics := make(chan any, 1)
	go func() {
		defer func() {
			if p := recover(); p != nil {
				panics <- p
			}
		}()
		f()
	}()
	return panics
}

// Passed to a handler function.
func withHandler(f func(), onPanic func(any)) {
	defer func() {
		if r := recover(); r != nil {
			onPanic(r)
		}
	}()
	f()
}

// A type switch inspects the value.
func catchAbort(f func()) (aborted bool) {
	defer func() {
		switch r := recover().(type) {
		case nil:
		case http.Handler:
			aborted = true
		default:
			panic(r)
		}
	}()
	f()
	return false
}

// Stored in a field of an outer value.
type result struct{ panicValue any }

func (res *result) capture(f func()) {
	defer func() { res.panicValue = recover() }()
	f()
}

// Compared with a sentinel: the sentinel stops the walk, other panics go on.
var errStop = errors.New("stop")

func walk(visit func()) {
	defer func() {
		if r := recover(); r != nil && r != errStop {
			panic(r)
		}
	}()
	visit()
}

// The process exits with a message.
func mainGuard() {
	if r := recover(); r == nil {
		return
	}
	fmt.Fprintln(os.Stderr, "fatal error")
	os.Exit(2)
}

// `defer recover()` stops no panic: nothing is swallowed.
func noop(f func()) {
	defer recover()
	f()
}

// Suppressed with a reason.
func bestEffortHook(hook func()) {
	defer func() {
		recover() //failfast:ignore swallowed-recover third-party hooks must never break shutdown
	}()
	hook()
}

// Returned to the caller.
func protect(f func()) (p any) {
	defer func() { p = recover() }()
	f()
	return nil
}

// mustFail expects f to crash: the complaint is in the branch where nothing
// went wrong.
func mustFail(logf func(string, ...any), f func()) {
	defer func() {
		if r := recover(); r == nil {
			log.Printf("f did not fail")
		}
	}()
	f()
}

// fileNames lists the files of a symbol table read from a binary.
func fileNames(table []byte, parse func([]byte) []string) (names []string) {
	if !disableRecover {
		defer func() {
			recover() // want `recover\(\) drops the panic`
		}()
	}
	return parse(table)
}

// A stack dump to standard error is a trace.
func dumpOnCrash(f func()) {
	defer func() {
		if recover() != nil {
			debug.PrintStack()
		}
	}()
	f()
}

// A comment above the statement that encloses the deferred recover.
func describe(load func() []byte) []byte {
	// If load crashes on an odd type, swallow it and describe nothing.
	b := func() []byte {
		defer func() {
			recover()
		}()
		return load()
	}()
	return b
}

// The author states the intent.
func equalValues(a, b any) (equal bool) {
	defer func() {
		// Deliberately ignore panics from == on uncomparable dynamic
		// types: they mean "not equal".
		if recover() != nil {
			equal = false
		}
	}()
	return a == b
}

// The author states that the cleanup never panics, as "cannot fail" says of
// an error.
func cleanup(m map[string]int) {
	defer func() {
		// We should never panic here
		_ = recover()
	}()
	clear(m)
}

// A stack trace in the log is a trace, even without the value.
func withStack(logger *slog.Logger, f func()) {
	defer func() {
		if recover() != nil {
			logger.Error("worker panicked", "stack", string(debug.Stack()))
		}
	}()
	f()
}
