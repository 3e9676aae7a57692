package a

import (
	"database/sql"
	"encoding/json"
	"errors"
	"go/parser"
	"go/token"
	"io"
	"io/fs"
	"log"
	"net/http"
	"os"
	"strconv"
)

// ---- reported ----

func fetch(url string) ([]byte, error) {
	resp, err := http.Get(url)
	defer resp.Body.Close() // want `the deferred resp.Body uses resp before err is checked; if http.Get fails, resp is nil and this panics`
	if err != nil {
		return nil, err
	}
	return io.ReadAll(resp.Body)
}

func status(c *http.Client, req *http.Request) (int, error) {
	resp, err := c.Do(req)
	if resp.StatusCode != http.StatusOK || err != nil { // want `resp.StatusCode uses resp before err is checked`
		return 0, err
	}
	return resp.StatusCode, nil
}

func newRequest(url string) (*http.Request, error) {
	req, err := http.NewRequest("GET", url, nil)
	req.Header.Set("Accept", "application/json") // want `req.Header uses req before err is checked; if http.NewRequest fails, req is nil`
	return req, err
}

type store interface {
	Get(key string) (string, error)
}

func openStore(path string) (store, error) { return nil, errors.New("not implemented") }

func lookup(path, key string) (string, error) {
	s, err := openStore(path)
	v, _ := s.Get(key) // want `s.Get uses s before err is checked; if openStore fails, s is nil`
	if err != nil {
		return "", err
	}
	return v, nil
}

func prepare(db *sql.DB) error {
	stmt, err := db.Prepare("INSERT INTO t VALUES ($1)")
	defer stmt.Close() // want `the deferred stmt.Close uses stmt before err is checked`
	if err != nil {
		return err
	}
	_, err = stmt.Exec(1)
	return err
}

func loadHandlers() (map[string]http.HandlerFunc, error) { return nil, nil }

func register(mux *http.ServeMux) error {
	hs, err := loadHandlers()
	hs["health"] = func(w http.ResponseWriter, r *http.Request) {} // want `hs\["health"\] uses hs before err is checked`
	if err != nil {
		return err
	}
	return nil
}

type config struct{ Addr string }

func parseConfig(b []byte) (*config, error) { return nil, nil }

func configure(b []byte) string {
	cfg, err := parseConfig(b)
	addr := cfg.Addr // want `cfg.Addr uses cfg before err is checked; if parseConfig fails, cfg is nil`
	if err != nil {
		log.Fatal(err)
	}
	return addr
}

func deferredClosure(url string) error {
	resp, err := http.Get(url)
	defer func() {
		resp.Body.Close() // want `the deferred resp.Body uses resp before err is checked`
	}()
	if err != nil {
		return err
	}
	return nil
}

func suppressed(url string) {
	resp, err := http.Get(url)
	//failfast:ignore use-before-check http.Get never fails against the local test server
	defer resp.Body.Close()
	if err != nil {
		return
	}
}

// ---- not reported ----

func fetchOK(url string) ([]byte, error) {
	resp, err := http.Get(url)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	return io.ReadAll(resp.Body)
}

func write(w io.Writer, p []byte) (int, error) {
	n, err := w.Write(p)
	total := n + 1 // an int is valid on error
	if err != nil {
		return total, err
	}
	return total, nil
}

func atoi(s string) int {
	n, err := strconv.Atoi(s)
	log.Printf("parsed %d", n)
	if err != nil {
		return 0
	}
	return n
}

func openFile(path string) error {
	f, err := os.Open(path)
	defer f.Close() // (*os.File).Close returns ErrInvalid on nil
	if err != nil {
		return err
	}
	return nil
}

func nilChecked(path string) (string, error) {
	s, err := openStore(path)
	if s == nil {
		return "", err
	}
	return s.Get("k")
}

func errorsIs(path string) (fs.FileInfo, error) {
	fi, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	return fi, err
}

func returned(b []byte) (*config, error) {
	cfg, err := parseConfig(b)
	return cfg, err
}

func decode(r io.Reader) (map[string]any, error) {
	var m map[string]any
	err := json.NewDecoder(r).Decode(&m)
	return m, err
}

func passedOn(url string) error {
	resp, err := http.Get(url)
	consume(resp, err)
	return nil
}

func consume(*http.Response, error) {}

func reassigned(url string) error {
	resp, err := http.Get(url)
	if err != nil {
		resp, err = http.Get(url + "?retry=1")
		if err != nil {
			return err
		}
	}
	defer resp.Body.Close()
	return nil
}

func goroutine(url string) error {
	resp, err := http.Get(url)
	done := make(chan struct{})
	go func() {
		<-done
		resp.Body.Close()
	}()
	if err != nil {
		return err
	}
	close(done)
	return nil
}

func search(dir string) ([]string, error) { return nil, nil }

func firstMatch(dir string) (string, error) {
	paths, err := search(dir)
	if len(paths) > 0 {
		return paths[0], nil // the length is checked: safe whatever err says
	}
	return "", err
}

// globalURL returns u itself when it cannot rewrite it.
func globalURL(u *http.Request) (*http.Request, error) { // want globalURL:"usableOnError\\[0\\]"
	if u.Host == "" {
		return u, errors.New("no host")
	}
	return u, nil
}

func describe(r *http.Request) string {
	g, err := globalURL(r)
	host := g.Host // non-nil on error: globalURL returns its argument
	if err != nil {
		return "unknown"
	}
	return host
}

func acquire() (release func(), err error) { return func() {}, nil }

func withSlot() error {
	release, err := acquire()
	defer release() // cleanup functions are returned non-nil by convention
	return err
}

// go/parser.ParseFile documents a partial AST with its error.
func packageName(src string) (string, error) {
	f, err := parser.ParseFile(token.NewFileSet(), "x.go", src, parser.PackageClauseOnly)
	name := f.Name.Name
	return name, err
}

// An if initialiser: the condition that follows is the check.
func ifInit(url string) error {
	if resp, err := http.Get(url); err != nil || resp.StatusCode != 200 {
		return err
	}
	return nil
}
