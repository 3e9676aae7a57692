package a

import (
	"net/http"
	"testing"
)

// A test helper outside a _test.go file: a panic here fails a test loudly.
func statusOf(t *testing.T, url string) int {
	resp, err := http.Get(url)
	code := resp.StatusCode
	if err != nil {
		t.Fatal(err)
	}
	return code
}
