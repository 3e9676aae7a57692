package a

import (
	"fmt"
	"net/http"
	"os"
	"strings"
	"time"
)

// ---- a setting stored in a field ----

type settings struct{ DatabaseURL string }

func loadSettings() *settings {
	cfg := &settings{}
	cfg.DatabaseURL = os.Getenv("DATABASE_URL")
	if cfg.DatabaseURL == "" {
		cfg.DatabaseURL = "postgres://localhost/app" // want `os\.Getenv\("DATABASE_URL"\) falls back to "postgres://localhost/app" without a log`
	}
	return cfg
}

// ---- application headers ----

func owner(r *http.Request) string {
	user := r.Header.Get("X-User")
	if user == "" {
		user = "anonymous" // want `r\.Header\.Get\("X-User"\) falls back to "anonymous" without a log; a client or proxy that stops sending "X-User" goes unnoticed`
	}
	return user
}

func contentType(r *http.Request) string {
	ct := r.Header.Get("Content-Type")
	if ct == "" {
		ct = "application/octet-stream" // a standard header: its absence has a meaning
	}
	return ct
}

func requestID(r *http.Request) string {
	id := r.Header.Get("X-Request-ID")
	if id == "" {
		id = "none" // a de facto standard header: absent means none assigned
	}
	return id
}

// ---- the package's own parsers ----

var layouts = []string{time.DateOnly, "02.01.2006"}

func parseDay(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	for _, l := range layouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("unrecognized date %q", s)
}

func rowDate(rec []string) time.Time {
	d, err := parseDay(rec[0])
	if err != nil {
		d = time.Now() // want `when parseDay\(rec\[0\]\) fails, time\.Now\(\) is used without a log`
	}
	return d
}

// ---- documented defaults ----

func clientRegion(r *http.Request) string {
	reg := r.Header.Get("X-Region")
	if reg == "" {
		reg = "eu-west-1" // optional: the primary region serves requests without one
	}
	return reg
}

// cacheDir returns APP_CACHE_DIR, by default /var/cache/app.
func cacheDir() string {
	dir := os.Getenv("APP_CACHE_DIR")
	if dir == "" {
		dir = "/var/cache/app"
	}
	return dir
}

// queueName returns the queue to use; callers fall back to the default
// queue themselves when it is paused: a default, but not the setting's.
func queueName() string {
	q := os.Getenv("APP_QUEUE")
	if q == "" {
		q = "jobs" // want `os\.Getenv\("APP_QUEUE"\) falls back to "jobs"`
	}
	return q
}

// A response's header is another service's answer, not a request setting.
func redirectTarget(resp *http.Response) string {
	loc := resp.Header.Get("X-Next")
	if loc == "" {
		loc = "/"
	}
	return loc
}
