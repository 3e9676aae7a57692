package rules

import (
	"fmt"
	"strings"

	"github.com/failfast-dev/failfast/rules/spec"
)

// Markdown renders a rule's documentation: what `failfast explain` prints
// and what docs/rules/<id>.md holds.
func Markdown(r *spec.Rule) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s\n\n", r.ID)
	fmt.Fprintf(&b, "%s.\n\n", capitalize(r.Summary))
	fix := "no"
	if r.HasFix {
		fix = "yes"
	}
	fmt.Fprintf(&b, "Default severity: **%s**. Quick fix: %s.\n\n", r.Severity, fix)
	section := func(title, body string) {
		if body = strings.TrimSpace(body); body != "" {
			fmt.Fprintf(&b, "## %s\n\n%s\n\n", title, body)
		}
	}
	code := func(title, src string) {
		if src = strings.TrimSpace(src); src != "" {
			fmt.Fprintf(&b, "## %s\n\n```go\n%s\n```\n\n", title, src)
		}
	}
	section("What it finds", r.Doc.What)
	section("Why it is a silent failure", r.Doc.Why)
	code("Example", r.Doc.Bad)
	code("Use instead", r.Doc.Good)
	section("What it does not report", r.Doc.Exceptions)
	section("Fix", r.Doc.Fix)
	fmt.Fprintf(&b, "## Suppressing\n\n```go\n//failfast:ignore %s the reason this is safe here\n```\n", r.ID)
	names := append([]string{"failfast", r.ID}, r.Nolint...)
	for i, n := range names {
		names[i] = "`//nolint:" + n + "`"
	}
	fmt.Fprintf(&b, "\ngolangci-lint's %s silence it too, and so does staticcheck's `//lint:ignore` naming any of them, with a reason.\n", strings.Join(names, ", "))
	return b.String()
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
