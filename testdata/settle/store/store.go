// Package store holds users.
package store

import "errors"

type User struct{ Name string }

type Store struct{ m map[string]*User }

var errEmpty = errors.New("empty id")

// Find returns the user.
func (s *Store) Find(id string) (*User, error) {
	if id == "" {
		return nil, errEmpty
	}
	u, ok := s.m[id]
	if !ok {
		return nil, nil // line 19: every caller tests it
	}
	return u, nil
}

func (s *Store) get(id string) (*User, error) {
	if id == "" {
		return nil, errEmpty
	}
	u, ok := s.m[id]
	if !ok {
		return nil, nil // line 30: ui.Name dereferences it through ByID
	}
	return u, nil
}

// ByID returns the user.
func (s *Store) ByID(id string) (*User, error) { return s.get(id) }

// Lonely has no callers.
func (s *Store) Lonely(id string) (*User, error) {
	if id == "" {
		return nil, errEmpty
	}
	u, ok := s.m[id]
	if !ok {
		return nil, nil // line 45: no caller in view
	}
	return u, nil
}
