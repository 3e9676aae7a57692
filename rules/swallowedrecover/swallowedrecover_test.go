package swallowedrecover_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/failfast-dev/failfast/rules/swallowedrecover"
)

func TestAnalyzer(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), swallowedrecover.Analyzer, "a")
}
