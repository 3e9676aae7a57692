// want package:"nilNilCalls\\(c.go:23:3\\):calls=1,checked=1,unchecked=0,escaped=0\\(c.go:34:3\\):calls=2,checked=0,unchecked=1,escaped=0"

// Package d calls c's exported functions: its package fact records that
// it tests Find's result and dereferences ByID's unchecked. Lookup hands
// ByID's result on, but a caller here already dereferences it, so the
// finding stands and no nilNilExit is exported for Lookup.
package d

import "c"

func Show(s *c.Store, id string) string {
	u, err := s.Find(id)
	if err != nil {
		return err.Error()
	}
	if u == nil {
		return "none"
	}
	return u.Name
}

func Name(s *c.Store, id string) string {
	u, err := s.ByID(id)
	if err != nil {
		return err.Error()
	}
	return u.Name
}

// Lookup returns ByID's result as it is.
func Lookup(s *c.Store, id string) (*c.User, error) { return s.ByID(id) }
