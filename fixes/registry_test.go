package fixes

import (
	"testing"

	"github.com/failfast-dev/failfast/rules"
)

// TestRegistryHasFix checks that the registry says a rule has a quick fix
// exactly when this package has one for it, and documents it.
func TestRegistryHasFix(t *testing.T) {
	have := map[string]bool{}
	for _, id := range Rules() {
		have[id] = true
	}
	for _, r := range rules.All() {
		if r.HasFix != have[r.ID] {
			t.Errorf("%s: HasFix is %v, but package fixes has a fix: %v", r.ID, r.HasFix, have[r.ID])
		}
		if r.HasFix && r.Doc.Fix == "" {
			t.Errorf("%s: HasFix is set but Doc.Fix does not say what the fix does", r.ID)
		}
		delete(have, r.ID)
	}
	for id := range have {
		t.Errorf("package fixes has a fix for %s, which is not a rule", id)
	}
}
