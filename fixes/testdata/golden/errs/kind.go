package errs

import (
	"errors"
	"fmt"
	"net/http"
	"os"
)

// ensureDir takes every failure of os.Stat but "not found" for success.
func ensureDir(dir string) error {
	f, err := os.Stat(dir)
	if os.IsNotExist(err) {
		return os.Mkdir(dir, 0o755)
	} else {
		// make sure it is a directory
		if !f.IsDir() {
			return fmt.Errorf("%s is not a directory", dir)
		}
	}
	return nil
}

// serveFile answers a missing file with 404, and uses info for the rest.
func serveFile(w http.ResponseWriter, r *http.Request) {
	path := r.URL.Query().Get("path")
	info, err := os.Stat(path)
	if errors.Is(err, os.ErrNotExist) {
		http.NotFound(w, r)
		return
	}
	fmt.Fprintf(w, "%s: %d bytes\n", path, info.Size())
}
