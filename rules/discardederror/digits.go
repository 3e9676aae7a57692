package discardederror

import (
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"regexp/syntax"

	"golang.org/x/tools/go/ast/inspector"

	"github.com/failfast-dev/failfast/rules/provenance"
)

// matchedDigits reports whether call is strconv.Atoi, ParseInt or
// ParseUint (base 10, or 16, 8, 2) of a submatch of a constant regexp whose
// group matches only a non-empty run of digits of that base:
//
//	var functions = regexp.MustCompile(`^([a-z]+)\(([0-9]+),([0-9]+|MAX)\)$`)
//	smatch := functions.FindStringSubmatch(v)
//	minParameters, _ := strconv.ParseInt(smatch[2], 10, 32)
//
// Such text always parses; the only error left is overflow, where the
// parser returns the largest value of the type. A group whose other
// alternatives are literals (`[0-9]+|MAX`) counts when the call lies in
// the branch of an if that excludes each literal (`if x == "MAX" {...}
// else {...}`, also with strings.EqualFold).
func (ch *checker) matchedDigits(c inspector.Cursor, call *ast.CallExpr, names []string) bool {
	base := 0
	switch {
	case provenance.Set(map[string]bool{"strconv.Atoi": true}).Has(names...) && len(call.Args) == 1:
		base = 10
	case provenance.Set(map[string]bool{"strconv.ParseInt": true, "strconv.ParseUint": true}).Has(names...) && len(call.Args) == 3:
		tv, ok := ch.info.Types[call.Args[1]]
		if !ok || tv.Value == nil || tv.Value.Kind() != constant.Int {
			return false
		}
		b, _ := constant.Int64Val(tv.Value)
		base = int(b)
	default:
		return false
	}
	if base != 2 && base != 8 && base != 10 && base != 16 {
		return false // base 0 reads prefixes: "09" does not parse
	}
	arg := ast.Unparen(call.Args[0])
	var argObj types.Object // the variable holding the submatch, if any
	if id, ok := arg.(*ast.Ident); ok {
		argObj = ch.info.Uses[id]
		arg = ch.soleValue(argObj)
	}
	ix, ok := arg.(*ast.IndexExpr)
	if !ok {
		return false
	}
	k, ok := ch.intConstant(ix.Index)
	if !ok {
		return false
	}
	mid, ok := ast.Unparen(ix.X).(*ast.Ident)
	if !ok {
		return false
	}
	find, ok := ast.Unparen(ch.soleValue(ch.info.Uses[mid])).(*ast.CallExpr)
	if !ok || !provenance.Set(map[string]bool{"regexp.Regexp.FindStringSubmatch": true}).Has(provenance.CalleeNames(ch.info, find)...) {
		return false
	}
	sel, ok := ast.Unparen(find.Fun).(*ast.SelectorExpr)
	if !ok {
		return false
	}
	pattern, ok := ch.compiledPattern(sel.X)
	if !ok {
		return false
	}
	re, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		return false
	}
	group := findGroup(re, k)
	if group == nil {
		return false
	}
	alts := []*syntax.Regexp{group.Sub[0]}
	if group.Sub[0].Op == syntax.OpAlternate {
		alts = group.Sub[0].Sub
	}
	for _, a := range alts {
		if only, nonEmpty := digitsOnly(a, base); only && nonEmpty {
			continue
		}
		if a.Op != syntax.OpLiteral || !ch.excluded(c, argObj, ix, string(a.Rune)) {
			return false
		}
	}
	return true
}

// soleValue returns the expression a variable is given where it is
// declared, when that is its only assignment in the package (it is never
// assigned again nor has its address taken); nil otherwise.
func (ch *checker) soleValue(obj types.Object) ast.Expr {
	v, ok := obj.(*types.Var)
	if !ok || v.Pkg() != ch.pass.Pkg {
		return nil
	}
	var value ast.Expr
	writes := 0
	for _, f := range ch.pass.Files {
		if v.Parent() != v.Pkg().Scope() && (v.Pos() < f.Pos() || v.Pos() > f.End()) {
			continue // a local lives in its own file
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.AssignStmt:
				for i, l := range n.Lhs {
					id, ok := ast.Unparen(l).(*ast.Ident)
					if !ok || (ch.info.Defs[id] != obj && ch.info.Uses[id] != obj) {
						continue
					}
					writes++
					if n.Tok == token.DEFINE && len(n.Lhs) == len(n.Rhs) {
						value = n.Rhs[i]
					}
				}
			case *ast.ValueSpec:
				for i, id := range n.Names {
					if ch.info.Defs[id] == obj {
						writes++
						if len(n.Values) == len(n.Names) {
							value = n.Values[i]
						}
					}
				}
			case *ast.UnaryExpr:
				if id, ok := ast.Unparen(n.X).(*ast.Ident); ok && n.Op == token.AND && ch.info.Uses[id] == obj {
					writes += 2
				}
			case *ast.IncDecStmt:
				if id, ok := ast.Unparen(n.X).(*ast.Ident); ok && ch.info.Uses[id] == obj {
					writes += 2
				}
			}
			return true
		})
	}
	if writes != 1 {
		return nil
	}
	return value
}

// compiledPattern returns the pattern of a regexp held by a variable
// whose only value is regexp.MustCompile of a constant.
func (ch *checker) compiledPattern(e ast.Expr) (string, bool) {
	id, ok := ast.Unparen(e).(*ast.Ident)
	if !ok {
		return "", false
	}
	call, ok := ast.Unparen(ch.soleValue(ch.info.Uses[id])).(*ast.CallExpr)
	if !ok || len(call.Args) != 1 || !provenance.Set(map[string]bool{"regexp.MustCompile": true}).Has(provenance.CalleeNames(ch.info, call)...) {
		return "", false
	}
	tv, ok := ch.info.Types[call.Args[0]]
	if !ok || tv.Value == nil || tv.Value.Kind() != constant.String {
		return "", false
	}
	return constant.StringVal(tv.Value), true
}

func (ch *checker) intConstant(e ast.Expr) (int, bool) {
	tv, ok := ch.info.Types[e]
	if !ok || tv.Value == nil || tv.Value.Kind() != constant.Int {
		return 0, false
	}
	n, ok := constant.Int64Val(tv.Value)
	return int(n), ok
}

// findGroup returns capture group k of re.
func findGroup(re *syntax.Regexp, k int) *syntax.Regexp {
	if re.Op == syntax.OpCapture && re.Cap == k {
		return re
	}
	for _, s := range re.Sub {
		if g := findGroup(s, k); g != nil {
			return g
		}
	}
	return nil
}

// digitsOnly reports whether every string re matches consists of digits
// of the base, and whether none of them is empty.
func digitsOnly(re *syntax.Regexp, base int) (only, nonEmpty bool) {
	isDigit := func(r rune) bool {
		switch {
		case r >= '0' && r <= '9':
			return int(r-'0') < base
		case base == 16:
			return r >= 'a' && r <= 'f' || r >= 'A' && r <= 'F'
		}
		return false
	}
	switch re.Op {
	case syntax.OpLiteral:
		if re.Flags&syntax.FoldCase != 0 && base == 16 {
			return false, false
		}
		for _, r := range re.Rune {
			if !isDigit(r) {
				return false, false
			}
		}
		return true, len(re.Rune) > 0
	case syntax.OpCharClass:
		for i := 0; i+1 < len(re.Rune); i += 2 {
			for r := re.Rune[i]; r <= re.Rune[i+1]; r++ {
				if !isDigit(r) {
					return false, false
				}
			}
		}
		return len(re.Rune) > 0, len(re.Rune) > 0
	case syntax.OpCapture:
		return digitsOnly(re.Sub[0], base)
	case syntax.OpPlus:
		return digitsOnly(re.Sub[0], base)
	case syntax.OpStar, syntax.OpQuest:
		only, _ := digitsOnly(re.Sub[0], base)
		return only, false
	case syntax.OpRepeat:
		only, ne := digitsOnly(re.Sub[0], base)
		return only, ne && re.Min >= 1
	case syntax.OpConcat:
		only, nonEmpty = true, false
		for _, s := range re.Sub {
			o, ne := digitsOnly(s, base)
			only, nonEmpty = only && o, nonEmpty || ne
		}
		return only, nonEmpty
	case syntax.OpAlternate:
		only, nonEmpty = true, true
		for _, s := range re.Sub {
			o, ne := digitsOnly(s, base)
			only, nonEmpty = only && o, nonEmpty && ne
		}
		return only, nonEmpty
	}
	return false, false
}

// excluded reports whether the statement at c lies in the branch of an
// enclosing if that the literal lit cannot reach: the else of `x == lit`
// (or strings.EqualFold(x, lit)), or the body of `x != lit`, where x is the
// variable obj or the submatch expression ix itself.
func (ch *checker) excluded(c inspector.Cursor, obj types.Object, ix *ast.IndexExpr, lit string) bool {
	same := func(e ast.Expr) bool {
		e = ast.Unparen(e)
		if id, ok := e.(*ast.Ident); ok && obj != nil {
			return ch.info.Uses[id] == obj
		}
		return types.ExprString(e) == types.ExprString(ix)
	}
	isLit := func(e ast.Expr) bool {
		tv, ok := ch.info.Types[e]
		return ok && tv.Value != nil && tv.Value.Kind() == constant.String && constant.StringVal(tv.Value) == lit
	}
	tests := func(cond ast.Expr) (eq, ok bool) {
		switch x := ast.Unparen(cond).(type) {
		case *ast.BinaryExpr:
			if (x.Op == token.EQL || x.Op == token.NEQ) && (same(x.X) && isLit(x.Y) || same(x.Y) && isLit(x.X)) {
				return x.Op == token.EQL, true
			}
		case *ast.CallExpr:
			if provenance.Set(map[string]bool{"strings.EqualFold": true}).Has(provenance.CalleeNames(ch.info, x)...) && len(x.Args) == 2 &&
				(same(x.Args[0]) && isLit(x.Args[1]) || same(x.Args[1]) && isLit(x.Args[0])) {
				return true, true
			}
		}
		return false, false
	}
	child := c.Node()
	for e := range c.Enclosing() {
		if ifs, ok := e.Node().(*ast.IfStmt); ok {
			if eq, ok := tests(ifs.Cond); ok {
				if eq && ifs.Else != nil && ifs.Else == child || !eq && ifs.Body == child {
					return true
				}
			}
		}
		if _, ok := e.Node().(*ast.FuncLit); ok {
			return false
		}
		child = e.Node()
	}
	return false
}
