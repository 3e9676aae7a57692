package server

import (
	"strings"
	"testing"
	"unicode/utf8"

	"go.lsp.dev/protocol"
)

func pos(l, c uint32) protocol.Position { return protocol.Position{Line: l, Character: c} }

func TestPositionsNonASCII(t *testing.T) {
	text := []byte("package p\n\ts := \"héllo 🙂\"; n := v.(int)\r\nend")
	x := newLineIndex(text)
	off := strings.Index(string(text), "v.(int)")
	// go/token column 27 (bytes), UTF-8 character 26, UTF-16 character 23.
	if got := x.position(off, utf8Encoding); got != pos(1, 26) {
		t.Errorf("UTF-8 position = %v, want 1:26", got)
	}
	if got := x.position(off, utf16Encoding); got != pos(1, 23) {
		t.Errorf("UTF-16 position = %v, want 1:23", got)
	}
	for _, enc := range []encoding{utf8Encoding, utf16Encoding} {
		if back, err := x.offset(x.position(off, enc), enc); err != nil || back != off {
			t.Errorf("%s round trip: %d, %v; want %d", enc, back, err, off)
		}
	}
	// Inside the emoji's surrogate pair (UTF-16) or its bytes (UTF-8):
	// rounded down to the emoji's start.
	emoji := strings.Index(string(text), "🙂")
	if got, _ := x.offset(pos(1, 14), utf16Encoding); got != emoji {
		t.Errorf("UTF-16 offset inside a surrogate pair = %d, want %d", got, emoji)
	}
	if got, _ := x.offset(pos(1, uint32(emoji-10+2)), utf8Encoding); got != emoji {
		t.Errorf("UTF-8 offset inside a sequence = %d, want %d", got, emoji)
	}
	// Past the end of a CRLF line: clamped before the "\r".
	if got, _ := x.offset(pos(1, 500), utf16Encoding); text[got] != '\r' {
		t.Errorf("clamped offset %d is not the line's end", got)
	}
	if _, err := x.offset(pos(9, 0), utf16Encoding); err == nil {
		t.Error("a line past the end is accepted")
	}
	if got := x.position(len(text)+10, utf16Encoding); got != pos(2, 3) {
		t.Errorf("offset past EOF = %v, want clamped to 2:3", got)
	}
	if _, _, err := x.offsets(protocol.Range{Start: pos(1, 5), End: pos(1, 2)}, utf8Encoding); err == nil {
		t.Error("an inverted range is accepted")
	}
}

func TestInvalidUTF8CountsOneUnit(t *testing.T) {
	text := []byte("a\xffb")
	x := newLineIndex(text)
	if got := x.position(2, utf16Encoding); got != pos(0, 2) {
		t.Errorf("position after an invalid byte = %v, want 0:2", got)
	}
	if !utf8.Valid([]byte("ok")) {
		t.Fatal("sanity")
	}
}

func TestDocumentChanges(t *testing.T) {
	s := newStore()
	uri := protocol.DocumentURI("file:///tmp/x.go")
	if _, err := s.open(uri, 1, []byte("ab🙂cd\nef")); err != nil {
		t.Fatal(err)
	}
	str := func(s string) *string { return &s }
	r := func(l1, c1, l2, c2 uint32) *protocol.Range {
		return &protocol.Range{Start: pos(l1, c1), End: pos(l2, c2)}
	}
	// Several changes, each against the result of the previous one.
	_, snap, err := s.change(uri, 2, []contentChange{
		{Range: r(0, 2, 0, 4), Text: str("X")}, // the emoji (2 UTF-16 units)
		{Range: r(1, 0, 1, 0), Text: str(">")},
		{Range: r(0, 0, 0, 0), Text: str("0")}, // an insertion at 0:0, not a replacement
	}, utf16Encoding)
	if err != nil {
		t.Fatal(err)
	}
	if got := string(snap.text); got != "0abXcd\n>ef" {
		t.Errorf("after changes: %q", got)
	}
	// A change without a range replaces everything.
	if _, snap, err = s.change(uri, 3, []contentChange{{Text: str("new")}}, utf16Encoding); err != nil || string(snap.text) != "new" {
		t.Errorf("full change: %q, %v", snap.text, err)
	}
	// Bad changes leave the document alone.
	if _, _, err := s.change(uri, 4, []contentChange{{Range: r(7, 0, 7, 1), Text: str("")}}, utf16Encoding); err == nil {
		t.Error("a change past the end applied")
	}
	if _, _, err := s.change(uri, 3, []contentChange{{Text: str("old")}}, utf16Encoding); err == nil {
		t.Error("a change to an older version applied")
	}
	if _, snap, _ := s.get(uri); string(snap.text) != "new" || snap.version != 3 {
		t.Errorf("document after rejected changes: %q v%d", snap.text, snap.version)
	}
}

func TestParseSettings(t *testing.T) {
	st, problems := parseSettings([]byte(`{"failfast": {"run": "onSave", "debounceMs": 20, "path": "/opt/failfast", "trace": {"server": "verbose"}, "rules": {"discarded-error": "error", "nope": "off", "unchecked-index": "loud"}, "logger": "s.log", "colour": 1}}`))
	if st.Run != runOnSave || st.Debounce.String() != "20ms" || st.Rules["discarded-error"] != "error" || st.Logger != "s.log" {
		t.Errorf("settings = %+v", st)
	}
	want := []string{"failfast.colour", "failfast.rules.nope", "failfast.rules.unchecked-index"}
	if len(problems) != len(want) {
		t.Fatalf("problems = %q, want one each for %q", problems, want)
	}
	for i, w := range want {
		if !strings.HasPrefix(problems[i], w+":") {
			t.Errorf("problem %d = %q, want it to name %s", i, problems[i], w)
		}
	}
	if _, ok := st.Rules["unchecked-index"]; ok {
		t.Error("a bad severity was applied")
	}
	st, problems = parseSettings([]byte(`{"run": "sometimes", "debounceMs": -5, "logger": "a b"}`))
	if st.Run != runOnType || st.Debounce != defaultSettings().Debounce || st.Logger != "" || len(problems) != 3 {
		t.Errorf("bad values: %+v, problems %q; want defaults and three problems", st, problems)
	}
	for _, v := range []string{`1.5`, `"150ms"`, `60001`} {
		if st, problems := parseSettings([]byte(`{"debounceMs": ` + v + `}`)); len(problems) != 1 || st.Debounce != defaultSettings().Debounce {
			t.Errorf("debounceMs %s: %+v, problems %q; want the default and one problem", v, st, problems)
		}
	}
	if _, problems := parseSettings([]byte(`null`)); problems != nil {
		t.Errorf("null settings: %q", problems)
	}
	if _, problems := parseSettings([]byte(`[1]`)); len(problems) != 1 {
		t.Errorf("non-object settings: %q", problems)
	}
}

func TestSettingsLayering(t *testing.T) {
	base, problems := parseSettings([]byte(`{"debounceMs": 0, "rules": {"discarded-error": "off"}, "logger": "log"}`))
	if len(problems) != 0 {
		t.Fatalf("base: %q", problems)
	}
	for _, raw := range []string{`null`, `{}`, `{"failfast": {}}`} {
		st, problems := parseSettingsOver(base, []byte(raw))
		if len(problems) != 0 || st.Debounce != 0 || st.Rules["discarded-error"] != "off" || st.Logger != "log" {
			t.Errorf("%s over the initializationOptions = %+v, %q; want them unchanged", raw, st, problems)
		}
	}
	st, problems := parseSettingsOver(base, []byte(`{"rules": {"unchecked-index": "error"}, "run": "onSave"}`))
	if len(problems) != 0 || st.Run != runOnSave || st.Debounce != 0 || st.Rules["discarded-error"] != "off" || st.Rules["unchecked-index"] != "error" {
		t.Errorf("configuration over the initializationOptions = %+v, %q; want both rules, run onSave, debounce kept", st, problems)
	}
	if len(base.Rules) != 1 {
		t.Errorf("parsing over base changed it: %v", base.Rules)
	}
}

func TestParseScope(t *testing.T) {
	st, problems := parseSettings([]byte(`{}`))
	if st.Scope != scopeWorkspace || st.scopeSet || len(problems) != 0 {
		t.Errorf("no scope: %q (set %v), problems %q; want the default workspace, marked unset", st.Scope, st.scopeSet, problems)
	}
	st, problems = parseSettings([]byte(`{"scope": "openFiles"}`))
	if st.Scope != scopeOpenFiles || !st.scopeSet || len(problems) != 0 {
		t.Errorf("scope openFiles: %q (set %v), problems %q", st.Scope, st.scopeSet, problems)
	}
	// Over a base that chose openFiles, a configuration without scope keeps it.
	if over, _ := parseSettingsOver(st, []byte(`{"run": "onSave"}`)); over.Scope != scopeOpenFiles || !over.scopeSet {
		t.Errorf("scope over openFiles: %q (set %v), want openFiles kept", over.Scope, over.scopeSet)
	}
	for _, v := range []string{`"all"`, `1`, `"OpenFiles"`} {
		st, problems := parseSettings([]byte(`{"scope": ` + v + `}`))
		if st.Scope != scopeWorkspace || len(problems) != 1 || !strings.HasPrefix(problems[0], "failfast.scope: want \"workspace\"") {
			t.Errorf("scope %s: %q, problems %q; want the default and one problem naming failfast.scope", v, st.Scope, problems)
		}
	}
}
