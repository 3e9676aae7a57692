package a // want package:"nilNilCalls\\(a.go:52:3\\):calls=0.*\\(a.go:769:3\\):calls=1,checked=0,unchecked=0,escaped=0"

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"io/fs"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"

	"b"
)

type Config struct {
	Addr string
}

type User struct {
	ID   string
	Name string
}

type Store struct{ db *sql.DB }

// ---- reported ----

// loadConfig reads the configuration file at path.
func loadConfig(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil // want `return nil, nil tells the caller "no error" but gives no \*Config; a caller that dereferences it panics far from here`
	}
	if err != nil {
		return nil, err
	}
	var cfg Config
	if err := json.Unmarshal(data, &cfg); err != nil {
		return nil, err
	}
	return &cfg, nil
}

// UserByID loads a user.
func (s *Store) UserByID(ctx context.Context, id string) (*User, error) { // want UserByID:"nilNilExit\\(a.go:52:3\\)"
	var u User
	err := s.db.QueryRowContext(ctx, "SELECT id, name FROM users WHERE id = ?", id).Scan(&u.ID, &u.Name)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil // want `gives no \*User`
	}
	if err != nil {
		return nil, err
	}
	return &u, nil
}

// newHandler builds the handler for a route kind.
func newHandler(kind string) (http.Handler, error) {
	switch kind {
	case "static":
		return http.FileServer(http.Dir(".")), nil
	case "health":
		return http.NotFoundHandler(), nil
	}
	return nil, nil // want `gives no http.Handler; a caller that calls its methods panics far from here`
}

// hookFor returns the shutdown hook of a component.
func hookFor(name string, hooks map[string]func() error) (func() error, error) {
	if h, ok := hooks[name]; ok {
		return h, nil
	}
	return nil, nil // want `gives no func\(\) error; a caller that calls it panics far from here`
}

// subscribe opens a stream of messages for topic.
func subscribe(topic string, topics map[string]chan string) (<-chan string, error) {
	ch, ok := topics[topic]
	if !ok {
		return nil, nil // want `gives no <-chan string; a caller that receives from it blocks forever far from here`
	}
	return ch, nil
}

// openDB connects to the database named by dsn.
func openDB(dsn string) (db *sql.DB, err error) {
	if strings.TrimSpace(dsn) == "" {
		return nil, nil // want `gives no \*sql.DB`
	}
	return sql.Open("postgres", dsn)
}

// Loader is this package's own interface: its implementations are not
// excused by it.
type Loader interface {
	Load(name string) (*Config, error)
}

type envLoader struct{}

func (envLoader) Load(name string) (*Config, error) { // want Load:"nilNilExit\\(a.go:107:3\\)"
	addr := os.Getenv(strings.ToUpper(name) + "_ADDR")
	if addr == "" {
		return nil, nil // want `gives no \*Config`
	}
	return &Config{Addr: addr}, nil
}

// parseHeader parses a "key: value" header line.
func parseHeader(line string) (*[2]string, error) {
	k, v, ok := strings.Cut(line, ":")
	if !ok {
		return nil, nil // want `gives no \*\[2\]string`
	}
	return &[2]string{k, strings.TrimSpace(v)}, nil
}

// GetBySKU returns the product, or nil, nil when there is no such SKU. The
// contract is stated, but a caller in the package breaks it.
func (s *Store) GetBySKU(sku string) (*User, error) {
	if sku == "" {
		return nil, nil // want `gives no \*User`
	}
	return &User{ID: sku}, nil
}

func (s *Store) NameOf(sku string) (string, error) {
	u, err := s.GetBySKU(sku)
	if err != nil {
		return "", err
	}
	return u.Name, nil
}

// optionalConfig reads the optional configuration; a nil path is rejected.
// (Mentioning nil or an absence is not a contract.)
func optionalConfig(path string) (*Config, error) {
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		return nil, nil // want `gives no \*Config`
	}
	return &Config{Addr: path}, nil
}

// ---- not reported ----

// probe: its only caller drops the result.
func probe(addr string) (*Config, error) {
	if addr == "" {
		return nil, nil
	}
	return &Config{Addr: addr}, nil
}

func reachable(addr string) bool {
	_, err := probe(addr)
	return err == nil
}

// A nil slice is an empty list.
func (s *Store) ListUsers(ctx context.Context) ([]User, error) {
	if s.db == nil {
		return nil, nil
	}
	return []User{}, nil
}

// A nil map reads as empty: with no caller in view that stores into it,
// nil, nil is the empty answer.
func labels(raw string) (map[string]string, error) {
	if raw == "" {
		return nil, nil
	}
	return map[string]string{"raw": raw}, nil
}

// But not where it replaces an error the function tested: the caller
// cannot tell a missing file from an empty one.
func loadOverrides(path string) (map[string]string, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil // want `gives no map\[string\]string; a caller that stores into it panics far from here`
	}
	if os.IsPermission(err) {
		return nil, nil // want `gives no map\[string\]string`
	}
	if err == errSkip {
		return nil, nil // want `gives no map\[string\]string`
	}
	if err != nil {
		return nil, err
	}
	return map[string]string{"raw": string(data)}, nil
}

var errSkip = errors.New("skip")

// An error tested by a predicate of the module's own is not an identity
// test the rule can see.
func xattrs(path string) (map[string]string, error) {
	data, err := os.ReadFile(path)
	if unsupported(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if len(data) == 0 {
		return nil, nil
	}
	return map[string]string{"raw": string(data)}, nil
}

func unsupported(err error) bool { return err != nil && err.Error() == "unsupported" } // want unsupported:"nilChecked\\[0\\]"

// nil is an ordinary decoded value (JSON null).
func decodeValue(data []byte) (any, error) {
	if string(data) == "null" {
		return nil, nil
	}
	var v any
	err := json.Unmarshal(data, &v)
	return v, err
}

// SessionByToken returns the session for token, or nil, nil if the token is
// unknown.
func (s *Store) SessionByToken(token string) (*User, error) {
	if token == "" {
		return nil, nil
	}
	return &User{ID: token}, nil
}

// findProxy returns the proxy to use for host if any. ("If any" does not
// say what the answer is then.)
func findProxy(host string) (*Config, error) {
	if host == "localhost" {
		return nil, nil // want `gives no \*Config`
	}
	return &Config{Addr: "proxy:3128"}, nil
}

// tlsConfigFor builds the TLS configuration of a backend.
func tlsConfigFor(insecure bool) (*Config, error) {
	if !insecure {
		return nil, nil // no custom TLS configuration: use the defaults
	}
	return &Config{}, nil
}

// certFor builds the certificate configuration of a backend.
func certFor(name string) (*Config, error) {
	// names without a dot are local: they get no certificate
	if !strings.Contains(name, ".") {
		return nil, nil // want `gives no \*Config`
	}
	return &Config{Addr: name}, nil
}

// A function literal's signature is set by its consumer.
func transport() *http.Transport {
	return &http.Transport{
		Proxy: func(req *http.Request) (*url.URL, error) {
			return nil, nil
		},
	}
}

// A method implementing an interface of another package follows that
// interface's contract.
type stubListener struct{ closed bool }

func (l *stubListener) Accept() (net.Conn, error) {
	if l.closed {
		return nil, nil
	}
	return nil, errors.New("no connections")
}
func (l *stubListener) Close() error   { l.closed = true; return nil } // want Close:"nilErrorPath"
func (l *stubListener) Addr() net.Addr { return nil }

// Only the error is nil.
func mustConfig(path string) (*Config, error) {
	if path == "" {
		return nil, errors.New("no config path")
	}
	return &Config{}, nil
}

// The second result is not an error.
func lookup(m map[string]*Config, k string) (*Config, bool) {
	if c, ok := m[k]; ok {
		return c, true
	}
	return nil, false
}

// Suppressed with a reason.
func cached(k string) (*Config, error) {
	if k == "" {
		return nil, nil //failfast:ignore nil-nil-return callers treat a nil config as "use defaults"
	}
	return &Config{Addr: k}, nil
}

// A no-op implementation: the whole body is the return.
type noCache struct{}

func (noCache) Get(key string) (*Config, error) { return nil, nil }

// Nil in, nil out.
type Addr struct{ Host string }

func (a *Addr) resolve() (*Config, error) { // want resolve:"nilChecked\\[-1\\]"
	if a == nil {
		return nil, nil
	}
	return &Config{Addr: a.Host}, nil
}

func configFor(base *Config, override string) (*Config, error) { // want configFor:"nilChecked\\[0\\]"
	if base == nil {
		return nil, nil
	}
	return &Config{Addr: base.Addr + override}, nil
}

// The caller asked for nothing.
func decodeImage(data []byte, headerOnly bool) (*Config, error) {
	if headerOnly {
		return nil, nil
	}
	return &Config{Addr: string(data)}, nil
}

// Every caller in the package tests the result for nil.
func routeFor(routes map[string]*Config, path string) (*Config, error) {
	if strings.HasPrefix(path, "/internal/") {
		return nil, nil
	}
	if rt, ok := routes[path]; ok {
		return rt, nil
	}
	return nil, errors.New("no route for " + path)
}

func serveRoute(w http.ResponseWriter, routes map[string]*Config, path string) error { // want serveRoute:"nilErrorPath"
	rt, err := routeFor(routes, path)
	if err != nil {
		return err
	}
	if rt == nil {
		http.NotFound(w, nil)
		return nil
	}
	_, err = w.Write([]byte(rt.Addr))
	return err
}

// A caller dereferences the result without a check.
func upstream(name string) (*Config, error) {
	addr := os.Getenv("UPSTREAM_" + strings.ToUpper(name))
	if addr == "" {
		return nil, nil // want `gives no \*Config`
	}
	return &Config{Addr: addr}, nil
}

func dial(name string) (net.Conn, error) {
	up, err := upstream(name)
	if err != nil {
		return nil, err
	}
	return net.Dial("tcp", up.Addr)
}

// Called through an interface of the package, whose callers test for nil:
// the method is exported, and callers elsewhere are not in view, but the
// callers in view show that the contract is known.
type packer interface {
	Pack(max int) (*Config, error)
}

type framePacker struct{ queued []string }

func (p *framePacker) Pack(max int) (*Config, error) {
	if len(p.queued) == 0 {
		return nil, nil
	}
	return &Config{Addr: p.queued[0]}, nil
}

type conn struct{ packer packer }

func (c *conn) flush() error { // want flush:"nilErrorPath"
	frame, err := c.packer.Pack(1200)
	if err != nil || frame == nil {
		return err
	}
	_ = frame.Addr
	return nil
}

// A result that is passed to a parameter the callee tests for nil, here
// baselineRow's own base, is checked.
func baselineRow(rows map[string]*Config, name string, base *Config) (*Config, error) { // want baselineRow:"nilChecked\\[2\\]"
	row, ok := rows[name]
	if !ok {
		return nil, nil
	}
	if base != nil {
		row.Addr += base.Addr
	}
	return row, nil
}

func allRows(rows map[string]*Config, names []string) ([]*Config, error) {
	base, err := baselineRow(rows, "base", nil)
	if err != nil {
		return nil, err
	}
	var out []*Config
	for _, n := range names {
		row, err := baselineRow(rows, n, base)
		if err != nil {
			return nil, err
		}
		if row == nil {
			continue
		}
		out = append(out, row)
	}
	return out, nil
}

// Another linter's finding, accepted by the author (golangci-lint's nilnil).
func legacyPolicy(raw []byte) (*Config, error) {
	if len(raw) == 0 {
		//nolint:nilnil // legacy
		return nil, nil
	}
	return &Config{Addr: string(raw)}, nil
}

// A type's name is not a proof: a FakeStore outside the tests is code
// like any other.
type FakeStore struct{ users map[string]*User }

func (f *FakeStore) UserByName(name string) (*User, error) { // want UserByName:"nilNilExit\\(a.go:454:3\\)"
	if f.users == nil {
		return nil, nil // want `gives no \*User`
	}
	return f.users[name], nil
}

// A state machine: each state returns the next, and nil ends the run. The
// functions are handed on as values, so the function type's contract
// holds, as for a literal: the loop that calls a state stops on nil.
type stateFn func(l *lexer) (stateFn, error)

type lexer struct {
	input string
	pos   int
}

func lexText(l *lexer) (stateFn, error) {
	if l.pos < len(l.input) {
		return lexEnd, nil
	}
	return nil, errors.New("unexpected end")
}

func lexEnd(l *lexer) (stateFn, error) {
	if l.pos != len(l.input) {
		return nil, errors.New("trailing input")
	}
	return nil, nil
}

func runLexer(l *lexer) error { // want runLexer:"nilErrorPath"
	for state := stateFn(lexText); state != nil; {
		next, err := state(l)
		if err != nil {
			return err
		}
		state = next
	}
	return nil
}

// An unexported helper whose result is only stored: its callers hand it
// on, and the field's readers are unchecked-nil-result's to judge. Not
// reported.
type Output struct{ Sidecar *Config }

func renderSidecar(enabled string) (*Config, error) {
	if enabled == "" {
		return nil, nil
	}
	return &Config{Addr: enabled}, nil
}

func render(enabled string) (*Output, error) {
	side, err := renderSidecar(enabled)
	if err != nil {
		return nil, err
	}
	return &Output{Sidecar: side}, nil
}

// A nil error returned from an error branch is swallowed-error's finding,
// not this rule's: not reported twice.
func OpenSpool(path string) (*os.File, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil
	}
	return f, nil
}

// A function handed on as a value and also called directly, where the
// caller uses the result unchecked: the direct call breaks the contract.
type handler func(name string) (*User, error)

var handlers = map[string]handler{"lookup": lookupUser}

func lookupUser(name string) (*User, error) {
	if name == "" {
		return nil, errors.New("no name")
	}
	if name == "guest" {
		return nil, nil // want `gives no \*User; a caller that dereferences it panics`
	}
	return &User{Name: name}, nil
}

func greet(name string) (string, error) {
	u, err := lookupUser(name)
	if err != nil {
		return "", err
	}
	return "hello " + u.Name, nil
}

// The doc comment names the result and says it may be nil.
//
// GetMeta returns the entry's metadata; when it has none, meta will be nil.
func GetMeta(ok bool) (meta map[string]string, err error) {
	if !ok {
		return nil, nil
	}
	return map[string]string{"k": "v"}, nil
}

// A result handed on through a function whose callers all check it, and
// through a recursive call.
func resolve(depth int, name string) (*User, error) {
	if depth > 3 {
		return resolve(depth-1, name)
	}
	if name == "" {
		return nil, nil
	}
	return &User{Name: name}, nil
}

func resolveAny(name string) (*User, error) {
	return resolve(0, name)
}

func describe(name string) string {
	u, err := resolveAny(name)
	if err != nil || u == nil {
		return "unknown"
	}
	return u.Name
}

// A result handed on as the empty interface, where nil is an ordinary
// value (a command without output).
func Command(name string) (any, error) {
	if name == "link" {
		return makeLink(name)
	}
	return "done", nil
}

func makeLink(name string) (*User, error) {
	if name == "dir" {
		return nil, nil
	}
	return &User{Name: name}, nil
}

type Labels map[string]string

func (l *Labels) Merge(o Labels) {
	if *l == nil {
		*l = Labels{}
	}
	for k, v := range o {
		(*l)[k] = v
	}
}

// A nil map read, or handed to a method (which gets the map or its
// address), is not a dereference that breaks the stated contract.
//
// labelsOf returns the labels of name; the result is nil when name is
// empty.
func labelsOf(name string) (Labels, error) {
	if name == "" {
		return nil, nil
	}
	return Labels{"name": name}, nil
}

func mergedLabels(name string, extra Labels) (Labels, error) {
	l, err := labelsOf(name)
	if err != nil {
		return nil, err
	}
	l.Merge(extra)
	return l, nil
}

func nameLabel(name string) string {
	l, err := labelsOf(name)
	if err != nil {
		return ""
	}
	return l["name"]
}

// A store into the result panics.
func tagsOf(name string) (map[string]string, error) {
	if name == "" {
		return nil, nil // want `gives no map\[string\]string; a caller that stores into it panics`
	}
	return map[string]string{"name": name}, nil
}

func tagged(name string) (map[string]string, error) {
	t, err := tagsOf(name)
	if err != nil {
		return nil, err
	}
	t["seen"] = "yes"
	return t, nil
}

// Results handed on through a function literal or a function handed on as
// a value take the contract of the function type.
type call func(in map[string]string) (map[string]string, error)

var calls = map[string]call{
	"create": func(in map[string]string) (map[string]string, error) { return update(in, "create") },
	"delete": deleteCall,
}

func deleteCall(in map[string]string) (map[string]string, error) {
	return update(in, "delete")
}

func update(in map[string]string, what string) (map[string]string, error) {
	if in["dry-run"] == "true" {
		return nil, nil
	}
	return map[string]string{"done": what}, nil
}

// Only a test uses the result unchecked: the test fails loudly.
func newSession(id string) (*User, error) {
	if id == "" {
		return nil, nil
	}
	return &User{Name: id}, nil
}

func sessionName(id string) string {
	s, err := newSession(id)
	if err != nil || s == nil {
		return ""
	}
	return s.Name
}

type Entry interface{ Remote() string }

type Dir struct{ path string }

func (d *Dir) Remote() string { return d.path }

// A comma-ok assertion tests for nil: a nil interface fails it.
//
// entryFor returns nil for an entry that is skipped.
func entryFor(path string) (Entry, error) {
	if path == "" {
		return nil, nil
	}
	return &Dir{path: path}, nil
}

func dirFor(path string) (*Dir, error) {
	e, err := entryFor(path)
	if err != nil {
		return nil, err
	}
	d, ok := e.(*Dir)
	if !ok {
		return nil, errors.New("not a directory")
	}
	_ = e.Remote()
	return d, nil
}

// A result passed on to a function of the package that dereferences it
// unchecked: the nil panics there.
func primaryRow(rows map[string]*Config) (*Config, error) {
	row, ok := rows["primary"]
	if !ok {
		return nil, nil // want `gives no \*Config`
	}
	return row, nil
}

func primaryAddr(rows map[string]*Config) (string, error) {
	row, err := primaryRow(rows)
	if err != nil {
		return "", err
	}
	return addrOf(row), nil
}

func addrOf(c *Config) string { return c.Addr }

// An exported function whose callers in view all test the result: the
// contract is known (a daemon process that is nil for a foreground run).
func StartDaemon(background bool) (*os.Process, error) {
	if !background {
		return nil, nil
	}
	return os.StartProcess("/bin/true", nil, &os.ProcAttr{})
}

func runMount(background bool) error { // want runMount:"nilErrorPath"
	p, err := StartDaemon(background)
	if err != nil {
		return err
	}
	if p == nil {
		return nil
	}
	_, err = p.Wait()
	return err
}

func runDetached() error {
	_, err := StartDaemon(true)
	return err
}

// Callers that only drop the result of an exported function show nothing.
func OpenLog(path string) (*os.File, error) { // want OpenLog:"nilNilExit\\(a.go:769:3\\)"
	if path == "" {
		return nil, nil // want `gives no \*os.File`
	}
	return os.Open(path)
}

func touchLog(path string) error {
	_, err := OpenLog(path)
	return err
}

// The doc comment says the result may be nil in the sentence after the one
// about what it returns.
//
// CopyMeta copies the metadata of src to dst. It returns the destination
// if possible. Note that this may be nil.
func CopyMeta(dst, src *Config) (*Config, error) {
	if dst == src {
		return nil, nil
	}
	if src.Addr == "" {
		return nil, nil
	}
	dst.Addr = src.Addr
	return dst, nil
}

// A result passed to an imported function that tests the parameter for
// nil (through the fact its package exports).
func hiddenEntry(name string) (b.Entry, error) {
	if strings.HasPrefix(name, ".") {
		return nil, nil
	}
	return &b.Dir{Path: name}, nil
}

func addEntry(h *b.Helper, name string) error {
	e, err := hiddenEntry(name)
	if err != nil {
		return err
	}
	return h.Add(e)
}

// A nil pointer handed to an interface parameter is a non-nil interface:
// the callee's nil test does not see it.
func auditRecord(name string) (*Config, error) {
	if name == "" {
		return nil, nil // handed on (to an interface parameter): not reported
	}
	return &Config{Addr: name}, nil
}

func audit(name string) error { // want audit:"nilErrorPath"
	rec, err := auditRecord(name)
	if err != nil {
		return err
	}
	b.Log(rec)
	return nil
}

// A result returned as it is by an exported function whose callers in view
// test it.
func findUser(name string) (*User, error) {
	if name == "" {
		return nil, nil
	}
	return &User{Name: name}, nil
}

func FindUser(name string) (*User, error) {
	return findUser(name)
}

func greetUser(name string) string {
	u, err := FindUser(name)
	if err != nil || u == nil {
		return "hello"
	}
	return "hello " + u.Name
}

// A result that a closure returns is not the caller's own result: it
// leaves through the closure, out of view, even when the closure itself is
// tested.
func lookupTeam(name string) (*User, error) {
	if name == "" {
		return nil, nil // handed on through a closure: not reported
	}
	return &User{Name: name}, nil
}

func teamGetter(name string) (func() *User, error) {
	u, err := lookupTeam(name)
	if err != nil {
		return nil, err
	}
	return func() *User { return u }, nil
}

func teamName(name string) string {
	get, err := teamGetter(name)
	if err != nil || get == nil {
		return ""
	}
	return get().Name
}

// filter runs the mapping on m and returns the result. If the mapping
// deletes the root the returned message will be nil, which indicates it has
// been filtered.
func filter(m *Config) (*Config, error) {
	if m.Addr == "" {
		return nil, nil
	}
	return m, nil
}

// optionalQuery returns the query parameter if it was defined, otherwise nil.
func optionalQuery(name string) (*Config, error) {
	if name == "" {
		return nil, nil
	}
	return &Config{Addr: name}, nil
}

// optionalArray returns an optional array value with a given name.
func optionalArray(name string) (*[]any, error) {
	if name == "" {
		return nil, nil
	}
	return &[]any{name}, nil
}

// optionalPort returns a pointer only so that nil can say "not set".
func optionalPort(s string) (*int, error) {
	if s == "" {
		return nil, nil // an optional value: nil is its meaning
	}
	n := len(s)
	return &n, nil
}

func optionalNames(s string) (*[]string, error) {
	if s == "" {
		return nil, nil // an optional list
	}
	names := strings.Split(s, ",")
	return &names, nil
}

type apiError struct{ Description string }

func (e *apiError) Error() string { return e.Description }

// errorFromBody builds the error a body describes, and gives nil when the
// body does not parse.
func errorFromBody(body string) error { // want errorFromBody:"nilErrorPath"
	e := &apiError{}
	if err := json.Unmarshal([]byte(body), e); err == nil {
		return e
	}
	return nil
}

type botInfo struct{ Username string }

type botResponse struct {
	OK     bool
	Result botInfo
}

func getBot(body string) (*botInfo, error) {
	resp := &botResponse{}
	_ = json.Unmarshal([]byte(body), resp)
	if !resp.OK {
		return nil, errorFromBody(body) // want `return nil, errorFromBody\(body\) is nil, nil when errorFromBody returns nil \(a.go:\d+\): the caller gets no \*botInfo and no error`
	}
	return &resp.Result, nil
}

func BotName(body string) (string, error) {
	b, err := getBot(body)
	if err != nil {
		return "", err
	}
	return b.Username, nil
}

// wrapErr gives nil only for a nil argument.
func wrapErr(err error) error { // want wrapErr:"nilChecked\\[0\\]"
	if err == nil {
		return nil
	}
	return &apiError{Description: err.Error()}
}

func getBotWrapped(body string) (*botInfo, error) {
	resp := &botResponse{}
	if err := json.Unmarshal([]byte(body), resp); err != nil {
		return nil, wrapErr(err)
	}
	return &resp.Result, nil
}

func BotNameWrapped(body string) (string, error) {
	b, err := getBotWrapped(body)
	if err != nil {
		return "", err
	}
	return b.Username, nil
}

// A diff type whose methods take a nil receiver for "no change": a
// caller that asks Empty has the nil tested.
type FieldDiff struct {
	Added, Deleted []string
}

func (d *FieldDiff) Empty() bool { // want Empty:"nilChecked\\[-1\\]"
	return d == nil || len(d.Added) == 0 && len(d.Deleted) == 0
}

func (d *FieldDiff) Count() int {
	return len(d.Added) + len(d.Deleted)
}

func fieldDiff(a, b []string) (*FieldDiff, error) {
	d := &FieldDiff{}
	seen := map[string]bool{}
	for _, x := range a {
		seen[x] = true
	}
	for _, x := range b {
		if !seen[x] {
			d.Added = append(d.Added, x)
		}
	}
	if d.Empty() {
		return nil, nil
	}
	return d, nil
}

type SchemaDiff struct {
	Fields map[string]*FieldDiff
}

func schemaDiff(a, b map[string][]string) (*SchemaDiff, error) {
	out := &SchemaDiff{Fields: map[string]*FieldDiff{}}
	for name := range a {
		d, err := fieldDiff(a[name], b[name])
		if err != nil {
			return nil, err
		}
		if !d.Empty() {
			out.Fields[name] = d
		}
	}
	return out, nil
}

// A method that dereferences its receiver does not test it.
func countDiff(a, b []string) (*FieldDiff, error) {
	d := &FieldDiff{Added: b}
	if len(a) == len(b) {
		return nil, nil // want `return nil, nil tells the caller "no error" but gives no \*FieldDiff`
	}
	return d, nil
}

func totalChanges(a, b []string) int {
	d, err := countDiff(a, b)
	if err != nil {
		return 0
	}
	return d.Count()
}
