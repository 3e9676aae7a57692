// Package swallowed holds the shapes swallowed-error reports beyond a bare
// "return nil": the fixes return the error with the words of the log they
// replace, hand a walk error back as it is, and wrap the error that was
// checked in place of one already known to be nil.
package swallowed

import (
	"database/sql"
	"encoding/json"
	"errors"
	"io/fs"
	"log"
	"net/http"
	"path/filepath"
)

// ping logs the failure and tells its caller that the endpoint answered.
func ping(c *http.Client, url string) error {
	resp, err := c.Head(url)
	if err != nil {
		log.Printf("ping %s: %v", url, err)
		return nil
	}
	return resp.Body.Close()
}

// sizes drops the error handed to the walk function.
func sizes(root string) (int64, error) {
	var total int64
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		total += info.Size()
		return nil
	})
	return total, err
}

// migrate returns the first error, which is nil, in place of the second.
func migrate(db *sql.DB) error {
	_, err := db.Exec("CREATE TABLE t (id int)")
	if err != nil {
		return err
	}
	if _, err2 := db.Exec("CREATE INDEX i ON t (id)"); err2 != nil {
		return err
	}
	return nil
}

type statusError struct{ code int }

func (e *statusError) Error() string { return http.StatusText(e.code) }

// getJSON answers success on a 404 without decoding into out.
func getJSON(get func(string) ([]byte, error), path string, out any) error {
	data, err := get(path)
	if err != nil {
		var se *statusError
		if errors.As(err, &se) && se.code == http.StatusNotFound {
			return nil
		}
		return err
	}
	return json.Unmarshal(data, out)
}

type user struct{ Name string }

// users logs a row it cannot scan and appends it anyway.
func users(rows *sql.Rows, scan func(*sql.Rows) (*user, error)) ([]*user, error) {
	var out []*user
	for rows.Next() {
		u, err := scan(rows)
		if err != nil {
			log.Printf("skipping bad row: %v", err)
		}
		out = append(out, u)
	}
	return out, rows.Err()
}
