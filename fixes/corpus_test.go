package fixes

import (
	"context"
	"os"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/failfast-dev/failfast/config"
	"github.com/failfast-dev/failfast/loader"
	"github.com/failfast-dev/failfast/runner"
)

// TestCorpus computes every fix for every finding in the module named by
// FAILFAST_FIX_CORPUS (a directory; skipped when unset) and reports how
// many were offered and why the others were dropped. No fix may panic or
// be offered without type-checking.
func TestCorpus(t *testing.T) {
	dir := os.Getenv("FAILFAST_FIX_CORPUS")
	if dir == "" {
		t.Skip("FAILFAST_FIX_CORPUS is not set")
	}
	ctx := context.Background()
	g, err := loader.Load(ctx, loader.Config{Dir: dir}, "./...")
	if err != nil {
		t.Fatal(err)
	}
	run, err := runner.New(&config.Config{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	offered, dropped := map[string]int{}, map[string]int{}
	reasons := map[string]int{}
	var total, slowest time.Duration
	var calls int
	var slowestAt string
	fixedAll := 0
	for _, target := range g.Roots {
		pkg, err := g.Check(ctx, target)
		if err != nil {
			t.Fatal(err)
		}
		findings, errs := run.Run(ctx, pkg)
		for _, err := range errs {
			t.Logf("rule error: %v", err)
		}
		for _, f := range findings {
			if f.Rule == "invalid-directive" {
				continue
			}
			start := time.Now()
			fixes, err := For(pkg, f, Options{})
			took := time.Since(start)
			total += took
			calls++
			if took > slowest {
				slowest, slowestAt = took, f.Pos.String()
			}
			if os.Getenv("FAILFAST_FIX_SHOW") != "" {
				src, err := pkg.ReadFile(f.Pos.Filename)
				if err != nil {
					t.Fatal(err)
				}
				for _, fix := range fixes[:max(len(fixes)-1, 0)] {
					out, aerr := Apply(src, fix.Edits)
					if aerr != nil {
						t.Errorf("%s: %v", fix.Title, aerr)
						continue
					}
					t.Logf("%s:%d %s\n%s", f.Pos.Filename, f.Pos.Line, fix.Title, lineDiff(src, out))
				}
			}
			if len(fixes) > 1 {
				offered[f.Rule]++
			} else {
				dropped[f.Rule]++
			}
			if err != nil {
				msg := err.Error()
				if strings.Contains(msg, "panicked") {
					t.Errorf("%s", msg)
				}
				if i := strings.LastIndex(msg, ": "); i >= 0 {
					msg = msg[strings.Index(msg, "\"")+1:]
				}
				reasons[f.Rule+": "+firstLine(msg)]++
			}
		}
		// Every safe fix at once: the package must still type-check.
		var kept []runner.Finding
		for _, f := range findings {
			if f.Rule != "invalid-directive" {
				kept = append(kept, f)
			}
		}
		if len(kept) > 0 {
			all, err := FixAll(pkg, kept, Options{})
			if err != nil {
				t.Fatal(err)
			}
			byFile := map[string][]Edit{}
			for _, e := range all.Edits {
				byFile[e.Filename] = append(byFile[e.Filename], e)
			}
			overrides := map[string][]byte{}
			for name, edits := range byFile {
				src, err := pkg.ReadFile(name)
				if err != nil {
					t.Fatal(err)
				}
				if overrides[name], err = Apply(src, edits); err != nil {
					t.Fatalf("fix all in %s: %v", name, err)
				}
			}
			if len(overrides) > 0 {
				fixed, err := pkg.CheckWith(ctx, overrides)
				if err != nil {
					t.Fatal(err)
				}
				if len(fixed.Errors) > len(pkg.Errors) {
					t.Errorf("fix all in %s: %v", target.ID, fixed.Errors)
				}
				fixedAll += len(all.Fixed)
				fixed.Release()
			}
		}
		pkg.Release()
	}
	t.Logf("fix all applied %d fixes", fixedAll)
	if calls > 0 {
		t.Logf("%d calls of For, %v on average, slowest %v at %s", calls, total/time.Duration(calls), slowest, slowestAt)
	}
	for rule, n := range offered {
		t.Logf("%-26s offered %4d, no rule fix %4d", rule, n, dropped[rule])
	}
	var rs []string
	for r, n := range reasons {
		rs = append(rs, strings.Repeat(" ", 4-len(itoa(n)))+itoa(n)+" "+r)
	}
	sort.Sort(sort.Reverse(sort.StringSlice(rs)))
	for _, r := range rs {
		t.Log(r)
	}
}

func itoa(n int) string {
	s := ""
	for {
		s = string(rune('0'+n%10)) + s
		n /= 10
		if n == 0 {
			return s
		}
	}
}
