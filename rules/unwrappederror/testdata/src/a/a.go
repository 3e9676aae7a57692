package a

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"b"
)

type Config struct {
	Addr string
	Port int
}

var ErrNotFound = errors.New("not found")

// --- reported ---

// readConfig takes a context: its callers tell cancellation from failure.
func readConfig(ctx context.Context, path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read config %s: %v", path, err) // want `fmt.Errorf formats the error err \(from os.ReadFile\) with %v: the new error keeps only its text, so a caller's errors.Is or errors.As check \(not-exist, timeout, EOF, cancellation\) silently fails; use %w`
	}
	var c Config
	if err := json.Unmarshal(data, &c); err != nil {
		return nil, fmt.Errorf("parse config: %w", err)
	}
	return &c, nil
}

func query(ctx context.Context, db *sql.DB, id int) (string, error) {
	var name string
	err := db.QueryRowContext(ctx, "SELECT name FROM users WHERE id = ?", id).Scan(&name)
	if err != nil {
		return "", fmt.Errorf("user %d: %s", id, err.Error()) // want `formats the error err.Error\(\) \(from db.QueryRowContext\(.*\).Scan\) with %s`
	}
	return name, nil
}

func retag(err error) error {
	return errors.New(err.Error()) // want `errors.New\(err.Error\(\)\) copies the error's text and drops the error`
}

func sprintfNew(path string) error {
	_, err := os.Stat(path)
	if err != nil {
		return errors.New(fmt.Sprintf("stat %q: %v", path, err)) // want `errors.New\(fmt.Sprintf\(...\)\) keeps only the text of err`
	}
	return nil
}

func loadPort(s string) (int, error) {
	f, err := os.Open(s)
	if err != nil {
		return 0, errors.New("failed to open port file") // want `the new error replaces err \(from os.Open\) without wrapping it: the cause is lost`
	}
	defer f.Close()
	return 0, nil
}

func fetch(c *http.Client, url string) (*http.Response, error) { // want fetch:"inputError\\[1\\]"
	resp, err := c.Get(url)
	if err != nil {
		return nil, fmt.Errorf("fetch %s failed", url) // want `the new error replaces err \(from c.Get\) without wrapping it`
	}
	return resp, nil
}

// readBody keeps the request's context error only as text.
func readBody(ctx context.Context, r *http.Request) ([]byte, error) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return nil, fmt.Errorf("%-10s|%v", "body", err) // want `formats the error err \(from io.ReadAll\) with %v`
	}
	if err := r.Context().Err(); err != nil {
		return nil, fmt.Errorf("request gone: %q", err) // want `formats the error err \(from r.Context\(\).Err\) with %q`
	}
	return body, nil
}

// dial: the net.Error's Timeout method can no longer be reached.
func dial(ctx context.Context, addr string) (net.Conn, error) {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("dial %s: %v", addr, err) // want `from net.Dial`
	}
	return conn, nil
}

// The error is logged, but the caller gets an opaque error it cannot test.
func opaque(path string) error {
	if _, err := os.Stat(path); err != nil {
		fmt.Fprintln(os.Stderr, "stat:", err)
		return errors.New("internal error") // want `the new error replaces err \(from os.Stat\) without wrapping it`
	}
	return nil
}

// A parse error: strconv.ErrRange and *strconv.NumError are testable too.
func atoi(s string) (int, error) {
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, fmt.Errorf("bad number %q: %v", s, err) // want `formats the error err \(from strconv.Atoi\) with %v`
	}
	return n, nil
}

// An error whose origin is not in view (a parameter) is still flattened.
func describe(step string, err error) error {
	return fmt.Errorf("%s: %v", step, err) // want `fmt.Errorf formats the error err with %v`
}

// A command handler: its caller may still test the error.
func cmdExport(path string) (int, error) {
	if _, err := os.Stat(path); err != nil {
		return 1, fmt.Errorf("export: %v", err) // want `formats the error err \(from os.Stat\) with %v`
	}
	return 0, nil
}

type pathErr struct{ op, path string }

func (e *pathErr) Error() string { return e.op + " " + e.path }

// A locally built error: errors.As(err, &pe) cannot find it in the text.
func custom() error {
	var pe *pathErr = &pathErr{"open", "/x"}
	return fmt.Errorf("custom: %v", pe) // want `formats the error pe with %v`
}

// A walk callback's error is an I/O error about a path.
func loadCerts(dir string) error {
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return fmt.Errorf("unable to traverse into %s", p) // want `the new error replaces err without wrapping it`
		}
		return nil
	})
}

// Restating a parse failure drops why it failed (syntax or range).
func parseKey(s string) ([]byte, error) {
	n, err := strconv.ParseUint(s, 16, 64)
	if err != nil {
		return nil, errors.New("invalid key") // want `the new error replaces err \(from strconv.ParseUint\)`
	}
	return []byte{byte(n)}, nil
}

// A function without a context: its callers test the cause all the same.
func loadFile(path string) ([]byte, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read %s: %v", path, err) // want `formats the error err \(from os.ReadFile\) with %v`
	}
	return data, nil
}

// The error's text concatenated into a new error.
func importLinks(sc interface{ Err() error }) error {
	if err := sc.Err(); err != nil {
		return errors.New("import links: " + err.Error()) // want `errors.New\("import links: " \+ err.Error\(\)\) copies the error's text and drops the error`
	}
	return nil
}

func importLinksf(sc interface{ Err() error }) error {
	if err := sc.Err(); err != nil {
		return fmt.Errorf("import links: " + err.Error()) // want `fmt.Errorf\("import links: " \+ err.Error\(\)\) copies the error's text`
	}
	return nil
}

func errorfText(err error) error {
	return fmt.Errorf(err.Error()) // want `fmt.Errorf\(err.Error\(\)\) copies the error's text`
}

// The last of several attempts' errors.
func retry(attempts int, try func() error) error {
	var lastErr error
	for range attempts {
		if lastErr = try(); lastErr == nil {
			return nil
		}
	}
	return fmt.Errorf("giving up after %d attempts: %v", attempts, lastErr) // want `formats the error lastErr with %v`
}

// tlsConn.Read: the server above tests io.EOF and timeouts on what Read
// returns.
type tlsConn struct{ c net.Conn }

func (t *tlsConn) Read(p []byte) (int, error) {
	n, err := t.c.Read(p)
	if err != nil {
		return n, fmt.Errorf("tls read: %v", err) // want `formats the error err \(from t.c.Read\) with %v`
	}
	return n, nil
}

// --- not reported ---

func wrapped(path string) error {
	if _, err := os.Stat(path); err != nil {
		return fmt.Errorf("stat %s: %w", path, err)
	}
	return nil
}

// One error is wrapped; the second is formatted on purpose.
func twoErrors(err, closeErr error) error {
	return fmt.Errorf("write: %w (close: %v)", err, closeErr)
}

// A sentinel translates the failure on purpose.
func lookup(db *sql.DB, id int) error {
	_, err := db.Exec("SELECT 1 WHERE id = ?", id)
	if err != nil {
		return ErrNotFound
	}
	return nil
}

var ErrBadPort = errors.New("bad port")

// So does a new error that wraps a sentinel.
func parsePort(s string) (int, error) {
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, fmt.Errorf("%w: %q", ErrBadPort, s)
	}
	return n, nil
}

// The new error's text comes from the cause through a helper the rule
// cannot see into: not this shape.
func derived(path string, explain func(error) string) error {
	if _, err := os.Stat(path); err != nil {
		return errors.New(explain(err))
	}
	return nil
}

// Formatting non-error values.
func notAnError(n int, s string) error { // want notAnError:"inputError\\[0 1\\]"
	return fmt.Errorf("bad value %v in %s", n, s)
}

// %e, a slip for %w: fmt prints %!e(...), and nothing is wrapped.
func slip(path string) error {
	if _, err := os.ReadFile(path); err != nil {
		return fmt.Errorf("read %s: %e", path, err) // want `formats the error err \(from os.ReadFile\) with %e`
	}
	return nil
}

// %T of an error: no cause is carried in the text either way.
func typeOnly(err error) error {
	return fmt.Errorf("unexpected error type %T", err)
}

// A documented opaque error at an API boundary.
func boundary(ctx context.Context, path string) error {
	if _, err := os.Stat(path); err != nil {
		return fmt.Errorf("request failed: %v", err) //failfast:ignore unwrapped-error clients must not depend on internal error types
	}
	return nil
}

// Parsing: the branch returns the cause wrapped.
func port(s string) (int, error) {
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, fmt.Errorf("invalid port %q: %w", s, err)
	}
	return n, nil
}

// A dynamic format cannot be checked, nor safely rewritten.
func dynamic(format string, err error) error {
	return fmt.Errorf(format, err)
}

// errors.New of a constant.
var errClosed = errors.New("closed")

// Plain text about a non-error.
func message(code int) error {
	return errors.New(strconv.Itoa(code))
}

// A branch whose error is not returned at all.
func fallback(path string) ([]byte, error) { // want fallback:"nilError"
	data, err := os.ReadFile(path)
	if err != nil {
		return []byte("{}"), nil
	}
	return data, nil
}

type listenOptions struct{ port string }

// A parse failure restated with the text that failed: the parser's error
// says no more than that this text is malformed.
func portNumber(o *listenOptions) (int, error) {
	n, err := strconv.Atoi(strings.TrimSpace(o.port))
	if err != nil {
		return 0, fmt.Errorf("port %q is not a number", o.port)
	}
	return n, nil
}

func validInt(str string) (int, error) { // want validInt:"inputError\\[0\\]"
	num, err := strconv.Atoi(str)
	if err != nil {
		return 0, errors.New("not a valid integer: " + str)
	}
	return num, nil
}

// Naming the input is not enough when the call is not a parser: why the
// file could not be read is lost.
func readNamed(path string) ([]byte, error) { // want readNamed:"inputError\\[0\\]"
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("cannot read %s", path) // want `the new error replaces err \(from os.ReadFile\)`
	}
	return data, nil
}

// Naming another value than the text that failed.
func parseField(o *listenOptions, name string) (int, error) { // want parseField:"inputError\\[1\\]"
	n, err := strconv.Atoi(o.port)
	if err != nil {
		return 0, fmt.Errorf("field %s is invalid", name) // want `the new error replaces err \(from strconv.Atoi\)`
	}
	return n, nil
}

// A pure parser's error restated with the text, or with the text it was
// cut from: filepath.Match only returns ErrBadPattern.
func checkPattern(pattern string) error { // want checkPattern:"inputError\\[0\\]"
	if _, err := filepath.Match(pattern, ""); err != nil {
		return fmt.Errorf("invalid file name pattern %q", pattern)
	}
	return nil
}

func mac(o *struct{ macAddress string }) error {
	if _, err := net.ParseMAC(strings.TrimSpace(o.macAddress)); err != nil {
		return fmt.Errorf("%s is not a valid mac address", o.macAddress)
	}
	return nil
}

func listenAddr(addr string) (string, error) { // want listenAddr:"inputError\\[0\\]"
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return "", fmt.Errorf("failed to parse host:port from %q", addr)
	}
	return host, nil
}

// The text is time.Parse's second argument, here cut from a match.
func year(match []string) (int, error) {
	y := match[1]
	t, err := time.Parse("2006", y)
	if err != nil {
		return 0, fmt.Errorf("bad year %q", match[1])
	}
	return t.Year(), nil
}

func parseRange(part string) (int64, error) { // want parseRange:"inputError\\[0\\]"
	ints := strings.Split(part, ":")
	start, err := strconv.ParseInt(ints[0], 10, 64)
	if err != nil {
		return 0, fmt.Errorf("invalid range: %q", part)
	}
	return start, nil
}

func phone(result string) (int, error) { // want phone:"inputError\\[0\\]"
	idStr, _, _ := strings.Cut(result, "_")
	id, err := strconv.Atoi(idStr)
	if err != nil {
		return 0, fmt.Errorf("invalid phone selection %q", result)
	}
	return id, nil
}

func boolParam(k string, v any) (bool, error) {
	s, ok := v.(string)
	if !ok {
		return false, fmt.Errorf("value must be string %q=%v", k, v)
	}
	b, err := strconv.ParseBool(s)
	if err != nil {
		return false, fmt.Errorf("invalid value %q=%v", k, v)
	}
	return b, nil
}

// json.Unmarshal into a float64 fails only with a syntax or type error
// about the data.
func rawNumber(raw json.RawMessage) (float64, error) {
	var f float64
	if err := json.Unmarshal(raw, &f); err != nil {
		return 0, fmt.Errorf("invalid number %s", raw)
	}
	return f, nil
}

func compile(expr string) (*regexp.Regexp, error) { // want compile:"inputError\\[0\\]"
	re, err := regexp.Compile(expr)
	if err != nil {
		return nil, fmt.Errorf("bad expression %q", expr)
	}
	return re, nil
}

// time.LoadLocation reads the time zone database: its error may be a
// file-system error.
func zone(name string) (*time.Location, error) { // want zone:"inputError\\[0\\]"
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, fmt.Errorf("unknown time zone %q", name) // want `the new error replaces err \(from time.LoadLocation\)`
	}
	return loc, nil
}

// Nothing in Config decodes itself: json.Unmarshal's error is a syntax or
// type error about the data, which the new error shows.
func decodeConfig(data []byte) (*Config, error) {
	var c Config
	if err := json.Unmarshal(data, &c); err != nil {
		return nil, fmt.Errorf("invalid config %s", bytes.TrimSpace(data))
	}
	return &c, nil
}

// Nor does time.Time, whose UnmarshalJSON only parses the text.
func decodeStamp(data []byte) (map[string][]*time.Time, error) {
	var m map[string][]*time.Time
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("invalid stamps %s", data)
	}
	return m, nil
}

type level int

func (l *level) UnmarshalJSON(b []byte) error { return nil } // want UnmarshalJSON:"nilError"

// A type of its own decodes itself: its method's error is the program's.
func decodeLevel(data []byte) (level, error) {
	var l level
	if err := json.Unmarshal(data, &l); err != nil {
		return 0, fmt.Errorf("invalid level %s", data) // want `the new error replaces err \(from json.Unmarshal\)`
	}
	return l, nil
}

// Naming the layout, not the text that failed.
func parseWhen(layout, s string) (time.Time, error) { // want parseWhen:"inputError\\[0\\]"
	t, err := time.Parse(layout, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("date does not match %q", layout) // want `the new error replaces err \(from time.Parse\)`
	}
	return t, nil
}

// The parsed text is assigned twice: the name it was first cut from need
// not be what failed.
func reassigned(part, other string) (int, error) { // want reassigned:"inputError\\[0\\]"
	s := strings.TrimSpace(part)
	if s == "" {
		s = other
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, fmt.Errorf("invalid number in %q", part) // want `the new error replaces err \(from strconv.Atoi\)`
	}
	return n, nil
}

// Derived through a function that is not a text transformation: the name
// is not the text.
func byName(name string, lookup func(string) string) (int, error) { // want byName:"inputError\\[0\\]"
	v := lookup(name)
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, fmt.Errorf("setting %s is not a number", name) // want `the new error replaces err \(from strconv.Atoi\)`
	}
	return n, nil
}

type rule struct {
	Name  string
	Level *level
}

// A field of a type of its own: its method's error is the program's.
func decodeRules(data []byte) ([]rule, error) {
	var rs []rule
	if err := json.Unmarshal(data, &rs); err != nil {
		return nil, fmt.Errorf("invalid rules %s", data) // want `the new error replaces err \(from json.Unmarshal\)`
	}
	return rs, nil
}

// A function of the module that fails only with a fresh error about its
// input (the inputError fact), here from another package: restating it
// with the input loses nothing.
func backend(fsType string) (*b.Info, error) { // want backend:"inputError\\[0\\]"
	info, err := b.Find(fsType)
	if err != nil {
		return nil, fmt.Errorf("unknown filesystem type %q", fsType)
	}
	return info, nil
}

func kinds(names []string) error {
	for _, name := range names {
		var k b.Kind
		if err := k.Set(name); err != nil {
			return fmt.Errorf("invalid token %q in %q", name, strings.Join(names, ","))
		}
	}
	return nil
}

// The same in the package, and cut from a field.
func intOption(o *listenOptions) (int, error) {
	n, err := validInt(strings.TrimSpace(o.port))
	if err != nil {
		return 0, fmt.Errorf("bad port option %q", o.port)
	}
	return n, nil
}

// Without the input, the callee's text is all there was.
func nextInt(str, message string) (int, error) { // want nextInt:"inputError\\[1\\]"
	n, err := validInt(str)
	if err != nil {
		return 0, errors.New(message) // want `the new error replaces err \(from validInt\)`
	}
	return n, nil
}

func backendQuiet(fsType string) (*b.Info, error) {
	info, err := b.Find(fsType)
	if err != nil {
		return nil, errors.New("unknown filesystem type") // want `the new error replaces err \(from b.Find\)`
	}
	return info, nil
}

// A sentinel among the errors: callers could test it.
func lookupNamed(name string) (*b.Info, error) { // want lookupNamed:"inputError\\[0\\]"
	info, err := b.Lookup(name)
	if err != nil {
		return nil, fmt.Errorf("no backend %q", name) // want `the new error replaces err \(from b.Lookup\)`
	}
	return info, nil
}

// Another error passed on inside: its cause is lost here.
func loadNamed(name string) ([]byte, error) { // want loadNamed:"inputError\\[0\\]"
	data, err := b.Load(name)
	if err != nil {
		return nil, fmt.Errorf("cannot load %q", name) // want `the new error replaces err \(from b.Load\)`
	}
	return data, nil
}

func namedResult(name string) error { // want namedResult:"inputError\\[0\\]"
	if err := b.Named(name); err != nil {
		return fmt.Errorf("bad name %q", name) // want `the new error replaces err \(from b.Named\)`
	}
	return nil
}

// ---- an error that is always nil ----

// split never fails: its callers' branches never run.
func split(s string) ([]string, error) { // want split:"nilError"
	return strings.Fields(s), nil
}

// The %v branch after a call whose error is always nil is dead code, in
// this package or another (the fact nilError).
func deadBranches(s string) ([]string, error) {
	parts, err := split(s)
	if err != nil {
		return nil, fmt.Errorf("split %q: %v", s, err)
	}
	ps, err := b.Patches(len(parts))
	if err != nil {
		return nil, errors.New("no patches")
	}
	_ = ps
	return parts, nil
}

// A named error that nothing sets is nil at a bare return: the branch on
// it never runs.
func named(s string) (out []string, err error) { // want named:"nilError"
	out = strings.Fields(s)
	return
}

func usesNamed(s string) error {
	if _, err := named(s); err != nil {
		return fmt.Errorf("named: %v", err)
	}
	return nil
}

// A named error that a deferred recover handler sets may be non-nil at
// any return.
func recovered(s string) (out []string, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("splitting %q: %v", s, r)
		}
	}()
	return strings.Fields(s), nil
}

func usesRecovered(s string) error {
	if _, err := recovered(s); err != nil {
		return fmt.Errorf("recovered: %v", err) // want `fmt.Errorf formats the error err \(from recovered\) with %v`
	}
	return nil
}

// mustNet panics: no caller receives the error to test it.
func mustNet(s string) *net.IPNet {
	_, n, err := net.ParseCIDR(s)
	if err != nil {
		panic(fmt.Errorf("bad network %s: %v", s, err))
	}
	return n
}

func dialSecret(u string) (net.Conn, error) {
	c, err := net.Dial("tcp", u)
	if err != nil {
		// Do not include the original error: it contains the password.
		return nil, errors.New("cannot reach the server")
	}
	return c, nil
}

func dialPlain(u string) (net.Conn, error) {
	c, err := net.Dial("tcp", u)
	if err != nil {
		// The server may be down.
		return nil, errors.New("cannot reach the server") // want `the new error replaces err \(from net\.Dial\) without wrapping it`
	}
	return c, nil
}

func dialRedacted(u string) (net.Conn, error) {
	c, err := net.Dial("tcp", u)
	if err != nil {
		return nil, fmt.Errorf("dial: %v", err) // redact the error: it names the host
	}
	return c, nil
}

// json.Marshal of a string cannot fail: the branch never runs.
func quoted(s string) (string, error) {
	b, err := json.Marshal(s)
	if err != nil {
		return "", fmt.Errorf("quote %q: %v", s, err)
	}
	return string(b), nil
}

// ErrCantConnect names a kind of failure for callers to test.
var ErrCantConnect = errors.New("cannot connect")

// ping wraps the sentinel and flattens the driver's error beside it: a
// caller's errors.As for the driver's error type fails, and since Go 1.20 a
// format may wrap both.
func ping(dial func() error) error {
	if err := dial(); err != nil {
		return fmt.Errorf("%w: %v", ErrCantConnect, err) // want `fmt.Errorf formats the error err \(from dial\) with %v`
	}
	return nil
}

// replyError logs err and answers with its text: the error goes nowhere
// else, so an error built for it with %v loses nothing a caller could test.
func replyError(w http.ResponseWriter, err error, code int) {
	fmt.Fprintf(os.Stderr, "http: error: %s\n", err)
	http.Error(w, err.Error(), code)
}

func handleUpload(w http.ResponseWriter, r *http.Request) {
	if _, err := io.ReadAll(r.Body); err != nil {
		replyError(w, fmt.Errorf("read upload: %v", err), http.StatusBadRequest)
		return
	}
}

// keepError hands its error on to a caller-visible place: reported.
func keepError(errs *[]error, err error) { *errs = append(*errs, err) }

func readAll(r io.Reader, errs *[]error) {
	if _, err := io.ReadAll(r); err != nil {
		keepError(errs, fmt.Errorf("read: %v", err)) // want `fmt.Errorf formats the error err \(from io.ReadAll\) with %v`
	}
}
