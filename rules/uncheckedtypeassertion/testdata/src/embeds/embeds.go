// Package embeds decodes a table compiled into the program, and another
// read at run time.
package embeds

import (
	"embed"
	"encoding/json"
	"os"
)

//go:embed support.json
var files embed.FS

//go:embed support.json
var supportJSON []byte

type feature struct {
	Title string         `json:"title"`
	Stats map[string]any `json:"stats"`
}

type table struct {
	Data []feature `json:"data"`
}

var support, bundled table

func load() error {
	b, err := files.ReadFile("support.json")
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, &support); err != nil {
		return err
	}
	return json.Unmarshal(supportJSON, &bundled)
}

// Clients reads the embedded table: its content is the program's own,
// not reported.
func Clients() []string {
	var out []string
	for _, f := range support.Data {
		for _, stats := range f.Stats {
			for client := range stats.(map[string]any) {
				out = append(out, client)
			}
		}
	}
	return out
}

// A table read from a file at run time is data from outside: reported.
type userFeature struct {
	Stats map[string]any `json:"stats"`
}

func UserClients(path string) ([]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var f userFeature
	if err := json.Unmarshal(b, &f); err != nil {
		return nil, err
	}
	var out []string
	for _, stats := range f.Stats {
		for client := range stats.(map[string]any) { // want `type assertion stats\.\(map\[string\]any\) panics`
			out = append(out, client)
		}
	}
	return out, nil
}
