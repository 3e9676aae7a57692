package a

import (
	"database/sql"
	"errors"
	"fmt"
	"os"
)

// ---- an error tested for one kind of failure only ----

// ensureDir takes every failure of os.Stat but "not found" for success: on
// "permission denied" f is nil.
func ensureDir(dir string) error {
	f, err := os.Stat(dir)
	if os.IsNotExist(err) {
		return os.Mkdir(dir, 0o755)
	} else {
		if !f.IsDir() { // want `f.IsDir uses f where err may hold a failure other than the one os.IsNotExist\(err\) tests for`
			return fmt.Errorf("%s is not a directory", dir)
		}
	}
	return nil
}

// isDir falls through the same way after a branch that returns.
func isDir(path string) bool {
	info, err := os.Stat(path)
	if errors.Is(err, os.ErrNotExist) {
		return false
	}
	return info.IsDir() // want `info.IsDir uses info where err may hold a failure other than the one errors.Is\(err, os.ErrNotExist\) tests for`
}

// isDirChecked checks every other failure before the use.
func isDirChecked(path string) (bool, error) {
	info, err := os.Stat(path)
	if os.IsNotExist(err) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return info.IsDir(), nil
}

// isDirElseIf does the same in an else-if chain.
func isDirElseIf(path string) (bool, error) {
	info, err := os.Stat(path)
	if os.IsNotExist(err) {
		return false, nil
	} else if err != nil {
		return false, err
	} else {
		return info.IsDir(), nil
	}
}

type user struct{ Name string }

func findUser(db *sql.DB, id int) (*user, error) {
	var u user
	if err := db.QueryRow("SELECT name FROM users WHERE id = ?", id).Scan(&u.Name); err != nil {
		return nil, err
	}
	return &u, nil
}

// greet handles "no rows" inside a branch that falls through: after it
// err may be that very failure, handled, so nothing is known.
func greet(db *sql.DB, id int) string {
	u, err := findUser(db, id)
	if errors.Is(err, sql.ErrNoRows) {
		u = &user{Name: "guest"}
	}
	return u.Name
}

// ---- a function whose error is always nil ----

type muxer struct{ onFail func() }

// newMuxer returns a muxer it built, and a nil error on its only path.
func newMuxer() (m *muxer, err error) { // want newMuxer:"usableOnError\\[0\\]"
	m = &muxer{}
	return m, nil
}

func serve() error {
	m, err := newMuxer()
	m.onFail = func() {}
	return err
}
