package unwrappederror_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/failfast-dev/failfast/rules/unwrappederror"
)

func TestAnalyzer(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), unwrappederror.Analyzer, "a")
}
