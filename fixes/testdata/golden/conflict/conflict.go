// Package conflict declares names a fix would otherwise import.
package conflict

import (
	"encoding/json"
	"strings"
)

// errors collects validation problems; a fix cannot import package errors
// under that name.
var errors []string

// fmt is not the package either.
func fmt(s string) string { return strings.TrimSpace(s) }

// Handlers maps routes to names.
var Handlers = map[string]*Route{}

// Route is a named route.
type Route struct{ Name string }

// routeName fails with an error that cannot use errors.New or fmt.Errorf.
func routeName(path string) (string, error) {
	r := Handlers[path]
	return fmt(r.Name), nil
}

// decode has the same problem for a type assertion.
func decode(data []byte) (string, error) {
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		errors = append(errors, err.Error())
		return "", err
	}
	return doc["name"].(string), nil
}
