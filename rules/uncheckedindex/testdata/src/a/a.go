// Package a holds the cases the unchecked-index rule reports and skips.
package a

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// --- reported ---

// ParseHeaderLine is the classic: a "key=value" line without "=" panics.
func ParseHeaderLine(line string) (string, string) {
	parts := strings.Split(line, "=")
	return parts[0], parts[1] // want `parts\[1\] panics when strings.Split\(line, "="\) returns fewer than 2 elements, which depends on its input; check len\(parts\) first`
}

// loadConfig reads "key: value" lines; the check logs but does not stop.
func loadConfig(r io.Reader) map[string]string {
	cfg := map[string]string{}
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		kv := strings.SplitN(sc.Text(), ":", 2)
		if len(kv) < 2 {
			fmt.Println("bad line")
		}
		cfg[strings.TrimSpace(kv[0])] = strings.TrimSpace(kv[1]) // want `kv\[1\] panics when strings.SplitN`
	}
	return cfg
}

// FirstWord panics on a blank line: Fields returns an empty slice.
func FirstWord(line string) string {
	return strings.Fields(line)[0] // want `strings.Fields\(line\)\[0\] panics when strings.Fields\(line\) returns fewer than 1 elements`
}

// main-like argument handling without a usage check.
func runCLI() {
	cmd := os.Args[1] // want `os.Args\[1\] panics when os.Args returns fewer than 2 elements`
	fmt.Println(cmd)
}

// positional flag arguments, through a slice.
func runFlags() {
	flag.Parse()
	args := flag.Args()
	src, dst := args[0], args[1] // want `args\[0\] panics when flag.Args\(\) returns fewer than 1` `args\[1\] panics when flag.Args\(\) returns fewer than 2`
	fmt.Println(src, dst)
}

// the slice of os.Args is as long as the input decides.
func subcommand() string {
	rest := os.Args[1:]
	return rest[0] // want `rest\[0\] panics when os.Args returns fewer than 2 elements`
}

var versionRE = regexp.MustCompile(`v(\d+)\.(\d+)`)

// VersionOf panics when the string does not match.
func VersionOf(s string) string {
	m := versionRE.FindStringSubmatch(s)
	return m[1] // want `m\[1\] panics when versionRE.FindStringSubmatch\(s\) finds no match \(it returns nil\); check m != nil first`
}

// userHandler reads a query parameter by index.
func userHandler(w http.ResponseWriter, r *http.Request) {
	id := r.URL.Query()["id"][0]          // want `r.URL.Query\(\)\["id"\]\[0\] panics when "id" is missing or empty in the url.Values; check len\(r.URL.Query\(\)\["id"\]\) first`
	token := r.Header["Authorization"][0] // want `panics when "Authorization" is missing or empty in the http.Header`
	fmt.Fprintln(w, id, token)
}

// importCSV assumes every record has three columns.
func importCSV(r io.Reader) error {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		fmt.Println(rec[0], rec[2]) // want `rec\[2\] panics when cr.Read\(\) returns fewer than 3 elements`
	}
}

// header of an empty file.
func csvHeader(r io.Reader) ([]string, error) {
	rows, err := csv.NewReader(r).ReadAll()
	if err != nil {
		return nil, err
	}
	for _, row := range rows[1:] {
		fmt.Println(row[1]) // want `row\[1\] panics when`
	}
	return rows[0], nil // want `rows\[0\] panics when`
}

// the guard checks the wrong length.
func WrongGuard(line string) string {
	parts := strings.Split(line, ",")
	if len(parts) < 2 {
		return ""
	}
	return parts[2] // want `parts\[2\] panics`
}

// a reassignment after the check makes the check moot.
func Reassigned(a, b string) string {
	parts := strings.Split(a, ",")
	if len(parts) != 2 {
		return ""
	}
	parts = strings.Split(b, ",")
	return parts[1] // want `parts\[1\] panics`
}

func BytesFields(line []byte) []byte {
	return bytes.Fields(line)[1] // want `bytes.Fields\(line\)\[1\] panics`
}

// --- not reported ---

// Split with a separator always returns at least one element.
func hostOnly(hostport string) string {
	return strings.Split(hostport, ":")[0]
}

// SplitN(_, _, 2)[0] likewise.
func keyOnly(line string) string {
	return strings.SplitN(line, "=", 2)[0]
}

// os.Args[0] is the program name.
func progName() string { return os.Args[0] }

// An early return on the length.
func ParsePair(s string) (string, string, error) {
	parts := strings.SplitN(s, "=", 2)
	if len(parts) != 2 {
		return "", "", fmt.Errorf("bad pair %q", s)
	}
	return parts[0], parts[1], nil
}

// A loop continue on the length.
func parseLines(lines []string) map[string]string {
	out := map[string]string{}
	for _, l := range lines {
		f := strings.Fields(l)
		if len(f) < 2 {
			continue
		}
		out[f[0]] = f[1]
	}
	return out
}

// && guard in the same condition.
func isComment(line string) bool {
	parts := strings.Fields(line)
	return len(parts) > 1 && parts[1] == "//"
}

// switch on the length.
func hostPort(s string) (string, string) {
	parts := strings.Split(s, ":")
	switch len(parts) {
	case 2:
		return parts[0], parts[1]
	case 3:
		return parts[0] + ":" + parts[1], parts[2]
	default:
		return s, ""
	}
}

// Usage check through flag.NArg.
func runCopy() {
	flag.Parse()
	if flag.NArg() < 2 {
		fmt.Fprintln(os.Stderr, "usage: copy src dst")
		os.Exit(2)
	}
	args := flag.Args()
	fmt.Println(args[0], args[1])
}

// Usage check on os.Args before slicing it.
func runSub() {
	if len(os.Args) < 3 {
		os.Exit(2)
	}
	args := os.Args[1:]
	fmt.Println(args[0], args[1])
}

// A nil check on a submatch.
func majorOf(s string) string {
	if m := versionRE.FindStringSubmatch(s); m != nil {
		return m[1]
	}
	return ""
}

// A match check before the find.
func minorOf(s string) string {
	if !versionRE.MatchString(s) {
		return ""
	}
	return versionRE.FindStringSubmatch(s)[2]
}

// A match check before FindAll: at least one match, unless n is 0.
func SocketPath(s string) string {
	if !versionRE.MatchString(s) {
		return ""
	}
	m := versionRE.FindAllStringSubmatch(s, 1)
	return m[0][1]
}

func SocketPaths(s, t string) string {
	if !versionRE.MatchString(s) {
		return ""
	}
	m := versionRE.FindAllStringSubmatch(t, -1)
	return m[0][1] // want `m\[0\] panics`
}

// Contains guarantees two elements.
func value(line string) string {
	if !strings.Contains(line, "=") {
		return ""
	}
	return strings.SplitN(line, "=", 2)[1]
}

// Splitting a constant: the author can count.
var defaultPorts = strings.Split("80,443", ",")[1]

// Presence check on a query parameter.
func pageHandler(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if len(q["page"]) == 0 {
		http.Error(w, "missing page", http.StatusBadRequest)
		return
	}
	fmt.Fprintln(w, q["page"][0])
	if q.Has("sort") {
		fmt.Fprintln(w, q["sort"][0])
	}
}

// Padding the slice in the guard branch.
func padded(line string) string {
	parts := strings.SplitN(line, " ", 2)
	if len(parts) < 2 {
		parts = append(parts, "")
	}
	return parts[1]
}

// Suppressed with a reason.
func suppressed(line string) string {
	parts := strings.Split(line, "|")
	return parts[1] //failfast:ignore unchecked-index lines come from our own writer
}

// A loop whose condition is the length.
func pairs(s string) []string {
	var out []string
	rest := strings.Fields(s)
	for len(rest) >= 2 {
		out = append(out, rest[0]+"="+rest[1])
		rest = rest[2:]
	}
	return out
}

// A tagless switch as the guard.
func kind(line string) string {
	f := strings.Fields(line)
	switch {
	case len(f) == 0:
		return "empty"
	case len(f) > 2:
		return f[2]
	}
	return f[0]
}

// Parameters are not tracked: the caller decided their length.
func handleArgs(args []string) string { return args[0] }

// A switch whose cases cover the short lengths.
func splitURL(path string) (string, string) {
	x := strings.Split(path, "//")
	switch len(x) {
	case 0:
		return "", ""
	case 1:
		return x[0], ""
	default:
		return x[0], x[1]
	}
}

// Environment entries always contain "=".
func environ() map[string]string {
	m := map[string]string{}
	for _, e := range os.Environ() {
		kv := strings.SplitN(e, "=", 2)
		m[kv[0]] = kv[1]
	}
	return m
}

// Every caller checks for the separator first.
func parseVars(args []string) map[string]string {
	vars := map[string]string{}
	for _, arg := range args {
		if !strings.Contains(arg, "=") {
			continue
		}
		name, value := splitVar(arg)
		vars[name] = value
	}
	return vars
}

func splitVar(s string) (string, string) {
	pair := strings.SplitN(s, "=", 2)
	return pair[0], pair[1]
}

// One caller does not check: reported.
func splitOpt(s string) (string, string) {
	pair := strings.SplitN(s, "=", 2)
	return pair[0], pair[1] // want `pair\[1\] panics`
}

func UseOpts(opts []string) {
	for _, o := range opts {
		if strings.Contains(o, "=") {
			fmt.Println(splitOpt(o))
		}
	}
	fmt.Println(splitOpt(opts[0]))
}

// A trimmed, non-empty line has a first field.
func directive(line string) string {
	line = strings.TrimSpace(line)
	if line == "" || strings.HasPrefix(line, "#") {
		return ""
	}
	return strings.Fields(line)[0]
}

// An untrimmed non-empty line may be all spaces.
func DirectiveUntrimmed(line string) string {
	if line == "" {
		return ""
	}
	return strings.Fields(line)[0] // want `panics`
}

// SplitN(_, _, 2) has one element, so != 1 means two.
func pkgFile(arg string) (string, string) {
	parts := strings.SplitN(arg, "=", 2)
	if len(parts) == 1 {
		return "main", arg
	} else {
		return parts[0], parts[1]
	}
}

func fatalf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, format, args...)
	xexit(2)
}

func xexit(n int) { os.Exit(n) }

// A helper that never returns ends the branch.
func version(line string) string {
	f := strings.Fields(line)
	if len(f) != 2 {
		fatalf("bad line %q", line)
	}
	return f[1]
}

// exit is the seam a CLI keeps for its tests: every value the package gives
// it ends the process, so a call of it ends the branch.
var exit = os.Exit

func resetExit() {
	exit = func(code int) {
		fmt.Fprintln(os.Stderr, "exiting")
		os.Exit(code)
	}
}

// fail ends in an if/else whose branches both call exit.
func fail(err error, msg string) {
	fmt.Fprintln(os.Stderr, msg)
	if err != nil {
		exit(1)
	} else {
		exit(2)
	}
}

func firstArg() string {
	args := flag.Args()
	if len(args) == 0 {
		fail(nil, "need an argument")
	}
	return args[0]
}

// warnExit may return early, so its call does not end the branch.
func warnExit(quiet bool) {
	if quiet {
		return
	}
	os.Exit(1)
}

func firstArgQuiet(quiet bool) string {
	args := flag.Args()
	if len(args) == 0 {
		warnExit(quiet)
	}
	return args[0] // want `args\[0\]`
}

// hook may be set to a function that returns.
var hook = os.Exit

func setHook() { hook = func(int) {} }

func firstArgHook() string {
	args := flag.Args()
	if len(args) == 0 {
		hook(2)
	}
	return args[0] // want `args\[0\]`
}

var importRE = regexp.MustCompile(`^import (\w+ )?"(.*)"$`)
var importBlockRE = regexp.MustCompile(`^\s*(\w+ )?"(.*)"$`)

// Both branches set and check the match.
func importPath(line string, inBlock bool) string {
	var m []string
	if !inBlock {
		m = importRE.FindStringSubmatch(line)
		if m == nil {
			fatalf("invalid import declaration: %q", line)
		}
	} else {
		m = importBlockRE.FindStringSubmatch(line)
		if m == nil {
			return ""
		}
	}
	return m[2]
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: tool cmd")
	flag.PrintDefaults()
}

// A usage call in the guard means to stop there.
func runTool() {
	flag.Parse()
	args := flag.Args()
	if len(args) < 1 {
		usage()
	}
	fmt.Println(args[0])
}

// An unexported helper fed with file lines: the lines are input.
func loadLabels(r io.Reader) []string {
	var out []string
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		out = append(out, labelValue(sc.Text()))
	}
	return out
}

func labelValue(chunk string) string {
	split := strings.Split(chunk, ":")
	return split[1] // want `split\[1\] panics`
}

type node struct{}

// Splitting a string the program formats itself is an invariant.
func typeName(n *node) string {
	return strings.Split(fmt.Sprintf("%T", n), ".")[1]
}

type platform struct{ goos, goarch string }

var platforms = map[string]bool{"linux/amd64": true, "darwin/arm64": true}

// Splitting keys of a fixed table is an invariant.
func listPlatforms() []platform {
	var out []platform
	for p := range platforms {
		f := strings.Split(p, "/")
		out = append(out, platform{f[0], f[1]})
	}
	return out
}

// Count guarantees the number of separators.
func ParseResourceArg(arg string) (string, string, string) {
	if strings.Count(arg, ".") >= 2 {
		s := strings.SplitN(arg, ".", 3)
		return s[0], s[1], s[2]
	}
	return arg, "", ""
}

// A prefix that contains the separator.
func CaseArgs() []string {
	var out []string
	for _, a := range os.Args {
		if strings.HasPrefix(a, "case=") {
			parts := strings.Split(a, "=")
			out = append(out, parts[1])
		}
	}
	return out
}

var statRE = regexp.MustCompile(`(\w+):\s+(\d+)`)

// FindAll returns nil or at least one match.
func Stats(resp []byte) []string {
	matches := statRE.FindAllStringSubmatch(string(resp), -1)
	if matches == nil {
		return nil
	}
	return matches[0][1:]
}

// ...but a nil check does not give two.
func TwoStats(resp []byte) []string {
	matches := statRE.FindAllStringSubmatch(string(resp), -1)
	if matches == nil {
		return nil
	}
	return matches[1] // want `matches\[1\] panics`
}

// ContainsRune of the separator.
func CacheControl(h http.Header) map[string]string {
	cc := map[string]string{}
	for _, part := range strings.Split(h.Get("Cache-Control"), ",") {
		if strings.ContainsRune(part, '=') {
			kv := strings.Split(part, "=")
			cc[kv[0]] = kv[1]
		}
	}
	return cc
}

// a disjunctive guard in a loop over csv rows: when it fails, i != 0 and
// len(rec) >= 4, so every index up to 3 is safe.
func csvRowsDisjunction(r io.Reader) []string {
	recs, _ := csv.NewReader(r).ReadAll()
	var out []string
	for i, rec := range recs {
		if i == 0 || len(rec) < 4 {
			continue
		}
		out = append(out, rec[2], rec[3])
	}
	return out
}

// an exact-length guard with a return, in a loop over csv rows.
func csvRowsExact(r io.Reader) (int, error) {
	recs, err := csv.NewReader(r).ReadAll()
	if err != nil {
		return 0, err
	}
	n := 0
	for i, rec := range recs {
		if len(rec) != 4 {
			return n, fmt.Errorf("line %d: want 4 fields, got %d", i+1, len(rec))
		}
		fmt.Println(rec[1], rec[3])
		n++
	}
	return n, nil
}

// a guard that is too weak for the largest index is still reported.
func csvRowsWeak(r io.Reader) {
	recs, _ := csv.NewReader(r).ReadAll()
	for _, rec := range recs {
		if len(rec) < 3 {
			continue
		}
		fmt.Println(rec[2], rec[3]) // want `rec\[3\] panics`
	}
}

// A field of the package's own type holds what the package stores in it.
type command struct {
	name string
	args []string
}

func ParseCommand(text string) *command {
	fields := strings.Fields(text)
	if len(fields) == 0 {
		return nil
	}
	return &command{name: fields[0], args: fields[1:]}
}

func runRemind(c *command) string {
	return c.args[0] // want `c\.args\[0\] panics when c\.args has fewer than 1 elements: it is set from fields\[1:\]`
}

func runRoll(c *command) string {
	if len(c.args) > 0 {
		return c.args[0] // a check at the use
	}
	return "6"
}

// A field whose every store is checked for the index is not reported.
type pair struct{ parts []string }

func ParseKV(s string) (pair, error) {
	parts := strings.Split(s, "=")
	if len(parts) != 2 {
		return pair{}, errors.New("want key=value")
	}
	return pair{parts: parts}, nil
}

func (p pair) value() string { return p.parts[1] }

// IndexRune or IndexByte of the separator, found: the split has two parts.
func LongOption(arg string) (string, string) {
	if strings.HasPrefix(arg, "--") && strings.IndexRune(arg, '=') > 0 {
		tokens := strings.SplitN(arg, "=", 2)
		return tokens[0], tokens[1]
	}
	if strings.IndexByte(arg, ':') != -1 {
		kv := strings.Split(arg, ":")
		return kv[0], kv[1]
	}
	if strings.IndexRune(arg, ':') > 0 {
		kv := strings.Split(arg, "=") // another separator than the one checked
		return kv[0], kv[1]           // want `kv\[1\] panics`
	}
	return arg, ""
}

// The found result of strings.Cut on the same string and separator: the
// split has two parts.
func CutOption(arg string) string {
	if _, _, ok := strings.Cut(arg, "="); ok {
		return strings.SplitN(arg, "=", 2)[1]
	}
	if _, _, found := strings.Cut(arg, ":"); found {
		return strings.SplitN(arg, "=", 2)[1] // want `strings.SplitN\(arg, "=", 2\)\[1\] panics`
	}
	return ""
}

// A length check of the same header entry in the left operand of &&.
func Challenge(resp *http.Response) bool {
	return len(resp.Header["Www-Authenticate"]) == 1 && resp.Header["Www-Authenticate"][0] == "expired"
}

// A non-canonical header name is only in the map if the program stored it:
// net/http canonicalizes the names it parses.
func Action(req *http.Request) string {
	return req.Header["X-Akamai-ACS-Action"][0]
}

// The names a directory walk yields come from the file system.
func Regions(root string) ([]string, error) {
	var regions []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		regions = append(regions, strings.SplitN(d.Name(), "_", 2)[1]) // want `strings.SplitN\(d.Name\(\), "_", 2\)\[1\] panics`
		return nil
	})
	return regions, err
}

// A header map decoded from JSON keeps the names it was given.
func Decoded(h http.Header) string {
	return h["X-Akamai-ACS-Action"][0] // want `h\["X-Akamai-ACS-Action"\]\[0\] panics`
}

// ---- an index evaluated before proves the length ----

// The second pathParts[1] runs only after the first succeeded; index 2 and
// index 4 assume more, and are reported once each.
func ProjectPath(resourcePath string) string {
	pathParts := strings.Split(resourcePath, "/")
	if pathParts[1] == "orgs" || pathParts[1] == "users" { // want `pathParts\[1\] panics`
		return pathParts[2] + "/" + pathParts[4] // want `pathParts\[2\] panics` `pathParts\[4\] panics`
	}
	return pathParts[1] + "/" + pathParts[2] // want `pathParts\[2\] panics`
}

// A larger index evaluated on every path before covers a smaller one.
func OwnerRepo(full string) (string, string) {
	parts := strings.Split(full, "/")
	repo := parts[1] // want `parts\[1\] panics`
	return parts[0], repo
}

// An index in a branch does not cover what comes after the branch.
func MaybeIndexed(s string, check bool) string {
	parts := strings.Split(s, ":")
	if check {
		_ = parts[1] // want `parts\[1\] panics`
	}
	return parts[1] // want `parts\[1\] panics`
}

// A slice assigned again after the first index is a new slice.
func SplitTwice(s, t string) string {
	parts := strings.Split(s, ":")
	first := parts[1] // want `parts\[1\] panics`
	parts = strings.Split(t, ":")
	return first + parts[1] // want `parts\[1\] panics`
}

var hunkRE = regexp.MustCompile(`^@@ -(\d+),?\d* \+(\d+),?\d* @@ ?(.*)`)

// Once one group of a submatch was read, the match exists and has every
// group.
func HunkHeader(h string) (string, string, string) {
	m := hunkRE.FindStringSubmatch(h)
	old := m[1] // want `m\[1\] panics when hunkRE.FindStringSubmatch\(h\) finds no match`
	return old, m[2], m[3]
}

// newDecoder's reader requires twelve fields of every record: Read
// returns csv.ErrFieldCount for any other record, so rec[11] holds.
func newDecoder(r io.Reader) func() (string, error) {
	dec := csv.NewReader(r)
	dec.FieldsPerRecord = 12
	return func() (string, error) {
		rec, err := dec.Read()
		if err != nil {
			return "", err
		}
		return rec[0] + rec[11], nil
	}
}

// twoFields requires two fields, and reads a third.
func twoFields(r io.Reader) (string, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = 2
	rec, err := cr.Read()
	if err != nil {
		return "", err
	}
	return rec[1] + rec[2], nil // want `rec\[2\] panics when cr.Read\(\) returns fewer than 3 elements`
}

// allRows requires three fields of every row.
func allRows(r io.Reader) ([]string, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = 3
	rows, err := cr.ReadAll()
	if err != nil {
		return nil, err
	}
	var out []string
	for _, row := range rows {
		out = append(out, row[2])
	}
	return out, nil
}

// A chain of && evaluates each operand only after the ones before it came
// out true, so the second args[0] runs only when the first did: one
// finding, at the first.
func completionRequest(err error) bool {
	args := os.Args[1:]
	return err != nil && args[0] != "__complete" && args[0] != "__completeNoDesc" // want `args\[0\] panics`
}

// In the body of if a && b, both a and b ran.
func SecondWord(line string) string {
	parts := strings.Split(line, " ")
	if line != "" && parts[1] != "" { // want `parts\[1\] panics`
		return parts[1]
	}
	return ""
}

// SplitList returns no element only for an empty list.
func FirstConfigDir() string {
	if dirs := os.Getenv("XDG_CONFIG_DIRS"); dirs != "" {
		return filepath.SplitList(dirs)[0]
	}
	return "/etc"
}

func SecondConfigDir() string {
	if dirs := os.Getenv("XDG_CONFIG_DIRS"); dirs != "" {
		return filepath.SplitList(dirs)[1] // want `filepath.SplitList\(dirs\)\[1\] panics`
	}
	return "/etc"
}

func UncheckedConfigDir() string {
	return filepath.SplitList(os.Getenv("XDG_CONFIG_DIRS"))[0] // want `filepath.SplitList\(os.Getenv\("XDG_CONFIG_DIRS"\)\)\[0\] panics`
}

// A length held in a variable that nothing changes is the length.
func RefName(ref string) string {
	parts := strings.Split(ref, "/")
	depth := len(parts)
	if depth == 4 && parts[1] == "components" {
		return parts[2] + "." + parts[3]
	}
	return ""
}

// Once the slice changes, the variable no longer holds its length.
func RefNameOfOther(ref, other string) string {
	parts := strings.Split(ref, "/")
	depth := len(parts)
	parts = strings.Split(other, "/")
	if depth == 4 {
		return parts[3] // want `parts\[3\] panics`
	}
	return ""
}

// Nor does a variable that is changed itself.
func RefNameCounted(ref string) string {
	parts := strings.Split(ref, "/")
	depth := len(parts)
	depth++
	if depth == 4 {
		return parts[3] // want `parts\[3\] panics`
	}
	return ""
}
