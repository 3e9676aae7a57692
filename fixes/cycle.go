package fixes

import (
	"fmt"
	"go/build"
	"strings"
	"sync"
)

// importCycle returns an error when adding an import of path to the
// package pkgPath would make an import cycle: path is the package itself,
// or imports it. Type-checking the rewritten package cannot see this (it
// reads path's export data, built from the package as it was), so a fix
// that logs with log/slog inside log/slog, or returns fmt.Errorf inside a
// package fmt depends on, would be offered and break the build. Fixes
// import only standard-library packages, and those never import code
// outside the standard library, so only a standard-library package can be
// caught in a cycle; for any other package this costs nothing.
func importCycle(pkgPath, path string) error {
	if pkgPath == path {
		return fmt.Errorf("the fix would import package %s into itself", path)
	}
	if first, _, _ := strings.Cut(pkgPath, "/"); strings.Contains(first, ".") {
		return nil
	}
	if first, _, _ := strings.Cut(path, "/"); strings.Contains(first, ".") {
		return nil
	}
	if stdDeps(path)[pkgPath] {
		return fmt.Errorf("the fix would import %s into %s, which %s imports (an import cycle)", path, pkgPath, path)
	}
	return nil
}

var stdDepsCache sync.Map // import path -> func() map[string]bool

// stdDeps returns the standard-library packages that path imports,
// directly or not, for this GOOS and GOARCH, read from the import clauses
// of the sources in GOROOT (once per path per process). A package that
// cannot be found contributes nothing: the type check that follows reports
// an import that does not exist.
func stdDeps(path string) map[string]bool {
	f, _ := stdDepsCache.LoadOrStore(path, sync.OnceValue(func() map[string]bool {
		deps := map[string]bool{}
		var walk func(p, srcDir string)
		walk = func(p, srcDir string) {
			if p == "C" || p == "unsafe" || deps[p] {
				return
			}
			bp, err := build.Default.Import(p, srcDir, 0)
			if err != nil {
				return
			}
			deps[p] = true
			// Vendored packages of the standard library are imported as
			// golang.org/x/... and built as vendor/golang.org/x/....
			deps[bp.ImportPath] = true
			for _, q := range bp.Imports {
				walk(q, bp.Dir)
			}
		}
		bp, err := build.Default.Import(path, "", 0)
		if err != nil {
			return deps
		}
		for _, q := range bp.Imports {
			walk(q, bp.Dir)
		}
		return deps
	}))
	return f.(func() map[string]bool)()
}
