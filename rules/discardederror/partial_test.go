package discardederror_test

import (
	"testing"

	"github.com/failfast-dev/failfast/rules/discardederror"
	"github.com/failfast-dev/failfast/rules/ruletest"
)

// A package that does not type-check (an undefined identifier, an import
// that is not found) must not make the rule panic.
const broken = `package p

import (
	"os"
	"example.com/missing"
)

func f(path string) {
	os.WriteFile(path, nil, 0o644)
	missing.Save(path)
	v, _ := undefined(path)
	_ = v
	g, _ := missing.Load(path)
	g.Close()
	defer missing.Open(path).Close()
}
`

func TestPartialTypes(t *testing.T) {
	diags, _ := ruletest.RunBroken(t, discardederror.Analyzer, broken)
	if len(diags) != 1 {
		t.Errorf("got %d diagnostics, want 1 (os.WriteFile): %v", len(diags), diags)
	}
}
