package a

import (
	"bytes"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"log"
	"os"
	"text/template"
)

// --- a nil result every caller takes for "none" ---

// listPlugins returns what it could list; the nil a failure leaves is its
// "no plugins", and every caller only ranges over, measures or appends it.
func listPlugins(dir string) []os.DirEntry {
	entries, err := os.ReadDir(dir)
	if err != nil {
		log.Printf("plugin directory %s: %v", dir, err)
	}
	log.Printf("plugins: %v", entries)
	return entries
}

func countPlugins(dirs []string) int {
	var all []os.DirEntry
	for _, d := range dirs {
		all = append(all, listPlugins(d)...)
		if len(listPlugins(d)) == 0 {
			log.Printf("%s: none", d)
		}
		found := listPlugins(d)
		for _, e := range found {
			log.Print(e.Name())
		}
	}
	return len(all)
}

// listNames has a caller that indexes the result: a nil there panics.
func listNames(dir string) []os.DirEntry {
	entries, err := os.ReadDir(dir)
	if err != nil { // want `error from os.ReadDir is only logged: execution falls through and uses entries`
		log.Printf("names %s: %v", dir, err)
	}
	return entries
}

func firstName(dir string) string {
	for _, e := range listNames(dir) {
		return e.Name()
	}
	return listNames(dir)[0].Name()
}

// ListAll is exported: its callers elsewhere are not in view.
func ListAll(dir string) []os.DirEntry {
	entries, err := os.ReadDir(dir)
	if err != nil { // want `error from os.ReadDir is only logged: execution falls through and uses entries`
		log.Printf("all %s: %v", dir, err)
	}
	return entries
}

func countAll(dir string) int { return len(ListAll(dir)) }

// --- a drop the author states ---

// previousTag logs a failure whose only effect the comment says is
// acceptable: not reported.
func previousTag(dir string) []os.DirEntry {
	entries, err := os.ReadDir(dir)
	if err != nil {
		// shouldn't error, will only affect the changelog
		log.Printf("no tags in %s", dir)
	}
	return entries
}

// --- a function with an error result that only measures, logs or
// deletes from what the failed call left ---

// cleanup skips the clean-up when the pending list cannot be read, and says
// why: not reported.
func cleanup(dir string, keep map[string]bool) (int, error) { // want cleanup:"nilError"
	pending, err := listPending(dir)
	if err != nil {
		log.Printf("could not list pending entries for cleanup: %v", err)
	}
	for name := range keep {
		delete(pending, name)
	}
	log.Printf("%d pending: %v", len(pending), pending)
	return len(keep), nil
}

func listPending(dir string) (map[string]int, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	m := map[string]int{}
	for i, e := range entries {
		m[e.Name()] = i
	}
	return m, nil
}

// --- a branch on an error documented never to happen ---

// sessionKey logs a failure of crypto/rand.Read, which since Go 1.24 never
// returns one: the branch never runs.
func sessionKey() []byte {
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		log.Printf("no randomness")
	}
	return key
}

// rescan takes a file it cannot stat for a changed one, and says so in the
// branch: not reported.
func rescan(path string, queue chan<- string) error { // want rescan:"nilError"
	info, err := os.Stat(path)
	if err != nil {
		// assume the file has changed
		queue <- path
		return nil
	}
	if info.Size() > 0 {
		queue <- path
	}
	return nil
}

// encodeWords cannot fail: a []string always marshals.
func encodeWords(words []string) string {
	b, err := json.Marshal(words)
	if err != nil {
		log.Printf("cannot encode")
	}
	return string(b)
}

// --- a callee that answers its failure with a value it chose ---

// expand hands the raw template back when it cannot run it.
func expand(body, name string) ([]byte, error) { // want expand:"fallsBack"
	t, err := template.New("body").Parse(body)
	if err != nil {
		return []byte(body), err
	}
	var b bytes.Buffer
	if err := t.Execute(&b, name); err != nil {
		return []byte(body), fmt.Errorf("running the body template: %w", err)
	}
	return b.Bytes(), nil
}

func reply(body, name string) []byte {
	msg, err := expand(body, name)
	if err != nil {
		log.Printf("could not expand the reply body: %v", err)
	}
	return msg
}

// Without the error's value in the log, the fallback is still silent.
func replyQuiet(body, name string) []byte {
	msg, err := expand(body, name)
	if err != nil { // want `error from expand is only logged: execution falls through and uses msg`
		log.Printf("could not expand the reply body")
	}
	return msg
}
