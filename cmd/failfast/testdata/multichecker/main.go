// Command multichecker is a driver that failfast's own code does not
// provide: golang.org/x/tools' multichecker over runner.Analyzers, the list
// that Bazel's nogo, golangci-lint and go vet are given. TestMultichecker
// builds and runs it to show that the analyzers need nothing of failfast's
// own driver (package runner's Runner): the same shape of program is what a
// nogo target's deps list names.
package main

import (
	"fmt"
	"os"

	"golang.org/x/tools/go/analysis/multichecker"

	"github.com/failfast-dev/failfast/config"
	"github.com/failfast-dev/failfast/runner"
)

func main() {
	// The default settings: every rule on, test and generated files not
	// reported (as failfast check without a .failfast.yaml).
	analyzers, err := runner.Analyzers(&config.Config{Rules: map[string]string{}}, nil)
	if err != nil {
		fmt.Fprintf(os.Stderr, "multichecker: %v\n", err)
		os.Exit(2)
	}
	multichecker.Main(analyzers...)
}
