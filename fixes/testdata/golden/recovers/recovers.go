// Package recovers holds recovers that drop the panic.
package recovers

import (
	"errors"
	"log"
)

// Worker runs jobs.
type Worker struct {
	jobs []func()
}

// Run recovers from panicking jobs without a trace.
func (w *Worker) Run() {
	for _, job := range w.jobs {
		func() {
			defer func() {
				_ = recover() // keep going
			}()
			job()
		}()
	}
}

// Do turns a panic into a failure but drops the panic value.
func Do(f func()) (err error) {
	defer func() {
		if recover() != nil {
			log.Print("job failed")
		}
	}()
	f()
	return nil
}

// Safe reports failure but not why.
func Safe(f func()) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = errors.New("panic in f")
		}
	}()
	f()
	return nil
}

// Quiet keeps a flag only.
func Quiet(f func()) (failed bool) {
	defer func() {
		if r := recover(); r != nil {
			failed = true
		}
	}()
	f()
	return false
}

// Call turns nothing into an error: the panic is just gone.
func Call(f func() error) (err error) {
	defer func() {
		recover()
	}()
	return f()
}

// Flag keeps the recovered value in a variable it never reads.
func Flag(f func()) {
	defer func() {
		r := recover()
		if r != nil {
			return
		}
	}()
	f()
}
