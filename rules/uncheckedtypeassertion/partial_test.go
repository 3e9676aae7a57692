package uncheckedtypeassertion_test

import (
	"strings"
	"testing"

	"github.com/failfast-dev/failfast/rules/ruletest"
	"github.com/failfast-dev/failfast/rules/uncheckedtypeassertion"
)

// partialSrc does not type-check: an undefined decoder, an undefined
// type and a missing import leave holes in the type information.
const partialSrc = `package p

import (
	"context"
	"encoding/json"
)

func load(ctx context.Context, data []byte) string {
	var doc map[string]any
	_ = json.Unmarshal(data, &doc)
	n := doc["n"].(float64)
	u := ctx.Value("user").(*Undefined)
	var v any
	_ = yaml.Unmarshal(data, &v)
	s := v.(string)
	w := missing.Thing().(int)
	defer func() {
		if r := recover(); r != nil {
			err = r.(error)
		}
	}()
	_, _, _, _ = n, u, s, w
	return ""
}
`

// TestPartialTypes runs the analyzer on code with type errors: it must not
// panic, and must still find what it can.
func TestPartialTypes(t *testing.T) {
	diags, _ := ruletest.RunBroken(t, uncheckedtypeassertion.Analyzer, partialSrc)
	var got []string
	for _, d := range diags {
		got = append(got, d.Message)
	}
	all := strings.Join(got, "\n")
	for _, want := range []string{`doc["n"].(float64)`, `ctx.Value("user")`, `v.(string)`, `r.(error)`} {
		if !strings.Contains(all, want) {
			t.Errorf("no finding mentions %s on partial types; got:\n%s", want, all)
		}
	}
}
