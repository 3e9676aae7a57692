package provenance

// This file summarises functions of other packages from their source, for
// the one fact the rules need of a dependency that go/analysis facts do not
// carry (the analysis sees a dependency through its export data, without
// facts of its own): does the function ever return a non-nil error?

import (
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"sync"
)

// quietFiles caches, per source file, which of its functions always return
// nil as their error: the key of a function is its receiver's base type
// name, a dot and its name ("FlagSet.GetConfigFilePath", ".Parse" for a
// function). A file that cannot be read or parsed has an empty set. The
// module cache and GOROOT do not change under a process; the local copy of a
// module that go.mod replaces with a directory is read once per process too.
var quietFiles sync.Map // file name → map[string]bool

// NeverFailsInSource reports whether fn, a function or method declared in
// another package, gives nil as its error result on every return of its
// body, read from the source file its position names (a module's copy in
// the module cache, the standard library's in GOROOT). The last result must
// be of type error; every return statement of the body (not of a function
// literal inside it) must list its results and end with the literal nil;
// a named error result must not be set by a deferred function (the body has
// no defer). A function whose source is not at hand, or that has no body, is
// not known never to fail.
func NeverFailsInSource(fset *token.FileSet, fn *types.Func) bool {
	sig, ok := fn.Type().(*types.Signature)
	if !ok || fset == nil || !fn.Pos().IsValid() {
		return false
	}
	res := sig.Results()
	if res.Len() == 0 || !types.Identical(res.At(res.Len()-1).Type(), types.Universe.Lookup("error").Type()) {
		return false
	}
	file := fset.Position(fn.Pos()).Filename
	if file == "" {
		return false
	}
	quiet, ok := quietFiles.Load(file)
	if !ok {
		quiet, _ = quietFiles.LoadOrStore(file, quietFuncs(file))
	}
	set, ok := quiet.(map[string]bool)
	return ok && set[funcKey(fn)]
}

// funcKey names fn as quietFuncs does.
func funcKey(fn *types.Func) string {
	recv := fn.Signature().Recv()
	if recv == nil {
		return "." + fn.Name()
	}
	t := recv.Type()
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	if n, ok := t.(*types.Named); ok {
		return n.Obj().Name() + "." + fn.Name()
	}
	return "?." + fn.Name()
}

// quietFuncs parses file and returns the keys of its functions whose every
// return gives the literal nil as the last result (see NeverFailsInSource).
func quietFuncs(file string) map[string]bool {
	set := map[string]bool{}
	f, err := parser.ParseFile(token.NewFileSet(), file, nil, parser.SkipObjectResolution)
	if err != nil {
		return set // no source at hand: nothing is known never to fail
	}
	for _, d := range f.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok || fd.Body == nil || fd.Type.Results == nil {
			continue
		}
		if quietBody(fd) {
			set[declKey(fd)] = true
		}
	}
	return set
}

// declKey names the declared function as funcKey names its object.
func declKey(fd *ast.FuncDecl) string {
	if fd.Recv == nil || len(fd.Recv.List) == 0 {
		return "." + fd.Name.Name
	}
	if id := ReceiverTypeName(fd.Recv.List[0].Type); id != nil {
		return id.Name + "." + fd.Name.Name
	}
	return "?." + fd.Name.Name
}

// ReceiverTypeName returns the name of the type a method's receiver
// expression names, through a pointer, parentheses and a generic type's
// parameters (`*Cache[K]` gives Cache), or nil.
func ReceiverTypeName(recv ast.Expr) *ast.Ident {
	for {
		switch x := recv.(type) {
		case *ast.StarExpr:
			recv = x.X
		case *ast.IndexExpr:
			recv = x.X
		case *ast.IndexListExpr:
			recv = x.X
		case *ast.ParenExpr:
			recv = x.X
		case *ast.Ident:
			return x
		default:
			return nil
		}
	}
}

// quietBody reports whether every return of the declaration's body ends in
// the literal nil, and a named last result cannot be set by a defer.
func quietBody(fd *ast.FuncDecl) bool {
	results := fd.Type.Results.List
	last := results[len(results)-1]
	if id, ok := last.Type.(*ast.Ident); !ok || id.Name != "error" {
		return false
	}
	named := len(last.Names) > 0
	quiet := true
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.DeferStmt:
			if named {
				quiet = false
			}
		case *ast.ReturnStmt:
			if len(n.Results) == 0 {
				quiet = false // a bare return gives the named error, whatever set it
				break
			}
			id, ok := ast.Unparen(n.Results[len(n.Results)-1]).(*ast.Ident)
			if !ok || id.Name != "nil" || (len(n.Results) == 1 && fd.Type.Results.NumFields() > 1) {
				quiet = false // return f(): its error, not a nil
			}
		}
		return quiet
	})
	return quiet
}
