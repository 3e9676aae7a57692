package a

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"database/sql"
	"encoding/json"
	"encoding/xml"
	"flag"
	"fmt"
	"html/template"
	"io"
	"log"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"
)

// ---- reported ----

func saveConfig(path string, data []byte) {
	os.WriteFile(path, data, 0o644) // want `error from os.WriteFile is dropped; a failed write leaves the file missing or partial`
}

func writeReport(path string, rows []string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close() // want `error from f.Close is dropped by the defer statement; Close is where a written file`
	for _, r := range rows {
		if _, err := f.WriteString(r + "\n"); err != nil {
			return err
		}
	}
	return nil
}

func transfer(db *sql.DB, from, to string, amount int) error {
	tx, err := db.Begin()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.Exec("UPDATE acct SET bal = bal - $1 WHERE id = $2", amount, from); err != nil {
		return err
	}
	tx.Commit() // want `error from tx.Commit is dropped; if the commit fails the changes are rolled back`
	return nil
}

func serve(srv *http.Server) {
	go srv.ListenAndServe() // want `error from srv.ListenAndServe is dropped by the go statement; if it fails, the goroutine ends`
}

func portFromEnv() int {
	port, _ := strconv.Atoi(os.Getenv("PORT")) // want `error from strconv.Atoi is discarded with _; if it fails, port is 0 and is used`
	return port
}

func readBody(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body) // want `error from io.ReadAll is discarded with _; if it fails, body is nil`
	if len(body) == 0 {
		http.Error(w, "empty body", http.StatusBadRequest)
		return
	}
	w.WriteHeader(http.StatusAccepted)
}

type metrics struct {
	Latency float64
	Extra   any
}

func encode(path string, m metrics) error {
	b, _ := json.Marshal(m) // want `error from json.Marshal is discarded with _; if it fails, b is nil`
	return os.WriteFile(path, b, 0o644)
}

func compress(w io.Writer, data []byte) {
	zw := gzip.NewWriter(w)
	zw.Write(data)
	zw.Close() // want `error from zw.Close is dropped`
}

func flushAll(f *os.File, lines []string) {
	bw := bufio.NewWriter(f)
	for _, l := range lines {
		bw.WriteString(l) // sticky: reported by Flush
	}
	bw.Flush() // want `error from bw.Flush is dropped; buffered output that failed to write is lost`
}

func appendLog(path, line string) {
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY|os.O_CREATE, 0o600)
	if err != nil {
		return
	}
	fmt.Fprintln(f, line) // want `error from fmt.Fprintln is dropped; a failed write loses data`
	f.Close()             // want `error from f.Close is dropped`
}

func setup() {
	os.MkdirAll("/var/lib/app", 0o755) // want `error from os.MkdirAll is dropped; if it fails the program carries on with the old state`
}

func suppressed(path string) {
	//failfast:ignore discarded-error the cache is rebuilt on the next start
	os.WriteFile(path, nil, 0o644)
}

// ---- not reported ----

func explicit(path string) {
	_ = os.Remove(path)
}

func printing(w http.ResponseWriter, name string) {
	fmt.Println("hello", name)
	fmt.Fprintf(os.Stderr, "warning: %s\n", name)
	fmt.Fprintf(w, "<p>%s</p>", name)
	w.Write([]byte("done"))
	var buf bytes.Buffer
	buf.WriteString(name)
	fmt.Fprintf(&buf, "%d", 1)
	var sb strings.Builder
	sb.WriteString(name)
	io.Copy(io.Discard, strings.NewReader(name))
	tw := tabwriter.NewWriter(os.Stdout, 0, 8, 1, ' ', 0)
	fmt.Fprintln(tw, "a\tb")
	tw.Flush()
}

func readConfig(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close() // read-only: nothing to lose
	return io.ReadAll(f)
}

func fetch(c *http.Client, url string) (int, error) {
	resp, err := c.Get(url)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	return resp.StatusCode, nil
}

func query(db *sql.DB) error {
	rows, err := db.Query("SELECT 1")
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
	}
	return rows.Err()
}

func writeChecked(path string, data []byte) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close() // safety net: the real Close below is checked
	if _, err := f.Write(data); err != nil {
		os.Remove(path) // cleanup on the failure path
		return err
	}
	return f.Close()
}

// The checked Close is made by the function the file is handed to.
func writeVia(path string, data []byte) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close() // always closed, whatever happens below
	return writeAndClose(f, data)
}

func writeAndClose(f *os.File, data []byte) error {
	if _, err := f.Write(data); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("close %s: %w", f.Name(), err)
	}
	return nil
}

// A function that drops the Close itself is no such place.
func writeViaCareless(path string, data []byte) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close() // want `error from f.Close is dropped by the defer statement`
	return writeAndDrop(f, data)
}

func writeAndDrop(f *os.File, data []byte) error {
	_, err := f.Write(data)
	_ = f.Close()
	return err
}

// A function that returns the error of one write to w says w's failures
// matter: another write to it, dropped, loses data unnoticed.
func writeXML(w io.Writer, v any) error {
	io.WriteString(w, xml.Header) // want `error from io.WriteString is dropped`
	enc := xml.NewEncoder(w)
	return enc.Encode(v)
}

// Only writes count: a deferred unlock of the file is no write to it.
func writeLocked(f *os.File, data []byte) error {
	defer unlockFile(f)
	_, err := f.Write(data)
	return err
}

func unlockFile(f *os.File) error { return syscall.Flock(int(f.Fd()), syscall.LOCK_UN) }

// Without such a sign, a writer whose destination is not in view is left
// alone.
func writeBanner(w io.Writer, v any) {
	io.WriteString(w, xml.Header)
	xml.NewEncoder(w).Encode(v)
}

func constantInputs() time.Duration {
	d, _ := time.ParseDuration("5s")
	return d
}

type user struct {
	Name  string
	ID    int
	Roles []string
	Meta  map[string]string
}

func marshalSafe(u user) []byte {
	b, _ := json.Marshal(u) // no float, interface or custom marshaler: cannot fail
	return b
}

func unusedValue(s string) {
	_, _ = strconv.Atoi(s)
}

// weakString is text that may hold a number.
type weakString string

// Int returns s as an integer. A short accessor is no statement that 0 is
// the intended answer for "abc".
func (ws weakString) Int() int {
	n, _ := strconv.Atoi(string(ws)) // want `error from strconv.Atoi is discarded with _; if it fails, n is 0`
	return n
}

func symlinkTarget(path string) bool {
	fi, _ := os.Stat(path) // compared with nil below: the failure is expected
	return fi != nil && fi.IsDir()
}

func logOnly(path string) {
	wd, _ := os.Getwd()
	log.Printf("cannot open %s (working directory %s)", path, wd)
}

func fileWritten(path string) {
	f, err := os.Create(path)
	if err != nil {
		return
	}
	f.Close() // an empty marker file: nothing was written
}

func handler(w http.ResponseWriter, r *http.Request) {
	json.NewEncoder(w).Encode(map[string]string{"status": "ok"})
}

func help(w io.Writer, names []string) {
	for _, n := range names {
		fmt.Fprintln(w, n) // terminal output through an io.Writer
	}
}

func setEnv() {
	os.Setenv("TZ", "UTC")
}

func hashing(data []byte) {
	var sb strings.Builder
	defer fmt.Println(sb.String())
}

func conn(c *http.Client) {
	resp, err := c.Get("http://example.com")
	if err != nil {
		return
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
}

func splitPort(addr string) string {
	_, port, _ := net.SplitHostPort(addr) // no port is an answer, not a failure
	return port
}

func explained(s string) *url.URL {
	u, _ := url.Parse(s) // s was validated by the router: the error cannot happen
	return u.ResolveReference(u)
}

func matchOK(pattern, name string) bool {
	ok, _ := path.Match(pattern, name) // want `error from path.Match is discarded with _; if it fails, ok is false`
	return ok && name != ""
}

func lowerLevel(w io.Writer) *gzip.Writer {
	zw, _ := gzip.NewWriterLevel(w, gzip.BestSpeed)
	return zw
}

func handshake(conn net.Conn) error {
	io.WriteString(conn, "HELLO\n") // the read below fails too if the write did
	buf := make([]byte, 5)
	_, err := io.ReadFull(conn, buf)
	return err
}

func badRequest(conn net.Conn, err error) {
	if err != nil {
		fmt.Fprintf(conn, "ERR %v\n", err) // best-effort while handling a failure
		conn.Close()
	}
}

func exportCSV(path string, rows []string) {
	f, err := os.Create(path)
	if err != nil {
		return
	}
	w := bufio.NewWriter(f)
	defer w.Flush() // want `error from w.Flush is dropped by the defer statement`
	for _, r := range rows {
		w.WriteString(r)
	}
}

func run(name string) {
	exec.Command(name).Run() // want `error from exec.Command\(name\).Run is dropped`
}

func render(w http.ResponseWriter, t *template.Template, data any) {
	t.Execute(w, data) // want `error from t.Execute is dropped`
}

func limitParam(r *http.Request) int {
	limit, _ := strconv.Atoi(r.FormValue("limit")) // want `error from strconv.Atoi is discarded with _; if it fails, limit is 0`
	if limit > 100 {
		limit = 100
	}
	return limit
}

func checksumChanged(path, sum string) (bool, error) {
	old, _ := os.ReadFile(path) // want `error from os.ReadFile is discarded with _; if it fails, old is nil`
	if string(old) == sum {
		return false, nil
	}
	return true, os.WriteFile(path, []byte(sum), 0o644)
}

type encoder struct {
	zw  *gzip.Writer
	err error
}

func (e *encoder) encode(w io.Writer, data []byte) error {
	e.zw.Reset(w)
	defer e.zw.Close() // the encoder keeps the sticky error itself
	_, err := e.zw.Write(data)
	return err
}

func commitLater(tx *sql.Tx) {
	// TODO: handle the error
	tx.Commit() // want `error from tx.Commit is dropped`
}

func syncLoop(ctx context.Context, sync func(context.Context) error, visit func(string) error) {
	for range time.Tick(time.Minute) {
		sync(ctx)     // want `error from sync is dropped; the error is the only sign that the call did not do its work`
		visit("done") // want `error from visit is dropped; the error is the only sign`
	}
}

type order struct {
	ID    string
	Items []string
}

// createOrder decodes a request body and drops the decoding error: a
// malformed body becomes an empty order that is then saved.
func createOrder(w http.ResponseWriter, r *http.Request) {
	var o order
	json.NewDecoder(r.Body).Decode(&o) // want `error from json.NewDecoder\(r.Body\).Decode is dropped`
	fmt.Fprintf(w, "created %s with %d items", o.ID, len(o.Items))
}

// restoreOrder checks the decoding error: not reported.
func restoreOrder(data []byte) (order, error) {
	var o order
	if err := json.Unmarshal(data, &o); err != nil {
		return order{}, fmt.Errorf("restore order: %w", err)
	}
	return o, nil
}

// ---- commands: a call whose only result is an error ----

type store interface {
	Save(o *order) error
}

type plugin struct {
	Close func() error
}

type service struct {
	store  store
	orders map[string]*order
}

func (s *service) cancel(id string) error {
	if _, ok := s.orders[id]; !ok {
		return fmt.Errorf("no order %s", id)
	}
	delete(s.orders, id)
	return nil
}

func (s *service) saveIndex() error {
	return os.WriteFile("index.json", nil, 0o644)
}

func (s *service) place(w http.ResponseWriter, o *order) {
	s.store.Save(o) // want `error from s.store.Save is dropped; the error is the only sign that the call did not do its work, and the code carries on as if it had`
	w.WriteHeader(http.StatusNoContent)
}

func (s *service) cancelAll(ids []string) int {
	n := 0
	for _, id := range ids {
		s.cancel(id) // want `error from s.cancel is dropped`
		n++
	}
	go s.saveIndex() // want `error from s.saveIndex is dropped by the go statement; if it fails, the goroutine ends`
	return n
}

func restart(p *plugin) {
	if p.Close != nil {
		p.Close() // want `error from p.Close is dropped`
	}
}

func form(w http.ResponseWriter, r *http.Request) {
	r.ParseForm() // want `error from r.ParseForm is dropped`
	fmt.Fprintln(w, r.Form.Get("q"))
}

func scan(rows *sql.Rows) string {
	var name string
	rows.Scan(&name) // want `error from rows.Scan is dropped; if it fails, name is left unset or partly set and is read as if the call had filled it`
	return name
}

func scanf(s string) int {
	var n int
	fmt.Sscanf(s, "%d", &n) // want `error from fmt.Sscanf is dropped`
	return n
}

func ordinaryComment(tx *sql.Tx) {
	// commit the error counters
	tx.Commit() // want `error from tx.Commit is dropped`
}

func deferredCommand(s *service) {
	defer s.saveIndex() // runs after the last statement: nothing here relies on it
}

func encodeTo(enc *json.Encoder, v any) {
	enc.Encode(v) // the encoder's writer is not in view
}

func bestEffort(s *service, id string) {
	// best effort: a stale order is swept again on the next run
	s.cancel(id)
	s.cancel(id) // cannot fail: the order was checked above
	s.cancel(id) // error is deliberately ignored
}

// askName takes a failed read (EOF, a closed terminal) for an empty name
// and stores it.
func askName(s *service) {
	var name string
	fmt.Scanln(&name) // want `error from fmt.Scanln is dropped; if it fails, name is left unset or partly set and is read as if the call had filled it`
	s.orders[name] = &order{}
}

// confirm compares the answer with "y" first: a failed read leaves "",
// which takes the "not yes" branch like any other answer.
func confirm(s *service, id string) {
	fmt.Print("delete? (y/N) ")
	var answer string
	fmt.Scanln(&answer)
	if answer == "y" {
		s.cancel(id) // want `error from s.cancel is dropped`
	}
}

func sscanfUnused(s string) {
	var n int
	fmt.Sscanf(s, "%d", &n)
}

func peek(br *bufio.Reader) []byte {
	b, _ := br.Peek(br.Buffered())
	return b
}

func flags(args []string) (string, error) { // want flags:"neverFails\\(nil\\)"
	fs := flag.NewFlagSet("serve", flag.ExitOnError)
	addr := fs.String("addr", ":8080", "listen address")
	fs.Parse(args) // ExitOnError: Parse exits instead of returning an error
	return *addr, nil
}

// cliFlags is a package-level set that only its declaration gives a value.
var cliFlags = flag.NewFlagSet("cli", flag.ExitOnError)

func parseCLI(args []string) string {
	verbose := cliFlags.Bool("v", false, "verbose")
	cliFlags.Parse(args)
	return fmt.Sprint(*verbose)
}

// lenientFlags is given a set that returns its errors somewhere else.
var lenientFlags = flag.NewFlagSet("lenient", flag.ExitOnError)

func resetLenient() { lenientFlags = flag.NewFlagSet("lenient", flag.ContinueOnError) }

func parseLenient(args []string) string {
	verbose := lenientFlags.Bool("v", false, "verbose")
	lenientFlags.Parse(args) // want `error from lenientFlags.Parse is dropped`
	return fmt.Sprint(*verbose)
}

// A named error result that nothing sets is nil at every return.
func (c *session) names() (out []string, err error) { // want names:"neverFails\\(nil\\)"
	out = append(out, c.f.Name())
	return
}

// One that a statement sets may not be.
func (c *session) stat() (size int64, err error) {
	fi, err := c.f.Stat()
	if err == nil {
		size = fi.Size()
	}
	return
}

func sessionNames(c *session) ([]string, int64) {
	names, _ := c.names()
	size, _ := c.stat() // want `error from c.stat is discarded with _`
	return names, size
}

func flagsContinue(args []string) string {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	addr := fs.String("addr", ":8080", "listen address")
	fs.Parse(args) // want `error from fs.Parse is dropped`
	return *addr
}

type session struct{ f *os.File }

func (c *session) closeBody() error  { return nil } // want closeBody:"neverFails\\(nil\\)"
func (c *session) rollbackTx() error { return nil } // want rollbackTx:"neverFails\\(nil\\)"

func renderPage(w io.Writer, title string) error {
	_, err := fmt.Fprintf(w, "<h1>%s</h1>", title)
	return err
}

func release(c *session, w http.ResponseWriter) {
	c.closeBody()         // a close of any name releases; nothing written is lost
	c.rollbackTx()        // undo: the changes were not to be kept
	renderPage(w, "home") // a write to the HTTP response: nobody is left to tell
}

func renderFile(path string) {
	f, err := os.Create(path)
	if err != nil {
		return
	}
	renderPage(f, "home") // want `error from renderPage is dropped; the error is the only sign`
	f.Close()             // want `error from f.Close is dropped`
}

func eventStream(h http.Header) bool {
	ct, _ := strconv.Unquote(h.Get("X-Kind")) // compared with a constant: a failure is "not that"
	return ct == "text/event-stream"
}

func notFound(res sql.Result) bool {
	n, _ := res.RowsAffected() // want `error from res.RowsAffected is discarded with _; if it fails, n is 0`
	return n == 0
}

func remotePort(params map[string]string) int {
	port, _ := strconv.Atoi(params["REMOTE_PORT"]) // zero if unset or invalid
	return port
}

// A wrapper whose error is only ever a never-failing call's never fails
// either; one that can return another error is a command like any other.
func killGroup(cmd *exec.Cmd) error { // want killGroup:"neverFails\\(syscall.Kill\\)"
	return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
}

func stopAndWait(cmd *exec.Cmd) error {
	if err := cmd.Process.Kill(); err != nil {
		return err
	}
	return cmd.Wait()
}

func stopAll(cmds []*exec.Cmd) {
	for _, c := range cmds {
		killGroup(c)
		syscall.Kill(c.Process.Pid, syscall.SIGTERM)
	}
	stopAndWait(cmds[0]) // want `error from stopAndWait is dropped; the error is the only sign`
}

// regexp.MatchString fails only on a pattern that does not compile.
func isYAML(name, pattern string) (bool, bool) {
	yaml, _ := regexp.MatchString(`\.ya?ml$`, name)
	custom, _ := regexp.MatchString(pattern, name) // want `error from regexp.MatchString is discarded with _; if it fails, custom is false`
	return yaml, custom
}

// A local variable that only its definition assigns, from a constant,
// holds the constant; one assigned again does not.
func hasProjectFilter(query string, strict bool) (bool, bool) {
	regx := "(?i)((project)[\\s]*?={0,1}\\b)"
	m, _ := regexp.MatchString(regx, query)
	other := `^\w+$`
	if strict {
		other = query
	}
	n, _ := regexp.MatchString(other, query) // want `error from regexp.MatchString is discarded with _; if it fails, n is false`
	return m, n
}

func isStream(fd uintptr) (bool, error) {
	if fd == 0 {
		return false, fmt.Errorf("fd %d: not a stream", fd)
	}
	return true, nil
}

// A boolean used as the condition is tested like v == true: a failure's
// false takes the "no" branch. Its negation tests for the zero value.
func journald(fd uintptr) bool {
	if on, _ := isStream(fd); on {
		return true
	}
	if off, _ := isStream(fd + 1); !off { // want `error from isStream is discarded with _; if it fails, off is false`
		return false
	}
	return true
}

// json.Marshal of a literal built here fails only through its elements.
func errorBody(err error, detail any) ([]byte, []byte) {
	b, _ := json.Marshal(map[string]any{"error": err.Error(), "codes": []any{1, "x"}})
	d, _ := json.Marshal(map[string]any{"detail": detail}) // want `error from json.Marshal is discarded with _; if it fails, d is nil`
	return b, d
}

// Debugf is a log function of the program's own: variadic, named like a
// log level, returning nothing.
func Debugf(o any, format string, args ...any) {}

// record is a variadic procedure that does more than log.
func record(key string, args ...any) {}

func signIn(resp *http.Response) {
	body, _ := io.ReadAll(resp.Body) // only logged
	Debugf(nil, "sign in: %s", body)
	stored, _ := io.ReadAll(resp.Body) // want `error from io.ReadAll is discarded with _; if it fails, stored is nil`
	record("body", stored)
}

// statusError carries a bad response's status and whatever body came with it.
type statusError struct {
	Code int
	Body string
}

func (e *statusError) Error() string { return fmt.Sprintf("status %d: %s", e.Code, e.Body) }

func fetchStatus(resp *http.Response) error {
	if resp.StatusCode != http.StatusOK {
		body, _ := io.ReadAll(resp.Body) // only describes the failure being returned
		return &statusError{Code: resp.StatusCode, Body: string(body)}
	}
	return nil
}

// withOutput and wrapStatus stand for an error package's options and
// wrapper: wrapStatus takes an error and returns one.
type withOutput string

func wrapStatus(err error, out withOutput) error { return fmt.Errorf("%w: %s", err, out) }

func parseStatus(data []byte) error { return json.Unmarshal(data, new(map[string]any)) }

func fetchWrapped(resp *http.Response) error {
	if resp.StatusCode >= 400 {
		body, _ := io.ReadAll(resp.Body) // only details the error being wrapped
		return wrapStatus(fmt.Errorf("status %d", resp.StatusCode), withOutput(body))
	}
	data, _ := io.ReadAll(resp.Body) // want `error from io\.ReadAll is discarded with _`
	return parseStatus(data)
}

func fetchParsed(resp *http.Response) (map[string]any, error) {
	body, _ := io.ReadAll(resp.Body) // want `error from io\.ReadAll is discarded with _`
	var v map[string]any
	if err := json.Unmarshal(body, &v); err != nil {
		return nil, &statusError{Code: resp.StatusCode, Body: string(body)}
	}
	return v, nil
}

func gzipped(data []byte) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(data)
	zw.Close() // the bytes land in memory: no destination to fail
	return buf.Bytes()
}

func gzipFile(f *os.File, data []byte) {
	zw := gzip.NewWriter(f)
	zw.Write(data)
	zw.Close() // want `error from zw\.Close is dropped`
}

var privateNets = []*net.IPNet{mustCIDR("10.0.0.0/8"), mustCIDR("192.168.0.0/16")}

func mustCIDR(s string) *net.IPNet {
	_, n, _ := net.ParseCIDR(s) // every call passes a constant
	return n
}

func cidrOf(s string) *net.IPNet {
	_, n, _ := net.ParseCIDR(s) // want `error from net\.ParseCIDR is discarded with _`
	return n
}

func userCIDR() *net.IPNet { return cidrOf(os.Getenv("NET")) }

func deflate(dst io.Writer, data []byte) {
	zw := gzip.NewWriter(dst)
	zw.Write(data)
	zw.Close() // every caller passes a buffer
}

func deflated(data []byte) []byte {
	var buf bytes.Buffer
	deflate(&buf, data)
	return buf.Bytes()
}

// An iteration helper fails only through its callback.
type services[K comparable] struct{ byKey map[K]string }

func (s *services[K]) each(fn func(K, string) error) error { // want each:"neverFails\\(nil, through \\[0\\]\\)"
	for k, v := range s.byKey {
		if err := fn(k, v); err != nil {
			return err
		}
	}
	return nil
}

func stopServices(s *services[string], stop func(string) error) {
	s.each(func(k, v string) error { // a callback that returns only nil: cannot fail
		println(k, v)
		return nil
	})
	s.each(func(k, v string) error { // want `error from s\.each is dropped`
		return stop(v)
	})
}

// A constructor with functional options fails only through an option:
// called with none, it cannot fail; with an option that can, it can.
type worker struct{ name string }

func newWorker(opts ...func(*worker) error) (*worker, error) { // want newWorker:"neverFails\\(nil, through \\[0\\]\\)"
	w := &worker{name: "default"}
	for _, opt := range opts {
		if err := opt(w); err != nil {
			return nil, err
		}
	}
	return w, nil
}

func startWorkers(named func(*worker) error) string {
	w, _ := newWorker()      // no option passed
	v, _ := newWorker(named) // want `error from newWorker is discarded with _`
	return w.name + v.name
}

// resourceMeta answers a miss with an empty value of its own, beside the
// error: a caller that drops the error uses that answer.
type resourceMeta struct {
	Name  string
	Verbs []string
}

var metas = map[string]*resourceMeta{}

func metaFor(kind string) (*resourceMeta, error) { // want metaFor:"failsWith\\[0\\]"
	if m, ok := metas[kind]; ok {
		return m, nil
	}
	return new(resourceMeta), fmt.Errorf("no meta for %q", kind)
}

func metaOrNil(kind string) (*resourceMeta, error) {
	if m, ok := metas[kind]; ok {
		return m, nil
	}
	return nil, fmt.Errorf("no meta for %q", kind)
}

func scalable(kind string) bool {
	m, _ := metaFor(kind)   // the callee's own answer for a miss: not reported
	n, _ := metaOrNil(kind) // want `error from metaOrNil is discarded with _; if it fails, n is nil`
	return len(m.Verbs) > 0 && n.Name != ""
}

// unquoteName hands its input back when it is not quoted Go syntax.
func unquoteName(s string) (string, error) { // want unquoteName:"failsWith\\[0\\]"
	u, err := strconv.Unquote(s)
	if err != nil {
		return s, err
	}
	return u, nil
}

func displayName(s string) string {
	name, _ := unquoteName(s) // the input itself when it is not quoted: not reported
	return strings.ToUpper(name)
}

// lenientBool converts s to a boolean, ignoring errors: anything but a
// boolean reads as false.
func lenientBool(s string) bool {
	b, _ := strconv.ParseBool(s)
	return b
}

// strictBool converts s to a boolean; its doc says nothing of the drop.
func strictBool(s string) bool {
	b, _ := strconv.ParseBool(s) // want `error from strconv.ParseBool is discarded with _`
	return b
}

// docOnTheLiteral: a function literal's drop is not covered by the doc
// comment of the declaration around it, which ignores errors of its own.
func docOnTheLiteral(ss []string) func() int {
	return func() int {
		n, _ := strconv.Atoi(ss[0]) // want `error from strconv.Atoi is discarded with _`
		return n
	}
}

// auditLog is a program's logger whose methods return an error, the log
// line itself (openark/golib's log.Warningf does so).
type auditLog interface {
	Warningf(format string, args ...any) error
}

func warnSkipped(l auditLog, name string) {
	l.Warningf("skipping %s", name) // a log call: nobody is left to tell
}

// touch passes an order it has already read: the call takes it in, it does
// not fill it (the reads after the call are of what was there), so the drop
// is that of a command, not of an output left unset.
func touch(save func(*order) error, o order) int {
	if o.ID == "" {
		return 0
	}
	save(&o) // want `error from save is dropped; the error is the only sign that the call did not do its work`
	return len(o.Items)
}

// links parses the same text again after a checked parse of it, which
// succeeds as the first did; after the text changes, it may not.
func links(s string) (string, error) {
	base, err := url.Parse(s)
	if err != nil {
		return "", err
	}
	again, _ := url.Parse(s)
	s += "/track"
	track, _ := url.Parse(s) // want `error from url.Parse is discarded with _`
	return base.Host + again.Path + track.Path, nil
}

// openOutput opens a named file, creating it to write when asked.
func openOutput(name string, create bool) (*os.File, error) { // want openOutput:"createsFile\\(if param 1\\)"
	switch name {
	case "stdout":
		return os.Stdout, nil
	default:
		if create {
			return os.Create(name)
		}
		return os.Open(name)
	}
}

// openInput opens a named file to read it.
func openInput(name string) (*os.File, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	return f, nil
}

// saveReport writes through a file that openOutput created.
func saveReport(name, report string) error {
	out, err := openOutput(name, true)
	if err != nil {
		return err
	}
	defer out.Close() // want `error from out.Close is dropped by the defer statement; Close is where a written file`
	_, err = io.WriteString(out, report)
	return err
}

// readReport only reads what openInput opened.
func readReport(name string) (string, error) {
	in, err := openInput(name)
	if err != nil {
		return "", err
	}
	defer in.Close()
	b, err := io.ReadAll(in)
	return string(b), err
}

type chatPayload struct {
	Text    string `json:"text"`
	Channel string `json:"channel,omitempty"`
}

// Its one failure path tests the error of a json.Marshal that cannot
// fail (strings only), so that branch never runs.
func chatJSON(text, channel string) ([]byte, error) { // want chatJSON:"neverFails\\(nil\\)"
	b, err := json.Marshal(chatPayload{Text: text, Channel: channel})
	if err != nil {
		return nil, fmt.Errorf("marshaling chat payload: %w", err)
	}
	return b, nil
}

type eventPayload struct {
	Text  string
	Value float64
}

// A float may be NaN, which json.Marshal rejects: the branch can run.
func eventJSON(text string, v float64) ([]byte, error) {
	b, err := json.Marshal(eventPayload{Text: text, Value: v})
	if err != nil {
		return nil, fmt.Errorf("marshaling event: %w", err)
	}
	return b, nil
}

// The error variable is set by a call that can fail as well.
func chatFile(name, text string) ([]byte, error) {
	b, err := json.Marshal(chatPayload{Text: text})
	if err == nil {
		b, err = os.ReadFile(name)
	}
	if err != nil {
		return nil, fmt.Errorf("chat file: %w", err)
	}
	return b, nil
}

func payloads(text string, v float64) ([]byte, []byte, []byte) {
	chat, _ := chatJSON(text, "general")
	event, _ := eventJSON(text, v)         // want `error from eventJSON is discarded with _`
	file, _ := chatFile("chat.json", text) // want `error from chatFile is discarded with _`
	return chat, event, file
}

// A deferred function may set the named error after the return.
func protect(fn func()) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	fn()
	return nil
}

func runProtected(fn func()) {
	protect(fn) // want `error from protect is dropped`
}

// The created file is written through another variable.
func writeValues(path string, values [][]byte, out io.Writer) error {
	writer := out
	if writer == nil {
		f, err := os.Create(path)
		if err != nil {
			return err
		}
		defer f.Close() // want `error from f.Close is dropped by the defer statement; Close is where a written file`
		writer = f
	}
	for _, v := range values {
		if _, err := writer.Write(v); err != nil {
			return err
		}
	}
	return nil
}

// A function literal's doc comment is the comment above the element
// holding it.
var templateFuncs = map[string]any{
	// toDate parses s with layout, returning zero time on failure.
	"toDate": func(layout, s string) time.Time {
		t, _ := time.Parse(layout, s)
		return t
	},
	"toDateStrict": func(layout, s string) time.Time {
		t, _ := time.Parse(layout, s) // want `error from time.Parse is discarded with _`
		return t
	},
}

// readInputs opens its files through openOutput without creating them:
// they are only read, and handed on to be.
func readInputs(names []string) (map[string]io.Reader, error) {
	files := map[string]io.Reader{}
	for _, name := range names {
		f, err := openOutput(name, false)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		files[name] = f
	}
	return files, nil
}

// printJSON fails only when its argument does not marshal: a call with
// a value that always marshals never fails.
func printJSON(d any) error { // want printJSON:"neverFails\\(nil, if encoding/json.MarshalIndent marshals param 0\\)"
	j, err := json.MarshalIndent(d, "", "  ")
	if err != nil {
		return err
	}
	fmt.Println(string(j))
	return nil
}

type streamReport struct {
	Name  string
	Bytes uint64
	Rate  float64
}

func listStreams(names []string, reports []streamReport) {
	printJSON(names)
	printJSON(map[string]any{"streams": names, "count": len(names)})
	printJSON(reports) // want `error from printJSON is dropped`
}

// A wrapper that reassigns its parameter before marshalling it has no
// such summary.
func printTrimmed(d any) error {
	if s, ok := d.(string); ok {
		d = strings.TrimSpace(s)
	}
	j, err := json.Marshal(d)
	if err != nil {
		return err
	}
	fmt.Println(string(j))
	return nil
}

func listTrimmed(names []string) {
	printTrimmed(names) // want `error from printTrimmed is dropped`
}

// A URL's String does not always parse again: a request path such as
// "//a:b" serializes to "//a:b", whose port url.Parse rejects. Copying a
// URL by parsing its String can fail.
func withQuery(base *url.URL, key, value string) string {
	u, _ := url.Parse(base.String()) // want `error from url.Parse is discarded with _`
	q := u.Query()
	q.Set(key, value)
	u.RawQuery = q.Encode()
	return u.String()
}

// Every call of writeHooks passes an in-memory buffer: its writes cannot
// fail, whatever other write's error it returns.
func writeHooks(w io.Writer, hooks map[string]string) error {
	for name, path := range hooks {
		fmt.Fprintf(w, "function %s() {\n", name)
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		_, err = io.Copy(w, f)
		f.Close()
		if err != nil {
			return err
		}
	}
	return nil
}

func hookScript(hooks map[string]string) ([]byte, error) {
	var buf bytes.Buffer
	if err := writeHooks(&buf, hooks); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// keepAlive tunes a live connection: the options fail only once it is
// closed, which the next read or write reports.
func keepAlive(c net.Conn) {
	if tcp, ok := c.(*net.TCPConn); ok {
		tcp.SetKeepAlive(true)
		tcp.SetKeepAlivePeriod(30 * time.Second)
		tcp.SetNoDelay(true)
	}
}
