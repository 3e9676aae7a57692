package silentdefault_test

import (
	"strings"
	"testing"

	"github.com/failfast-dev/failfast/rules/ruletest"
	"github.com/failfast-dev/failfast/rules/silentdefault"
)

// partialSrc does not type-check: undefined identifiers and a missing
// import leave holes in the type information.
const partialSrc = `package p

import (
	"os"
	"strconv"
)

func settings() (string, int) {
	port := os.Getenv(undefinedKey)
	if port == "" {
		port = "8080"
	}
	n, err := strconv.Atoi(missing.Value())
	if err != nil {
		n = 4
	}
	lvl := os.Getenv("LEVEL")
	if lvl == "" {
		logger.Warn("LEVEL unset")
		lvl = "info"
	}
	return port + lvl, n
}
`

// TestPartialTypes runs the analyzer on code with type errors: it must not
// panic, and must still find what it can.
func TestPartialTypes(t *testing.T) {
	diags, _ := ruletest.RunBroken(t, silentdefault.Analyzer, partialSrc)
	var got []string
	for _, d := range diags {
		got = append(got, d.Message)
	}
	all := strings.Join(got, "\n")
	for _, want := range []string{`os.Getenv(undefinedKey)`, `strconv.Atoi(missing.Value())`} {
		if !strings.Contains(all, want) {
			t.Errorf("no finding mentions %s on partial types; got:\n%s", want, all)
		}
	}
	if strings.Contains(all, `"LEVEL"`) {
		t.Errorf("reported a logged fallback on partial types:\n%s", all)
	}
}
