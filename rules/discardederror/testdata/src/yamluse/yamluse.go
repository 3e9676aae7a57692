// Package yamluse drops the errors of YAML marshalling.
package yamluse

import (
	"errors"

	"gopkg.in/yaml.v3"
)

type limits struct {
	Rate  float64 // YAML writes every float, NaN as .nan
	Burst int
	Hosts []string
	Sub   *limits
}

// A type of strings, numbers, slices and pointers always marshals: not
// reported.
func dump(l *limits) string {
	b, _ := yaml.Marshal(&l)
	return string(b)
}

type wrapped struct {
	Any any // whatever it holds
}

type custom struct{ Name string }

func (c custom) MarshalYAML() (any, error) {
	if c.Name == "" {
		return nil, errors.New("custom: no name")
	}
	return c.Name, nil
}

// An interface field, or a value that marshals itself, may fail: reported.
func dumpAny(w wrapped, c custom) string {
	b, _ := yaml.Marshal(w) // want `error from yaml.Marshal is discarded with _; if it fails, b is nil`
	d, _ := yaml.Marshal(c) // want `error from yaml.Marshal is discarded with _; if it fails, d is nil`
	return string(b) + string(d)
}
