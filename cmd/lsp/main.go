// Command lsp is failfast under the name of the design's first folder: the
// same program as cmd/failfast (go build -o failfast ./cmd/lsp gives the same
// binary), kept so that scripts that build ./cmd/lsp go on working.
package main

import (
	"os"

	"github.com/failfast-dev/failfast/cmd/internal/cli"
)

func main() {
	os.Exit(cli.Run(os.Args[1:], os.Stdout, os.Stderr))
}
