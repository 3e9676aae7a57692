// Package errs holds dropped, swallowed and unwrapped errors.
package errs

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"strconv"
)

// Config is a decoded settings file.
type Config struct{ Name string }

// save drops the errors of writing a file.
func save(path string, data []byte) error {
	//failfast:ignore unchecked-index the other rule's directive is amended, not pushed away
	os.WriteFile(path, data, 0o644)
	b, _ := json.Marshal(data)
	_ = b
	return nil
}

// loadConfig answers nil when the document is malformed.
func loadConfig(path string, cfg *Config) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(data, cfg); err != nil {
		return nil // a malformed file is an empty config
	}
	return nil
}

// saveReport loses the write failure entirely.
func saveReport(path string, body []byte) {
	err := os.WriteFile(path, body, 0o644)
	if err != nil {
	}
}

// fetch logs the failed request and then reads the body of a nil response.
func fetch(url string) ([]byte, error) {
	resp, err := http.Get(url)
	if err != nil {
		log.Printf("get %s: %v", url, err)
	}
	return io.ReadAll(resp.Body)
}

// readConfig loses the cause of its errors.
func readConfig(path string) ([]byte, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read config %s: %v", path, err)
	}
	return data, nil
}

// readTemplate formats its error with %e, a slip for %w.
func readTemplate(path string) ([]byte, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read template %s: %e", path, err)
	}
	return data, nil
}

func userName(db *sql.DB, id int) (string, error) {
	var name string
	if err := db.QueryRow("SELECT name FROM users WHERE id = ?", id).Scan(&name); err != nil {
		return "", fmt.Errorf("user %d: %s", id, err.Error())
	}
	return name, nil
}

func closeAll(f *os.File) error {
	err := f.Close()
	return errors.New(err.Error())
}

func stat(path string) error {
	if _, err := os.Stat(path); err != nil {
		return errors.New(fmt.Sprintf("stat %q: %v", path, err))
	}
	return nil
}

func portFile(path string) (int, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, errors.New("failed to open port file")
	}
	defer f.Close()
	var port int
	_, err = fmt.Fscan(f, &port)
	return port, err
}

// Find returns nil, nil when nothing is there.
func Find(dir string) (*os.File, error) {
	if dir == "" {
		return nil, nil
	}
	return os.Open(dir)
}

var _ = strconv.Itoa

// Validator checks a value.
type Validator interface{ Validate() error }

func check(v Validator) error {
	if v.Validate() != nil {
		return errors.New(v.Validate().Error())
	}
	return nil
}
