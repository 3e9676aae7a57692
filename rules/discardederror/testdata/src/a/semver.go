package a

import msemver "github.com/Masterminds/semver"

// A semver parser given a constant parses it the same way on every run.
func newEnough(v string) bool {
	want, _ := msemver.NewConstraint(">= 1.41")
	got, _ := msemver.NewVersion(v) // want `error from msemver.NewVersion is discarded with _; if it fails, got is nil`
	return want.Check(got)
}
