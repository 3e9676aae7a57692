package server_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
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
				// The related place is in a file of the demo (the same
				// one, or the callee's); its line must exist and its
				// message say what happens there.
				relText := text
				if ri.Location.URI != protocol.URI(uri) {
					other, err := os.ReadFile(filepath.Join(dir, filepath.Base(string(ri.Location.URI))))
					if err != nil {
						t.Errorf("%s: %s: related information in a file that is not the demo's: %+v", filepath.Base(path), rule, ri)
						continue
					}
					relText = string(other)
				}
				if int(ri.Location.Range.Start.Line) >= strings.Count(relText, "\n") || ri.Message == "" {
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

// After the per-edit pass, an idle document gets the whole-package pass:
// a second publication of the same version whose related places (some in
// other files' function bodies) match `failfast check`.
func TestIdleDocumentGetsTheWholePackagePass(t *testing.T) {
	dir := copyDemo(t)
	out, err := exec.Command(binary, "check", "-C", dir, "-json", "./...").Output()
	var ee *exec.ExitError
	if err != nil && !(errors.As(err, &ee) && ee.ExitCode() == 1) {
		t.Fatalf("failfast check: %v", err)
	}
	var report struct {
		Findings []struct {
			File    string `json:"file"`
			Rule    string `json:"rule"`
			Line    int    `json:"line"`
			Related []struct {
				File string `json:"file"`
				Line int    `json:"line"`
			} `json:"related"`
		} `json:"findings"`
	}
	if err := json.Unmarshal(out, &report); err != nil {
		t.Fatalf("failfast check -json: %v\n%s", err, out)
	}
	c := start(t, dir)
	c.initialize(dir, map[string]any{}, nil)
	for _, name := range []string{"store.go", "handlers.go"} {
		path := filepath.Join(dir, name)
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		uri := open(c, path, string(data), 1)
		var second published
		c.waitFor("the whole-package publication of "+name, func() bool {
			n := 0
			for _, p := range c.diags {
				if p.URI == uri && p.Version != nil && *p.Version == 1 {
					n++
					second = p
				}
			}
			return n == 2
		})
		var got, want []string
		for _, d := range second.Diagnostics {
			for _, r := range d.RelatedInformation {
				got = append(got, fmt.Sprintf("%v:%d -> %s:%d", d.Code, d.Range.Start.Line+1, filepath.Base(string(r.Location.URI)), r.Location.Range.Start.Line+1))
			}
		}
		for _, f := range report.Findings {
			if f.File != name {
				continue
			}
			for _, r := range f.Related {
				want = append(want, fmt.Sprintf("%s:%d -> %s:%d", f.Rule, f.Line, filepath.Base(r.File), r.Line))
			}
		}
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("%s: related places after the whole-package pass\n got %q\nwant %q (failfast check)", name, got, want)
		}
	}
	c.shutdownExit()
}
