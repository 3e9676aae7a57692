// Package config reads .failfast.yaml, the optional per-project settings
// file: which rules run and how severe they are, which paths are excluded,
// whether test and generated files are analysed, and extra entries for the
// provenance lists.
//
//	rules:
//	  unchecked-index: off        # off, on (the default severity), error, warning, info, hint
//	  discarded-error: error
//	exclude:                      # globs relative to the file's directory; ** spans folders
//	  - internal/legacy/**
//	tests: false                  # also report in _test.go files
//	generated: false              # also report in generated files
//	provenance:                   # extend the built-in lists (see package provenance)
//	  must-check: [github.com/acme/store.Tx.Commit]
//	  never-fail: [github.com/acme/log.Logger.Sync]
//
// The same keys (but exclude) may also come from another tool's
// configuration, such as golangci-lint's plugin settings: Config.Apply
// lays them over the file's.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/bmatcuk/doublestar/v4"
	"go.yaml.in/yaml/v3"

	"github.com/failfast-dev/failfast/rules"
	"github.com/failfast-dev/failfast/rules/provenance"
	"github.com/failfast-dev/failfast/rules/spec"
)

// FileName is the name of the settings file.
const FileName = ".failfast.yaml"

// Config is the validated content of a settings file.
type Config struct {
	// Path is the file the settings came from; empty for the defaults.
	Path string
	// Root is the directory exclude globs are relative to.
	Root string
	// Rules maps a rule ID to its severity; "off" disables it. Rules not
	// named keep their default severity.
	Rules map[string]string
	// Exclude lists slash-separated globs relative to Root.
	Exclude   []string
	Tests     bool
	Generated bool
	// Provenance maps a list kind (provenance.Kinds) to extra names.
	Provenance map[string][]string
}

// file mirrors the YAML document; unknown keys are errors.
type file struct {
	Rules      map[string]string   `yaml:"rules"`
	Exclude    []string            `yaml:"exclude"`
	Tests      bool                `yaml:"tests"`
	Generated  bool                `yaml:"generated"`
	Provenance map[string][]string `yaml:"provenance"`
}

// Find walks up from dir to the filesystem root and returns the path of the
// first settings file, or "" when there is none.
func Find(dir string) (string, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return "", fmt.Errorf("find %s: %w", FileName, err)
	}
	for {
		p := filepath.Join(dir, FileName)
		_, err := os.Stat(p)
		if err == nil {
			return p, nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return "", fmt.Errorf("find %s: %w", FileName, err)
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", nil
		}
		dir = parent
	}
}

// Load reads and validates the settings file at path.
func Load(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read settings: %w", err)
	}
	return Parse(path, data)
}

// Parse validates data, the content of the settings file at path. Errors
// name the file, the line and the key.
func Parse(path string, data []byte) (*Config, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	var f file
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil && !errors.Is(err, io.EOF) { // an empty file is valid
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	at := func(section, key string) string {
		return fmt.Sprintf("%s:%d", path, keyLine(&root, section, key))
	}
	if err := f.validate(at); err != nil {
		return nil, err
	}
	c := &Config{
		Path: path, Root: filepath.Dir(path), Rules: maps.Clone(f.Rules),
		Exclude: f.Exclude, Tests: f.Tests, Generated: f.Generated, Provenance: f.Provenance,
	}
	if c.Rules == nil {
		c.Rules = map[string]string{}
	}
	return c, nil
}

// validate checks what the YAML types cannot: rule IDs and severities,
// globs, provenance list names and function names. at names the place of
// a key in a section ("file:line", or where the settings came from) for
// the error.
func (f *file) validate(at func(section, key string) string) error {
	for _, id := range slices.Sorted(maps.Keys(f.Rules)) {
		if _, ok := rules.Lookup(id); !ok {
			return fmt.Errorf("%s: rules: unknown rule %q (known: %s)", at("rules", id), id, strings.Join(rules.IDs(), ", "))
		}
		if sev := f.Rules[id]; sev != "off" && sev != "on" {
			if _, err := spec.ParseSeverity(sev); err != nil {
				return fmt.Errorf("%s: rules.%s: %w (or on, off)", at("rules", id), id, err)
			}
		}
	}
	for _, g := range f.Exclude {
		if !doublestar.ValidatePattern(g) {
			return fmt.Errorf("%s: exclude: bad glob %q", at("exclude", ""), g)
		}
	}
	for _, kind := range slices.Sorted(maps.Keys(f.Provenance)) {
		if !slices.Contains(provenance.Kinds, kind) {
			return fmt.Errorf("%s: provenance: unknown list %q (want one of %s)", at("provenance", kind), kind, strings.Join(provenance.Kinds, ", "))
		}
		for _, n := range f.Provenance[kind] {
			if err := provenance.ValidName(n); err != nil {
				return fmt.Errorf("%s: provenance.%s: %w", at("provenance", kind), kind, err)
			}
		}
	}
	return nil
}

// keyLine returns the line of key (or of section when key is "") in the
// top-level mapping section, or 0 when it cannot be found.
func keyLine(root *yaml.Node, section, key string) int {
	if root.Kind != yaml.DocumentNode || len(root.Content) == 0 {
		return 0
	}
	top := root.Content[0]
	for i := 0; i+1 < len(top.Content); i += 2 {
		if top.Content[i].Value != section {
			continue
		}
		if key == "" {
			return top.Content[i].Line
		}
		sec := top.Content[i+1]
		for j := 0; j+1 < len(sec.Content); j += 2 {
			if sec.Content[j].Value == key {
				return sec.Content[j].Line
			}
		}
		return top.Content[i].Line
	}
	return 0
}

// Excluded reports whether the file at path (absolute) matches an exclude glob.
func (c *Config) Excluded(path string) bool {
	if c == nil || len(c.Exclude) == 0 {
		return false
	}
	rel, err := filepath.Rel(c.Root, path)
	if err != nil || strings.HasPrefix(rel, "..") {
		return false
	}
	rel = filepath.ToSlash(rel)
	for _, g := range c.Exclude {
		if ok, _ := doublestar.Match(g, rel); ok { // patterns were validated in Parse
			return true
		}
	}
	return false
}

// Options returns the rule options the settings imply.
func (c *Config) Options() (*spec.Options, error) {
	o := spec.DefaultOptions()
	if c == nil {
		return o, nil
	}
	o.TestFiles, o.Generated = c.Tests, c.Generated
	for _, kind := range provenance.Kinds {
		if names := c.Provenance[kind]; len(names) > 0 {
			l, err := o.Lists.Extend(kind, names)
			if err != nil {
				return nil, fmt.Errorf("%s: provenance.%s: %w", c.Path, kind, err)
			}
			o.Lists = l
		}
	}
	return o, nil
}

// Severity returns the severity of rule r under these settings and whether
// the rule is enabled.
func (c *Config) Severity(r *spec.Rule) (spec.Severity, bool) {
	if c == nil {
		return r.Severity, true
	}
	switch s := c.Rules[r.ID]; s {
	case "":
		return r.Severity, true
	case "off":
		return "", false
	case "on":
		return r.Severity, true
	default:
		return spec.Severity(s), true
	}
}
