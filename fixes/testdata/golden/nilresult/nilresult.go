// Package nilresult holds findings of unchecked-nil-result for the golden
// fix tests.
package nilresult

import (
	"fmt"
	"net/http"
)

type User struct {
	ID   string
	Name string
}

type Store struct {
	byID map[string]*User
}

// Find returns the user, or nil.
func (s *Store) Find(id string) *User {
	return s.byID[id]
}

// Load returns nil, nil for a missing id.
func (s *Store) Load(id string) (*User, error) {
	if id == "" {
		return nil, fmt.Errorf("empty id")
	}
	u, ok := s.byID[id]
	if !ok {
		return nil, nil
	}
	return u, nil
}

func greeting(s *Store, id string) (string, error) {
	u := s.Find(id)
	// The greeting uses the name.
	return "hello " + u.Name, nil
}

func afterErr(s *Store, id string) (string, error) {
	u, err := s.Load(id)
	if err != nil {
		return "", err
	}
	return u.Name, nil
}

func hello(w http.ResponseWriter, r *http.Request, s *Store) {
	fmt.Fprintf(w, "hello %s", s.Find(r.PathValue("id")).Name)
}

func names(s *Store, ids []string) []string {
	var out []string
	for _, id := range ids {
		u := s.Find(id)
		out = append(out, u.Name)
	}
	return out
}

func label(s *Store) string {
	u := s.Find("root")
	return u.Name
}
