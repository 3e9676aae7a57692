package a

import (
	"container/list"
	"context"
	"errors"
	"flag"
	"fmt"
	"go/types"
	"net/http"
	"runtime"

	"b"
)

type User struct {
	ID   string
	Name string
}

type Store struct {
	users []*User
	byID  map[string]*User
}

// Find returns the user with the id, or nil.
func (s *Store) Find(id string) *User { // want Find:`mayNil\[0\]`
	for _, u := range s.users {
		if u.ID == id {
			return u
		}
	}
	return nil
}

// Lookup returns a map element: nil for a missing id.
func (s *Store) Lookup(id string) *User { // want Lookup:`mayNil\[0\]`
	return s.byID[id]
}

// Load returns nil, nil for a missing id: the caller's err check does not
// protect it.
func (s *Store) Load(id string) (*User, error) { // want Load:`mayNil\[0\]`
	if id == "" {
		return nil, errors.New("empty id")
	}
	u, ok := s.byID[id]
	if !ok {
		return nil, nil
	}
	return u, nil
}

// Fetch returns nil only with an error.
func (s *Store) Fetch(id string) (*User, error) {
	u, ok := s.byID[id]
	if !ok {
		return nil, fmt.Errorf("no user %q", id)
	}
	return u, nil
}

// Get announces a miss with ok.
func (s *Store) Get(id string) (*User, bool) {
	u, ok := s.byID[id]
	if !ok {
		return nil, false
	}
	return u, true
}

// First forwards Find.
func (s *Store) First() *User { // want First:`mayNil\[0\]`
	return s.Find("first")
}

// Best holds nil until the loop finds one.
func (s *Store) Best() *User { // want Best:`mayNil\[0\]`
	var best *User
	for _, u := range s.users {
		if best == nil || u.Name < best.Name {
			best = u
		}
	}
	return best
}

// Either sets its result on every path.
func (s *Store) Either(admin bool) *User { // want Either:`nilSafe`
	var u *User
	if admin {
		u = &User{Name: "admin"}
	} else {
		u = &User{Name: "guest"}
	}
	return u
}

// New never returns nil.
func New() *Store { return &Store{byID: map[string]*User{}} }

type Handler func(args []string) error

var handlers = map[string]Handler{}

func handlerFor(name string) Handler { // want handlerFor:`mayNil\[0\]`
	return handlers[name]
}

func section(cfg map[string]map[string]string, name string) map[string]string { // want section:`mayNil\[0\]`
	return cfg[name]
}

// --- reported ---

func hello(w http.ResponseWriter, r *http.Request, s *Store) {
	u := s.Find(r.PathValue("id"))
	fmt.Fprintf(w, "hello %s", u.Name) // want `u is used as if it were not nil, but Find returns nil at a.go:33`
}

func direct(s *Store) string {
	return s.Lookup("x").Name // want `the result of Lookup\(...\) is used as if it were not nil`
}

func afterErrCheck(s *Store, id string) (string, error) {
	u, err := s.Load(id)
	if err != nil {
		return "", err
	}
	return u.Name, nil // want `u is used as if it were not nil, but Load returns nil`
}

func forwarded(s *Store) string {
	u := s.First()
	return u.ID // want `u is used as if it were not nil, but First`
}

func loopResult(s *Store) string {
	return s.Best().Name // want `Best`
}

func callFunc(args []string) error {
	return handlerFor(args[0])(args[1:]) // want `handlerFor`
}

func storeInto(cfg map[string]map[string]string) {
	section(cfg, "db")["host"] = "localhost" // want `section`
}

func crossPackage(sh *b.Shelf) {
	sh.Get("hammer").Rename("mallet") // want `Get`
}

func flagValue() string {
	return flag.Lookup("v").Value.String() // want `Lookup`
}

// The universe is fixed by the language: a lookup of a constant
// predeclared name is known not to miss; another name, or one not known
// here, may.
func universeTypes(name string) (types.Type, types.Type, types.Type) {
	return types.Universe.Lookup("error").Type(),
		types.Universe.Lookup("nosuch").Type(), // want `Lookup`
		types.Universe.Lookup(name).Type() // want `Lookup`
}

// callerName names the function at pc: (*runtime.Func).Name answers "" for
// a nil Func (here by runtime's fact; in check, which has no facts for the
// standard library, by the nil-safe list).
func callerName(pc uintptr) string {
	return runtime.FuncForPC(pc).Name()
}

func inClosure(s *Store, ids []string) []string {
	var out []string
	each(ids, func(id string) {
		u := s.Find(id)
		out = append(out, u.Name) // want `u is used`
	})
	return out
}

func notUnderCheck(s *Store, id string) string {
	u := s.Find(id)
	if u != nil {
		fmt.Println("found")
	}
	return u.Name // want `u is used`
}

// --- not reported ---

func checked(s *Store, id string) string {
	u := s.Find(id)
	if u == nil {
		return ""
	}
	return u.Name
}

func checkedInline(s *Store, id string) string {
	if u := s.Find(id); u != nil {
		return u.Name
	}
	return ""
}

func checkedAnd(s *Store, id string) bool {
	u := s.Find(id)
	return u != nil && u.Name != ""
}

func errAnnounced(s *Store, id string) (string, error) {
	u, err := s.Fetch(id)
	if err != nil {
		return "", err
	}
	return u.Name, nil
}

func okAnnounced(s *Store, id string) string {
	u, ok := s.Get(id)
	if !ok {
		return ""
	}
	return u.Name
}

func neverNil(s *Store) string {
	return s.Either(true).Name
}

func passedOn(s *Store, id string) {
	u := s.Find(id)
	show(u)
}

func compared(s *Store, a, b string) bool {
	return s.Find(a) == s.Find(b)
}

func returned(s *Store, id string) *User { // want returned:`mayNil\[0\]`
	return s.Find(id)
}

func nilSafeMethod(sh *b.Shelf) string {
	return sh.Get("hammer").Label()
}

func placeholder(sh *b.Shelf) string {
	return sh.Must("hammer").Name
}

func reassigned(s *Store, id string) string {
	u := s.Find(id)
	if u == nil {
		u = &User{Name: "anonymous"}
	}
	return u.Name
}

func givenAnother(s *Store, id string) string {
	u := s.Find(id)
	show(u)
	u = &User{Name: "x"}
	return u.Name
}

func loop(s *Store) {
	for u := s.First(); u != nil; u = s.Find(u.ID + "+") {
		fmt.Println(u.Name)
	}
}

func readMap(cfg map[string]map[string]string) string {
	return section(cfg, "db")["host"] // reading a nil map gives ""
}

func ignored(s *Store, id string) string {
	u := s.Find(id)
	//failfast:ignore unchecked-nil-result the id comes from the index
	return u.Name
}

func show(u *User) {}

func each(ids []string, f func(string)) {
	for _, id := range ids {
		f(id)
	}
}

// Copy returns nil only for a nil user: the caller's own nil.
func (u *User) Copy() *User { // want Copy:`nilSafe`
	if u == nil {
		return nil
	}
	c := *u
	return &c
}

func copied(u User) string {
	return u.Copy().Name
}

// mustFind ends every case of its switch: the return after it is never
// reached.
func mustFind(s *Store, kind string) *User {
	switch kind {
	case "admin":
		return &User{Name: "admin"}
	default:
		panic("unknown kind " + kind)
	}
	return nil
}

func mustFound(s *Store) string {
	return mustFind(s, "admin").Name
}

// held dereferences u before it returns it: past u.Name, u is not nil.
func held(s *Store, id string) (*User, error) {
	u, err := s.Load(id)
	if err != nil {
		return nil, err
	}
	if u.Name == "" { // want `u is used as if it were not nil, but Load`
		return nil, errors.New("unnamed")
	}
	return u, nil
}

func heldName(s *Store, id string) string {
	u, err := held(s, id)
	if err != nil {
		return ""
	}
	return u.Name
}

// decodeUser fills its named result through a pointer: out of view.
func decodeUser(data []byte) (u *User, err error) {
	err = decodeInto(data, &u)
	if err != nil {
		return nil, err
	}
	return u, nil
}

func decodedName(data []byte) string {
	u, err := decodeUser(data)
	if err != nil {
		return ""
	}
	return u.Name
}

func decodeInto(data []byte, v any) error { return nil }

// cached fills its result in an if's init, and on a miss in its body.
func (s *Store) cached(id string) (u *User) {
	var ok bool
	if u, ok = s.byID[id]; !ok {
		u = &User{ID: id}
		s.byID[id] = u
	}
	return u
}

func cachedName(s *Store, id string) string {
	return s.cached(id).Name
}

// lookupFound announces a miss with its found result, beside a nil error.
func (s *Store) lookupFound(id string) (*User, bool, error) {
	u, ok := s.byID[id]
	if !ok {
		return nil, false, nil
	}
	return u, true, nil
}

func foundName(s *Store, id string) (string, error) {
	u, found, err := s.lookupFound(id)
	if err != nil || !found {
		return "", err
	}
	return u.Name, nil
}

// scan sets its result in a callback: out of view.
func (s *Store) scan(name string) (found *User, err error) {
	each(nil, func(id string) {
		if u := s.byID[id]; u != nil && u.Name == name {
			found = u
		}
	})
	if found == nil {
		return nil, errors.New("not found")
	}
	return found, nil
}

// LocalizedError is an error type of the package's own.
type LocalizedError struct{ Key string }

func (e *LocalizedError) Error() string { return e.Key }

// create announces its nil with an error of its own type.
func (s *Store) create(name string) (*User, *LocalizedError) { // want create:`nilSafe`
	if name == "" {
		return nil, &LocalizedError{Key: "error.empty_name"}
	}
	return &User{Name: name}, nil
}

func created(s *Store, name string) string {
	u, lerr := s.create(name)
	if lerr != nil {
		return lerr.Error()
	}
	return u.Name
}

// idle returns a nil channel when there is no timeout: a select case on it
// is never chosen.
func idle(on bool) <-chan struct{} { // want idle:`mayNil\[0\]`
	if !on {
		return nil
	}
	return make(chan struct{})
}

func wait(on bool, done <-chan struct{}) {
	select {
	case <-idle(on):
	case <-done:
	}
}

func waitOnly(on bool) {
	<-idle(on) // want `the result of idle\(...\) is used as if it were not nil`
}

// The same call checked just before is the same value: not reported.
func checkedCallAgain(s *Store) string {
	if s.First() != nil {
		return s.First().Name
	}
	if s.Lookup("a") != nil && s.Lookup("a").ID != "" {
		return s.Lookup("a").ID
	}
	return ""
}

// Another call, another argument, or a receiver given a new value in
// between: reported.
func checkedOtherCall(s *Store, other *Store) string {
	if s.Lookup("a") != nil {
		_ = s.Lookup("b").Name     // want `Lookup`
		_ = other.Lookup("a").Name // want `Lookup`
		s = other
		return s.Lookup("a").Name // want `Lookup`
	}
	return ""
}

// A map element returned after its own check, or after a value was stored
// into it, is there: neither function may return nil.
type registry struct{ byName map[string]*User }

func (r *registry) ensure(name string) *User {
	if u, ok := r.byName[name]; ok {
		return u
	}
	r.byName[name] = &User{ID: name}
	return r.byName[name]
}

func (r *registry) known(name string) *User {
	if _, ok := r.byName[name]; !ok {
		r.byName[name] = New().First()
		return &User{}
	}
	return r.byName[name]
}

func useRegistry(r *registry) string {
	return r.ensure("a").Name + r.known("b").Name
}

// Kind sets its result in every case of a switch whose default ends.
func Kind(k string) (*User, error) {
	var u *User
	switch k {
	case "admin":
		u = &User{Name: "admin"}
	case "guest":
		u = &User{Name: "guest"}
	default:
		return nil, errors.New("unknown kind")
	}
	return u, nil
}

// KindOrNil has no default: an unknown kind leaves u nil.
func KindOrNil(k string) (*User, error) { // want KindOrNil:`mayNil\[0\]`
	var u *User
	switch k {
	case "admin":
		u = &User{Name: "admin"}
	}
	return u, nil
}

func kindNames(k string) (string, string) {
	a, err := Kind(k)
	if err != nil {
		return "", ""
	}
	b, err := KindOrNil(k)
	if err != nil {
		return "", ""
	}
	return a.Name, b.Name // want `b is used as if it were not nil, but KindOrNil returns nil`
}

// --- a length check that proves the result ---

// lastOption gives nil for an empty list of names: the range may not run.
func lastOption(names []string) *User { // want lastOption:`mayNil\[0\]`
	var last *User
	for _, n := range names {
		last = &User{Name: n}
	}
	return last
}

func lastName(names []string) string {
	u := lastOption(names)
	return u.Name // want `u is used as if it were not nil, but lastOption returns nil`
}

// firstOption rejects an empty list first: the range runs, and sets first.
func firstOption(names []string) (*User, error) {
	if len(names) == 0 {
		return nil, errors.New("no names")
	}
	var first *User
	for _, n := range names {
		first = &User{Name: n}
	}
	return first, nil
}

func firstName(names []string) string {
	u, err := firstOption(names)
	if err != nil {
		return ""
	}
	return u.Name
}

func newest(l *list.List) *User { // want newest:`mayNil\[0\]`
	if l.Len() > 0 {
		return l.Back().Value.(*User) // Back is nil only for an empty list
	}
	return nil
}

func oldest(l *list.List) any {
	return l.Front().Value // want `the result of Front\(...\) is used as if it were not nil`
}

// --- context accessors ---

type ctxKey struct{}

// UserFrom returns the user the auth middleware stored: whether it is there
// depends on how the handler is mounted, not on the request.
func UserFrom(ctx context.Context) *User {
	if u, ok := ctx.Value(ctxKey{}).(*User); ok {
		return u
	}
	return nil
}

func greet(w http.ResponseWriter, r *http.Request) {
	fmt.Fprintf(w, "hello %s", UserFrom(r.Context()).Name) // the middleware's business
}

// ProfileFrom looks the user up in the store: its nil is a miss of the
// store, which depends on the request.
func ProfileFrom(ctx context.Context, s *Store) *User { // want ProfileFrom:`mayNil\[0\]`
	id, ok := ctx.Value(ctxKey{}).(string)
	if !ok {
		return nil
	}
	return s.Find(id)
}

func profile(w http.ResponseWriter, r *http.Request, s *Store) {
	fmt.Fprintf(w, "hello %s", ProfileFrom(r.Context(), s).Name) // want `the result of ProfileFrom\(...\) is used as if it were not nil`
}

// SessionFrom returns the request's session, or nil for anonymous requests:
// the author says nil is an answer.
func SessionFrom(ctx context.Context) *User { // want SessionFrom:`mayNil\[0\]`
	u, _ := ctx.Value(ctxKey{}).(*User)
	return u
}

func whoami(w http.ResponseWriter, r *http.Request) {
	fmt.Fprintf(w, "you are %s", SessionFrom(r.Context()).Name) // want `the result of SessionFrom\(...\) is used as if it were not nil`
}
