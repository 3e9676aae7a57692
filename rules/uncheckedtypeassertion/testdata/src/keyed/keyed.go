// Package keyed asserts on values looked up by key in stores of any type.
package keyed

import (
	"container/list"
	"fmt"

	"store"
)

type User struct{ Name string }

func auth(c *store.Context) {
	c.Set("user", &User{Name: "x"})
	c.Set("requestID", "abc")
}

// The lookup can miss: the handler may be mounted without the middleware.
func handler(c *store.Context) string {
	v, _ := c.Get("user")
	u := v.(*User) // want `type assertion v\.\(\*User\) panics if v \(looked up by c\.Get, which returns whatever was stored under the key\) holds another type`
	return u.Name
}

// Under the ok check, with every store under "user" in view holding *User.
func checkedHandler(c *store.Context) string {
	v, ok := c.Get("user")
	if !ok {
		return ""
	}
	return v.(*User).Name
}

// Under the ok check, but "requestID" is stored with a string, not an int.
func requestID(c *store.Context) int {
	v, ok := c.Get("requestID")
	if !ok {
		return 0
	}
	return v.(int) // want `type assertion v\.\(int\) panics`
}

// Nothing in view stores under "role": its type is decided elsewhere.
func role(c *store.Context) string {
	if v, ok := c.Get("role"); ok {
		return v.(string) // want `type assertion v\.\(string\) panics`
	}
	return ""
}

// A database decides what a record holds, present or not.
func version(r *store.Record) (int, error) {
	v, ok := r.Get("version")
	if !ok {
		return 0, fmt.Errorf("no version")
	}
	return int(v.(int64)), nil // want `type assertion v\.\(int64\) panics if v \(looked up by r\.Get`
}

func fill(c *store.Cache) {
	c.Set("greeting", "hello", 60)
}

// The package's every store under the key holds a string, and the lookup
// found one.
func greeting(c *store.Cache) string {
	x, found := c.Get("greeting")
	if !found {
		return "hi"
	}
	return x.(string)
}

// The same store, but the lookup's ok is dropped: a miss gives nil.
func greetingUnchecked(c *store.Cache) string {
	x, _ := c.Get("greeting")
	return x.(string) // want `type assertion x\.\(string\) panics`
}

// A pop takes no key: not a keyed lookup.
func pop(q *store.Queue) string {
	v, ok := q.Pop()
	if !ok {
		return ""
	}
	return v.(string)
}

type sessions struct{ cache *store.Cache }

func (s *sessions) put(id string, names []string) { s.cache.Set(id, names, 60) }

// Every store into s.cache, whatever its key, holds []string, and the
// lookup found one.
func (s *sessions) names(id string) []string {
	v, ok := s.cache.Get(id)
	if !ok {
		return nil
	}
	return v.([]string)
}

// brain is this package's own store: what it holds is the package's
// contract, as its other interface values are.
type brain struct{ data map[string]any }

func (b *brain) recall(key string) (any, bool) {
	v, ok := b.data[key]
	return v, ok
}

func fromBrain(b *brain) string {
	if v, ok := b.recall("name"); ok {
		return v.(string)
	}
	return ""
}

// groupBy finds each group's list or makes one and stores it: the only
// store holds what the variable holds then, a *list.List, or what was
// looked up from the same cache.
func groupBy(keys []string) *store.Cache {
	groups := store.NewCache()
	for _, k := range keys {
		group, exists := groups.Get(k)
		if !exists {
			group = list.New()
			groups.Set(k, group, 0)
		}
		group.(*list.List).PushBack(k)
	}
	return groups
}

// The same, but the variable may hold a value looked up from another
// cache when it is stored.
func regroup(from *store.Cache, keys []string) *store.Cache {
	groups := store.NewCache()
	for _, k := range keys {
		group, exists := groups.Get(k)
		if !exists {
			group, _ = from.Get(k)
			groups.Set(k, group, 0)
		}
		group.(*list.List).PushBack(k) // want `type assertion group\.\(\*list\.List\) panics`
	}
	return groups
}
