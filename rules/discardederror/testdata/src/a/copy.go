package a

import (
	"bytes"
	"crypto/sha256"
	"io"
	"os"
	"strings"
)

// ---- a copy also reads ----

// The body's read error is dropped and the partial buffer is parsed.
func readAll(body io.Reader) []byte {
	buf := &bytes.Buffer{}
	io.Copy(buf, body) // want `error from io.Copy is dropped; a copy fails when its source does: buf then holds part of the data`
	return buf.Bytes()
}

// The same through a value and CopyN.
func readN(body io.Reader) string {
	var b strings.Builder
	io.CopyN(&b, body, 512) // want `error from io.CopyN is dropped; a copy fails when its source does: b then holds part`
	return b.String()
}

// Reading memory fails only at its end, which Copy does not report.
func fromMemory(s string) []byte {
	buf := &bytes.Buffer{}
	io.Copy(buf, strings.NewReader(s))
	return buf.Bytes()
}

// Drained into a buffer nobody reads: nothing is used as if complete.
func drain(body io.Reader) {
	buf := &bytes.Buffer{}
	io.Copy(buf, body)
}

// Copied to the terminal: nothing in the function reads the destination.
func show(body io.Reader) {
	io.Copy(os.Stdout, body)
}

// A pipe or a response passes the data on: not a buffer read back.
func forward(w io.WriteCloser, body io.Reader) {
	io.Copy(w, body)
	w.Close()
}

// A checksum of a partial read is taken as the file's.
func checksum(f *os.File) []byte {
	h := sha256.New()
	io.Copy(h, f) // want `error from io.Copy is dropped; a copy fails when its source does: h then holds part`
	return h.Sum(nil)
}
