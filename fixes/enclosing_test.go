package fixes

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"golang.org/x/tools/go/ast/astutil"
)

// TestEnclosingPathMatchesAstutil checks that enclosingPath, which looks
// only inside the top-level declaration holding an interval, answers as
// astutil.PathEnclosingInterval over the whole file, for every node's
// interval, every empty interval at a node's ends, and intervals spanning
// declarations, in the demo and the golden inputs.
func TestEnclosingPathMatchesAstutil(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "testdata", "demo", "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	more, err := filepath.Glob(filepath.Join("testdata", "golden", "*", "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	files = append(files, more...)
	if len(files) < 5 {
		t.Fatalf("only %d input files found", len(files))
	}
	for _, name := range files {
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		fset := token.NewFileSet()
		f, _ := parser.ParseFile(fset, name, src, parser.ParseComments|parser.SkipObjectResolution)
		if f == nil {
			continue
		}
		var intervals [][2]token.Pos
		ast.Inspect(f, func(n ast.Node) bool {
			if n != nil {
				intervals = append(intervals, [2]token.Pos{n.Pos(), n.End()}, [2]token.Pos{n.Pos(), n.Pos()}, [2]token.Pos{n.End(), n.End()})
			}
			return true
		})
		if len(f.Decls) > 1 {
			intervals = append(intervals, [2]token.Pos{f.Decls[0].Pos(), f.Decls[1].End()})
		}
		for _, iv := range intervals {
			want, wantExact := astutil.PathEnclosingInterval(f, iv[0], iv[1])
			got, gotExact := enclosingPath(f, iv[0], iv[1])
			if !slices.Equal(got, want) || gotExact != wantExact {
				t.Fatalf("%s: interval %v-%v: enclosingPath gives %d nodes (exact %v), astutil %d (exact %v)",
					name, fset.Position(iv[0]), fset.Position(iv[1]), len(got), gotExact, len(want), wantExact)
			}
		}
	}
}
