package runner

import (
	"bytes"
	"encoding/gob"
	"fmt"
	"go/types"
	"maps"
	"reflect"
	"slices"
	"sync"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/types/objectpath"
)

// Facts carries, for a Runner, the go/analysis facts that rules export about a package's
// objects (a summary such as "may return nil in result 0") to the analysis
// of the packages that import it. Packages must be run in dependency order
// for a package to see its imports' facts: check does that; a package whose
// imports were not analysed simply finds no facts about them.
//
// Facts are stored gob-encoded, as every other driver (go vet's
// unitchecker, golangci-lint, nogo) carries them between packages, so a
// fact that would not survive those drivers fails here too, and no package
// can change a fact another package holds. Objects are named by their
// objectpath, which means the same whether a package's types come from
// source or from export data. Facts is safe for concurrent use.
type Facts struct {
	mu    sync.Mutex
	byPkg map[string]map[factKey][]byte // package path → encoded facts
	// kinds records, per package path, the fact types held for it, so
	// that asking a package for a fact of a type it has none of costs no
	// objectpath.
	kinds map[string]map[reflect.Type]bool
	// generation counts, per package path, the complete analyses whose
	// facts differed from those held before (keep), so that a caller
	// holding findings can tell whether the facts they were computed from
	// changed since. Another analysis with the same facts leaves it.
	generation map[string]uint64
}

// factKey names one fact: the object it is about (empty for a package
// fact) and its type. go/analysis forbids two analyzers to declare the
// same fact type, so the type also names the analyzer.
type factKey struct {
	obj objectpath.Path
	typ reflect.Type
}

func newFacts() *Facts {
	return &Facts{byPkg: map[string]map[factKey][]byte{}, kinds: map[string]map[reflect.Type]bool{}, generation: map[string]uint64{}}
}

// pkgFacts holds the facts of the package being analysed, as values: they
// are encoded only when the package is done.
type pkgFacts struct {
	objects map[objectFact]analysis.Fact
	pkg     map[reflect.Type]analysis.Fact
}

type objectFact struct {
	obj types.Object
	typ reflect.Type
}

// passFacts fills the fact functions of a pass. local holds the facts the
// package's analyzers export, shared by its passes. A partial view of a
// package also reads the facts kept from the last complete analysis of the
// same package, for the objects of the files it leaves out.
func (f *Facts) passFacts(pass *analysis.Pass, local *pkgFacts, partial bool) {
	declared := map[reflect.Type]bool{}
	for _, ft := range pass.Analyzer.FactTypes {
		declared[reflect.TypeOf(ft)] = true
	}
	mustDeclare := func(fact analysis.Fact) reflect.Type {
		t := reflect.TypeOf(fact)
		if !declared[t] {
			panic(fmt.Sprintf("analyzer %s: fact type %s is not in its FactTypes", pass.Analyzer.Name, t))
		}
		return t
	}
	var paths objectpath.Encoder // amortizes the scope walks of one pass
	pass.ImportObjectFact = func(obj types.Object, ptr analysis.Fact) bool {
		t := mustDeclare(ptr)
		if obj == nil || obj.Pkg() == nil {
			return false
		}
		if obj.Pkg() == pass.Pkg {
			if v, ok := local.objects[objectFact{obj, t}]; ok {
				reflect.ValueOf(ptr).Elem().Set(reflect.ValueOf(v).Elem())
				return true
			}
			if !partial {
				return false
			}
		}
		if !f.holdsKind(obj.Pkg().Path(), t) || standIn(obj) {
			return false
		}
		path, err := paths.For(obj)
		if err != nil {
			return false // not reachable from its package's scope: no fact can name it
		}
		return f.decode(obj.Pkg().Path(), factKey{path, t}, ptr)
	}
	pass.ImportPackageFact = func(pkg *types.Package, ptr analysis.Fact) bool {
		t := mustDeclare(ptr)
		if pkg == pass.Pkg {
			if v, ok := local.pkg[t]; ok {
				reflect.ValueOf(ptr).Elem().Set(reflect.ValueOf(v).Elem())
				return true
			}
			if !partial {
				return false
			}
		}
		return f.decode(pkg.Path(), factKey{"", t}, ptr)
	}
	pass.ExportObjectFact = func(obj types.Object, fact analysis.Fact) {
		t := mustDeclare(fact)
		if obj.Pkg() != pass.Pkg {
			panic(fmt.Sprintf("analyzer %s: fact about %s, which is not in package %s", pass.Analyzer.Name, obj, pass.Pkg.Path()))
		}
		local.objects[objectFact{obj, t}] = fact
	}
	pass.ExportPackageFact = func(fact analysis.Fact) {
		local.pkg[mustDeclare(fact)] = fact
	}
	pass.AllObjectFacts = func() []analysis.ObjectFact {
		var out []analysis.ObjectFact
		for k, v := range local.objects {
			if declared[k.typ] {
				out = append(out, analysis.ObjectFact{Object: k.obj, Fact: v})
			}
		}
		for _, dep := range transitiveImports(pass.Pkg) {
			for k := range f.keys(dep.Path()) {
				if k.obj == "" || !declared[k.typ] {
					continue
				}
				obj, err := objectpath.Object(dep, k.obj)
				if err != nil {
					continue // the fact's object is not in this view of the package
				}
				fact := reflect.New(k.typ.Elem()).Interface().(analysis.Fact)
				if f.decode(dep.Path(), k, fact) {
					out = append(out, analysis.ObjectFact{Object: obj, Fact: fact})
				}
			}
		}
		return out
	}
	pass.AllPackageFacts = func() []analysis.PackageFact {
		var out []analysis.PackageFact
		for t, v := range local.pkg {
			if declared[t] {
				out = append(out, analysis.PackageFact{Package: pass.Pkg, Fact: v})
			}
		}
		for _, dep := range transitiveImports(pass.Pkg) {
			for k := range f.keys(dep.Path()) {
				if k.obj != "" || !declared[k.typ] {
					continue
				}
				fact := reflect.New(k.typ.Elem()).Interface().(analysis.Fact)
				if f.decode(dep.Path(), k, fact) {
					out = append(out, analysis.PackageFact{Package: dep, Fact: fact})
				}
			}
		}
		return out
	}
}

// packageFacts returns the package facts held for every package, of the
// types of the given facts.
func (f *Facts) packageFacts(types []analysis.Fact) []analysis.Fact {
	f.mu.Lock()
	var paths []string
	for path := range f.byPkg {
		paths = append(paths, path)
	}
	f.mu.Unlock()
	slices.Sort(paths) // the same facts in the same order on every run
	var out []analysis.Fact
	for _, path := range paths {
		for _, t := range types {
			key := factKey{typ: reflect.TypeOf(t)}
			fact := reflect.New(key.typ.Elem()).Interface().(analysis.Fact)
			if f.decode(path, key, fact) {
				out = append(out, fact)
			}
		}
	}
	return out
}

// keys returns the keys of the facts held for package path.
func (f *Facts) keys(path string) map[factKey]bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	keys := map[factKey]bool{}
	for k := range f.byPkg[path] {
		keys[k] = true
	}
	return keys
}

// decode copies the fact stored under key for package path into ptr.
func (f *Facts) decode(path string, key factKey, ptr analysis.Fact) bool {
	f.mu.Lock()
	b, ok := f.byPkg[path][key]
	f.mu.Unlock()
	if !ok {
		return false
	}
	if err := gob.NewDecoder(bytes.NewReader(b)).Decode(ptr); err != nil {
		// It was encoded from the same type by this process: only a
		// bug gets here, and a rule must not act on half a fact.
		panic(fmt.Sprintf("decoding fact %s about %s.%s: %v", key.typ, path, key.obj, err))
	}
	return true
}

// holdsKind reports whether any fact of type t is held for package path.
func (f *Facts) holdsKind(path string, t reflect.Type) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.kinds[path][t]
}

// has reports whether facts from a complete analysis of package path are
// held (possibly none: a package whose rules exported nothing).
func (f *Facts) has(path string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	_, ok := f.byPkg[path]
	return ok
}

// standIn reports whether obj is a function or method that its package
// does not declare: not in the package's scope, not among its receiver
// type's methods (the language server's stand-in for an edited function,
// checked apart from its package). No objectpath names it, and For would
// search the whole package to find that out.
func standIn(obj types.Object) bool {
	fn, ok := obj.(*types.Func)
	if !ok {
		return false
	}
	recv := fn.Signature().Recv()
	if recv == nil {
		return obj.Pkg().Scope().Lookup(fn.Name()) != fn
	}
	t := recv.Type()
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	named, ok := t.(*types.Named)
	if !ok {
		return false // an interface's method: For finds it
	}
	for m := range named.Origin().Methods() {
		if m == fn.Origin() {
			return false
		}
	}
	return true
}

// keep encodes the facts of package pkg and stores them, replacing those
// of an earlier analysis of the same package. Facts about objects that no
// objectpath names (a function's local variables) stay with the package.
func (f *Facts) keep(pkg *types.Package, local *pkgFacts) error {
	enc := map[factKey][]byte{}
	kinds := map[reflect.Type]bool{}
	put := func(k factKey, fact analysis.Fact) error {
		kinds[k.typ] = true
		var b bytes.Buffer
		if err := gob.NewEncoder(&b).Encode(fact); err != nil {
			return fmt.Errorf("encoding fact %s: %w", k.typ, err)
		}
		enc[k] = b.Bytes()
		return nil
	}
	var paths objectpath.Encoder
	for k, v := range local.objects {
		path, err := paths.For(k.obj)
		if err != nil {
			continue
		}
		if err := put(factKey{path, k.typ}, v); err != nil {
			return fmt.Errorf("%s: %w", k.obj, err)
		}
	}
	for t, v := range local.pkg {
		if err := put(factKey{"", t}, v); err != nil {
			return fmt.Errorf("package %s: %w", pkg.Path(), err)
		}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if old, ok := f.byPkg[pkg.Path()]; ok && maps.EqualFunc(old, enc, bytes.Equal) {
		return nil
	}
	f.byPkg[pkg.Path()] = enc
	f.kinds[pkg.Path()] = kinds
	f.generation[pkg.Path()]++
	return nil
}

// transitiveImports returns every package pkg imports, directly or not.
func transitiveImports(pkg *types.Package) []*types.Package {
	seen := map[*types.Package]bool{}
	var out []*types.Package
	var walk func(*types.Package)
	walk = func(p *types.Package) {
		for _, dep := range p.Imports() {
			if !seen[dep] {
				seen[dep] = true
				out = append(out, dep)
				walk(dep)
			}
		}
	}
	walk(pkg)
	return out
}
