package a

import (
	"errors"
	"fmt"
	"strconv"
	"time"
)

// ---- a check that rejects the failure's zero value ----

type parseErr struct{ msg string }

func (e parseErr) Error() string { return e.msg }

type waitParser struct{ errors []parseErr }

// A failed ParseDuration leaves 0, which the next check rejects with an
// error: the failure stops here.
func (p *waitParser) wait(s string) time.Duration {
	dur, _ := time.ParseDuration(s)
	if dur <= 0 {
		p.errors = append(p.errors, parseErr{"Wait expects positive duration"})
		return 0
	}
	return dur
}

func positive(s string) (int, error) {
	n, _ := strconv.Atoi(s)
	if n < 1 || n > 100 {
		return 0, fmt.Errorf("%q: want 1 to 100", s)
	}
	return n, nil
}

func mustPositive(s string) int {
	n, _ := strconv.Atoi(s)
	if 0 >= n {
		panic("not positive")
	}
	return n
}

// Rejecting zero with nothing reported, or a check the zero value does not
// enter, or one under &&, is still the failure taken for an answer.
func clamp(s string) int {
	n, _ := strconv.Atoi(s) // want `error from strconv.Atoi is discarded with _; if it fails, n is 0`
	if n <= 0 {
		return 1
	}
	return n
}

func tooBig(s string) (int, error) {
	n, _ := strconv.Atoi(s) // want `error from strconv.Atoi is discarded with _; if it fails, n is 0`
	if n > 100 {
		return 0, errors.New("too big")
	}
	return n, nil
}

func zeroUnlessStrict(s string, strict bool) (int, error) {
	n, _ := strconv.Atoi(s) // want `error from strconv.Atoi is discarded with _; if it fails, n is 0`
	if n == 0 && strict {
		return 0, errors.New("zero")
	}
	return n, nil
}

func zeroNilError(s string) (int, error) {
	n, _ := strconv.Atoi(s) // want `error from strconv.Atoi is discarded with _; if it fails, n is 0`
	if n == 0 {
		return 0, nil
	}
	if n > 9 {
		return 0, errors.New("too big")
	}
	return n, nil
}

var errNoRows = errors.New("no rows")

// A sentinel is an answer callers test for: the failure is taken for it.
func affected(s string) error {
	n, _ := strconv.Atoi(s) // want `error from strconv.Atoi is discarded with _; if it fails, n is 0`
	if n == 0 {
		return errNoRows
	}
	return nil
}

// ---- a goroutine that hands its named error on in a deferred call ----

func pull() error { return errors.New("offline") }

func pullAsync() error {
	done := make(chan error, 1)
	go func() (err error) {
		defer func() { done <- err }()
		return pull()
	}()
	return <-done
}

func pullLost() {
	go func() (err error) { // want `error from \(func\(\) \(err error\) literal\) is dropped by the go statement`
		defer func() { fmt.Println("done") }()
		return pull()
	}()
}

// ---- a zero value returned to callers that all test it ----

type semver struct{ major int }

func newSemver(s string) (*semver, error) {
	if s == "" {
		return nil, errors.New("empty version")
	}
	return &semver{1}, nil
}

func programVersion(out string) *semver {
	v, _ := newSemver(out)
	return v
}

func ensureProgram(out string) error {
	v := programVersion(out)
	if v == nil {
		return errors.New("unknown version")
	}
	_ = v.major
	return nil
}

func programVersionUnchecked(out string) *semver {
	v, _ := newSemver(out) // want `error from newSemver is discarded with _; if it fails, v is nil`
	return v
}

func useVersion(out string) int {
	return programVersionUnchecked(out).major
}

func checkVersion(out string) bool {
	v := programVersionUnchecked(out)
	return v != nil
}

// Exported: callers outside the package are not in view.
func ProgramVersion(out string) *semver {
	v, _ := newSemver(out) // want `error from newSemver is discarded with _; if it fails, v is nil`
	return v
}

func ensureExported(out string) bool {
	return ProgramVersion(out) == nil
}
