// Package helper is test support outside _test.go files: its functions that
// take a *testing.T, *testing.B, *testing.F or testing.TB exist only to be
// called from tests, so the rules skip them; its other functions are
// reported as usual.
package helper

import "testing"

func work() {}

// AssertRunning is an end-to-end suite's assertion helper.
func AssertRunning(t *testing.T, name string) {
	work()
	t.Helper()
}

// Bench takes a *testing.B.
func Bench(b *testing.B) { work() }

// Fuzz takes a *testing.F.
func Fuzz(f *testing.F) { work() }

// Either takes a testing.TB.
func Either(tb testing.TB) {
	work()
	_ = tb
}

type Suite struct{}

// Check is a method that takes a *testing.T.
func (Suite) Check(t *testing.T) { work() }

// Start is not test support: nothing in its signature says so.
func Start(name string) {
	work() // want "call"
}
