package loader

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestToolchainLinesNeverDownloadOrRun: with GOTOOLCHAIN=auto in the
// environment, GOPROXY=off and an empty module cache, a go.mod asking for
// an uninstalled Go (go line or toolchain line) neither fetches a toolchain
// into the module cache nor fails: a go line too new means syntax-only
// analysis with a notice saying why; a toolchain line alone is only a
// preference, and the installed Go loads the module in full.
func TestToolchainLinesNeverDownloadOrRun(t *testing.T) {
	for _, tc := range []struct {
		name, gomod string
		mode        Mode
		notice      string
	}{
		{"go line", "module example.com/m\n\ngo 1.99\n", SyntaxOnly, "needs Go 1.99"},
		{"go and toolchain lines", "module example.com/m\n\ngo 1.99\n\ntoolchain go1.99.1\n", SyntaxOnly, "failfast never downloads a toolchain"},
		{"toolchain line", "module example.com/m\n\ngo 1.22\n\ntoolchain go1.99.1\n", Full, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := writeTree(t, map[string]string{"go.mod": tc.gomod, "m.go": "package m\n\nimport \"os\"\n\nfunc F() string { return os.Getenv(\"X\") }\n"})
			cache := t.TempDir()
			g, p := loadOne(t, Config{Dir: dir, Env: []string{"GOPROXY=off", "GOTOOLCHAIN=auto", "GOMODCACHE=" + cache, "GOFLAGS=-modcacherw"}})
			if g.Mode != tc.mode || (tc.notice == "") != (g.Notice == "") || !strings.Contains(g.Notice, tc.notice) {
				t.Errorf("mode %v, notice %q; want mode %v and a notice containing %q", g.Mode, g.Notice, tc.mode, tc.notice)
			}
			if p.Types.Scope().Lookup("F") == nil {
				t.Error("F not type-checked")
			}
			entries, err := os.ReadDir(cache)
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range entries {
				t.Errorf("the module cache gained %s: something was downloaded", e.Name())
			}
		})
	}
}

// TestBrokenGoWorkAnalysesTheModuleAlone: a go.work naming a folder that
// does not exist stops the go command from loading anything; the module is
// then loaded on its own, and the notice names go.work and the folder.
func TestBrokenGoWorkAnalysesTheModuleAlone(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"go.work": "go 1.22\n\nuse (\n\t.\n\t./missing\n)\n",
		"go.mod":  "module example.com/m\n\ngo 1.22\n",
		"m.go":    "package m\n\nfunc F() {}\n",
	})
	g, p := loadOne(t, Config{Dir: dir, Env: []string{"GOPROXY=off"}})
	if g.Mode != Full || !strings.Contains(g.Notice, "go.work") || !strings.Contains(g.Notice, "missing") {
		t.Errorf("mode %v, notice %q; want the module loaded in full and a notice naming go.work and the missing folder", g.Mode, g.Notice)
	}
	if p.Types.Scope().Lookup("F") == nil {
		t.Error("F not type-checked")
	}
	if _, err := os.Stat(filepath.Join(dir, "missing")); err == nil {
		t.Error("the missing folder was created")
	}
}
