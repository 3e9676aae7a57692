// Package client is an API client whose listing call returns its result
// buffer even when the request fails.
package client

import "errors"

// File is one listed file.
type File struct{ Name string }

// Client lists files.
type Client struct{ down bool }

// Files returns the listing; the slice it points to is empty when the
// request fails.
func (c *Client) Files() (*[]File, error) {
	data := &[]File{}
	if c.down {
		return data, errors.New("service unavailable")
	}
	*data = append(*data, File{Name: "a"})
	return data, nil
}

// Find returns nil with its error.
func (c *Client) Find(name string) (*File, error) {
	if c.down {
		return nil, errors.New("service unavailable")
	}
	return &File{Name: name}, nil
}
