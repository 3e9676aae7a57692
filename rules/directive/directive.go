// Package directive finds failfast's suppression comments in a package and
// answers whether a finding is suppressed.
//
// Three forms are honoured:
//
//	//failfast:ignore RULE[,RULE...] reason why the finding is wrong here
//	//nolint:failfast            (golangci-lint's convention)
//	//lint:ignore CHECK[,CHECK...] reason  (staticcheck's convention)
//
// A failfast:ignore directive silences its own line, or the next line when
// it stands alone on its line. It must give a reason and name known rules;
// the Index keeps every directive so that the rule registry, which knows the
// rule IDs, can report those that do not.
//
// A nolint directive is read as golangci-lint reads it: after the comment's
// leading slashes and spaces, "nolint" followed by nothing, a space or a
// colon (so "//nolint", "// nolint: errcheck" and "//nolint:a,b // why" all
// count). Without a list, or with "all", it silences every rule; otherwise
// it names linters, compared without case: "failfast", a rule ID, or the
// name of another linter that reports the same failure (the rule's
// spec.Rule.Nolint, such as errcheck for discarded-error). It silences the
// lines of its comment and, standing alone on its line, the whole syntax
// node that starts on the next line in the same column (a statement, a
// declaration), as golangci-lint does.
//
// A lint:ignore directive is staticcheck's: it names checks, compared as a
// nolint list is (a rule ID, "failfast", or another linter's name such as
// nilerr), must give a reason, and silences its own line, or the next line
// when it stands alone on its line.
package directive

import (
	"bytes"
	"go/ast"
	"go/token"
	"go/types"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/tools/go/analysis"
)

// Analyzer parses the directives of every file of a package; its result is
// an *Index.
var Analyzer = &analysis.Analyzer{
	Name:       "failfast_directive",
	Doc:        "parses //failfast:ignore and //nolint directives",
	Run:        run,
	ResultType: reflect.TypeFor[*Index](),
}

// Ignore is one //failfast:ignore directive.
type Ignore struct {
	Pos, End token.Pos
	Rules    []string // as written; may name unknown rules
	Reason   string   // empty when missing
}

// Index holds the directives and the per-file facts of one package.
type Index struct {
	files map[*token.File]*fileInfo
	// Ignores lists every failfast:ignore directive, well-formed or not.
	Ignores []Ignore
}

type fileInfo struct {
	test, generated bool
	// helpers holds the spans of the file's functions that take a
	// *testing.T, *testing.B, *testing.F or testing.TB: test support
	// wherever it lives, since only a test can call it.
	helpers [][2]token.Pos
	// ignores maps a line number to the rule IDs suppressed on it; the
	// key "*" suppresses every rule.
	ignores map[int][]string
}

// Suppressed reports whether a finding at pos is silenced by a directive
// naming any of names (a rule's ID and the other names it answers to).
func (x *Index) Suppressed(fset *token.FileSet, pos token.Pos, names ...string) bool {
	tf := fset.File(pos)
	fi, ok := x.files[tf]
	if !ok || len(fi.ignores) == 0 {
		return false
	}
	for _, r := range fi.ignores[tf.Line(pos)] {
		if r == "*" || slices.Contains(names, r) {
			return true
		}
	}
	return false
}

// isTestCode reports whether a file is test code by its names: a _test.go
// file, or test-support code that exists only to be called from tests (a
// package named like caddytest or testutil, a file named like
// test_utils.go), where a failed assumption fails a test loudly rather than
// production silently. A file that imports a test framework is test code
// too (importsTestFramework).
func isTestCode(pkgName, filename string) bool {
	if strings.HasSuffix(filename, "_test.go") {
		return true
	}
	for _, suffix := range []string{"test", "testutil", "testutils", "testhelper", "testhelpers"} {
		if strings.HasSuffix(pkgName, suffix) && !testWords[pkgName] {
			return true
		}
	}
	base := strings.ToLower(filepath.Base(filename))
	return strings.Contains(base, "testutil") || strings.Contains(base, "test_util") || strings.Contains(base, "test_helper")
}

// testFrameworks are the import paths of test frameworks: a file that
// imports one is written to run under a test (gomega's Expect fails the
// running spec), so a failed assumption there fails a test loudly. The
// standard library's testing is not among them: a production file may
// import it for testing.TB helpers, which InTestHelper covers one function
// at a time.
var testFrameworks = map[string]bool{
	"github.com/onsi/gomega":              true,
	"github.com/onsi/ginkgo":              true,
	"github.com/onsi/ginkgo/v2":           true,
	"github.com/stretchr/testify/assert":  true,
	"github.com/stretchr/testify/require": true,
	"github.com/stretchr/testify/suite":   true,
	"gotest.tools/v3/assert":              true,
}

// importsTestFramework reports whether f imports a test framework (see
// testFrameworks).
func importsTestFramework(f *ast.File) bool {
	for _, imp := range f.Imports {
		if path, err := strconv.Unquote(imp.Path.Value); err == nil && testFrameworks[path] {
			return true
		}
	}
	return false
}

// testWords are package names that end in "test" without being test
// support (httptest, caddytest and fstest are; latest is not).
var testWords = map[string]bool{
	"latest": true, "contest": true, "attest": true, "protest": true, "detest": true, "greatest": true,
	"fastest": true, "biggest": true, "smallest": true, "shortest": true, "longest": true, "newest": true,
	"oldest": true, "largest": true, "highest": true, "lowest": true, "earliest": true, "closest": true,
}

// IsTest reports whether f is test code: a _test.go file or test-support
// code (see isTestCode).
func (x *Index) IsTest(f *token.File) bool {
	fi, ok := x.files[f]
	return ok && fi.test
}

// InTestHelper reports whether pos lies in a function of a file that is
// not test code but takes a *testing.T, *testing.B, *testing.F or
// testing.TB (an assertion helper of an end-to-end suite, say): it exists
// only to be called from tests, where a failed assumption fails the test
// loudly.
func (x *Index) InTestHelper(fset *token.FileSet, pos token.Pos) bool {
	fi, ok := x.files[fset.File(pos)]
	if !ok {
		return false
	}
	for _, h := range fi.helpers {
		if h[0] <= pos && pos < h[1] {
			return true
		}
	}
	return false
}

// takesTestingT reports whether fn's receiver or parameters include a
// *testing.T, *testing.B, *testing.F or testing.TB.
func takesTestingT(info *types.Info, fn *ast.FuncDecl) bool {
	var fields []*ast.Field
	if fn.Recv != nil {
		fields = append(fields, fn.Recv.List...)
	}
	fields = append(fields, fn.Type.Params.List...)
	for _, f := range fields {
		t := info.TypeOf(f.Type)
		if p, ok := t.(*types.Pointer); ok {
			t = p.Elem()
		}
		named, ok := t.(*types.Named)
		if !ok || named.Obj().Pkg() == nil || named.Obj().Pkg().Path() != "testing" {
			continue
		}
		switch named.Obj().Name() {
		case "T", "B", "F", "TB":
			return true
		}
	}
	return false
}

// IsGenerated reports whether f carries a "Code generated ... DO NOT EDIT." header.
func (x *Index) IsGenerated(f *token.File) bool {
	fi, ok := x.files[f]
	return ok && fi.generated
}

func run(pass *analysis.Pass) (any, error) {
	x := &Index{files: make(map[*token.File]*fileInfo, len(pass.Files))}
	for _, f := range pass.Files {
		tf := pass.Fset.File(f.FileStart)
		if tf == nil {
			continue
		}
		fi := &fileInfo{
			test:      isTestCode(pass.Pkg.Name(), tf.Name()) || importsTestFramework(f),
			generated: ast.IsGenerated(f),
		}
		x.files[tf] = fi
		if !fi.test && pass.TypesInfo != nil {
			for _, d := range f.Decls {
				if fn, ok := d.(*ast.FuncDecl); ok && takesTestingT(pass.TypesInfo, fn) {
					fi.helpers = append(fi.helpers, [2]token.Pos{fn.Pos(), fn.End()})
				}
			}
		}
		var src []byte // read lazily, only for files that have directives
		for _, cg := range f.Comments {
			for _, c := range cg.List {
				rules, kind := x.parse(c)
				if kind == notDirective {
					continue
				}
				line := tf.Line(c.Slash)
				if fi.ignores == nil {
					fi.ignores = make(map[int][]string)
				}
				fi.ignores[line] = append(fi.ignores[line], rules...)
				if src == nil {
					src = readOrEmpty(pass, tf.Name())
				}
				if !aloneOnLine(tf, src, c.Slash) {
					continue
				}
				last := line + 1
				if kind == nolint {
					last = max(last, nodeEndLine(f, tf, c))
				}
				for l := line + 1; l <= last; l++ {
					fi.ignores[l] = append(fi.ignores[l], rules...)
				}
			}
		}
	}
	return x, nil
}

// nodeEndLine returns the last line of the outermost syntax node that starts
// on the line after comment c, in c's column: the node a nolint directive
// standing above it covers. It returns 0 when there is none.
func nodeEndLine(f *ast.File, tf *token.File, c *ast.Comment) int {
	want := tf.Position(c.Slash)
	end := 0
	ast.Inspect(f, func(n ast.Node) bool {
		if n == nil || end > 0 {
			return false
		}
		if _, ok := n.(*ast.File); ok {
			return true
		}
		if _, ok := n.(*ast.CommentGroup); ok {
			return false
		}
		if tf.Line(n.End()) < want.Line+1 {
			return false // ends before: nothing inside starts later
		}
		start := tf.Position(n.Pos())
		if start.Line == want.Line+1 && start.Column == want.Column {
			end = tf.Line(n.End())
			return false
		}
		return start.Line <= want.Line+1
	})
	return end
}

// The kinds of comment parse tells apart.
type kind int

const (
	notDirective kind = iota
	ignore            // //failfast:ignore RULE reason
	nolint            // golangci-lint's //nolint
	lintIgnore        // staticcheck's //lint:ignore CHECK reason
)

// parse returns the names a comment suppresses (a rule ID, another linter's
// name, or "*" for all) and records failfast:ignore directives in
// x.Ignores. A failfast:ignore directive without a reason suppresses
// nothing, but is still a directive (it is reported).
func (x *Index) parse(c *ast.Comment) ([]string, kind) {
	text, ok := strings.CutPrefix(c.Text, "//")
	if !ok {
		return nil, notDirective // a /* */ comment
	}
	if rest, ok := strings.CutPrefix(text, "failfast:ignore"); ok {
		if rest != "" && rest[0] != ' ' && rest[0] != '\t' {
			return nil, notDirective // e.g. failfast:ignored: not ours
		}
		ig := Ignore{Pos: c.Pos(), End: c.End()}
		if fields := strings.Fields(rest); len(fields) > 0 {
			ig.Rules = strings.Split(fields[0], ",")
			ig.Reason = strings.Join(fields[1:], " ")
		}
		x.Ignores = append(x.Ignores, ig)
		if len(ig.Rules) == 0 || ig.Reason == "" {
			return nil, ignore
		}
		return ig.Rules, ignore
	}
	if rest, ok := strings.CutPrefix(text, "lint:ignore"); ok {
		fields := strings.Fields(rest)
		if (rest != "" && rest[0] != ' ' && rest[0] != '\t') || len(fields) < 2 {
			return nil, notDirective // staticcheck ignores a directive without a reason
		}
		var names []string
		for name := range strings.SplitSeq(fields[0], ",") {
			if name = strings.ToLower(strings.TrimSpace(name)); name == "failfast" {
				return []string{"*"}, lintIgnore
			} else if name != "" {
				names = append(names, name)
			}
		}
		return names, lintIgnore
	}
	names, ok := parseNolint(text)
	if !ok {
		return nil, notDirective
	}
	return names, nolint
}

// parseNolint reads golangci-lint's nolint directive from the text of a //
// comment after its first two slashes, as golangci-lint does: leading
// slashes and spaces are skipped, "nolint" must be followed by nothing, a
// space or a colon, a list follows the colon up to an explanatory "//", and
// names are compared in lower case.
func parseNolint(text string) ([]string, bool) {
	rest, ok := strings.CutPrefix(strings.TrimLeft(text, "/ "), "nolint")
	if !ok || (rest != "" && rest[0] != ' ' && rest[0] != ':') {
		return nil, false
	}
	list, ok := strings.CutPrefix(rest, ":")
	if !ok {
		return []string{"*"}, true // //nolint or //nolint // why: every linter
	}
	list, _, _ = strings.Cut(list, "//")
	var names []string
	for name := range strings.SplitSeq(list, ",") {
		switch name = strings.ToLower(strings.TrimSpace(name)); name {
		case "all", "failfast":
			return []string{"*"}, true
		case "":
		default:
			names = append(names, name)
		}
	}
	if len(names) == 0 {
		return []string{"*"}, true // "//nolint:" names nothing: golangci-lint reads every linter
	}
	return names, true
}

func readOrEmpty(pass *analysis.Pass, name string) []byte {
	if pass.ReadFile == nil {
		return []byte{}
	}
	src, err := pass.ReadFile(name)
	if err != nil {
		// Without the text we cannot tell a trailing comment from one on a
		// line of its own; treating it as trailing suppresses less.
		return []byte{}
	}
	return src
}

// aloneOnLine reports whether only white space precedes pos on its line.
func aloneOnLine(tf *token.File, src []byte, pos token.Pos) bool {
	off := tf.Offset(pos)
	start := tf.Offset(tf.LineStart(tf.Line(pos)))
	if off > len(src) || start > off {
		return false
	}
	return len(bytes.TrimSpace(src[start:off])) == 0
}
