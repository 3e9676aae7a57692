// Package spec defines what every failfast rule declares about itself (its
// ID, default severity, summary and documentation) and the Reporter through
// which a rule's analyzer reports, so that suppression directives, test files
// and generated files are handled the same way under every driver.
package spec

import (
	"fmt"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/failfast-dev/failfast/rules/provenance"
)

// Severity is how loudly a finding is shown. The names match the LSP
// DiagnosticSeverity values.
type Severity string

// The severities, most severe first.
const (
	Error   Severity = "error"
	Warning Severity = "warning"
	Info    Severity = "info"
	Hint    Severity = "hint"
)

// Severities lists the valid severities, most severe first.
var Severities = []Severity{Error, Warning, Info, Hint}

// ParseSeverity validates s as a severity name.
func ParseSeverity(s string) (Severity, error) {
	for _, v := range Severities {
		if string(v) == s {
			return v, nil
		}
	}
	return "", fmt.Errorf("unknown severity %q (want one of error, warning, info, hint)", s)
}

// Doc is a rule's user-facing documentation, in the shape every rule shares.
// Bad and Good are Go source; the other fields are Markdown paragraphs.
type Doc struct {
	What       string // what the rule finds
	Why        string // why it is a silent failure
	Bad        string // an example the rule reports
	Good       string // the same code written defensively
	Exceptions string // what the rule deliberately does not report
	Fix        string // what the quick fix does (empty when the rule has none)
}

// Rule is one silent-failure rule: its stable public identity and the
// constructor of its analyzer.
type Rule struct {
	// ID is the stable public name: the LSP code, the JSON "rule", the name
	// in suppression directives. Lower-case words joined by hyphens.
	ID       string
	Severity Severity // default severity
	Summary  string   // one line, no trailing period
	Doc      Doc
	HasFix   bool
	// Nolint names other linters that report the same failure, in lower
	// case as golangci-lint spells them: a //nolint directive naming one
	// (`//nolint:errcheck`) silences this rule too, since the author has
	// already said the finding is wrong there. The rule's New passes them
	// to NewAnalyzer.
	Nolint []string
	// New builds the rule's analyzer for the given options. Analyzers are
	// built per options value so that two workspaces with different
	// configurations never share mutable state.
	New func(*Options) *analysis.Analyzer
	// Settle, when set, decides over the whole workspace the findings the
	// rule's package passes leave open (see Settler).
	Settle Settler
}

// AnalyzerName is the go/analysis name of a rule's analyzer: the ID with
// hyphens replaced by underscores, since analyzer names must be identifiers.
func AnalyzerName(id string) string { return strings.ReplaceAll(id, "-", "_") }

// Options are the settings that change what a rule's analyzer reports.
type Options struct {
	// Lists are the provenance lists: sources of external data, fallible
	// and never-failing calls.
	Lists *provenance.Lists
	// TestFiles makes rules report in _test.go files too.
	TestFiles bool
	// Generated makes rules report in generated files too.
	Generated bool
}

// DefaultOptions returns the options used when nothing is configured.
func DefaultOptions() *Options {
	return &Options{Lists: provenance.Default()}
}

// DocsBase is where the rendered rule documentation lives; a rule's page is
// DocsBase + ID + ".md".
const DocsBase = "https://github.com/failfast-dev/failfast/blob/main/docs/rules/"

// DocURL returns the documentation link of rule id.
func DocURL(id string) string { return DocsBase + id + ".md" }
