package swallowederror_test

import (
	"testing"

	"github.com/failfast-dev/failfast/rules/ruletest"
	"github.com/failfast-dev/failfast/rules/swallowederror"
)

// partialSrc does not type-check: undefined identifiers and a missing
// import leave holes in the type information.
const partialSrc = `package p

import "os"

func load(path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	cfg, err := undefinedParse(data)
	if err != nil {
	}
	resp, err := missing.Get(cfg)
	if err != nil {
		logger.Println(err)
	}
	_ = resp.Body
	return nil
}
`

// TestPartialTypes runs the analyzer on code with type errors: it must not
// panic, and must still find what syntax shows.
func TestPartialTypes(t *testing.T) {
	got, _ := ruletest.RunBroken(t, swallowederror.Analyzer, partialSrc)
	if len(got) < 2 {
		t.Errorf("got %d findings on partial types, want at least 2 (nil return, empty branch): %v", len(got), got)
	}
}
