package usebeforecheck_test

import (
	"testing"

	"github.com/failfast-dev/failfast/rules/ruletest"
	"github.com/failfast-dev/failfast/rules/usebeforecheck"
)

// A package that does not type-check (an undefined identifier, an import
// that is not found) must not make the rule panic.
const broken = `package p

import (
	"net/http"
	"example.com/missing"
)

func f(url string) error {
	resp, err := http.Get(url)
	defer resp.Body.Close()
	c, err := missing.Dial(url)
	c.Close()
	x, err := undefined(url)
	x.Field = 1
	return err
}
`

func TestPartialTypes(t *testing.T) {
	diags, _ := ruletest.RunBroken(t, usebeforecheck.Analyzer, broken)
	if len(diags) != 1 {
		t.Errorf("got %d diagnostics, want 1 (resp.Body): %v", len(diags), diags)
	}
}
