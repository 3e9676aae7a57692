package unwrappederror_test

import (
	"testing"

	"github.com/failfast-dev/failfast/rules/ruletest"
	"github.com/failfast-dev/failfast/rules/unwrappederror"
)

// partialSrc does not type-check: undefined identifiers and a missing
// import leave holes in the type information.
const partialSrc = `package p

import (
	"context"
	"errors"
	"fmt"
	"os"
)

func load(ctx context.Context, path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("read: %v", err)
	}
	cfg, err := undefinedParse(data)
	if err != nil {
		return errors.New("parse failed")
	}
	if err := missing.Apply(cfg); err != nil {
		return errors.New(err.Error())
	}
	return fmt.Errorf("%v %s", undefinedValue, cfg)
}
`

// TestPartialTypes runs the analyzer on code with type errors: it must not
// panic, and must still find what syntax shows.
func TestPartialTypes(t *testing.T) {
	got, _ := ruletest.RunBroken(t, unwrappederror.Analyzer, partialSrc)
	if len(got) < 2 {
		t.Errorf("got %d findings on partial types, want at least 2 (%%v of os.ReadFile, fresh error): %v", len(got), got)
	}
}
