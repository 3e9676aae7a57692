// Package b is imported by a: its functions' nilChecked facts reach a's
// callers.
package b

// Entry is an entry of a listing.
type Entry interface{ Remote() string }

// Dir is a directory entry.
type Dir struct{ Path string }

// Remote returns the directory's path.
func (d *Dir) Remote() string { return d.Path }

// Helper collects entries.
type Helper struct{ entries []Entry }

// Add adds e; a nil e is skipped.
func (h *Helper) Add(e Entry) error {
	if e == nil {
		return nil
	}
	h.entries = append(h.entries, e)
	return nil
}

// Log records v; a nil v is skipped.
func Log(v any) {
	if v == nil {
		return
	}
	_ = v
}
