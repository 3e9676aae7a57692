package silentdefault_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/failfast-dev/failfast/rules/silentdefault"
)

func TestAnalyzer(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), silentdefault.Analyzer, "a")
}
