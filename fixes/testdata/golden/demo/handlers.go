package inventory

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// Server serves the inventory over HTTP.
type Server struct {
	store     *Store
	warehouse map[string]*Warehouse
}

// Warehouse is one storage site.
type Warehouse struct {
	Name     string
	Capacity int
}

// handleAdjust applies a stock adjustment sent as JSON:
//
//	{"sku": "A-100", "delta": 5, "warehouse": "north"}
func (s *Server) handleAdjust(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	var doc map[string]any
	if err := json.Unmarshal(body, &doc); err != nil {
		http.Error(w, "bad JSON", http.StatusBadRequest)
		return
	}
	sku := doc["sku"].(string)
	delta := doc["delta"].(float64)
	site := s.warehouse[r.URL.Query().Get("warehouse")]
	if err := s.store.Adjust(r.Context(), sku, int(delta), site.Name); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// handleLookup serves GET /items/{warehouse}:{sku}.
func (s *Server) handleLookup(w http.ResponseWriter, r *http.Request) {
	key := strings.TrimPrefix(r.URL.Path, "/items/")
	parts := strings.Split(key, ":")
	item, err := s.store.Find(r.Context(), parts[1])
	if err != nil {
		http.Error(w, err.Error(), http.StatusNotFound)
		return
	}
	fmt.Fprintf(w, "%s: %d in stock\n", item.SKU, item.Count)
}
