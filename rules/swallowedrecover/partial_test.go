package swallowedrecover_test

import (
	"testing"

	"github.com/failfast-dev/failfast/rules/ruletest"
	"github.com/failfast-dev/failfast/rules/swallowedrecover"
)

// brokenSrc does not type-check: undefinedFlag, logger and runJob are not
// declared, so parts of the type information are missing.
const brokenSrc = `package p

func work() {
	defer func() {
		if r := recover(); r != nil {
			undefinedFlag = true
		}
	}()
	defer func() { recover() }()
	defer func() {
		if r := recover(); r != nil {
			logger.Errorf("panic: %v", r)
		}
	}()
	runJob()
}
`

// TestPartialTypes runs the analyzer over code with type errors: it must not
// panic and must still report what the syntax shows.
func TestPartialTypes(t *testing.T) {
	diags, fset := ruletest.RunBroken(t, swallowedrecover.Analyzer, brokenSrc)
	if len(diags) != 2 {
		for _, d := range diags {
			t.Logf("%s: %s", fset.Position(d.Pos), d.Message)
		}
		t.Fatalf("got %d findings, want 2 (the flag-only recover and the dropped one)", len(diags))
	}
}
