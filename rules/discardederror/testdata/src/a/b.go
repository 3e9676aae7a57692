package a

import (
	"context"
	"errors"
	"math"
	"net/http"
	"regexp"
	"strconv"
	"strings"
)

// ---- a statement of intent heads the paragraph of the drop ----

type album struct{ kind string }

func (a *album) photoCount() (int64, error) {
	if a.kind == "shared" {
		return 0, errors.New("no count for shared albums")
	}
	return 1, nil
}
func fetchPhotos(n int64) int64 { return n }

func photosParagraph(a *album) int64 {
	// Fetch the count for the partition: zero if the fetch fails, the
	// tail loop handles completeness.
	var count int64
	if a.kind != "" {
		count, _ = a.photoCount()
	}
	return fetchPhotos(count)
}

func photosAfterBlank(a *album) int64 {
	// Fetch the count for the partition: zero if the fetch fails, the
	// tail loop handles completeness.
	var count int64

	if a.kind != "" {
		count, _ = a.photoCount() // want `error from a.photoCount is discarded with _; if it fails, count is 0`
	}
	return fetchPhotos(count)
}

func photosBlankInBlock(a *album) int64 {
	// Fetch the count for the partition: zero if the fetch fails, the
	// tail loop handles completeness.
	var count int64
	if a.kind != "" {
		a.kind = strings.TrimSpace(a.kind)

		count, _ = a.photoCount() // want `error from a.photoCount is discarded with _; if it fails, count is 0`
	}
	return fetchPhotos(count)
}

func photosOrdinaryComment(a *album) int64 {
	// Fetch the photo count for the partition.
	var count int64
	if a.kind != "" {
		count, _ = a.photoCount() // want `error from a.photoCount is discarded with _; if it fails, count is 0`
	}
	return fetchPhotos(count)
}

// ---- a submatch of a group of digits always parses ----

var functionRE = regexp.MustCompile(`^([a-zA-Z0-9_]+)\(([0-9]+),([0-9]+|MAX)\)$`)

type funcInfo struct{ min, max int64 }

func parseFunction(v string) (funcInfo, bool) {
	m := functionRE.FindStringSubmatch(v)
	if len(m) == 0 {
		return funcInfo{}, false
	}
	minArgs, _ := strconv.ParseInt(m[2], 10, 32)
	raw := m[3]
	var maxArgs int64
	if strings.EqualFold(raw, "MAX") {
		maxArgs = math.MaxInt32
	} else {
		maxArgs, _ = strconv.ParseInt(raw, 10, 32)
	}
	return funcInfo{minArgs, maxArgs}, true
}

func parseFunctionUnguarded(v string) (funcInfo, bool) {
	m := functionRE.FindStringSubmatch(v)
	if len(m) == 0 {
		return funcInfo{}, false
	}
	maxArgs, _ := strconv.ParseInt(m[3], 10, 32) // want `error from strconv.ParseInt is discarded with _; if it fails, maxArgs is 0`
	name := m[1]
	n, _ := strconv.Atoi(name) // want `error from strconv.Atoi is discarded with _; if it fails, n is 0`
	return funcInfo{int64(n), maxArgs}, true
}

var optionalPort = regexp.MustCompile(`^(\w+)(?::(\d{0,5}))?$`)

func port(endpoint string) int {
	m := optionalPort.FindStringSubmatch(endpoint)
	if m == nil {
		return 0
	}
	p, _ := strconv.Atoi(m[2]) // want `error from strconv.Atoi is discarded with _; if it fails, p is 0`
	return p
}

func hexByte(s string) int64 {
	re := regexp.MustCompile(`^#([0-9a-fA-F]{2})$`)
	m := re.FindStringSubmatch(s)
	if m == nil {
		return 0
	}
	b, _ := strconv.ParseInt(m[1], 16, 0)
	d, _ := strconv.ParseInt(m[1], 10, 0) // want `error from strconv.ParseInt is discarded with _; if it fails, d is 0`
	return b + d
}

// ---- a field tested for the failure's zero value at once ----

type chunk struct{ md5, sha1 string }

type hasher interface {
	Hash(kind string) (string, error)
}

func (c *chunk) hashes(src hasher) {
	if c.md5, _ = src.Hash("md5"); c.md5 == "" {
		c.sha1, _ = src.Hash("sha1")
		if c.sha1 == "" {
			c.md5 = "none"
		}
	}
	c.sha1, _ = src.Hash("sha1") // want `error from src.Hash is discarded with _; if it fails, c.sha1 is ""`
	c.md5 = strings.ToUpper(c.sha1)
}

// ---- http.NewRequest of a constant method and URL ----

func basicAuth(user, pass string) string {
	req, _ := http.NewRequest("GET", "http://example.com", nil)
	req.SetBasicAuth(user, pass)
	return req.Header.Get("Authorization")
}

func request(ctx context.Context, url string) *http.Request {
	req, _ := http.NewRequestWithContext(ctx, "POST", url, nil) // want `error from http.NewRequestWithContext is discarded with _; if it fails, req is nil`
	return req
}

// ---- a function of the module whose every return gives a nil error ----

type option struct {
	name     string
	required bool
}

func inputOptional(name string) (*option, error) { // want inputOptional:"neverFails\\(nil\\)"
	return &option{name: name}, nil
}

func input(name string) *option {
	o, _ := inputOptional(name)
	o.required = true
	return o
}
