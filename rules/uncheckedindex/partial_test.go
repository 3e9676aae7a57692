package uncheckedindex_test

import (
	"testing"

	"github.com/failfast-dev/failfast/rules/ruletest"
	"github.com/failfast-dev/failfast/rules/uncheckedindex"
)

// A package that does not type-check must not make the rule panic, and
// what syntax and the known types still tell is reported.
const broken = `package p

import (
	"os"
	"strings"
	"example.com/missing"
)

func F(line string) string {
	parts := strings.Split(line, "=")
	x := missing.Parts(line)
	y := undefined(line)
	if len(unknownSlice) > 2 {
		return unknownSlice[2]
	}
	return parts[1] + x[1] + y[2] + os.Args[1] + missing.Fields(line)[3]
}
`

func TestPartialTypes(t *testing.T) {
	diags, _ := ruletest.RunBroken(t, uncheckedindex.Analyzer, broken)
	// parts[1] and os.Args[1]; the missing package's results are unknown.
	if len(diags) != 2 {
		t.Errorf("got %d diagnostics, want 2 (parts[1], os.Args[1]): %v", len(diags), diags)
	}
}
