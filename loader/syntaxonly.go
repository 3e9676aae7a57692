package loader

import (
	"context"
	"fmt"
	"go/build"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/tools/go/packages"
)

// loadSyntaxOnly finds the .go files the patterns name without the go
// command's help, groups them into packages by directory and package
// clause, and loads export data for their standard-library imports only.
func loadSyntaxOnly(ctx context.Context, cfg Config, notice string, patterns []string) (*Graph, error) {
	g := &Graph{cfg: cfg, Mode: SyntaxOnly, Notice: notice}
	g.space = g.NewSpace()
	dirs, err := expandPatterns(cfg.Dir, patterns)
	if err != nil {
		return nil, err
	}
	stdImports := map[string]bool{}
	for _, dir := range dirs {
		targets, errs := g.targetsIn(dir, stdImports)
		g.Roots = append(g.Roots, targets...)
		g.Errors = append(g.Errors, errs...)
	}
	if len(stdImports) > 0 {
		std, err := loadStd(ctx, cfg, stdImports)
		if err != nil {
			g.Errors = append(g.Errors, err)
		}
		g.std = std
	}
	return g, nil
}

// expandPatterns turns ./... style patterns and directory or file names into
// a sorted list of directories. Like the go command, ... skips testdata,
// vendor and directories starting with . or _.
func expandPatterns(base string, patterns []string) ([]string, error) {
	seen := map[string]bool{}
	for _, pat := range patterns {
		recursive := strings.HasSuffix(pat, "/...") || pat == "..."
		root := strings.TrimSuffix(strings.TrimSuffix(pat, "..."), "/")
		if root == "" {
			root = "."
		}
		if !filepath.IsAbs(root) {
			root = filepath.Join(base, root)
		}
		info, err := os.Stat(root)
		if err != nil {
			return nil, fmt.Errorf("pattern %s: %w", pat, err)
		}
		if !info.IsDir() {
			seen[filepath.Dir(root)] = true
			continue
		}
		if !recursive {
			seen[root] = true
			continue
		}
		err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return fmt.Errorf("walk %s: %w", path, err)
			}
			if !d.IsDir() {
				return nil
			}
			name := d.Name()
			if path != root && (name == "testdata" || name == "vendor" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")) {
				return filepath.SkipDir
			}
			seen[path] = true
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("pattern %s: %w", pat, err)
		}
	}
	dirs := make([]string, 0, len(seen))
	for d := range seen {
		dirs = append(dirs, d)
	}
	slices.Sort(dirs)
	return dirs, nil
}

// targetsIn groups the buildable .go files of dir by package clause and
// records their standard-library imports.
func (g *Graph) targetsIn(dir string, stdImports map[string]bool) ([]*Target, []error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, []error{fmt.Errorf("read directory: %w", err)}
	}
	bctx := build.Default
	byName := map[string]*Target{}
	var errs []error
	fset := token.NewFileSet()
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".go") || (!g.cfg.Tests && strings.HasSuffix(name, "_test.go")) {
			continue
		}
		if ok, err := bctx.MatchFile(dir, name); err != nil || !ok {
			continue // excluded by build constraints (or unreadable: reported when checked)
		}
		path := filepath.Join(dir, name)
		src, err := g.readFile(path)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		f, _ := parser.ParseFile(fset, path, src, parser.ImportsOnly) // errors resurface in Check
		if f == nil || f.Name == nil {
			continue
		}
		t, ok := byName[f.Name.Name]
		if !ok {
			t = &Target{ID: dir + " (" + f.Name.Name + ")", PkgPath: filepath.Base(dir), Name: f.Name.Name}
			byName[f.Name.Name] = t
		}
		t.Files = append(t.Files, path)
		for _, spec := range f.Imports {
			p, err := strconv.Unquote(spec.Path.Value)
			if err == nil && isStd(p) {
				stdImports[p] = true
			}
		}
	}
	var targets []*Target
	for _, t := range byName {
		targets = append(targets, t)
	}
	slices.SortFunc(targets, func(a, b *Target) int { return strings.Compare(a.ID, b.ID) })
	return targets, errs
}

// isStd reports whether an import path looks like a standard-library one:
// its first element has no dot.
func isStd(path string) bool {
	first, _, _ := strings.Cut(path, "/")
	return !strings.Contains(first, ".") && path != "C"
}

// loadStd loads the export data of standard-library packages, running the go
// command outside any module so that no go.mod can interfere.
func loadStd(ctx context.Context, cfg Config, paths map[string]bool) (map[string]*packages.Package, error) {
	cfg.Dir = os.TempDir()
	cfg.Overlay = nil
	pcfg := packagesConfig(ctx, cfg)
	pcfg.Tests = false
	pcfg.Mode = packages.NeedName | packages.NeedExportFile
	var list []string
	for p := range paths {
		list = append(list, p)
	}
	slices.Sort(list)
	pkgs, err := packages.Load(pcfg, list...)
	if err != nil {
		return nil, fmt.Errorf("load standard-library types: %w", err)
	}
	std := map[string]*packages.Package{}
	for _, p := range pkgs {
		if len(p.Errors) == 0 && p.ExportFile != "" {
			std[p.PkgPath] = p
		}
	}
	return std, nil
}
