// Package a holds the reported and not-reported shapes of
// unchecked-type-assertion.
package a

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"sync"
	"sync/atomic"
)

// ---- decoded documents ----

func configPort(data []byte) (int, error) {
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		return 0, err
	}
	port := doc["port"].(float64) // want `type assertion doc\["port"\]\.\(float64\) panics if doc\["port"\] \(an element of a document decoded by json\.Unmarshal\) holds another type; use the two-value form`
	return int(port), nil
}

func decodeAny(r io.Reader) string {
	var v any
	if err := json.NewDecoder(r).Decode(&v); err != nil {
		return ""
	}
	return v.(string) // want `type assertion v\.\(string\) panics if v \(decoded by json\.NewDecoder\(r\)\.Decode\) holds another type`
}

func nested(data []byte) string {
	var doc map[string]interface{}
	if err := json.Unmarshal(data, &doc); err != nil {
		return ""
	}
	meta := doc["metadata"].(map[string]interface{}) // want `type assertion doc\["metadata"\]\.\(map\[string\]interface\{\}\)`
	return meta["name"].(string)                     // want `type assertion meta\["name"\]\.\(string\) panics if meta\["name"\] \(an element of a document decoded by json\.Unmarshal\)`
}

type manifest struct {
	Name  string         `json:"name"`
	Extra map[string]any `json:"extra"`
}

func manifestOwner(r io.Reader) string {
	var m manifest
	if err := json.NewDecoder(r).Decode(&m); err != nil {
		return ""
	}
	return m.Extra["owner"].(string) // want `type assertion m\.Extra\["owner"\]\.\(string\)`
}

func items(data []byte) []string {
	var doc map[string]any
	if json.Unmarshal(data, &doc) != nil {
		return nil
	}
	var names []string
	list, ok := doc["items"].([]any)
	if !ok {
		return nil
	}
	for _, it := range list {
		names = append(names, it.(string)) // want `type assertion it\.\(string\) panics if it \(an element of a document decoded by json\.Unmarshal\)`
	}
	return names
}

func tokens(r io.Reader) string {
	dec := json.NewDecoder(r)
	tok, err := dec.Token()
	if err != nil {
		return ""
	}
	return string(tok.(json.Delim)) // want `type assertion tok\.\(json\.Delim\) panics if tok \(returned by dec\.Token\)`
}

// ---- context values ----

type userKey struct{}

type User struct{ Name string }

func currentUser(r *http.Request) *User {
	return r.Context().Value("user").(*User) // want `type assertion r\.Context\(\)\.Value\("user"\)\.\(\*User\) panics if the context holds no "user" value or one of another type; use the two-value form`
}

func serverOf(r *http.Request) *http.Server {
	return r.Context().Value(http.ServerContextKey).(*http.Server) // want `the context holds no http\.ServerContextKey value`
}

func requestID(ctx context.Context) string {
	id := ctx.Value("request-id")
	return id.(string) // want `type assertion id\.\(string\) panics if the context holds no "request-id" value`
}

// ---- recover ----

func safely(f func()) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = r.(error) // want `type assertion r\.\(error\) panics if r \(a recovered panic value, which can be anything\) holds another type`
		}
	}()
	f()
	return nil
}

// ---- channels of interface values ----

func worker(jobs <-chan any, out chan<- int) {
	for j := range jobs {
		out <- j.(int) // want `type assertion j\.\(int\) panics if j \(received from a channel of any\)`
	}
}

func firstEvent(events chan interface{}) string {
	return (<-events).(string) // want `type assertion \(<-events\)\.\(string\)`
}

// ---- sync.Map and atomic.Value with foreign stores ----

func lookup(m *sync.Map, key string) *User {
	v, _ := m.Load(key)
	return v.(*User) // want `type assertion v\.\(\*User\) panics if v \(loaded from sync\.Map\)`
}

var settings atomic.Value

func init() {
	settings.Store("x")
	settings.Store(42)
}

func mode() string {
	return settings.Load().(string) // want `type assertion settings\.Load\(\)\.\(string\) panics if settings\.Load\(\) \(loaded from atomic\.Value\)`
}

// ---- sync.Map and atomic.Value loads that can miss ----

type jobs struct{ m sync.Map }

func (j *jobs) add(id string, u *User) { j.m.Store(id, u) }

// get drops Load's ok: a missing id gives nil, which fails the assertion
// even though only *User is stored.
func (j *jobs) get(id string) *User {
	v, _ := j.m.Load(id)
	return v.(*User) // want `type assertion v\.\(\*User\) panics if v \(loaded from sync\.Map\)`
}

type prober struct{ healthy atomic.Value }

func (p *prober) loop(check func() error) {
	go func() {
		p.healthy.Store(check() == nil)
	}()
}

// Healthy may run before the first Store: Load returns nil.
func (p *prober) Healthy() bool {
	return p.healthy.Load().(bool) // want `type assertion p\.healthy\.Load\(\)\.\(bool\) panics if p\.healthy\.Load\(\) \(loaded from atomic\.Value\)`
}

// ---- documents that arrive as parameters, fields and results ----

func optionBag(options map[string]any) int {
	return options["http_port"].(int) // want `type assertion options\["http_port"\]\.\(int\) panics if options\["http_port"\] \(an element of the document passed as options\) holds another type`
}

func elem(v []interface{}) int {
	return v[0].(int) // want `v\[0\] \(an element of the document passed as v\)`
}

type profile struct{ Settings map[string]any }

func (p *profile) theme() string {
	return p.Settings["theme"].(string) // want `p\.Settings\["theme"\] \(an element of the document in field p\.Settings\)`
}

func loadDoc() (map[string]any, error) { return nil, nil }

func database() map[string]any {
	raw, err := loadDoc()
	if err != nil {
		return nil
	}
	return raw["database"].(map[string]any) // want `raw\["database"\] \(an element of the document returned by loadDoc\)`
}

func rows(table []map[string]any) float64 {
	var sum float64
	for _, row := range table {
		sum += row["close"].(float64) // want `row\["close"\] \(an element of the document passed as table\)`
	}
	return sum
}

func options(evt map[string]any) []string {
	var out []string
	if opts, ok := evt["options"].([]any); ok {
		for _, o := range opts {
			out = append(out, o.(map[string]any)["name"].(string)) // want `type assertion o\.\(map\[string\]any\) panics` `o\.\(map\[string\]any\)\["name"\]\.\(string\)`
		}
	}
	return out
}

// A type switch's variable holds the switch's operand: here an element of
// a document passed as m.
func includes(m map[string][]any) []map[string]any {
	var out []map[string]any
	for _, v := range m["include"] {
		switch t := v.(type) {
		case []any:
			for _, i := range t {
				out = append(out, i.(map[string]any)) // want `type assertion i\.\(map\[string\]any\) panics if i \(an element of the document passed as m\)`
			}
		}
	}
	return out
}

// An interface parameter narrowed to a document's shape holds whatever the
// data's author wrote: here a config's exclude list, a string or a list.
func excludes(matcher any) []string {
	switch exclude := matcher.(type) {
	case string:
		return []string{exclude}
	case []any:
		var out []string
		for _, name := range exclude {
			out = append(out, name.(string)) // want `type assertion name\.\(string\) panics if name \(an element of the document passed as matcher\)`
		}
		return out
	}
	return nil
}

// The same through a comma-ok assertion on a field of interface type that
// the package decodes from a config file.
type hookConfig struct {
	Exclude any `yaml:"exclude"`
}

func loadHooks(data []byte) (*hookConfig, error) {
	var h hookConfig
	err := json.Unmarshal(data, &h)
	return &h, err
}

func (h *hookConfig) first() string {
	if list, ok := h.Exclude.([]any); ok && len(list) > 0 {
		return list[0].(string) // want `list\[0\] \(an element of the document in field h\.Exclude\)`
	}
	return ""
}

// An event's payload field is filled by the program's own code, not by a
// decoder: not reported.
type event struct{ Data any }

func (e event) folder() string {
	if m, ok := e.Data.(map[string]any); ok {
		return m["folder"].(string)
	}
	return ""
}

// An interface parameter that every caller fills with a list it builds
// holds what the callers put there: not reported.
func joinNames(names any) string {
	var out string
	if list, ok := names.([]any); ok {
		for _, n := range list {
			out += n.(string)
		}
	}
	return out
}

func greeting() string { return joinNames([]any{"a", "b"}) }

// portOf's parameter is a document from outside for one of its callers.
func portOf(p map[string]any) int {
	return p["port"].(int) // want `p\["port"\] \(an element of the document passed as p\)`
}

func servePort(data []byte) int {
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		return 0
	}
	return portOf(doc)
}

func defaultPort() int { return portOf(map[string]any{"port": 80}) }

// ---- context values: the load misses when the middleware did not run ----

func fromOwnContext(ctx context.Context) *User {
	return ctx.Value(userKey{}).(*User) // want `panics if the context holds no userKey\{\} value`
}

func withUser(ctx context.Context, u *User) context.Context {
	return context.WithValue(ctx, userKey{}, u)
}

// ---- recover: a runtime error or a foreign panic is not the package's type ----

type parseError struct{ msg string }

func parseAll(f func()) (err error) {
	defer func() {
		if e := recover(); e != nil {
			err = fmt.Errorf("%s", e.(parseError).msg) // want `type assertion e\.\(parseError\) panics if e \(a recovered panic value`
		}
	}()
	f()
	return nil
}

type runtimeError interface {
	error
	RuntimeError()
}

func recoverParse(errp *error) {
	e := recover()
	if e != nil {
		if _, ok := e.(runtimeError); ok {
			panic(e)
		}
		*errp = e.(error) // want `type assertion e\.\(error\) panics if e \(a recovered panic value`
	}
}

// ---- suppressed ----

func suppressed(data []byte) string {
	var doc map[string]any
	_ = json.Unmarshal(data, &doc)
	//failfast:ignore unchecked-type-assertion the schema is validated upstream
	return doc["kind"].(string)
}

// ---- not reported ----

func twoValue(doc map[string]any) (string, bool) {
	s, ok := doc["name"].(string)
	return s, ok
}

func twoValueParen(ctx context.Context) *User {
	u, _ := (ctx.Value(userKey{})).(*User)
	return u
}

func typeSwitch(v any) string {
	switch x := v.(type) {
	case string:
		return x
	}
	return fmt.Sprint(v)
}

var bufPool = sync.Pool{New: func() any { return new([]byte) }}

func pooled() *[]byte {
	return bufPool.Get().(*[]byte) // the pool's New decides the type
}

var handlers = map[string]any{"a": func() {}}

func handler(name string) func() {
	return handlers[name].(func()) // a table filled in this package
}

func local() int {
	m := map[string]any{"n": 1}
	return m["n"].(int) // built right here
}

type pathErr struct{ error }

func asError(err error) *pathErr {
	return err.(*pathErr) // errors are errors.As's business
}

func isNotExist(err error) bool {
	return errors.Is(err, os.ErrNotExist)
}

type cache struct {
	m    sync.Map
	last atomic.Value
}

func (c *cache) put(k string, u *User) {
	c.m.Store(k, u)
	c.last.Store(u)
}

func (c *cache) get(k string) *User {
	v, ok := c.m.Load(k)
	if !ok {
		return nil
	}
	return v.(*User) // only *User is ever stored
}

func newCache(u *User) *cache {
	c := &cache{}
	c.last.Store(u)
	return c
}

func (c *cache) latest() *User {
	return c.last.Load().(*User) // only *User is ever stored, the first one before c is shared
}

func (c *cache) getOrPut(k string, u *User) *User {
	v, _ := c.m.LoadOrStore(k, u)
	return v.(*User) // LoadOrStore always returns a stored value
}

func (c *cache) cached(k string) *User {
	if v, _ := c.m.Load(k); v != nil {
		return v.(*User) // checked present, and only *User is stored
	}
	return nil
}

// debugLock is built, and its holder stored, only when debugging; the
// store follows the creation in the same block, before the value is shared.
type debugLock struct{ holder atomic.Value }

type owner struct{ at string }

var debugging = os.Getenv("DEBUG_LOCKS") != ""

func newDebugLock() *debugLock {
	if debugging {
		l := &debugLock{}
		l.holder.Store(owner{})
		return l
	}
	return nil
}

func (l *debugLock) lock(at string) { l.holder.Store(owner{at: at}) }

func (l *debugLock) heldAt() string {
	return l.holder.Load().(owner).at // stored when l was made, only owner ever
}

// A store in a later block than the creation does not fill the value
// first.
type lateLock struct{ holder atomic.Value }

func newLateLock(fill bool) *lateLock {
	l := &lateLock{}
	if fill {
		l.holder.Store(owner{})
	}
	return l
}

func (l *lateLock) heldAt() string {
	return l.holder.Load().(owner).at // want `type assertion l\.holder\.Load\(\)\.\(owner\) panics`
}

// A ring of atomic.Values, each element filled by a loop over all of them
// right after the ring is made, and only ever with a slot.
type slot struct{ key string }

type ring struct {
	size  int
	slots []atomic.Value
}

func newRing(n int) *ring {
	r := &ring{size: n, slots: make([]atomic.Value, n)}
	for i := 0; i < n; i++ {
		r.slots[i].Store(slot{})
	}
	return r
}

func (r *ring) put(i int, k string) { r.slots[i%r.size].Store(slot{key: k}) }

func (r *ring) has(k string) bool {
	for i := range r.slots {
		if r.slots[i].Load().(slot).key == k { // every element filled when made, only slot ever
			return true
		}
	}
	return false
}

// A local atomic.Value stored right after its declaration, only with one
// type: not reported.
func lastSeen(keys []string) slot {
	var v atomic.Value
	v.Store(slot{})
	done := make(chan struct{})
	go func() {
		for _, k := range keys {
			v.Store(slot{key: k})
		}
		close(done)
	}()
	<-done
	return v.Load().(slot)
}

// Swap gives the value stored before, filled when the struct was made:
// not reported.
type statusUpdater struct{ cancel atomic.Value }

func newStatusUpdater() *statusUpdater {
	u := &statusUpdater{}
	u.cancel.Store(func() {})
	return u
}

func (u *statusUpdater) update(next func()) {
	old := u.cancel.Swap(next).(func())
	old()
}

// A local atomic.Value read before its first store: reported.
func lastSeenEarly(keys []string) slot {
	var v atomic.Value
	first := v.Load().(slot) // want `type assertion v\.Load\(\)\.\(slot\) panics`
	v.Store(slot{})
	_ = keys
	return first
}

// A loop that skips the first element does not fill them all.
type sparseRing struct{ slots []atomic.Value }

func newSparseRing(n int) *sparseRing {
	r := &sparseRing{slots: make([]atomic.Value, n)}
	for i := 1; i < n; i++ {
		r.slots[i].Store(slot{})
	}
	return r
}

func (r *sparseRing) first() string {
	return r.slots[0].Load().(slot).key // want `type assertion r\.slots\[0\]\.Load\(\)\.\(slot\) panics`
}

var current atomic.Value

func init() {
	current.Store(&User{})
}

func activeUser() *User {
	return current.Load().(*User) // stored by init before anything loads it
}

func logf(format string, args ...any) string {
	return format + args[0].(string) // the variadic arguments are the caller's code, not data
}

func describe(v any) string {
	switch v.(type) {
	case string:
		return v.(string) // the type switch established the type
	}
	if _, ok := v.(int); ok {
		return fmt.Sprint(v.(int)) // so did the two-value assertion
	}
	return ""
}

func decodedHere(data []byte) (int, error) {
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		return 0, err
	}
	switch doc["port"].(type) {
	case float64:
		return int(doc["port"].(float64)), nil // established by the type switch
	}
	return 0, errors.New("port must be a number")
}

type shape interface{ Area() float64 }

type square struct{ s float64 }

func (q square) Area() float64 { return q.s * q.s }

func param(s shape) square {
	return s.(square) // an interface parameter: the caller's contract, not outside data
}

type fsMap struct{ m sync.Map }

type wrapped struct{ io.Reader }

func (f *fsMap) put(k string, r io.Reader) { f.m.Store(k, &wrapped{r}) }

func (f *fsMap) get(k string) io.Reader {
	v, ok := f.m.Load(k)
	if !ok {
		return nil
	}
	return v.(io.Reader) // everything stored implements io.Reader
}

// errCache remembers failures: every store is the err result of a call.
type errCache struct{ m sync.Map }

func (e *errCache) open(path string) error {
	_, err := os.Stat(path)
	if err != nil {
		e.m.Store(path, err)
		return err
	}
	if _, err := os.ReadFile(path); err != nil {
		e.m.Store(path, err)
	}
	return nil
}

func (e *errCache) failed(path string) error {
	if v, ok := e.m.Load(path); ok {
		return v.(error) // only errors are stored
	}
	return nil
}

// rpcParams is an option bag: every call of the unexported call builds it.
type rpcParams map[string]any

type rpcClient struct{ token string }

func (c *rpcClient) call(method string, p rpcParams) string {
	if tok, ok := p["token"]; ok {
		return method + tok.(string) // every caller built p
	}
	return method + c.token
}

func (c *rpcClient) list() string { return c.call("list", rpcParams{"token": "*"}) }

func (c *rpcClient) stat(path string) string {
	p := rpcParams{"path": path}
	return c.call("stat", p)
}

type lazy struct{ done atomic.Value }

func (l *lazy) Done() chan struct{} {
	d := l.done.Load()
	if d != nil {
		return d.(chan struct{}) // only chan struct{} is stored, below
	}
	d = make(chan struct{})
	l.done.Store(d)
	return d.(chan struct{})
}

type envelope struct {
	Kind string `json:"kind"`
	Data any    `json:"data"`
}

func eventName(b []byte) string {
	var env envelope
	if err := json.Unmarshal(b, &env); err != nil {
		return ""
	}
	return env.Data.(string) // want `type assertion env\.Data\.\(string\) panics if env\.Data \(a field of a document decoded by json\.Unmarshal\)`
}

func builtEnvelope() string {
	env := envelope{Data: "x"}
	return env.Data.(string) // built right here
}

func unmarshalYAMLv2(unmarshal func(b []byte, v any) error, b []byte) int {
	var doc map[interface{}]interface{}
	if err := unmarshal(b, &doc); err != nil {
		return 0
	}
	return doc["replicas"].(int) // want `type assertion doc\["replicas"\]\.\(int\) panics if doc\["replicas"\] \(an element of a document decoded by unmarshal\)`
}

type stmt interface{ stmtNode() }

type block struct{ List []stmt }

func firstStmt(b *block) *ifStmt {
	return b.List[0].(*ifStmt) // a slice of the program's own interface, not a document
}

type ifStmt struct{}

func (*ifStmt) stmtNode() {}

func (c *cache) loadOrCreate(k string) *User {
	v, ok := c.m.Load(k)
	if !ok {
		v, _ = c.m.LoadOrStore(k, &User{Name: k})
	}
	return v.(*User) // present on both paths, and only *User is stored
}

type adminKey struct{}

func withAdmin(ctx context.Context, u *User) context.Context {
	return context.WithValue(ctx, adminKey{}, u)
}

// adminFrom checks the value is present, and only this package can store
// under the unexported key, always a *User.
func adminFrom(ctx context.Context) *User {
	v := ctx.Value(adminKey{})
	if v == nil {
		return nil
	}
	return v.(*User)
}

// copyAdmin stores under the key what the key already held.
func copyAdmin(dst, src context.Context) context.Context {
	v := src.Value(adminKey{})
	return context.WithValue(dst, adminKey{}, v)
}

// ---- fields the package fills itself ----

// result is a parser's output: every store into Payload is a slice the
// package builds, so its elements have the types the package put there.
type result struct {
	Payload []any
	Rest    string
}

func sequence(parts ...string) result {
	out := make([]any, 0, len(parts))
	for _, p := range parts {
		out = append(out, p)
	}
	return result{Payload: out}
}

func firstWord(s string) string {
	res := sequence(s, "x")
	return res.Payload[0].(string) // the package built every Payload
}

// row is filled from a decoded document once: its Cells hold outside data.
type row struct{ Cells []any }

func fillRow(r *row, doc map[string]any) {
	r.Cells = doc["cells"].([]any) // want `doc\["cells"\] \(an element of the document passed as doc\)`
}

func firstCell(r *row) string {
	return r.Cells[0].(string) // want `r\.Cells\[0\] \(an element of the document in field r\.Cells\)`
}

// tagged is named for a decoder: whatever the package stores, the decoder
// may fill it too.
type tagged struct {
	Extra map[string]any `json:"extra"`
}

func newTagged() *tagged { return &tagged{Extra: map[string]any{"a": "b"}} }

func taggedExtra(t *tagged) string {
	return t.Extra["a"].(string) // want `t\.Extra\["a"\] \(an element of the document in field t\.Extra\)`
}

// decodedInto is filled by a decoder through a pointer passed as any.
type decodedInto struct{ Meta map[string]any }

func loadDecoded(b []byte) (string, error) {
	v := decodedInto{Meta: map[string]any{}}
	if err := json.Unmarshal(b, &v); err != nil {
		return "", err
	}
	return v.Meta["k"].(string), nil // want `v\.Meta\["k"\] \(an element of the document in field v\.Meta\)`
}

// A package-level store, a store through &x.F handed to a function of the
// package, and the struct handed on as an interface with methods do not
// let other code fill Payload.
var emptyResult = result{Payload: []any{""}}

func keep(p *[]any) int { return len(*p) }

type sizer interface{ size() int }

func (r *result) size() int { return keep(&r.Payload) }

func measure(s sizer) int { return s.size() }

func restWord() string {
	r := emptyResult
	measure(&r)
	return r.Payload[0].(string) // the package built every Payload
}

// ---- interface fields a struct tag names for an encoding ----

// IssueFields is filled from the tracker's JSON (fetchIssue decodes an
// Issue): Attrs holds what the server sent, wherever an Issue is read.
type IssueFields struct {
	Summary string `json:"summary"`
	Attrs   any    `json:"attrs"`
	Cached  any    `json:"-"`
	Handler any
}

type Issue struct {
	Key    string      `json:"key"`
	Fields IssueFields `json:"fields"`
}

func fetchIssue(r io.Reader) (*Issue, error) {
	var is Issue
	if err := json.NewDecoder(r).Decode(&is); err != nil {
		return nil, err
	}
	return &is, nil
}

func issueAttrs(is *Issue) map[string]any {
	return is.Fields.Attrs.(map[string]any) // want `is\.Fields\.Attrs \(a field its json tag fills from a document\)`
}

func issueCached(is *Issue) string {
	return is.Fields.Cached.(string) // json:"-": no decoder fills it, the caller's contract
}

func issueHandler(is *Issue) http.Handler {
	return is.Fields.Handler.(http.Handler) // untagged: the caller's contract
}

// Event is tagged to be encoded for the events API, and the package never
// decodes one: Data holds what the code logging the event put there.
type Event struct {
	Type string `json:"type"`
	Data any    `json:"data"`
}

func folder(ev Event) string {
	return ev.Data.(map[string]string)["folder"] // encoded as output only: the caller's contract
}

// groupMap loads a group, and loads again (LoadOrStore) into the same
// value and ok variables when it has to create one: a true loaded always
// comes from a load that found a stored *User.
type groupMap struct{ groups sync.Map }

func (g *groupMap) insert(fp string, fresh *User) *User {
	el, loaded := g.groups.Load(fp)
	if loaded {
		return el.(*User) // present, and only *User is stored
	}
	for {
		if loaded {
			if g.groups.CompareAndSwap(fp, el, fresh) {
				el.(*User).Name = "" // loaded is true only after a load that found a value
				return fresh
			}
			loaded = false
		} else {
			el, loaded = g.groups.LoadOrStore(fp, fresh)
			if !loaded {
				return fresh
			}
		}
	}
}

// A hand-set ok says nothing about the value.
func (g *groupMap) forced(fp string) *User {
	el, loaded := g.groups.Load(fp)
	if fp == "" {
		loaded = true
	}
	if loaded {
		return el.(*User) // want `type assertion el\.\(\*User\) panics if el \(loaded from sync\.Map\)`
	}
	return nil
}
