// Package b is a registry the callers in package a use: its functions'
// facts cross the package boundary.
package b

import (
	"errors"
	"fmt"
	"os"
	"strings"
)

type Info struct{ Name string }

var registry []*Info

// Find fails only with a fresh error about its input.
func Find(name string) (*Info, error) { // want Find:"inputError\\[0\\]"
	for _, r := range registry {
		if r.Name == name {
			return r, nil
		}
	}
	return nil, fmt.Errorf("didn't find backend called %q", name)
}

type Kind int

// Set fails the same way, as a method.
func (k *Kind) Set(s string) error { // want Set:"inputError\\[0\\]"
	if s == "none" {
		*k = 0
		return nil
	}
	if strings.HasPrefix(s, "x") {
		return errors.New("unknown kind " + s)
	}
	return fmt.Errorf("unknown kind %q", s)
}

var ErrEmpty = errors.New("empty")

// Lookup returns a sentinel callers can test: not the fact.
func Lookup(name string) (*Info, error) {
	if name == "" {
		return nil, ErrEmpty
	}
	return nil, fmt.Errorf("no %q", name)
}

// Load passes on another error: not the fact.
func Load(name string) ([]byte, error) {
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", name, err)
	}
	return data, nil
}

// Named returns a named result: not the fact.
func Named(name string) (err error) {
	if name == "" {
		err = fmt.Errorf("bad %q", name)
	}
	return
}

// Patches never fails: every return gives a nil error.
func Patches(n int) ([]int, error) { // want Patches:"nilError"
	if n < 0 {
		return nil, nil
	}
	return make([]int, n), nil
}
