package provenance

import (
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"strings"
	"testing"
)

const documentSrc = `package p

import "encoding/json"

var table = map[string]any{"a": 1}

var loaded map[string]any

type cfg struct{ Extra map[string]any }

func load() (map[string]any, error) { return nil, nil }

func f(raw map[string]any, c *cfg, v any, rows []map[string]any, ch chan map[string]any, args ...any) {
	var doc map[string]any
	_ = json.Unmarshal(nil, &doc)
	built := map[string]any{"n": 1}
	res, _ := load()
	nested, _ := doc["a"].(map[string]any)
	for _, row := range rows {
		use(row["x"]) // rows
	}
	use(raw["k"])      // raw
	use(c.Extra["k"])  // field
	use(res["k"])      // result
	use(doc["k"])      // decoded
	use(nested["k"])   // nested
	use(<-ch)          // channel
	use(loaded["k"])   // package variable
	use(table["a"])    // table
	use(built["n"])    // built
	use(args[0])       // variadic
	use(v)             // interface parameter
}

func use(any) {}
`

func TestDocumentsSource(t *testing.T) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", documentSrc, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	info := &types.Info{Types: map[ast.Expr]types.TypeAndValue{}, Defs: map[*ast.Ident]types.Object{},
		Uses: map[*ast.Ident]types.Object{}, Selections: map[*ast.SelectorExpr]*types.Selection{}}
	conf := types.Config{Importer: importer.Default()}
	if _, err := conf.Check("p", fset, []*ast.File{f}, info); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"rows":                "the document passed as rows",
		"raw":                 "the document passed as raw",
		"field":               "the document in field c.Extra",
		"result":              "the document returned by load",
		"decoded":             "a document decoded by json.Unmarshal",
		"nested":              "a document decoded by json.Unmarshal",
		"channel":             "a document received from ch",
		"package variable":    "the document in package variable loaded",
		"table":               "",
		"built":               "",
		"variadic":            "",
		"interface parameter": "",
	}
	d := &Documents{Info: info, Files: []*ast.File{f}}
	var fn *ast.FuncDecl
	for _, decl := range f.Decls {
		if fd, ok := decl.(*ast.FuncDecl); ok && fd.Name.Name == "f" {
			fn = fd
		}
	}
	seen := 0
	for _, cg := range f.Comments {
		label := strings.TrimSpace(strings.TrimPrefix(cg.Text(), "//"))
		w, ok := want[label]
		if !ok {
			continue
		}
		seen++
		var arg ast.Expr
		ast.Inspect(fn, func(n ast.Node) bool {
			if call, ok := n.(*ast.CallExpr); ok && fset.Position(call.Pos()).Line == fset.Position(cg.Pos()).Line && len(call.Args) == 1 {
				if id, ok := call.Fun.(*ast.Ident); ok && id.Name == "use" {
					arg = call.Args[0]
				}
			}
			return true
		})
		if got := d.Source(fn, arg); got != w {
			t.Errorf("%s: Source(%s) = %q, want %q", label, types.ExprString(arg), got, w)
		}
	}
	if seen != len(want) {
		t.Errorf("checked %d cases, want %d", seen, len(want))
	}
}
