package rules

import (
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
)

var update = flag.Bool("update", false, "rewrite docs/rules/*.md from the registry")

var idPattern = regexp.MustCompile(`^[a-z]+(-[a-z]+)+$`)

func TestRegistry(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range All() {
		if !idPattern.MatchString(r.ID) {
			t.Errorf("rule ID %q is not lower-case words joined by hyphens", r.ID)
		}
		if seen[r.ID] {
			t.Errorf("rule ID %q registered twice", r.ID)
		}
		seen[r.ID] = true
		a := r.New(nil)
		if err := analysis.Validate([]*analysis.Analyzer{a}); err != nil {
			t.Errorf("rule %s: %v", r.ID, err)
		}
		for name, text := range map[string]string{"What": r.Doc.What, "Why": r.Doc.Why, "Bad": r.Doc.Bad, "Good": r.Doc.Good, "Exceptions": r.Doc.Exceptions} {
			if strings.TrimSpace(text) == "" || text == "TODO" {
				t.Errorf("rule %s: Doc.%s is missing", r.ID, name)
			}
		}
	}
}

// TestDocsUpToDate keeps docs/rules/<id>.md identical to what `failfast
// explain` prints. Run `go test ./rules -run TestDocsUpToDate -update` after
// changing a rule's documentation.
func TestDocsUpToDate(t *testing.T) {
	dir := filepath.Join("..", "docs", "rules")
	for _, r := range All() {
		path := filepath.Join(dir, r.ID+".md")
		want := Markdown(r)
		if *update {
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(path)
		if err != nil {
			t.Errorf("%v (run: go test ./rules -run TestDocsUpToDate -update)", err)
			continue
		}
		if string(got) != want {
			t.Errorf("%s is stale (run: go test ./rules -run TestDocsUpToDate -update)", path)
		}
	}
}
