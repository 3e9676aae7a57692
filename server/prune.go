package server

import (
	"go/ast"
	"go/token"
	"slices"

	"github.com/failfast-dev/failfast/rules/provenance"
)

// declInfo is one package-level declaration of a trimmed file: the names it
// declares, the receiver type of a method, and every identifier it mentions.
type declInfo struct {
	decl  ast.Decl
	names []string
	recv  string // a method's receiver base type name
	refs  []string
}

func declInfos(f *ast.File) []declInfo {
	var out []declInfo
	for _, d := range f.Decls {
		di := declInfo{decl: d, refs: identNames(d)}
		switch d := d.(type) {
		case *ast.FuncDecl:
			if d.Recv != nil && len(d.Recv.List) > 0 {
				if id := provenance.ReceiverTypeName(d.Recv.List[0].Type); id != nil {
					di.recv = id.Name
				}
			} else if d.Name.Name != "init" && d.Name.Name != "_" {
				di.names = []string{d.Name.Name}
			}
		case *ast.GenDecl:
			if d.Tok == token.IMPORT {
				continue // kept in every pruned file
			}
			for _, sp := range d.Specs {
				switch sp := sp.(type) {
				case *ast.TypeSpec:
					di.names = append(di.names, sp.Name.Name)
				case *ast.ValueSpec:
					for _, n := range sp.Names {
						di.names = append(di.names, n.Name)
					}
				}
			}
		}
		out = append(out, di)
	}
	return out
}

func identNames(n ast.Node) []string {
	seen := map[string]bool{}
	var out []string
	ast.Inspect(n, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok && !seen[id.Name] {
			seen[id.Name] = true
			out = append(out, id.Name)
		}
		return true
	})
	return out
}

// prune returns the trimmed files cut down to the declarations that the
// edited file f needs: those it names, what they name in turn, and every
// method of a type kept (method sets decide assignability). Type-checking
// then costs what f uses, not the whole package. Imports are kept whole;
// the errors this causes in the pruned files are not f's and are dropped.
func prune(f *ast.File, others []*trimmedFile) []*ast.File {
	return pruneTo(identNames(f), others)
}

// pruneTo is prune for a file that names names.
func pruneTo(names []string, others []*trimmedFile) []*ast.File {
	byName := map[string][]*declInfo{}
	methods := map[string][]*declInfo{}
	for _, tf := range others {
		for i := range tf.decls {
			di := &tf.decls[i]
			for _, n := range di.names {
				byName[n] = append(byName[n], di)
			}
			if di.recv != "" {
				methods[di.recv] = append(methods[di.recv], di)
			}
		}
	}
	keep := map[*declInfo]bool{}
	seen := map[string]bool{}
	work := slices.Clone(names)
	for len(work) > 0 {
		name := work[len(work)-1]
		work = work[:len(work)-1]
		if seen[name] {
			continue
		}
		seen[name] = true
		for _, di := range append(byName[name], methods[name]...) {
			if !keep[di] {
				keep[di] = true
				work = append(work, di.refs...)
			}
		}
	}
	out := make([]*ast.File, 0, len(others))
	for _, tf := range others {
		c := *tf.file
		c.Decls = nil
		for _, d := range tf.file.Decls {
			if gd, ok := d.(*ast.GenDecl); ok && gd.Tok == token.IMPORT {
				c.Decls = append(c.Decls, d)
			}
		}
		for i := range tf.decls {
			if keep[&tf.decls[i]] {
				c.Decls = append(c.Decls, tf.decls[i].decl)
			}
		}
		out = append(out, &c)
	}
	return out
}
