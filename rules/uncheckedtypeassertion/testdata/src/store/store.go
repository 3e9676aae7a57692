// Package store stands in for dependencies with keyed stores of values of
// any type: a web framework's request context, a database record, a cache.
package store

// Context is a request context that middleware fills (gin's shape).
type Context struct{ keys map[string]any }

func (c *Context) Set(key string, v any) { c.keys[key] = v }

func (c *Context) Get(key string) (any, bool) {
	v, ok := c.keys[key]
	return v, ok
}

// Record is a row the database returns.
type Record struct{ vals map[string]any }

func (r *Record) Get(key string) (any, bool) {
	v, ok := r.vals[key]
	return v, ok
}

// Cache holds what the program puts in it.
type Cache struct{ m map[string]any }

func NewCache() *Cache { return &Cache{m: map[string]any{}} }

func (c *Cache) Set(k string, v any, ttlSeconds int) { c.m[k] = v }

func (c *Cache) Get(k string) (any, bool) {
	v, ok := c.m[k]
	return v, ok
}

// Queue pops values without a key.
type Queue struct{ items []any }

func (q *Queue) Pop() (any, bool) {
	if len(q.items) == 0 {
		return nil, false
	}
	v := q.items[0]
	q.items = q.items[1:]
	return v, true
}
