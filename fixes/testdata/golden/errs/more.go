package errs

import (
	"errors"
	"io"
	"net/http"
	"os"
	"strconv"
)

var limit int

// setLimit keeps the old limit when the value is malformed.
func setLimit(s string) error {
	limit, _ = strconv.Atoi(s)
	return nil
}

// copyFile closes its files without looking.
func copyFile(dst, src string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer out.Close()
	_, err = io.Copy(out, in)
	return err
}

// size reads the file info before checking the error.
func size(path string) (int64, error) {
	f, err := os.Open(path)
	info, _ := f.Stat()
	if err != nil {
		return 0, err
	}
	return info.Size(), nil
}

// upload stores the body; errors reach nobody.
func upload(w http.ResponseWriter, r *http.Request) {
	f, err := os.Create("/tmp/upload")
	if err != nil {
		http.Error(w, "cannot store", http.StatusInternalServerError)
		return
	}
	io.Copy(f, r.Body)
	if err := f.Close(); err != nil {
	}
}

// writeReport reports every error but the one that matters.
func writeReport(path string, data []byte) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = f.Write(data)
	return err
}

// fetchStatus closes the body before it knows there is one.
func fetchStatus(url string) (string, error) {
	resp, err := http.Get(url)
	defer resp.Body.Close() // the body must be closed
	if err != nil {
		return "", err
	}
	return resp.Status, nil
}

// Item is a stored record.
type Item struct{ ID string }

// Index finds items by ID.
type Index struct{ items map[string]*Item }

// Get answers nil, nil for an unknown ID.
func (x *Index) Get(id string) (*Item, error) {
	it, found := x.items[id]
	if !found {
		return nil, nil
	}
	return it, nil
}

// newHandler builds the handler for a route kind.
func newHandler(kind string) (http.Handler, error) {
	switch kind {
	case "static":
		return http.FileServer(http.Dir(".")), nil
	}
	return nil, nil
}

// readSettings reads the settings file at path.
func readSettings(path string) ([]byte, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	return data, err
}

// verbose reads a flag from the environment.
func verbose() bool {
	// APP_VERBOSE is "true" or "false".
	if v, _ := strconv.ParseBool(os.Getenv("APP_VERBOSE")); v {
		return true
	} else if os.Getenv("DEBUG") != "" {
		return true
	}
	return false
}

// serve starts the server and forgets it.
func serve(addr string, h http.Handler) *http.Server {
	srv := &http.Server{Addr: addr, Handler: h}
	go srv.ListenAndServe()
	return srv
}
