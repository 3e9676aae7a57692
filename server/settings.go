package server

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"go/parser"
	"maps"
	"math"
	"slices"
	"strings"
	"sync"
	"time"

	"go.lsp.dev/protocol"

	"github.com/failfast-dev/failfast/config"
	"github.com/failfast-dev/failfast/rules"
	"github.com/failfast-dev/failfast/rules/spec"
)

const settingsFile = config.FileName

// Run modes.
const (
	runOnType = "onType"
	runOnSave = "onSave"
)

// Scopes: which files get diagnostics.
const (
	// scopeWorkspace: every file of the workspace folders' modules, the
	// files that are not open from the background pass (background.go).
	scopeWorkspace = "workspace"
	// scopeOpenFiles: the open files only; no background pass.
	scopeOpenFiles = "openFiles"
)

// Settings are the client's settings under the "failfast" section.
type Settings struct {
	// Run is when buffers are analysed: "onType" (debounced) or "onSave".
	Run string
	// Debounce is how long onType waits after the last keystroke
	// (debounceMs).
	Debounce time.Duration
	// Rules maps a rule ID to off, on or a severity, over .failfast.yaml.
	Rules map[string]string
	// Logger is the logging the quick fixes add: "slog", "log", or an
	// expression naming a logger in scope ("" for what the file uses).
	Logger string
	// Scope is which files get diagnostics: "workspace" (the open files
	// and, from the background pass, every other file of the workspace
	// folders' modules) or "openFiles".
	Scope string
	// scopeSet: the client chose Scope; otherwise it is the default,
	// which the log says.
	scopeSet bool
}

func defaultSettings() Settings {
	return Settings{Run: runOnType, Debounce: 150 * time.Millisecond, Rules: map[string]string{}, Scope: scopeWorkspace}
}

// validLogger accepts what fixes.Options.Logger does: "", "slog", "log" or
// a Go expression naming a logger.
func validLogger(s string) bool {
	if s == "" || s == "slog" || s == "log" {
		return true
	}
	_, err := parser.ParseExpr(s)
	return err == nil
}

// parseSettings decodes raw (the "failfast" object, or an object holding
// one under that key) over the defaults. A bad setting is reported, named,
// and keeps its default; the others apply.
func parseSettings(raw json.RawMessage) (Settings, []string) {
	return parseSettingsOver(defaultSettings(), raw)
}

// parseSettingsOver decodes raw over base: a key raw sets replaces base's
// (rules merge rule by rule), a key it leaves out keeps base's value, and
// null or an empty object is base itself.
func parseSettingsOver(base Settings, raw json.RawMessage) (Settings, []string) {
	st := base
	st.Rules = maps.Clone(base.Rules)
	if st.Rules == nil {
		st.Rules = map[string]string{}
	}
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return st, nil
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(raw, &fields); err != nil {
		return st, []string{fmt.Sprintf("settings: want an object, got %s", clip(raw))}
	}
	if inner, ok := fields["failfast"]; ok && len(fields) == 1 {
		fields = nil // Unmarshal would merge into the outer map
		if err := json.Unmarshal(inner, &fields); err != nil {
			return st, []string{fmt.Sprintf("failfast: want an object, got %s", clip(inner))}
		}
	}
	var problems []string
	bad := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	for _, key := range slices.Sorted(maps.Keys(fields)) {
		v := fields[key]
		switch key {
		case "run":
			var s string
			if err := json.Unmarshal(v, &s); err != nil || (s != runOnType && s != runOnSave) {
				bad("failfast.run: want %q or %q, got %s", runOnType, runOnSave, clip(v))
				continue
			}
			st.Run = s
		case "debounceMs":
			d, err := parseDebounce(v)
			if err != nil {
				bad("failfast.debounceMs: %v", err)
				continue
			}
			st.Debounce = d
		case "scope":
			var sc string
			if err := json.Unmarshal(v, &sc); err != nil || (sc != scopeWorkspace && sc != scopeOpenFiles) {
				bad("failfast.scope: want %q (every file of the workspace) or %q, got %s", scopeWorkspace, scopeOpenFiles, clip(v))
				continue
			}
			st.Scope, st.scopeSet = sc, true
		case "path", "trace":
			// The editor's own settings (where the binary is, protocol
			// tracing), sent along with the rest of the section.
		case "rules":
			var m map[string]json.RawMessage
			if err := json.Unmarshal(v, &m); err != nil {
				bad("failfast.rules: want an object of rule IDs, got %s", clip(v))
				continue
			}
			for _, id := range slices.Sorted(maps.Keys(m)) {
				var sev string
				if err := json.Unmarshal(m[id], &sev); err != nil {
					bad("failfast.rules.%s: want off, on or a severity, got %s", id, clip(m[id]))
					continue
				}
				if _, ok := rules.Lookup(id); !ok {
					bad("failfast.rules.%s: unknown rule (known: %s)", id, strings.Join(rules.IDs(), ", "))
					continue
				}
				if sev != "off" && sev != "on" {
					if _, err := spec.ParseSeverity(sev); err != nil {
						bad("failfast.rules.%s: %v (or on, off)", id, err)
						continue
					}
				}
				st.Rules[id] = sev
			}
		case "logger":
			var s string
			if err := json.Unmarshal(v, &s); err != nil || !validLogger(s) {
				bad("failfast.logger: want \"slog\", \"log\", a logger expression in scope such as \"s.log\", or \"\" for what each file uses; got %s", clip(v))
				continue
			}
			st.Logger = s
		default:
			bad("failfast.%s: unknown setting (known: run, debounceMs, rules, logger, scope; path and trace are the editor's)", key)
		}
	}
	return st, problems
}

// parseDebounce reads a whole number of milliseconds from 0 to 60000.
func parseDebounce(v json.RawMessage) (time.Duration, error) {
	var ms float64
	if err := json.Unmarshal(v, &ms); err != nil || ms < 0 || ms > 60_000 || ms != math.Trunc(ms) {
		return 0, fmt.Errorf("want a whole number of milliseconds from 0 to 60000, got %s", clip(v))
	}
	return time.Duration(ms) * time.Millisecond, nil
}

func clip(raw []byte) string {
	const n = 80
	if len(raw) > n {
		return string(raw[:n]) + "…"
	}
	return string(raw)
}

// settingsStore holds the current settings and the base that the
// editor's configuration is read over: the defaults with the
// initializationOptions on top.
type settingsStore struct {
	mu   sync.Mutex
	cur  Settings
	base Settings
}

func newSettingsStore() *settingsStore {
	return &settingsStore{cur: defaultSettings(), base: defaultSettings()}
}

func (s *settingsStore) getBase() Settings {
	s.mu.Lock()
	defer s.mu.Unlock()
	b := s.base
	b.Rules = maps.Clone(b.Rules)
	return b
}

func (s *settingsStore) get() Settings {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.cur
	c.Rules = maps.Clone(c.Rules)
	return c
}

// set installs st; asBase also makes it the base of later configuration.
func (s *settingsStore) set(st Settings, asBase bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cur = st
	if asBase {
		s.base = st
	}
}

// Where settings come from.
const (
	fromInitOptions  = "initializationOptions"
	fromPushedConfig = "workspace/didChangeConfiguration"
	fromPulledConfig = "workspace/configuration"
)

// applySettings validates and installs new settings, tells the user about
// bad ones, and re-analyses the open documents if anything changed. The
// initializationOptions are read over the defaults; the editor's
// configuration over them, so a client that answers the configuration
// pull with null (Eglot without a workspace configuration) keeps them.
func (s *Server) applySettings(ctx context.Context, raw json.RawMessage, from string) {
	base := s.settings.getBase()
	if from == fromInitOptions {
		base = defaultSettings()
	}
	st, problems := parseSettingsOver(base, raw)
	for _, p := range problems {
		s.log.Warn("bad setting ignored", "from", from, "problem", p)
		s.showMessage(ctx, protocol.MessageTypeWarning, fmt.Sprintf("%s (from %s; the other settings apply)", p, from))
	}
	old := s.settings.get()
	s.settings.set(st, from == fromInitOptions)
	scope := st.Scope
	if !st.scopeSet {
		scope += " (the default: failfast.scope is not set; \"openFiles\" limits diagnostics to open files)"
	}
	s.log.Info("settings", "from", from, "run", st.Run, "debounceMs", st.Debounce.Milliseconds(), "rules", st.Rules, "logger", st.Logger, "scope", scope)
	findingsChange := !maps.Equal(old.Rules, st.Rules)
	if old.Run != st.Run || old.Debounce != st.Debounce || findingsChange || old.Logger != st.Logger {
		s.ws.invalidateRunners()
		s.actions.clear()
		s.sched.reanalyseAll(0)
	}
	switch {
	case old.Scope != st.Scope:
		s.bg.scopeChanged(st.Scope)
	case findingsChange:
		s.bg.requestSweep("the rules changed")
	}
}

type didChangeConfigurationParams struct {
	Settings json.RawMessage `json:"settings"`
}

// didChangeConfiguration applies pushed settings, or pulls them when the
// client can be asked (most clients push null and expect the pull).
func (s *Server) didChangeConfiguration(ctx context.Context, raw json.RawMessage) error {
	if s.clientC.Workspace.Configuration {
		go s.pullConfiguration(context.WithoutCancel(ctx))
		return nil
	}
	var p didChangeConfigurationParams
	if err := decodeParams(raw, &p); err != nil {
		return err
	}
	s.applySettings(ctx, p.Settings, fromPushedConfig)
	return nil
}

// pullConfiguration asks the client for the "failfast" section.
func (s *Server) pullConfiguration(ctx context.Context) {
	if !s.clientC.Workspace.Configuration {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	var res []json.RawMessage
	params := &protocol.ConfigurationParams{Items: []protocol.ConfigurationItem{{Section: "failfast"}}}
	if _, err := s.conn.Call(ctx, protocol.MethodWorkspaceConfiguration, params, &res); err != nil {
		s.log.Error("workspace/configuration failed; keeping the current settings", "err", err)
		return
	}
	if len(res) != 1 {
		s.log.Error("workspace/configuration answered with the wrong number of items; keeping the current settings", "items", len(res))
		return
	}
	s.applySettings(ctx, res[0], fromPulledConfig)
}
