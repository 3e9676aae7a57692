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

// Response is a transport response.
type Response struct{ Status int }

func (c *Client) call(into *[]File) (*Response, error) {
	if c.down {
		return nil, errors.New("service unavailable")
	}
	*into = append(*into, File{Name: "b"})
	return &Response{Status: 200}, nil
}

// Folders fills a buffer it made itself and returns it with the
// transport's response and error, failed or not (rclone's imagekit
// client): the response is nil on failure, the buffer never is.
func (c *Client) Folders() (*Response, *[]File, error) {
	data := &[]File{}
	resp, err := c.call(data)
	if err != nil {
		return resp, data, err
	}
	return resp, data, err
}
