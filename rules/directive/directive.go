// Package directive finds failfast's suppression comments in a package and
// answers whether a finding is suppressed.
//
// Two forms are honoured on the reported line, or alone on the line above it:
//
//	//failfast:ignore RULE[,RULE...] reason why the finding is wrong here
//	//nolint:failfast            (golangci-lint's convention; also //nolint:RULE and //nolint)
//
// A failfast:ignore directive must give a reason and name known rules; the
// Index keeps every directive so that the rule registry, which knows the
// rule IDs, can report those that do not.
package directive

import (
	"bytes"
	"go/ast"
	"go/token"
	"path/filepath"
	"reflect"
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
	// ignores maps a line number to the rule IDs suppressed on it; the
	// key "*" suppresses every rule.
	ignores map[int][]string
}

// Suppressed reports whether a finding of rule id at pos is silenced by a
// directive.
func (x *Index) Suppressed(fset *token.FileSet, id string, pos token.Pos) bool {
	tf := fset.File(pos)
	fi, ok := x.files[tf]
	if !ok || len(fi.ignores) == 0 {
		return false
	}
	for _, r := range fi.ignores[tf.Line(pos)] {
		if r == "*" || r == id {
			return true
		}
	}
	return false
}

// isTestCode reports whether a file is test code: a _test.go file, or
// test-support code that exists only to be called from tests (a package
// named like caddytest or testutil, a file named like test_utils.go), where
// a failed assumption fails a test loudly rather than production silently.
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
			test:      isTestCode(pass.Pkg.Name(), tf.Name()),
			generated: ast.IsGenerated(f),
		}
		x.files[tf] = fi
		var src []byte // read lazily, only for files that have directives
		for _, cg := range f.Comments {
			for _, c := range cg.List {
				rules, ok := x.parse(c)
				if !ok {
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
				if aloneOnLine(tf, src, c.Slash) {
					fi.ignores[line+1] = append(fi.ignores[line+1], rules...)
				}
			}
		}
	}
	return x, nil
}

// parse returns the rules a comment suppresses and records failfast:ignore
// directives in x.Ignores. A directive without a reason suppresses nothing.
func (x *Index) parse(c *ast.Comment) ([]string, bool) {
	text := c.Text
	if strings.HasPrefix(text, "/*") {
		return nil, false
	}
	text = strings.TrimPrefix(text, "//")
	switch {
	case strings.HasPrefix(text, "failfast:ignore"):
		rest := strings.TrimPrefix(text, "failfast:ignore")
		if rest != "" && rest[0] != ' ' && rest[0] != '\t' {
			return nil, false // e.g. failfast:ignored: not ours
		}
		ig := Ignore{Pos: c.Pos(), End: c.End()}
		if fields := strings.Fields(rest); len(fields) > 0 {
			ig.Rules = strings.Split(fields[0], ",")
			ig.Reason = strings.Join(fields[1:], " ")
		}
		x.Ignores = append(x.Ignores, ig)
		return ig.Rules, len(ig.Rules) > 0 && ig.Reason != ""
	case text == "nolint" || strings.HasPrefix(text, "nolint ") || strings.HasPrefix(text, "nolint:"):
		list, _, _ := strings.Cut(strings.TrimPrefix(text, "nolint"), " ")
		if list == "" {
			return []string{"*"}, true
		}
		var rules []string
		for _, r := range strings.Split(strings.TrimPrefix(list, ":"), ",") {
			switch r = strings.TrimSpace(r); r {
			case "failfast", "all":
				rules = append(rules, "*")
			case "":
			default:
				rules = append(rules, r)
			}
		}
		return rules, len(rules) > 0
	}
	return nil, false
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
