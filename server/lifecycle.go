package server

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"

	"github.com/failfast-dev/failfast/rules"
)

// FixAllKind is the code action kind of "apply every safe fix".
const FixAllKind protocol.CodeActionKind = "source.fixAll.failfast"

// clientCaps is what the server needs to know of the client's capabilities,
// decoded from the raw initialize parameters (protocol v0.12 predates
// positionEncodings).
type clientCaps struct {
	General struct {
		PositionEncodings []string `json:"positionEncodings"`
	} `json:"general"`
	Workspace struct {
		Configuration         bool `json:"configuration"`
		WorkspaceFolders      bool `json:"workspaceFolders"`
		DidChangeWatchedFiles struct {
			DynamicRegistration bool `json:"dynamicRegistration"`
		} `json:"didChangeWatchedFiles"`
		// Diagnostics (LSP 3.17): the client pulls again when asked.
		Diagnostics struct {
			RefreshSupport bool `json:"refreshSupport"`
		} `json:"diagnostics"`
	} `json:"workspace"`
	Window struct {
		// WorkDoneProgress: the server may create progress tokens
		// (window/workDoneProgress/create) and report $/progress.
		WorkDoneProgress bool `json:"workDoneProgress"`
	} `json:"window"`
	TextDocument struct {
		// Diagnostic (LSP 3.17), when present: the client can pull
		// diagnostics (textDocument/diagnostic).
		Diagnostic *struct {
			DynamicRegistration bool `json:"dynamicRegistration"`
		} `json:"diagnostic"`
		CodeAction struct {
			DataSupport    bool `json:"dataSupport"`
			ResolveSupport *struct {
				Properties []string `json:"properties"`
			} `json:"resolveSupport"`
		} `json:"codeAction"`
	} `json:"textDocument"`
}

// resolvesEdits reports whether the client can fetch a code action's edit
// later, through codeAction/resolve.
func (c *clientCaps) resolvesEdits() bool {
	ca := c.TextDocument.CodeAction
	return ca.DataSupport && ca.ResolveSupport != nil && slices.Contains(ca.ResolveSupport.Properties, "edit")
}

type initializeParams struct {
	RootURI               protocol.DocumentURI       `json:"rootUri"`
	RootPath              string                     `json:"rootPath"`
	WorkspaceFolders      []protocol.WorkspaceFolder `json:"workspaceFolders"`
	InitializationOptions json.RawMessage            `json:"initializationOptions"`
	Capabilities          clientCaps                 `json:"capabilities"`
	ClientInfo            *protocol.ClientInfo       `json:"clientInfo"`
}

// serverCapabilities adds LSP 3.17's positionEncoding and
// diagnosticProvider to protocol's capabilities; the embedded struct's
// fields flatten into the same object.
type serverCapabilities struct {
	protocol.ServerCapabilities
	PositionEncoding   encoding           `json:"positionEncoding,omitempty"`
	DiagnosticProvider *diagnosticOptions `json:"diagnosticProvider,omitempty"`
}

type initializeResult struct {
	Capabilities serverCapabilities  `json:"capabilities"`
	ServerInfo   protocol.ServerInfo `json:"serverInfo"`
}

func (s *Server) initialize(ctx context.Context, raw json.RawMessage) (any, error) {
	s.mu.Lock()
	if s.state != stateNew {
		s.mu.Unlock()
		return nil, jsonrpc2.NewError(jsonrpc2.InvalidRequest, "initialize sent twice")
	}
	s.mu.Unlock()
	var p initializeParams
	if err := decodeParams(raw, &p); err != nil {
		return nil, invalidParams("initialize", err)
	}
	s.clientC = p.Capabilities
	s.enc = utf16Encoding
	if slices.Contains(p.Capabilities.General.PositionEncodings, string(utf8Encoding)) {
		s.enc = utf8Encoding
	}
	s.pull = s.clientC.pullsDiagnostics()
	client := "an unnamed client"
	if p.ClientInfo != nil {
		client = p.ClientInfo.Name + " " + p.ClientInfo.Version
	}
	diagnostics := "push"
	if s.pull {
		diagnostics = "pull"
	} else if s.clientC.TextDocument.Diagnostic != nil {
		diagnostics = "push (the client can pull but announces no workspace.diagnostics.refreshSupport)"
	}
	s.log.Info("initialize", "client", client, "positionEncoding", string(s.enc),
		"offered", p.Capabilities.General.PositionEncodings, "resolveEdits", s.clientC.resolvesEdits(), "diagnostics", diagnostics)

	var folders []string
	for _, f := range p.WorkspaceFolders {
		dir, err := uriPath(protocol.DocumentURI(f.URI))
		if err != nil || dir == "" {
			s.log.Warn("workspace folder ignored: not a file URI", "uri", f.URI, "err", err)
			continue
		}
		folders = append(folders, dir)
	}
	if len(folders) == 0 {
		if dir, err := uriPath(p.RootURI); err == nil && dir != "" {
			folders = append(folders, dir)
		} else if p.RootPath != "" {
			folders = append(folders, filepath.Clean(p.RootPath))
		}
	}
	s.ws.setFolders(folders)
	if len(p.InitializationOptions) > 0 && string(p.InitializationOptions) != "null" {
		s.applySettings(ctx, p.InitializationOptions, fromInitOptions)
	}

	caps := serverCapabilities{PositionEncoding: s.enc}
	caps.TextDocumentSync = &protocol.TextDocumentSyncOptions{
		OpenClose: true,
		Change:    protocol.TextDocumentSyncKindIncremental,
		Save:      &protocol.SaveOptions{},
	}
	caps.CodeActionProvider = &protocol.CodeActionOptions{
		CodeActionKinds: []protocol.CodeActionKind{protocol.QuickFix, FixAllKind},
		ResolveProvider: s.clientC.resolvesEdits(),
	}
	if s.pull {
		caps.DiagnosticProvider = &diagnosticOptions{
			Identifier:            diagnosticIdentifier,
			InterFileDependencies: true,
			WorkspaceDiagnostics:  refreshReachesOpenDocuments(p.ClientInfo),
		}
		if !caps.DiagnosticProvider.WorkspaceDiagnostics {
			s.log.Info("workspace diagnostics not offered: this client's refresh would not pull its open documents again", "client", client)
		}
	}
	caps.Workspace = &protocol.ServerCapabilitiesWorkspace{
		WorkspaceFolders: &protocol.ServerCapabilitiesWorkspaceFolders{Supported: true, ChangeNotifications: true},
	}
	s.mu.Lock()
	s.state = stateInitialized
	s.mu.Unlock()
	return initializeResult{
		Capabilities: caps,
		ServerInfo:   protocol.ServerInfo{Name: "failfast", Version: fmt.Sprintf("%d rules", len(rules.All()))},
	}, nil
}

// initialized registers for file watching, pulls the configuration and
// starts the background pass.
func (s *Server) initialized(ctx context.Context, _ json.RawMessage) error {
	go s.afterInitialized(context.WithoutCancel(ctx))
	return nil
}

// afterInitialized makes the calls to the client that initialized starts;
// they wait for answers, so they run off the read loop.
func (s *Server) afterInitialized(ctx context.Context) {
	if s.clientC.Workspace.DidChangeWatchedFiles.DynamicRegistration {
		// *.go: files that are not open, changed on disk (a git
		// checkout, a generator), for the background pass.
		watchers := []protocol.FileSystemWatcher{
			{GlobPattern: "**/go.mod"}, {GlobPattern: "**/go.work"}, {GlobPattern: "**/" + settingsFile}, {GlobPattern: "**/*.go"},
		}
		err := s.client.RegisterCapability(ctx, &protocol.RegistrationParams{Registrations: []protocol.Registration{{
			ID:              "failfast-watch",
			Method:          protocol.MethodWorkspaceDidChangeWatchedFiles,
			RegisterOptions: protocol.DidChangeWatchedFilesRegistrationOptions{Watchers: watchers},
		}}})
		if err != nil {
			s.log.Error("registering file watchers for *.go, go.mod, go.work and "+settingsFile+" failed; edit them and reopen files to reload", "err", err)
		}
	} else {
		s.log.Info("the client cannot register file watchers: changes to go.mod, go.work and " + settingsFile + " are seen when a file is saved, and Go files changed outside the editor when they are opened or saved")
	}
	s.pullConfiguration(ctx)
	s.bg.start()
}

type workspaceFoldersChange struct {
	Event struct {
		Added   []protocol.WorkspaceFolder `json:"added"`
		Removed []protocol.WorkspaceFolder `json:"removed"`
	} `json:"event"`
}

func (s *Server) didChangeWorkspaceFolders(_ context.Context, raw json.RawMessage) error {
	var p workspaceFoldersChange
	if err := decodeParams(raw, &p); err != nil {
		return err
	}
	folders := s.ws.folderList()
	var removed []string
	for _, f := range p.Event.Removed {
		if dir, err := uriPath(protocol.DocumentURI(f.URI)); err == nil {
			folders = slices.DeleteFunc(folders, func(d string) bool { return d == dir })
			removed = append(removed, dir)
		}
	}
	for _, f := range p.Event.Added {
		dir, err := uriPath(protocol.DocumentURI(f.URI))
		if err != nil || dir == "" {
			s.log.Warn("workspace folder ignored: not a file URI", "uri", f.URI, "err", err)
			continue
		}
		folders = append(folders, dir)
	}
	s.ws.setFolders(folders)
	// The files of a removed folder leave the workspace: what the
	// background pass showed there is cleared, unless another folder
	// holds them.
	s.bg.clearShown(func(path string) bool {
		inRemoved := slices.ContainsFunc(removed, func(d string) bool { return within(d, path) })
		return inRemoved && !slices.ContainsFunc(folders, func(d string) bool { return within(d, path) })
	})
	if len(p.Event.Added) > 0 {
		s.bg.requestSweep("workspace folders were added")
	}
	return nil
}

// within reports whether path is dir or below it.
func within(dir, path string) bool {
	return path == dir || strings.HasPrefix(path, dir+string(filepath.Separator))
}
