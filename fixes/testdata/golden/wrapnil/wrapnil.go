// Package wrapnil holds the shapes of unwrapped-error and nil-nil-return
// that their rules report beyond the classic ones in errs and demo.
package wrapnil

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strconv"
)

// Link is a short link.
type Link struct{ Code, URL string }

// describe formats a parameter's error as text.
func describe(step string, err error) error {
	return fmt.Errorf("%s failed: %v", step, err)
}

// quoted formats the error with %q.
func quoted(path string) error {
	if _, err := os.Stat(path); err != nil {
		return fmt.Errorf("stat %s: %q", path, err)
	}
	return nil
}

// importLinks concatenates the scanner's error text.
func importLinks(sc *bufio.Scanner) error {
	if err := sc.Err(); err != nil {
		return errors.New("import links: " + err.Error())
	}
	return nil
}

// importLinksf builds the format from the error's text.
func importLinksf(sc *bufio.Scanner, name string) error {
	if err := sc.Err(); err != nil {
		return fmt.Errorf("import " + name + ": " + err.Error() + " (100%)")
	}
	return nil
}

// lookup drops the cause with a one-argument fmt.Errorf.
func lookup(sc *bufio.Scanner) error {
	if err := sc.Err(); err != nil {
		return fmt.Errorf("lookup failed")
	}
	return nil
}

// retext makes a format of the error's text.
func retext(err error) error {
	return fmt.Errorf(err.Error())
}

// parseMoney drops the parse error.
func parseMoney(s string) (float64, error) {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, errors.New("bad amount: want 12.34, 100% sure")
	}
	return v, nil
}

// loadFile reads an optional file.
func loadFile(path string) (map[string]any, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	return map[string]any{"raw": string(data)}, nil
}

// Resolve looks a link up.
func Resolve(links map[string]*Link, code string) (*Link, error) {
	link, ok := links[code]
	if !ok {
		return nil, nil
	}
	return link, nil
}
