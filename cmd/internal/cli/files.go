package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// packagePatterns turns check's arguments into go list patterns: a .go file
// stands for the package in its directory (pre-commit and editors pass the
// changed files, which go list only accepts when they share one directory);
// any other argument is a pattern as it is. Each directory is named once.
func packagePatterns(args []string) ([]string, error) {
	var out []string
	for _, a := range args {
		if !strings.HasSuffix(a, ".go") {
			out = append(out, a)
			continue
		}
		st, err := os.Stat(a)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", a, err)
		}
		if st.IsDir() {
			out = append(out, a)
			continue
		}
		dir := filepath.Dir(a)
		if !filepath.IsAbs(dir) {
			dir = "./" + filepath.ToSlash(dir)
		}
		if !slices.Contains(out, dir) {
			out = append(out, dir)
		}
	}
	return out, nil
}
