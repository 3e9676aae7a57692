package server

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"sync"
	"time"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
)

// Pull diagnostics (LSP 3.17). A client that can pull diagnostics and can
// be told to pull again (textDocument.diagnostic and
// workspace.diagnostics.refreshSupport) gets a diagnosticProvider and asks
// for the findings with textDocument/diagnostic and workspace/diagnostic;
// every other client gets textDocument/publishDiagnostics, as before. The
// findings are the same either way: both go through deliverDiagnostics,
// which sends them (push) or keeps them in the reportStore (pull) and asks
// the client to pull again with workspace/diagnostic/refresh.
//
// go.lsp.dev/protocol (LSP 3.15) has none of these methods or types; the
// few that are needed are defined here.

// The LSP 3.17 methods of pull diagnostics.
const (
	methodTextDocumentDiagnostic     = "textDocument/diagnostic"
	methodWorkspaceDiagnostic        = "workspace/diagnostic"
	methodWorkspaceDiagnosticRefresh = "workspace/diagnostic/refresh"
)

// diagnosticIdentifier names failfast's diagnostics in pull requests.
const diagnosticIdentifier = "failfast"

// diagnosticOptions is LSP 3.17's DiagnosticOptions, the server's
// diagnosticProvider capability.
type diagnosticOptions struct {
	Identifier string `json:"identifier,omitempty"`
	// InterFileDependencies: an edit of one file can change another's
	// findings (a function there that may now return nil).
	InterFileDependencies bool `json:"interFileDependencies"`
	// WorkspaceDiagnostics: the server answers workspace/diagnostic.
	WorkspaceDiagnostics bool `json:"workspaceDiagnostics"`
}

// documentDiagnosticParams are textDocument/diagnostic's parameters.
type documentDiagnosticParams struct {
	TextDocument     protocol.TextDocumentIdentifier `json:"textDocument"`
	Identifier       string                          `json:"identifier,omitempty"`
	PreviousResultID string                          `json:"previousResultId,omitempty"`
}

// Report kinds (DocumentDiagnosticReportKind).
const (
	reportFull      = "full"
	reportUnchanged = "unchanged"
)

// fullReport is a FullDocumentDiagnosticReport: items is always sent, [] when
// there is nothing to report.
type fullReport struct {
	Kind     string                `json:"kind"`
	ResultID string                `json:"resultId"`
	Items    []protocol.Diagnostic `json:"items"`
}

// unchangedReport is an UnchangedDocumentDiagnosticReport: the client's
// previousResultId still names the current findings.
type unchangedReport struct {
	Kind     string `json:"kind"`
	ResultID string `json:"resultId"`
}

// previousResultID is one entry of workspace/diagnostic's previousResultIds.
type previousResultID struct {
	URI   protocol.DocumentURI `json:"uri"`
	Value string               `json:"value"`
}

// workspaceDiagnosticParams are workspace/diagnostic's parameters.
type workspaceDiagnosticParams struct {
	Identifier        string             `json:"identifier,omitempty"`
	PreviousResultIDs []previousResultID `json:"previousResultIds"`
}

// workspaceFullReport and workspaceUnchangedReport are the items of a
// WorkspaceDiagnosticReport: a document report with the document's URI and
// the version of the text it describes (null for a file that is not open).
type workspaceFullReport struct {
	URI     protocol.DocumentURI `json:"uri"`
	Version *int32               `json:"version"`
	fullReport
}

type workspaceUnchangedReport struct {
	URI     protocol.DocumentURI `json:"uri"`
	Version *int32               `json:"version"`
	unchangedReport
}

// workspaceReport is workspace/diagnostic's result.
type workspaceReport struct {
	Items []any `json:"items"`
}

// pullsDiagnostics reports whether the client pulls diagnostics: it
// announces textDocument.diagnostic and can be asked to pull again. The
// second is required because failfast's findings change without an edit
// of the document (the idle whole-package pass, a saved file of the same
// package, the settings): a client that cannot be told would show other
// findings than push does (Neovim 0.10 announces pull without
// refresh, and is pushed to).
func (c *clientCaps) pullsDiagnostics() bool {
	return c.TextDocument.Diagnostic != nil && c.Workspace.Diagnostics.RefreshSupport
}

// neovimVersion matches the major and minor version in Neovim's clientInfo
// ("0.12.4", "0.13.0-dev+…").
var neovimVersion = regexp.MustCompile(`^(\d+)\.(\d+)`)

// refreshReachesOpenDocuments reports whether a workspace/diagnostic/refresh
// makes the client pull its open documents again even when the server
// answers workspace/diagnostic. Neovim before 0.13 pulls only
// workspace/diagnostic then, and applies it to no open buffer
// (neovim/neovim#40623), so that the idle whole-package pass would never
// reach them; it is offered document pulls only.
func refreshReachesOpenDocuments(info *protocol.ClientInfo) bool {
	if info == nil || info.Name != "Neovim" {
		return true
	}
	m := neovimVersion.FindStringSubmatch(info.Version)
	if m == nil {
		return true
	}
	major, err1 := strconv.Atoi(m[1])
	minor, err2 := strconv.Atoi(m[2])
	if err1 != nil || err2 != nil {
		return true
	}
	return major > 0 || minor >= 13
}

// fileReport is what the server currently has for one file in pull mode.
type fileReport struct {
	// version is the document version the diagnostics describe; nil for
	// a file that is not open.
	version  *int32
	diags    []protocol.Diagnostic
	resultID string
}

// reportStore keeps, in pull mode, the diagnostics the server has for each
// file, whatever pass produced them: today the analyses of open documents
// (and, for a document closed since, an empty report that clears what the
// client still shows); a pass over files that are not open would put its
// findings here the same way, through deliverDiagnostics, with a nil
// version. Every report has a resultId; a new one whenever the version or
// the diagnostics change, so a client's previousResultId matches only the
// diagnostics it already has.
type reportStore struct {
	mu sync.Mutex
	// session prefixes every resultId, so that one from an earlier
	// server process never matches.
	session string
	seq     uint64
	files   map[protocol.DocumentURI]*fileReport
}

func newReportStore() *reportStore {
	return &reportStore{
		session: strconv.FormatInt(time.Now().UnixNano(), 36),
		files:   map[protocol.DocumentURI]*fileReport{},
	}
}

// noneID is the resultId of "no findings known" for a file the store has
// no report for.
func (r *reportStore) noneID() string { return r.session + ".0" }

// put records the diagnostics of uri at version and reports whether they
// differ from what was recorded: the same diagnostics for the same
// version keep their resultId (a whole-package pass that found what the
// per-edit pass found), anything else gets a new one.
func (r *reportStore) put(uri protocol.DocumentURI, version *int32, diags []protocol.Diagnostic) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	old, ok := r.files[uri]
	if ok && sameVersion(old.version, version) && reflect.DeepEqual(old.diags, diags) {
		return false
	}
	r.seq++
	var v *int32
	if version != nil {
		v = new(int32)
		*v = *version
	}
	r.files[uri] = &fileReport{version: v, diags: diags, resultID: fmt.Sprintf("%s.%d", r.session, r.seq)}
	return true
}

func sameVersion(a, b *int32) bool {
	return (a == nil && b == nil) || (a != nil && b != nil && *a == *b)
}

// get returns the report of uri.
func (r *reportStore) get(uri protocol.DocumentURI) (fileReport, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	f, ok := r.files[uri]
	if !ok {
		return fileReport{}, false
	}
	return *f, true
}

// all returns every report, by URI.
func (r *reportStore) all() map[protocol.DocumentURI]fileReport {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make(map[protocol.DocumentURI]fileReport, len(r.files))
	for uri, f := range r.files {
		out[uri] = *f
	}
	return out
}

// deliverDiagnostics hands the client the diagnostics of a file: pushed
// with textDocument/publishDiagnostics, or, to a client that pulls, kept
// for its next pull, which a refresh asks for when they changed. version
// is the document's, nil for a file that is not open. Every finding the
// client sees goes through here, so push and pull show the same.
func (s *Server) deliverDiagnostics(uri protocol.DocumentURI, version *int32, diags []protocol.Diagnostic) error {
	if diags == nil {
		diags = []protocol.Diagnostic{} // null would not clear them in every client
	}
	if !s.pull {
		return s.sendDiagnostics(uri, version, diags)
	}
	if s.reports.put(uri, version, diags) && s.clientC.Workspace.Diagnostics.RefreshSupport {
		s.refresh.request()
	}
	return nil
}

// errPushMode answers a pull from a client that did not announce pull
// support: its diagnostics are pushed, and no report is kept for it.
func errPushMode(method string) error {
	return jsonrpc2.NewError(jsonrpc2.MethodNotFound, fmt.Sprintf("%s: this client announced no pull diagnostics (textDocument.diagnostic with workspace.diagnostics.refreshSupport); its diagnostics are published", method))
}

// documentDiagnostic answers textDocument/diagnostic. For an open document
// whose analysis is pending (debounced or running) it first waits for that
// analysis, bounded by the request's context, so that the answer is never
// the previous text's findings while newer ones are coming. When no
// analysis is pending (onSave mode after an edit, an analysis that
// failed) it answers with the last findings, whose resultId will not match
// the next ones.
func (s *Server) documentDiagnostic(ctx context.Context, raw json.RawMessage) (any, error) {
	if !s.pull {
		return nil, errPushMode(methodTextDocumentDiagnostic)
	}
	var p documentDiagnosticParams
	if err := decodeParams(raw, &p); err != nil {
		return nil, invalidParams(methodTextDocumentDiagnostic, err)
	}
	uri := p.TextDocument.URI
	if err := s.sched.await(ctx, uri); err != nil {
		return nil, fmt.Errorf("%s for %s: waiting for its analysis: %w", methodTextDocumentDiagnostic, uri, err)
	}
	rep, ok := s.reports.get(uri)
	if !ok {
		rep = fileReport{diags: []protocol.Diagnostic{}, resultID: s.reports.noneID()}
	}
	if p.PreviousResultID != "" && p.PreviousResultID == rep.resultID {
		return unchangedReport{Kind: reportUnchanged, ResultID: rep.resultID}, nil
	}
	return fullReport{Kind: reportFull, ResultID: rep.resultID, Items: rep.diags}, nil
}

// workspaceDiagnostic answers workspace/diagnostic with a report for every
// file the server has one for (unchanged where the client's resultId still
// matches), and an empty one for each file the client named that the
// server no longer has findings for. It does not wait for pending
// analyses: each report carries the version it describes, and a refresh
// follows when newer findings arrive.
func (s *Server) workspaceDiagnostic(_ context.Context, raw json.RawMessage) (any, error) {
	if !s.pull {
		return nil, errPushMode(methodWorkspaceDiagnostic)
	}
	var p workspaceDiagnosticParams
	if err := decodeParams(raw, &p); err != nil {
		return nil, invalidParams(methodWorkspaceDiagnostic, err)
	}
	previous := make(map[protocol.DocumentURI]string, len(p.PreviousResultIDs))
	for _, pr := range p.PreviousResultIDs {
		previous[pr.URI] = pr.Value
	}
	reports := s.reports.all()
	res := workspaceReport{Items: []any{}}
	for _, uri := range slices.Sorted(maps.Keys(reports)) {
		rep := reports[uri]
		if previous[uri] == rep.resultID {
			res.Items = append(res.Items, workspaceUnchangedReport{URI: uri, Version: rep.version,
				unchangedReport: unchangedReport{Kind: reportUnchanged, ResultID: rep.resultID}})
			continue
		}
		res.Items = append(res.Items, workspaceFullReport{URI: uri, Version: rep.version,
			fullReport: fullReport{Kind: reportFull, ResultID: rep.resultID, Items: rep.diags}})
	}
	none := s.reports.noneID()
	for _, uri := range slices.Sorted(maps.Keys(previous)) {
		if _, ok := reports[uri]; ok || previous[uri] == none {
			continue
		}
		res.Items = append(res.Items, workspaceFullReport{URI: uri,
			fullReport: fullReport{Kind: reportFull, ResultID: none, Items: []protocol.Diagnostic{}}})
	}
	return res, nil
}

// refreshTimeout bounds one workspace/diagnostic/refresh round trip.
const refreshTimeout = 30 * time.Second

// refresher sends workspace/diagnostic/refresh when the findings changed.
// Requests are coalesced: at most one refresh is in flight, and changes
// that come meanwhile cause one more once it is answered, so a burst of
// results (every open document re-analysed after a settings change) costs
// the client one or two rounds of pulls, and the last change is never
// missed.
type refresher struct {
	s       *Server
	mu      sync.Mutex
	running bool // a refresh is being sent
	again   bool // findings changed while it was
}

// request asks for a refresh; it never blocks.
func (r *refresher) request() {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.running {
		r.again = true
		return
	}
	r.running = true
	go r.loop(r.s.sched.base)
}

func (r *refresher) loop(ctx context.Context) {
	for {
		if ctx.Err() == nil {
			cctx, cancel := context.WithTimeout(ctx, refreshTimeout)
			_, err := r.s.conn.Call(cctx, methodWorkspaceDiagnosticRefresh, nil, nil)
			cancel()
			switch {
			case err == nil:
			case ctx.Err() != nil || r.s.closed.Load():
				r.s.log.Debug(methodWorkspaceDiagnosticRefresh+" not answered: the session is ending", "err", err)
			default:
				r.s.log.Warn(methodWorkspaceDiagnosticRefresh+" failed; the client shows new findings when it next pulls", "err", err)
			}
		}
		r.mu.Lock()
		if !r.again || ctx.Err() != nil {
			r.running, r.again = false, false
			r.mu.Unlock()
			return
		}
		r.again = false
		r.mu.Unlock()
	}
}
