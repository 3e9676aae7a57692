package config

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"

	"go.yaml.in/yaml/v3"
)

// Apply returns the settings c (nil: the defaults) with settings on top.
// settings hold the keys of the settings file, decoded by another tool
// from its own configuration (golangci-lint's
// linters.settings.custom.failfast.settings); source says where they
// came from. Their errors name source and the key, not a line: lines
// there are the other tool's.
//
// A rule that settings name takes the severity they give; tests and
// generated, when given, replace c's; provenance names are added to c's
// lists. exclude is an error: its globs are relative to the directory of
// the settings file, and settings from elsewhere have no directory they
// are known to be relative to. The result keeps c's Path and Root (its
// exclude globs stay relative to its file); c itself is not changed.
func (c *Config) Apply(source string, settings map[string]any) (*Config, error) {
	var f file
	var tests, generated bool // given in settings
	for _, key := range slices.Sorted(maps.Keys(settings)) {
		v := settings[key]
		var err error
		switch key {
		case "rules":
			err = decodeAs(v, &f.Rules, "a mapping from rule IDs to off, on or a severity")
		case "tests":
			tests, err = true, decodeAs(v, &f.Tests, "true or false")
		case "generated":
			generated, err = true, decodeAs(v, &f.Generated, "true or false")
		case "provenance":
			err = decodeAs(v, &f.Provenance, "a mapping from list names to lists of function names")
		case "exclude":
			return nil, fmt.Errorf("%s: exclude: only %s can exclude files: its globs are relative to its directory, and these settings have none", source, FileName)
		default:
			return nil, fmt.Errorf("%s: unknown key %q (known: rules, tests, generated, provenance)", source, key)
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %s: %w", source, key, err)
		}
	}
	if err := f.validate(func(string, string) string { return source }); err != nil {
		return nil, err
	}

	out := &Config{}
	if c != nil {
		*out = *c
		out.Exclude = slices.Clone(c.Exclude)
	}
	out.Rules = maps.Clone(out.Rules)
	if out.Rules == nil {
		out.Rules = map[string]string{}
	}
	maps.Copy(out.Rules, f.Rules)
	if tests {
		out.Tests = f.Tests
	}
	if generated {
		out.Generated = f.Generated
	}
	if len(f.Provenance) > 0 {
		prov := map[string][]string{}
		for kind, names := range out.Provenance {
			prov[kind] = slices.Clone(names)
		}
		for kind, names := range f.Provenance {
			prov[kind] = append(prov[kind], names...)
		}
		out.Provenance = prov
	}
	return out, nil
}

// decodeAs stores v, a value decoded from another tool's configuration,
// in out, which has the type the settings file's key has; want says what
// that type is in the error when v does not fit. A missing value (a key
// with nothing after it) does not fit either: it would read as false or
// as nothing, which the user did not write.
func decodeAs(v any, out any, want string) error {
	if v == nil {
		return fmt.Errorf("want %s, got nothing", want)
	}
	data, err := yaml.Marshal(v)
	if err == nil {
		err = yaml.Unmarshal(data, out)
	}
	if err != nil {
		return fmt.Errorf("want %s, got %s", want, show(v)) //failfast:ignore unwrapped-error the YAML round trip is only the conversion; its error restates want and got in YAML's terms
	}
	return nil
}

// show renders v, a decoded configuration value, for an error message:
// as JSON, or as Go prints it when JSON cannot hold it (a mapping with
// keys that are not strings).
func show(v any) string {
	if data, err := json.Marshal(v); err == nil {
		return clip(string(data))
	}
	return clip(fmt.Sprint(v))
}

// clip shortens s to 80 characters.
func clip(s string) string {
	const n = 80
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}
