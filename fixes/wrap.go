package fixes

import (
	"errors"
	"fmt"
	"go/ast"
	"go/token"
	"strconv"
	"strings"

	"github.com/dave/dst"
	"github.com/failfast-dev/failfast/rules/flow"
)

// unwrappedFix: the error is formatted with %v or %s, or its text copied
// into a new error; wrap it with %w instead.
func unwrappedFix(t *target) ([]candidate, error) {
	return []candidate{{title: titleWrap, safe: true, build: func(rw *rewrite) error {
		return wrap(rw)
	}}}, nil
}

func wrap(rw *rewrite) error {
	t := rw.target
	// errors.New(err.Error()) and errors.New(fmt.Sprintf(...)).
	if call, ok := node[*ast.CallExpr](t); ok && call.End() == t.end && t.calleeIs(call, "errors", "New") && len(call.Args) == 1 {
		arg := ast.Unparen(call.Args[0])
		if x := errorText(t, arg); x != nil && isErrorType(t.info.TypeOf(x)) {
			e, err := parseExpr(t.text(x)) // a copy of the error is the error itself
			if err != nil {
				return err
			}
			return replaceExpr(rw, call, e)
		}
		f, err := rw.pkgName("fmt", call.Pos())
		if err != nil {
			return err
		}
		if x := errorText(t, arg); x != nil {
			e, err := parseExpr(f + `.Errorf("%w", ` + t.text(x) + ")")
			if err != nil {
				return err
			}
			return replaceExpr(rw, call, e)
		}
		if inner, ok := arg.(*ast.CallExpr); ok && t.calleeIs(inner, "fmt", "Sprintf") {
			if err := wrapArgs(rw, inner); err != nil {
				return err
			}
			e, err := parseExpr(f + ".Errorf(ARGS)")
			if err != nil {
				return err
			}
			dInner, err := dstAs[*dst.CallExpr](rw, inner)
			if err != nil {
				return err
			}
			ec, ok := e.(*dst.CallExpr)
			if !ok {
				return errors.New("internal error: generated code is not a call")
			}
			ec.Args = dInner.Args
			dInner.Args = nil
			return replaceExpr(rw, call, ec)
		}
		if hasErrorText(t, arg) {
			return wrapConcat(rw, call)
		}
		// A fresh errors.New("...") in an "if err != nil" branch.
		return wrapFresh(rw, call)
	}
	if call, ok := node[*ast.CallExpr](t); ok && call.End() == t.end && t.calleeIs(call, "fmt", "Errorf") {
		if len(call.Args) == 1 && hasErrorText(t, call.Args[0]) {
			return wrapConcat(rw, call) // fmt.Errorf(err.Error()), fmt.Errorf("..." + err.Error())
		}
		return wrapFresh(rw, call)
	}
	// The argument of fmt.Errorf formatted with %v.
	arg, ok := node[ast.Expr](t)
	if !ok {
		return errors.New("no expression at the finding")
	}
	for _, n := range t.pathTo(arg)[1:] {
		if call, ok := n.(*ast.CallExpr); ok && t.calleeIs(call, "fmt", "Errorf") {
			return wrapArgs(rw, call)
		}
	}
	return errNoFix
}

// wrapArgs changes the verb of every error argument of a printf-style
// call (fmt.Errorf or fmt.Sprintf) to %w; an err.Error() argument becomes
// err.
func wrapArgs(rw *rewrite, call *ast.CallExpr) error {
	t := rw.target
	if len(call.Args) < 2 {
		return errNoFix
	}
	lit, ok := call.Args[0].(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING {
		return errors.New("the format is not a string literal")
	}
	verbs, err := formatVerbs(lit.Value)
	if err != nil {
		return err
	}
	value := []byte(lit.Value)
	changed := false
	for i, a := range call.Args[1:] {
		if i >= len(verbs) {
			break
		}
		a = ast.Unparen(a)
		x := errorText(t, a)
		if x == nil && !isErrorType(t.info.TypeOf(a)) {
			continue
		}
		switch c := value[verbs[i]]; {
		case c == 'T' || c == 'p' || c == 'w':
			continue // the type's name or the pointer, or already wrapped
		case c != 'v' && c != 's' && c != 'q' && x != nil:
			continue // err.Error() under a verb for numbers: not the rule's
		}
		value[verbs[i]] = 'w'
		changed = true
		if x != nil {
			e, err := parseExpr(t.text(x))
			if err != nil {
				return err
			}
			if err := replaceExpr(rw, call.Args[1+i], e); err != nil {
				return err
			}
		}
	}
	if !changed {
		return errNoFix
	}
	dLit, err := dstAs[*dst.BasicLit](rw, lit)
	if err != nil {
		return err
	}
	dLit.Value = string(value)
	return nil
}

// wrapFresh turns errors.New("msg") or fmt.Errorf("msg", args...) in an
// "if err != nil" branch into fmt.Errorf("msg: %w", args..., err).
func wrapFresh(rw *rewrite, call *ast.CallExpr) error {
	t := rw.target
	var errExpr ast.Expr
	for _, n := range t.pathTo(call)[1:] {
		if ifs, ok := n.(*ast.IfStmt); ok {
			if errExpr = flow.ErrNotNil(t.info, ifs.Cond); errExpr != nil {
				break
			}
		}
	}
	if errExpr == nil || !exprOK(errExpr) || len(call.Args) == 0 {
		return errNoFix
	}
	lit, ok := call.Args[0].(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING || len(lit.Value) < 2 {
		return errors.New("the message is not a string literal")
	}
	v := lit.Value
	if t.calleeIs(call, "errors", "New") {
		v = strings.ReplaceAll(v, "%", "%%") // a message, now a format
	}
	text := v[:len(v)-1] + ": %w" + v[len(v)-1:]
	f, err := rw.pkgName("fmt", call.Pos())
	if err != nil {
		return err
	}
	args := []string{text}
	for _, a := range call.Args[1:] {
		args = append(args, t.text(a))
	}
	args = append(args, t.text(errExpr))
	e, err := parseExpr(f + ".Errorf(" + strings.Join(args, ", ") + ")")
	if err != nil {
		return err
	}
	return replaceExpr(rw, call, e)
}

// wrapConcat turns errors.New or fmt.Errorf of a string concatenation that
// holds err.Error() into fmt.Errorf with a format: string literals become
// its text, the first err.Error() becomes %w of err, a further one %v, and
// any other operand %s.
func wrapConcat(rw *rewrite, call *ast.CallExpr) error {
	t := rw.target
	var operands []ast.Expr
	var flatten func(e ast.Expr) bool
	flatten = func(e ast.Expr) bool {
		e = ast.Unparen(e)
		if be, ok := e.(*ast.BinaryExpr); ok {
			return be.Op == token.ADD && flatten(be.X) && flatten(be.Y)
		}
		operands = append(operands, e)
		return true
	}
	if len(call.Args) != 1 || !flatten(call.Args[0]) {
		return errNoFix
	}
	if x := errorText(t, operands[0]); len(operands) == 1 && x != nil && isErrorType(t.info.TypeOf(x)) {
		e, err := parseExpr(t.text(x)) // fmt.Errorf(err.Error()) is err
		if err != nil {
			return err
		}
		return replaceExpr(rw, call, e)
	}
	var format strings.Builder
	var args []string
	wrapped := false
	for _, o := range operands {
		if lit, ok := o.(*ast.BasicLit); ok && lit.Kind == token.STRING {
			s, err := strconv.Unquote(lit.Value)
			if err != nil {
				return fmt.Errorf("the string literal %s: %w", lit.Value, err)
			}
			format.WriteString(strings.ReplaceAll(s, "%", "%%"))
			continue
		}
		if x := errorText(t, o); x != nil {
			verb := "%v"
			if !wrapped {
				verb, wrapped = "%w", true
			}
			format.WriteString(verb)
			args = append(args, t.text(x))
			continue
		}
		format.WriteString("%s")
		args = append(args, t.text(o))
	}
	if !wrapped {
		return errNoFix
	}
	f, err := rw.pkgName("fmt", call.Pos())
	if err != nil {
		return err
	}
	e, err := parseExpr(f + ".Errorf(" + strconv.Quote(format.String()) + ", " + strings.Join(args, ", ") + ")")
	if err != nil {
		return err
	}
	return replaceExpr(rw, call, e)
}

// hasErrorText reports whether e is err.Error() or a string concatenation
// with such an operand.
func hasErrorText(t *target, e ast.Expr) bool {
	e = ast.Unparen(e)
	if be, ok := e.(*ast.BinaryExpr); ok && be.Op == token.ADD {
		return hasErrorText(t, be.X) || hasErrorText(t, be.Y)
	}
	return errorText(t, e) != nil
}

// formatVerbs returns the offsets, in the literal's source text, of the
// verb letters of a printf format, one per argument consumed.
func formatVerbs(src string) ([]int, error) {
	if len(src) < 2 {
		return nil, errors.New("bad string literal")
	}
	var verbs []int
	raw := src[0] == '`'
	for i := 1; i < len(src)-1; i++ {
		c := src[i]
		if c == '\\' && !raw {
			i++ // an escape: never a verb
			continue
		}
		if c != '%' {
			continue
		}
		i++
		if i < len(src)-1 && src[i] == '%' {
			continue
		}
		for i < len(src)-1 && strings.IndexByte("+-# 0123456789.", src[i]) >= 0 {
			i++
		}
		if i < len(src)-1 && (src[i] == '*' || src[i] == '[') {
			return nil, errors.New("the format uses * or explicit argument indexes")
		}
		if i >= len(src)-1 {
			return nil, errors.New("the format ends in a bare %")
		}
		verbs = append(verbs, i)
	}
	return verbs, nil
}

// errorText returns X when e is X.Error() for an error X.
func errorText(t *target, e ast.Expr) ast.Expr {
	call, ok := ast.Unparen(e).(*ast.CallExpr)
	if !ok || len(call.Args) != 0 {
		return nil
	}
	sel, ok := call.Fun.(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != "Error" {
		return nil
	}
	if !implementsError(t.info.TypeOf(sel.X)) {
		return nil
	}
	return sel.X
}
