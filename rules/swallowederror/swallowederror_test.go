package swallowederror_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/failfast-dev/failfast/rules/swallowederror"
)

func TestAnalyzer(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), swallowederror.Analyzer, "a", "zlog", "inputarg", "fatalhelper")
}
