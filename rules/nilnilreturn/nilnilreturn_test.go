package nilnilreturn_test

import (
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/failfast-dev/failfast/rules/nilnilreturn"
)

func TestAnalyzer(t *testing.T) {
	results := analysistest.Run(t, analysistest.TestData(), nilnilreturn.Analyzer, "a", "c", "d")
	// The finding in upstream points at the caller that dereferences the
	// result without a nil check.
	found := false
	for _, res := range results {
		for _, d := range res.Diagnostics {
			for _, rel := range d.Related {
				if strings.Contains(rel.Message, "up is used here without a nil check") {
					found = true
				}
			}
		}
	}
	if !found {
		t.Errorf("no related information names the unchecked use of up in dial")
	}
}
