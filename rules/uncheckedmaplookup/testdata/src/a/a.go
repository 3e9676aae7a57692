// Package a holds the cases the unchecked-map-lookup rule reports and skips.
package a

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"sync"
)

type Session struct {
	User    string
	Expires int64
}

type Store struct {
	mu       sync.Mutex
	sessions map[string]*Session
	byTenant map[string]map[string]int
}

type Handler interface {
	Handle(args []string) error
}

var commands = map[string]Handler{}

// --- reported ---

// user dereferences a session looked up by a request value.
func (s *Store) User(r *http.Request) string {
	id := r.Header.Get("X-Session")
	return s.sessions[id].User // want `s.sessions\[id\] is nil when id is not in s.sessions, and the field access s.sessions\[id\].User then panics; check with v, ok := s.sessions\[id\]`
}

// Touch goes through a variable.
func (s *Store) Touch(id string, now int64) {
	sess := s.sessions[id] // want `s.sessions\[id\] is nil when id is not in s.sessions, and the field access sess.Expires then panics; check with sess, ok := s.sessions\[id\]`
	sess.Expires = now + 3600
}

// Count writes into a missing inner map.
func (s *Store) Count(tenant, metric string) {
	s.byTenant[tenant][metric]++ // want `s.byTenant\[tenant\] is nil when tenant is not in s.byTenant, and the write s.byTenant\[tenant\]\[metric\] then panics`
}

// Set writes into a missing inner map through a variable.
func (s *Store) Set(tenant, metric string, v int) {
	m := s.byTenant[tenant] // want `s.byTenant\[tenant\] is nil when tenant is not in s.byTenant, and the write m\[metric\] then panics`
	m[metric] = v
}

// Dispatch calls a handler for a user-chosen command.
func Dispatch(name string, args []string) error {
	return commands[name].Handle(args) // want `commands\[name\] is nil when name is not in commands, and the method call commands\[name\].Handle then panics`
}

var validators = map[string]func(string) error{}

// Validate calls a function value by a field name from input.
func Validate(field, value string) error {
	return validators[field](value) // want `validators\[field\] is nil when field is not in validators, and the call validators\[field\]\(...\) then panics`
}

type Node struct {
	Name     string
	Children []string
}

// Walk looks up child names from another collection.
func Walk(nodes map[string]*Node, root string) []string {
	var names []string
	for _, child := range nodes[root].Children { // want `nodes\[root\] is nil when root is not in nodes`
		names = append(names, nodes[child].Name) // want `nodes\[child\] is nil when child is not in nodes`
	}
	return names
}

// Expiry dereferences a pointer element.
func Expiry(times map[string]*int64, id string) int64 {
	return *times[id] // want `times\[id\] is nil when id is not in times, and the dereference \*times\[id\] then panics`
}

// Decode reads a decoded JSON document and passes a field on unchecked.
func Decode(body []byte, save func(any) error) error {
	var doc map[string]any
	if err := json.Unmarshal(body, &doc); err != nil {
		return err
	}
	return save(doc["id"]) // want `doc\["id"\] is nil when a document decoded by json\.Unmarshal has no "id" field, and the nil is passed to save as if it were present`
}

// record's parameter is a document from outside for one of its callers.
func record(doc map[string]any, save func(any) error) error {
	return save(doc["id"]) // want `doc\["id"\] is nil when the document passed as doc has no "id" field`
}

// Import passes a decoded document to record.
func Import(body []byte, save func(any) error) error {
	var doc map[string]any
	if err := json.Unmarshal(body, &doc); err != nil {
		return err
	}
	return record(doc, save)
}

// Settings asserts a field of a document that arrives as a parameter.
func Settings(raw map[string]any) map[string]any {
	return raw["database"].(map[string]any) // want `raw\["database"\] is nil when the document passed as raw has no "database" field, and the type assertion raw\["database"\]\.\(map\[string\]any\) then panics; use the two-value form of the assertion`
}

// Stats indexes a query parameter the client may not send.
func Stats(r *http.Request) string {
	return r.URL.Query()["code"][0] // want `r\.URL\.Query\(\)\["code"\] is nil when "code" is not in r\.URL\.Query\(\), and the index r\.URL\.Query\(\)\["code"\]\[0\] then panics`
}

// Runner is a registry: callers choose the kinds it holds.
type Runner struct{ handlers map[string]func() error }

// Register adds a handler under a caller's name.
func (r *Runner) Register(kind string, h func() error) { r.handlers[kind] = h }

type job struct{ kind string }

func (r *Runner) run(j *job) error {
	return r.handlers[j.kind]() // want `r\.handlers\[j\.kind\] is nil when j\.kind is not in r\.handlers, and the call r\.handlers\[j\.kind\]\(\.\.\.\) then panics`
}

// --- not reported ---

// emit's every caller builds the option bag it reads.
func emit(opts map[string]any, save func(any) error) error {
	return save(opts["kind"]) // the callers built opts
}

// Emit passes emit a document it built.
func Emit(save func(any) error) error {
	return emit(map[string]any{"kind": "event"}, save)
}

// A length check on the lookup proves the key present.
func Challenge(resp *http.Response) bool {
	return len(resp.Header["Www-Authenticate"]) == 1 && resp.Header["Www-Authenticate"][0] == "expired"
}

// A slice element kept in a variable: its length is unchecked-index's business.
func First(lists map[string][]string, k string) string {
	v := lists[k]
	return v[0]
}

// Comma-ok.
func (s *Store) Lookup(id string) (*Session, error) {
	sess, ok := s.sessions[id]
	if !ok {
		return nil, errors.New("no session")
	}
	return sess, nil
}

// A nil check on the variable.
func (s *Store) Expires(id string) int64 {
	sess := s.sessions[id]
	if sess == nil {
		return 0
	}
	return sess.Expires
}

// A nil check on the lookup itself.
func (s *Store) Name(id string) string {
	if s.sessions[id] != nil {
		return s.sessions[id].User
	}
	return ""
}

// Presence check with comma-ok before the use.
func (s *Store) Owner(id string) string {
	if _, ok := s.sessions[id]; !ok {
		return ""
	}
	return s.sessions[id].User
}

// Creating the inner map first.
func (s *Store) Add(tenant, metric string) {
	if s.byTenant[tenant] == nil {
		s.byTenant[tenant] = map[string]int{}
	}
	s.byTenant[tenant][metric]++
}

// Creating the inner map through a variable.
func (s *Store) Put(tenant, metric string, v int) {
	m := s.byTenant[tenant]
	if m == nil {
		m = map[string]int{}
		s.byTenant[tenant] = m
	}
	m[metric] = v
}

// Ranging over the same map: the key is present.
func (s *Store) Users() []string {
	var out []string
	for id := range s.sessions {
		out = append(out, s.sessions[id].User)
	}
	return out
}

// Harmless zero values, writes, append, len, range, set membership.
func Harmless(counts map[string]int, lists map[string][]string, seen map[string]bool, k string) int {
	counts[k]++
	counts[k] = counts[k] + 1
	lists[k] = append(lists[k], "x")
	for _, v := range lists[k] {
		_ = v
	}
	if seen[k] {
		return len(lists[k])
	}
	return counts[k]
}

// Reading from a missing inner map is harmless.
func (s *Store) Get(tenant, metric string) int {
	return s.byTenant[tenant][metric]
}

var builtin = map[string]*Node{"root": {Name: "root"}}

// A constant key into a table the package fills.
func Root() string { return builtin["root"].Name }

// Just inserted.
func Register(name string) *Node {
	nodes := map[string]*Node{}
	nodes[name] = &Node{Name: name}
	return &Node{Name: nodes[name].Name}
}

// Index built from the same collection in the same function.
func Parents(list []*Node) map[string]string {
	byName := map[string]*Node{}
	for _, n := range list {
		byName[n.Name] = n
	}
	out := map[string]string{}
	for _, n := range list {
		out[n.Name] = byName[n.Name].Name
	}
	return out
}

// A document field compared, or asserted with the two-value form.
func Title(body []byte) (string, error) {
	var doc map[string]any
	if err := json.Unmarshal(body, &doc); err != nil {
		return "", err
	}
	if doc["kind"] == "draft" {
		return "", nil
	}
	t, ok := doc["title"].(string)
	if !ok {
		return "", errors.New("no title")
	}
	return t, nil
}

// A document field checked before use.
func Checked(body []byte, save func(any) error) error {
	var doc map[string]any
	if err := json.Unmarshal(body, &doc); err != nil {
		return err
	}
	if doc["id"] == nil {
		return errors.New("missing id")
	}
	return save(doc["id"])
}

// Template data the package builds itself is not a decoded document.
func Render(user string, render func(any) error) error {
	data := map[string]any{"user": user}
	return render(data["user"])
}

// Suppressed with a reason.
func (s *Store) Admin() string {
	id := adminID()
	return s.sessions[id].User //failfast:ignore unchecked-map-lookup the admin session is created at startup
}

func adminID() string { return fmt.Sprint("admin") }

// Keys listed from the same map, in order.
func (s *Store) Sorted() []string {
	ids := make([]string, 0, len(s.sessions))
	for id := range s.sessions {
		ids = append(ids, id)
	}
	var out []string
	for _, id := range ids {
		out = append(out, s.sessions[id].User)
	}
	names := make([]string, len(s.sessions))
	i := 0
	for id := range s.sessions {
		names[i] = id
		i++
	}
	for _, id := range names {
		out = append(out, s.sessions[id].User)
	}
	for _, id := range sortedKeys(s.sessions) {
		out = append(out, s.sessions[id].User)
	}
	return out
}

func sortedKeys(m map[string]*Session) []string { // want sortedKeys:`keysOf\(0\)`
	return slices.Sorted(maps.Keys(m))
}

type graph struct {
	edges map[string]map[string]bool
	nodes map[string]*Node
	order []string
}

// Keys from the package's own state are invariants it maintains.
func (g *graph) addEdge(from, to string) {
	g.edges[from][to] = true
}

func (g *graph) names() []string {
	var out []string
	for _, n := range g.order {
		out = append(out, g.nodes[n].Name)
	}
	return out
}

// A document field kept in a local variable is judged where it is used:
// here it is nil-checked.
func Arguments(body []byte) (any, error) {
	var spec map[string]any
	if err := json.Unmarshal(body, &spec); err != nil {
		return nil, err
	}
	value := spec["arguments"]
	if value == nil {
		value = map[string]any{}
	}
	return value, nil
}

type Event struct{ Payload any }

// Stored into a struct field unchecked.
func ToEvent(body []byte) (*Event, error) {
	var doc map[string]any
	if err := json.Unmarshal(body, &doc); err != nil {
		return nil, err
	}
	return &Event{Payload: doc["payload"]}, nil // want `doc\["payload"\] is nil when a document decoded by json\.Unmarshal has no "payload" field, and the nil is stored`
}

// DSN formats fields into data: a missing one becomes "%!s(<nil>)".
func DSN(db map[string]any) string {
	return fmt.Sprintf("postgres://%s@%s", db["user"], db["host"]) // want `db\["user"\] is nil when the document passed as db has no "user" field, and the nil is passed to fmt\.Sprintf as if it were present` `db\["host"\] is nil`
}

// Describe only tells a person about the fields: an error message, a %T.
func Describe(db map[string]any) error {
	if _, ok := db["port"].(float64); !ok {
		return fmt.Errorf("port must be a number, got %v", db["port"])
	}
	panic(fmt.Sprintf("user is %T, want string", db["user"]))
}

// Ref passes a field to a helper of the package that tests it for nil and
// for its type: the helper handles a missing field.
func Ref(event map[string]any) string {
	return asString(event["ref"])
}

func asString(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	return ""
}

// Print shows the fields to the person at the terminal: a nil prints as
// %!s(<nil>) where it is read, as in a log line.
func Print(info map[string]any) {
	fmt.Printf("### %s: %s\n", info["Path"], info["Title"])
	fmt.Println(info["Help"])
	fmt.Fprintf(os.Stderr, "%v\n", info["Note"])
}

// RenderInfo writes the field into a response: data, not a message.
func RenderInfo(w io.Writer, info map[string]any) {
	fmt.Fprintf(w, "<h1>%s</h1>", info["Title"]) // want `info\["Title"\] is nil when the document passed as info has no "Title" field, and the nil is passed to fmt\.Fprintf as if it were present`
}

// Sign reads a header the program set itself: net/http never parses a
// header name into the non-canonical "X-Akamai-ACS-Action", only a direct
// store does.
func (s *signer) Sign(req *http.Request) string {
	return req.Header["X-Akamai-ACS-Action"][0]
}

type signer struct{}

// Auth reads a canonical header name, which a client may not send.
func (s *signer) Auth(req *http.Request) string {
	return req.Header["Authorization"][0] // want `req\.Header\["Authorization"\] is nil when "Authorization" is not in req\.Header, and the index req\.Header\["Authorization"\]\[0\] then panics`
}

// Sales keys a table by a part of the file names a directory walk yields:
// the file system decides them.
type Sales struct{ Revenue map[string]map[string]float64 }

func (s *Sales) Walk(root string) error {
	return filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		region, _, _ := strings.Cut(d.Name(), "_")
		s.Revenue[region]["total"] += 1 // want `s\.Revenue\[region\] is nil when region is not in s\.Revenue, and the write s\.Revenue\[region\]\["total"\] then panics`
		return nil
	})
}

// List does the same with the entries of os.ReadDir.
func (s *Sales) List(dir string) {
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		s.Revenue[e.Name()]["total"]++ // want `s\.Revenue\[e\.Name\(\)\] is nil when e\.Name\(\) is not in s\.Revenue`
	}
}

// An equality function compares, like ==: a missing field is an answer.
func unchanged(body []byte, want map[string]any) (bool, error) {
	var doc map[string]any
	if err := json.Unmarshal(body, &doc); err != nil {
		return false, err
	}
	return reflect.DeepEqual(want, doc["data"]), nil
}

// A helper of the module that lists a map's keys: its keys are in the map.
func sortedKinds[T any](m map[string]T) []string { // want sortedKinds:`keysOf\(0\)`
	kinds := make([]string, 0, len(m))
	for k := range m {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	return kinds
}

func (r *Runner) runAll() {
	handlers := r.handlers
	for _, kind := range sortedKinds(handlers) {
		_ = r.handlers[kind]() // handlers holds r.handlers, whose keys these are
	}
	kinds := sortedKinds(r.handlers)
	for _, kind := range kinds {
		_ = r.handlers[kind]()
	}
}

// A helper that adds a key of its own lists more than the map's keys.
func kindsAndDefault(m map[string]func() error) []string {
	kinds := []string{"default"}
	for k := range m {
		kinds = append(kinds, k)
	}
	return kinds
}

// A helper whose name says keys proves nothing about the list it returns.
func keysOfAll(m map[string]func() error, extra []string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return append(out, extra...)
}

func (r *Runner) runListed(extra []string) {
	for _, kind := range kindsAndDefault(r.handlers) {
		_ = r.handlers[kind]() // want `r\.handlers\[kind\] is nil when kind is not in r\.handlers`
	}
	for _, kind := range keysOfAll(r.handlers, extra) {
		_ = r.handlers[kind]() // want `r\.handlers\[kind\] is nil when kind is not in r\.handlers`
	}
}

// Keys stored into a list made as long as the map, ordered by a second
// table, and keys collected by the standard library, then sorted.
func orderedKinds(m map[string]func() error) []string { // want orderedKinds:`keysOf\(0\)`
	kinds := make([]string, len(m))
	rank := make(map[string]int, len(m))
	i := 0
	for k := range m {
		kinds[i], rank[k] = k, len(k)
		i++
	}
	slices.SortFunc(kinds, func(a, b string) int { return rank[a] - rank[b] })
	return kinds
}

func collectedKinds(m map[string]func() error) []string { // want collectedKinds:`keysOf\(0\)`
	kinds := slices.Collect(maps.Keys(m))
	slices.Sort(kinds)
	return kinds
}

// Appended after make with a length: the list starts with empty names.
func paddedKinds(m map[string]func() error) []string {
	kinds := make([]string, len(m))
	for k := range m {
		kinds = append(kinds, k)
	}
	return kinds
}

func (r *Runner) runOrdered() {
	for _, kind := range orderedKinds(r.handlers) {
		_ = r.handlers[kind]()
	}
	for _, kind := range collectedKinds(r.handlers) {
		_ = r.handlers[kind]()
	}
	for _, kind := range paddedKinds(r.handlers) {
		_ = r.handlers[kind]() // want `r\.handlers\[kind\] is nil when kind is not in r\.handlers`
	}
}
