package silentdefault

import (
	"fmt"
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"net/textproto"
	"regexp"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/types/typeutil"

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

type checker struct {
	pass  *analysis.Pass
	info  *types.Info
	lists *provenance.Lists
	r     *spec.Reporter
	docs  *provenance.Documents
	// parsers are the package's own functions that parse their input:
	// they return an error and call a listed parser or another of them.
	parsers map[types.Object]bool
	// reporters are the package's functions that report their own
	// failures: each return of a non-nil error follows a call made for its
	// effect (a log) in the same block.
	reporters map[types.Object]bool
}

func run(pass *analysis.Pass, r *spec.Reporter) {
	c := &checker{pass: pass, info: pass.TypesInfo, lists: r.Options().Lists, r: r,
		docs: &provenance.Documents{Info: pass.TypesInfo, Files: pass.Files}}
	c.parsers = c.ownParsers()
	c.reporters = c.ownReporters()
	for file := range r.Files() {
		for cur := range file.Preorder((*ast.IfStmt)(nil), (*ast.CallExpr)(nil)) {
			switch n := cur.Node().(type) {
			case *ast.IfStmt:
				c.ifStmt(cur, n)
			case *ast.CallExpr:
				c.cmpOr(n)
			}
		}
	}
}

// read is an outside value a fallback replaces: the call that reads it and
// the variable holding it (nil when the call is tested directly).
type read struct {
	call     *ast.CallExpr       // the call that reads or parses (nil for a document field)
	asserted *ast.TypeAssertExpr // a field of a document asserted to its type: v, ok := m["k"].(string)
	doc      string              // the document the field is taken from
	v        *types.Var          // the value read (nil if tested directly or discarded)
	field    ast.Expr            // the field the value is stored in, when not a local variable
	okVar    *types.Var          // LookupEnv's found flag, or the parse error
	parse    bool                // a parse whose error selects the fallback
	def      ast.Node            // the statement that defines v / okVar
}

// setting reports whether call reads a value that another part of the
// system is configured to provide: a setting of the process environment
// (or another configured external source), or an application header of
// an HTTP request (X-User, X-Tenant), which a gateway, a proxy or the
// client's SDK is set up to send. Not: a query, form or path parameter, or
// a command-line argument (an optional parameter the caller chose to
// omit: an interface choice, not a misconfiguration), and not a header the
// HTTP standards define (their absence has a meaning of its own).
func (c *checker) setting(call *ast.CallExpr) bool {
	names := provenance.CalleeNames(c.info, call)
	if !c.lists.External.Has(names...) {
		return false
	}
	if names[0] == "net/http.Header.Get" {
		return len(call.Args) == 1 && c.requestHeader(call) && c.applicationHeader(call.Args[0])
	}
	for _, n := range names {
		for _, p := range []string{"net/http.", "net/url.", "flag.", "os.Args", "os.Environ"} {
			if strings.HasPrefix(n, p) {
				return false
			}
		}
	}
	if len(call.Args) > 0 {
		if tv, ok := c.info.Types[call.Args[0]]; ok && tv.Value != nil && conventional(tv.Value.ExactString()) {
			return false
		}
	}
	return true
}

// requestHeader reports whether call reads the header of an incoming
// request (r.Header.Get), not of a response another service sent.
func (c *checker) requestHeader(call *ast.CallExpr) bool {
	get, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok {
		return false
	}
	hdr, ok := ast.Unparen(get.X).(*ast.SelectorExpr)
	if !ok || hdr.Sel.Name != "Header" {
		return false
	}
	t := c.info.TypeOf(hdr.X)
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	n, ok := types.Unalias(t).(*types.Named)
	return ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == "net/http" && n.Obj().Name() == "Request"
}

// applicationHeader reports whether the header name e is a constant that
// names a header no HTTP standard defines: a missing Content-Type or
// X-Forwarded-For has a meaning of its own (the defaults the specifications
// give, a direct connection), a missing X-User means that whatever should
// have sent it did not.
func (c *checker) applicationHeader(e ast.Expr) bool {
	tv, ok := c.info.Types[e]
	if !ok || tv.Value == nil || tv.Value.Kind() != constant.String {
		return false
	}
	name := textproto.CanonicalMIMEHeaderKey(constant.StringVal(tv.Value))
	return !standardHeaders[name] && !strings.HasPrefix(name, "X-Forwarded-") &&
		!strings.HasPrefix(name, "Sec-") && !strings.HasPrefix(name, "Access-Control-")
}

// standardHeaders are the request headers of the HTTP specifications and
// the de facto standard ones of proxies and tracing, whose absence the
// specifications or the convention give a meaning (a missing X-Request-Id
// means "none assigned yet").
var standardHeaders = map[string]bool{
	"Accept": true, "Accept-Charset": true, "Accept-Encoding": true, "Accept-Language": true,
	"Authorization": true, "Cache-Control": true, "Connection": true, "Content-Encoding": true,
	"Content-Language": true, "Content-Length": true, "Content-Type": true, "Cookie": true,
	"Date": true, "Expect": true, "Forwarded": true, "From": true, "Host": true,
	"If-Match": true, "If-Modified-Since": true, "If-None-Match": true, "If-Range": true,
	"If-Unmodified-Since": true, "Max-Forwards": true, "Origin": true, "Pragma": true,
	"Proxy-Authorization": true, "Range": true, "Referer": true, "Te": true, "Traceparent": true,
	"Tracestate": true, "Upgrade": true, "User-Agent": true, "Via": true,
	"X-Real-Ip": true, "X-Request-Id": true, "X-Correlation-Id": true, "X-Requested-With": true,
}

// conventional reports whether the quoted environment variable name is one
// the operating system or the user's shell defines, whose absence has a
// well-known meaning: defaulting it is the convention, not a silent
// misconfiguration.
//
// Names are compared in upper case: Windows does not distinguish
// "LocalAppData" from "LOCALAPPDATA", and "http_proxy" is HTTP_PROXY's
// traditional spelling.
func conventional(quoted string) bool {
	name := strings.ToUpper(strings.Trim(quoted, `"`))
	switch name {
	case "HOME", "USER", "USERNAME", "LOGNAME", "SHELL", "PATH", "PWD", "TERM", "COLORTERM",
		"TMPDIR", "TMP", "TEMP", "EDITOR", "VISUAL", "PAGER", "LANG", "LC_ALL", "LC_CTYPE",
		"COLUMNS", "LINES", "SYSTEMROOT", "USERPROFILE", "APPDATA", "LOCALAPPDATA",
		"PROGRAMDATA", "NO_COLOR", "COMSPEC", "PATHEXT", "TZ",
		// Defined by other software, with a documented meaning when unset.
		"SSL_CERT_FILE", "SSL_CERT_DIR", "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY",
		"KUBECONFIG", "KUBECACHEDIR", "DOCKER_HOST", "DOCKER_CONFIG",
		"CC", "CXX", "PKG_CONFIG", "CGO_ENABLED", "CGO_CFLAGS", "CGO_LDFLAGS", "GCCGO",
		"GOROOT", "GOPATH", "GOOS", "GOARCH", "GOFLAGS", "GOCACHE", "GOBIN", "GOTOOLCHAIN",
		"GOEXPERIMENT", "GODEBUG", "GOMAXPROCS", "GOGC", "GOMEMLIMIT", "GOPROXY", "GOPRIVATE",
		"GONOSUMDB", "GOWORK", "GOENV", "GOTMPDIR", "GOARM", "GOAMD64", "GO386", "GOARM64",
		"GOMIPS", "GOMIPS64", "GOPPC64", "GORISCV64", "GOWASM", "GOFIPS140", "GO_EXTLINK_ENABLED",
		"KRB5_CONFIG", "KRB5CCNAME", "KRB5_KTNAME",
		// Injected by the platform the program runs on, not written by its
		// operator: absent means "not running there".
		"AZURE_FEDERATED_TOKEN_FILE", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_ARN",
		"KUBERNETES_SERVICE_HOST", "KUBERNETES_SERVICE_PORT", "HOSTNAME", "NOTIFY_SOCKET",
		"LISTEN_FDS", "LISTEN_PID", "INVOCATION_ID", "JOURNAL_STREAM", "CI", "GITHUB_ACTIONS":
		return true
	}
	// XDG base directories; the GitHub Actions runner's own variables
	// (ACTIONS_RUNTIME_URL, RUNNER_TEMP), absent when not running there.
	return strings.HasPrefix(name, "XDG_") || strings.HasPrefix(name, "ACTIONS_") || strings.HasPrefix(name, "RUNNER_")
}

// parsesParam reports whether the parse converts a parameter of the
// enclosing function (func retryAfter(t string) Duration): such a
// converter's fallback is its contract, and where the text comes from is
// its callers' business.
func (c *checker) parsesParam(ftype *ast.FuncType, call *ast.CallExpr) bool {
	if ftype == nil || ftype.Params == nil {
		return false
	}
	for _, a := range call.Args {
		if tv, ok := c.info.Types[a]; ok && tv.Value != nil {
			continue // the layout or base
		}
		id, ok := ast.Unparen(a).(*ast.Ident)
		if !ok {
			return false
		}
		obj := c.info.Uses[id]
		if obj == nil {
			return false
		}
		for _, field := range ftype.Params.List {
			for _, name := range field.Names {
				if c.info.Defs[name] == obj {
					return true
				}
			}
		}
		return false
	}
	return false
}

// conventionalHelper reports whether read, inside an envOr(name, def)
// helper fn, reads the variable named by fn's parameter, and every call of
// fn in the package passes a conventional variable name (GOOS, CGO_ENABLED).
func (c *checker) conventionalHelper(fn ast.Node, read *ast.CallExpr) bool {
	fd, ok := fn.(*ast.FuncDecl)
	if !ok || len(read.Args) == 0 {
		return false
	}
	id, ok := ast.Unparen(read.Args[0]).(*ast.Ident)
	if !ok {
		return false
	}
	param := -1
	k := 0
	for _, field := range fd.Type.Params.List {
		for _, name := range field.Names {
			if c.info.Defs[name] != nil && c.info.Defs[name] == c.info.Uses[id] {
				param = k
			}
			k++
		}
	}
	fnObj := c.info.Defs[fd.Name]
	if param < 0 || fnObj == nil {
		return false
	}
	calls := 0
	for _, f := range c.pass.Files {
		bad := false
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || bad {
				return !bad
			}
			var callee *ast.Ident
			switch fun := ast.Unparen(call.Fun).(type) {
			case *ast.Ident:
				callee = fun
			case *ast.SelectorExpr:
				callee = fun.Sel
			}
			if callee == nil || c.info.Uses[callee] != fnObj {
				return true
			}
			calls++
			if param >= len(call.Args) {
				bad = true
				return false
			}
			tv, ok := c.info.Types[call.Args[param]]
			if !ok || tv.Value == nil || !conventional(tv.Value.ExactString()) {
				bad = true
			}
			return !bad
		})
		if bad {
			return false
		}
	}
	return calls > 0
}

// parse reports whether call parses text that may be malformed, and the
// text is not a constant.
func (c *checker) parse(call *ast.CallExpr) bool {
	if !c.lists.Parsers.Has(provenance.CalleeNames(c.info, call)...) && !c.ownParser(call) {
		return false
	}
	for _, a := range call.Args {
		if tv, ok := c.info.Types[a]; !ok || tv.Value == nil {
			return true
		}
	}
	return false // every argument constant: cannot fail at run time
}

// ownParser reports whether call calls one of the package's own parsers.
func (c *checker) ownParser(call *ast.CallExpr) bool {
	id := provenance.CalleeIdent(call)
	return id != nil && c.parsers[c.info.Uses[id]]
}

// ownParsers finds the package's functions that parse their input: they
// have an error result and call a listed parser, or another such function
// (parseDate trying time.Parse with several layouts). Their error means
// what the listed parser's means: the text was malformed.
func (c *checker) ownParsers() map[types.Object]bool {
	var decls []*ast.FuncDecl
	for _, f := range c.pass.Files {
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Body == nil || !returnsErr(c.info, fd) {
				continue
			}
			decls = append(decls, fd)
		}
	}
	parsers := map[types.Object]bool{}
	for changed := true; changed; {
		changed = false
		for _, fd := range decls {
			obj := c.info.Defs[fd.Name]
			if obj == nil || parsers[obj] {
				continue
			}
			ast.Inspect(fd.Body, func(n ast.Node) bool {
				call, ok := n.(*ast.CallExpr)
				if !ok || parsers[obj] {
					return !parsers[obj]
				}
				id := provenance.CalleeIdent(call)
				if c.lists.Parsers.Has(provenance.CalleeNames(c.info, call)...) || (id != nil && parsers[c.info.Uses[id]]) {
					parsers[obj] = true
					changed = true
				}
				return true
			})
		}
	}
	return parsers
}

// reportsOwnFailure reports whether call calls one of the package's
// functions that log each failure before returning it: the caller's
// fallback then follows a failure someone was told about.
func (c *checker) reportsOwnFailure(call *ast.CallExpr) bool {
	id := provenance.CalleeIdent(call)
	return id != nil && c.reporters[c.info.Uses[id]]
}

// ownReporters finds the package's functions whose every return of a
// non-nil error comes after a call statement in the same block
// (fs.Debugf(o, "bad md5 %q: %v", s, err); return "", err), the same test
// the rule applies to a fallback branch.
func (c *checker) ownReporters() map[types.Object]bool {
	reporters := map[types.Object]bool{}
	for _, f := range c.pass.Files {
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Body == nil || !returnsErr(c.info, fd) {
				continue
			}
			if obj := c.info.Defs[fd.Name]; obj != nil && reportsFailures(c.info, fd.Body) {
				reporters[obj] = true
			}
		}
	}
	return reporters
}

// reportsFailures reports whether body returns an error that may be
// non-nil somewhere, and each time only after a call statement of the
// same block.
func reportsFailures(info *types.Info, body *ast.BlockStmt) bool {
	failures, silent := 0, false
	var visit func(stmts []ast.Stmt)
	visit = func(stmts []ast.Stmt) {
		said := false
		for _, st := range stmts {
			switch s := st.(type) {
			case *ast.ExprStmt:
				if _, ok := ast.Unparen(s.X).(*ast.CallExpr); ok {
					said = true
				}
			case *ast.ReturnStmt:
				// A bare return may return a named error that is not nil.
				if len(s.Results) == 0 || !flow.IsNil(info, s.Results[len(s.Results)-1]) {
					failures++
					silent = silent || !said
				}
			}
			ast.Inspect(st, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.FuncLit:
					return false
				case *ast.BlockStmt:
					visit(n.List)
					return false
				case *ast.CaseClause:
					visit(n.Body)
					return false
				case *ast.CommClause:
					visit(n.Body)
					return false
				}
				return true
			})
		}
	}
	visit(body.List)
	return failures > 0 && !silent
}

// returnsErr reports whether fd's last result is an error.
func returnsErr(info *types.Info, fd *ast.FuncDecl) bool {
	res := fd.Type.Results
	if res == nil || len(res.List) == 0 {
		return false
	}
	return isErrorType(info.TypeOf(res.List[len(res.List)-1].Type))
}

func (c *checker) localVar(e ast.Expr) *types.Var {
	id, ok := ast.Unparen(e).(*ast.Ident)
	if !ok || id.Name == "_" {
		return nil
	}
	obj := c.info.ObjectOf(id)
	v, ok := obj.(*types.Var)
	if !ok || v.Pkg() == nil || v.Parent() == v.Pkg().Scope() {
		return nil
	}
	return v
}

// readIn finds in stmt (an assignment or declaration) a read of a setting,
// a parse, or a field of a document, defining the variables the if
// condition tests. fn is the outermost function around stmt.
func (c *checker) readIn(fn ast.Node, stmt ast.Stmt) *read {
	if rd := c.fieldIn(fn, stmt); rd != nil {
		return rd
	}
	lhs, call, ok := flow.CallAssignment(stmt)
	if !ok {
		return nil
	}
	switch {
	case c.setting(call):
		rd := &read{call: call, def: stmt, v: c.localVar(lhs[0])}
		if sel, isSel := ast.Unparen(lhs[0]).(*ast.SelectorExpr); isSel && len(lhs) == 1 {
			rd.field = sel // cfg.DatabaseURL = os.Getenv("DATABASE_URL")
		}
		if len(lhs) == 2 {
			rd.okVar = c.localVar(lhs[1])
		}
		return rd
	case c.parse(call) && len(lhs) >= 2:
		rd := &read{call: call, def: stmt, parse: true, v: c.localVar(lhs[0]), okVar: c.localVar(lhs[len(lhs)-1])}
		if rd.okVar == nil || !isErrorType(rd.okVar.Type()) {
			return nil
		}
		return rd
	case c.parse(call) && len(lhs) == 1:
		v := c.localVar(lhs[0])
		if v == nil || !isErrorType(v.Type()) {
			return nil
		}
		return &read{call: call, def: stmt, parse: true, okVar: v}
	}
	return nil
}

// fieldIn recognizes v, ok := m["currency"].(string), where m holds a
// document from outside (decoded JSON, YAML, a parameter of document
// type): the field is data another system provides, and ok is false when
// it is missing or of the wrong type.
func (c *checker) fieldIn(fn ast.Node, stmt ast.Stmt) *read {
	as, ok := stmt.(*ast.AssignStmt)
	if !ok || len(as.Lhs) != 2 || len(as.Rhs) != 1 {
		return nil
	}
	ta, ok := ast.Unparen(as.Rhs[0]).(*ast.TypeAssertExpr)
	if !ok || ta.Type == nil {
		return nil
	}
	if _, isIndex := ast.Unparen(ta.X).(*ast.IndexExpr); !isIndex {
		return nil
	}
	doc := c.docs.Source(fn, ta.X)
	if doc == "" {
		return nil
	}
	return &read{asserted: ta, doc: doc, def: stmt, v: c.localVar(as.Lhs[0]), okVar: c.localVar(as.Lhs[1])}
}

// expr is the expression that reads the value: the call, or the asserted
// document field.
func (rd *read) expr() ast.Expr {
	if rd.asserted != nil {
		return rd.asserted
	}
	return rd.call
}

// inputs are the expressions the read takes its value from: the call's
// arguments, or the document the field is taken from.
func (rd *read) inputs() []ast.Expr {
	if rd.asserted != nil {
		return []ast.Expr{rd.asserted.X}
	}
	return rd.call.Args
}

func isErrorType(t types.Type) bool {
	return t != nil && types.Identical(t, types.Universe.Lookup("error").Type())
}

// test classifies an if condition against rd: absent is true when the
// then-branch runs for a missing or malformed value, false when it runs for
// a present, well-formed one. ok is false when cond does not test rd.
func (c *checker) test(cond ast.Expr, rd *read) (absent, ok bool) {
	cond = ast.Unparen(cond)
	if u, isNot := cond.(*ast.UnaryExpr); isNot && u.Op == token.NOT {
		a, ok := c.test(u.X, rd)
		return !a, ok
	}
	if rd.okVar != nil && !rd.parse && c.is(cond, rd.okVar) {
		return false, true // if ok { ... }
	}
	b, isBin := cond.(*ast.BinaryExpr)
	if isBin && (b.Op == token.LAND || b.Op == token.LOR) {
		// ok && v != "": present only when both hold; !ok || v == "":
		// absent when either does.
		ax, okx := c.test(b.X, rd)
		ay, oky := c.test(b.Y, rd)
		if !okx || !oky || ax != ay || ax != (b.Op == token.LOR) {
			return false, false
		}
		return ax, true
	}
	if !isBin || (b.Op != token.EQL && b.Op != token.NEQ && b.Op != token.GTR) {
		return false, false
	}
	x, y := ast.Unparen(b.X), ast.Unparen(b.Y)
	if rd.parse {
		if !flow.IsNil(c.info, y) {
			x, y = y, x
		}
		if !flow.IsNil(c.info, y) || !c.is(x, rd.okVar) || b.Op == token.GTR {
			return false, false
		}
		return b.Op == token.NEQ, true
	}
	// A setting: v == "", len(v) == 0, len(v) > 0, os.Getenv("X") != "".
	if isEmpty(x) {
		x, y = y, x
	}
	if call, isCall := x.(*ast.CallExpr); isCall && isBuiltin(c.info, call, "len") && len(call.Args) == 1 {
		x = ast.Unparen(call.Args[0])
		if !isZero(y) {
			return false, false
		}
	} else if !isEmpty(y) || b.Op == token.GTR {
		return false, false
	}
	if !(rd.v != nil && c.is(x, rd.v)) && !(rd.field != nil && flow.SameExpr(c.info, x, rd.field)) && x != ast.Unparen(rd.expr()) {
		return false, false
	}
	return b.Op == token.EQL, true
}

func (c *checker) is(e ast.Expr, v *types.Var) bool {
	id, ok := ast.Unparen(e).(*ast.Ident)
	return ok && v != nil && c.info.ObjectOf(id) == v
}

func isEmpty(e ast.Expr) bool {
	lit, ok := ast.Unparen(e).(*ast.BasicLit)
	return ok && lit.Kind == token.STRING && (lit.Value == `""` || lit.Value == "``")
}

func isZero(e ast.Expr) bool {
	lit, ok := ast.Unparen(e).(*ast.BasicLit)
	return ok && lit.Kind == token.INT && lit.Value == "0"
}

func isBuiltin(info *types.Info, call *ast.CallExpr, name string) bool {
	id, ok := ast.Unparen(call.Fun).(*ast.Ident)
	if !ok || id.Name != name {
		return false
	}
	_, builtin := info.Uses[id].(*types.Builtin)
	return builtin || info.Uses[id] == nil
}

// ifStmt checks an if statement that tests a setting just read or the
// error of a parse just made.
func (c *checker) ifStmt(cur inspector.Cursor, ifs *ast.IfStmt) {
	var rd *read
	outer, _ := flow.OutermostFunc(cur)
	if ifs.Init != nil {
		rd = c.readIn(outer, ifs.Init)
	}
	list, i := flow.StmtList(cur)
	if rd == nil && i > 0 {
		rd = c.readIn(outer, list[i-1])
	}
	if rd == nil {
		// if os.Getenv("X") == "" { ... }
		rd = c.directRead(ifs.Cond)
	}
	if rd == nil {
		return
	}
	absent, ok := c.test(ifs.Cond, rd)
	if !ok {
		return
	}
	fn, ftype, body, _ := flow.EnclosingFunc(cur)
	if rd.call != nil && !rd.parse && c.conventionalHelper(fn, rd.call) {
		return
	}
	if rd.parse && (c.parsesParam(ftype, rd.call) || c.reportsOwnFailure(rd.call)) {
		return
	}
	if absent {
		if fb := c.fallback(ifs.Body.List, rd, body); fb != nil {
			c.report(fb, rd, ifs, fn, ftype, body)
		}
		return
	}
	// The then-branch uses the value; the fallback is the else-branch, the
	// return after the if, or the default assigned before it.
	switch e := ifs.Else.(type) {
	case *ast.BlockStmt:
		if fb := c.fallback(e.List, rd, body); fb != nil {
			c.report(fb, rd, ifs, fn, ftype, body)
		}
		return
	case nil:
	default:
		return
	}
	if flow.Terminates(c.info, c.lists, ifs.Body.List) {
		if next := nextStmt(cur, 2); next != nil {
			if ret, isRet := next.(*ast.ReturnStmt); isRet && len(ret.Results) > 0 && c.returnsValue(ifs.Body, rd) &&
				!c.returnsError(ret) && !notFound(ret) && !c.reusesInput(ret, rd) && !allZero(c.info, ret) {
				c.report(ret, rd, ifs, fn, ftype, body)
			}
		}
		return
	}
	// if v := os.Getenv("X"); v != "" { x = v }, with x := "default" before.
	target := c.assignedFromValue(ifs.Body, rd)
	if target == "" || i < 0 || c.reusesInput(ifs.Body, rd) {
		return
	}
	for j := i - 1; j >= 0; j-- {
		if d := defaultFor(list[j], target); d != nil {
			if !isZeroValue(c.info, d) {
				c.report(d, rd, ifs, fn, ftype, body)
			}
			return
		}
	}
}

// nextStmt returns the statement that runs after the statement at cur
// falls through: the next one in its block or, at the end of the body of
// an if without else, the one after that if (up to levels levels out).
func nextStmt(cur inspector.Cursor, levels int) ast.Stmt {
	list, i := flow.StmtList(cur)
	if i < 0 {
		return nil
	}
	if i+1 < len(list) {
		return list[i+1]
	}
	if levels == 0 {
		return nil
	}
	block := cur.Parent()
	outer := block.Parent()
	ifs, ok := outer.Node().(*ast.IfStmt)
	if !ok || ifs.Else != nil || ifs.Body != block.Node() {
		return nil
	}
	return nextStmt(outer, levels-1)
}

// directRead recognises a condition that calls the setting read itself.
func (c *checker) directRead(cond ast.Expr) *read {
	var found *read
	ast.Inspect(cond, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok || found != nil {
			return found == nil
		}
		if c.setting(call) {
			found = &read{call: call}
			return false
		}
		return true
	})
	return found
}

// returnsValue reports whether block returns the value read, or a value
// built from it (return time.Duration(n) * time.Minute,
// context.WithTimeout(ctx, d)), rather than a yes/no answer computed from
// it (return ip.IsLoopback()).
func (c *checker) returnsValue(block *ast.BlockStmt, rd *read) bool {
	found := false
	ast.Inspect(block, func(n ast.Node) bool {
		if _, lit := n.(*ast.FuncLit); lit {
			return false
		}
		if ret, ok := n.(*ast.ReturnStmt); ok {
			for _, r := range ret.Results {
				if c.is(r, rd.v) || (!isBool(c.info.TypeOf(r)) && c.usesValue(r, rd)) {
					found = true
				}
			}
		}
		return !found
	})
	return found
}

func isBool(t types.Type) bool {
	b, ok := t.(*types.Basic)
	return ok && b.Info()&types.IsBoolean != 0
}

// notFound reports whether ret answers "not found" in a comma-ok function:
// its last result is the constant false. The caller learns of the failure.
func notFound(ret *ast.ReturnStmt) bool {
	if len(ret.Results) < 2 {
		return false
	}
	id, ok := ast.Unparen(ret.Results[len(ret.Results)-1]).(*ast.Ident)
	return ok && id.Name == "false"
}

// reusesInput reports whether n mentions a variable that the read or parse
// takes as input, or the variable the fallback replaces: "try to parse,
// else keep the text as it is" and "append to the default" are not
// fallbacks.
func (c *checker) reusesInput(n ast.Node, rd *read) bool {
	inputs := map[types.Object]bool{}
	for _, a := range rd.inputs() {
		ast.Inspect(a, func(m ast.Node) bool {
			if id, ok := m.(*ast.Ident); ok {
				if v, ok := c.info.Uses[id].(*types.Var); ok {
					inputs[v] = true
				}
			}
			return true
		})
	}
	if len(inputs) == 0 {
		return false
	}
	found := false
	ast.Inspect(n, func(m ast.Node) bool {
		if id, ok := m.(*ast.Ident); ok && inputs[c.info.Uses[id]] {
			found = true
		}
		return !found
	})
	return found
}

// usesValue reports whether block uses the value rd read (or the parse
// result).
func (c *checker) usesValue(block ast.Node, rd *read) bool {
	if rd.v == nil {
		return false
	}
	used := false
	ast.Inspect(block, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok && c.info.Uses[id] == rd.v {
			used = true
		}
		return !used
	})
	return used
}

// assignedFromValue returns the variable or field the block assigns the
// read value to (x in x = v), or "".
func (c *checker) assignedFromValue(block *ast.BlockStmt, rd *read) string {
	if len(block.List) != 1 {
		return ""
	}
	as, ok := block.List[0].(*ast.AssignStmt)
	if !ok || as.Tok != token.ASSIGN || len(as.Lhs) != 1 || len(as.Rhs) != 1 {
		return ""
	}
	if !c.usesValue(as.Rhs[0], rd) && !(rd.v == nil && ast.Unparen(as.Rhs[0]) == rd.expr()) {
		return ""
	}
	target := types.ExprString(as.Lhs[0])
	augments := false
	ast.Inspect(as.Rhs[0], func(n ast.Node) bool {
		if e, ok := n.(ast.Expr); ok && types.ExprString(e) == target {
			augments = true
		}
		return !augments
	})
	if augments {
		return "" // ua = env + " " + ua: the setting extends the default
	}
	return target
}

// defaultFor returns the value stmt assigns to target, or nil.
func defaultFor(stmt ast.Stmt, target string) ast.Expr {
	switch s := stmt.(type) {
	case *ast.AssignStmt:
		if len(s.Lhs) == len(s.Rhs) {
			for k, l := range s.Lhs {
				if types.ExprString(l) == target {
					return s.Rhs[k]
				}
			}
		}
	case *ast.DeclStmt:
		gd, ok := s.Decl.(*ast.GenDecl)
		if !ok {
			return nil
		}
		for _, sp := range gd.Specs {
			vs, ok := sp.(*ast.ValueSpec)
			if !ok || len(vs.Values) != len(vs.Names) {
				continue
			}
			for k, n := range vs.Names {
				if n.Name == target {
					return vs.Values[k]
				}
			}
		}
	}
	return nil
}

// allZero reports whether every result of ret is a zero value or the
// sentinel -1: "no result" or "invalid", which the caller tests for, rather
// than a chosen fallback.
func allZero(info *types.Info, ret *ast.ReturnStmt) bool {
	for _, r := range ret.Results {
		if !isZeroValue(info, r) && !isSentinel(r) {
			return false
		}
	}
	return true
}

// isSentinel reports whether e is the literal -1, the conventional
// "unknown" or "invalid" of a count, size or index.
func isSentinel(e ast.Expr) bool {
	u, ok := ast.Unparen(e).(*ast.UnaryExpr)
	if !ok || u.Op != token.SUB {
		return false
	}
	lit, ok := ast.Unparen(u.X).(*ast.BasicLit)
	return ok && lit.Value == "1"
}

// isZeroValue reports whether e is a zero value (nil, "", 0, false): such a
// "default" is only an initialisation, not a chosen fallback.
func isZeroValue(info *types.Info, e ast.Expr) bool {
	if flow.IsNil(info, e) || isEmpty(e) || isZero(e) {
		return true
	}
	if id, ok := ast.Unparen(e).(*ast.Ident); ok && id.Name == "false" {
		return true
	}
	if cl, ok := ast.Unparen(e).(*ast.CompositeLit); ok && len(cl.Elts) == 0 {
		return true
	}
	if call, ok := ast.Unparen(e).(*ast.CallExpr); ok && isEmptyMake(info, call) {
		return true // make(map[string]any), make([]any, 0): an empty container, as map[string]any{}
	}
	if call, ok := ast.Unparen(e).(*ast.CallExpr); ok && len(call.Args) == 0 {
		if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok {
			return isZeroValue(info, sel.X) // time.Time{}.UTC()
		}
	}
	return false
}

// isEmptyMake reports whether call makes an empty map or slice (make(T),
// make(T, 0), make(T, 0, n)): it holds nothing, like a composite literal
// without elements.
func isEmptyMake(info *types.Info, call *ast.CallExpr) bool {
	if !isBuiltin(info, call, "make") || len(call.Args) == 0 {
		return false
	}
	t := info.TypeOf(call.Args[0])
	if t == nil {
		return false
	}
	switch t.Underlying().(type) {
	case *types.Map:
		return true
	case *types.Slice:
		return len(call.Args) >= 2 && isZero(call.Args[1])
	}
	return false
}

func (c *checker) returnsError(ret *ast.ReturnStmt) bool {
	for _, r := range ret.Results {
		if flow.IsNil(c.info, r) {
			continue
		}
		if c.isErrorValue(r) {
			return true
		}
	}
	return false
}

// isErrorValue reports whether e is an error: of type error, another
// interface that has the method, or a pointer to a named type that
// implements it (*cli.ExitError, an API's *Error reply). A branch that
// returns or stores one answers the failure with an error instead of a
// substitute value.
func (c *checker) isErrorValue(e ast.Expr) bool {
	t := c.info.TypeOf(e)
	if t == nil {
		return false
	}
	return isErrorType(t) || types.Implements(t, errorIface()) && (types.IsInterface(t) || isPointerToNamed(t))
}

// isPointerToNamed reports whether t is a pointer to a named type.
func isPointerToNamed(t types.Type) bool {
	p, ok := t.(*types.Pointer)
	if !ok {
		return false
	}
	_, named := types.Unalias(p.Elem()).(*types.Named)
	return named
}

// assignsError reports whether as stores a non-nil error: a branch that
// replaces a failure with another error (err = fmt.Errorf(...), or
// resp.Error = ErrorBadRequest in an API's reply) reports it.
func (c *checker) assignsError(as *ast.AssignStmt) bool {
	for _, r := range as.Rhs {
		if !flow.IsNil(c.info, r) && c.isErrorValue(r) {
			return true
		}
	}
	return false
}

func errorIface() *types.Interface {
	i, _ := types.Universe.Lookup("error").Type().Underlying().(*types.Interface)
	return i
}

// fallback returns the statement of stmts (a branch taken when the value is
// missing or malformed) that silently substitutes a fallback: an assignment,
// or a return of a value where the function otherwise returns what was
// read. It returns nil when the branch reports (logs, calls anything for
// its effect, mentions the error), skips (continue, break), or fails.
func (c *checker) fallback(stmts []ast.Stmt, rd *read, fnBody *ast.BlockStmt) ast.Node {
	if len(stmts) == 0 {
		return nil
	}
	noisy := false
	ast.Inspect(&ast.BlockStmt{List: stmts}, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.ExprStmt, *ast.GoStmt, *ast.DeferStmt, *ast.SendStmt, *ast.BranchStmt:
			noisy = true
		case *ast.CallExpr:
			if c.lists.IsLog(c.info, n) || c.lists.IsExit(c.info, n) || c.parse(n) {
				noisy = true // logged, or another format is tried
			}
		case *ast.ReturnStmt:
			if c.returnsError(n) || notFound(n) {
				noisy = true
			}
		case *ast.AssignStmt:
			if c.assignsError(n) {
				noisy = true // the fallback is an error: the failure is passed on
			}
		case *ast.Ident:
			if rd.parse && rd.okVar != nil && c.info.Uses[n] == rd.okVar {
				noisy = true // the error is passed on or recorded
			}
		}
		return !noisy
	})
	if noisy {
		return nil
	}
	for _, s := range stmts {
		switch s := s.(type) {
		case *ast.AssignStmt:
			if s.Tok == token.DEFINE {
				continue
			}
			if c.reusesInput(s, rd) || c.appendsToItself(s) {
				return nil
			}
			zero := true
			for _, r := range s.Rhs {
				zero = zero && (isZeroValue(c.info, r) || isSentinel(r))
			}
			if zero {
				return nil // x = nil, n = -1: left empty or marked invalid, not a chosen value
			}
			return s
		case *ast.ReturnStmt:
			if len(s.Results) == 0 || rd.v == nil || fnBody == nil || c.reusesInput(s, rd) || allZero(c.info, s) {
				return nil
			}
			if c.returnsValueElsewhere(fnBody, s, rd.v) {
				return s
			}
			return nil
		}
	}
	return nil
}

// appendsToItself reports whether as only appends to the slices it
// assigns (`unused = append(unused, SopsAgeKeyEnv)`): that records the
// absence, to be reported later, and substitutes no value for the setting.
func (c *checker) appendsToItself(as *ast.AssignStmt) bool {
	if len(as.Lhs) != len(as.Rhs) {
		return false
	}
	for i, r := range as.Rhs {
		call, ok := ast.Unparen(r).(*ast.CallExpr)
		if !ok || !isBuiltin(c.info, call, "append") || len(call.Args) == 0 || !flow.SameExpr(c.info, call.Args[0], as.Lhs[i]) {
			return false
		}
	}
	return true
}

// returnsValueElsewhere reports whether another return statement of the
// function returns an expression using v: the branch's return then replaces
// the value read, rather than answering a yes/no question about it.
func (c *checker) returnsValueElsewhere(fnBody *ast.BlockStmt, not *ast.ReturnStmt, v *types.Var) bool {
	found := false
	ast.Inspect(fnBody, func(n ast.Node) bool {
		if found {
			return false
		}
		if _, lit := n.(*ast.FuncLit); lit {
			return false
		}
		ret, ok := n.(*ast.ReturnStmt)
		if !ok || ret == not {
			return true
		}
		for _, r := range ret.Results {
			ast.Inspect(r, func(m ast.Node) bool {
				if id, ok := m.(*ast.Ident); ok && c.info.Uses[id] == v {
					found = true
				}
				return !found
			})
		}
		return true
	})
	return found
}

// cmpOr reports cmp.Or(os.Getenv("X"), "y").
func (c *checker) cmpOr(call *ast.CallExpr) {
	names := provenance.CalleeNames(c.info, call)
	if len(names) == 0 || names[0] != "cmp.Or" || len(call.Args) < 2 {
		return
	}
	// cmp.Or(os.Getenv("GGOOS"), os.Getenv("GOOS"), runtime.GOOS): each
	// setting but the last falls back to another setting, which is no
	// default; the last one read is judged against the final value.
	var inner *ast.CallExpr
	for _, a := range call.Args[:len(call.Args)-1] {
		if read, ok := ast.Unparen(a).(*ast.CallExpr); ok && c.lists.External.Has(provenance.CalleeNames(c.info, read)...) {
			inner = read
		}
	}
	if inner != nil && c.setting(inner) {
		last := call.Args[len(call.Args)-1]
		if !c.spelledOut(last) || c.documented(inner, []ast.Expr{last}, call) {
			return
		}
		c.r.Report(analysis.Diagnostic{
			Pos: call.Pos(), End: call.End(),
			Message: fmt.Sprintf("%s falls back to %s without a log; a missing or misspelt setting goes unnoticed",
				types.ExprString(inner), types.ExprString(last)),
		})
		return
	}
}

// report reports fallback fb chosen for rd by the if statement ifs,
// unless the code documents it, writes the document back, or answers with
// what the caller gave.
func (c *checker) report(fb ast.Node, rd *read, ifs *ast.IfStmt, fn ast.Node, ftype *ast.FuncType, body *ast.BlockStmt) {
	if rd.asserted != nil && (c.writesBack(body, fb, rd) || c.fromCaller(ftype, body, fb, rd)) {
		return
	}
	value := fallbackValue(fb)
	span := []ast.Node{ifs, fb}
	if d := c.initialDefault(body, fb, rd); d != nil {
		span = append(span, d)
	}
	values := fallbackValues(fb)
	if e, ok := fb.(ast.Expr); ok { // the default assigned before the read
		values = []ast.Expr{e}
	}
	if !rd.parse && !slices.ContainsFunc(values, func(e ast.Expr) bool { return c.spelledOut(e) || c.callersSpellOut(fn, e) }) {
		return // a missing value replaced by a declared or derived default
	}
	if c.documented(rd.expr(), values, span...) {
		return
	}
	var msg string
	src := types.ExprString(rd.expr())
	switch {
	case rd.asserted != nil:
		msg = fmt.Sprintf("%s falls back to %s without a log when it is missing or not a %s; "+
			"%s that lacks the field silently gets a value nobody chose",
			types.ExprString(rd.asserted.X), value, types.ExprString(rd.asserted.Type), rd.doc)
	case rd.parse:
		msg = fmt.Sprintf("when %s fails, %s is used without a log; malformed input is silently replaced", src, value)
	case c.isHeader(rd.call):
		msg = fmt.Sprintf("%s falls back to %s without a log; a client or proxy that stops sending %s goes unnoticed",
			src, value, types.ExprString(rd.call.Args[0]))
	default:
		msg = fmt.Sprintf("%s falls back to %s without a log; a missing or misspelt setting goes unnoticed", src, value)
	}
	d := analysis.Diagnostic{Pos: fb.Pos(), End: fb.End(), Message: msg}
	if e := rd.expr(); e.Pos() < fb.Pos() || e.Pos() >= fb.End() {
		what := "the setting is read here"
		switch {
		case rd.parse:
			what = "the input is parsed here"
		case rd.asserted != nil:
			what = "the field is read here"
		}
		d.Related = []analysis.RelatedInformation{{Pos: e.Pos(), End: e.End(), Message: what}}
	}
	c.r.Report(d)
}

// spelledOut reports whether e is a value written out at the fallback: a
// literal, constant arithmetic on literals and units (`30 * time.Second`,
// `-1`), `true`/`false`, or a composite literal of such values
// (`[]string{"localhost:9092"}`). For a missing setting, header or field
// that is the default nobody declared: a value invented where the code
// needed one. Not spelled out: a named constant or variable (`defaultPath`,
// declared once, where its name and comment state it), a parameter, and a
// value derived from the running system or other input (`runtime.GOOS`,
// `filepath.Join(home, ".cache")`, `c.RawAddress`, `make(...)`).
func (c *checker) spelledOut(e ast.Expr) bool {
	switch e := ast.Unparen(e).(type) {
	case *ast.BasicLit:
		return true
	case *ast.Ident:
		obj, ok := c.info.Uses[e].(*types.Const)
		return ok && obj.Parent() == types.Universe // true, false
	case *ast.UnaryExpr:
		return c.spelledOut(e.X)
	case *ast.BinaryExpr:
		// One side written here makes the whole an invented value:
		// 30 * time.Second, 5 * time.Minute.
		tv, ok := c.info.Types[e]
		return ok && tv.Value != nil && (c.spelledOut(e.X) || c.spelledOut(e.Y))
	case *ast.CallExpr: // a conversion of a constant: time.Duration(30)
		tv, ok := c.info.Types[e]
		return ok && tv.Value != nil && len(e.Args) == 1 && c.spelledOut(e.Args[0])
	case *ast.CompositeLit:
		for _, el := range e.Elts {
			if kv, ok := el.(*ast.KeyValueExpr); ok {
				el = kv.Value
			}
			if !c.spelledOut(el) {
				return false
			}
		}
		return len(e.Elts) > 0
	}
	return false
}

// callersSpellOut reports whether e is a parameter of fn, a declared
// function, that a call of fn in the package fills with a value spelled
// out at the call (`getEnv("DATABASE_URL", "postgres://localhost/app")`):
// the helper's fallback is its callers' invented defaults.
func (c *checker) callersSpellOut(fn ast.Node, e ast.Expr) bool {
	fd, ok := fn.(*ast.FuncDecl)
	id, isIdent := ast.Unparen(e).(*ast.Ident)
	if !ok || !isIdent || fd.Type.Params == nil {
		return false
	}
	param := c.info.Uses[id]
	index, i := -1, 0
	for _, field := range fd.Type.Params.List {
		for _, name := range field.Names {
			if param != nil && c.info.Defs[name] == param {
				index = i
			}
			i++
		}
	}
	callee := c.info.Defs[fd.Name]
	if index < 0 || callee == nil {
		return false
	}
	found := false
	for _, f := range c.pass.Files {
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if found || !ok {
				return !found
			}
			if typeutil.Callee(c.info, call) == callee && index < len(call.Args) && call.Ellipsis == token.NoPos {
				found = c.spelledOut(call.Args[index])
			}
			return !found
		})
	}
	return found
}

// writesBack reports whether fb assigns the variable of a document field
// (v, ok := m["k"].(map[string]any)) that the function later stores back
// into the same field (m["k"] = v): the function is editing the document,
// and the value it creates for a missing field is the section it means to
// write, not a value standing in for one it read.
func (c *checker) writesBack(body *ast.BlockStmt, fb ast.Node, rd *read) bool {
	as, ok := fb.(*ast.AssignStmt)
	if !ok || body == nil || rd.v == nil || len(as.Lhs) != 1 || !c.is(as.Lhs[0], rd.v) {
		return false
	}
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		st, ok := n.(*ast.AssignStmt)
		if !ok || found || st.Tok != token.ASSIGN || len(st.Lhs) != len(st.Rhs) {
			return !found
		}
		for k, l := range st.Lhs {
			if c.is(st.Rhs[k], rd.v) && flow.SameExpr(c.info, l, rd.asserted.X) {
				found = true
			}
		}
		return !found
	})
	return found
}

// fromCaller reports whether the document the field is read from is a
// parameter of the function and the fallback is built from its other
// parameters (return toolName, fmt.Sprintf("%s: %s", label, displayName)
// with displayName := ToolDisplayName(toolName)): the caller chose both the
// document and the answer without the field, as for a converter of its own
// parameter; whether the field may be missing is the callers' business.
func (c *checker) fromCaller(ftype *ast.FuncType, body *ast.BlockStmt, fb ast.Node, rd *read) bool {
	if ftype == nil || ftype.Params == nil || body == nil {
		return false
	}
	params := map[types.Object]bool{}
	for _, field := range ftype.Params.List {
		for _, name := range field.Names {
			if obj := c.info.Defs[name]; obj != nil {
				params[obj] = true
			}
		}
	}
	root := ast.Unparen(rd.asserted.X)
	for {
		if ix, ok := root.(*ast.IndexExpr); ok {
			root = ast.Unparen(ix.X)
			continue
		}
		break
	}
	id, ok := root.(*ast.Ident)
	if !ok || !params[c.info.Uses[id]] {
		return false
	}
	vals := fallbackValues(fb)
	if len(vals) == 0 {
		return false
	}
	uses := false
	for _, v := range vals {
		ok, u := c.given(v, params, body, 3)
		if !ok {
			return false
		}
		uses = uses || u
	}
	return uses
}

// given reports whether e is built only from the parameters params,
// constants, and calls that read nothing from outside, through local
// variables every assignment of which is itself given (up to depth
// levels); usesParam reports whether a parameter takes part.
func (c *checker) given(e ast.Expr, params map[types.Object]bool, body *ast.BlockStmt, depth int) (ok, usesParam bool) {
	ok = true
	ast.Inspect(e, func(n ast.Node) bool {
		if !ok {
			return false
		}
		switch n := n.(type) {
		case *ast.FuncLit:
			ok = false
			return false
		case *ast.CallExpr:
			if c.lists.External.Has(provenance.CalleeNames(c.info, n)...) {
				ok = false
				return false
			}
		case *ast.Ident:
			v, isVar := c.info.Uses[n].(*types.Var)
			if !isVar || v.IsField() {
				return true
			}
			if params[v] {
				usesParam = true
				return true
			}
			if v.Pkg() == nil || v.Parent() == v.Pkg().Scope() || depth == 0 {
				ok = false
				return false
			}
			vok, vu := c.localGiven(v, params, body, depth-1)
			ok, usesParam = ok && vok, usesParam || vu
		}
		return true
	})
	return ok, usesParam
}

// localGiven reports whether every value body assigns to the local v is
// given (see given).
func (c *checker) localGiven(v *types.Var, params map[types.Object]bool, body *ast.BlockStmt, depth int) (ok, usesParam bool) {
	ok = true
	check := func(e ast.Expr) {
		eok, eu := c.given(e, params, body, depth)
		ok, usesParam = ok && eok, usesParam || eu
	}
	ast.Inspect(body, func(n ast.Node) bool {
		if !ok {
			return false
		}
		switch s := n.(type) {
		case *ast.AssignStmt:
			for k, l := range s.Lhs {
				id, isID := ast.Unparen(l).(*ast.Ident)
				if !isID || (c.info.Defs[id] != v && c.info.Uses[id] != v) {
					continue
				}
				if len(s.Lhs) != len(s.Rhs) || (s.Tok != token.ASSIGN && s.Tok != token.DEFINE) {
					ok = false
					return false
				}
				check(s.Rhs[k])
			}
		case *ast.ValueSpec:
			for k, name := range s.Names {
				if c.info.Defs[name] != v {
					continue
				}
				if len(s.Values) == len(s.Names) {
					check(s.Values[k])
				} else if len(s.Values) != 0 {
					ok = false
				}
			}
		case *ast.RangeStmt:
			for _, e := range []ast.Expr{s.Key, s.Value} {
				if e != nil && c.is(e, v) {
					ok = false
				}
			}
		case *ast.UnaryExpr:
			if s.Op == token.AND && c.is(s.X, v) {
				ok = false // &v: written elsewhere
			}
		}
		return ok
	})
	return ok, usesParam
}

func (c *checker) isHeader(call *ast.CallExpr) bool {
	names := provenance.CalleeNames(c.info, call)
	return len(names) > 0 && names[0] == "net/http.Header.Get" && len(call.Args) == 1
}

// initialDefault returns the statement in body that declares the
// variable the fallback fb replaces with the same value fb assigns
// (modified := obj.Created, then modified = obj.Created when the parse
// fails): it is part of the code that chooses the fallback, and a comment
// on it documents the fallback.
func (c *checker) initialDefault(body *ast.BlockStmt, fb ast.Node, rd *read) ast.Node {
	as, ok := fb.(*ast.AssignStmt)
	if !ok || body == nil || rd.v == nil || len(as.Lhs) != 1 || len(as.Rhs) != 1 || !c.is(as.Lhs[0], rd.v) {
		return nil
	}
	var found ast.Node
	ast.Inspect(body, func(n ast.Node) bool {
		if found != nil {
			return false
		}
		switch s := n.(type) {
		case *ast.AssignStmt:
			if s.Tok == token.DEFINE && len(s.Lhs) == 1 && len(s.Rhs) == 1 {
				if id, ok := s.Lhs[0].(*ast.Ident); ok && c.info.Defs[id] == rd.v && flow.SameExpr(c.info, s.Rhs[0], as.Rhs[0]) {
					found = s
				}
			}
		case *ast.ValueSpec:
			if len(s.Names) == 1 && len(s.Values) == 1 && c.info.Defs[s.Names[0]] == rd.v && flow.SameExpr(c.info, s.Values[0], as.Rhs[0]) {
				found = s
			}
		}
		return true
	})
	return found
}

// documented reports whether the author wrote down that the fallback is
// the intended default: a comment from the line above the read to the end
// of the code that chooses the fallback (span) that says "default" or
// "optional" (// optional: defaults to the primary region) or states the
// drop deliberate (provenance.StatesDrop: // if it can't parse, assume
// local), or a doc comment that speaks for the code (see speakers) that
// names the setting and says "default" (// TTL reads SESSION_TTL, default
// 30m) or presents the setting as an override (describesOverride), that
// says the function returns the default, or that states what is returned
// when the input is missing or invalid (// ... or defaultValue when
// missing or invalid); or the fallback is a package-level constant or
// variable declared as the default (declaredDefault). A default stated
// where the code is read is the interface, not a silent guess.
func (c *checker) documented(read ast.Expr, fallback []ast.Expr, span ...ast.Node) bool {
	fset := c.pass.Fset
	var file *ast.File
	for _, f := range c.pass.Files {
		if f.FileStart <= read.Pos() && read.Pos() < f.FileEnd {
			file = f
		}
	}
	if file == nil {
		return false
	}
	first, last := fset.Position(read.Pos()).Line, fset.Position(read.End()).Line
	for _, n := range span {
		first = min(first, fset.Position(n.Pos()).Line)
		last = max(last, fset.Position(n.End()).Line)
	}
	for _, cg := range file.Comments {
		if fset.Position(cg.End()).Line < first-1 || fset.Position(cg.Pos()).Line > last {
			continue
		}
		if saysDefault(cg.Text()) || strings.Contains(strings.ToLower(cg.Text()), "optional") || provenance.StatesDrop(cg.Text()) {
			return true
		}
	}
	names := c.settingNames(read)
	for _, doc := range c.speakers(file, read) {
		text := doc.Text()
		named := slices.ContainsFunc(names, func(n string) bool { return strings.Contains(text, n) })
		if (named && (saysDefault(text) || describesOverride.MatchString(text))) || statesFallback(text) || returnsDefault.MatchString(text) {
			return true
		}
	}
	for _, v := range fallback {
		if c.declaredDefault(v) {
			return true
		}
	}
	return false
}

// settingNames returns the names by which a doc comment may name the
// setting that read reads: the constant key (SOPS_GPG_EXEC) and, when the
// key is a named constant, its name (SopsGpgExecEnv).
func (c *checker) settingNames(read ast.Expr) []string {
	call, ok := read.(*ast.CallExpr)
	if !ok || len(call.Args) == 0 {
		return nil
	}
	key := ast.Unparen(call.Args[0])
	tv, ok := c.info.Types[key]
	if !ok || tv.Value == nil || tv.Value.Kind() != constant.String || constant.StringVal(tv.Value) == "" {
		return nil
	}
	names := []string{constant.StringVal(tv.Value)}
	if sel, ok := key.(*ast.SelectorExpr); ok {
		key = sel.Sel
	}
	if id, ok := key.(*ast.Ident); ok {
		if _, isConst := c.info.Uses[id].(*types.Const); isConst {
			names = append(names, id.Name)
		}
	}
	return names
}

// describesOverride matches a doc comment that presents a setting as
// overriding what the code would otherwise use: "allows for runtime
// modifications by setting the replacement binary via SopsGpgExecEnv",
// "in order of preference: 1. customPath 2. $GNUPGHOME 3. ~/.gnupg".
var describesOverride = regexp.MustCompile(`(?i)\b(overrid(e|es|den|ing)|replacement|replaces?|in\s+order\s+of\s+preference|precedence)\b`)

// returnsDefault matches a doc comment that says the function returns the
// default (// DefaultConfigPath returns the default config path.): what
// it returns is, by its contract, the default.
var returnsDefault = regexp.MustCompile(`(?i)\breturns\s+the\s+default\b`)

// declaredDefault reports whether v names a package-level constant or
// variable of this package whose declaration's comment calls it a default
// (// Default value of allowlist.): the author declared the fallback as
// the default.
func (c *checker) declaredDefault(v ast.Expr) bool {
	id, ok := ast.Unparen(v).(*ast.Ident)
	if !ok {
		return false
	}
	obj := c.info.Uses[id]
	if obj == nil || obj.Pkg() != c.pass.Pkg || obj.Parent() != c.pass.Pkg.Scope() {
		return false
	}
	for _, f := range c.pass.Files {
		for _, d := range f.Decls {
			gd, ok := d.(*ast.GenDecl)
			if !ok || (gd.Tok != token.CONST && gd.Tok != token.VAR) {
				continue
			}
			for _, sp := range gd.Specs {
				vs, ok := sp.(*ast.ValueSpec)
				if !ok || !slices.ContainsFunc(vs.Names, func(n *ast.Ident) bool { return c.info.Defs[n] == obj }) {
					continue
				}
				docs := []*ast.CommentGroup{vs.Doc, vs.Comment}
				if len(gd.Specs) == 1 {
					docs = append(docs, gd.Doc)
				}
				return slices.ContainsFunc(docs, func(cg *ast.CommentGroup) bool { return cg != nil && saysDefault(cg.Text()) })
			}
		}
	}
	return false
}

// speakers returns the doc comments that speak for the code at read: the
// doc comment of the function declaration around it or, when read is in
// the initializer of a package-level variable (var defaultCache =
// sync.OnceValues(func() …)), the variable's doc comment and those of the
// accessors that return its value (func DefaultCache() … { return
// defaultCache() }).
func (c *checker) speakers(file *ast.File, read ast.Expr) []*ast.CommentGroup {
	var docs []*ast.CommentGroup
	for _, d := range file.Decls {
		if read.Pos() < d.Pos() || read.Pos() >= d.End() {
			continue
		}
		switch d := d.(type) {
		case *ast.FuncDecl:
			if d.Doc != nil {
				docs = append(docs, d.Doc)
			}
		case *ast.GenDecl:
			if d.Tok != token.VAR {
				break
			}
			if d.Doc != nil {
				docs = append(docs, d.Doc)
			}
			for _, sp := range d.Specs {
				vs, ok := sp.(*ast.ValueSpec)
				if !ok || read.Pos() < vs.Pos() || read.Pos() >= vs.End() {
					continue
				}
				if vs.Doc != nil {
					docs = append(docs, vs.Doc)
				}
				for _, name := range vs.Names {
					if obj := c.info.Defs[name]; obj != nil {
						docs = append(docs, c.accessorDocs(obj)...)
					}
				}
			}
		}
	}
	return docs
}

// accessorDocs returns the doc comments of the package's functions that
// return the value of the package-level variable v (or of calling it).
func (c *checker) accessorDocs(v types.Object) []*ast.CommentGroup {
	var docs []*ast.CommentGroup
	for _, f := range c.pass.Files {
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Doc == nil || fd.Body == nil {
				continue
			}
			found := false
			ast.Inspect(fd.Body, func(n ast.Node) bool {
				if _, lit := n.(*ast.FuncLit); lit || found {
					return false
				}
				ret, ok := n.(*ast.ReturnStmt)
				if !ok {
					return true
				}
				for _, r := range ret.Results {
					e := ast.Unparen(r)
					if call, isCall := e.(*ast.CallExpr); isCall && len(call.Args) == 0 {
						e = ast.Unparen(call.Fun)
					}
					if id, isID := e.(*ast.Ident); isID && c.info.Uses[id] == v {
						found = true
					}
				}
				return false
			})
			if found {
				docs = append(docs, fd.Doc)
			}
		}
	}
	return docs
}

// fallbackContract matches a sentence of a doc comment stating what the
// function returns or uses when its input is missing or invalid: "returns
// the named query parameter parsed as int, or defaultValue when missing,
// invalid, or negative", "uses 30s if the value is not set", "falls back
// to the primary region when REGION is empty". Its second group is what is
// returned; a sentence that returns an error ("returns an error if the
// value is invalid") states a failure, not a fallback. A doc comment that
// merely mentions a default states nothing about missing or invalid input.
var fallbackContract = regexp.MustCompile(`(?i)\b(returns?|returning|or|uses?|using|defaults?\s+to|falls?\s+back\s+to|falling\s+back\s+to)\s+([^.;]*?)\b(when|if|on|unless|in\s+case)\b[^.;]*?\b(missing|invalid|unset|not\s+set|empty|absent|malformed|unparsable|unparseable|not\s+valid|cannot\s+be\s+parsed|can't\s+be\s+parsed|fails|failure|errors?|not\s+present)\b`)

var mentionsError = regexp.MustCompile(`(?i)\berr(or)?s?\b`)

// statesFallback reports whether a doc comment states what the function
// returns or uses when its input is missing or invalid (fallbackContract).
func statesFallback(doc string) bool {
	text := strings.Join(strings.Fields(doc), " ")
	for i := 0; i < len(text); {
		m := fallbackContract.FindStringSubmatchIndex(text[i:])
		if m == nil {
			return false
		}
		if !mentionsError.MatchString(text[i+m[4] : i+m[5]]) {
			return true
		}
		i += m[0] + 1
	}
	return false
}

// saysDefault reports whether a comment speaks of a default or of
// falling back to one.
func saysDefault(text string) bool {
	t := strings.Join(strings.Fields(strings.ToLower(text)), " ")
	return strings.Contains(t, "default") || strings.Contains(t, "fallback to") ||
		strings.Contains(t, "fall back to") || strings.Contains(t, "falling back to")
}

// fallbackValues returns the values a fallback statement substitutes: an
// assignment's right-hand side or a return's results.
func fallbackValues(fb ast.Node) []ast.Expr {
	switch s := fb.(type) {
	case *ast.AssignStmt:
		return s.Rhs
	case *ast.ReturnStmt:
		return s.Results
	}
	return nil
}

// fallbackValue renders what a fallback statement substitutes.
func fallbackValue(fb ast.Node) string {
	switch s := fb.(type) {
	case *ast.AssignStmt:
		if len(s.Lhs) == 1 && len(s.Rhs) == 1 {
			return types.ExprString(s.Rhs[0])
		}
		var parts []string
		for _, r := range s.Rhs {
			parts = append(parts, types.ExprString(r))
		}
		return strings.Join(parts, ", ")
	case *ast.ReturnStmt:
		var parts []string
		for _, r := range s.Results {
			parts = append(parts, types.ExprString(r))
		}
		return strings.Join(parts, ", ")
	case ast.Expr:
		return types.ExprString(s)
	}
	return "a fallback"
}
