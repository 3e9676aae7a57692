package a

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
)

type Config struct {
	Addr    string
	Workers int
}

// --- reported ---

// loadConfig returns nil when the file cannot be parsed: the caller thinks
// the configuration was applied.
func loadConfig(path string, cfg *Config) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(data, cfg); err != nil {
		return nil // want `error from json.Unmarshal is dropped: this branch returns a nil error, so the caller sees success`
	}
	return nil
}

// render answers the error's text as the rendered value: the caller writes
// "open x: no such file" where the secret should be, and is told success.
func render(path string) (string, error) { // want render:"nilError"
	data, err := os.ReadFile(path)
	if err != nil {
		return err.Error(), nil // want `error from os.ReadFile is dropped: this branch returns a nil error, so the caller sees success`
	}
	return string(data), nil
}

// countUsers answers 0, nil when the query fails.
func countUsers(db *sql.DB) (int, error) { // want countUsers:"nilError"
	row := db.QueryRow("SELECT count(*) FROM users")
	var n int
	err := row.Scan(&n)
	if err != nil {
		return 0, nil // want `error from row.Scan is dropped`
	}
	return n, nil
}

// saveReport loses the write failure entirely.
func saveReport(path string, body []byte) {
	err := os.WriteFile(path, body, 0o644)
	if err != nil { // want `error from os.WriteFile is unhandled: the err != nil branch is empty`
	}
}

// fetch logs the failed request and then reads the body of a nil response.
func fetch(url string) ([]byte, error) {
	resp, err := http.Get(url)
	if err != nil { // want `error from http.Get is only logged: execution falls through and uses resp`
		log.Printf("fetch %s: %v", url, err)
	}
	defer resp.Body.Close()
	return io.ReadAll(resp.Body)
}

// parsePort prints the error and carries on with a zero port.
func parsePort(s string) int {
	port, err := strconv.Atoi(s)
	if err != nil { // want `error from strconv.Atoi is only logged: execution falls through and uses port`
		fmt.Println("bad port:", s)
	}
	return port
}

type store struct{ db *sql.DB }

// deleteUser loses a failed DELETE in a method.
func (s *store) deleteUser(id int) error { // want deleteUser:"nilError"
	if _, err := s.db.Exec("DELETE FROM users WHERE id = ?", id); err != nil {
		return nil // want `error from s.db.Exec is dropped`
	}
	return nil
}

// handler: the closure returns nil on failure.
func register(mux *http.ServeMux, db *sql.DB) {
	apply := func(name string) error {
		tx, err := db.Begin()
		if err != nil {
			return nil // want `error from db.Begin is dropped`
		}
		_, err = tx.Exec("INSERT INTO t VALUES (?)", name)
		if err != nil {
			return err
		}
		return tx.Commit()
	}
	mux.HandleFunc("/apply", func(w http.ResponseWriter, r *http.Request) {
		if err := apply(r.FormValue("name")); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
		}
	})
}

// flush: an empty branch with a TODO is still reported.
func flush(f *os.File) {
	if err := f.Sync(); err != nil { // want `error from f.Sync is unhandled`
		// TODO: handle
	}
}

// optionalConfig: the comment states a belief about which error occurs
// (a missing file), while the branch drops every error.
func optionalConfig(path string) error { // want optionalConfig:"nilError"
	_, err := os.ReadFile(path)
	if err != nil {
		// A missing configuration file is fine: defaults apply.
		return nil // want `error from os.ReadFile is dropped`
	}
	return nil
}

// ping logs the failure and tells its caller that the endpoint answered.
func ping(c *http.Client, url string) error {
	resp, err := c.Head(url)
	if err != nil {
		log.Printf("ping %s: %v", url, err)
		return nil // want `error from c.Head is dropped`
	}
	return resp.Body.Close()
}

// walkQuiet: the error handed to the walk function is dropped.
func walkQuiet(root string) error {
	return filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil // want `error passed in err is dropped`
		}
		return nil
	})
}

// listModules prints the plain list when the details cannot be loaded, and
// never says why.
func listModules(load func() ([]string, error), names []string) error { // want listModules:"nilError"
	mods, err := load()
	if err != nil {
		for _, n := range names {
			fmt.Println(n)
		}
		return nil // want `error from load is dropped`
	}
	fmt.Println(mods)
	return nil
}

// alreadyGone: an empty branch whose comment guesses the cause.
func alreadyGone(path string) {
	if err := os.Remove(path); err != nil { // want `error from os.Remove is unhandled`
		// already gone, nothing to do
	}
}

// listUsers logs a row it cannot scan and appends it anyway.
func listUsers(rows *sql.Rows, scan func(*sql.Rows) (*Config, error)) []*Config {
	var out []*Config
	for rows.Next() {
		u, err := scan(rows)
		if err != nil { // want `error from scan is only logged: execution falls through and uses u`
			log.Printf("skipping bad row: %v", err)
		}
		out = append(out, u)
	}
	return out
}

// create logs a request it cannot decode and goes on with the empty one.
func create(w http.ResponseWriter, r *http.Request, save func(string) error) {
	var cfg Config
	if err := json.NewDecoder(r.Body).Decode(&cfg); err != nil { // want `is only logged: execution falls through and uses cfg`
		log.Printf("decode: %v", err)
	}
	if err := save(cfg.Addr); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
	}
}

// lookupUser fills a field of the failed call's result, which may be nil,
// and goes on with it: that is no fallback.
func lookupUser(find func(string) (*apiError, error), id string) string {
	u, err := find(id)
	if err != nil { // want `is not handled: execution falls through and uses u`
		u.Message = "unknown"
	}
	return u.Message
}

// saveIndex logs that something failed, but not what.
func saveIndex(save func() error) {
	if err := save(); err != nil { // want `error from save is logged without its value`
		log.Printf("could not save the index")
	}
}

// runLogged logs the output of a failed command and returns the error
// after the branch: the caller gets it. Not reported.
func runLogged(run func() (string, error)) (string, error) {
	out, err := run()
	if err != nil {
		log.Printf("command failed: %s", out)
	}
	return out, err
}

// runMaybe returns the error on one path only: the other drops it.
func runMaybe(run func() (string, error), quiet bool) (string, error) {
	out, err := run()
	if err != nil { // want `error from run is only logged: execution falls through and uses out`
		log.Printf("command failed: %s", out)
	}
	if quiet {
		return out, nil
	}
	return out, err
}

// migrate returns the first error, which was checked and is nil, in place
// of the second.
func migrate(db *sql.DB) error {
	_, err := db.Exec("CREATE TABLE t (id int)")
	if err != nil {
		return err
	}
	if _, err2 := db.Exec("CREATE INDEX i ON t (id)"); err2 != nil {
		return err // want `error from db.Exec is dropped: this branch returns err, which is nil here \(checked on line \d+\)`
	}
	return nil
}

// getJSON answers success on a 404 without decoding into out.
func getJSON(get func(string) ([]byte, error), path string, out any) error {
	data, err := get(path)
	if err != nil {
		var se *statusError
		if errors.As(err, &se) && se.code == http.StatusNotFound {
			return nil // want `error from get is dropped: this return answers success without filling out`
		}
		return err
	}
	return json.Unmarshal(data, out)
}

type statusError struct{ code int }

func (e *statusError) Error() string { return strconv.Itoa(e.code) }

// --- not reported ---

type parser struct{ err error }

// octal records the failure as another error for its caller to see.
func (p *parser) octal(s string) int64 {
	x, perr := strconv.ParseInt(s, 8, 64)
	if perr != nil {
		p.err = errors.New("bad octal field")
	}
	return x
}

// Outcome carries a failure to its caller as data.
type Outcome struct {
	Path string
	Err  error
}

// probe hands the error back inside its result: the caller sees Err.
func probe(path string) (Outcome, error) { // want probe:"nilError"
	if _, err := os.Stat(path); err != nil {
		return Outcome{Path: path, Err: err}, nil
	}
	return Outcome{Path: path}, nil
}

// lookup tries another way and then hands the error back with the result.
func lookup(primary, secondary func() (int, error)) (int, error) {
	port, err := primary()
	if err != nil {
		if p, err := secondary(); err == nil {
			return p, nil
		}
	}
	return port, err
}

// meta logs with the value and checks the result's length before use.
func meta(prepare func() ([]string, error)) string {
	ml, err := prepare()
	if err != nil {
		log.Printf("prepare: %v", err)
	}
	if len(ml) == 0 {
		return ""
	}
	return ml[0]
}

// showManual falls back to printing the page itself: the branch does the
// work another way.
func showManual(run func() error, page string) {
	if err := run(); err != nil {
		fmt.Print(page)
	}
}

// onError receives an error to handle: what handling means is its own
// business.
func onError(failures *int) func(error) {
	return func(err error) {
		if err != nil {
			*failures++
		}
	}
}

// removeCache: the comment in the branch states the intent.
func removeCache(path string) error { // want removeCache:"nilError"
	if err := os.Remove(path); err != nil {
		// Ignore the error: the cache is rebuilt on the next start.
	}
	return nil
}

// readAll: a specific, handled error is not this rule's business.
func readAll(r io.Reader) error {
	buf := make([]byte, 10)
	_, err := r.Read(buf)
	if err == io.EOF {
		return nil
	}
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	return err
}

// fallbackReturn logs the error with its value and answers a fallback the
// caller can use.
func fallbackReturn(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		log.Printf("read %s: %v; using the built-in configuration", path, err)
		return &Config{Addr: ":8080", Workers: 4}, nil
	}
	var cfg Config
	return &cfg, json.Unmarshal(data, &cfg)
}

// walkLogged: a walk function that logs a file it cannot parse, with the
// error, and goes on with the next file.
func walkLogged(root string, parse func(string) error) error {
	return filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if err := parse(path); err != nil {
			log.Printf("skipping %s: %v", path, err)
			return nil
		}
		return nil
	})
}

// walkNamed: the same walk function held in a variable that is only
// passed to the walk: not reported.
func walkNamed(root string) []string {
	var dirs []string
	walker := func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			log.Printf("cannot watch %s: %v", path, err)
			return nil
		}
		if d.IsDir() {
			dirs = append(dirs, path)
		}
		return nil
	}
	if err := filepath.WalkDir(root, walker); err != nil {
		log.Printf("walk %s: %v", root, err)
	}
	return dirs
}

// walkCalled: a function literal in a variable that this function calls
// itself is not a callback: its nil return reaches the code here.
func walkCalled(path string) error {
	check := func(p string) error {
		if _, err := os.Stat(p); err != nil {
			log.Printf("stat %s: %v", p, err)
			return nil // want `error from os.Stat is dropped: this branch returns a nil error, so the caller sees success`
		}
		return nil
	}
	return check(path)
}

// removeIfExists: a nested nil return that leaves nothing unfilled says
// which failure means success.
func removeIfExists(path string) error {
	if err := os.Remove(path); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		return err
	}
	return nil
}

// compared: the result is checked before it is used.
func compared(url string) int {
	resp, err := http.Get(url)
	if err != nil {
		log.Printf("fetch %s: %v", url, err)
	}
	if resp == nil {
		return 0
	}
	return resp.StatusCode
}

// wrapped: the branch returns the error with context.
func wrapped(path string) error {
	if _, err := os.Stat(path); err != nil {
		return fmt.Errorf("stat %s: %w", path, err)
	}
	return nil
}

// loopContinue skips bad lines with a log.
func loopContinue(lines []string) []int {
	var out []int
	for _, l := range lines {
		n, err := strconv.Atoi(l)
		if err != nil {
			log.Printf("skip %q: %v", l, err)
			continue
		}
		out = append(out, n)
	}
	return out
}

// fallback assigns a default and logs it.
func fallback(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		log.Printf("bad worker count %q, using 4", s)
		n = 4
	}
	return n
}

// apiError is an error document a server sends back.
type apiError struct{ Message string }

func (e *apiError) Error() string { return e.Message }

// errorBody falls back to the raw body when the error document does not
// decode: the branch fills the output argument itself.
func errorBody(body []byte) error {
	e := new(apiError)
	err := json.Unmarshal(body, &e)
	if err != nil {
		e.Message = string(body)
	}
	return e
}

// metaID says in the branch that it does not report the error.
func metaID(data []byte) (string, error) { // want metaID:"nilError"
	var m struct{ ID string }
	if err := json.Unmarshal(data, &m); err != nil {
		return "", nil // likely not a metadata object: no id, but don't throw an error
	}
	return m.ID, nil
}

// predicate: a bool-returning function has no error result to drop.
func exists(path string) bool {
	_, err := os.Stat(path)
	if err != nil {
		return false
	}
	return true
}

// closeLogged logs a Close error and falls through: no result is used.
func closeLogged(f *os.File) {
	if err := f.Close(); err != nil {
		log.Println("close:", err)
	}
	log.Println("done")
}

// storeErr keeps the error for later.
type job struct{ err error }

func (j *job) run(db *sql.DB) error { // want run:"nilError"
	if _, err := db.Exec("SELECT 1"); err != nil {
		j.err = err
		return nil
	}
	return nil
}

// suppressed by a directive.
func suppressed(db *sql.DB) error { // want suppressed:"nilError"
	if _, err := db.Exec("ANALYZE"); err != nil {
		return nil //failfast:ignore swallowed-error statistics refresh is advisory
	}
	return nil
}

// panics on failure.
func mustOpen(path string) *os.File {
	f, err := os.Open(path)
	if err != nil {
		panic(err)
	}
	return f
}

// exits on failure.
func mustParse(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		log.Fatalf("bad number %q", s)
	}
	return n
}

// writes an HTTP error and returns nil: the failure reached the client.
func serve(w http.ResponseWriter, r *http.Request) error { // want serve:"nilError"
	var cfg Config
	if err := json.NewDecoder(r.Body).Decode(&cfg); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return nil
	}
	return nil
}

// FindAll returns the files matching pattern. Like filepath.Glob, FindAll
// ignores I/O errors: a pattern that matches nothing returns nil.
func FindAll(pattern string) ([]string, error) { // want FindAll:"nilError"
	if _, err := os.Lstat(pattern); err != nil {
		return nil, nil
	}
	return []string{pattern}, nil
}

// cancellation: returning quietly when the context is done.
func poll(ctx interface{ Err() error }) error { // want poll:"nilError"
	if err := ctx.Err(); err != nil {
		return nil
	}
	return nil
}

// summary: the loop returns success when a task cannot be compiled.
func summary(compile func(string) (string, error), tasks []string) error { // want summary:"nilError"
	for _, t := range tasks {
		out, err := compile(t)
		if err != nil {
			return nil // want `error from compile is dropped`
		}
		fmt.Println(out)
	}
	return nil
}

// --- a chain of attempts (alternativeFailed) ---

type remote struct {
	root string
	id   string
}

// openRemote asks whether root names a file when it is not a directory: if
// the parent cannot be found either, the directory interpretation stands and
// r, built before both calls, is returned.
func openRemote(findDir func(string) (string, error), findFile func(string) error, root string) (*remote, error) {
	r := &remote{root: root}
	id, err := findDir(root)
	if err != nil {
		parent := filepath.Dir(root)
		_, err = findDir(parent)
		if err != nil {
			return r, nil
		}
		if err2 := findFile(root); err2 != nil {
			return r, nil
		}
		r.root = parent
		return r, fs.ErrExist
	}
	r.id = id
	return r, nil
}

// openRemoteFlat is the same chain written in the first call's branch: the
// return is reached only when the second attempt failed.
func openRemoteFlat(findDir func(string) (string, error), findFile func(string) error, root string) (*remote, error) {
	r := &remote{root: root}
	id, err := findDir(root)
	if err != nil {
		fileErr := findFile(root)
		if fileErr == nil {
			r.root = filepath.Dir(root)
			return r, fs.ErrExist
		}
		return r, nil
	}
	r.id = id
	return r, nil
}

// statEither answers "no" when neither interpretation exists.
func statEither(stat func(string) error, a, b string) (bool, error) { // want statEither:"nilError"
	if err := stat(a); err != nil {
		if err := stat(b); err != nil {
			return false, nil
		}
	}
	return true, nil
}

// isFileProbe: an empty branch with an else only spells "if err == nil".
func isFileProbe(stat func(string) (os.FileInfo, error), p string) (bool, error) { // want isFileProbe:"nilError"
	if info, err := stat(p); err != nil {
	} else if !info.IsDir() {
		return true, nil
	}
	return false, nil
}

// loadEither: both loads failed and nothing of its own is returned; the
// caller thinks the configuration was applied.
func loadEither(load func(string) error, a, b string) error { // want loadEither:"nilError"
	if err := load(a); err != nil {
		if err := load(b); err != nil {
			return nil // want `error from load is dropped: this branch returns a nil error, so the caller sees success`
		}
	}
	return nil
}

// secondResult returns what the second attempt produced although it failed.
func secondResult(fetch func(string) (*remote, error), a, b string) (*remote, error) { // want secondResult:"nilError"
	r, err := fetch(a)
	if err != nil {
		r2, err := fetch(b)
		if err != nil {
			return r2, nil // want `error from fetch is dropped: this branch returns a nil error, so the caller sees success`
		}
		r = r2
	}
	return r, nil
}

// firstResult returns what the first call produced although it failed.
func firstResult(fetch func(string) (*remote, error), a, b string) (*remote, error) { // want firstResult:"nilError"
	r, err := fetch(a)
	if err != nil { // want `error from fetch is not handled: execution falls through and uses r`
		if _, err := fetch(b); err != nil {
			return r, nil // want `error from fetch is dropped: this branch returns a nil error, so the caller sees success`
		}
	}
	return r, nil
}

// decodeEither leaves out unfilled when both sources fail.
func decodeEither(get func(string) ([]byte, error), a, b string, out any) (*remote, error) {
	r := &remote{}
	data, err := get(a)
	if err != nil {
		data, err = get(b)
		if err != nil {
			return r, nil // want `error from get is dropped: this return answers success without filling out` `error from get is dropped: this branch returns a nil error`
		}
	}
	return r, json.Unmarshal(data, out)
}

// rollbackOK: the return follows the cleanup's success, not a failed
// second attempt.
func rollbackOK(exec func() error, rollback func() error) (*remote, error) {
	r := &remote{}
	if err := exec(); err != nil {
		if rerr := rollback(); rerr != nil {
			return nil, rerr
		}
		return r, nil // want `error from exec is dropped: this branch returns a nil error, so the caller sees success`
	}
	return r, nil
}

// probeAlone: a single probe whose failure is taken for "not a file"; no
// earlier failure was being handled.
func probeAlone(findFile func(string) error, root string) (*remote, error) {
	r := &remote{root: root}
	if err := findFile(root); err != nil {
		return r, nil // want `error from findFile is dropped: this branch returns a nil error, so the caller sees success`
	}
	return r, fs.ErrExist
}

// emptyNoElse: an empty branch without an else is still reported.
func emptyNoElse(remove func(string) error, p string) {
	if err := remove(p); err != nil { // want `error from remove is unhandled`
	}
}

// expire treats a key that is not a cached file as a directory: that
// attempt's failure is returned, and its success is what out reports.
func expire(getFile, expireDir func(string) error, key string) (map[string]string, error) {
	out := map[string]string{}
	if err := getFile(key); err != nil {
		if err := expireDir(key); err != nil {
			return out, fmt.Errorf("expire directory: %w", err)
		}
		out["status"] = "directory cleared"
		return out, nil
	}
	out["status"] = "file cleared"
	return out, nil
}

// fetchEither returns what the second source gave once it succeeded.
func fetchEither(fetch func(string) (*remote, error), a, b string) (*remote, error) {
	r, err := fetch(a)
	if err != nil {
		r2, err := fetch(b)
		if err != nil {
			return nil, err
		}
		return r2, nil
	}
	return r, nil
}

// staleAnswer: the second attempt succeeded, but the answer is the value
// that the failed first call produced.
func staleAnswer(fetch func(string) (*remote, error), a, b string) (*remote, error) {
	r, err := fetch(a)
	if err != nil {
		if _, err := fetch(b); err != nil {
			return nil, err
		}
		return r, nil // want `error from fetch is dropped: this branch returns a nil error, so the caller sees success`
	}
	return r, nil
}

// --- log with the value, then read the results only as a collection ---

// savedTag has no error result: the log is its report, and a failed read
// leaves data empty, so it answers "".
func savedTag(path string) string {
	data, err := os.ReadFile(path)
	if err != nil {
		log.Printf("load tag from %s: %v", path, err)
	}
	return string(data)
}

// loadPlugins loads what it could list.
func loadPlugins(dir string, open func(string)) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		log.Printf("plugin directory: %v", err)
	}
	log.Printf("%d plugins", len(entries))
	for _, e := range entries {
		open(e.Name())
	}
}

// readBody returns a truncated body and a nil error: the caller sees success.
func readBody(r io.Reader) (string, error) { // want readBody:"nilError"
	data, err := io.ReadAll(r)
	if err != nil { // want `error from io.ReadAll is only logged: execution falls through and uses data`
		log.Printf("read body: %v", err)
	}
	return string(data), nil
}

// tagNoValue logs without the error's value.
func tagNoValue(path string) string {
	data, err := os.ReadFile(path)
	if err != nil { // want `error from os.ReadFile is only logged: execution falls through and uses data`
		log.Printf("cannot load tag")
	}
	return string(data)
}

// indexNames passes the partial result on to another component.
func indexNames(path string, index func([]byte) int) int {
	data, err := os.ReadFile(path)
	if err != nil { // want `error from os.ReadFile is only logged: execution falls through and uses data`
		log.Printf("names: %v", err)
	}
	return index(data)
}

// firstPlugin indexes the listing, which panics when the read failed.
func firstPlugin(dir string) string {
	entries, err := os.ReadDir(dir)
	if err != nil { // want `error from os.ReadDir is only logged: execution falls through and uses entries`
		log.Printf("plugin directory: %v", err)
	}
	return entries[0].Name()
}

// entryNames hands what a failed read left to its caller beside a nil
// error: reported.
func entryNames(dir string) ([]string, error) { // want entryNames:"nilError"
	entries, err := os.ReadDir(dir)
	if err != nil { // want `error from os.ReadDir is only logged: execution falls through and uses entries`
		log.Printf("list %s: %v", dir, err)
	}
	return append([]string(nil), fmt.Sprint(entries)), nil
}

// loadResources builds its answer from what a failed discovery left and
// returns a nil error: reported.
func loadResources(dir string, into map[string]bool) error { // want loadResources:"nilError"
	entries, err := os.ReadDir(dir)
	if err != nil { // want `error from os.ReadDir is only logged: execution falls through and uses entries`
		log.Printf("discover %s: %v", dir, err)
	}
	for _, e := range entries {
		into[e.Name()] = true
	}
	return nil
}

// dropArtifacts cleans up after a failed build: the listing's failure is
// logged with its value, and every path after it returns the build's
// error, so a cleanup loop left empty tells the caller nothing false: not
// reported.
func dropArtifacts(dir string, build func() error, drop func(string)) error {
	if err := build(); err != nil {
		entries, lerr := os.ReadDir(dir)
		if lerr != nil {
			log.Printf("list artifacts in %s: %v", dir, lerr)
		}
		for _, e := range entries {
			drop(e.Name())
		}
		return err
	}
	return nil
}

// dropArtifactsQuietly answers success on one path after the same
// cleanup: reported.
func dropArtifactsQuietly(dir string, build func() error, drop func(string), quiet bool) error {
	if err := build(); err != nil {
		entries, lerr := os.ReadDir(dir)
		if lerr != nil { // want `error from os.ReadDir is only logged: execution falls through and uses entries`
			log.Printf("list artifacts in %s: %v", dir, lerr)
		}
		for _, e := range entries {
			drop(e.Name())
		}
		if quiet {
			return nil
		}
		return err
	}
	return nil
}

// dropEachArtifacts goes on to the next build after the cleanup and then
// returns a nil error: reported.
func dropEachArtifacts(dirs []string, build func(string) error, drop func(string)) error { // want dropEachArtifacts:"nilError"
	for _, d := range dirs {
		if err := build(d); err != nil {
			entries, lerr := os.ReadDir(d)
			if lerr != nil { // want `error from os.ReadDir is only logged: execution falls through and uses entries`
				log.Printf("list artifacts in %s: %v", d, lerr)
			}
			for _, e := range entries {
				drop(e.Name())
			}
			continue
		}
	}
	return nil
}

// rescanQuietly does the same without saying why: reported.
func rescanQuietly(path string, queue chan<- string) error { // want rescanQuietly:"nilError"
	info, err := os.Stat(path)
	if err != nil {
		queue <- path
		return nil // want `error from os.Stat is dropped: this branch returns a nil error`
	}
	if info.Size() > 0 {
		queue <- path
	}
	return nil
}

// --- a boolean result tested as a condition after a log with the value ---

func authorize(user string) (bool, error) {
	if user == "" {
		return false, errors.New("no user")
	}
	return user == "admin", nil
}

// admin denies when the check fails: the false a failure leaves takes the
// "not authorized" branch, and the log says why.
func admin(w http.ResponseWriter, user string) {
	ok, err := authorize(user)
	if err != nil {
		log.Printf("authorize %s: %v", user, err)
	}
	if !ok {
		http.Error(w, "forbidden", http.StatusForbidden)
		return
	}
	fmt.Fprintln(w, "welcome")
}

// adminQuiet logs that something failed but not what.
func adminQuiet(w http.ResponseWriter, user string) {
	ok, err := authorize(user)
	if err != nil { // want `error from authorize is logged without its value`
		log.Printf("authorization failed")
	}
	if ok {
		fmt.Fprintln(w, "welcome")
	}
}

// matchAll skips every pattern that fails and returns nil: its error
// result is always nil.
func matchAll(dir string, patterns []string) ([]string, error) { // want matchAll:"nilError"
	var out []string
	for _, p := range patterns {
		m, err := filepath.Glob(filepath.Join(dir, p))
		if err != nil {
			continue
		}
		out = append(out, m...)
	}
	return out, nil
}

// A branch on the error of matchAll never runs.
func sources(dir string, patterns []string) []string {
	files, err := matchAll(dir, patterns)
	if err != nil {
		log.Printf("globbing %s: %v", dir, err)
		return nil
	}
	return files
}

// guardedRun's named error is set by its deferred recover: not always nil.
func guardedRun(fn func() []string) (out []string, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	return fn(), nil
}

func guardedNames(fn func() []string) ([]string, error) { // want guardedNames:"nilError"
	names, err := guardedRun(fn)
	if err != nil { // want `error from guardedRun is only logged`
		log.Printf("names: %v", err)
	}
	return names, nil
}

// The comment above the call names the failure as the condition of what
// is skipped.
func checkVersion(current string, want int) error {
	// If we can't parse the version (e.g. when it is "devel"), then ignore the version checks
	v, err := strconv.Atoi(current)
	if err != nil {
		return nil
	}
	if v < want {
		return fmt.Errorf("version %d is older than %d", v, want)
	}
	return nil
}

type description struct {
	text string
	raw  []byte
}

// A comment inside the branch says what is used in the failed call's
// place.
func (d *description) decode(b []byte) error { // want decode:"nilError"
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		// fallback: not a string, keep the raw bytes
		d.raw = b
		return nil
	}
	d.text = s
	return nil
}

// putObject answers a length it cannot parse with 400: the failure reaches
// the client as an HTTP error, and the nil error only says the reply is written.
func putObject(w http.ResponseWriter, r *http.Request) error { // want putObject:"nilError"
	size, err := strconv.ParseInt(r.Header.Get("X-Decoded-Length"), 10, 64)
	if err != nil {
		w.WriteHeader(http.StatusBadRequest)
		return nil
	}
	fmt.Fprintln(w, size)
	return nil
}

// putObjectText does the same with a message of its own.
func putObjectText(w http.ResponseWriter, r *http.Request) error { // want putObjectText:"nilError"
	size, err := strconv.ParseInt(r.Header.Get("X-Decoded-Length"), 10, 64)
	if err != nil {
		http.Error(w, "bad X-Decoded-Length", 400)
		return nil
	}
	fmt.Fprintln(w, size)
	return nil
}

// putObjectOK writes a success status for the failure: the client is told
// the upload worked.
func putObjectOK(w http.ResponseWriter, r *http.Request) error { // want putObjectOK:"nilError"
	size, err := strconv.ParseInt(r.Header.Get("X-Decoded-Length"), 10, 64)
	if err != nil {
		w.WriteHeader(http.StatusOK)
		return nil // want `error from strconv.ParseInt is dropped: this branch returns a nil error`
	}
	fmt.Fprintln(w, size)
	return nil
}

type tunnelSpec struct {
	Network string `yaml:"network"`
	Target  string `yaml:"target"`
}

// Tunnel is written either as "network,target" or as a mapping.
type Tunnel tunnelSpec

// UnmarshalYAML tries the short form, then the long one: the second
// attempt's failure is returned, and its success fills the receiver.
func (t *Tunnel) UnmarshalYAML(unmarshal func(any) error) error {
	var short string
	if err := unmarshal(&short); err != nil {
		var long tunnelSpec
		if err := unmarshal(&long); err != nil {
			return err
		}
		*t = Tunnel(long)
		return nil
	}
	t.Network = short
	return nil
}

// Route leaves the receiver as it was when the short form fails.
type Route tunnelSpec

func (r *Route) UnmarshalYAML(unmarshal func(any) error) error {
	var short string
	if err := unmarshal(&short); err != nil {
		var long tunnelSpec
		if err := unmarshal(&long); err != nil {
			return err
		}
		return nil // want `error from unmarshal is dropped: this branch returns a nil error, so the caller sees success`
	}
	r.Network = short
	return nil
}
