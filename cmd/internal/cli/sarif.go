package cli

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"go/token"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"golang.org/x/mod/semver"

	"github.com/failfast-dev/failfast/fixes"
	"github.com/failfast-dev/failfast/loader"
	"github.com/failfast-dev/failfast/rules"
	"github.com/failfast-dev/failfast/rules/spec"
	"github.com/failfast-dev/failfast/runner"
)

// The output formats of failfast check (-format).
const (
	formatText  = "text"
	formatJSON  = "json" // the same as -json
	formatSARIF = "sarif"
)

// outputFormat is the value of check's -format flag: it accepts only the
// known formats, so that the flag package reports a bad one as a usage error.
type outputFormat string

func (f *outputFormat) String() string { return string(*f) }

// Set validates and stores a -format value.
func (f *outputFormat) Set(s string) error {
	switch s {
	case formatText, formatJSON, formatSARIF:
		*f = outputFormat(s)
		return nil
	}
	return fmt.Errorf("unknown format %q (want text, json or sarif)", s)
}

// resolveFormat settles the output format from -format and -json, which
// must not disagree, and refuses the combinations that would ignore a flag:
// -diff prints a diff, so it cannot also print SARIF (whose results carry
// the same safe fixes).
func resolveFormat(fs *flag.FlagSet, f *checkFlags) error {
	formatSet := false
	fs.Visit(func(fl *flag.Flag) { formatSet = formatSet || fl.Name == "format" })
	if f.json {
		if formatSet && f.format != formatJSON {
			return fmt.Errorf("-json and -format %s disagree (-json is -format json)", f.format)
		}
		f.format = formatJSON
	}
	if f.format == formatSARIF && f.diff {
		return errors.New("-diff and -format sarif cannot be combined: -diff prints a diff, and the SARIF results carry the same safe fixes")
	}
	f.offerFixes = f.format == formatSARIF
	return nil
}

// SARIF 2.1.0 (https://docs.oasis-open.org/sarif/sarif/v2.1.0/), the
// subset failfast writes.

const (
	sarifVersion = "2.1.0"
	sarifSchema  = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
	// sarifRoot is the uriBaseId of every artifact below the current
	// directory; run.originalUriBaseIds says where it is.
	sarifRoot = "%SRCROOT%"
	// sarifFingerprint names failfast's partial fingerprint; the version
	// changes when what it hashes does.
	sarifFingerprint = "failfast/v1"
	// informationURI is failfast's home page; directivesURI its section
	// on suppression directives.
	informationURI = "https://github.com/failfast-dev/failfast"
	directivesURI  = informationURI + "#suppressing-a-finding"
)

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool               sarifTool                        `json:"tool"`
	Invocations        []sarifInvocation                `json:"invocations"`
	OriginalURIBaseIDs map[string]sarifArtifactLocation `json:"originalUriBaseIds"`
	ColumnKind         string                           `json:"columnKind"`
	Results            []sarifResult                    `json:"results"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name            string      `json:"name"`
	Version         string      `json:"version"`
	SemanticVersion string      `json:"semanticVersion,omitempty"`
	InformationURI  string      `json:"informationUri"`
	Rules           []sarifRule `json:"rules"`
}

// sarifRule is a reportingDescriptor.
type sarifRule struct {
	ID                   string              `json:"id"`
	Name                 string              `json:"name,omitempty"`
	ShortDescription     *sarifMultiformat   `json:"shortDescription,omitempty"`
	FullDescription      *sarifMultiformat   `json:"fullDescription,omitempty"`
	Help                 *sarifMultiformat   `json:"help,omitempty"`
	HelpURI              string              `json:"helpUri,omitempty"`
	DefaultConfiguration *sarifConfiguration `json:"defaultConfiguration,omitempty"`
}

type sarifMultiformat struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown,omitempty"`
}

type sarifConfiguration struct {
	Level string `json:"level"`
}

type sarifInvocation struct {
	ExecutionSuccessful        bool                `json:"executionSuccessful"`
	ToolExecutionNotifications []sarifNotification `json:"toolExecutionNotifications,omitempty"`
}

type sarifNotification struct {
	Level   string       `json:"level"`
	Message sarifMessage `json:"message"`
}

type sarifMessage struct {
	Text string `json:"text"`
}

type sarifResult struct {
	RuleID              string            `json:"ruleId"`
	RuleIndex           int               `json:"ruleIndex"`
	Level               string            `json:"level"`
	Message             sarifMessage      `json:"message"`
	Locations           []sarifLocation   `json:"locations"`
	RelatedLocations    []sarifLocation   `json:"relatedLocations,omitempty"`
	PartialFingerprints map[string]string `json:"partialFingerprints"`
	Fixes               []sarifFix        `json:"fixes,omitempty"`
}

type sarifLocation struct {
	ID               *int                  `json:"id,omitempty"`
	PhysicalLocation sarifPhysicalLocation `json:"physicalLocation"`
	Message          *sarifMessage         `json:"message,omitempty"`
}

type sarifPhysicalLocation struct {
	ArtifactLocation sarifArtifactLocation `json:"artifactLocation"`
	Region           *sarifRegion          `json:"region,omitempty"`
}

type sarifArtifactLocation struct {
	URI       string `json:"uri"`
	URIBaseID string `json:"uriBaseId,omitempty"`
}

// sarifRegion is a text region: 1-based lines, 1-based columns counted in
// UTF-16 code units (run.columnKind), the end column exclusive.
type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn"`
	EndLine     int `json:"endLine"`
	EndColumn   int `json:"endColumn"`
}

type sarifFix struct {
	Description     sarifMessage          `json:"description"`
	ArtifactChanges []sarifArtifactChange `json:"artifactChanges"`
}

type sarifArtifactChange struct {
	ArtifactLocation sarifArtifactLocation `json:"artifactLocation"`
	Replacements     []sarifReplacement    `json:"replacements"`
}

type sarifReplacement struct {
	DeletedRegion   sarifRegion      `json:"deletedRegion"`
	InsertedContent sarifFileContent `json:"insertedContent"`
}

type sarifFileContent struct {
	Text string `json:"text"`
}

// sarifLevel maps a failfast severity to a SARIF level; SARIF has no
// level below note.
func sarifLevel(s spec.Severity) (string, error) {
	switch s {
	case spec.Error:
		return "error", nil
	case spec.Warning:
		return "warning", nil
	case spec.Info, spec.Hint:
		return "note", nil
	}
	return "", fmt.Errorf("severity %q has no SARIF level", s)
}

// sarifRules returns the reporting descriptors of every rule of the
// registry, in its order, then that of malformed directives, which has no
// default level of its own (SARIF's default, warning, is what the runner
// gives it) and whose documentation is the README's section on directives.
func sarifRules() ([]sarifRule, error) {
	var out []sarifRule
	for _, r := range rules.All() {
		level, err := sarifLevel(r.Severity)
		if err != nil {
			return nil, fmt.Errorf("rule %s: %w", r.ID, err)
		}
		out = append(out, sarifRule{
			ID:                   r.ID,
			Name:                 sarifRuleName(r.ID),
			ShortDescription:     &sarifMultiformat{Text: capitalize(r.Summary) + "."},
			FullDescription:      &sarifMultiformat{Text: r.Doc.What},
			Help:                 &sarifMultiformat{Text: r.Doc.What + "\n\n" + spec.DocURL(r.ID), Markdown: rules.Markdown(r)},
			HelpURI:              spec.DocURL(r.ID),
			DefaultConfiguration: &sarifConfiguration{Level: level},
		})
	}
	doc := capitalize(rules.DirectiveAnalyzer.Doc) + "."
	out = append(out, sarifRule{
		ID:               rules.DirectiveID,
		Name:             sarifRuleName(rules.DirectiveID),
		ShortDescription: &sarifMultiformat{Text: doc},
		FullDescription:  &sarifMultiformat{Text: doc},
		Help:             &sarifMultiformat{Text: doc + " See " + directivesURI + "."},
		HelpURI:          directivesURI,
	})
	return out, nil
}

// sarifRuleName is the "friendly name" SARIF asks rules to have besides
// their ID: the ID's words in camel case (unchecked-index: UncheckedIndex).
func sarifRuleName(id string) string {
	var b strings.Builder
	for _, w := range strings.Split(id, "-") {
		b.WriteString(capitalize(w))
	}
	return b.String()
}

// capitalize upper-cases the first letter of s.
func capitalize(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return strings.ToUpper(string(r)) + s[n:]
}

// findingKey identifies a finding across the package passes of a run and
// run.Settle, which keeps positions and messages.
type findingKey struct {
	rule, message string
	pos           string // file:offset
}

func keyOf(f runner.Finding) findingKey {
	return findingKey{rule: f.Rule, message: f.Message, pos: fmt.Sprintf("%s:%d", f.Pos.Filename, f.Pos.Offset)}
}

// offeredFixes computes the safe quick fixes of each finding of pkg, each
// on its own against the original files (so that its edits are regions of
// those files), as the language server offers them. The errors say why a
// rule fix was left out; the finding is still reported, without it.
func offeredFixes(ctx context.Context, pkg *loader.Package, findings []runner.Finding) (map[findingKey][]fixes.Fix, []error) {
	hasFix := map[string]bool{}
	for _, id := range fixes.Rules() {
		hasFix[id] = true
	}
	out := map[findingKey][]fixes.Fix{}
	var errs []error
	for _, f := range findings {
		if ctx.Err() != nil {
			return out, append(errs, ctx.Err())
		}
		if !hasFix[f.Rule] {
			continue
		}
		safe, err := fixes.SafeFor(pkg, f, fixes.Options{Context: ctx})
		if err != nil {
			errs = append(errs, err)
		}
		if len(safe) > 0 {
			out[keyOf(f)] = safe
		}
	}
	return out, errs
}

// writeSARIF prints res as a SARIF 2.1.0 log.
func writeSARIF(stdout, stderr io.Writer, res *checkResult, cwd string) int {
	log, err := sarifReport(res, cwd, version())
	if err != nil {
		fmt.Fprintf(stderr, "failfast check: SARIF: %v\n", err)
		return exitFailed
	}
	return writeJSON(stdout, stderr, log)
}

// sarifReport builds the SARIF log of res; paths below cwd are relative
// to %SRCROOT%, which is cwd.
func sarifReport(res *checkResult, cwd, toolVersion string) (*sarifLog, error) {
	descriptors, err := sarifRules()
	if err != nil {
		return nil, err
	}
	index := map[string]int{}
	for i, d := range descriptors {
		index[d.ID] = i
	}
	root, err := fileURI(cwd, true)
	if err != nil {
		return nil, err
	}
	w := &sarifWriter{cwd: cwd, files: map[string]*sourceFile{}}
	inv := sarifInvocation{ExecutionSuccessful: !res.failed}
	if res.notice != "" {
		inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications, sarifNotification{Level: "note", Message: sarifMessage{Text: res.notice}})
	}
	// Why a rule fix was left out: not a failure of the run (the finding is
	// reported without it), but not hidden either. Packages finish in any
	// order, and a file in two packages gives the same note twice.
	var notes []string
	for _, n := range res.fixNotes {
		notes = append(notes, n.Error())
	}
	slices.Sort(notes)
	for _, n := range slices.Compact(notes) {
		inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications, sarifNotification{Level: "note", Message: sarifMessage{Text: n}})
	}
	// SARIF versions are numbers ("1.2.0", not "v1.2.0"); a development
	// build has none, and says so ("devel 0123abcd").
	driver := sarifDriver{Name: "failfast", Version: strings.TrimPrefix(toolVersion, "v"), InformationURI: informationURI, Rules: descriptors}
	if semver.IsValid(toolVersion) {
		driver.SemanticVersion = driver.Version
	}
	run := sarifRun{
		Tool:               sarifTool{Driver: driver},
		Invocations:        []sarifInvocation{inv},
		OriginalURIBaseIDs: map[string]sarifArtifactLocation{sarifRoot: {URI: root}},
		ColumnKind:         "utf16CodeUnits",
		Results:            []sarifResult{},
	}
	seen := map[string]int{} // fingerprint input → occurrences so far
	for _, f := range res.findings {
		r, err := w.result(f, res.offered[keyOf(f)], seen)
		if err != nil {
			return nil, fmt.Errorf("%s at %s: %w", f.Rule, f.Pos, err)
		}
		i, ok := index[f.Rule]
		if !ok {
			return nil, fmt.Errorf("finding of unknown rule %q at %s", f.Rule, f.Pos)
		}
		r.RuleIndex = i
		run.Results = append(run.Results, r)
	}
	return &sarifLog{Schema: sarifSchema, Version: sarifVersion, Runs: []sarifRun{run}}, nil
}

// sarifWriter converts findings, reading each file they name once.
type sarifWriter struct {
	cwd   string
	files map[string]*sourceFile
}

func (w *sarifWriter) result(f runner.Finding, offered []fixes.Fix, seen map[string]int) (sarifResult, error) {
	level, err := sarifLevel(f.Severity)
	if err != nil {
		return sarifResult{}, err
	}
	src, err := w.file(f.Pos.Filename)
	if err != nil {
		return sarifResult{}, err
	}
	loc, err := w.location(f.Pos, f.End)
	if err != nil {
		return sarifResult{}, err
	}
	r := sarifResult{
		RuleID:    f.Rule,
		Level:     level,
		Message:   sarifMessage{Text: f.Message},
		Locations: []sarifLocation{loc},
	}
	for i, rel := range f.Related {
		if rel.Pos.Filename == "" || rel.Pos.Line <= 0 {
			return sarifResult{}, fmt.Errorf("related place %q has no position", rel.Message)
		}
		loc, err := w.location(rel.Pos, rel.End)
		if err != nil {
			return sarifResult{}, fmt.Errorf("related place %q: %w", rel.Message, err)
		}
		loc.ID = &i
		loc.Message = &sarifMessage{Text: rel.Message}
		r.RelatedLocations = append(r.RelatedLocations, loc)
	}
	// The fingerprint names the finding by what survives unrelated edits:
	// the rule, the file, the text of its line and which of the identical
	// ones it is, not its line number.
	line, err := src.line(f.Pos.Line)
	if err != nil {
		return sarifResult{}, err
	}
	in := strings.Join([]string{f.Rule, loc.PhysicalLocation.ArtifactLocation.URI, string(bytes.TrimSpace(line))}, "\x00")
	n := seen[in]
	seen[in]++
	sum := sha256.Sum256(fmt.Appendf(nil, "%s\x00%d", in, n))
	r.PartialFingerprints = map[string]string{sarifFingerprint: hex.EncodeToString(sum[:16])}
	for _, fx := range offered {
		sf, err := w.fix(fx)
		if err != nil {
			return sarifResult{}, fmt.Errorf("fix %q: %w", fx.Title, err)
		}
		r.Fixes = append(r.Fixes, sf)
	}
	return r, nil
}

// location is the physical location of the range [pos, end).
func (w *sarifWriter) location(pos, end token.Position) (sarifLocation, error) {
	art, err := w.artifact(pos.Filename)
	if err != nil {
		return sarifLocation{}, err
	}
	src, err := w.file(pos.Filename)
	if err != nil {
		return sarifLocation{}, err
	}
	start, err := src.column(pos.Line, pos.Column)
	if err != nil {
		return sarifLocation{}, err
	}
	if pos.Offset > 0 && src.lines[pos.Line-1]+pos.Column-1 != pos.Offset {
		return sarifLocation{}, fmt.Errorf("%s changed since it was analysed (%d:%d is no longer at byte %d)", pos.Filename, pos.Line, pos.Column, pos.Offset)
	}
	reg := &sarifRegion{StartLine: pos.Line, StartColumn: start, EndLine: pos.Line, EndColumn: start}
	if end.Line > 0 {
		if end.Filename != "" && end.Filename != pos.Filename {
			return sarifLocation{}, fmt.Errorf("range from %s ends in another file, %s", pos.Filename, end.Filename)
		}
		if reg.EndColumn, err = src.column(end.Line, end.Column); err != nil {
			return sarifLocation{}, err
		}
		reg.EndLine = end.Line
	}
	return sarifLocation{PhysicalLocation: sarifPhysicalLocation{ArtifactLocation: art, Region: reg}}, nil
}

// fix converts a quick fix's byte edits, regions of the original files,
// into artifact changes; every deleted region refers to the original file.
func (w *sarifWriter) fix(fx fixes.Fix) (sarifFix, error) {
	out := sarifFix{Description: sarifMessage{Text: fx.Title}}
	edits := slices.Clone(fx.Edits)
	slices.SortStableFunc(edits, func(a, b fixes.Edit) int {
		if c := strings.Compare(a.Filename, b.Filename); c != 0 {
			return c
		}
		return a.Start - b.Start
	})
	var files []string // of out.ArtifactChanges
	for _, e := range edits {
		src, err := w.file(e.Filename)
		if err != nil {
			return sarifFix{}, err
		}
		startLine, startCol, err := src.position(e.Start)
		if err != nil {
			return sarifFix{}, err
		}
		endLine, endCol, err := src.position(e.End)
		if err != nil {
			return sarifFix{}, err
		}
		rep := sarifReplacement{
			DeletedRegion:   sarifRegion{StartLine: startLine, StartColumn: startCol, EndLine: endLine, EndColumn: endCol},
			InsertedContent: sarifFileContent{Text: e.NewText},
		}
		if n := len(files); n > 0 && files[n-1] == e.Filename {
			out.ArtifactChanges[n-1].Replacements = append(out.ArtifactChanges[n-1].Replacements, rep)
			continue
		}
		art, err := w.artifact(e.Filename)
		if err != nil {
			return sarifFix{}, err
		}
		out.ArtifactChanges = append(out.ArtifactChanges, sarifArtifactChange{ArtifactLocation: art, Replacements: []sarifReplacement{rep}})
		files = append(files, e.Filename)
	}
	return out, nil
}

// artifact is the location of file: relative to %SRCROOT% below the
// current directory, else an absolute file URI.
func (w *sarifWriter) artifact(file string) (sarifArtifactLocation, error) {
	if rel := relPath(file, w.cwd); !filepath.IsAbs(rel) {
		return sarifArtifactLocation{URI: (&url.URL{Path: filepath.ToSlash(rel)}).String(), URIBaseID: sarifRoot}, nil
	}
	uri, err := fileURI(file, false)
	if err != nil {
		return sarifArtifactLocation{}, err
	}
	return sarifArtifactLocation{URI: uri}, nil
}

// fileURI is the file:// URI of the absolute path; a directory's ends in
// a slash, as SARIF requires of a uriBaseId's.
func fileURI(path string, dir bool) (string, error) {
	if !filepath.IsAbs(path) {
		return "", fmt.Errorf("%s is not an absolute path", path)
	}
	p := filepath.ToSlash(path)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p // a Windows drive: file:///C:/...
	}
	if dir && !strings.HasSuffix(p, "/") {
		p += "/"
	}
	return (&url.URL{Scheme: "file", Path: p}).String(), nil
}

// file returns the content of name as read now. The CLI analyses the files
// on disk (it has no overlay); a file that changed since is caught when a
// finding's position no longer fits it (location, sourceFile.column).
func (w *sarifWriter) file(name string) (*sourceFile, error) {
	if sf, ok := w.files[name]; ok {
		return sf, nil
	}
	content, err := os.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("read the source to convert positions: %w", err)
	}
	sf := &sourceFile{name: name, content: content, lines: []int{0}}
	for i, b := range content {
		if b == '\n' {
			sf.lines = append(sf.lines, i+1)
		}
	}
	w.files[name] = sf
	return sf, nil
}

// sourceFile is a file's content and the offsets at which its lines start.
type sourceFile struct {
	name    string
	content []byte
	lines   []int
}

// line returns the text of the 1-based line n, without its line ending.
func (sf *sourceFile) line(n int) ([]byte, error) {
	if n < 1 || n > len(sf.lines) {
		return nil, fmt.Errorf("%s has no line %d (it has %d): it changed since it was analysed", sf.name, n, len(sf.lines))
	}
	end := len(sf.content)
	if n < len(sf.lines) {
		end = sf.lines[n] - 1
	}
	return bytes.TrimSuffix(sf.content[sf.lines[n-1]:end], []byte("\r")), nil
}

// column converts the go/token column col of line n, a 1-based byte
// offset in the line, to the 1-based column in UTF-16 code units that
// SARIF counts by default. The column may be one past the end of the line
// (the end of a range that reaches it).
func (sf *sourceFile) column(n, col int) (int, error) {
	text, err := sf.line(n)
	if err != nil {
		return 0, err
	}
	if col < 1 || col-1 > len(text)+1 {
		return 0, fmt.Errorf("%s:%d has no column %d (the line has %d bytes): it changed since it was analysed", sf.name, n, col, len(text))
	}
	// Past the end of the text is the line ending (a range that ends
	// after a \r\n's \r): one code unit per byte.
	return utf16Len(text[:min(col-1, len(text))]) + 1 + max(col-1-len(text), 0), nil
}

// position converts a byte offset of the file to its 1-based line and
// UTF-16 column.
func (sf *sourceFile) position(off int) (int, int, error) {
	if off < 0 || off > len(sf.content) {
		return 0, 0, fmt.Errorf("offset %d lies outside %s (%d bytes)", off, sf.name, len(sf.content))
	}
	// The last line starting at or before off.
	n, found := slices.BinarySearch(sf.lines, off)
	if !found {
		n--
	}
	col, err := sf.column(n+1, off-sf.lines[n]+1)
	return n + 1, col, err
}

// utf16Len is the length of the UTF-8 text b in UTF-16 code units. A byte
// that is not valid UTF-8 counts as one, as the U+FFFD an editor decodes
// it to.
func utf16Len(b []byte) int {
	n := 0
	for _, r := range string(b) {
		n += utf16.RuneLen(r)
	}
	return n
}
