// Command failfast finds silent failures in Go code: assumptions about input,
// the environment and other components that break far from where they were
// made. It checks (and fixes) packages from the command line, serves the same
// rules and quick fixes to editors as a language server, and runs as a go vet
// tool (go vet -vettool=$(command -v failfast)).
//
// Install it with: go install github.com/failfast-dev/failfast/cmd/failfast@latest
package main

import (
	"os"

	"github.com/failfast-dev/failfast/cmd/internal/cli"
)

func main() {
	os.Exit(cli.Run(os.Args[1:], os.Stdout, os.Stderr))
}
