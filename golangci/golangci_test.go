package golangci

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/golangci/plugin-module-register/register"

	"github.com/failfast-dev/failfast/rules"
	"github.com/failfast-dev/failfast/rules/spec"
)

// analyzerNames builds the plugin for settings (in dir) and returns its
// analyzers' names.
func analyzerNames(t *testing.T, dir string, settings any) []string {
	t.Helper()
	cfg, err := Settings(dir, settings)
	if err != nil {
		t.Fatal(err)
	}
	as, err := (&Plugin{cfg: cfg}).BuildAnalyzers()
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, a := range as {
		names = append(names, a.Name)
	}
	return names
}

func TestRegistersFailfast(t *testing.T) {
	newPlugin, err := register.GetPlugin("failfast")
	if err != nil {
		t.Fatal(err)
	}
	p, err := newPlugin(nil)
	if err != nil {
		t.Fatal(err)
	}
	if mode := p.GetLoadMode(); mode != register.LoadModeTypesInfo {
		t.Errorf("load mode %q, want %q: the rules need types", mode, register.LoadModeTypesInfo)
	}
	as, err := p.BuildAnalyzers()
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, a := range as {
		names = append(names, a.Name)
	}
	for _, r := range rules.All() {
		if !slices.Contains(names, spec.AnalyzerName(r.ID)) {
			t.Errorf("no analyzer for %s among %v", r.ID, names)
		}
	}
}

func TestSettingsOverTheFile(t *testing.T) {
	dir := t.TempDir()
	deep := filepath.Join(dir, "cmd", "svc")
	if err := os.MkdirAll(deep, 0o755); err != nil {
		t.Fatal(err)
	}
	file := "rules:\n  discarded-error: off\n  swallowed-recover: off\n"
	if err := os.WriteFile(filepath.Join(dir, ".failfast.yaml"), []byte(file), 0o644); err != nil {
		t.Fatal(err)
	}
	names := analyzerNames(t, deep, map[string]any{
		"rules": map[string]any{"discarded-error": "on", "unchecked-index": "off"},
	})
	for name, want := range map[string]bool{
		"discarded_error":   true,  // off in the file, on in the plugin's settings
		"swallowed_recover": false, // off in the file, not named in the plugin's
		"unchecked_index":   false, // off in the plugin's settings
		"silent_default":    true,
	} {
		if got := slices.Contains(names, name); got != want {
			t.Errorf("%s enabled = %v, want %v (analyzers %v)", name, got, want, names)
		}
	}
	// The file alone, when the plugin has no settings.
	if names := analyzerNames(t, deep, nil); slices.Contains(names, "discarded_error") {
		t.Errorf("discarded-error is off in .failfast.yaml but runs: %v", names)
	}
	// Keys as golangci-lint may decode them: map[any]any.
	if names := analyzerNames(t, deep, map[any]any{"rules": map[any]any{"unchecked-index": "off"}}); slices.Contains(names, "unchecked_index") {
		t.Errorf("unchecked-index is off but runs: %v", names)
	}
}

func TestSettingsErrorsNameTheKey(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name     string
		settings any
		want     string
	}{
		{"unknown key", map[string]any{"severity": "error"}, Source + `: unknown key "severity"`},
		{"unknown rule", map[string]any{"rules": map[string]any{"no-such-rule": "off"}}, Source + `: rules: unknown rule "no-such-rule" (known: `},
		{"bad severity", map[string]any{"rules": map[string]any{"discarded-error": "fatal"}}, Source + `: rules.discarded-error: unknown severity "fatal"`},
		{"exclude", map[string]any{"exclude": []any{"internal/**"}}, Source + ": exclude: not available in .golangci.yml"},
		{"tests", map[string]any{"tests": "maybe"}, Source + `: tests: want true or false, got "maybe"`},
		{"not a mapping", []any{"rules"}, Source + ": want a mapping with the keys of .failfast.yaml"},
		{"key not a string", map[any]any{1: true}, Source + ": key 1 is a int"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Settings(dir, tc.settings)
			if err == nil {
				t.Fatalf("no error for %v", tc.settings)
			}
			if !strings.HasPrefix(err.Error(), tc.want) {
				t.Errorf("error %q does not start with %q", err, tc.want)
			}
		})
	}
}

func TestBrokenFileIsAnError(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, ".failfast.yaml")
	if err := os.WriteFile(path, []byte("rules:\n  nope: off\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Settings(dir, map[string]any{"tests": true})
	if err == nil || !strings.HasPrefix(err.Error(), path+`:2: rules: unknown rule "nope"`) {
		t.Errorf("error %v, want one naming %s, its line and the rule", err, path)
	}
}
