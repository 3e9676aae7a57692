package fixes

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestUnifiedDiffAppliesWithPatch(t *testing.T) {
	var oldLines, newLines []string
	for i := 1; i <= 30; i++ {
		oldLines = append(oldLines, "line "+itoa(i))
		switch i {
		case 5:
			newLines = append(newLines, "line 5 changed", "inserted")
		case 7, 20:
		default:
			newLines = append(newLines, "line "+itoa(i))
		}
	}
	old := strings.Join(oldLines, "\n") + "\n"
	new := strings.Join(newLines, "\n") + "\n"
	d, err := UnifiedDiff("f.txt", []byte(old), []byte(new))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(d, "@@ -2,9 +2,9 @@\n") || !strings.Contains(d, "-line 20\n") {
		t.Errorf("unexpected diff:\n%s", d)
	}
	patch, err := exec.LookPath("patch")
	if err != nil {
		t.Skip("no patch command to apply the diff with")
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "f.txt"), []byte(old), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(patch, "-p1")
	cmd.Dir = dir
	cmd.Stdin = strings.NewReader(d)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("patch: %v\n%s\n%s", err, out, d)
	}
	got, err := os.ReadFile(filepath.Join(dir, "f.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != new {
		t.Errorf("patched file differs:\n%s", got)
	}
	if d, err := UnifiedDiff("f.txt", []byte(old), []byte(old)); err != nil || d != "" {
		t.Errorf("no change: diff %q, %v", d, err)
	}
}

func TestWriteFileReplacesAndKeepsMode(t *testing.T) {
	name := filepath.Join(t.TempDir(), "x.go")
	if err := os.WriteFile(name, []byte("old"), 0o640); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(name, []byte("new")); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(name)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != "new" || info.Mode().Perm() != 0o640 {
		t.Errorf("got %q mode %v", got, info.Mode().Perm())
	}
	entries, err := os.ReadDir(filepath.Dir(name))
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 {
		t.Errorf("temporary files left behind: %v", entries)
	}
	if err := WriteFile(filepath.Join(t.TempDir(), "missing.go"), []byte("x")); err == nil {
		t.Error("writing a file that does not exist: no error")
	}
}
