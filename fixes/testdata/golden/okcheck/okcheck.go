// Package okcheck holds unchecked type assertions, map lookups and indexes
// in every failure context the fixes know.
package okcheck

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
)

// Limits are read from a JSON document.
type Limits struct {
	Port  int
	Names []string
}

type userKey struct{}

// User is stored in the request context by the auth middleware.
type User struct{ Name string }

// parseLimits returns the zero values of its other results on failure.
func parseLimits(data []byte) (Limits, *User, string, int, error) {
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		return Limits{}, nil, "", 0, err
	}
	ok := len(doc) > 0 // a name the fix must not reuse
	// The port is a number in the document.
	port := int(doc["port"].(float64)) // trailing comment stays
	name := doc["name"].(string)
	if !ok {
		return Limits{}, nil, "", 0, errors.New("empty document")
	}
	return Limits{Port: port}, nil, name, 0, nil
}

// handleProfile answers with http.Error when the value is missing.
func handleProfile(w http.ResponseWriter, r *http.Request) {
	user := r.Context().Value(userKey{}).(*User)
	w.Write([]byte(user.Name)) //nolint:errcheck // best effort
}

// mustName panics with a message naming the field.
func mustName(data []byte) string {
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		panic(err)
	}
	return "name: " + doc["name"].(string)
}

// Registry maps names to handlers.
type Registry struct {
	handlers map[string]*Handler
}

// Handler is a named handler.
type Handler struct{ Name string }

// Lookup returns the name of the handler registered for the request path.
func (g *Registry) Lookup(ctx context.Context, path string) (string, error) {
	h := g.handlers[strings.TrimPrefix(path, "/")]
	return h.Name, ctx.Err()
}

// splitPair splits "key=value" read from input.
func splitPair(s string) (string, string, error) {
	parts := strings.SplitN(s, "=", 2)
	return parts[0], parts[1], nil
}

// usage spans lines: no directive may be inserted inside it.
const usage = `usage: okcheck [flags]
  -port n   listen on port n`

// caFromPath takes the 4th segment of the request path (/pki/ca/<ca>).
func caFromPath(r *http.Request) (string, error) {
	id := strings.Split(r.URL.Path, "/")[3]
	if id == "" {
		return "", errors.New("missing CA in path")
	}
	return id, nil
}

func split(s string) []string {
	//failfast:ignore unchecked-index
	return strings.Fields(s)
}

// Event carries a decoded payload.
type Event struct{ Payload any }

// toEvent stores a field of the document without checking it is there.
func toEvent(body []byte) (*Event, error) {
	var doc map[string]any
	if err := json.Unmarshal(body, &doc); err != nil {
		return nil, err
	}
	return &Event{Payload: doc["payload"]}, nil
}

// Config is filled from a settings document.
type Config struct{ DatabaseURL string }

// applyFile reads a document that arrives as a parameter.
func applyFile(cfg *Config, raw map[string]any) error {
	db := raw["database"].(map[string]any)
	cfg.DatabaseURL = db["url"].(string)
	return nil
}

// handleStats reads a query parameter the client may not send.
func handleStats(w http.ResponseWriter, r *http.Request) {
	code := r.URL.Query()["code"][0]
	w.Write([]byte(code)) //nolint:errcheck // best effort
}

// includeList asserts each element into a variable of the same name.
func includeList(items []any) ([]map[string]any, error) {
	var out []map[string]any
	for _, item := range items {
		item := item.(map[string]any)
		out = append(out, item)
	}
	return out, nil
}

// Sales holds a map of product totals per region.
type Sales struct{ Revenue map[string]map[string]float64 }

// addSale writes into the inner map of the region the request names: the
// fix's local is named for the field, in lower case.
func (s *Sales) addSale(r *http.Request) error {
	s.Revenue[r.PathValue("region")][r.PathValue("product")] += 1
	return nil
}
