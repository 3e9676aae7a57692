package okcheck

import (
	"encoding/json"
	"testing"
)

func TestDecode(t *testing.T) {
	var doc map[string]any
	if err := json.Unmarshal([]byte(`{"port": 8080}`), &doc); err != nil {
		t.Fatal(err)
	}
	port := doc["port"].(float64)
	if port != 8080 {
		t.Errorf("port = %v", port)
	}
}
