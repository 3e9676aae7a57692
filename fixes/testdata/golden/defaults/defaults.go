// Package defaults holds settings that silently fall back to defaults.
package defaults

import (
	"cmp"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"os"
	"strconv"
	"time"
)

// Config is read from the environment.
type Config struct {
	Addr    string
	DSN     string
	Workers int
	Timeout time.Duration
	logger  *slog.Logger
}

func listenAddr() string {
	port := os.Getenv("PORT")
	if port == "" {
		port = "8080" // the usual port
	}
	return ":" + port
}

func getEnv(key, fallback string) string {
	if v, ok := os.LookupEnv(key); ok {
		return v
	}
	return fallback
}

func (c *Config) load() {
	dsn := "postgres://localhost/app"
	if v := os.Getenv("DATABASE_URL"); v != "" {
		dsn = v
	}
	c.DSN = dsn
	n, err := strconv.Atoi(os.Getenv("WORKERS"))
	if err != nil {
		n = 4
	}
	c.Workers = n
}

func region() string {
	return cmp.Or(os.Getenv("AWS_REGION"), "us-east-1")
}

// adminPassword falls back to another setting: a derived default, not
// reported (and a fix must never log it, it may be a secret).
func adminPassword() string {
	pass := os.Getenv("ADMIN_PASSWORD")
	if pass == "" {
		pass = os.Getenv("LEGACY_ADMIN_PASSWORD")
	}
	return pass
}

// currency reads the client's currency header.
func currency(r *http.Request) string {
	c := r.Header.Get("X-Currency")
	if c == "" {
		c = "USD"
	}
	return c
}

type order struct{ Currency, Region string }

// decodeOrder defaults two fields of a decoded document.
func decodeOrder(line []byte) (order, error) {
	var m map[string]any
	if err := json.Unmarshal(line, &m); err != nil {
		return order{}, err
	}
	var o order
	if c, ok := m["currency"].(string); ok && c != "" {
		o.Currency = c
	} else {
		o.Currency = "USD"
	}
	region := "eu-west-1"
	if r, ok := m["region"].(string); ok {
		region = r
	}
	o.Region = region
	return o, nil
}

type job struct{ TimeoutMinutes, Started string }

// jobContext applies the job's timeout, when it parses.
func jobContext(ctx context.Context, j *job) (context.Context, context.CancelFunc) {
	if j.TimeoutMinutes != "" {
		if m, err := strconv.Atoi(j.TimeoutMinutes); err == nil {
			return context.WithTimeout(ctx, time.Duration(m)*time.Minute)
		}
	}
	return ctx, func() {}
}

// jobStart parses the job's start time, a field after a constant layout.
func jobStart(j *job) time.Time {
	t, err := time.Parse(time.RFC3339, j.Started)
	if err != nil {
		t = time.Unix(0, 0)
	}
	return t
}

// logLevel fills getEnv's fallback with a literal: the fix inside getEnv
// names the setting but cannot show a constant default.
func logLevel() string {
	return getEnv("LOG_LEVEL", "info")
}
