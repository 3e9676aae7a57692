// Command floor is the type-checking floor of the speed benchmark: it loads
// the packages matching its arguments with full type information, as a
// linter must, and does nothing else. failfast's time is compared with it.
package main

import (
	"fmt"
	"os"

	"golang.org/x/tools/go/packages"
)

func main() {
	cfg := &packages.Config{
		Mode: packages.NeedName | packages.NeedFiles | packages.NeedImports | packages.NeedTypes |
			packages.NeedSyntax | packages.NeedTypesInfo | packages.NeedTypesSizes,
		Tests: true,
		Env:   append(os.Environ(), "GOTOOLCHAIN=local"),
	}
	patterns := os.Args[1:]
	if len(patterns) == 0 {
		patterns = []string{"./..."}
	}
	pkgs, err := packages.Load(cfg, patterns...)
	if err != nil {
		fmt.Fprintf(os.Stderr, "floor: %v\n", err)
		os.Exit(2)
	}
	files := 0
	for _, p := range pkgs {
		files += len(p.Syntax)
	}
	fmt.Printf("floor: %d packages, %d files type-checked\n", len(pkgs), files)
}
