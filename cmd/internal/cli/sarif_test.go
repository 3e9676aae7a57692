package cli

import (
	"testing"

	"github.com/failfast-dev/failfast/rules"
	"github.com/failfast-dev/failfast/rules/spec"
)

func TestSourceFilePositions(t *testing.T) {
	// Line 2 holds a rune outside the BMP (2 UTF-16 units, 4 bytes) and one
	// inside it (1 unit, 2 bytes); line 3 ends in \r\n; the file ends
	// without a newline.
	src := "package p\nvar s = \"🙂é\" + x\r\nvar y = 1\r\nz"
	sf := &sourceFile{name: "p.go", content: []byte(src), lines: []int{0}}
	for i, b := range sf.content {
		if b == '\n' {
			sf.lines = append(sf.lines, i+1)
		}
	}
	for _, tc := range []struct {
		line, byteCol, want int
	}{
		{1, 1, 1},
		{2, 10, 10}, // the 🙂
		{2, 14, 12}, // the é: 🙂 is 4 bytes, 2 units
		{2, 20, 17}, // x, after é's 2 bytes
		{2, 21, 18}, // the end of the line's text
		{2, 22, 19}, // after its \r
		{4, 2, 2},   // the end of the file
	} {
		got, err := sf.column(tc.line, tc.byteCol)
		if err != nil || got != tc.want {
			t.Errorf("column(%d, %d) = %d, %v; want %d", tc.line, tc.byteCol, got, err, tc.want)
		}
	}
	for _, bad := range [][2]int{{0, 1}, {5, 1}, {1, 0}, {1, 12}} {
		if got, err := sf.column(bad[0], bad[1]); err == nil {
			t.Errorf("column(%d, %d) = %d, want an error: the position is not in the file", bad[0], bad[1], got)
		}
	}
	for _, tc := range []struct{ off, line, col int }{
		{0, 1, 1},
		{10, 2, 1}, // the start of line 2
		{len("package p\nvar s = \"🙂"), 2, 12}, // after the 🙂
		{len(src) - 1, 4, 1},
		{len(src), 4, 2},
	} {
		line, col, err := sf.position(tc.off)
		if err != nil || line != tc.line || col != tc.col {
			t.Errorf("position(%d) = %d:%d, %v; want %d:%d", tc.off, line, col, err, tc.line, tc.col)
		}
	}
	if _, _, err := sf.position(len(src) + 1); err == nil {
		t.Error("position past the end of the file: no error")
	}
	if got := utf16Len([]byte{'a', 0xff, 'b'}); got != 3 {
		t.Errorf("utf16Len of a, an invalid byte, b = %d, want 3", got)
	}
}

func TestSarifRulesFollowTheRegistry(t *testing.T) {
	descs, err := sarifRules()
	if err != nil {
		t.Fatal(err)
	}
	all := rules.All()
	if len(descs) != len(all)+1 || descs[len(all)].ID != rules.DirectiveID {
		t.Fatalf("%d descriptors; want the %d rules and then %s", len(descs), len(all), rules.DirectiveID)
	}
	for i, r := range all {
		d := descs[i]
		want, err := sarifLevel(r.Severity)
		if err != nil {
			t.Fatal(err)
		}
		if d.ID != r.ID || d.HelpURI != spec.DocURL(r.ID) || d.DefaultConfiguration == nil || d.DefaultConfiguration.Level != want || d.Help == nil || d.Help.Markdown != rules.Markdown(r) {
			t.Errorf("descriptor %d (%s) does not follow the registry's %s", i, d.ID, r.ID)
		}
	}
	for sev, want := range map[spec.Severity]string{spec.Error: "error", spec.Warning: "warning", spec.Info: "note", spec.Hint: "note"} {
		if got, err := sarifLevel(sev); err != nil || got != want {
			t.Errorf("sarifLevel(%s) = %q, %v; want %q", sev, got, err, want)
		}
	}
	if _, err := sarifLevel("loud"); err == nil {
		t.Error("sarifLevel of an unknown severity: no error")
	}
}

func TestFileURI(t *testing.T) {
	if got, err := fileURI("/work/a b", true); err != nil || got != "file:///work/a%20b/" {
		t.Errorf("fileURI = %q, %v; want file:///work/a%%20b/", got, err)
	}
	if _, err := fileURI("relative", true); err == nil {
		t.Error("fileURI of a relative path: no error")
	}
}
