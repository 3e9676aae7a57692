package cli

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"

	"github.com/failfast-dev/failfast/rules"
	"github.com/failfast-dev/failfast/rules/spec"
	mcpserver "github.com/failfast-dev/failfast/server/mcp"
)

const mcpDoc = `Mcp runs failfast as a Model Context Protocol server for coding agents,
over stdin and stdout (newline-delimited JSON-RPC). Its tools:

  check    {paths?: [...]}            findings in packages (default ./...), with
                                      their docs links, related places and fixes
  fix      {files: [...], dryRun?}    apply the safe fixes to the files, or return
                                      them as a unified diff
  explain  {rule}                     a rule's documentation

The workspace root is the working directory (or -C dir): every path is
relative to it, and a path that leaves it (.., an absolute path elsewhere,
a symbolic link out) is refused. Settings come from .failfast.yaml as for
check. Logs go to stderr, never to stdout.
Exit status: 0 when the client closes the connection or the server is
interrupted, 1 when the connection fails, 2 on bad flags.`

func runMCP(args []string, _, stderr io.Writer) int {
	fs := newFlagSet("mcp", "failfast mcp [-C dir] [-v]", mcpDoc, stderr)
	dir := fs.String("C", "", "the workspace root (default: the working directory)")
	verbose := fs.Bool("v", false, "log debug messages to stderr")
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "failfast mcp: unexpected arguments %q\n", fs.Args())
		return exitFailed
	}
	if *dir != "" {
		if err := os.Chdir(*dir); err != nil {
			fmt.Fprintf(stderr, "failfast mcp: -C: %v\n", err)
			return exitFailed
		}
	}
	level := slog.LevelInfo
	if *verbose {
		level = slog.LevelDebug
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))
	srv, err := newMCPServer(log)
	if err != nil {
		fmt.Fprintf(stderr, "failfast mcp: %v\n", err)
		return exitFailed
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := srv.Serve(ctx, os.Stdin, os.Stdout); err != nil {
		fmt.Fprintf(stderr, "failfast mcp: %v\n", err)
		return 1
	}
	return exitClean
}

// newMCPServer returns the MCP server of the workspace at the working
// directory, whose tools run check, check's fixes and explain.
func newMCPServer(log *slog.Logger) (*mcpserver.Server, error) {
	cwd, err := os.Getwd()
	if err != nil {
		return nil, err
	}
	root, err := mcpserver.NewRoot(cwd)
	if err != nil {
		return nil, err
	}
	return mcpserver.New(root, &mcpWorkspace{cwd: cwd, log: log}, mcpserver.Options{Version: version(), Logger: log})
}

// mcpWorkspace runs the MCP tools with check's own code: check, checkOne's
// fixes and applyFixes, in the working directory, which is the root.
type mcpWorkspace struct {
	cwd string
	log *slog.Logger
}

// Check runs check on patterns and names the safe fixes offered with each
// finding (the ones `failfast check -format sarif` carries).
func (w *mcpWorkspace) Check(ctx context.Context, patterns []string) (*mcpserver.CheckOutput, error) {
	patterns, err := packagePatterns(patterns)
	if err != nil {
		return nil, err
	}
	problems := &lineLog{log: w.log, level: slog.LevelWarn}
	res, err := check(ctx, checkFlags{format: formatJSON, offerFixes: true}, patterns, problems)
	if err != nil {
		return nil, err
	}
	out := &mcpserver.CheckOutput{Findings: []mcpserver.Finding{}, Complete: !res.failed, Problems: problems.all()}
	if res.notice != "" {
		out.Notes = append(out.Notes, res.notice)
	}
	var notes []string
	for _, n := range res.fixNotes {
		notes = append(notes, n.Error())
	}
	slices.Sort(notes)
	out.Notes = append(out.Notes, slices.Compact(notes)...)
	for _, f := range res.findings {
		mf := mcpserver.Finding{
			Rule: f.Rule, Severity: string(f.Severity), Message: f.Message,
			File: w.rel(f.Pos.Filename), Line: f.Pos.Line, Column: f.Pos.Column,
			EndLine: f.End.Line, EndColumn: f.End.Column,
			Fixes: []string{},
		}
		if _, ok := rules.Lookup(f.Rule); ok {
			mf.Docs = spec.DocURL(f.Rule)
		}
		for _, r := range f.Related {
			mf.Related = append(mf.Related, mcpserver.Related{File: w.rel(r.Pos.Filename), Line: r.Pos.Line, Column: r.Pos.Column, Message: r.Message})
		}
		for _, fx := range res.offered[keyOf(f)] {
			mf.Fixes = append(mf.Fixes, fx.Title)
		}
		out.Findings = append(out.Findings, mf)
	}
	return out, nil
}

// Fix runs check -fix (or -diff, with dryRun) on the packages of files
// and writes, or prints as a diff, only the named files' fixes.
func (w *mcpWorkspace) Fix(ctx context.Context, files []string, dryRun bool) (*mcpserver.FixOutput, error) {
	patterns, err := packagePatterns(files)
	if err != nil {
		return nil, err
	}
	problems := &lineLog{log: w.log, level: slog.LevelWarn}
	res, err := check(ctx, checkFlags{fix: !dryRun, diff: dryRun}, patterns, problems)
	if err != nil {
		return nil, err
	}
	// The packages' other files were fixed too, in memory: keep the
	// named ones. Each file's fixes type-check against the others as
	// they are, so any subset of the files can be written.
	named := map[string]bool{}
	for _, f := range files {
		named[f] = true
	}
	isNamed := func(name string) bool {
		real, err := filepath.EvalSymlinks(name)
		return err == nil && named[real]
	}
	sel := &checkResult{fixed: map[string]fixedFile{}}
	for name, ff := range res.fixed {
		if isNamed(name) {
			sel.fixed[name] = ff
		}
	}
	out := &mcpserver.FixOutput{Files: []string{}, Fixed: []mcpserver.FixedOne{}, Complete: !res.failed}
	for _, f := range res.fixedFindings {
		if isNamed(f.Pos.Filename) {
			sel.fixedFindings = append(sel.fixedFindings, f)
			out.Fixed = append(out.Fixed, mcpserver.FixedOne{Rule: f.Rule, File: w.rel(f.Pos.Filename), Line: f.Pos.Line, Column: f.Pos.Column, Message: f.Message})
		}
	}
	sel.fixedFindings = sortFindings(sel.fixedFindings)
	for name := range sel.fixed {
		out.Files = append(out.Files, w.rel(name))
	}
	slices.Sort(out.Files)
	var diff bytes.Buffer
	if err := applyFixes(checkFlags{diff: true}, sel, w.cwd, &diff, problems); err != nil {
		return nil, err
	}
	out.Diff = diff.String()
	if !dryRun && len(sel.fixed) > 0 {
		written := &lineLog{log: w.log, level: slog.LevelInfo}
		if err := applyFixes(checkFlags{fix: true}, sel, w.cwd, io.Discard, written); err != nil {
			return nil, err
		}
		out.Applied = true
	}
	out.Problems = problems.all()
	return out, nil
}

// Explain returns what failfast explain RULE prints.
func (w *mcpWorkspace) Explain(rule string) (string, error) {
	r, ok := rules.Lookup(rule)
	if !ok {
		return "", fmt.Errorf("unknown rule %q; the rules are %s", rule, strings.Join(rules.IDs(), ", "))
	}
	return rules.Markdown(r), nil
}

// rel names a file relative to the root when it is below it.
func (w *mcpWorkspace) rel(name string) string { return filepath.ToSlash(relPath(name, w.cwd)) }

// lineLog collects what check writes to its stderr, one entry per line
// without check's "failfast: " prefix, and logs each line.
type lineLog struct {
	log     *slog.Logger
	level   slog.Level
	mu      sync.Mutex
	partial []byte
	lines   []string
}

func (l *lineLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.partial = append(l.partial, p...)
	for {
		i := bytes.IndexByte(l.partial, '\n')
		if i < 0 {
			return len(p), nil
		}
		l.add(string(l.partial[:i]))
		l.partial = l.partial[i+1:]
	}
}

func (l *lineLog) add(line string) {
	line = strings.TrimPrefix(strings.TrimSpace(line), "failfast: ")
	if line == "" {
		return
	}
	l.log.Log(context.Background(), l.level, line)
	l.lines = append(l.lines, line)
}

// all returns the lines written, the last one even without its newline.
func (l *lineLog) all() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.partial) > 0 {
		l.add(string(l.partial))
		l.partial = nil
	}
	return l.lines
}
