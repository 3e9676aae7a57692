package uncheckedindex

import (
	"fmt"
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/edge"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/failfast-dev/failfast/rules/flow"
	"github.com/failfast-dev/failfast/rules/provenance"
	"github.com/failfast-dev/failfast/rules/spec"
)

// Analyzer is the rule's analyzer with the default options.
var Analyzer = New(spec.DefaultOptions())

// New returns the rule's analyzer for the given options.
func New(o *spec.Options) *analysis.Analyzer {
	return spec.NewAnalyzer(ID, summary, o, run)
}

func run(pass *analysis.Pass, r *spec.Reporter) {
	c := &checker{pass: pass, info: pass.TypesInfo, lists: r.Options().Lists, r: r}
	c.enders = flow.NewEnders(c.info, c.lists)
	c.inputs = &flow.Inputs{Info: c.info, Lists: c.lists, Pkg: pass.Pkg}
	for file := range r.Files() {
		for cur := range file.Preorder((*ast.IndexExpr)(nil)) {
			c.check(cur)
		}
	}
}

var (
	containsFuncs = provenance.Set{"strings.Contains": true, "bytes.Contains": true}
	indexFuncs    = provenance.Set{
		"strings.Index": true, "strings.LastIndex": true, "strings.IndexRune": true, "strings.IndexByte": true,
		"strings.LastIndexByte": true, "bytes.Index": true, "bytes.LastIndex": true, "bytes.IndexRune": true,
		"bytes.IndexByte": true, "bytes.LastIndexByte": true,
	}
	nargFuncs    = provenance.Set{"flag.NArg": true}
	argsFuncs    = provenance.Set{"flag.Args": true}
	fsNargFuncs  = provenance.Set{"flag.FlagSet.NArg": true}
	fsArgsFuncs  = provenance.Set{"flag.FlagSet.Args": true}
	environFuncs = provenance.Set{"os.Environ": true, "syscall.Environ": true}
	trimFuncs    = provenance.Set{"strings.TrimSpace": true, "bytes.TrimSpace": true}
	prefixFuncs  = provenance.Set{"strings.HasPrefix": true, "strings.HasSuffix": true}
	countFuncs   = provenance.Set{"strings.Count": true, "bytes.Count": true}
	runeFuncs    = provenance.Set{"strings.ContainsRune": true, "bytes.ContainsRune": true}
	cutFuncs     = provenance.Set{"strings.Cut": true, "bytes.Cut": true}
)

type checker struct {
	enders *flow.Enders // shared by the pass's Guards
	inputs *flow.Inputs
	pass   *analysis.Pass
	info   *types.Info
	lists  *provenance.Lists
	r      *spec.Reporter
	stores map[*types.Var][]inspector.Cursor // field → the values stored in it, built on first use
	// fields memoizes fieldOrigin per field: every index of a field
	// asks the same question of the same stores, and a package can
	// index a field thousands of times. A field being traced maps to
	// nil, so a store of the field into itself (x.f = x.f[1:]) adds
	// nothing.
	fields map[*types.Var]*origin
}

// kind is what decides the length of an input-length slice, and so which
// checks protect an index into it.
type kind int

const (
	kindSplit  kind = iota // strings.Split and friends: a length check
	kindMatch              // regexp submatches: nil means no match; a match has every group
	kindValues             // url.Values / http.Header entry: a presence or length check
)

// origin is where an indexed slice got its input-dependent length.
type origin struct {
	src    ast.Expr // the call, variable or lookup that made the slice
	name   string   // how to name it in messages: strings.Split, os.Args
	kind   kind
	minLen int64 // elements the source always returns
	// rowLen, for csv.Reader.ReadAll, is the fields every row has: 1, or
	// the reader's FieldsPerRecord.
	rowLen  int64
	sepSafe bool // Split with a separator: strings.Contains(s, sep) guarantees 2 elements
	fields  bool // strings.Fields: a non-blank trimmed input guarantees 1 element
	list    bool // filepath.SplitList: a non-empty input guarantees 1 element
	// nilIsEmpty: regexp FindAll returns nil for no match, so a nil check
	// guarantees one element.
	nilIsEmpty bool
	// chain lists the expressions known to denote the indexed slice, each
	// with the number of leading elements it lacks compared with the
	// slice (args := os.Args[1:] is os.Args with offset 1).
	chain []alias
	links []ast.Stmt // the assignments that built the chain
	// stores, for a field of the package's own struct type, are the
	// stores into it of an input-length slice.
	stores []fieldStore
}

// fieldStore is a store of an input-length slice into a field: the stored
// value and its origin.
type fieldStore struct {
	cur inspector.Cursor
	o   origin
}

type alias struct {
	expr   ast.Expr
	offset int64
	// from is where the alias starts to denote the slice: the end of the
	// assignment that set the variable. Checks before it are about an
	// older value.
	from token.Pos
}

func (c *checker) check(cur inspector.Cursor) {
	ix, ok := cur.Node().(*ast.IndexExpr)
	if !ok {
		return
	}
	k, ok := flow.IntConst(c.info, ix.Index)
	if !ok || k < 0 {
		return
	}
	if tv, ok := c.info.Types[ix.X]; ok && tv.Type != nil {
		if _, isSlice := tv.Type.Underlying().(*types.Slice); !isSlice {
			return
		}
	}
	o, ok := c.origin(cur, ix.X, 0, 0)
	if !ok || k < o.minLen {
		return
	}
	if o.stores != nil {
		// A field: only a store that no check covers for this index
		// leaves it short.
		off := o.chain[len(o.chain)-1].offset
		var short []fieldStore
		for _, st := range o.stores {
			if !c.guarded(st.cur, st.o, k+off) {
				short = append(short, st)
			}
		}
		if len(short) == 0 {
			return
		}
		o.stores = short
	}
	if c.guarded(cur, o, k) || (o.sepSafe && k+1+o.chain[len(o.chain)-1].offset <= 2 && c.callersGuard(cur, o.src)) {
		return
	}
	if c.indexedBefore(cur, ix, k, o.kind == kindMatch) {
		return
	}
	c.report(ix, o, k)
}

// indexedBefore reports whether the slice of ix, a local variable, was
// indexed at k or beyond on every path before ix, with nothing assigned to
// it since: that index did not panic, so the slice is long enough (for a
// regexp submatch, any index proves a match, and a match has every group).
// pathParts[1] == "orgs" || pathParts[1] == "users" indexes once.
func (c *checker) indexedBefore(cur inspector.Cursor, ix *ast.IndexExpr, k int64, match bool) bool {
	id, ok := ast.Unparen(ix.X).(*ast.Ident)
	if !ok {
		return false
	}
	v, ok := c.info.Uses[id].(*types.Var)
	if !ok {
		return false
	}
	var first token.Pos
	if !flow.EvaluatedBefore(cur, func(e ast.Expr) bool {
		prev, ok := e.(*ast.IndexExpr)
		if !ok {
			return false
		}
		pid, ok := ast.Unparen(prev.X).(*ast.Ident)
		if !ok || c.info.Uses[pid] != v {
			return false
		}
		j, ok := flow.IntConst(c.info, prev.Index)
		if ok && (match || j >= k) && (first == token.NoPos || prev.Pos() < first) {
			first = prev.Pos()
		}
		return ok && (match || j >= k)
	}) {
		return false
	}
	_, _, body, ok := outermostFunc(cur)
	if !ok {
		return false
	}
	changed := false
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case ast.Stmt:
			if n.Pos() > first && flow.Assigns(n, func(e ast.Expr) bool {
				lid, ok := ast.Unparen(e).(*ast.Ident)
				return ok && (c.info.Uses[lid] == v || c.info.Defs[lid] == v)
			}) {
				changed = true
			}
		case *ast.UnaryExpr:
			if aid, ok := ast.Unparen(n.X).(*ast.Ident); ok && n.Op == token.AND && c.info.Uses[aid] == v {
				changed = true
			}
		}
		return !changed
	})
	return !changed
}

// origin follows e back to a call, variable or lookup whose length depends
// on input. off is the number of elements slicing has dropped on the way.
func (c *checker) origin(cur inspector.Cursor, e ast.Expr, off int64, depth int) (origin, bool) {
	if depth > 8 {
		return origin{}, false
	}
	e = ast.Unparen(e)
	switch x := e.(type) {
	case *ast.CallExpr:
		o, ok := c.callOrigin(cur, x)
		if !ok {
			return origin{}, false
		}
		o.chain = append(o.chain, alias{expr: x, offset: off})
		return o, true
	case *ast.SliceExpr:
		lo := int64(0)
		if x.Low != nil {
			v, ok := flow.IntConst(c.info, x.Low)
			if !ok {
				return origin{}, false
			}
			lo = v
		}
		if x.High != nil {
			return origin{}, false // s[:n] has a length the code chose
		}
		o, ok := c.origin(cur, x.X, off+lo, depth+1)
		if !ok {
			return origin{}, false
		}
		o.minLen -= lo
		o.chain = append([]alias{{expr: x, offset: off}}, o.chain...)
		return o, true
	case *ast.IndexExpr:
		return c.entryOrigin(cur, x, off, depth)
	case *ast.SelectorExpr, *ast.Ident:
		if name := provenance.VarName(c.info, x); name != "" {
			if !c.lists.Splitters.Has(name) {
				return origin{}, false
			}
			o := origin{src: x, name: name, kind: kindSplit}
			if name == "os.Args" {
				o.minLen = 1
			}
			o.chain = []alias{{expr: x, offset: off}}
			return o, true
		}
		if sel, ok := x.(*ast.SelectorExpr); ok {
			return c.fieldOrigin(sel, off, depth)
		}
		id, ok := x.(*ast.Ident)
		if !ok {
			return origin{}, false
		}
		return c.varOrigin(cur, id, off, depth)
	}
	return origin{}, false
}

// fieldOrigin follows a field of a struct type of the package to the
// values the package stores in it (Command{Args: fields[1:]}, cmd.Args =
// parts): when one of them is an input-length slice, so is the field.
func (c *checker) fieldOrigin(sel *ast.SelectorExpr, off int64, depth int) (origin, bool) {
	fld, ok := c.info.Uses[sel.Sel].(*types.Var)
	if !ok || !fld.IsField() || fld.Pkg() != c.pass.Pkg {
		return origin{}, false
	}
	if c.fields == nil {
		c.fields = map[*types.Var]*origin{}
	}
	known, seen := c.fields[fld]
	if !seen {
		c.fields[fld] = nil
		if o, ok := c.storedOrigin(fld, depth); ok {
			known = &o
		}
		c.fields[fld] = known
	}
	if known == nil {
		return origin{}, false
	}
	o := *known
	o.chain = []alias{{expr: sel, offset: off}}
	return o, true
}

// storedOrigin combines the origins of the values the package stores in
// the field fld: the shortest length any of them guarantees.
func (c *checker) storedOrigin(fld *types.Var, depth int) (origin, bool) {
	var stores []fieldStore
	for _, v := range c.storesOf(fld) {
		e, ok := v.Node().(ast.Expr)
		if !ok {
			continue
		}
		if so, ok := c.origin(v, e, 0, depth+1); ok {
			stores = append(stores, fieldStore{cur: v, o: so})
		}
	}
	if len(stores) == 0 {
		return origin{}, false
	}
	first := stores[0].o
	o := origin{src: first.src, name: first.name, kind: first.kind, minLen: first.minLen, stores: stores}
	for _, st := range stores[1:] {
		o.minLen = min(o.minLen, st.o.minLen)
	}
	return o, true
}

// storesOf returns the values the package's files store in the field fld:
// the values of composite literal keys and the right-hand sides of
// assignments to a selection of it.
func (c *checker) storesOf(fld *types.Var) []inspector.Cursor {
	if c.stores == nil {
		c.stores = map[*types.Var][]inspector.Cursor{}
		for file := range c.r.Files() {
			for cur := range file.Preorder((*ast.KeyValueExpr)(nil), (*ast.AssignStmt)(nil)) {
				switch n := cur.Node().(type) {
				case *ast.KeyValueExpr:
					if id, ok := n.Key.(*ast.Ident); ok {
						if f, ok := c.info.Uses[id].(*types.Var); ok && f.IsField() {
							c.stores[f] = append(c.stores[f], cur.ChildAt(edge.KeyValueExpr_Value, -1))
						}
					}
				case *ast.AssignStmt:
					if len(n.Lhs) != len(n.Rhs) {
						continue
					}
					for i, l := range n.Lhs {
						if ls, ok := ast.Unparen(l).(*ast.SelectorExpr); ok {
							if f, ok := c.info.Uses[ls.Sel].(*types.Var); ok && f.IsField() {
								c.stores[f] = append(c.stores[f], cur.ChildAt(edge.AssignStmt_Rhs, i))
							}
						}
					}
				}
			}
		}
	}
	return c.stores[fld]
}

// callOrigin recognizes a call of a listed splitter.
func (c *checker) callOrigin(cur inspector.Cursor, call *ast.CallExpr) (origin, bool) {
	names := provenance.CalleeNames(c.info, call)
	if !c.lists.Splitters.Has(names...) {
		return origin{}, false
	}
	o := origin{src: call, name: shortName(names[0]), kind: kindSplit}
	base := names[0][strings.LastIndexByte(names[0], '.')+1:]
	// A split or match of a string the program built itself (a fixed
	// table, an internal ID format, fmt.Sprintf("%T")) is the author's
	// invariant: only a string from input makes the length an assumption.
	if takesString(base) && (len(call.Args) == 0 || !c.inputs.FromInput(cur, call.Args[0])) {
		return origin{}, false
	}
	o.nilIsEmpty = strings.HasPrefix(base, "FindAll")
	switch {
	case strings.HasPrefix(base, "Find") && strings.Contains(base, "Submatch") && !strings.HasPrefix(base, "FindAll"):
		o.kind = kindMatch
	case base == "Split" || base == "SplitAfter" || base == "SplitN" || base == "SplitAfterN":
		if strings.HasPrefix(names[0], "regexp.") {
			break // Regexp.Split(s, n) may return an empty slice
		}
		if len(call.Args) >= 1 && c.isConst(call.Args[0]) {
			return origin{}, false // splitting a constant: the author can count
		}
		if len(call.Args) >= 2 && c.isEnvironEntry(cur, call.Args[0]) {
			return origin{}, false // os.Environ entries are key=value
		}
		o.minLen = 1
		if strings.HasSuffix(base, "N") && len(call.Args) == 3 {
			if n, ok := flow.IntConst(c.info, call.Args[2]); ok && n == 0 {
				o.minLen = 0
			}
		}
		o.sepSafe = len(call.Args) >= 2
	case base == "Fields" && len(call.Args) == 1:
		o.fields = true
	case names[0] == "path/filepath.SplitList" && len(call.Args) == 1:
		o.list = true
	case names[0] == "encoding/csv.Reader.Read":
		o.minLen = max(1, c.fieldsPerRecord(cur, call)) // a record has at least one field
	case names[0] == "encoding/csv.Reader.ReadAll":
		o.rowLen = max(1, c.fieldsPerRecord(cur, call))
	case names[0] == "os.Args":
		o.minLen = 1
	}
	return o, true
}

// fieldsPerRecord returns the number of fields the csv.Reader of call (a
// Read or ReadAll) requires of every record: the constant its
// FieldsPerRecord is set to before the call in the outermost enclosing
// function (`dec.FieldsPerRecord = 12`). With it set, the reader returns
// ErrFieldCount for a record of any other length, so once the error is
// handled a record has exactly that many fields. It returns 0 when the
// field is not set there, or is set to anything but a positive constant.
func (c *checker) fieldsPerRecord(cur inspector.Cursor, call *ast.CallExpr) int64 {
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok {
		return 0
	}
	_, body := flow.OutermostFunc(cur)
	if body == nil {
		return 0
	}
	n, unknown := int64(0), false
	ast.Inspect(body, func(nd ast.Node) bool {
		as, ok := nd.(*ast.AssignStmt)
		if !ok || as.Pos() >= call.Pos() || len(as.Lhs) != len(as.Rhs) {
			return !unknown
		}
		for i, l := range as.Lhs {
			ls, ok := ast.Unparen(l).(*ast.SelectorExpr)
			if !ok || ls.Sel.Name != "FieldsPerRecord" || !flow.SameExpr(c.info, ls.X, sel.X) {
				continue
			}
			if k, ok := flow.IntConst(c.info, as.Rhs[i]); ok && k > 0 && as.Tok == token.ASSIGN && (n == 0 || k == n) {
				n = k
			} else {
				unknown = true
			}
		}
		return !unknown
	})
	if unknown {
		return 0
	}
	return n
}

// entryOrigin recognizes an element of a listed collection whose elements
// are themselves input-length (a url.Values or http.Header entry, a row of
// csv.Reader.ReadAll).
func (c *checker) entryOrigin(cur inspector.Cursor, ix *ast.IndexExpr, off int64, depth int) (origin, bool) {
	tv, ok := c.info.Types[ix.X]
	if !ok || tv.Type == nil {
		return origin{}, false
	}
	if _, isMap := tv.Type.Underlying().(*types.Map); isMap {
		name := namedType(tv.Type)
		switch name {
		case "net/url.Values", "net/http.Header", "net/textproto.MIMEHeader":
		default:
			return origin{}, false
		}
		if flow.ProgramHeaderKey(c.info, ix) {
			return origin{}, false // only the program stores a non-canonical header name
		}
		o := origin{src: ix, name: shortName(name), kind: kindValues}
		o.chain = []alias{{expr: ix, offset: off}}
		return o, true
	}
	// A row of a csv.Reader.ReadAll result.
	outer, ok := c.origin(cur, ix.X, 0, depth+1)
	if !ok || outer.name != "csv.Reader.ReadAll" {
		return origin{}, false
	}
	o := origin{src: outer.src, name: "csv.Reader.ReadAll", kind: kindSplit, minLen: max(1, outer.rowLen)}
	o.chain = []alias{{expr: ix, offset: off}}
	return o, true
}

// varOrigin follows a local variable to the assignment that last set it
// before the use.
func (c *checker) varOrigin(cur inspector.Cursor, id *ast.Ident, off int64, depth int) (origin, bool) {
	obj, ok := c.info.Uses[id].(*types.Var)
	if !ok || obj.Pkg() == nil || obj.Parent() == obj.Pkg().Scope() {
		return origin{}, false
	}
	_, _, body, ok := outermostFunc(cur)
	if !ok {
		return origin{}, false
	}
	var (
		last     ast.Stmt
		lastEnd  token.Pos
		lastRHS  ast.Expr
		rangeRow bool
	)
	ast.Inspect(body, func(n ast.Node) bool {
		if n == nil || n.Pos() >= id.Pos() {
			return n != nil && n.Pos() < id.Pos()
		}
		switch s := n.(type) {
		case *ast.AssignStmt:
			for i, l := range s.Lhs {
				lid, ok := l.(*ast.Ident)
				if !ok || c.info.ObjectOf(lid) != obj {
					continue
				}
				last, lastEnd, rangeRow = s, s.End(), false
				switch {
				case len(s.Lhs) == len(s.Rhs):
					lastRHS = s.Rhs[i]
				case len(s.Rhs) == 1 && i == 0:
					lastRHS = s.Rhs[0] // parts, err := f()
				default:
					lastRHS = nil
				}
			}
		case *ast.ValueSpec:
			for i, name := range s.Names {
				if c.info.ObjectOf(name) != obj {
					continue
				}
				last, lastEnd, rangeRow, lastRHS = nil, s.End(), false, nil
				if len(s.Values) == len(s.Names) {
					lastRHS = s.Values[i]
				} else if len(s.Values) == 1 && i == 0 {
					lastRHS = s.Values[0]
				}
			}
		case *ast.RangeStmt:
			if v, ok := s.Value.(*ast.Ident); ok && c.info.ObjectOf(v) == obj {
				last, lastEnd, rangeRow, lastRHS = s, s.X.End(), true, s.X
			} else if k, ok := s.Key.(*ast.Ident); ok && c.info.ObjectOf(k) == obj {
				last, rangeRow, lastRHS = s, false, nil
			}
		}
		return true
	})
	if lastRHS == nil {
		return origin{}, false
	}
	if rangeRow {
		outer, ok := c.origin(cur, lastRHS, 0, depth+1)
		if !ok || outer.name != "csv.Reader.ReadAll" {
			return origin{}, false
		}
		o := origin{src: outer.src, name: outer.name, kind: kindSplit, minLen: max(1, outer.rowLen)}
		o.chain = []alias{{expr: id, offset: off, from: lastEnd}}
		o.links = []ast.Stmt{last}
		return o, true
	}
	o, ok := c.origin(cur, lastRHS, off, depth+1)
	if !ok {
		return origin{}, false
	}
	if last != nil {
		o.links = append(o.links, last)
	}
	o.chain = append([]alias{{expr: id, offset: off, from: c.defStart(cur, obj, lastEnd)}}, o.chain...)
	return o, true
}

// guarded reports whether a dominating check makes x[k] safe.
func (c *checker) guarded(cur inspector.Cursor, o origin, k int64) bool {
	var holds []flow.Holds
	_, _, body, _ := outermostFunc(cur)
	for _, a := range o.chain {
		same := func(e ast.Expr) bool { return e.Pos() >= a.from && flow.SameExpr(c.info, e, a.expr) }
		isLen := func(e ast.Expr) bool {
			if held, ok := flow.HeldLen(c.info, body, e); ok {
				e = held // depth := len(parts); depth == 4
			}
			return flow.IsLenOf(c.info, same)(e) || c.isNArg(e, a.expr)
		}
		switch o.kind {
		case kindMatch:
			holds = append(holds, flow.NonNil(same), flow.LenAtLeast(c.info, isLen, 1))
		case kindValues:
			holds = append(holds, flow.LenAtLeast(c.info, isLen, k+1+a.offset),
				flow.NonNil(same), c.valuesHas(cur, a.expr))
		default:
			holds = append(holds, flow.LenAtLeastFrom(c.info, isLen, k+1+a.offset, max(0, o.minLen+a.offset)))
			if o.nilIsEmpty && k+1+a.offset <= 1 {
				holds = append(holds, flow.NonNil(same)) // FindAll: nil or at least one match
				if c.findsAny(o.src) {
					holds = append(holds, c.matched(o.src)) // a match of the same input: at least one
				}
			}
		}
	}
	if o.fields && k+o.chain[len(o.chain)-1].offset == 0 {
		holds = append(holds, c.nonBlank(cur, o.src, true))
	}
	if o.list && k+o.chain[len(o.chain)-1].offset == 0 {
		holds = append(holds, c.nonBlank(cur, o.src, false))
	}
	if o.kind == kindMatch {
		holds = append(holds, c.matched(o.src))
	}
	if o.sepSafe {
		_, _, body, _ := outermostFunc(cur)
		holds = append(holds, c.contains(body, o.src, k+1+o.chain[len(o.chain)-1].offset))
	}
	isChainVar := func(e ast.Expr) bool {
		id, ok := ast.Unparen(e).(*ast.Ident)
		if !ok {
			return false
		}
		for _, a := range o.chain {
			if aid, ok := a.expr.(*ast.Ident); ok && flow.SameExpr(c.info, id, aid) {
				return true
			}
		}
		return false
	}
	g := &flow.Guard{
		Info:  c.info,
		Lists: c.lists, Enders: c.enders,
		Holds: flow.Either(holds...),
		Sets: func(s ast.Stmt) bool {
			// parts = append(parts, "") pads the slice in a branch.
			as, ok := s.(*ast.AssignStmt)
			if !ok || len(as.Lhs) != 1 || len(as.Rhs) != 1 || !isChainVar(as.Lhs[0]) {
				return false
			}
			call, ok := ast.Unparen(as.Rhs[0]).(*ast.CallExpr)
			if !ok {
				return false
			}
			fn, ok := ast.Unparen(call.Fun).(*ast.Ident)
			return ok && fn.Name == "append"
		},
		Resets: func(s ast.Stmt) bool {
			for _, l := range o.links {
				if l == s {
					return false
				}
			}
			return flow.Assigns(s, isChainVar)
		},
	}
	return g.Dominates(cur)
}

// isNArg recognizes flag.NArg() and fs.NArg() as the length of flag.Args()
// and fs.Args().
func (c *checker) isNArg(e, slice ast.Expr) bool {
	call, ok := ast.Unparen(e).(*ast.CallExpr)
	if !ok {
		return false
	}
	args, ok := ast.Unparen(slice).(*ast.CallExpr)
	if !ok {
		return false
	}
	n, a := provenance.CalleeNames(c.info, call), provenance.CalleeNames(c.info, args)
	switch {
	case nargFuncs.Has(n...) && argsFuncs.Has(a...):
		return true
	case fsNargFuncs.Has(n...) && fsArgsFuncs.Has(a...):
		cs, ok1 := ast.Unparen(call.Fun).(*ast.SelectorExpr)
		as, ok2 := ast.Unparen(args.Fun).(*ast.SelectorExpr)
		return ok1 && ok2 && flow.SameExpr(c.info, cs.X, as.X)
	}
	return false
}

// valuesHas recognizes q.Has("k") and a comma-ok lookup of q["k"] as
// guarding the entry q["k"].
func (c *checker) valuesHas(cur inspector.Cursor, entry ast.Expr) flow.Holds {
	ix, ok := ast.Unparen(entry).(*ast.IndexExpr)
	if !ok {
		return nil
	}
	_, _, body, _ := outermostFunc(cur)
	present := flow.Present(c.info, body, func(e ast.Expr) bool { return flow.SameExpr(c.info, e, ix) })
	return func(cond ast.Expr, truth bool) bool {
		if present(cond, truth) {
			return true
		}
		call, ok := cond.(*ast.CallExpr)
		if !ok || !truth || len(call.Args) != 1 {
			return false
		}
		sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
		return ok && sel.Sel.Name == "Has" && flow.SameExpr(c.info, sel.X, ix.X) &&
			flow.SameExpr(c.info, call.Args[0], ix.Index)
	}
}

// matched recognizes re.MatchString(s) (and re.Match(b)) holding as a guard
// of re.FindStringSubmatch(s).
func (c *checker) matched(src ast.Expr) flow.Holds {
	find, ok := src.(*ast.CallExpr)
	if !ok || len(find.Args) < 1 {
		return nil
	}
	fsel, ok := ast.Unparen(find.Fun).(*ast.SelectorExpr)
	if !ok {
		return nil
	}
	return func(cond ast.Expr, truth bool) bool {
		call, ok := cond.(*ast.CallExpr)
		if !ok || !truth || len(call.Args) != 1 {
			return false
		}
		sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
		return ok && strings.HasPrefix(sel.Sel.Name, "Match") &&
			flow.SameExpr(c.info, sel.X, fsel.X) && flow.SameExpr(c.info, call.Args[0], find.Args[0])
	}
}

// findsAny reports whether src is a regexp FindAll call whose limit n is
// not the constant 0 (n == 0 finds nothing, matched or not).
func (c *checker) findsAny(src ast.Expr) bool {
	call, ok := src.(*ast.CallExpr)
	if !ok || len(call.Args) != 2 {
		return false
	}
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok || !strings.HasPrefix(sel.Sel.Name, "FindAll") {
		return false
	}
	n, isConst := flow.IntConst(c.info, call.Args[1])
	return !isConst || n != 0
}

// contains recognizes the checks on the split string that guarantee need
// elements: strings.Contains(s, sep), strings.Index(s, sep) >= 0 and
// strings.HasPrefix(s, "key"+sep) give two; strings.Count(s, sep) >= n
// gives n+1, and so does the ok of strings.Cut(s, sep), found in scope.
func (c *checker) contains(scope ast.Node, src ast.Expr, need int64) flow.Holds {
	split, ok := src.(*ast.CallExpr)
	if !ok || len(split.Args) < 2 {
		return nil
	}
	sameArgs := func(call *ast.CallExpr) bool {
		names := provenance.CalleeNames(c.info, call)
		if len(call.Args) != 2 || len(names) == 0 {
			return false
		}
		return flow.SameExpr(c.info, call.Args[0], split.Args[0]) && c.sameSep(call.Args[1], split.Args[1])
	}
	return func(cond ast.Expr, truth bool) bool {
		switch e := cond.(type) {
		case *ast.Ident:
			// _, _, ok := strings.Cut(s, sep); if ok { strings.Split(s, sep)[1] }
			cut := c.cutOf(scope, e)
			return truth && need <= 2 && cut != nil && sameArgs(cut)
		case *ast.CallExpr:
			names := provenance.CalleeNames(c.info, e)
			if truth && prefixFuncs.Has(names...) && len(e.Args) == 2 &&
				flow.SameExpr(c.info, e.Args[0], split.Args[0]) {
				// strings.HasPrefix(a, "case=") before strings.Split(a, "=")
				p, ok1 := c.constString(e.Args[1])
				sep, ok2 := c.constString(split.Args[1])
				return ok1 && ok2 && sep != "" && strings.Contains(p, sep) && need <= 2
			}
			// strings.ContainsRune(part, '=') before strings.Split(part, "=")
			return truth && need <= 2 && (containsFuncs.Has(names...) || runeFuncs.Has(names...)) && sameArgs(e)
		case *ast.BinaryExpr:
			call, ok := ast.Unparen(e.X).(*ast.CallExpr)
			if !ok {
				return false
			}
			if countFuncs.Has(provenance.CalleeNames(c.info, call)...) && sameArgs(call) {
				// strings.Count(s, sep) >= n guarantees n+1 elements; the
				// callers ask for at most need, so n >= need-1 will do.
				k, ok := flow.IntConst(c.info, e.Y)
				if !ok {
					return false
				}
				op := e.Op
				if !truth {
					op = map[token.Token]token.Token{token.LSS: token.GEQ, token.LEQ: token.GTR, token.GEQ: token.LSS, token.GTR: token.LEQ, token.EQL: token.NEQ, token.NEQ: token.EQL}[op]
				}
				switch op {
				case token.GEQ, token.EQL:
					return k+1 >= need
				case token.GTR:
					return k+2 >= need
				}
				return false
			}
			names := provenance.CalleeNames(c.info, call)
			if !indexFuncs.Has(names...) || !sameArgs(call) {
				return false
			}
			k, ok := flow.IntConst(c.info, e.Y)
			if !ok {
				return false
			}
			op := e.Op
			if !truth {
				switch op {
				case token.EQL:
					op = token.NEQ
				case token.NEQ:
					op = token.EQL
				case token.GEQ:
					op = token.LSS
				case token.LSS:
					op = token.GEQ
				default:
					return false
				}
			}
			return need <= 2 && ((op == token.NEQ && k == -1) || (op == token.GEQ && k >= 0) || (op == token.GTR && k >= -1))
		}
		return false
	}
}

// cutOf returns the strings.Cut (or bytes.Cut) call whose found result is
// the only value assigned to the variable ok in scope, or nil.
func (c *checker) cutOf(scope ast.Node, ok *ast.Ident) *ast.CallExpr {
	obj := c.info.ObjectOf(ok)
	if obj == nil || scope == nil {
		return nil
	}
	var cut *ast.CallExpr
	n := 0
	ast.Inspect(scope, func(node ast.Node) bool {
		as, isAssign := node.(*ast.AssignStmt)
		if !isAssign {
			return true
		}
		for i, l := range as.Lhs {
			id, isID := ast.Unparen(l).(*ast.Ident)
			if !isID || c.info.ObjectOf(id) != obj {
				continue
			}
			n++
			if i != 2 || len(as.Lhs) != 3 || len(as.Rhs) != 1 {
				continue
			}
			if call, isCall := ast.Unparen(as.Rhs[0]).(*ast.CallExpr); isCall && cutFuncs.Has(provenance.CalleeNames(c.info, call)...) {
				cut = call
			}
		}
		return true
	})
	if n != 1 {
		return nil
	}
	return cut
}

// sameSep reports whether arg, the separator a check looks for, is the
// split's separator sep: the same expression, or a constant rune or byte
// ('=' for "=").
func (c *checker) sameSep(arg, sep ast.Expr) bool {
	if flow.SameExpr(c.info, arg, sep) {
		return true
	}
	tv, ok := c.info.Types[arg]
	s, ok2 := c.constString(sep)
	if !ok || !ok2 || tv.Value == nil || tv.Value.Kind() != constant.Int {
		return false
	}
	r, exact := constant.Int64Val(tv.Value)
	return exact && string(rune(r)) == s
}

func (c *checker) report(ix *ast.IndexExpr, o origin, k int64) {
	x := types.ExprString(ix.X)
	var msg string
	switch {
	case o.stores != nil:
		st, _ := o.stores[0].cur.Node().(ast.Expr)
		msg = fmt.Sprintf("%s panics when %s has fewer than %d elements: it is set from %s, whose length depends on input, with no length check; check len(%s) first",
			types.ExprString(ix), x, k+1+o.chain[len(o.chain)-1].offset, types.ExprString(st), x)
	case o.kind == kindMatch:
		msg = fmt.Sprintf("%s panics when %s finds no match (it returns nil); check %s != nil first",
			types.ExprString(ix), types.ExprString(o.src), x)
	case o.kind == kindValues:
		msg = fmt.Sprintf("%s panics when %s is missing or empty in the %s; check len(%s) first",
			types.ExprString(ix), types.ExprString(entryKey(o.src)), o.name, x)
	default:
		msg = fmt.Sprintf("%s panics when %s returns fewer than %d elements, which depends on its input; check len(%s) first",
			types.ExprString(ix), srcText(o), k+1+o.chain[len(o.chain)-1].offset, x)
	}
	d := analysis.Diagnostic{Pos: ix.Pos(), End: ix.End(), Message: msg}
	if o.stores != nil {
		st := o.stores[0].cur.Node()
		d.Related = []analysis.RelatedInformation{{Pos: st.Pos(), End: st.End(),
			Message: fmt.Sprintf("%s is set here", x)}}
		c.r.Report(d)
		return
	}
	if o.src != nil && (o.src.Pos() < ix.X.Pos() || o.src.Pos() >= ix.X.End()) {
		d.Related = []analysis.RelatedInformation{{
			Pos: o.src.Pos(), End: o.src.End(),
			Message: fmt.Sprintf("the length of %s is decided by input here", x),
		}}
	}
	c.r.Report(d)
}

// srcText renders the source of an input-length slice for a message.
func srcText(o origin) string {
	if o.src == nil {
		return o.name
	}
	s := types.ExprString(o.src)
	if len(s) > 60 {
		return o.name
	}
	return s
}

func entryKey(e ast.Expr) ast.Expr {
	if ix, ok := ast.Unparen(e).(*ast.IndexExpr); ok {
		return ix.Index
	}
	return e
}

func (c *checker) isConst(e ast.Expr) bool {
	tv, ok := c.info.Types[e]
	return ok && tv.Value != nil
}

// outermostFunc returns the function declaration (or package-level function
// literal) around cur, so that closures see their enclosing function's
// variables.
func outermostFunc(cur inspector.Cursor) (ast.Node, *ast.FuncType, *ast.BlockStmt, bool) {
	var (
		fn   ast.Node
		typ  *ast.FuncType
		body *ast.BlockStmt
	)
	for e := range cur.Enclosing((*ast.FuncDecl)(nil), (*ast.FuncLit)(nil)) {
		switch f := e.Node().(type) {
		case *ast.FuncDecl:
			fn, typ, body = f, f.Type, f.Body
		case *ast.FuncLit:
			fn, typ, body = f, f.Type, f.Body
		}
	}
	return fn, typ, body, fn != nil && body != nil
}

// namedType names a named type as "pkgpath.Type", or "".
func namedType(t types.Type) string {
	n, ok := types.Unalias(t).(*types.Named)
	if !ok || n.Obj().Pkg() == nil {
		return ""
	}
	return n.Obj().Pkg().Path() + "." + n.Obj().Name()
}

// shortName drops the directories of a listed name's package path:
// encoding/csv.Reader.Read becomes csv.Reader.Read.
func shortName(name string) string {
	return name[strings.LastIndexByte(name, '/')+1:]
}

// isEnvironEntry reports whether e is the value variable of a range over
// os.Environ() or syscall.Environ(), whose entries all contain "=".
func (c *checker) isEnvironEntry(cur inspector.Cursor, e ast.Expr) bool {
	id, ok := ast.Unparen(e).(*ast.Ident)
	if !ok {
		return false
	}
	obj := c.info.Uses[id]
	if obj == nil {
		return false
	}
	var def *ast.RangeStmt
	for rc := range cur.Enclosing((*ast.RangeStmt)(nil)) {
		rs, ok := rc.Node().(*ast.RangeStmt)
		if !ok {
			continue
		}
		if v, ok := rs.Value.(*ast.Ident); ok && c.info.Defs[v] == obj {
			def = rs
		}
	}
	if def == nil {
		return false
	}
	call, ok := ast.Unparen(def.X).(*ast.CallExpr)
	return ok && environFuncs.Has(provenance.CalleeNames(c.info, call)...)
}

// callersGuard reports whether the string split by src is a parameter of
// an unexported function that every caller in the package calls only after
// checking that the argument contains the separator:
//
//	if !strings.Contains(arg, "=") { continue }
//	name, value := splitVar(arg)
func (c *checker) callersGuard(cur inspector.Cursor, src ast.Expr) bool {
	split, ok := src.(*ast.CallExpr)
	if !ok || len(split.Args) < 2 {
		return false
	}
	id, ok := ast.Unparen(split.Args[0]).(*ast.Ident)
	if !ok {
		return false
	}
	param, ok := c.info.Uses[id].(*types.Var)
	if !ok {
		return false
	}
	decl, ok := flow.EnclosingFuncDecl(cur)
	if !ok || decl.Name.IsExported() || decl.Recv != nil {
		return false
	}
	fnObj := c.info.Defs[decl.Name]
	index := -1
	i := 0
	for _, field := range decl.Type.Params.List {
		for _, n := range field.Names {
			if c.info.Defs[n] == param {
				index = i
			}
			i++
		}
		if len(field.Names) == 0 {
			i++
		}
	}
	if index < 0 || fnObj == nil {
		return false
	}
	calls := 0
	for f := range c.r.Files() {
		for idc := range f.Preorder((*ast.Ident)(nil)) {
			ref, ok := idc.Node().(*ast.Ident)
			if !ok || c.info.Uses[ref] != fnObj {
				continue
			}
			callc := idc.Parent()
			call, ok := callc.Node().(*ast.CallExpr)
			if !ok || idc.ParentEdgeKind() != edge.CallExpr_Fun || len(call.Args) <= index {
				return false // used as a value: callers unknown
			}
			arg := call.Args[index]
			_, _, body, _ := outermostFunc(callc)
			g := &flow.Guard{Info: c.info, Lists: c.lists, Enders: c.enders,
				Holds: c.contains(body, &ast.CallExpr{Fun: split.Fun, Args: []ast.Expr{arg, split.Args[1]}}, 2)}
			if !g.Dominates(callc) {
				return false
			}
			calls++
		}
	}
	return calls > 0
}

// nonBlank recognizes s != "" (and len(s) > 0) as a guard of
// strings.Fields(s)[0] when s was trimmed of spaces (strings.TrimSpace),
// as a trimmed non-empty string has a field, and (trim false) of
// filepath.SplitList(s)[0], which is empty only for an empty s.
func (c *checker) nonBlank(cur inspector.Cursor, src ast.Expr, trim bool) flow.Holds {
	call, ok := src.(*ast.CallExpr)
	if !ok || len(call.Args) != 1 || trim && !c.trimmed(cur, call.Args[0]) {
		return nil
	}
	arg := call.Args[0]
	same := func(e ast.Expr) bool { return flow.SameExpr(c.info, e, arg) }
	isLen := flow.IsLenOf(c.info, same)
	byLen := flow.LenAtLeast(c.info, isLen, 1)
	return func(cond ast.Expr, truth bool) bool {
		if byLen(cond, truth) {
			return true
		}
		b, ok := cond.(*ast.BinaryExpr)
		if !ok || (b.Op != token.EQL && b.Op != token.NEQ) {
			return false
		}
		x, y := b.X, b.Y
		if !same(x) {
			x, y = y, x
		}
		lit, ok := ast.Unparen(y).(*ast.BasicLit)
		return ok && same(x) && lit.Kind == token.STRING && (lit.Value == `""` || lit.Value == "``") &&
			(b.Op == token.NEQ) == truth
	}
}

// trimmed reports whether e is strings.TrimSpace(...) or a variable that
// the enclosing function assigns from it.
func (c *checker) trimmed(cur inspector.Cursor, e ast.Expr) bool {
	isTrim := func(e ast.Expr) bool {
		call, ok := ast.Unparen(e).(*ast.CallExpr)
		return ok && trimFuncs.Has(provenance.CalleeNames(c.info, call)...)
	}
	if isTrim(e) {
		return true
	}
	id, ok := ast.Unparen(e).(*ast.Ident)
	if !ok {
		return false
	}
	obj := c.info.Uses[id]
	_, _, body, ok := outermostFunc(cur)
	if obj == nil || !ok {
		return false
	}
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		as, ok := n.(*ast.AssignStmt)
		if !ok || len(as.Lhs) != len(as.Rhs) {
			return !found
		}
		for i, l := range as.Lhs {
			if lid, ok := l.(*ast.Ident); ok && c.info.ObjectOf(lid) == obj && isTrim(as.Rhs[i]) {
				found = true
			}
		}
		return !found
	})
	return found
}

// defStart returns where checks of the variable obj start to be about the
// value used at cur: the end of the last assignment to it that is a
// statement of a block enclosing cur (or the init of an enclosing if, for
// or switch). Assignments nested in earlier branches (if a { v = f() } else
// { v = g() }) do not move it: the checks in those branches count.
// fallback is used when no such assignment is found.
func (c *checker) defStart(cur inspector.Cursor, obj types.Object, fallback token.Pos) token.Pos {
	same := func(e ast.Expr) bool {
		id, ok := ast.Unparen(e).(*ast.Ident)
		return ok && c.info.ObjectOf(id) == obj
	}
	for anc := cur; ; {
		parent := anc.Parent()
		if parent.Node() == nil {
			return fallback
		}
		var list []ast.Stmt
		switch p := parent.Node().(type) {
		case *ast.FuncDecl:
			return fallback
		case *ast.BlockStmt:
			list = p.List
		case *ast.CaseClause:
			list = p.Body
		case *ast.CommClause:
			list = p.Body
		case *ast.IfStmt:
			if p.Init != nil && p.Init != anc.Node() && flow.Assigns(p.Init, same) {
				return p.Init.End()
			}
		case *ast.SwitchStmt:
			if p.Init != nil && p.Init != anc.Node() && flow.Assigns(p.Init, same) {
				return p.Init.End()
			}
		case *ast.ForStmt:
			if p.Init != nil && p.Init != anc.Node() && flow.Assigns(p.Init, same) {
				return p.Init.End()
			}
		case *ast.RangeStmt:
			if flow.Assigns(p, same) {
				return p.X.End()
			}
		}
		for i := len(list) - 1; i >= 0; i-- {
			st := list[i]
			if st.Pos() >= anc.Node().Pos() {
				continue
			}
			if flow.Assigns(st, same) {
				return st.End()
			}
		}
		anc = parent
	}
}

// takesString reports the splitters whose first argument is the string (or
// bytes) whose content decides the length: Split*, Fields*, SplitList and
// the regexp Find methods.
func takesString(base string) bool {
	return strings.HasPrefix(base, "Split") || strings.HasPrefix(base, "Fields") || strings.HasPrefix(base, "Find")
}

func (c *checker) constString(e ast.Expr) (string, bool) {
	tv, ok := c.info.Types[e]
	if !ok || tv.Value == nil || tv.Value.Kind() != constant.String {
		return "", false
	}
	return constant.StringVal(tv.Value), true
}
