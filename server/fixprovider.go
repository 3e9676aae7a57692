package server

import (
	"context"

	"github.com/failfast-dev/failfast/fixes"
	"github.com/failfast-dev/failfast/loader"
	"github.com/failfast-dev/failfast/runner"
)

// FixProvider computes quick fixes. The server calls it only when a client
// asks for code actions, and caches the answer per document version. The
// default is package fixes; tests substitute their own.
type FixProvider interface {
	// Fixes returns a finding's fixes in order of preference. With an
	// error it may still return the fixes that worked.
	Fixes(ctx context.Context, req FixRequest) ([]Fix, error)
	// FixAll returns the edits that apply the first safe fix of every
	// finding, and why findings were left alone.
	FixAll(ctx context.Context, req FixAllRequest) ([]Edit, []error, error)
}

// FixRequest is what a finding's fixes are computed from.
type FixRequest struct {
	// Package is the finding's package as the rules saw it: Syntax holds
	// the analysed file only, Types and TypesInfo the whole package (its
	// other files without function bodies). Package.CheckWith re-checks
	// the whole package with a rewritten file; ReadFile answers the
	// analysed content for the finding's file. Nil for a file in no
	// package.
	Package *loader.Package
	Finding runner.Finding
	// Source is the analysed content of the finding's file; edits'
	// offsets refer to it.
	Source []byte
	// Logger is the logging the user asked fixes to add (the logger
	// setting; "" for what the file already uses).
	Logger string
}

// FixAllRequest is FixRequest for every finding of a file.
type FixAllRequest struct {
	Package  *loader.Package
	Findings []runner.Finding
	Source   []byte
	Logger   string
}

// Fix is one titled rewrite.
type Fix struct {
	Title string
	// Safe fixes are applied by source.fixAll.failfast; the first safe fix
	// of a finding is its preferred action.
	Safe  bool
	Edits []Edit
}

// Edit replaces the bytes [Start, End) of the analysed content of Filename
// with NewText.
type Edit struct {
	Filename   string
	Start, End int
	NewText    string
}

// DefaultFixes is the FixProvider of package fixes.
type DefaultFixes struct{}

func (DefaultFixes) Fixes(ctx context.Context, req FixRequest) ([]Fix, error) {
	if req.Package == nil {
		return nil, nil
	}
	fs, err := fixes.For(req.Package, req.Finding, fixes.Options{Logger: req.Logger, Context: ctx})
	out := make([]Fix, 0, len(fs))
	for _, f := range fs {
		out = append(out, Fix{Title: f.Title, Safe: f.Safe, Edits: convertEdits(f.Edits)})
	}
	return out, err
}

func (DefaultFixes) FixAll(ctx context.Context, req FixAllRequest) ([]Edit, []error, error) {
	if req.Package == nil {
		return nil, nil, nil
	}
	applied, err := fixes.FixAll(req.Package, req.Findings, fixes.Options{Logger: req.Logger, Context: ctx})
	if err != nil {
		return nil, nil, err
	}
	return convertEdits(applied.Edits), applied.Skipped, nil
}

func convertEdits(es []fixes.Edit) []Edit {
	out := make([]Edit, 0, len(es))
	for _, e := range es {
		out = append(out, Edit{Filename: e.Filename, Start: e.Start, End: e.End, NewText: e.NewText})
	}
	return out
}
