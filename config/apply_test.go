package config

import (
	"slices"
	"strings"
	"testing"

	"github.com/failfast-dev/failfast/rules"
)

const source = "linters.settings.custom.failfast.settings"

func TestApplyOverAFile(t *testing.T) {
	file, err := Parse("/proj/.failfast.yaml", []byte(`rules:
  discarded-error: off
  swallowed-recover: off
exclude: [internal/legacy/**]
tests: true
provenance:
  must-check: [github.com/acme/store.Tx.Commit]
`))
	if err != nil {
		t.Fatal(err)
	}
	c, err := file.Apply(source, map[string]any{
		"rules":      map[string]any{"discarded-error": "on", "unchecked-index": "off"},
		"generated":  true,
		"provenance": map[string]any{"must-check": []any{"github.com/acme/queue.Ack"}, "loggers": []any{"github.com/acme/obs.Report"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	for id, want := range map[string]bool{"discarded-error": true, "unchecked-index": false, "swallowed-recover": false, "silent-default": true} {
		r, ok := rules.Lookup(id)
		if !ok {
			t.Fatalf("%s is not registered", id)
		}
		if _, on := c.Severity(r); on != want {
			t.Errorf("%s on = %v, want %v", id, on, want)
		}
	}
	if !c.Tests || !c.Generated {
		t.Errorf("tests, generated = %v, %v; want the file's true and the settings' true", c.Tests, c.Generated)
	}
	if !c.Excluded("/proj/internal/legacy/a.go") {
		t.Error("the file's exclude globs no longer apply relative to its directory")
	}
	if got := c.Provenance["must-check"]; !slices.Equal(got, []string{"github.com/acme/store.Tx.Commit", "github.com/acme/queue.Ack"}) {
		t.Errorf("must-check = %v, want the file's name and the settings' name", got)
	}
	if _, err := c.Options(); err != nil {
		t.Errorf("Options: %v", err)
	}
	if file.Rules["discarded-error"] != "off" || len(file.Provenance["must-check"]) != 1 || file.Generated {
		t.Errorf("Apply changed the file's settings: %+v", file)
	}
}

func TestApplyOverTheDefaults(t *testing.T) {
	var none *Config
	c, err := none.Apply(source, map[string]any{"tests": false, "rules": map[string]any{"unchecked-index": "hint"}})
	if err != nil {
		t.Fatal(err)
	}
	r, _ := rules.Lookup("unchecked-index")
	if sev, on := c.Severity(r); !on || sev != "hint" {
		t.Errorf("unchecked-index = %q, %v; want hint, true", sev, on)
	}
	if c.Path != "" || c.Excluded("/x/y.go") {
		t.Errorf("defaults with settings on top: Path %q, excludes /x/y.go %v", c.Path, c.Excluded("/x/y.go"))
	}
	if c, err := none.Apply(source, nil); err != nil || len(c.Rules) != 0 {
		t.Errorf("no settings: %+v, %v", c, err)
	}
}

func TestApplyErrorsNameSourceAndKey(t *testing.T) {
	for _, tc := range []struct {
		name     string
		settings map[string]any
		want     string
	}{
		{"unknown key", map[string]any{"timeout": 3}, source + `: unknown key "timeout" (known: rules, tests, generated, provenance)`},
		{"exclude", map[string]any{"exclude": []any{"a/**"}}, source + ": exclude: only .failfast.yaml can exclude files"},
		{"unknown rule", map[string]any{"rules": map[string]any{"unchecked-indexes": "off"}}, source + `: rules: unknown rule "unchecked-indexes"`},
		{"bad severity", map[string]any{"rules": map[string]any{"discarded-error": "fatal"}}, source + `: rules.discarded-error: unknown severity "fatal"`},
		{"rules not a mapping", map[string]any{"rules": []any{"discarded-error"}}, source + `: rules: want a mapping from rule IDs to off, on or a severity, got ["discarded-error"]`},
		{"tests a string", map[string]any{"tests": "maybe"}, source + `: tests: want true or false, got "maybe"`},
		{"generated empty", map[string]any{"generated": nil}, source + ": generated: want true or false, got nothing"},
		{"unknown list", map[string]any{"provenance": map[string]any{"sources": []any{"os.Getenv"}}}, source + `: provenance: unknown list "sources"`},
		{"bad name", map[string]any{"provenance": map[string]any{"external": []any{"getenv"}}}, source + `: provenance.external: bad function name "getenv"`},
		{"list not a list", map[string]any{"provenance": map[string]any{"external": "os.Getenv"}}, source + `: provenance: want a mapping from list names to lists of function names, got {"external":"os.Getenv"}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := (*Config)(nil).Apply(source, tc.settings)
			if err == nil {
				t.Fatalf("no error for %v", tc.settings)
			}
			if !strings.HasPrefix(err.Error(), tc.want) {
				t.Errorf("error %q does not start with %q", err, tc.want)
			}
		})
	}
}
