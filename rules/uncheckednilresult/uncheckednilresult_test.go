package uncheckednilresult_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/failfast-dev/failfast/rules/uncheckednilresult"
)

func TestAnalyzer(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), uncheckednilresult.Analyzer, "a", "b", "luabind", "ginapp")
}
