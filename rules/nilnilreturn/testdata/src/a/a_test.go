package a

import "testing"

func TestSession(t *testing.T) {
	s, err := newSession("x")
	if err != nil {
		t.Fatal(err)
	}
	if s.Name != "x" {
		t.Errorf("got %q", s.Name)
	}
}
