// Package a holds the reported and not-reported shapes of silent-default.
package a

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"log/slog"
	"net/http"
	"net/netip"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"time"
)

// ---- settings from the environment ----

func listenAddr() string {
	port := os.Getenv("PORT")
	if port == "" {
		port = "8080" // want `os\.Getenv\("PORT"\) falls back to "8080" without a log; a missing or misspelt setting goes unnoticed`
	}
	return ":" + port
}

func logLevel() string {
	lvl, ok := os.LookupEnv("APP_LOG_LEVEL")
	if !ok {
		lvl = "info" // want `os\.LookupEnv\("APP_LOG_LEVEL"\) falls back to "info"`
	}
	return lvl
}

// A helper's fallback parameter is its callers' default: reported when a
// caller spells one out.
func getEnv(key, fallback string) string {
	if v, ok := os.LookupEnv(key); ok {
		return v
	}
	return fallback // want `os\.LookupEnv\(key\) falls back to fallback`
}

var databaseURL = getEnv("DATABASE_URL", "postgres://localhost/app")

// Not reported: every caller passes a declared default.
func getEnvOr(key, def string) string {
	v := os.Getenv(key)
	if len(v) == 0 {
		return def
	}
	return v
}

// defaultDataDir is where the data lives unless APP_DATA_DIR says otherwise.
const defaultDataDir = "/var/lib/app"

var appDataDir = getEnvOr("APP_DATA_DIR", defaultDataDir)

// ---- a missing setting replaced by a declared or derived default: not reported ----

const fallbackHost = "localhost"

func host() string {
	h := os.Getenv("APP_HOST")
	if h == "" {
		h = fallbackHost // a named constant: declared once, where it is stated
	}
	return h
}

func targetOS() string {
	if v := os.Getenv("APP_GOOS"); v != "" {
		return v
	}
	return runtime.GOOS // derived from the running system
}

func homeCacheDir(home string) string {
	if d := os.Getenv("APP_CACHE"); d != "" {
		return d
	}
	return filepath.Join(home, ".cache", "app") // derived from other input
}

// ---- a missing setting replaced by a value spelled out here: reported ----

func bufferSize() string {
	size := os.Getenv("APP_BUFFER")
	if size == "" {
		size = "64" + "k" // want `os\.Getenv\("APP_BUFFER"\) falls back to "64" \+ "k" without a log`
	}
	return size
}

func brokers() []string {
	b := os.Getenv("APP_BROKERS")
	if b == "" {
		return []string{"localhost:9092"} // want `falls back to \[\]string\{…\} without a log`
	}
	return []string{b}
}

func debug() bool {
	v, ok := os.LookupEnv("APP_DEBUG")
	if !ok {
		return true // want `os\.LookupEnv\("APP_DEBUG"\) falls back to true without a log`
	}
	return v == "1"
}

type Config struct {
	DSN     string
	Workers int
	Timeout time.Duration
}

func loadConfig() Config {
	cfg := Config{}
	dsn := "postgres://localhost/app" // want `os\.Getenv\("DATABASE_URL"\) falls back to "postgres://localhost/app"`
	if v := os.Getenv("DATABASE_URL"); v != "" {
		dsn = v
	}
	cfg.DSN = dsn
	return cfg
}

func region() string {
	return cmp.Or(os.Getenv("AWS_REGION"), "us-east-1") // want `os\.Getenv\("AWS_REGION"\) falls back to "us-east-1"`
}

// ---- parse errors replaced by a fallback ----

func workers() int {
	s := os.Getenv("APP_WORKERS")
	n, err := strconv.Atoi(s)
	if err != nil {
		n = 4 // want `when strconv\.Atoi\(s\) fails, 4 is used without a log; malformed input is silently replaced`
	}
	return n
}

type retryConfig struct{ Backoff string }

func (rc retryConfig) backoff() time.Duration {
	d, err := time.ParseDuration(rc.Backoff)
	if err != nil {
		d = time.Second // want `when time\.ParseDuration\(rc\.Backoff\) fails, time\.Second is used`
	}
	return d
}

// retryAfter converts a Retry-After value; on error it returns the default,
// as if the header was absent.
func retryAfter(t string) time.Duration {
	n, err := strconv.Atoi(t)
	if err != nil {
		return 5 * time.Second // a converter of its parameter: its contract
	}
	return time.Duration(n) * time.Second
}

func (c *Config) applyEnv() {
	d, err := time.ParseDuration(os.Getenv("APP_TIMEOUT"))
	if err != nil {
		c.Timeout = 30 * time.Second // want `when time\.ParseDuration\(os\.Getenv\("APP_TIMEOUT"\)\) fails, 30 \* time\.Second is used`
	} else {
		c.Timeout = d
	}
}

func pageSize(r *http.Request) int {
	limit, err := strconv.Atoi(r.URL.Query().Get("limit"))
	if err != nil {
		return 50 // want `when strconv\.Atoi\(r\.URL\.Query\(\)\.Get\("limit"\)\) fails, 50 is used`
	}
	return limit
}

func colorEnabled() bool {
	if b, err := strconv.ParseBool(os.Getenv("APP_COLOR")); err == nil {
		return b
	}
	return true // want `when strconv\.ParseBool\(os\.Getenv\("APP_COLOR"\)\) fails, true is used`
}

// ---- suppressed ----

func suppressed() string {
	host := os.Getenv("APP_HOST")
	if host == "" {
		//failfast:ignore silent-default localhost is the documented default
		host = "localhost"
	}
	return host
}

// ---- not reported ----

type Options struct {
	Timeout time.Duration
	Retries int
}

func NewClient(o Options) *Options {
	if o.Timeout == 0 {
		o.Timeout = 10 * time.Second // option defaulting, not read from outside
	}
	if o.Retries == 0 {
		o.Retries = 3
	}
	return &o
}

func loggedPort() string {
	port := os.Getenv("PORT")
	if port == "" {
		log.Printf("PORT not set, using 8080")
		port = "8080"
	}
	return port
}

func slogWorkers(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		slog.Warn("bad worker count, using 4", "value", s, "err", err)
		n = 4
	}
	return n
}

func strictWorkers(s string) (int, error) {
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, fmt.Errorf("parse workers %q: %w", s, err)
	}
	return n, nil
}

func isNumber(s string) bool {
	if _, err := strconv.Atoi(s); err != nil {
		return false // a yes/no question, not a fallback
	}
	return true
}

func requiredEnv() (string, error) {
	v := os.Getenv("API_KEY")
	if v == "" {
		return "", errors.New("API_KEY is not set")
	}
	return v, nil
}

func optionalQuery(r *http.Request) string {
	sort := r.URL.Query().Get("sort")
	if sort == "" {
		sort = "name" // a query parameter the caller may omit: an API choice
	}
	return sort
}

func tmpDir() string {
	dir := os.Getenv("TMPDIR")
	if dir == "" {
		dir = "/tmp" // the operating system's convention
	}
	return dir
}

func constantParse() time.Time {
	t, err := time.Parse(time.RFC3339, "2024-01-01T00:00:00Z")
	if err != nil {
		t = time.Time{}
	}
	return t
}

func handled(w http.ResponseWriter, r *http.Request) {
	n, err := strconv.Atoi(r.FormValue("n"))
	if err != nil {
		http.Error(w, "bad n", http.StatusBadRequest)
		return
	}
	fmt.Fprintln(w, n)
}

func skipBad(lines []string) []int {
	var out []int
	for _, l := range lines {
		n, err := strconv.Atoi(l)
		if err != nil {
			continue
		}
		out = append(out, n)
	}
	return out
}

func collect(vals []string) (errs []error) {
	for _, v := range vals {
		if _, err := url.Parse(v); err != nil {
			errs = append(errs, err)
		}
	}
	return errs
}

func overrideNoDefault(cfg *Config) {
	if v := os.Getenv("APP_DSN"); v != "" {
		cfg.DSN = v // an override of a value configured elsewhere
	}
}

func sniff(text string) any {
	if n, err := strconv.Atoi(text); err == nil {
		return n
	}
	return text // try to parse, else keep the text: not a fallback
}

func isLoopback(host string) bool {
	if ip, err := netip.ParseAddr(host); err == nil {
		return ip.IsLoopback()
	}
	return false // a yes/no answer
}

func userAgent() string {
	ua := "app/1.0"
	if extra, ok := os.LookupEnv("USERAGENT"); ok {
		ua = extra + " " + ua // the setting extends the default
	}
	return ua
}

func pathPart(key string, parts []string) (string, bool) {
	idx, err := strconv.Atoi(key)
	if err != nil {
		return "", false // comma-ok: the caller learns it failed
	}
	return parts[idx], true
}

func flushInterval(v string) (time.Duration, error) {
	var d time.Duration
	if n, err := strconv.Atoi(v); err == nil {
		d = time.Duration(n)
	} else {
		dur, err := time.ParseDuration(v)
		if err != nil {
			return 0, fmt.Errorf("bad duration %q: %w", v, err)
		}
		d = dur
	}
	return d, nil
}

func debugEnabled() bool {
	if b, err := strconv.ParseBool(os.Getenv("DEBUG")); err == nil {
		return b
	}
	return false // the zero value: "off" unless asked for
}

func contentLength(cl string) int64 {
	n, err := strconv.ParseUint(cl, 10, 63)
	if err != nil {
		return -1 // a sentinel the caller tests for
	}
	return int64(n)
}

func gccgo() string {
	name := os.Getenv("GCCGO")
	if name == "" {
		name = "gccgo" // a variable another program defines
	}
	return name
}

func gcPercent() int {
	v := os.Getenv("APP_GC_PERCENT")
	if v != "" {
		if v == "off" {
			return -1
		}
		n, err := strconv.Atoi(v)
		if err == nil {
			return n
		}
	}
	return 75 // want `when strconv\.Atoi\(v\) fails, 75 is used without a log`
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def // every caller names a toolchain variable
}

var (
	goos   = envOr("GOOS", "linux")
	goarch = envOr("GOARCH", "amd64")
)

type response struct{ JSON map[string]any }

func decodeBody(resp *response, body []byte) {
	var data map[string]any
	if err := json.Unmarshal(body, &data); err != nil {
		resp.JSON = nil // left empty, not a chosen value
	} else {
		resp.JSON = data
	}
}

// A chain of settings: each but the last falls back to another setting;
// the last is judged against the final value (GOOS's own default is the
// host's).
func targetPlatform() (string, string) {
	goos := cmp.Or(os.Getenv("APP_GOOS"), os.Getenv("GOOS"), runtime.GOOS)
	region := cmp.Or(os.Getenv("APP_REGION"), os.Getenv("AWS_REGION"), "us-east-1") // want `os\.Getenv\("AWS_REGION"\) falls back to "us-east-1"`
	return goos, region
}

// Windows spells its variables in any case; falling back from one setting
// to another is a chain too.
func dataDir() string {
	if p := os.Getenv("LocalAppData"); p != "" {
		return filepath.Join(p, "app")
	}
	return filepath.Join(os.Getenv("AppData"), "app")
}

func cacheHome() string {
	if d := os.Getenv("APP_CACHE"); d != "" {
		return d
	}
	return filepath.Join(os.Getenv("XDG_CACHE_HOME"), "app")
}

// An override of what the receiver was configured with: without the
// variable the configuration stands.
type guiConfig struct{ RawAddress string }

func (c guiConfig) Address() string {
	if a := os.Getenv("APP_GUI_ADDRESS"); a != "" {
		return a
	}
	return c.RawAddress
}

// A default chosen here is still one, method or not.
func (c guiConfig) Theme() string {
	if t := os.Getenv("APP_THEME"); t != "" {
		return t
	}
	return "dark" // want `os\.Getenv\("APP_THEME"\) falls back to "dark"`
}

// Recording which settings are missing, to report them together, chooses
// no value for any of them.
func keySources() ([]string, error) {
	var sources, unused []string
	if k, ok := os.LookupEnv("APP_KEY"); ok {
		sources = append(sources, k)
	} else {
		unused = append(unused, "APP_KEY")
	}
	if len(sources) == 0 {
		return nil, fmt.Errorf("no key found in %v", unused)
	}
	return sources, nil
}

// exitError is an error type of the program's own; returning one reports
// the failure.
type exitError struct{ code int }

func (e *exitError) Error() string { return fmt.Sprintf("exit %d", e.code) }

func newExitError(code int) *exitError { return &exitError{code: code} }

func limitSetting() (int, error) {
	n, err := strconv.Atoi(os.Getenv("APP_LIMIT"))
	if err != nil {
		return 0, newExitError(2)
	}
	return n, nil
}

// Documented defaults: a doc comment that names the setting as an
// override, one that says the function returns the default, and a
// fallback declared as the default.

const gpgExecEnv = "APP_GPG_EXEC"

// gpgBinary returns the GnuPG binary to run. It allows for runtime
// modifications by setting the replacement binary via gpgExecEnv.
func gpgBinary() string {
	if b := os.Getenv(gpgExecEnv); b != "" {
		return b
	}
	return "gpg"
}

// gnuPGHome returns the GnuPG home directory. In order of preference:
//  1. $APP_GNUPGHOME
//  2. $HOME/.gnupg
func gnuPGHome() string {
	if dir := os.Getenv("APP_GNUPGHOME"); dir != "" {
		return dir
	}
	return filepath.Join(os.Getenv("HOME"), ".gnupg")
}

const configPathDefault = "/etc/app.yml"

// DefaultConfigPath returns the default config path.
func DefaultConfigPath() string {
	if v := os.Getenv("APP_CONFIG"); v != "" {
		return v
	}
	return configPathDefault
}

const (
	// Default value of the allowlist. Should eventually be "none".
	allowlistDefault = "all"
)

func allowlist() string {
	list := allowlistDefault
	if v, ok := os.LookupEnv("APP_ALLOWLIST"); ok && v != "" {
		list = v
	}
	return list
}

// A doc comment that only names the setting, or a fallback whose
// declaration says nothing of a default, documents no default.

const sessionTTL = 30 * time.Minute

// ttlFromEnv reads APP_SESSION_TTL as a Go duration ("45m").
func ttlFromEnv() time.Duration {
	d, err := time.ParseDuration(os.Getenv("APP_SESSION_TTL"))
	if err != nil {
		return sessionTTL // want `sessionTTL is used without a log`
	}
	return d
}
