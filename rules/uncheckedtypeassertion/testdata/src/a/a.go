// Package a holds the reported and not-reported shapes of
// unchecked-type-assertion.
package a

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"sync"
	"sync/atomic"
)

// ---- decoded documents ----

func configPort(data []byte) (int, error) {
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		return 0, err
	}
	port := doc["port"].(float64) // want `type assertion doc\["port"\]\.\(float64\) panics if doc\["port"\] \(an element of map\[string\]any\) holds another type; use the two-value form`
	return int(port), nil
}

func decodeAny(r io.Reader) string {
	var v any
	if err := json.NewDecoder(r).Decode(&v); err != nil {
		return ""
	}
	return v.(string) // want `type assertion v\.\(string\) panics if v \(decoded by json\.NewDecoder\(r\)\.Decode\) holds another type`
}

func nested(doc map[string]interface{}) string {
	meta := doc["metadata"].(map[string]interface{}) // want `type assertion doc\["metadata"\]\.\(map\[string\]interface\{\}\)`
	return meta["name"].(string)                     // want `type assertion meta\["name"\]\.\(string\)`
}

func items(doc map[string]any) []string {
	var names []string
	list, ok := doc["items"].([]any)
	if !ok {
		return nil
	}
	for _, it := range list {
		names = append(names, it.(string)) // want `type assertion it\.\(string\) panics if it \(an element of \[\]any\)`
	}
	return names
}

func elem(v []interface{}) int {
	return v[0].(int) // want `type assertion v\[0\]\.\(int\)`
}

// ---- context values ----

type userKey struct{}

type User struct{ Name string }

func currentUser(r *http.Request) *User {
	return r.Context().Value(userKey{}).(*User) // want `type assertion r\.Context\(\)\.Value\(userKey\{\}\)\.\(\*User\) panics if the context holds no userKey\{\} value or one of another type; use the two-value form`
}

func requestID(ctx context.Context) string {
	id := ctx.Value("request-id")
	return id.(string) // want `type assertion id\.\(string\) panics if the context holds no "request-id" value`
}

// ---- recover ----

func safely(f func()) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = r.(error) // want `type assertion r\.\(error\) panics if r \(a recovered panic value, which can be anything\) holds another type`
		}
	}()
	f()
	return nil
}

// ---- channels of interface values ----

func worker(jobs <-chan any, out chan<- int) {
	for j := range jobs {
		out <- j.(int) // want `type assertion j\.\(int\) panics if j \(received from a channel of any\)`
	}
}

func firstEvent(events chan interface{}) string {
	return (<-events).(string) // want `type assertion \(<-events\)\.\(string\)`
}

// ---- sync.Map and atomic.Value with foreign stores ----

func lookup(m *sync.Map, key string) *User {
	v, _ := m.Load(key)
	return v.(*User) // want `type assertion v\.\(\*User\) panics if v \(loaded from sync\.Map\)`
}

var settings atomic.Value

func init() {
	settings.Store("x")
	settings.Store(42)
}

func mode() string {
	return settings.Load().(string) // want `type assertion settings\.Load\(\)\.\(string\) panics if settings\.Load\(\) \(loaded from atomic\.Value\)`
}

// ---- suppressed ----

func suppressed(doc map[string]any) string {
	//failfast:ignore unchecked-type-assertion the schema is validated upstream
	return doc["kind"].(string)
}

// ---- not reported ----

func twoValue(doc map[string]any) (string, bool) {
	s, ok := doc["name"].(string)
	return s, ok
}

func twoValueParen(ctx context.Context) *User {
	u, _ := (ctx.Value(userKey{})).(*User)
	return u
}

func typeSwitch(v any) string {
	switch x := v.(type) {
	case string:
		return x
	}
	return fmt.Sprint(v)
}

var bufPool = sync.Pool{New: func() any { return new([]byte) }}

func pooled() *[]byte {
	return bufPool.Get().(*[]byte) // the pool's New decides the type
}

var handlers = map[string]any{"a": func() {}}

func handler(name string) func() {
	return handlers[name].(func()) // a table filled in this package
}

func local() int {
	m := map[string]any{"n": 1}
	return m["n"].(int) // built right here
}

type pathErr struct{ error }

func asError(err error) *pathErr {
	return err.(*pathErr) // errors are errors.As's business
}

func isNotExist(err error) bool {
	return errors.Is(err, os.ErrNotExist)
}

type cache struct {
	m    sync.Map
	last atomic.Value
}

func (c *cache) put(k string, u *User) {
	c.m.Store(k, u)
	c.last.Store(u)
}

func (c *cache) get(k string) *User {
	v, ok := c.m.Load(k)
	if !ok {
		return nil
	}
	return v.(*User) // only *User is ever stored
}

func (c *cache) latest() *User {
	return c.last.Load().(*User) // only *User is ever stored
}

type shape interface{ Area() float64 }

type square struct{ s float64 }

func (q square) Area() float64 { return q.s * q.s }

func param(s shape) square {
	return s.(square) // a parameter: the caller's contract, not outside data
}
