package uncheckedtypeassertion_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/failfast-dev/failfast/rules/uncheckedtypeassertion"
)

func TestAnalyzer(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), uncheckedtypeassertion.Analyzer, "a", "embeds", "keyed", "chans")
}
