package fixes

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/failfast-dev/failfast/loader"
)

// WriteFile replaces the file name with data atomically: the data goes to
// a temporary file in the same directory, which is synced and then renamed
// over name, so an interrupted run leaves either the old or the new file,
// never half of one. The file keeps its permissions.
func WriteFile(name string, data []byte) (err error) {
	info, err := os.Stat(name)
	if err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(name), "."+filepath.Base(name)+".failfast-*")
	if err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	defer func() {
		if err != nil {
			if rerr := os.Remove(tmp.Name()); rerr != nil && !os.IsNotExist(rerr) {
				err = fmt.Errorf("%w (and removing %s: %v)", err, tmp.Name(), rerr)
			}
		}
	}()
	if _, err := tmp.Write(data); err != nil {
		return fmt.Errorf("write %s: %w", tmp.Name(), errors.Join(err, tmp.Close()))
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("sync %s: %w", tmp.Name(), errors.Join(err, tmp.Close()))
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("close %s: %w", tmp.Name(), err)
	}
	if err := os.Chmod(tmp.Name(), info.Mode().Perm()); err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	if err := os.Rename(tmp.Name(), name); err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	return nil
}

// UnifiedDiff renders the change from old to new as a unified diff with
// three lines of context, headed by the file name ("a/name", "b/name");
// it is empty when nothing changed.
func UnifiedDiff(name string, old, new []byte) (string, error) {
	edits, err := lineEdits(name, old, new)
	if err != nil {
		return "", err
	}
	if len(edits) == 0 {
		return "", nil
	}
	oldLines := splitKeep(string(old))
	// lineOf maps a byte offset of old to its 0-based line.
	lineOf := func(off int) int { return strings.Count(string(old[:off]), "\n") }
	type hunk struct {
		start, end int // old lines [start, end)
		edits      []Edit
	}
	var hunks []hunk
	for _, e := range edits {
		s, en := lineOf(e.Start), lineOf(e.End)
		lo, hi := max(s-3, 0), min(en+3, len(oldLines))
		if n := len(hunks); n > 0 && lo <= hunks[n-1].end {
			hunks[n-1].end = max(hunks[n-1].end, hi)
			hunks[n-1].edits = append(hunks[n-1].edits, e)
			continue
		}
		hunks = append(hunks, hunk{lo, hi, []Edit{e}})
	}
	var b strings.Builder
	fmt.Fprintf(&b, "--- a/%s\n+++ b/%s\n", name, name)
	shift := 0 // new lines minus old lines before the current hunk
	for _, h := range hunks {
		var body strings.Builder
		oldN, newN := 0, 0
		line := h.start
		for _, e := range h.edits {
			s, en := lineOf(e.Start), lineOf(e.End)
			for ; line < s; line++ {
				body.WriteString(" " + oldLines[line])
				oldN++
				newN++
			}
			for ; line < en; line++ {
				body.WriteString("-" + oldLines[line])
				oldN++
			}
			for _, l := range splitKeep(e.NewText) {
				body.WriteString("+" + l)
				newN++
			}
		}
		for ; line < h.end; line++ {
			body.WriteString(" " + oldLines[line])
			oldN++
			newN++
		}
		fmt.Fprintf(&b, "@@ -%d,%d +%d,%d @@\n", h.start+1, oldN, h.start+1+shift, newN)
		b.WriteString(body.String())
		shift += newN - oldN
	}
	out := b.String()
	if !strings.HasSuffix(out, "\n") {
		out += "\n\\ No newline at end of file\n"
	}
	return out, nil
}

// splitKeep splits s into lines that keep their "\n".
func splitKeep(s string) []string {
	lines := strings.SplitAfter(s, "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	return lines
}

// Contents returns the new content of every file the edits change, read
// through pkg (overlay first): what `check -fix` writes with WriteFile and
// `check -diff` compares with UnifiedDiff.
func (a *Applied) Contents(pkg *loader.Package) (map[string][]byte, error) {
	byFile := map[string][]Edit{}
	for _, e := range a.Edits {
		byFile[e.Filename] = append(byFile[e.Filename], e)
	}
	out := map[string][]byte{}
	for name, edits := range byFile {
		src, err := pkg.ReadFile(name)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", name, err)
		}
		if out[name], err = Apply(src, edits); err != nil {
			return nil, fmt.Errorf("fix %s: %w", name, err)
		}
	}
	return out, nil
}
