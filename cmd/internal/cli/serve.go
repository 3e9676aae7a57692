package cli

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
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
const serveGCPercent = 75

func runServe(args []string, _, stderr io.Writer) int {
	fs := newFlagSet("serve", "failfast serve [--stdio] [-v] [-memprofile file]", serveDoc, stderr)
	fs.Bool("stdio", true, "speak LSP over stdin and stdout (the only transport)")
	verbose := fs.Bool("v", false, "log debug messages (timings) to stderr")
	memProfile := fs.String("memprofile", "", "write a heap profile to `file` when the client asks for shutdown (for go tool pprof)")
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
		// The server's heap is mostly what it keeps for the open files
		// (their imported types, the packages held for edits); an edit
		// allocates a few megabytes that die with it. Collecting before
		// the heap doubles costs an edit little and keeps the peak near
		// what is kept (bench/README.md: on jaeger with 20 files open,
		// peak RSS 155 MB at 75, 180 MB at 100, 229 MB at 200; on
		// net/http, a median edit of 6.6, 6.0 and 5.7 ms).
		debug.SetGCPercent(serveGCPercent)
		fmt.Fprintf(stderr, "failfast serve: GOGC=%d (set GOGC to override)\n", serveGCPercent)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	opts := server.Options{Stderr: stderr, LogLevel: level}
	if *memProfile != "" {
		// At shutdown, while the session still holds everything it built.
		opts.OnShutdown = func() {
			if err := writeHeapProfile(*memProfile); err != nil {
				fmt.Fprintf(stderr, "failfast serve: -memprofile: %v\n", err)
			}
		}
	}
	return server.Serve(ctx, os.Stdin, os.Stdout, opts)
}

// writeHeapProfile writes the live heap, after a collection, to name.
func writeHeapProfile(name string) error {
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	runtime.GC()
	if err := pprof.WriteHeapProfile(f); err != nil {
		f.Close() // the write's error is the one to report
		return fmt.Errorf("writing %s: %w", name, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", name, err)
	}
	return nil
}
