// Package fixes computes failfast's quick fixes: for a finding, the
// defensive rewrites of its rule ("Use the two-value form and handle a
// mismatch", "Log the recovered panic with its stack", ...) and an "Ignore
// RULE on this line" directive. The language server offers them as code
// actions and `failfast check -fix` applies the safe ones.
//
// A fix is built by rewriting the github.com/dave/dst tree of the file with
// the plain decorator (dst's import management rewrites more than a fix
// touches): comments stay where they were, new code is spliced in as dst
// nodes, a missing import is appended to the import declaration, and the
// file is printed gofmt-formatted. The printed file is then compared line by
// line with the original and only the changes inside the rewritten
// declaration and the import block are kept, so a fix on a file that is not
// gofmt-clean does not reformat the rest of it. Edits are byte ranges of the
// original file.
//
// A fix is offered only if the rewritten file parses and its package
// type-checks with no error the original did not have; otherwise it is
// dropped and For's error says why. Computing fixes never panics on odd
// input: a panic inside a rewrite becomes an error carrying its stack.
//
// The fixes, by rule (Safe ones are what FixAll applies):
//
//	unchecked-type-assertion  Use the two-value form and handle a mismatch   safe
//	unchecked-map-lookup      Check that the key is present                   safe
//	unchecked-index           Guard the index with a length check             safe
//	swallowed-recover         Log the recovered panic with its stack          safe
//	                          Return the recovered panic as an error          (named error result)
//	discarded-error           Handle the error                                safe unless it panics or exits
//	swallowed-error           Return the error (wrapped with %w)              safe unless it panics or exits
//	silent-default            Log the default that is chosen                  safe
//	nil-nil-return            Return an error instead of nil, nil
//	unchecked-nil-result      Check the result against nil                    safe unless it panics or exits
//	use-before-check          Move this use after the error check             safe for a defer
//	                          Check the error's other failures before this use
//	                          (after a test of one kind)                      safe unless it panics or exits
//	unwrapped-error           Wrap the error with %w                          safe
//	any rule                  Ignore RULE on this line
//	invalid-directive         Add a reason to the directive (when it has none)
//
// The failure branch a fix writes fits its function: in one that returns
// an error, the zero values of the other results and an error that names
// the key, index or type involved; in main or init, log.Fatalf; in a test,
// t.Fatalf; in an HTTP handler, http.Error and return (400 with a message
// in the request's terms when what failed is the request's own input, a
// parse or decode of it or an index into a slice made from it; else the
// fix's status, 500 for server-side failures); elsewhere a panic with a
// descriptive message. New variables never shadow or collide (ok,
// ok2, ...). Logging uses Options.Logger, else a logger in scope, else the
// logging package the file imports, else log/slog (log inside the packages
// log/slog depends on). A fix never adds an import that would make an
// import cycle (which type-checking against export data cannot see).
package fixes

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/scanner"
	"go/token"
	"go/types"
	"runtime/debug"
	"slices"
	"strings"

	"github.com/sergi/go-diff/diffmatchpatch"

	"github.com/failfast-dev/failfast/loader"
	"github.com/failfast-dev/failfast/runner"
)

// Options configure the fixes.
type Options struct {
	// Logger is what fixes that log use: "slog" (log/slog's package-level
	// functions), "log" (the standard log package), or a Go expression
	// naming a logger in scope at the fix, such as "s.logger", whose type
	// has a Printf method or an slog-style Error/Warn(msg string, args
	// ...any) method. Empty means: a *slog.Logger or *log.Logger in scope,
	// else the logging package the file already imports, else log/slog.
	Logger string
	// Context cancels the type-checking of rewritten files; nil means
	// context.Background().
	Context context.Context
}

func (o Options) ctx() context.Context {
	if o.Context == nil {
		return context.Background()
	}
	return o.Context
}

// Fix is one quick fix for one finding.
type Fix struct {
	// Rule is the ID of the rule the fix is for.
	Rule string
	// Title is what the user is shown.
	Title string
	// Safe fixes keep the program's behaviour on the path that works and
	// only change what happens when the assumption fails; FixAll applies
	// only these. The Ignore fix and fixes that add a panic or an exit
	// where there was none are not safe.
	Safe bool
	// Edits are minimal replacements in the original file contents,
	// sorted and non-overlapping.
	Edits []Edit
}

// Edit replaces the bytes [Start, End) of a file with NewText.
type Edit struct {
	Filename   string
	Start, End int // byte offsets in the file as it was read
	NewText    string
}

// IgnoreTitle is the title of the Ignore fix of rule id.
func IgnoreTitle(id string) string { return "Ignore " + id + " on this line" }

// For returns the fixes for finding f of pkg: the rule's own fixes, in
// order of preference, then the Ignore fix. A rule fix that cannot be built
// or would not type-check is left out, and the returned error says why;
// the fixes that worked are returned with it. pkg must not have been
// released and its file contents must be those f was computed from.
func For(pkg *loader.Package, f runner.Finding, opts Options) ([]Fix, error) {
	var fixes []Fix
	err := safely(func() error {
		var err error
		fixes, _, err = ruleFixes(pkg, f, opts, everyFix)
		return err
	})
	var ign Fix
	ierr := safely(func() error {
		var err error
		ign, err = Ignore(pkg, f)
		return err
	})
	if ierr != nil {
		return fixes, errors.Join(err, ierr)
	}
	return append(fixes, ign), err
}

// SafeFor returns the safe fixes of For, without building the others (nor
// the Ignore fix, which is not safe: it silences instead of fixing): what
// `check -format sarif` and the MCP server offer with each finding.
func SafeFor(pkg *loader.Package, f runner.Finding, opts Options) ([]Fix, error) {
	var fixes []Fix
	err := safely(func() error {
		var err error
		fixes, _, err = ruleFixes(pkg, f, opts, safeFixes)
		return err
	})
	return fixes, err
}

// fixMode says which of a finding's candidate fixes ruleFixes builds.
type fixMode int

const (
	everyFix  fixMode = iota // all of them
	safeFixes                // the safe ones
	firstSafe                // the first safe one that verifies, keeping its checked package
)

// safely runs f, turning a panic into an error that carries the stack:
// a fix that fails on odd code must neither crash its caller nor vanish.
func safely(f func() error) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("quick fix panicked: %v\n%s", p, debug.Stack())
		}
	}()
	return f()
}

// Apply applies edits to src, which must be the content they were
// computed on. Edits must not overlap.
func Apply(src []byte, edits []Edit) ([]byte, error) {
	sorted := slices.Clone(edits)
	slices.SortStableFunc(sorted, func(a, b Edit) int { return a.Start - b.Start })
	var out bytes.Buffer
	last := 0
	for _, e := range sorted {
		if e.Start < last || e.End < e.Start || e.End > len(src) {
			return nil, fmt.Errorf("apply edits: edit [%d,%d) overlaps another or lies outside the %d-byte file", e.Start, e.End, len(src))
		}
		out.Write(src[last:e.Start])
		out.WriteString(e.NewText)
		last = e.End
	}
	out.Write(src[last:])
	return out.Bytes(), nil
}

// candidate is one way to fix a finding: a title and a rewrite of the dst
// tree.
type candidate struct {
	title string
	safe  bool
	build func(*rewrite) error
}

// ruleFixes builds and verifies the rule fixes of f. With onlySafe it stops
// at the first safe fix that verifies and also returns the package checked
// with it applied (for FixAll); otherwise that package is released.
func ruleFixes(pkg *loader.Package, f runner.Finding, opts Options, mode fixMode) ([]Fix, *loader.Package, error) {
	t, err := locate(pkg, f)
	if err != nil {
		return nil, nil, fmt.Errorf("%s at %s: %w", f.Rule, f.Pos, err)
	}
	cands, err := candidates(t)
	if err != nil {
		return nil, nil, fmt.Errorf("%s at %s: %w", f.Rule, f.Pos, err)
	}
	var fixes []Fix
	var errs []error
	for _, c := range cands {
		if mode != everyFix && !c.safe {
			continue
		}
		edits, checked, err := buildAndVerify(t, c, opts)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s at %s: %q dropped: %w", f.Rule, f.Pos, c.title, err))
			continue
		}
		fixes = append(fixes, Fix{Rule: f.Rule, Title: c.title, Safe: c.safe, Edits: edits})
		if mode == firstSafe {
			return fixes, checked, errors.Join(errs...)
		}
		checked.Release()
	}
	return fixes, nil, errors.Join(errs...)
}

// buildAndVerify rewrites a fresh dst tree of the target's file with c,
// keeps the minimal edits, and type-checks the package with the result.
func buildAndVerify(t *target, c candidate, opts Options) (edits []Edit, checked *loader.Package, err error) {
	err = safely(func() error {
		edits, checked, err = buildAndVerifyUnsafe(t, c, opts)
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	return edits, checked, nil
}

func buildAndVerifyUnsafe(t *target, c candidate, opts Options) ([]Edit, *loader.Package, error) {
	rw, err := newRewrite(t, opts)
	if err != nil {
		return nil, nil, err
	}
	if err := c.build(rw); err != nil {
		return nil, nil, err
	}
	var edits []Edit
	var result []byte
	if rw.raw != nil {
		edits = rw.raw
		if result, err = Apply(t.src, edits); err != nil {
			return nil, nil, err
		}
	} else {
		rw.pruneImports()
		printed, err := rw.print()
		if err != nil {
			return nil, nil, err
		}
		if edits, result, err = minimalEdits(t.filename, t.src, printed, rw.regions()); err != nil {
			return nil, nil, err
		}
	}
	if len(edits) == 0 {
		return nil, nil, errors.New("the rewrite changes nothing")
	}
	checked, err := verify(opts.ctx(), t.pkg, t.filename, result)
	if err != nil {
		return nil, nil, err
	}
	return edits, checked, nil
}

// verify parses and type-checks pkg with filename's content replaced by
// src, and fails if that brings an error the package did not have.
func verify(ctx context.Context, pkg *loader.Package, filename string, src []byte) (*loader.Package, error) {
	fset := token.NewFileSet()
	if _, err := parser.ParseFile(fset, filename, src, parser.ParseComments|parser.SkipObjectResolution); err != nil {
		return nil, fmt.Errorf("the rewritten file does not parse: %w", err)
	}
	checked, err := pkg.CheckWith(ctx, map[string][]byte{filename: src})
	if err != nil {
		return nil, fmt.Errorf("re-check %s: %w", pkg.PkgPath, err)
	}
	before := map[string]int{}
	for _, m := range errorMessages(pkg.Errors) {
		before[m]++
	}
	for _, m := range errorMessages(checked.Errors) {
		if before[m] > 0 {
			before[m]--
			continue
		}
		checked.Release()
		return nil, fmt.Errorf("the rewritten package does not type-check: %s", m)
	}
	return checked, nil
}

// errorMessages returns the messages of parse and type errors without
// their positions, which move when a file is rewritten.
func errorMessages(errs []error) []string {
	var out []string
	for _, e := range errs {
		var te types.Error
		var list scanner.ErrorList
		switch {
		case errors.As(e, &te):
			out = append(out, te.Msg)
		case errors.As(e, &list):
			for _, se := range list {
				out = append(out, "syntax: "+se.Msg)
			}
		default:
			out = append(out, e.Error())
		}
	}
	return out
}

// region is a byte range [start, end) of the original file in which a fix
// may change text.
type region struct{ start, end int }

// minimalEdits compares old with the printed new content line by line and
// keeps the changed runs of lines that touch one of the regions; other
// changes are gofmt's reformatting of code the fix did not touch. It
// returns the edits and the content they produce.
func minimalEdits(filename string, old, printed []byte, regions []region) ([]Edit, []byte, error) {
	if bytes.Contains(old, []byte("\r\n")) && !bytes.Contains(printed, []byte("\r\n")) {
		// The printer writes \n; keep the file's Windows line endings.
		printed = bytes.ReplaceAll(printed, []byte("\n"), []byte("\r\n"))
	}
	all, err := lineEdits(filename, old, printed)
	if err != nil {
		return nil, nil, err
	}
	var edits []Edit
	for _, e := range all {
		if touches(regions, e.Start, e.End) {
			edits = append(edits, e)
		}
	}
	result, err := Apply(old, edits)
	if err != nil {
		return nil, nil, err
	}
	// Shrink each edit to the tokens that changed. In a gofmt-clean file
	// only when that gives the same result (gofmt may realign comments on
	// lines whose tokens did not change); in one that is not, always: gofmt
	// also reformatted the lines around the change, and those keep their
	// original text.
	refined := refine(old, edits)
	rresult, err := Apply(old, refined)
	if err != nil {
		return nil, nil, err
	}
	if bytes.Equal(rresult, result) {
		return refined, result, nil
	}
	if formatted, err := format.Source(old); err != nil || !bytes.Equal(formatted, old) {
		return refined, rresult, nil
	}
	return edits, result, nil
}

// lineEdits compares old and new line by line and returns an edit per run
// of changed lines.
func lineEdits(filename string, old, printed []byte) ([]Edit, error) {
	dmp := diffmatchpatch.New()
	a, b, lines := dmp.DiffLinesToRunes(string(old), string(printed))
	diffs := dmp.DiffMainRunes(a, b, false)
	diffs = dmp.DiffCharsToLines(diffs, lines)
	var edits []Edit
	var cur *Edit
	off := 0
	flush := func() {
		if cur != nil {
			edits = append(edits, *cur)
			cur = nil
		}
	}
	for _, d := range diffs {
		switch d.Type {
		case diffmatchpatch.DiffEqual:
			flush()
			off += len(d.Text)
		case diffmatchpatch.DiffDelete:
			if cur == nil {
				cur = &Edit{Filename: filename, Start: off, End: off}
			}
			off += len(d.Text)
			cur.End = off
		case diffmatchpatch.DiffInsert:
			if cur == nil {
				cur = &Edit{Filename: filename, Start: off, End: off}
			}
			cur.NewText += d.Text
		}
	}
	flush()
	if off != len(old) {
		return nil, fmt.Errorf("internal error: line diff covers %d of %d bytes", off, len(old))
	}
	return edits, nil
}

func touches(regions []region, start, end int) bool {
	for _, r := range regions {
		if start <= r.end && end >= r.start {
			return true
		}
	}
	return false
}

// lineStart returns the offset of the start of the line holding off.
func lineStart(src []byte, off int) int {
	off = min(max(off, 0), len(src))
	if i := bytes.LastIndexByte(src[:off], '\n'); i >= 0 {
		return i + 1
	}
	return 0
}

// lineEnd returns the offset just after the newline ending the line that
// holds off (or the end of the file).
func lineEnd(src []byte, off int) int {
	off = min(max(off, 0), len(src))
	if i := bytes.IndexByte(src[off:], '\n'); i >= 0 {
		return off + i + 1
	}
	return len(src)
}

// indentOf returns the leading blanks of the line starting at start.
func indentOf(src []byte, start int) string {
	end := start
	for end < len(src) && (src[end] == ' ' || src[end] == '\t') {
		end++
	}
	return string(src[start:end])
}

// containsOffset reports whether the node spans the offset in its file.
func containsOffset(tf *token.File, n ast.Node, off int) bool {
	return tf.Offset(n.Pos()) < off && off < tf.Offset(n.End())
}

// fixWords renders a Go identifier as lower-case words for a message:
// ReadAll -> "read all", ExecContext -> "exec context".
func fixWords(name string) string {
	var b strings.Builder
	prevLower := false
	for i, r := range name {
		upper := r >= 'A' && r <= 'Z'
		if upper && i > 0 && prevLower {
			b.WriteByte(' ')
		}
		if upper {
			r += 'a' - 'A'
		}
		if r == '_' {
			r = ' '
		}
		b.WriteRune(r)
		prevLower = !upper
	}
	return b.String()
}

// tok is a token of a hunk and its byte range in the hunk's text.
type tok struct {
	start, end int
	tok        token.Token
	lit        string
}

// tokens scans Go source text (a run of lines) into tokens, comments
// included; ok is false if the text does not scan cleanly.
func tokens(src string) ([]tok, bool) {
	var s scanner.Scanner
	fset := token.NewFileSet()
	file := fset.AddFile("", fset.Base(), len(src))
	ok := true
	s.Init(file, []byte(src), func(token.Position, string) { ok = false }, scanner.ScanComments)
	var out []tok
	for {
		pos, t, lit := s.Scan()
		if t == token.EOF {
			break
		}
		start := file.Offset(pos)
		end := start + len(lit)
		if lit == "" {
			end = start + len(t.String())
		}
		if t == token.SEMICOLON && lit == "\n" {
			continue // automatic: depends on layout only
		}
		out = append(out, tok{start, end, t, lit})
	}
	return out, ok
}

// refine shrinks each line edit of a file that is not gofmt-clean to the
// tokens that changed: a statement gofmt would have re-indented or split,
// next to the rewritten one, keeps its original text. An edit that only
// changes layout is dropped.
func refine(old []byte, edits []Edit) []Edit {
	var out []Edit
	for _, e := range edits {
		a, okA := tokens(string(old[e.Start:e.End]))
		b, okB := tokens(e.NewText)
		if !okA || !okB {
			out = append(out, e)
			continue
		}
		same := func(x, y tok) bool { return x.tok == y.tok && x.lit == y.lit }
		p := 0
		for p < len(a) && p < len(b) && same(a[p], b[p]) {
			p++
		}
		if p == len(a) && p == len(b) {
			continue // layout only
		}
		q := 0
		for q < len(a)-p && q < len(b)-p && same(a[len(a)-1-q], b[len(b)-1-q]) {
			q++
		}
		// Keep the text of the common prefix and suffix tokens: replace
		// from the end of the last common prefix token to the start of
		// the first common suffix token.
		oStart, nStart := 0, 0
		if p > 0 {
			oStart, nStart = a[p-1].end, b[p-1].end
		}
		oEnd, nEnd := e.End-e.Start, len(e.NewText)
		if q > 0 {
			oEnd, nEnd = a[len(a)-q].start, b[len(b)-q].start
		}
		if oStart > oEnd || nStart > nEnd {
			out = append(out, e)
			continue
		}
		out = append(out, Edit{Filename: e.Filename, Start: e.Start + oStart, End: e.Start + oEnd, NewText: e.NewText[nStart:nEnd]})
	}
	return out
}
