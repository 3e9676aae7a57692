package nilnilreturn

import (
	"fmt"
	"go/ast"
	"go/types"
	"path/filepath"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/failfast-dev/failfast/rules/spec"
)

// The callers of an exported function are mostly in other packages, which
// a package's pass does not see: a finding whose only open question is how
// those callers treat the nil (no caller in the package uses it unchecked,
// and it leaves the package only through exported functions) is reported,
// and the workspace settles it. The producer exports nilNilExit on each
// exported function the nil leaves through; every package that calls one
// records, in its nilNilCalls, how its calls treat the result (and hands
// the fact on to its own exported functions that return the result as it
// is); settle reads the records of all packages.

// nilNilExit is the fact that an exported function hands a reported
// `return nil, nil` to its callers: it is in the function, or in one whose
// result the function returns as it is. Returns names those returns
// (spec.Place.Key).
type nilNilExit struct {
	Returns []string
}

func (*nilNilExit) AFact() {}

func (f *nilNilExit) String() string { return "nilNilExit" + shortKeys(f.Returns) }

// nilNilCalls is the package fact of how the package's callers treat the
// results that carry reported returns of nil, nil.
type nilNilCalls struct {
	Uses []exitUse
}

func (*nilNilCalls) AFact() {}

func (f *nilNilCalls) String() string {
	var b strings.Builder
	b.WriteString("nilNilCalls")
	for _, u := range f.Uses {
		fmt.Fprintf(&b, "%s:calls=%d,checked=%d,unchecked=%d,escaped=%d", shortKeys(u.Returns), u.Calls, u.Checked, u.Unchecked, u.Escaped)
	}
	return b.String()
}

// shortKeys lists return positions by file base name, for a fact's String.
func shortKeys(keys []string) string {
	short := make([]string, len(keys))
	for i, k := range keys {
		short[i] = filepath.Base(k)
	}
	return "(" + strings.Join(short, " ") + ")"
}

// exitUse is how one package's calls of one function treat a result that
// may be the nil of Returns: the counts of usage.
type exitUse struct {
	Returns                            []string
	Calls, Checked, Unchecked, Escaped int
	UncheckedAt                        []spec.Place // the first dereferences of unchecked results
}

// workspaceFacts gathers, during a pass, the facts that settle reads.
type workspaceFacts struct {
	pass  *analysis.Pass
	exits map[*types.Func][]string // exported functions of the package → the returns they hand on
	uses  []exitUse
}

// leaves records that the returns named by keys leave the package through
// u's exits, and how the package's calls treat them.
func (w *workspaceFacts) leaves(keys []string, u usage) {
	for _, fn := range u.exits {
		w.exits[fn] = append(w.exits[fn], keys...)
	}
	w.uses = append(w.uses, w.use(keys, u))
}

func (w *workspaceFacts) use(keys []string, u usage) exitUse {
	use := exitUse{Returns: keys, Calls: u.calls, Checked: u.checked, Unchecked: len(u.unchecked), Escaped: u.escaped}
	for _, e := range u.unchecked {
		use.UncheckedAt = append(use.UncheckedAt, spec.PlaceOf(w.pass.Fset, e.Pos(), e.End(),
			fmt.Sprintf("%s is used here without a nil check", types.ExprString(e))))
	}
	return use
}

// callers records how the package's calls treat the results of imported
// functions that carry a nilNilExit.
func (w *workspaceFacts) callers(cs *callSites) {
	if w.pass.ImportObjectFact == nil {
		return
	}
	seen := map[*types.Func]bool{}
	for _, f := range w.pass.Files {
		if isTestFile(w.pass.Fset, f) {
			continue
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			fn, ok := typeutil.Callee(w.pass.TypesInfo, call).(*types.Func)
			if !ok || fn.Pkg() == nil || fn.Pkg() == w.pass.Pkg || seen[fn.Origin()] {
				return true
			}
			fn = fn.Origin()
			seen[fn] = true
			var exit nilNilExit
			if !w.pass.ImportObjectFact(fn, &exit) {
				return true
			}
			if u := cs.callersOf(fn, nil); len(u.unchecked) == 0 {
				w.leaves(exit.Returns, u) // on through this package's exported functions
			} else {
				w.uses = append(w.uses, w.use(exit.Returns, u))
			}
			return true
		})
	}
}

// export exports the facts gathered.
func (w *workspaceFacts) export() {
	if w.pass.ExportObjectFact == nil {
		return
	}
	for fn, keys := range w.exits {
		slices.Sort(keys)
		w.pass.ExportObjectFact(fn, &nilNilExit{Returns: slices.Compact(keys)})
	}
	if len(w.uses) > 0 {
		w.pass.ExportPackageFact(&nilNilCalls{Uses: w.uses})
	}
}

// settle decides the findings left to the workspace. A return some caller
// elsewhere uses unchecked stays, with those uses as related places; one
// whose callers everywhere test the result for nil, drop it or hand it on
// unexamined, at least one testing it, is dropped:
// the callers show the contract is known, as for an exported function whose
// callers in its own package do. A return no caller in the workspace reaches
// stays: nothing shows its nil is expected.
func settle(facts []analysis.Fact) map[string]spec.Verdict {
	type total struct {
		calls, checked, unchecked, escaped int
		at                                 []spec.Place
	}
	totals := map[string]*total{}
	for _, f := range facts {
		calls, ok := f.(*nilNilCalls)
		if !ok {
			continue
		}
		for _, u := range calls.Uses {
			for _, key := range u.Returns {
				t := totals[key]
				if t == nil {
					t = &total{}
					totals[key] = t
				}
				t.calls += u.Calls
				t.checked += u.Checked
				t.unchecked += u.Unchecked
				t.escaped += u.Escaped
				t.at = append(t.at, u.UncheckedAt...)
			}
		}
	}
	verdicts := map[string]spec.Verdict{}
	for key, t := range totals {
		switch {
		case t.unchecked > 0:
			verdicts[key] = spec.Verdict{Related: t.at}
		case t.checked > 0:
			verdicts[key] = spec.Verdict{Drop: true}
		}
	}
	return verdicts
}
