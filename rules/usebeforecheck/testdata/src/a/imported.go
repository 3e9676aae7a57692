package a

import "client"

// A function of an imported package that returns its result with the
// error (a fact exported by that package): using the result before the
// check does not panic.
func countFiles(c *client.Client) (int, error) {
	data, err := c.Files()
	n := len(*data)
	if err != nil {
		return 0, err
	}
	return n, nil
}

// The same package's other function returns nil with its error.
func findName(c *client.Client) (string, error) {
	f, err := c.Find("a")
	name := f.Name // want `f.Name uses f before err is checked; if c.Find fails, f is nil and this panics, hiding the error`
	if err != nil {
		return "", err
	}
	return name, nil
}

// A result that is a buffer the callee made itself is usable with the
// error; the response that came with the error is not.
func countFolders(c *client.Client) (int, error) {
	resp, data, err := c.Folders()
	n := len(*data)
	status := resp.Status // want `resp.Status uses resp before err is checked`
	if err != nil {
		return 0, err
	}
	return n + status, nil
}
