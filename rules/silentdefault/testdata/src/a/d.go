package a

import (
	"cmp"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
)

// ---- fallbacks the doc comment states ----

// queryInt returns the named query parameter parsed as int, or def when
// missing, invalid, or negative.
func queryInt(r *http.Request, name string, def int) int {
	n, err := strconv.Atoi(r.URL.Query().Get(name))
	if err != nil {
		return def
	}
	if n < 0 {
		return def
	}
	return n
}

// retries uses 3 if RETRIES is not set or invalid.
func retries() int {
	n, err := strconv.Atoi(os.Getenv("RETRIES"))
	if err != nil {
		n = 3
	}
	return n
}

// A doc comment that returns an error for invalid input states a failure,
// not the fallback the code then chooses.

// poolWorkers returns the configured pool size, or an error if WORKERS is invalid.
func poolWorkers() int {
	n, err := strconv.Atoi(os.Getenv("WORKERS"))
	if err != nil {
		n = 4 // want `when strconv.Atoi\(os.Getenv\("WORKERS"\)\) fails, 4 is used without a log`
	}
	return n
}

// A doc comment that merely mentions a default states nothing about
// missing or invalid input.

// poolSize sizes the default pool.
func poolSize() int {
	n, err := strconv.Atoi(os.Getenv("POOL"))
	if err != nil {
		n = 8 // want `when strconv.Atoi\(os.Getenv\("POOL"\)\) fails, 8 is used without a log`
	}
	return n
}

// The accessor of a package-level variable documents its initializer.
var modelsDir = sync.OnceValue(func() string {
	dir := os.Getenv("APP_MODELS")
	if dir == "" {
		home, _ := os.UserHomeDir()
		dir = filepath.Join(cmp.Or(home, "."), ".app", "models")
	}
	return dir
})

// ModelsDir returns the models directory. It is configured from the
// APP_MODELS environment variable, or defaults to $HOME/.app/models.
func ModelsDir() string {
	return modelsDir()
}

// Without such an accessor the initializer is not documented.
var appCacheDir = sync.OnceValue(func() string {
	dir := os.Getenv("APP_CACHE")
	if dir == "" {
		dir = "/var/cache/app" // want `os.Getenv\("APP_CACHE"\) falls back to "/var/cache/app" without a log`
	}
	return dir
})

func useCacheDir() string { return strings.ToUpper(appCacheDir()) }

// ---- a comment on the fallback stating the assumption ----

func isLocalHost() bool {
	host := os.Getenv("APP_HOST")
	if host == "" {
		return true
	}
	u, err := url.Parse(host)
	if err != nil {
		return true // If can't parse, assume local
	}
	return u.Hostname() == "localhost"
}

func isLocalUnstated() bool {
	host := os.Getenv("APP_HOST")
	if host == "" {
		return true
	}
	u, err := url.Parse(host)
	if err != nil {
		return true // want `when url.Parse\(host\) fails, true is used without a log`
	}
	return u.Hostname() == "localhost"
}

// ---- a document the function edits and writes back ----

func addProvider(path string) error {
	config := map[string]any{}
	if data, err := os.ReadFile(path); err == nil {
		_ = json.Unmarshal(data, &config)
	}
	providers, ok := config["providers"].(map[string]any)
	if !ok {
		providers = make(map[string]any) // an empty section, as map[string]any{}
	}
	entry, ok := providers["app"].(map[string]any)
	if !ok {
		entry = map[string]any{"api": "openai"} // the section this function writes
	}
	models, ok := entry["models"].([]any)
	if !ok {
		models = make([]any, 0)
	}
	entry["models"] = append(models, "m1")
	providers["app"] = entry
	config["providers"] = providers
	data, err := json.Marshal(config)
	if err != nil {
		return err
	}
	return os.WriteFile(path, data, 0o644)
}

// A section that is read and not written back stands in for the data.
func providerAPI(data []byte) string {
	var config map[string]any
	if err := json.Unmarshal(data, &config); err != nil {
		return ""
	}
	entry, ok := config["app"].(map[string]any)
	if !ok {
		entry = map[string]any{"api": "openai"} // want `config\["app"\] falls back to map\[string\]any\{…\} without a log`
	}
	api, _ := entry["api"].(string)
	return api
}

// A slice made with a length is not empty.
func tags(data []byte) []any {
	var config map[string]any
	if err := json.Unmarshal(data, &config); err != nil {
		return nil
	}
	t, ok := config["tags"].([]any)
	if !ok {
		t = make([]any, 2) // derived, not spelled out: not reported
	}
	return t
}

// ---- an answer built from what the caller gave ----

func toolKey(tool string, args map[string]any) string {
	if cmd, ok := args["command"].(string); ok {
		return tool + ":" + cmd
	}
	return tool
}

func toolLabel(tool string, args map[string]any, approved bool) string {
	label := "Denied"
	if approved {
		label = "Approved"
	}
	name := strings.Title(tool)
	if u, ok := args["url"].(string); ok {
		return fmt.Sprintf("%s: %s %s", label, name, u)
	}
	return fmt.Sprintf("%s: %s", label, name)
}

// A constant, or a value read from outside, is not what the caller gave.
func toolCurrency(args map[string]any) string {
	if c, ok := args["currency"].(string); ok {
		return c
	}
	return "USD" // want `args\["currency"\] falls back to "USD" without a log`
}

func toolRegion(tool string, args map[string]any) string {
	if r, ok := args["region"].(string); ok {
		return r
	}
	return tool + os.Getenv("APP_REGION") // derived from other input: not reported
}

// apiError is an API's error reply; its pointer is an error.
type apiError struct{ code int }

func (e *apiError) Error() string { return strconv.Itoa(e.code) }

var errBadRequest = &apiError{code: 107}

type publishRequest struct {
	B64Data string
	Data    []byte
}

type publishReply struct {
	Error *apiError
	Data  []byte
}

// decodePublish answers malformed data with an error reply: not reported.
func decodePublish(cmd *publishRequest) publishReply {
	var resp publishReply
	var data []byte
	if cmd.B64Data != "" {
		decoded, err := base64.StdEncoding.DecodeString(cmd.B64Data)
		if err != nil {
			resp.Error = errBadRequest
			return resp
		}
		data = decoded
	} else {
		data = cmd.Data
	}
	resp.Data = data
	return resp
}
