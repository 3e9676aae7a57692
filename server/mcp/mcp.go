// Package mcp is failfast's server for coding agents: it speaks the Model
// Context Protocol (MCP) over a stream (stdio for `failfast mcp`) and
// offers three tools:
//
//   - check: the findings in packages of the workspace, each with its rule,
//     place, message, documentation link, related places and the titles of
//     the safe fixes on offer;
//   - fix: the safe fixes of the named files, applied (each file replaced
//     atomically, as `failfast check -fix` does) or, with dryRun, returned
//     as a unified diff;
//   - explain: a rule's documentation, as `failfast explain RULE` prints it.
//
// The protocol is github.com/modelcontextprotocol/go-sdk's: tools are bound
// with its typed AddTool, so each input schema is inferred from a Go struct
// (unknown properties are refused) and validated by the SDK before a tool
// runs. What the tools do is not here: the command line (package cli)
// owns check and injects it as a [Workspace], so that the findings and
// fixes agents see are computed by the very code `failfast check` runs.
//
// Every path argument is resolved against the workspace root (the
// server's working directory) and refused if it leaves it: .., an
// absolute path elsewhere, a symbolic link that points out ([Root]). A
// refused path, a path that does not exist, an unknown rule or invalid
// input is a tool error (a result with isError set and a message saying
// what was wrong), never a protocol error, and never a crash: a panic in a
// tool becomes a tool error carrying its stack, and is logged. Tool calls
// run one at a time, since fix writes the files check reads.
package mcp

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"runtime/debug"
	"slices"
	"sync"
	"time"

	"github.com/google/jsonschema-go/jsonschema"
	sdk "github.com/modelcontextprotocol/go-sdk/mcp"
)

// Workspace is what the tools do, supplied by the command line. The paths
// it is given have been checked to lie inside the root.
type Workspace interface {
	// Check checks the packages that patterns name: go command patterns
	// relative to the root ("./...", "./store", "./store/db.go").
	Check(ctx context.Context, patterns []string) (*CheckOutput, error)
	// Fix computes the safe fixes of files (absolute paths of .go files
	// inside the root, symbolic links evaluated) and, unless dryRun,
	// applies them, touching no other file.
	Fix(ctx context.Context, files []string, dryRun bool) (*FixOutput, error)
	// Explain returns the documentation (Markdown) of rule, or an error
	// naming the known rules when there is no such rule.
	Explain(rule string) (string, error)
}

// CheckInput is the input of the check tool.
type CheckInput struct {
	Paths []string `json:"paths,omitempty" jsonschema:"what to check, relative to the workspace root: directories (a package), .go files (the package each belongs to), or a directory followed by /... (every package below it); default ./..."`
}

// CheckOutput is the output of the check tool.
type CheckOutput struct {
	Findings []Finding `json:"findings" jsonschema:"the silent failures found, by file and position"`
	Complete bool      `json:"complete" jsonschema:"false when some package, file or rule could not be analysed (see problems): the findings are then incomplete"`
	Problems []string  `json:"problems,omitempty" jsonschema:"what could not be analysed, and why"`
	Notes    []string  `json:"notes,omitempty" jsonschema:"things worth knowing that are not failures (syntax-only mode, a rule fix that could not be built)"`
}

// Finding is one finding of the check tool.
type Finding struct {
	Rule      string    `json:"rule" jsonschema:"the rule's ID; the explain tool gives its documentation"`
	Severity  string    `json:"severity" jsonschema:"error, warning, info or hint"`
	File      string    `json:"file" jsonschema:"the file, relative to the workspace root"`
	Line      int       `json:"line" jsonschema:"1-based line"`
	Column    int       `json:"column" jsonschema:"1-based column, in bytes"`
	EndLine   int       `json:"endLine" jsonschema:"1-based line where the finding's range ends"`
	EndColumn int       `json:"endColumn" jsonschema:"1-based column (bytes) where the range ends, exclusive"`
	Message   string    `json:"message" jsonschema:"the assumption the code makes and what breaks when it fails"`
	Docs      string    `json:"docs,omitempty" jsonschema:"link to the rule's documentation"`
	Related   []Related `json:"related,omitempty" jsonschema:"other places that explain the finding, such as where the unchecked value is used"`
	Fixes     []string  `json:"fixes" jsonschema:"titles of the safe quick fixes on offer, in order of preference; the fix tool applies the first. Empty: fix by hand, or suppress with a //failfast:ignore RULE reason comment"`
}

// Related is a place that explains a finding.
type Related struct {
	File    string `json:"file" jsonschema:"the file, relative to the workspace root"`
	Line    int    `json:"line" jsonschema:"1-based line"`
	Column  int    `json:"column" jsonschema:"1-based column, in bytes"`
	Message string `json:"message" jsonschema:"what happens there"`
}

// FixInput is the input of the fix tool.
type FixInput struct {
	Files  []string `json:"files" jsonschema:"the .go files to fix, relative to the workspace root"`
	DryRun bool     `json:"dryRun,omitempty" jsonschema:"return the fixes as a unified diff and change nothing"`
}

// FixOutput is the output of the fix tool.
type FixOutput struct {
	Applied  bool       `json:"applied" jsonschema:"whether the files were written (false with dryRun)"`
	Files    []string   `json:"files" jsonschema:"the files changed (or, with dryRun, that would be), relative to the workspace root"`
	Fixed    []FixedOne `json:"fixed" jsonschema:"the findings the fixes resolve"`
	Diff     string     `json:"diff" jsonschema:"the fixes as a unified diff (empty when no safe fix applies)"`
	Complete bool       `json:"complete" jsonschema:"false when some package, file or rule could not be analysed (see problems), so some fixes may be missing"`
	Problems []string   `json:"problems,omitempty" jsonschema:"what could not be analysed or fixed, and why"`
}

// FixedOne is a finding a fix resolved, at its place before the fix.
type FixedOne struct {
	Rule    string `json:"rule"`
	File    string `json:"file" jsonschema:"the file, relative to the workspace root"`
	Line    int    `json:"line" jsonschema:"1-based line, before the fix"`
	Column  int    `json:"column" jsonschema:"1-based column (bytes), before the fix"`
	Message string `json:"message"`
}

// ExplainInput is the input of the explain tool.
type ExplainInput struct {
	Rule string `json:"rule" jsonschema:"a rule ID, as the check tool reports it (for example unchecked-type-assertion)"`
}

// ExplainOutput is the output of the explain tool.
type ExplainOutput struct {
	Rule          string `json:"rule"`
	Documentation string `json:"documentation" jsonschema:"what the rule finds, why it is a silent failure, an example, the defensive version and what it does not report (Markdown)"`
}

// Options configure the server.
type Options struct {
	// Version is the version announced to clients.
	Version string
	// Logger receives the server's logs (never the protocol stream);
	// nil discards them.
	Logger *slog.Logger
}

// Server is failfast's MCP server for one workspace.
type Server struct {
	root *Root
	ws   Workspace
	log  *slog.Logger
	sdk  *sdk.Server
	mu   sync.Mutex // one tool call at a time
}

const instructions = `failfast finds silent failures in Go code: places that assume something about data, errors or values from outside the program (a map key exists, a type assertion holds, an error cannot happen) and fail far away, or not at all, when the assumption breaks. Use check on the packages you changed, explain to learn what a rule means and how to fix it, and fix to apply the safe quick fixes (dryRun first to review them). Paths are relative to the workspace root, and a path that leaves it is refused; fix writes only the files it is given.`

// New returns the server of the workspace at root, whose tools run ws.
func New(root *Root, ws Workspace, opts Options) (*Server, error) {
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &Server{root: root, ws: ws, log: log}
	s.sdk = sdk.NewServer(&sdk.Implementation{Name: "failfast", Title: "failfast: silent failures in Go", Version: opts.Version}, &sdk.ServerOptions{
		Instructions: instructions,
		Logger:       log,
		// No logging capability: logs go to stderr only.
		Capabilities: &sdk.ServerCapabilities{},
	})
	checkSchema, err := inputSchema[CheckInput](func(s *jsonschema.Schema) { nonEmptyStrings(s.Properties["paths"], 0) })
	if err != nil {
		return nil, err
	}
	fixSchema, err := inputSchema[FixInput](func(s *jsonschema.Schema) { nonEmptyStrings(s.Properties["files"], 1) })
	if err != nil {
		return nil, err
	}
	explainSchema, err := inputSchema[ExplainInput](func(s *jsonschema.Schema) { s.Properties["rule"].MinLength = jsonschema.Ptr(1) })
	if err != nil {
		return nil, err
	}
	no := false
	sdk.AddTool(s.sdk, &sdk.Tool{
		Name:        "check",
		Title:       "Find silent failures",
		Description: "Check Go packages of the workspace for silent failures. Returns each finding with its rule, file, line, column, message, documentation link, related places and the titles of the safe fixes on offer. Findings in _test.go and generated files are not reported unless .failfast.yaml asks for them.",
		InputSchema: checkSchema,
		Annotations: &sdk.ToolAnnotations{ReadOnlyHint: true, IdempotentHint: true, OpenWorldHint: &no},
	}, guard(s, "check", s.check))
	sdk.AddTool(s.sdk, &sdk.Tool{
		Name:        "fix",
		Title:       "Apply the safe fixes",
		Description: "Apply failfast's safe quick fixes to the named Go files (each file replaced atomically; no other file is touched), or with dryRun return them as a unified diff without writing. Safe fixes keep the behaviour of the path that works and only change what happens when the assumption fails. Run check again afterwards to see what is left.",
		InputSchema: fixSchema,
		Annotations: &sdk.ToolAnnotations{DestructiveHint: &no, OpenWorldHint: &no},
	}, guard(s, "fix", s.fix))
	sdk.AddTool(s.sdk, &sdk.Tool{
		Name:        "explain",
		Title:       "Explain a rule",
		Description: "Return a rule's documentation (Markdown): what it finds, why it is a silent failure, an example, the defensive version, and what it deliberately does not report.",
		InputSchema: explainSchema,
		Annotations: &sdk.ToolAnnotations{ReadOnlyHint: true, IdempotentHint: true, OpenWorldHint: &no},
	}, guard(s, "explain", s.explain))
	return s, nil
}

// inputSchema is the schema inferred from In, adjusted by tighten.
func inputSchema[In any](tighten func(*jsonschema.Schema)) (*jsonschema.Schema, error) {
	s, err := jsonschema.For[In](nil)
	if err != nil {
		return nil, fmt.Errorf("input schema of %T: %w", *new(In), err)
	}
	tighten(s)
	return s, nil
}

// nonEmptyStrings makes an inferred []string property an array (not also
// null) of at least minItems non-empty strings.
func nonEmptyStrings(s *jsonschema.Schema, minItems int) {
	s.Types, s.Type = nil, "array"
	if minItems > 0 {
		s.MinItems = jsonschema.Ptr(minItems)
	}
	s.Items.MinLength = jsonschema.Ptr(1)
}

// Serve runs the protocol over in and out until the client closes the
// connection (nil) or ctx is cancelled.
func (s *Server) Serve(ctx context.Context, in io.ReadCloser, out io.WriteCloser) error {
	return s.Run(ctx, &sdk.IOTransport{Reader: in, Writer: out})
}

// Run runs the protocol over the transport t (in tests, an in-memory one).
func (s *Server) Run(ctx context.Context, t sdk.Transport) error {
	s.log.Info("failfast mcp: serving", "root", s.root.Dir())
	err := s.sdk.Run(ctx, t)
	if err != nil && !errors.Is(err, context.Canceled) {
		return fmt.Errorf("mcp session: %w", err)
	}
	return nil
}

// guard wraps a tool: calls run one at a time, are logged with their
// duration and outcome, and a panic becomes a tool error with its stack.
// A nil result lets the SDK fill the content with the output's JSON.
func guard[In, Out any](s *Server, name string, h func(context.Context, In) (*sdk.CallToolResult, Out, error)) sdk.ToolHandlerFor[In, Out] {
	return func(ctx context.Context, _ *sdk.CallToolRequest, in In) (res *sdk.CallToolResult, out Out, err error) {
		s.mu.Lock()
		defer s.mu.Unlock()
		start := time.Now()
		defer func() {
			if p := recover(); p != nil {
				err = fmt.Errorf("failfast %s crashed (a bug; please report it): %v\n%s", name, p, debug.Stack())
			}
			if err != nil {
				s.log.Warn("tool call failed", "tool", name, "input", in, "elapsed", time.Since(start), "err", err)
				return
			}
			s.log.Info("tool call", "tool", name, "input", in, "elapsed", time.Since(start))
		}()
		return h(ctx, in)
	}
}

func (s *Server) check(ctx context.Context, in CheckInput) (*sdk.CallToolResult, *CheckOutput, error) {
	paths := in.Paths
	if len(paths) == 0 {
		s.log.Info("check: no paths given, checking ./...")
		paths = []string{"./..."}
	}
	var patterns []string
	for _, p := range paths {
		pat, err := s.root.Pattern(p)
		if err != nil {
			return nil, nil, err
		}
		if !slices.Contains(patterns, pat) {
			patterns = append(patterns, pat)
		}
	}
	out, err := s.ws.Check(ctx, patterns)
	if err != nil {
		return nil, nil, fmt.Errorf("check %v: %w", paths, err)
	}
	return nil, out, nil
}

func (s *Server) fix(ctx context.Context, in FixInput) (*sdk.CallToolResult, *FixOutput, error) {
	if len(in.Files) == 0 {
		return nil, nil, errors.New("files is empty: name the .go files to fix, relative to the workspace root")
	}
	var files []string
	for _, p := range in.Files {
		f, err := s.root.GoFile(p)
		if err != nil {
			return nil, nil, err
		}
		if !slices.Contains(files, f) {
			files = append(files, f)
		}
	}
	out, err := s.ws.Fix(ctx, files, in.DryRun)
	if err != nil {
		return nil, nil, fmt.Errorf("fix %v: %w", in.Files, err)
	}
	return nil, out, nil
}

// explain's content is the Markdown itself, which agents read better than
// the same text escaped in JSON; the structured output carries it too.
func (s *Server) explain(_ context.Context, in ExplainInput) (*sdk.CallToolResult, *ExplainOutput, error) {
	doc, err := s.ws.Explain(in.Rule)
	if err != nil {
		return nil, nil, err
	}
	res := &sdk.CallToolResult{Content: []sdk.Content{&sdk.TextContent{Text: doc}}}
	return res, &ExplainOutput{Rule: in.Rule, Documentation: doc}, nil
}
