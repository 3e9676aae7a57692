// want package:"nilNilCalls\\(c.go:23:3\\):calls=0,checked=0,unchecked=0,escaped=0\\(c.go:34:3\\):calls=1,checked=0,unchecked=0,escaped=0"

// Package c returns nil, nil from exported functions whose callers are in
// package d: the findings are reported here, and the facts tell the
// workspace how d treats them.
package c

import "errors"

type User struct{ Name string }

type Store struct{ m map[string]*User }

var errEmpty = errors.New("empty id")

// Find returns the user; d tests the result for nil.
func (s *Store) Find(id string) (*User, error) { // want Find:"nilNilExit\\(c.go:23:3\\)"
	if id == "" {
		return nil, errEmpty
	}
	u, ok := s.m[id]
	if !ok {
		return nil, nil // want `return nil, nil tells the caller "no error" but gives no \*User`
	}
	return u, nil
}

func (s *Store) get(id string) (*User, error) {
	if id == "" {
		return nil, errEmpty
	}
	u, ok := s.m[id]
	if !ok {
		return nil, nil // want `return nil, nil tells the caller "no error" but gives no \*User`
	}
	return u, nil
}

// ByID hands get's nil on to d, which dereferences it.
func (s *Store) ByID(id string) (*User, error) { return s.get(id) } // want ByID:"nilNilExit\\(c.go:34:3\\)"
