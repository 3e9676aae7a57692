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
//   - a message whose JSON does not decode is logged and skipped instead of
//     closing the connection.
//
// Positions are converted once, at the boundary (position.go): inside the
// server everything is a byte offset into a document's content.
//
// Analysis (analysis.go) keeps one loader.Graph per module, loaded with the
// directories of the open files. An edit re-checks only the edited file:
// the package's other files are parsed once and type-checked without their
// function bodies, so the cost of an edit grows with the edited file, not
// with its package.
package server
