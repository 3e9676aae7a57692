package fixes

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/format"
	"slices"
	"strings"

	"github.com/failfast-dev/failfast/loader"
	"github.com/failfast-dev/failfast/rules"
	"github.com/failfast-dev/failfast/rules/discardederror"
	"github.com/failfast-dev/failfast/rules/nilnilreturn"
	"github.com/failfast-dev/failfast/rules/silentdefault"
	"github.com/failfast-dev/failfast/rules/swallowederror"
	"github.com/failfast-dev/failfast/rules/swallowedrecover"
	"github.com/failfast-dev/failfast/rules/uncheckedindex"
	"github.com/failfast-dev/failfast/rules/uncheckedmaplookup"
	"github.com/failfast-dev/failfast/rules/uncheckednilresult"
	"github.com/failfast-dev/failfast/rules/uncheckedtypeassertion"
	"github.com/failfast-dev/failfast/rules/unwrappederror"
	"github.com/failfast-dev/failfast/rules/usebeforecheck"
	"github.com/failfast-dev/failfast/runner"
)

// ignoreReason is the placeholder reason of an inserted directive: it
// makes the directive valid and asks the author to replace it.
const ignoreReason = "TODO: say why this is not a silent failure"

// Ignore returns the fix that silences finding f with a
// //failfast:ignore directive on its own line above the finding's line,
// indented like it. When that line already holds a failfast:ignore
// directive, the rule is added to it instead, so that the existing
// directive keeps applying to the line below it.
func Ignore(pkg *loader.Package, f runner.Finding) (Fix, error) {
	if f.Rule == rules.DirectiveID {
		return Fix{}, fmt.Errorf("%s at %s: a malformed directive cannot be ignored", f.Rule, f.Pos)
	}
	t, err := locate(pkg, f)
	if err != nil {
		return Fix{}, fmt.Errorf("ignore %s at %s: %w", f.Rule, f.Pos, err)
	}
	fix := Fix{Rule: f.Rule, Title: IgnoreTitle(f.Rule)}
	off := t.tf.Offset(t.start)
	start := lineStart(t.src, off)
	// The line must not start inside a string or comment spanning lines.
	inside := false
	ast.Inspect(t.file, func(n ast.Node) bool {
		if lit, ok := n.(*ast.BasicLit); ok && containsOffset(t.tf, lit, start) {
			inside = true
		}
		return !inside
	})
	for _, cg := range t.file.Comments {
		if containsOffset(t.tf, cg, start) {
			inside = true
		}
	}
	if inside {
		return Fix{}, fmt.Errorf("ignore %s at %s: the line starts inside a multi-line literal or comment", f.Rule, f.Pos)
	}
	if start > 0 {
		prev := lineStart(t.src, start-1)
		line := t.src[prev : start-1]
		trimmed := bytes.TrimLeft(line, " \t")
		if rest, ok := bytes.CutPrefix(trimmed, []byte("//failfast:ignore ")); ok {
			fields := strings.Fields(string(rest))
			if len(fields) > 0 {
				if slices.Contains(strings.Split(fields[0], ","), f.Rule) {
					return Fix{}, fmt.Errorf("ignore %s at %s: the line above already ignores it", f.Rule, f.Pos)
				}
				// The directive above speaks for another rule: a line
				// comment on the finding's own line keeps both reasons
				// apart; failing that, the rule joins the directive.
				if end, ok := trailingSlot(t, start); ok {
					fix.Edits = []Edit{{Filename: t.filename, Start: end, End: end,
						NewText: " //failfast:ignore " + f.Rule + " " + ignoreReason}}
					return keepFormatted(t, fix)
				}
				at := prev + (len(line) - len(trimmed)) + len("//failfast:ignore ") + bytes.Index(rest, []byte(fields[0])) + len(fields[0])
				if len(fields) == 1 { // no reason yet: add one too
					fix.Edits = []Edit{{Filename: t.filename, Start: at, End: at, NewText: "," + f.Rule + " " + ignoreReason}}
				} else {
					fix.Edits = []Edit{{Filename: t.filename, Start: at, End: at, NewText: "," + f.Rule}}
				}
				return fix, nil
			}
		}
	}
	text := indentOf(t.src, start) + "//failfast:ignore " + f.Rule + " " + ignoreReason + "\n"
	fix.Edits = []Edit{{Filename: t.filename, Start: start, End: start, NewText: text}}
	return keepFormatted(t, fix)
}

// keepFormatted keeps a gofmt-clean file gofmt-clean: a directive line
// inserted between lines whose trailing comments gofmt aligned splits their
// block, and a trailing directive joins one, so gofmt would realign the
// neighbours' comments. In a clean file every change gofmt then makes is
// the fix's doing, so the fix makes it too.
func keepFormatted(t *target, fix Fix) (Fix, error) {
	if formatted, err := format.Source(t.src); err != nil || !bytes.Equal(formatted, t.src) {
		return fix, nil
	}
	out, err := Apply(t.src, fix.Edits)
	if err != nil {
		return Fix{}, fmt.Errorf("ignore %s at %s: %w", t.f.Rule, t.f.Pos, err)
	}
	refmt, err := format.Source(out)
	if err != nil || bytes.Equal(refmt, out) {
		return fix, nil
	}
	edits, err := lineEdits(t.filename, t.src, refmt)
	if err != nil {
		return Fix{}, fmt.Errorf("ignore %s at %s: %w", t.f.Rule, t.f.Pos, err)
	}
	fix.Edits = edits
	return fix, nil
}

// trailingSlot returns the end of the line starting at start (before its
// newline) if a line comment can be added there: the line has no comment
// and does not end inside a literal.
func trailingSlot(t *target, start int) (int, bool) {
	end := lineEnd(t.src, start)
	if end > start && t.src[end-1] == '\n' {
		end--
	}
	if end > start && t.src[end-1] == '\r' {
		end--
	}
	for _, cg := range t.file.Comments {
		for _, c := range cg.List {
			if o := t.tf.Offset(c.Slash); o >= start && o <= end {
				return 0, false
			}
		}
		if containsOffset(t.tf, cg, end) {
			return 0, false
		}
	}
	ok := true
	ast.Inspect(t.file, func(n ast.Node) bool {
		if lit, isLit := n.(*ast.BasicLit); isLit && containsOffset(t.tf, lit, end) {
			ok = false
		}
		return ok
	})
	return end, ok
}

// byRule holds each rule's fix builder: the fixes of a finding of that
// rule that fit it.
var byRule = map[string]func(*target) ([]candidate, error){
	uncheckedtypeassertion.ID: assertionFix,
	uncheckedmaplookup.ID:     lookupFix,
	uncheckedindex.ID:         indexFix,
	swallowedrecover.ID:       recoverFixes,
	discardederror.ID:         discardedFix,
	swallowederror.ID:         swallowedFix,
	silentdefault.ID:          defaultFix,
	nilnilreturn.ID:           nilNilFix,
	uncheckednilresult.ID:     nilResultFix,
	usebeforecheck.ID:         useBeforeCheckFix,
	unwrappederror.ID:         unwrappedFix,
	rules.DirectiveID:         directiveFix,
}

// candidates returns the rule fixes that fit the finding.
func candidates(t *target) ([]candidate, error) {
	build, ok := byRule[t.f.Rule]
	if !ok {
		return nil, fmt.Errorf("rule %q has no quick fix", t.f.Rule)
	}
	return build(t)
}

// directiveFix completes a failfast:ignore directive that gives no reason
// with the placeholder reason.
func directiveFix(t *target) ([]candidate, error) {
	if !strings.Contains(t.f.Message, "gives no reason") {
		return nil, errNoFix
	}
	for _, cg := range t.file.Comments {
		for _, c := range cg.List {
			if c.Slash != t.start || !strings.HasPrefix(c.Text, "//failfast:ignore") {
				continue
			}
			end := t.tf.Offset(c.End())
			return []candidate{{title: "Add a reason to the directive", safe: false, build: func(rw *rewrite) error {
				return rw.textEdit(Edit{Filename: t.filename, Start: end, End: end, NewText: " " + ignoreReason})
			}}}, nil
		}
	}
	return nil, errNoFix
}

// Rules lists the IDs of the rules that have a quick fix besides Ignore,
// in the registry's order.
func Rules() []string {
	var ids []string
	for _, id := range rules.IDs() {
		if _, ok := byRule[id]; ok {
			ids = append(ids, id)
		}
	}
	return ids
}

// Applied is the result of FixAll.
type Applied struct {
	// Edits are minimal, non-overlapping edits of the original files.
	Edits []Edit
	// Fixed are the findings a safe fix was applied for.
	Fixed []runner.Finding
	// Skipped says why the other findings were left alone.
	Skipped []error
}

// FixAll applies the first safe fix of every finding, file by file. Fixes
// are applied one after the other, each to the package as the previous ones
// left it and each verified to type-check, so fixes that both add an
// import or touch the same function do not conflict; a finding whose code
// an earlier fix rewrote is skipped. The result's edits turn the original
// files into the fixed ones. An error is returned only when the context is
// cancelled.
func FixAll(pkg *loader.Package, findings []runner.Finding, opts Options) (*Applied, error) {
	res := &Applied{}
	byFile := map[string][]runner.Finding{}
	var files []string
	for _, f := range findings {
		if _, ok := byFile[f.Pos.Filename]; !ok {
			files = append(files, f.Pos.Filename)
		}
		byFile[f.Pos.Filename] = append(byFile[f.Pos.Filename], f)
	}
	slices.Sort(files)
	for _, name := range files {
		if err := fixFile(pkg, name, byFile[name], opts, res); err != nil {
			return res, err
		}
	}
	return res, nil
}

// shift is an applied edit, in the coordinates of the content it was
// applied to.
type shift struct{ start, end, delta int }

func fixFile(pkg *loader.Package, name string, findings []runner.Finding, opts Options, res *Applied) error {
	orig, err := pkg.ReadFile(name)
	if err != nil {
		res.Skipped = append(res.Skipped, fmt.Errorf("fix %s: %w", name, err))
		return nil
	}
	slices.SortStableFunc(findings, func(a, b runner.Finding) int { return a.Pos.Offset - b.Pos.Offset })
	cur := pkg
	content := orig
	var shifts []shift
	defer func() {
		if cur != pkg {
			cur.Release()
		}
	}()
	for _, f := range findings {
		if err := opts.ctx().Err(); err != nil {
			return err
		}
		g, ok := moveFinding(f, shifts)
		if !ok {
			res.Skipped = append(res.Skipped, fmt.Errorf("%s at %s: an earlier fix rewrote its code", f.Rule, f.Pos))
			continue
		}
		var fixes []Fix
		var checked *loader.Package
		err := safely(func() error {
			var err error
			fixes, checked, err = ruleFixes(cur, g, opts, firstSafe)
			return err
		})
		if len(fixes) == 0 {
			if err == nil {
				err = fmt.Errorf("%s at %s: no safe fix", f.Rule, f.Pos)
			}
			res.Skipped = append(res.Skipped, err)
			continue
		}
		next, aerr := Apply(content, fixes[0].Edits)
		if aerr != nil {
			checked.Release()
			res.Skipped = append(res.Skipped, fmt.Errorf("%s at %s: %w", f.Rule, f.Pos, aerr))
			continue
		}
		for _, e := range fixes[0].Edits {
			shifts = append(shifts, shift{e.Start, e.End, len(e.NewText) - (e.End - e.Start)})
		}
		// Edits of one fix are relative to the same content: record them so
		// that later ones are mapped through earlier ones of the same fix.
		shifts = normalize(shifts, len(fixes[0].Edits))
		if cur != pkg {
			cur.Release()
		}
		cur, content = checked, next
		res.Fixed = append(res.Fixed, f)
	}
	if bytes.Equal(orig, content) {
		return nil
	}
	edits, _, err := minimalEdits(name, orig, content, []region{{0, len(orig)}})
	if err != nil {
		return fmt.Errorf("fix %s: %w", name, err)
	}
	res.Edits = append(res.Edits, edits...)
	return nil
}

// normalize rewrites the last n shifts, which all refer to the same
// content, into a sequence where each refers to the content after the
// previous ones.
func normalize(shifts []shift, n int) []shift {
	last := shifts[len(shifts)-n:]
	slices.SortFunc(last, func(a, b shift) int { return a.start - b.start })
	acc := 0
	for i := range last {
		last[i].start += acc
		last[i].end += acc
		acc += last[i].delta
	}
	return shifts
}

// moveFinding maps a finding's offsets through the applied edits; it
// fails when the finding lies in rewritten text.
func moveFinding(f runner.Finding, shifts []shift) (runner.Finding, bool) {
	move := func(off int) (int, bool) {
		for _, s := range shifts {
			switch {
			case off >= s.end:
				off += s.delta
			case off >= s.start:
				return 0, false
			}
		}
		return off, true
	}
	var ok1, ok2 bool
	f.Pos.Offset, ok1 = move(f.Pos.Offset)
	f.End.Offset, ok2 = move(f.End.Offset)
	if !ok1 || !ok2 {
		return f, false
	}
	var related []runner.Related
	for _, r := range f.Related {
		if r.Pos.Filename != f.Pos.Filename {
			related = append(related, r)
			continue
		}
		p, ok1 := move(r.Pos.Offset)
		e, ok2 := move(r.End.Offset)
		if ok1 && ok2 {
			r.Pos.Offset, r.End.Offset = p, e
			related = append(related, r)
		}
	}
	f.Related = related
	return f, true
}
