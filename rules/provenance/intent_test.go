package provenance

import "testing"

func TestStatesDrop(t *testing.T) {
	for _, tc := range []struct {
		text string
		want bool
	}{
		{"best effort: the cache is optional", true},
		{"ignore the error, the file is rewritten below", true},
		{"Ignore errors here, as they will have been caught above", true},
		{"ignores I/O errors: a pattern that matches nothing returns nil", true},
		{"errors are ignored", true},
		{"exit status ignored", true},
		{"ignore the exit status of the user's command", true},
		{"the exit code is ignored: fzf reports the command's output", true},
		{"ignore it if this fails", true},
		{"ignoring blank hashes", false},
		{"ignore hidden files", false},
		{"Seek cannot fail on a bytes.Reader", true},
		{"We should never panic here", true},
		{"shouldn't error, will only affect templates and changelog", true},
		{"the error will be nil since the compression level is valid", true},
		{"err is nil when the file exists", false},
		{"check the error is nil", false},
		{"this was likely not a metadata object, return empty xactID but don't throw error", true},
		{"do not return an error: the listing goes on", true},
		{"already gone, nothing to do", false},
		{"no index yet on first run", false},
		{"No root so return old f", false},
		{"a panic in fn won't crash the process", false},
		{"TODO: ignore the error for now", false},
		{"//nolint:swallowed-error", false},
		{"If can't parse, assume local", true},
		{"if the lookup fails, assume the default region", true},
		{"when the header is missing we assume a direct connection", true},
		{"assume the file exists", false},
		{"if a file fails to verify, then matches is nil which results in restoring from scratch", true},
		{"parse target pack size from env, on error the default value will be used", true},
		{"We're not checking for errors here because we want to allow repo creation on the fly.", true},
		{"the default is used when the variable is unset", false},
		{"on error, return", false},
		{"check for errors before writing", false},
		{"if the write fails the file is left empty", false},
		{"invokeHookSync already logs the error", true},
		{"the error was already logged by the caller", true},
		{"already logged in", false},
		{"log the error", false},
		{"we assume this is local; the file may not exist", false},
		{`If we can't parse the version (e.g. when its "devel"), then ignore the current version checks`, true},
		{"if the cache cannot be read, skip it", true},
		{"skip hidden files", false},
		{"toDate parses s into a time.Time using the given layout, returning zero time on failure.", true},
		{"on failure, return", false},
		{"ignore the version checks for devel builds", false},
	} {
		if got := StatesDrop(tc.text); got != tc.want {
			t.Errorf("StatesDrop(%q) = %v, want %v", tc.text, got, tc.want)
		}
	}
}

func TestHidesCause(t *testing.T) {
	for _, tc := range []struct {
		text string
		want bool
	}{
		{"do not include the original error, as it contains the full URL (and password)", true},
		{"don't leak the underlying error to the client", true},
		{"hide the cause: it names internal hosts", true},
		{"redact the error", true},
		{"deliberately opaque", true},
		{"the server may be down", false},
		{"include the error in the reply", false},
		{"TODO: do not include the original error", false},
	} {
		if got := HidesCause(tc.text); got != tc.want {
			t.Errorf("HidesCause(%q) = %v, want %v", tc.text, got, tc.want)
		}
	}
}

func TestAssumesInstead(t *testing.T) {
	for _, tc := range []struct {
		text string
		want bool
	}{
		{"Lets just assume the file has changed.", true},
		{"we assume a direct connection", true},
		{"TODO: assume nothing", false},
		{"the file has changed", false},
		{"fallback: if it's not a string but also not an object/array, keep raw bytes", true},
		{"use the fall-back region", true},
		{"keep the raw bytes", false},
	} {
		if got := AssumesInstead(tc.text); got != tc.want {
			t.Errorf("AssumesInstead(%q) = %v, want %v", tc.text, got, tc.want)
		}
	}
}
