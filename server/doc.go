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
// the edited file, not with its package. Quick fixes verify their rewrites
// the same way (loader.Package.Recheck). What a rule learns from other
// files' bodies (a related place in another file) comes from a
// whole-package pass once the document has been idle for a second; the
// facts that pass records (a function there that may return nil) serve
// the per-edit passes after it, and a package's first such pass runs as
// soon as one of its files is opened.
//
// Diagnostics (diagnostics.go) are published with the document version,
// in version order: a result for an old version never replaces a newer
// one. Code actions (codeaction.go) are computed on demand by a
// FixProvider (package fixes by default) and cached per document version.
package server
