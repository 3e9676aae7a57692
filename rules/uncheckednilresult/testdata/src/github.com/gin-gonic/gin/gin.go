// Package gin stands in for github.com/gin-gonic/gin: a request context
// whose Get answers what a middleware stored with Set.
package gin

type Context struct{ keys map[string]any }

func (c *Context) Set(key string, value any) { c.keys[key] = value }

func (c *Context) Get(key string) (value any, exists bool) {
	value, exists = c.keys[key]
	return
}
