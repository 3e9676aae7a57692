// Package cli is the failfast command line: check, rules, explain, serve, mcp,
// version and help, and the go vet tool protocol. The commands in
// cmd/failfast and cmd/lsp are this package's Run and nothing else.
package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
)

// Exit statuses, as go vet uses them.
const (
	exitClean    = 0 // nothing found
	exitFindings = 1 // something found
	exitFailed   = 2 // the run itself failed, wholly or in part
)

type command struct {
	name, usage, summary string
	run                  func(args []string, stdout, stderr io.Writer) int
}

func commands() []command {
	return []command{
		{"check", "failfast check [flags] [packages]", "report silent failures in packages (default ./...)", runCheck},
		{"rules", "failfast rules [-json]", "list the rules with their severity and summary", runRules},
		{"explain", "failfast explain RULE", "print a rule's documentation", runExplain},
		{"serve", "failfast serve [--stdio]", "run the language server over stdin and stdout", runServe},
		{"mcp", "failfast mcp [-C dir]", "run the MCP server for coding agents over stdin and stdout", runMCP},
		{"version", "failfast version", "print the version", runVersion},
		{"help", "failfast help [command]", "explain a command", nil},
	}
}

// Run runs the command line args (without the program name) and returns
// the exit status.
func Run(args []string, stdout, stderr io.Writer) int {
	if vetInvocation(args) {
		return runVet(args, stdout, stderr)
	}
	if len(args) == 0 {
		usage(stderr)
		return exitFailed
	}
	name, rest := args[0], args[1:]
	switch name {
	case "help", "-h", "-help", "--help":
		if len(rest) == 0 {
			usage(stdout)
			return exitClean
		}
		for _, c := range commands() {
			if c.name == rest[0] && c.run != nil {
				return c.run([]string{"-h"}, stdout, stdout)
			}
		}
		fmt.Fprintf(stderr, "failfast help: unknown command %q\n", rest[0])
		return exitFailed
	}
	for _, c := range commands() {
		if c.name == name && c.run != nil {
			return c.run(rest, stdout, stderr)
		}
	}
	fmt.Fprintf(stderr, "failfast: unknown command %q\n\n", name)
	usage(stderr)
	return exitFailed
}

func usage(w io.Writer) {
	fmt.Fprintf(w, "failfast finds silent failures in Go code.\n\nUsage:\n\n")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-40s %s\n", c.usage, c.summary)
	}
	fmt.Fprintf(w, "\nRun 'failfast help COMMAND' or 'failfast COMMAND -h' for a command's flags.\n")
}

// newFlagSet returns a flag set that prints its usage to w.
func newFlagSet(name, usageLine, doc string, w io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(w)
	fs.Usage = func() {
		fmt.Fprintf(w, "usage: %s\n\n%s\n", usageLine, doc)
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags parses args; help is not an error (status 0), a bad flag is (2).
func parseFlags(fs *flag.FlagSet, args []string) (int, bool) {
	err := fs.Parse(args)
	switch {
	case err == nil:
		return 0, true
	case errors.Is(err, flag.ErrHelp):
		return exitClean, false
	default:
		return exitFailed, false
	}
}
