package discardederror_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/failfast-dev/failfast/rules/discardederror"
)

func TestAnalyzer(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), discardederror.Analyzer, "a", "yamluse")
}
