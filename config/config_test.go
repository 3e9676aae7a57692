package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/failfast-dev/failfast/rules"
)

func TestParseValid(t *testing.T) {
	src := `# settings for the demo
rules:
  unchecked-index: off
  discarded-error: error
  silent-default: on
exclude:
  - internal/legacy/**
  - "**/*.pb.go"
tests: true
provenance:
  must-check: [github.com/acme/store.Tx.Commit]
  never-fail: [github.com/acme/log.Logger.*]
`
	c, err := Parse("/proj/.failfast.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	idx, ok := rules.Lookup("unchecked-index")
	if !ok {
		t.Fatal("unchecked-index is not registered")
	}
	if _, on := c.Severity(idx); on {
		t.Error("unchecked-index should be off")
	}
	de, _ := rules.Lookup("discarded-error")
	if sev, on := c.Severity(de); !on || sev != "error" {
		t.Errorf("discarded-error severity = %q, %v; want error, true", sev, on)
	}
	sd, _ := rules.Lookup("silent-default")
	if sev, _ := c.Severity(sd); sev != sd.Severity {
		t.Errorf("silent-default: on should keep the default severity %q, got %q", sd.Severity, sev)
	}
	for path, want := range map[string]bool{
		"/proj/internal/legacy/a/b.go": true,
		"/proj/api/v1/x.pb.go":         true,
		"/proj/main.go":                false,
		"/elsewhere/internal/legacy/x": false,
	} {
		if got := c.Excluded(path); got != want {
			t.Errorf("Excluded(%s) = %v, want %v", path, got, want)
		}
	}
	o, err := c.Options()
	if err != nil {
		t.Fatal(err)
	}
	if !o.TestFiles {
		t.Error("tests: true did not reach the options")
	}
	if !o.Lists.MustCheck.Has("github.com/acme/store.Tx.Commit") || !o.Lists.NeverFail.Has("github.com/acme/log.Logger.Sync") {
		t.Error("provenance extensions did not reach the lists")
	}
}

func TestParseErrorsNameFileLineAndKey(t *testing.T) {
	for _, tc := range []struct{ name, src, want string }{
		{"unknown top-level key", "rules: {}\ntimeout: 3\n", `line 2: field timeout not found`},
		{"unknown rule", "rules:\n  unchecked-indexes: off\n", `.failfast.yaml:2: rules: unknown rule "unchecked-indexes"`},
		{"bad severity", "rules:\n  discarded-error: fatal\n", `.failfast.yaml:2: rules.discarded-error: unknown severity "fatal"`},
		{"bad glob", "exclude:\n  - \"[\"\n", `.failfast.yaml:1: exclude: bad glob "["`},
		{"unknown list", "provenance:\n  sources: [os.Getenv]\n", `.failfast.yaml:2: provenance: unknown list "sources"`},
		{"bad name", "provenance:\n  external:\n    - getenv\n", `.failfast.yaml:2: provenance.external: bad function name "getenv"`},
		{"not YAML", "rules: [unclosed\n", `.failfast.yaml: yaml:`},
		{"wrong type", "tests: maybe\n", `cannot unmarshal`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("/p/.failfast.yaml", []byte(tc.src))
			if err == nil {
				t.Fatalf("no error for %q", tc.src)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not contain %q", err, tc.want)
			}
		})
	}
}

func TestEmptyFileIsValid(t *testing.T) {
	if _, err := Parse("/p/.failfast.yaml", nil); err != nil {
		t.Fatal(err)
	}
}

func TestFindWalksUp(t *testing.T) {
	root := t.TempDir()
	deep := filepath.Join(root, "a", "b")
	if err := os.MkdirAll(deep, 0o755); err != nil {
		t.Fatal(err)
	}
	want := filepath.Join(root, FileName)
	if err := os.WriteFile(want, []byte("tests: false\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := Find(deep)
	if err != nil {
		t.Fatal(err)
	}
	if got != want {
		t.Errorf("Find = %q, want %q", got, want)
	}
}
