package mcp

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Root is the workspace root: every path a tool is given is resolved
// against it and refused if it leads outside it, lexically (.., an
// absolute path elsewhere) or through a symbolic link.
type Root struct {
	dir  string // absolute and clean, as the server was started in it
	real string // dir with its symbolic links evaluated
}

// NewRoot returns the root at dir, which must be a directory.
func NewRoot(dir string) (*Root, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("workspace root %s: %w", dir, err)
	}
	real, err := filepath.EvalSymlinks(abs)
	if err != nil {
		return nil, fmt.Errorf("workspace root: %w", err)
	}
	st, err := os.Stat(real)
	if err != nil {
		return nil, fmt.Errorf("workspace root: %w", err)
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("workspace root %s is not a directory", abs)
	}
	return &Root{dir: abs, real: real}, nil
}

// Dir is the root directory, as it was given.
func (r *Root) Dir() string { return r.dir }

// within reports whether path, absolute and clean, is base or below it.
func within(path, base string) bool {
	rel, err := filepath.Rel(base, path)
	return err == nil && (rel == "." || filepath.IsLocal(rel))
}

// Resolve returns the absolute path, with symbolic links evaluated, of p:
// a path relative to the root, or an absolute one inside it. The path
// must exist.
func (r *Root) Resolve(p string) (string, error) {
	if p == "" {
		return "", errors.New("empty path: name a file or directory relative to the workspace root")
	}
	if strings.ContainsRune(p, 0) {
		return "", fmt.Errorf("path %q contains a NUL byte", p)
	}
	native := filepath.FromSlash(p)
	abs := filepath.Join(r.dir, native)
	if filepath.IsAbs(native) {
		abs = filepath.Clean(native)
	}
	if !within(abs, r.dir) && !within(abs, r.real) {
		return "", fmt.Errorf("path %q is outside the workspace root %s: failfast reads and writes only files below it", p, r.dir)
	}
	real, err := filepath.EvalSymlinks(abs)
	if errors.Is(err, fs.ErrNotExist) {
		return "", fmt.Errorf("path %q does not exist in the workspace root %s (paths name files and directories there, not import paths)", p, r.dir)
	}
	if err != nil {
		return "", fmt.Errorf("path %q: %w", p, err)
	}
	if !within(real, r.real) {
		return "", fmt.Errorf("path %q leads outside the workspace root %s through a symbolic link: failfast reads and writes only files below it", p, r.dir)
	}
	return real, nil
}

// Pattern turns p, a path argument of the check tool, into a package
// pattern for the go command relative to the root: a directory names its
// package, a .go file the package it belongs to, and a trailing /...
// everything below a directory ("..." alone is "./..."). Import paths and
// other wildcards are refused, as they could name packages outside the
// root.
func (r *Root) Pattern(p string) (string, error) {
	base, all := p, false
	if p == "..." || strings.HasSuffix(p, "/...") {
		base, all = strings.TrimSuffix(strings.TrimSuffix(p, "..."), "/"), true
		if base == "" && p != "..." {
			base = "/"
		}
		if base == "" {
			base = "."
		}
	}
	if strings.Contains(base, "...") {
		return "", fmt.Errorf("path %q: only a trailing /... is supported as a wildcard (like ./... or ./internal/...)", p)
	}
	real, err := r.Resolve(base)
	if err != nil && base != p {
		return "", fmt.Errorf("%q: %w", p, err)
	}
	if err != nil {
		return "", err
	}
	st, err := os.Stat(real)
	if err != nil {
		return "", fmt.Errorf("path %q: %w", p, err)
	}
	switch {
	case all && !st.IsDir():
		return "", fmt.Errorf("path %q: %s is not a directory", p, base)
	case !st.IsDir() && (!st.Mode().IsRegular() || !strings.HasSuffix(real, ".go")):
		return "", fmt.Errorf("path %q is neither a directory nor a .go file", p)
	}
	rel, err := filepath.Rel(r.real, real)
	if err != nil {
		return "", fmt.Errorf("path %q: %w", p, err)
	}
	pattern := "./" + filepath.ToSlash(rel)
	if rel == "." {
		pattern = "."
	}
	if all {
		pattern = strings.TrimSuffix(pattern, "/.") + "/..."
	}
	return pattern, nil
}

// GoFile resolves p, an argument of the fix tool, which must be a .go
// file in the workspace, to its absolute path with symbolic links
// evaluated.
func (r *Root) GoFile(p string) (string, error) {
	real, err := r.Resolve(p)
	if err != nil {
		return "", err
	}
	st, err := os.Stat(real)
	if err != nil {
		return "", fmt.Errorf("path %q: %w", p, err)
	}
	if !st.Mode().IsRegular() || !strings.HasSuffix(real, ".go") {
		return "", fmt.Errorf("path %q is not a .go file: fix takes the Go files to fix", p)
	}
	return real, nil
}
