package uncheckedmaplookup_test

import (
	"testing"

	"github.com/failfast-dev/failfast/rules/ruletest"
	"github.com/failfast-dev/failfast/rules/uncheckedmaplookup"
)

// A package that does not type-check must not make the rule panic, and
// what syntax and the known types still tell is reported.
const broken = `package p

import (
	"net/http"
	"example.com/missing"
)

type Session struct{ User string }

var sessions = map[string]*Session{}

func H(w http.ResponseWriter, r *http.Request) {
	id := r.Header.Get("X-Session")
	_ = sessions[id].User
	_ = missing.Sessions[id].User
	_ = undefinedMap[id].User
	var doc map[string]any
	missing.Unmarshal(r.Body, &doc)
	missing.Save(doc["id"])
}
`

func TestPartialTypes(t *testing.T) {
	diags, _ := ruletest.RunBroken(t, uncheckedmaplookup.Analyzer, broken)
	// sessions[id].User and doc["id"]; the other maps have no types.
	if len(diags) != 2 {
		t.Errorf("got %d diagnostics, want 2 (sessions[id], doc[\"id\"]): %v", len(diags), diags)
	}
}
