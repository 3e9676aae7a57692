package uncheckedmaplookup_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/failfast-dev/failfast/rules/uncheckedmaplookup"
)

func TestAnalyzer(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), uncheckedmaplookup.Analyzer, "a")
}
