package nilnilreturn_test

import (
	"testing"

	"github.com/failfast-dev/failfast/rules/nilnilreturn"
	"github.com/failfast-dev/failfast/rules/ruletest"
)

// brokenSrc does not type-check: Config, Thing, parse and lookupHook are not declared,
// so the result types are known only by their syntax.
const brokenSrc = `package p

func load(path string) (*Config, error) {
	if path == "" {
		return nil, nil
	}
	return parse(path)
}

func get() (Thing, error) {
	return nil, nil
}

func list() ([]Thing, error) {
	return nil, nil
}

func hook(name string) (func(Thing), error) {
	if name == "" {
		return nil, nil
	}
	return lookupHook(name)
}
`

// TestPartialTypes runs the analyzer over code with type errors: it must not
// panic and must still report what the syntax shows.
func TestPartialTypes(t *testing.T) {
	diags, fset := ruletest.RunBroken(t, nilnilreturn.Analyzer, brokenSrc)
	if len(diags) != 2 {
		for _, d := range diags {
			t.Logf("%s: %s", fset.Position(d.Pos), d.Message)
		}
		t.Fatalf("got %d findings, want 2 (the *Config and the func results)", len(diags))
	}
}
