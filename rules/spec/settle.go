package spec

import (
	"fmt"
	"go/token"

	"golang.org/x/tools/go/analysis"
)

// A Settler decides findings that one package's analysis cannot: those that
// depend on the packages importing it, such as how the callers of an
// exported function treat its result. The rule reports the finding in the
// producer's package and exports, in every package, package facts that say
// what that package shows about it; a driver that analyses a whole
// workspace (failfast check) calls the Settler once every package is done,
// with the package facts of the rule's analyzer from all of them. Drivers
// that see one package at a time (go vet, golangci-lint, the language
// server's package pass) keep the findings as reported: they cannot see the
// importers.
//
// The verdicts are keyed by the finding's position, Place.Key.
type Settler func(facts []analysis.Fact) map[string]Verdict

// A Verdict is what the workspace says about one finding.
type Verdict struct {
	Drop    bool    // the importers show the finding is wrong: it is not reported
	Related []Place // places in the importers that explain the finding, added to it
}

// A Place is a position range in a file as written (ignoring //line
// directives, as findings do), with a message when it explains a finding.
// It is a plain value so that it can travel in a fact.
type Place struct {
	Filename           string
	Line, Column       int
	EndLine, EndColumn int
	Message            string
}

// PlaceOf returns the place of the range [pos, end) in fset.
func PlaceOf(fset *token.FileSet, pos, end token.Pos, message string) Place {
	p, e := fset.PositionFor(pos, false), fset.PositionFor(end, false)
	if !end.IsValid() || end < pos {
		e = p
	}
	return Place{Filename: p.Filename, Line: p.Line, Column: p.Column, EndLine: e.Line, EndColumn: e.Column, Message: message}
}

// Key names the place's start, the way a Settler's verdicts are keyed.
func (p Place) Key() string { return PositionKey(p.Filename, p.Line, p.Column) }

// PositionKey is the key of a finding that starts at file:line:column.
func PositionKey(file string, line, column int) string {
	return fmt.Sprintf("%s:%d:%d", file, line, column)
}
