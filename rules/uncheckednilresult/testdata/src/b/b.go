// Package b is imported by a: its functions' summaries reach a as facts.
package b

// Item is a thing a Shelf holds.
type Item struct {
	Name string
}

// Shelf holds items by name.
type Shelf struct {
	items map[string]*Item
}

// Get returns the named item, or nil.
func (s *Shelf) Get(name string) *Item { // want Get:`mayNil\[0\]`
	return s.items[name]
}

// Must returns the named item, or a placeholder: never nil.
func (s *Shelf) Must(name string) *Item {
	if it, ok := s.items[name]; ok {
		return it
	}
	return &Item{Name: name}
}

// Label is safe to call on a nil item.
func (it *Item) Label() string { // want Label:`nilSafe`
	if it == nil {
		return "(none)"
	}
	return it.Name
}

// Rename needs a non-nil item.
func (it *Item) Rename(name string) {
	it.Name = name
}
