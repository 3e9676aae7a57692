package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
	"text/tabwriter"

	"github.com/failfast-dev/failfast/rules"
	"github.com/failfast-dev/failfast/rules/spec"
)

func runRules(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("rules", "failfast rules [-json]", "List the rules: ID, default severity, whether a quick fix exists, summary.", stderr)
	asJSON := fs.Bool("json", false, "print a JSON array")
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	if *asJSON {
		type row struct {
			ID       string `json:"id"`
			Severity string `json:"severity"`
			HasFix   bool   `json:"hasFix"`
			Summary  string `json:"summary"`
			Docs     string `json:"docs"`
		}
		var rows []row
		for _, r := range rules.All() {
			rows = append(rows, row{r.ID, string(r.Severity), r.HasFix, r.Summary, spec.DocURL(r.ID)})
		}
		return writeJSON(stdout, stderr, rows)
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "RULE\tSEVERITY\tFIX\tSUMMARY")
	for _, r := range rules.All() {
		fix := "no"
		if r.HasFix {
			fix = "yes"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.ID, r.Severity, fix, r.Summary)
	}
	if err := tw.Flush(); err != nil {
		fmt.Fprintf(stderr, "failfast rules: %v\n", err)
		return exitFailed
	}
	return exitClean
}

func runExplain(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("explain", "failfast explain RULE", "Print a rule's documentation (Markdown).", stderr)
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return exitFailed
	}
	r, ok := rules.Lookup(fs.Arg(0))
	if !ok {
		fmt.Fprintf(stderr, "failfast explain: unknown rule %q; 'failfast rules' lists them\n", fs.Arg(0))
		return exitFailed
	}
	if _, err := io.WriteString(stdout, rules.Markdown(r)); err != nil {
		fmt.Fprintf(stderr, "failfast explain: %v\n", err)
		return exitFailed
	}
	return exitClean
}

func runVersion(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("version", "failfast version", "Print the version of failfast and of the Go it was built with.", stderr)
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	fmt.Fprintf(stdout, "failfast %s (%s)\n", version(), runtime.Version())
	return exitClean
}

// version is the module version, or the VCS revision of a development build.
func version() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	if v := bi.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	rev, dirty := "", false
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if rev == "" {
		return "devel"
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if dirty {
		rev += "+dirty"
	}
	return "devel " + rev
}

func writeJSON(stdout, stderr io.Writer, v any) int {
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		fmt.Fprintf(stderr, "failfast: write JSON: %v\n", err)
		return exitFailed
	}
	return exitClean
}
