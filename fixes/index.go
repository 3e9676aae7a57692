package fixes

import (
	"errors"
	"fmt"
	"go/ast"
	"go/constant"
	"go/token"
	"strconv"
	"strings"

	"github.com/dave/dst"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/failfast-dev/failfast/rules/flow"
	"github.com/failfast-dev/failfast/rules/provenance"
)

// errGuarded is the answer for an index that an earlier fix (or the code)
// already guards: fix-all applied the guard of the slice's largest index
// at its first one.
var errGuarded = errors.New("a length check before it already guards the index")

// indexFix guards x[k] with one "if len(x) < n" before the statement, where
// n covers the largest constant index of x that the statement and the ones
// after it in the same block use unconditionally and unguarded: three
// fields of one record get one check, not three. The failure says what
// was wrong with the input in its own terms.
func indexFix(t *target) ([]candidate, error) {
	ix, ok := node[*ast.IndexExpr](t)
	if !ok {
		return nil, errors.New("no index expression at the finding")
	}
	if !exprOK(ix.Index) {
		return nil, errNoFix
	}
	fc, err := t.failContext(ix)
	if err != nil {
		return nil, err
	}
	k, isConst := constIndex(t, ix.Index)
	if isConst && exprOK(ix.X) && t.lenGuarded(ix, k+1) {
		return nil, errGuarded
	}
	match := isConst && t.isSubmatch(t.sliceSource(fc.fn, ix.X, ix.Pos()))
	return []candidate{{title: titleGuard, safe: true, build: func(rw *rewrite) error {
		stmt, err := rw.stmtInBlock(ix)
		if err != nil {
			return err
		}
		x := rw.text(ix.X)
		src := ix.X
		at, after := stmt, false // where the check goes
		if !exprOK(ix.X) {
			// strings.Split(s, "/")[3]: name the slice first.
			x = rw.fresh(sliceName(ix.X), stmt.Pos())
			dIx, err := dstAs[*dst.IndexExpr](rw, ix)
			if err != nil {
				return err
			}
			slice := dIx.X
			slice.Decorations().Before, slice.Decorations().After = dst.None, dst.None
			dIx.X = dst.NewIdent(x)
			decl := &dst.AssignStmt{Lhs: []dst.Expr{dst.NewIdent(x)}, Tok: token.DEFINE, Rhs: []dst.Expr{slice}}
			if err := rw.insert(stmt, false, decl); err != nil {
				return err
			}
		} else if isConst {
			src = rw.sliceSource(fc.fn, ix.X, stmt.Pos())
			from := stmt
			if def, next := rw.definedInBlock(stmt, ix.X); def != nil {
				// Check the slice where it is made: the statements
				// between (a Lock, a write) need not run for bad input.
				at, from = def, next
			}
			k = rw.largestIndex(from, ix, k)
		}
		var cond string
		var fl failure
		switch {
		case match:
			// A match has every group: nil is the only failure.
			cond = x + " == nil"
			fl = rw.noMatch(src)
		case isConst:
			cond = fmt.Sprintf("len(%s) < %d", x, k+1)
			fl = rw.shortInput(src, x, k+1)
		default:
			cond = "len(" + x + ") <= " + rw.text(ix.Index)
			fl = failure{format: escapePercent(x) + " has %d elements, want more than %d",
				args: []string{"len(" + x + ")", rw.text(ix.Index)}, what: "malformed request"}
		}
		fl.status = "StatusInternalServerError"
		pos := at.Pos()
		if at != stmt {
			after, pos = true, at.End()
		}
		branch, err := rw.branch(fc, fl, pos)
		if err != nil {
			return err
		}
		stmts, err := parseStmts("if " + cond + " {\n" + branch + "\n}")
		if err != nil {
			return err
		}
		return rw.insert(at, after, stmts...)
	}}}, nil
}

// definedInBlock returns the statement before stmt, in stmt's block, that
// last assigns x (parts := strings.Split(line, "=")), and the statement
// after it; nil when there is none.
func (t *target) definedInBlock(stmt ast.Stmt, x ast.Expr) (def, next ast.Stmt) {
	list := t.blockOf(stmt)
	same := func(e ast.Expr) bool { return flow.SameExpr(t.info, e, x) }
	for i, s := range list {
		if s == stmt {
			return def, next
		}
		if flow.Assigns(s, same) {
			def, next = s, list[i+1]
		}
	}
	return nil, nil
}

// blockOf returns the statement list that holds stmt.
func (t *target) blockOf(stmt ast.Stmt) []ast.Stmt {
	path := t.pathTo(stmt)
	if len(path) < 2 {
		return nil
	}
	switch b := path[1].(type) {
	case *ast.BlockStmt:
		return b.List
	case *ast.CaseClause:
		return b.Body
	case *ast.CommClause:
		return b.Body
	}
	return nil
}

// constIndex returns the value of a constant, non-negative index.
func constIndex(t *target, e ast.Expr) (int64, bool) {
	tv, ok := t.info.Types[e]
	if !ok || tv.Value == nil {
		return 0, false
	}
	k, exact := constant.Int64Val(constant.ToInt(tv.Value))
	return k, exact && k >= 0
}

// lenGuarded reports whether a check that len(x) >= n (or, for a regexp
// submatch, x != nil) dominates the index expression ix (x being ix.X).
func (t *target) lenGuarded(ix *ast.IndexExpr, n int64) bool {
	cur, ok := inspector.New([]*ast.File{t.file}).Root().FindNode(ix)
	if !ok {
		return false
	}
	same := func(e ast.Expr) bool { return flow.SameExpr(t.info, e, ix.X) }
	holds := flow.LenAtLeast(t.info, flow.IsLenOf(t.info, same), n)
	if f, err := t.funcAt(ix); err == nil && t.isSubmatch(t.sliceSource(f, ix.X, ix.Pos())) {
		holds = flow.Either(holds, flow.NonNil(same))
	}
	g := &flow.Guard{Info: t.info, Lists: provenance.Default(), Holds: holds,
		Resets: func(s ast.Stmt) bool { return flow.Assigns(s, same) }}
	return g.Dominates(cur)
}

// isSubmatch reports a regexp Find*Submatch call (not FindAll*): its
// result is nil or has every group.
func (t *target) isSubmatch(src ast.Expr) bool {
	names := t.calleeOf(src)
	return len(names) > 0 && strings.HasPrefix(names[0], "regexp.Regexp.Find") &&
		strings.Contains(names[0], "Submatch") && !strings.Contains(names[0], "FindAll")
}

// noMatch describes a failed regexp match of src's input: "malformed date
// %q: want a match of `^(\d+)/(\d+)$`".
func (t *target) noMatch(src ast.Expr) failure {
	call, ok := ast.Unparen(src).(*ast.CallExpr)
	if !ok || len(call.Args) == 0 {
		return failure{format: "no match", what: "malformed request"}
	}
	re := "the pattern"
	if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok {
		re = t.text(sel.X)
		if p, ok := t.patternOf(sel.X); ok {
			re = "`" + p + "`"
			if strings.Contains(p, "`") {
				re = strconv.Quote(p)
			}
		}
	}
	in := call.Args[0]
	noun := inputNoun(t, in)
	fl := failure{format: "malformed " + noun + ": want a match of " + escapePercent(re),
		what: "malformed " + noun + ": want a match of " + re}
	if exprOK(in) {
		fl.format = "malformed " + noun + " %q: want a match of " + escapePercent(re)
		fl.args = []string{t.text(in)}
	}
	return fl
}

// patternOf returns the pattern of a package-level regexp variable
// initialised with regexp.MustCompile of a constant.
func (t *target) patternOf(e ast.Expr) (string, bool) {
	id, ok := ast.Unparen(e).(*ast.Ident)
	if !ok {
		return "", false
	}
	obj := t.info.Uses[id]
	if obj == nil || obj.Parent() != obj.Pkg().Scope() {
		return "", false
	}
	for _, f := range t.pkg.Syntax {
		for _, d := range f.Decls {
			gd, ok := d.(*ast.GenDecl)
			if !ok {
				continue
			}
			for _, sp := range gd.Specs {
				vs, ok := sp.(*ast.ValueSpec)
				if !ok || len(vs.Names) != len(vs.Values) {
					continue
				}
				for i, n := range vs.Names {
					if t.info.Defs[n] != obj {
						continue
					}
					call, ok := ast.Unparen(vs.Values[i]).(*ast.CallExpr)
					if !ok || len(call.Args) != 1 || lastName(call.Fun) != "MustCompile" {
						return "", false
					}
					return t.constString(call.Args[0])
				}
			}
		}
	}
	return "", false
}

// largestIndex returns the largest constant index of ix.X, starting from
// k, among the indexes that the statements from from on in its block
// evaluate whenever they run (not those in nested blocks, function
// literals or the right of && and ||) and that no check guards, up to the
// next statement that assigns ix.X again.
func (t *target) largestIndex(from ast.Stmt, ix *ast.IndexExpr, k int64) int64 {
	same := func(e ast.Expr) bool { return flow.SameExpr(t.info, e, ix.X) }
	started := false
	for _, s := range t.blockOf(from) {
		if s == from {
			started = true
		}
		if !started {
			continue
		}
		if s != from && flow.Assigns(s, same) {
			break
		}
		unconditional(s, func(e *ast.IndexExpr) {
			if j, ok := constIndex(t, e.Index); ok && j > k && same(e.X) && !t.lenGuarded(e, j+1) {
				k = j
			}
		})
		if flow.Assigns(s, same) {
			break
		}
	}
	return k
}

// unconditional calls f for the index expressions that s evaluates
// whenever it runs.
func unconditional(s ast.Stmt, f func(*ast.IndexExpr)) {
	var visit func(n ast.Node) bool
	visit = func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.BlockStmt, *ast.FuncLit, *ast.CaseClause, *ast.CommClause:
			return false
		case *ast.BinaryExpr:
			if x.Op == token.LAND || x.Op == token.LOR {
				ast.Inspect(x.X, visit)
				return false
			}
		case *ast.IndexExpr:
			f(x)
		}
		return true
	}
	ast.Inspect(s, visit)
}

// sliceSource follows the variable x back to the call that made it (its
// last assignment before the position before in f), for naming what was wrong with the
// input; x itself when there is none.
func (t *target) sliceSource(f *fn, x ast.Expr, before token.Pos) ast.Expr {
	id, ok := ast.Unparen(x).(*ast.Ident)
	if !ok {
		return x
	}
	var src ast.Expr = x
	for _, rhs := range t.assignedTo(f, id) {
		if rhs.Pos() < before {
			src = rhs
		}
	}
	if src != x {
		if _, isRange := t.rangeOver(f, id); isRange {
			return &ast.IndexExpr{X: t.sliceSource(f, src, before)} // a row of src
		}
	}
	return src
}

// rangeOver reports whether id is the value variable of a range statement
// in f, and the ranged expression.
func (t *target) rangeOver(f *fn, id *ast.Ident) (ast.Expr, bool) {
	obj := t.info.Uses[id]
	var x ast.Expr
	ast.Inspect(f.body, func(n ast.Node) bool {
		if rs, ok := n.(*ast.RangeStmt); ok {
			if v, ok := rs.Value.(*ast.Ident); ok && t.info.Defs[v] == obj && obj != nil {
				x = rs.X
			}
		}
		return x == nil
	})
	return x, x != nil
}

// keyValueSeps are the separators of "KEY<sep>VALUE" lines: a split at
// "=", or at most in two at one of the others (strings.SplitN(line, ": ", 2)).
var keyValueSeps = map[string]bool{"=": true, ":": true, ": ": true, " = ": true}

// shortInput describes, in the input's own terms, the failure of a slice x
// (made by src) that has fewer than n elements: "malformed line %q: want
// KEY=VALUE" for a split line, "record %v: want 4 fields, got %d" for a
// csv record, "want 2 arguments, got %d" for the command line.
func (t *target) shortInput(src ast.Expr, x string, n int64) failure {
	got := "len(" + x + ")"
	if entry, ok := ast.Unparen(src).(*ast.IndexExpr); ok && entry.Index != nil {
		// q["code"][0]: a url.Values or http.Header entry.
		if key, ok := t.constString(entry.Index); ok {
			what := "missing " + key
			if strings.HasSuffix(typeName(t.info.TypeOf(entry.X)), "Header") {
				what += " header"
			}
			return failure{format: escapePercent(what), what: what}
		}
	}
	elements := fmt.Sprintf("%d elements", n)
	if n == 1 {
		elements = "1 element"
	}
	fallback := failure{format: escapePercent(x) + ": want at least " + elements + ", got %d",
		args: []string{got}, what: x + ": want at least " + elements}
	if row, ok := src.(*ast.IndexExpr); ok && row.Index == nil {
		// A row of a table: a csv record.
		if names := t.calleeOf(row.X); len(names) > 0 && strings.HasPrefix(names[0], "encoding/csv.") {
			return failure{format: fmt.Sprintf("record %%q: want %d fields, got %%d", n), args: []string{x, got},
				what: fmt.Sprintf("malformed record: want %d fields", n)}
		}
		return fallback
	}
	if sl, ok := ast.Unparen(src).(*ast.SliceExpr); ok && sl.High == nil {
		// args := os.Args[1:]
		if _, ok := constIndex(t, sl.Low); ok && t.isArgs(sl.X) {
			return failure{format: "want " + arguments(n) + ", got %d", args: []string{got}, what: "want " + arguments(n)}
		}
	}
	if t.isArgs(src) {
		if n <= 1 {
			return fallback
		}
		return failure{format: "want " + arguments(n-1) + ", got %d", args: []string{got + "-1"}, what: "want " + arguments(n-1)}
	}
	names := t.calleeOf(src)
	call, isCall := ast.Unparen(src).(*ast.CallExpr)
	if len(names) == 0 || !isCall {
		return fallback
	}
	name := names[0]
	base := name[strings.LastIndexByte(name, '.')+1:]
	switch {
	case name == "encoding/csv.Reader.Read":
		return failure{format: fmt.Sprintf("record %%q: want %d fields, got %%d", n), args: []string{x, got},
			what: fmt.Sprintf("malformed record: want %d fields", n)}
	case name == "flag.Args" || name == "flag.FlagSet.Args":
		return failure{format: "want " + arguments(n) + ", got %d", args: []string{got}, what: "want " + arguments(n)}
	case len(call.Args) == 0:
		return fallback
	}
	in := call.Args[0]
	noun := inputNoun(t, in)
	subject, verb := "", ""
	if exprOK(in) {
		subject, verb = t.text(in), " %q"
	}
	withInput := func(format string, args ...string) failure {
		fl := failure{format: "malformed " + noun + verb + ": want " + format, what: "malformed " + noun + ": want " + format}
		if subject != "" {
			fl.args = append(fl.args, subject)
		}
		fl.args = append(fl.args, args...)
		fl.what = strings.TrimSuffix(fl.what, ", got %d")
		return fl
	}
	switch {
	case strings.HasPrefix(base, "Split") && len(call.Args) >= 2:
		sep, ok := t.constString(call.Args[1])
		if !ok {
			return fallback
		}
		limit, _ := constIndex(t, call.Args[len(call.Args)-1])
		if n == 2 && keyValueSeps[sep] && (sep == "=" || (strings.HasSuffix(base, "N") && limit == 2)) {
			return withInput(escapePercent("KEY" + sep + "VALUE"))
		}
		return withInput(escapePercent(fmt.Sprintf("%d parts separated by %q", n, sep))+", got %d", got)
	case strings.HasPrefix(base, "Fields"):
		if n == 1 {
			return withInput("a word")
		}
		return withInput(fmt.Sprintf("%d fields", n)+", got %d", got)
	}
	return fallback
}

// arguments renders "1 argument", "2 arguments".
func arguments(n int64) string {
	if n == 1 {
		return "1 argument"
	}
	return fmt.Sprintf("%d arguments", n)
}

// calleeOf returns the names of the callee when e is a call, or of the
// variable when e is a listed one (os.Args).
func (t *target) calleeOf(e ast.Expr) []string {
	if call, ok := ast.Unparen(e).(*ast.CallExpr); ok {
		return provenance.CalleeNames(t.info, call)
	}
	if name := provenance.VarName(t.info, e); name != "" {
		return []string{name}
	}
	return nil
}

func (t *target) isArgs(e ast.Expr) bool {
	return provenance.VarName(t.info, e) == "os.Args"
}

func (t *target) constString(e ast.Expr) (string, bool) {
	tv, ok := t.info.Types[e]
	if !ok || tv.Value == nil || tv.Value.Kind() != constant.String {
		return "", false
	}
	return constant.StringVal(tv.Value), true
}

// inputNoun names the text a slice was split from, for a message: the
// variable's name (line), the last field (r.URL.Path: path), the header
// read ("Authorization header"), else "input".
func inputNoun(t *target, e ast.Expr) string {
	switch x := ast.Unparen(e).(type) {
	case *ast.IndexExpr:
		if t.isArgs(x.X) {
			return "argument"
		}
	case *ast.Ident:
		return fixWords(x.Name)
	case *ast.SelectorExpr:
		return fixWords(x.Sel.Name)
	case *ast.CallExpr:
		if len(x.Args) == 1 {
			if k, ok := t.constString(x.Args[0]); ok && k != "" {
				if lastName(x.Fun) == "Get" && strings.Contains(t.text(x.Fun), "Header") {
					return k + " header"
				}
				return k
			}
		}
		if len(x.Args) > 0 {
			return inputNoun(t, x.Args[0]) // strings.TrimSpace(line)
		}
	}
	return "input"
}

// sliceName names a slice computed by a call: "parts" for the strings
// splitters, "match" for regexp submatches, "values" for a url.Values or
// http.Header entry, else "elems".
func sliceName(e ast.Expr) string {
	if _, ok := ast.Unparen(e).(*ast.IndexExpr); ok {
		return "values" // q["code"]
	}
	call, ok := ast.Unparen(e).(*ast.CallExpr)
	if !ok {
		return "elems"
	}
	name := lastName(call.Fun)
	switch {
	case strings.HasPrefix(name, "Split"), name == "Fields", name == "FieldsFunc":
		return "parts"
	case strings.Contains(name, "Submatch"):
		return "match"
	}
	return "elems"
}
