// Package yaml stands in for gopkg.in/yaml.v3.
package yaml

import "errors"

func Marshal(in any) ([]byte, error) {
	if in == nil {
		return nil, errors.New("yaml: cannot marshal nil")
	}
	return nil, nil
}
