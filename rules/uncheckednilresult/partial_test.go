package uncheckednilresult_test

import (
	"testing"

	"github.com/failfast-dev/failfast/rules/ruletest"
	"github.com/failfast-dev/failfast/rules/uncheckednilresult"
)

// brokenSrc does not type-check: Widget, fetch and render are not
// declared, so the calls' types are partly unknown.
const brokenSrc = `package p

type User struct{ Name string }

func find(users map[string]*User, id string) *User {
	return users[id]
}

func hello(users map[string]*User, id string) string {
	u := find(users, id)
	render(u.Name)
	w := fetch(id)
	return w.Title + u.Name
}

func missing(id string) *Widget {
	return nil
}

func use(id string) string {
	return missing(id).Title
}
`

// TestPartialTypes runs the analyzer over code with type errors: it must not
// panic and must still report what the known types show.
func TestPartialTypes(t *testing.T) {
	diags, fset := ruletest.RunBroken(t, uncheckednilresult.Analyzer, brokenSrc)
	for _, d := range diags {
		t.Logf("%s: %s", fset.Position(d.Pos), d.Message)
	}
	// The unknown Widget type is not known to be nilable: only u.Name.
	if len(diags) != 1 || fset.Position(diags[0].Pos).Line != 11 {
		t.Fatalf("got %d findings, want 1: the unchecked u.Name after find, on line 11", len(diags))
	}
}
