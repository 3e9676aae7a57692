// Package inventory is a small stock-keeping service. It is failfast's demo:
// it works on the happy path and hides a silent failure in almost every file.
package inventory

import (
	"os"
	"strconv"
	"time"
)

// Config is read from the environment at start-up.
type Config struct {
	Addr         string
	DatabaseURL  string
	MaxItems     int
	ReadTimeout  time.Duration
	FeatureFlags []string
}

// LoadConfig reads the settings. A misspelt variable quietly becomes a
// default, and a malformed number quietly becomes 100.
func LoadConfig() Config {
	var c Config
	addr := os.Getenv("INVENTORY_ADDR")
	if addr == "" {
		addr = ":8080"
	}
	c.Addr = addr
	c.DatabaseURL = os.Getenv("DATABASE_URL")
	n, err := strconv.Atoi(os.Getenv("INVENTORY_MAX_ITEMS"))
	if err != nil {
		n = 100
	}
	c.MaxItems = n
	d, err := time.ParseDuration(os.Getenv("INVENTORY_READ_TIMEOUT"))
	if err != nil {
		return c
	}
	c.ReadTimeout = d
	return c
}
