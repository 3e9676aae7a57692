package discardederror

import (
	"go/ast"
	"go/token"
	"strings"

	"golang.org/x/tools/go/ast/inspector"

	"github.com/failfast-dev/failfast/rules/flow"
	"github.com/failfast-dev/failfast/rules/provenance"
)

// comments is what the comments of one file say about the drops in it.
// Whether a comment states an intent is asked only for the comments next
// to a drop, and remembered: reading every comment of every file (the
// standard library's doc comments among them) cost a quarter of a check.
type comments struct {
	// byEnd maps the last line of each comment group to the group.
	byEnd map[int]group
	// commented holds every line a comment covers (to tell a line given
	// to a comment from a blank one).
	commented map[int]bool
	states    map[*ast.CommentGroup]bool
}

// group is a comment group and the line it starts on.
type group struct {
	g    *ast.CommentGroup
	from int
}

// fileComments indexes f's comments by line.
func fileComments(fset *token.FileSet, f *ast.File) *comments {
	cs := &comments{byEnd: map[int]group{}, commented: map[int]bool{}, states: map[*ast.CommentGroup]bool{}}
	for _, g := range f.Comments {
		from, to := fset.Position(g.Pos()).Line, fset.Position(g.End()).Line
		for l := from; l <= to; l++ {
			cs.commented[l] = true
		}
		cs.byEnd[to] = group{g, from}
	}
	return cs
}

// statesDrop reports whether g says that the drop it annotates is
// deliberate ("ignore the error", "always valid", "OK if this fails"): a
// decision, not an oversight. analysistest expectations are not statements
// of intent.
func (cs *comments) statesDrop(g *ast.CommentGroup) bool {
	v, ok := cs.states[g]
	if !ok {
		text := g.Text()
		v = !strings.HasPrefix(text, "want ") && provenance.StatesDrop(text)
		cs.states[g] = v
	}
	return v
}

// explained reports whether a comment that states the drop is deliberate
// ends on line or on the line just above it.
func (cs *comments) explained(line int) bool {
	for _, l := range [2]int{line, line - 1} {
		if gr, ok := cs.byEnd[l]; ok && cs.statesDrop(gr.g) {
			return true
		}
	}
	return false
}

// stated returns the first line of the comment that ends on line end and
// states a drop is deliberate.
func (cs *comments) stated(end int) (int, bool) {
	if gr, ok := cs.byEnd[end]; ok && cs.statesDrop(gr.g) {
		return gr.from, true
	}
	return 0, false
}

// explains reports whether a comment that states the drop is deliberate
// covers the statement at c: a comment on its line or just above it, the
// comment that heads its paragraph, or the doc comment of the function
// declared around it (flow.DocumentedDrop). A paragraph is a run of statements
// of one block with no blank line between them; the leading paragraph of
// a block belongs to the paragraph of the statement that holds the block
// (the `if` or `for` above it), so a comment above
//
//	// If count unavailable, use 0: the tail-fetch loop handles completeness
//	var count int64
//	if album.ObjectType != "" {
//		count, _ = album.fetchPhotoCount(ctx)
//	}
//
// covers the drop. A blank line ends a paragraph: a comment further up, or
// above an enclosing statement whose block has a blank line before the
// drop, says nothing about it.
func (ch *checker) explains(c inspector.Cursor) bool {
	if ch.comments.explained(ch.line(c.Node().Pos())) || flow.DocumentedDrop(ch.pass.Fset, c) {
		return true
	}
	for cur := c; cur.Node() != nil; {
		parent := cur.Parent()
		var list []ast.Stmt
		open := token.NoPos // where the block's statements begin: its brace or colon
		switch p := parent.Node().(type) {
		case *ast.BlockStmt:
			list, open = p.List, p.Lbrace
		case *ast.CaseClause:
			list, open = p.Body, p.Colon
		case *ast.CommClause:
			list, open = p.Body, p.Colon
		case *ast.FuncDecl, *ast.FuncLit, *ast.File, nil:
			return false
		default:
			// an if's init or else-if, a labeled statement, a
			// function literal's body: climb to the statement that
			// holds it
			cur = parent
			continue
		}
		i := stmtIndex(list, cur.Node())
		if i < 0 {
			return false
		}
		// Walk back to the head of the paragraph, looking for a
		// statement of intent directly above each statement on the way.
		for ; ; i-- {
			start := ch.line(list[i].Pos())
			prev := ch.line(open)
			if i > 0 {
				prev = ch.line(list[i-1].End())
			}
			if from, ok := ch.comments.stated(start - 1); ok && from > prev {
				return true
			}
			if ch.blankBetween(prev, start) {
				return false // the paragraph starts here, without a stated intent
			}
			if i == 0 {
				break // the block's leading paragraph: it belongs to the enclosing statement's
			}
		}
		cur = parent.Parent()
		if _, ok := cur.Node().(ast.Stmt); !ok {
			return false
		}
	}
	return false
}

// blankBetween reports whether a line strictly between lines from and to
// holds neither code nor a comment.
func (ch *checker) blankBetween(from, to int) bool {
	for l := from + 1; l < to; l++ {
		if !ch.comments.commented[l] {
			return true
		}
	}
	return false
}

func (ch *checker) line(p token.Pos) int { return ch.fset.Position(p).Line }

func stmtIndex(list []ast.Stmt, n ast.Node) int {
	for i, s := range list {
		if s == n {
			return i
		}
	}
	return -1
}
