package cli

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"

	"github.com/failfast-dev/failfast/server"
)

const serveDoc = `Serve runs failfast as a language server speaking LSP over stdin and stdout
(--stdio, which editors pass, is the same). Logs go to stderr and to the
client's log (window/logMessage), never to stdout.

Settings (initializationOptions, or the "failfast" section of the editor's
configuration): run ("onType", the default, or "onSave"), debounceMs
(how long onType waits after a keystroke, 0 to 60000), rules (rule ID to off, on or a
severity, over .failfast.yaml) and logger (what the logging that quick fixes
add uses: "slog", "log", or a logger in scope such as "s.log"; by default
what the file already uses) and scope ("workspace", the default: the files
that are not open get diagnostics too, from a background pass over the
workspace folders' modules; or "openFiles"). A bad setting is shown to the user and the
others apply; path and trace, which editors keep in the same section, are
ignored.
Exit status: 0 after shutdown and exit, 1 otherwise.`

// serveGCPercent is the server's GOGC unless the environment sets one.
const serveGCPercent = 200

func runServe(args []string, _, stderr io.Writer) int {
	fs := newFlagSet("serve", "failfast serve [--stdio] [-v]", serveDoc, stderr)
	fs.Bool("stdio", true, "speak LSP over stdin and stdout (the only transport)")
	verbose := fs.Bool("v", false, "log debug messages (timings) to stderr")
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "failfast serve: unexpected arguments %q\n", fs.Args())
		return exitFailed
	}
	level := slog.LevelInfo
	if *verbose {
		level = slog.LevelDebug
	}
	if os.Getenv("GOGC") == "" {
		// Each edit allocates a type-checked file and little else that
		// lives: a larger heap target cuts the time spent collecting
		// (about a fifth of an edit at the default). Not larger: the
		// whole-package pass holds far more than an edit (net/http:
		// about 140 MB live), and 400 let the heap grow to five times
		// that (BenchmarkEditNetHTTPServerBinary: peak 520 MB at 400,
		// 243 MB at 200, 221 MB at 100, for the same median edit).
		debug.SetGCPercent(serveGCPercent)
		fmt.Fprintf(stderr, "failfast serve: GOGC=%d (set GOGC to override)\n", serveGCPercent)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return server.Serve(ctx, os.Stdin, os.Stdout, server.Options{Stderr: stderr, LogLevel: level})
}
