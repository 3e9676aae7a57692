// Package server is failfast's language server: it speaks the Language
// Server Protocol over a stream (stdio for `failfast serve`), keeps the
// buffers the editor has open, analyses them with the rule engine as they
// are typed or saved, publishes the findings as diagnostics and offers the
// quick fixes as code actions.
//
// It is built on go.lsp.dev/jsonrpc2 (framing, connection) and
// go.lsp.dev/protocol (message types, the client dispatcher). Where those
// libraries (LSP 3.15, 2022) lack what the protocol now needs, this package
// adds it on top rather than replacing them:
//
//   - method routing is an allowlist of the methods implemented here, so an
//     unknown request gets MethodNotFound instead of reaching a nil method;
//     codeAction/resolve, which protocol does not route, is one of them;
//   - $/cancelRequest is decoded as a jsonrpc2.ID, since protocol's handler
//     ignores numeric ids (VS Code's), and a cancelled request is answered
//     with RequestCancelled (-32800);
//   - positionEncoding (LSP 3.17) is negotiated from the raw initialize
//     parameters and announced through a capabilities struct that embeds
//     protocol.ServerCapabilities;
//   - pull diagnostics (LSP 3.17: textDocument/diagnostic,
//     workspace/diagnostic, workspace/diagnostic/refresh) are routed through
//     the same allowlist, with their few types defined in pull.go;
//   - didChange parameters are decoded with a pointer range, so a
//     full-document change is told apart from an insertion at 0:0;
//   - code actions carry a data field (protocol's CodeAction has none) for
//     codeAction/resolve;
//   - a message whose JSON does not decode is answered (ParseError, or
//     InvalidRequest with its id when that can be read), logged and skipped
//     instead of closing the connection.
//
// Positions are converted once, at the boundary (position.go): inside the
// server everything is a byte offset into a document's content.
//
// Analysis (analysis.go, workspace.go, prune.go) keeps one loader.Graph
// per module (the nearest go.mod), listed by the go command for the
// directories of the open files, and listed again when go.mod or go.work
// change or an edited file's build constraints, package clause or imports
// do. An edit re-checks only the edited file: the package's other files
// are parsed once, stripped of function bodies, and pruned to the
// declarations the edited file needs, so the cost of an edit grows with
// the edited file, not with its package. An edit inside one function body
// goes further (perdecl.go): the text is compared with the last analysed
// version, and when the one changed byte range lies strictly inside one
// function's braces, the file is parsed again with every other function
// body blanked out (same offsets and lines), the edited body alone is
// type-checked against the package as checked once with all of the
// file's bodies blanked (body.go: function bodies declare nothing at
// package level, so that package holds for every edit inside a body; the
// body is checked as a function literal in the file's scope, and places
// the rules find in the held package are moved through the edits since;
// at most maxHeld such packages are kept at once),
// or, when it cannot be (a generic function, a type error), against the
// file's other functions checked by signature, the rules run on the
// edited function, and the findings of the file's other declarations
// are the previous ones, moved by the edit (a line the message quotes
// from a related place included). That previous analysis must have been
// made against the same package listing, rules and other files'
// contents; anything else (an edit to a signature, a type, an import or
// a package-level value, one that spans declarations or does not parse)
// is checked as a whole file. A finding of another declaration that
// depends on the edited body (a fact about the edited function, a related
// place in it) or on facts kept since (the package's or an import's
// whole-package pass found something new; facts kept again unchanged do
// not count) keeps its previous answer until the whole-package pass after
// a pause, which replaces every finding and leaves the base the next edit
// reuses. Quick fixes work on the file checked as a
// whole (after a per-function check, when a fix is first asked for) and
// verify their rewrites the same way (loader.Package.Recheck). What a rule
// learns from other
// files' bodies (a related place in another file) comes from a
// whole-package pass once the document has been idle for a second; the
// facts that pass records (a function there that may return nil) serve
// the per-edit passes after it, and a package's first such pass runs as
// soon as one of its files is opened, once, without being cancelled by the
// edits that follow (a check cannot be interrupted: restarted at every
// keystroke it would only compete with them).
//
// Diagnostics (diagnostics.go) are delivered with the document version,
// in version order: a result for an old version never replaces a newer
// one. Every delivery goes through one function (deliverDiagnostics), which
// pushes them (textDocument/publishDiagnostics) or, for a client in pull
// mode, keeps them for its pulls, so that both show the same findings.
//
// Pull mode (pull.go) is chosen at initialize, for a client that announces
// textDocument.diagnostic and workspace.diagnostics.refreshSupport: the
// server's findings change without an edit (the whole-package pass, a
// saved file of the package, the settings), so a client that can pull but
// cannot be told to pull again is pushed to. Such a client gets a
// diagnosticProvider (identifier "failfast", interFileDependencies,
// workspaceDiagnostics) and no publishDiagnostics. A reportStore holds a
// report per file: its diagnostics, the document version they describe
// (none for a file that is not open) and a resultId, new whenever either
// changes. textDocument/diagnostic answers "unchanged" when the client's
// previousResultId is the current one, else the full report; for an open
// document whose analysis is pending (debounced or running) it first waits
// for that analysis, bounded by the request and cancellable with
// $/cancelRequest, and with none pending (onSave mode after an edit, an
// analysis that failed) it answers with the last findings at once.
// workspace/diagnostic reports every file in the store without waiting (each
// report names its version), plus an empty report for a file the client
// names that the store does not hold. Each change of the store sends
// workspace/diagnostic/refresh, coalesced to one in flight and one queued.
// A closed document that the background pass does not cover leaves an
// empty report (version null) so that a client that keeps closed files'
// diagnostics (VS Code with workspace diagnostics) clears them; the
// background pass puts its findings in the same store through
// deliverDiagnostics, with no version. Neovim before 0.13 is offered no workspace diagnostics: when a
// server has them, its refresh pulls only workspace/diagnostic, which it
// applies to no open buffer (neovim/neovim#40623).
//
// The background pass (background.go), with the setting scope
// "workspace" (the default; "openFiles" turns it off), gives the files
// that are not open their diagnostics. After initialized (and the first
// configuration pull, which may choose the scope) each workspace folder's
// module is listed with the pattern folder/... (plus the modules nested
// below the folder), in the same loader.Graph the open files use (in its
// pass Space, below), and its
// packages are analysed in full one at a time, in dependency order as
// `failfast check` does, so that their facts serve the per-edit passes
// too (Runner.Summarised). The findings of the files that are not open
// are delivered with no version; an open file is skipped, under the
// scheduler's lock, so its own analysis always wins. The pass yields to
// the editor: a package starts only once no open document's analysis
// has been pending or running for 300 ms, and scheduling one cancels the
// package being analysed, which runs again once the edits pause. Files that are not
// open and change on disk (workspace/didChangeWatchedFiles, registered
// for **/*.go when the client can) make the module list its packages
// again without making edits wait (a graph load for such "soft"
// staleness is waited for only by the pass), and re-analyse the
// packages of the file's directory and, transitively, their importers
// in the module; a deleted file's diagnostics are cleared. A closed
// document is analysed again from the disk and keeps its findings,
// unversioned. A settings, go.mod, go.work or settings-file change or a
// new workspace folder sweeps again; scope "openFiles" stops the pass
// and clears what it delivered. A batch of more than one package reports
// window/workDoneProgress ("failfast: 120/480 packages") when the client
// announces window.workDoneProgress, cancellable: the client's
// window/workDoneProgress/cancel stops the batch and drops the queued
// work, and later changes queue new work. Each package's findings are
// delivered as it reports them; when a batch has analysed all its
// packages, the pass settles what it found in the files that are not open
// as check does at the end (runner.Settle: a nil-nil-return whose callers
// in other packages all test the result is dropped) and delivers the files
// that changes. An open file's findings are its own analysis's, unsettled.
// A file opened as the pass last analysed it (its content, the package's
// other files, the graph, the rules and the facts of its imports all the
// same) takes the pass's answer as its complete result (background.adopt)
// and needs no whole-package pass of its own. At the end of a batch, an
// open document whose result it may have outdated is analysed again: one
// in a package the batch analysed for a file changed on disk, or one whose
// package's or imports' facts moved since its result (a function of a
// package it imports may now return nil).
//
// Memory: what a check imports (dependency types from export data) lives
// in a loader.Space. The open files' checks share the Graph's own Space,
// which keeps them re-encoded with the types alone (CompactImports: about
// half what the compiler's export data holds once read); the background
// pass imports into the Graph's PassSpace, replaced once it has read 16 MB
// of export data, so that the types of packages nobody has open are
// dropped as the pass goes. Whole-package analyses of open documents run
// one at a time, the open documents' analyses as many at once as there
// are processors (each holds its package's syntax and types), and serve
// collects at GOGC 75 (bench/README.md has the figures on jaeger).
//
// Code actions (codeaction.go) are computed on demand by a FixProvider
// (package fixes by default) and cached per document version.
package server
