// Package golangci is the golangci-lint module plugin: importing it
// registers failfast's rules with github.com/golangci/plugin-module-register
// as the custom linter "failfast", which `golangci-lint custom` builds into
// a golangci-lint binary (see .custom-gcl.yml in the README).
//
// The linter's analyzers are runner.Analyzers: every rule the settings
// leave on, each message ending in its rule ID in parentheses, and the
// invalid-directive check of //failfast:ignore comments. golangci-lint
// prints each message after the analyzer's name ("discarded_error: ...
// (discarded-error)"), as it does for every linter made of several
// analyzers.
//
// # Settings
//
// The settings come from two places. First the .failfast.yaml found by
// walking up from the directory golangci-lint runs in, as `failfast check`
// finds it; then linters.settings.custom.failfast.settings in
// .golangci.yml, with the same keys, laid over the file's
// (config.Config.Apply): a rule named there takes the severity given
// there, tests and generated replace the file's, provenance names are
// added to the file's lists. exclude is only read from .failfast.yaml,
// whose globs are relative to its directory; golangci-lint does not tell
// a plugin where its own configuration is, so in .golangci.yml exclude is
// an error (golangci-lint's linters.exclusions do the same job). A bad
// key or value, in either place, stops golangci-lint with an error that
// names it.
//
// Severities other than off are accepted but do not reach golangci-lint,
// which gives every issue the severity of its own severity section.
//
// # Suppression
//
// The rules honour //failfast:ignore and golangci-lint's //nolint
// directives themselves (package rules/directive), so //nolint:failfast,
// //nolint:RULE and a peer linter's name (//nolint:errcheck) all
// suppress a finding before golangci-lint sees it. golangci-lint warns
// about the names it does not know (a rule ID is not a linter), and its
// nolintlint, which only sees what reached it, may report a
// //nolint:failfast as unused.
package golangci

import (
	"fmt"

	"github.com/golangci/plugin-module-register/register"
	"golang.org/x/tools/go/analysis"

	"github.com/failfast-dev/failfast/config"
	"github.com/failfast-dev/failfast/runner"
)

// Name is the name the plugin registers, the key under
// linters.settings.custom in .golangci.yml and the name //nolint takes.
const Name = "failfast"

// Source is where golangci-lint keeps the plugin's settings, as errors
// about them name it.
const Source = "linters.settings.custom." + Name + ".settings"

func init() {
	register.Plugin(Name, New)
}

// Plugin is failfast as a golangci-lint linter.
type Plugin struct {
	cfg *config.Config
}

var _ register.LinterPlugin = (*Plugin)(nil)

// New validates settings, the plugin's settings as golangci-lint decoded
// them from .golangci.yml (nil when there are none), over the
// .failfast.yaml that governs the current directory.
func New(settings any) (register.LinterPlugin, error) {
	cfg, err := Settings(".", settings)
	if err != nil {
		return nil, err
	}
	return &Plugin{cfg: cfg}, nil
}

// Settings returns the settings that govern dir: the .failfast.yaml at or
// above it (the defaults when there is none) with raw, the plugin's
// settings (nil for none), laid over it.
func Settings(dir string, raw any) (*config.Config, error) {
	path, err := config.Find(dir)
	if err != nil {
		return nil, err
	}
	var base *config.Config
	if path != "" {
		if base, err = config.Load(path); err != nil {
			return nil, err
		}
	}
	m, err := mapping(raw)
	if err != nil {
		return nil, err
	}
	if _, ok := m["exclude"]; ok {
		return nil, fmt.Errorf("%s: exclude: not available in .golangci.yml, which does not tell the plugin its directory: use golangci-lint's linters.exclusions.paths, or exclude in %s", Source, config.FileName)
	}
	return base.Apply(Source, m)
}

// mapping checks that raw, a value decoded from golangci-lint's
// configuration, is a mapping with string keys.
func mapping(raw any) (map[string]any, error) {
	switch raw := raw.(type) {
	case nil:
		return nil, nil
	case map[string]any:
		return raw, nil
	case map[any]any:
		m := make(map[string]any, len(raw))
		for k, v := range raw {
			s, ok := k.(string)
			if !ok {
				return nil, fmt.Errorf("%s: key %v is a %T, want the name of a setting", Source, k, k)
			}
			m[s] = v
		}
		return m, nil
	default:
		return nil, fmt.Errorf("%s: want a mapping with the keys of %s (rules, tests, generated, provenance), got %T", Source, config.FileName, raw)
	}
}

// BuildAnalyzers returns the analyzers of the rules the settings enable.
func (p *Plugin) BuildAnalyzers() ([]*analysis.Analyzer, error) {
	as, err := runner.Analyzers(p.cfg, nil)
	if err != nil {
		return nil, fmt.Errorf("failfast analyzers: %w", err)
	}
	return as, nil
}

// GetLoadMode asks for type information: the rules need types.
func (p *Plugin) GetLoadMode() string {
	return register.LoadModeTypesInfo
}
