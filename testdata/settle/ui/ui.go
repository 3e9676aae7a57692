// Package ui shows users.
package ui

import "example.com/settle/store"

// Show tests Find's result.
func Show(s *store.Store, id string) string {
	u, err := s.Find(id)
	if err != nil {
		return err.Error()
	}
	if u == nil {
		return "none"
	}
	return u.Name
}

// Name does not test ByID's.
func Name(s *store.Store, id string) string {
	u, err := s.ByID(id)
	if err != nil {
		return err.Error()
	}
	return u.Name
}
