package server_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"go.lsp.dev/protocol"
)

// copyDemo copies testdata/demo to a new directory.
func copyDemo(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	src := filepath.Join("..", "testdata", "demo")
	entries, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, e.Name()), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestEveryRuleQuickFixOnTheDemo opens the demo service in the real binary,
// and for every diagnostic asks for code actions, applies the preferred
// fix (the first rule fix) to a fresh copy, and builds it.
func TestEveryRuleQuickFixOnTheDemo(t *testing.T) {
	dir := copyDemo(t)
	c := start(t, dir)
	c.initialize(dir, map[string]any{}, nil)
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	related := 0
	fixedRules := map[string]bool{}
	seenRules := map[string]bool{}
	for _, path := range files {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		text := string(data)
		uri := open(c, path, text, 1)
		p := c.diagnosticsFor(uri, 1)
		for _, d := range p.Diagnostics {
			rule, ok := d.Code.(string)
			if !ok {
				t.Errorf("%s: diagnostic code %v is not a rule ID", filepath.Base(path), d.Code)
				continue
			}
			seenRules[rule] = true
			for _, ri := range d.RelatedInformation {
				related++
				// The related place is in the same file here; its line
				// must exist and its message say what happens there.
				if ri.Location.URI != protocol.URI(uri) || int(ri.Location.Range.Start.Line) >= strings.Count(text, "\n") || ri.Message == "" {
					t.Errorf("%s: %s: bad related information %+v", filepath.Base(path), rule, ri)
				}
			}
			actions := codeActions(t, c, uri, d, nil)
			var fix *action
			for i, a := range actions {
				if !strings.HasPrefix(a.Title, "Ignore ") && fix == nil && a.Edit != nil {
					fix = &actions[i]
				}
			}
			if fix == nil {
				t.Errorf("%s:%d: %s: no rule fix among %d actions", filepath.Base(path), d.Range.Start.Line+1, rule, len(actions))
				continue
			}
			fixed := applyEdits(t, text, fix.Edit.Changes[uri])
			tmp := copyDemo(t)
			if err := os.WriteFile(filepath.Join(tmp, filepath.Base(path)), []byte(fixed), 0o644); err != nil {
				t.Fatal(err)
			}
			t.Run(rule+"/"+filepath.Base(path), func(t *testing.T) { goBuild(t, tmp) })
			fixedRules[rule] = true
		}
	}
	var missing []string
	for r := range seenRules {
		if !fixedRules[r] {
			missing = append(missing, r)
		}
	}
	slices.Sort(missing)
	if len(missing) > 0 {
		t.Errorf("rules without a working quick fix on the demo: %v", missing)
	}
	if related == 0 {
		t.Error("no diagnostic carries relatedInformation (the demo has findings whose symptom is elsewhere)")
	}
	if len(seenRules) < 5 {
		t.Errorf("only %d rules reported on the demo", len(seenRules))
	}
	c.shutdownExit()
}
