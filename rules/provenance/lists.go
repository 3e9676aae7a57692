package provenance

// The built-in lists. Each entry is a name as described in the package
// documentation. Keep them sorted within their groups, and say in a comment
// why a group belongs where it is.

// externalSources return data from outside the program.
var externalSources = []string{
	// The process environment and command line.
	"os.Getenv", "os.LookupEnv", "os.Environ", "os.Args",
	"flag.Arg", "flag.Args", "flag.FlagSet.Arg", "flag.FlagSet.Args",
	// HTTP request input.
	"net/http.Request.FormValue", "net/http.Request.PostFormValue",
	"net/http.Request.PathValue", "net/http.Request.Cookie",
	"net/http.Header.Get", "net/http.Header.Values",
	"net/url.Values.Get", "net/url.URL.Query", "net/url.ParseQuery",
}

// dynamicSources return interface values whose dynamic type was decided by
// another component.
var dynamicSources = []string{
	"context.Context.Value",
	"sync.Map.Load", "sync.Map.LoadOrStore", "sync.Map.LoadAndDelete", "sync.Map.Swap",
	"sync/atomic.Value.Load", "sync/atomic.Value.Swap",
}

// splitters return slices whose length depends on the input.
var splitters = []string{
	"os.Args", "flag.Args", "flag.FlagSet.Args",
	"strings.Split", "strings.SplitN", "strings.SplitAfter", "strings.SplitAfterN",
	"strings.Fields", "strings.FieldsFunc",
	"bytes.Split", "bytes.SplitN", "bytes.SplitAfter", "bytes.SplitAfterN",
	"bytes.Fields", "bytes.FieldsFunc",
	"path/filepath.SplitList",
	"regexp.Regexp.FindStringSubmatch", "regexp.Regexp.FindSubmatch",
	"regexp.Regexp.FindStringSubmatchIndex", "regexp.Regexp.FindSubmatchIndex",
	"regexp.Regexp.FindAllString", "regexp.Regexp.FindAll",
	"regexp.Regexp.FindAllStringSubmatch", "regexp.Regexp.FindAllSubmatch",
	"encoding/csv.Reader.Read",
}

// parsers convert text that may be malformed.
var parsers = []string{
	"strconv.Atoi", "strconv.ParseBool", "strconv.ParseFloat", "strconv.ParseInt",
	"strconv.ParseUint", "strconv.Unquote",
	"time.Parse", "time.ParseDuration", "time.ParseInLocation", "time.LoadLocation",
	"net/url.Parse", "net/url.ParseRequestURI", "net/url.ParseQuery",
	"net.ParseCIDR", "net/netip.ParseAddr", "net/netip.ParsePrefix", "net/netip.ParseAddrPort",
	"encoding/json.Unmarshal", "encoding/base64.Encoding.DecodeString", "encoding/hex.DecodeString",
}

// mustCheck errors must be checked even where a rule otherwise lets them go.
var mustCheck = []string{
	"database/sql.Tx.Commit",
	"bufio.Writer.Flush",
	"os.File.Sync",
}

// neverFail errors may be dropped.
var neverFail = []string{
	// Documented never to return an error.
	"bytes.Buffer.*", "strings.Builder.*", "hash.Hash.Write", "hash.Hash32.Write", "hash.Hash64.Write",
	"crypto/rand.Read", "math/rand.Read",
	// Writes to standard output: nothing sensible can be done on failure.
	"fmt.Print", "fmt.Printf", "fmt.Println",
}

// loggers report a condition to a person: a call of one of these makes a
// branch "not silent". Method names are matched on any logger type through
// LogMethodNames as well, since applications bring their own loggers.
var loggers = []string{
	"log.*", "log.Logger.*", "log/slog.*", "log/slog.Logger.*",
	"testing.T.Log", "testing.T.Logf", "testing.T.Error", "testing.T.Errorf",
	"testing.B.Log", "testing.B.Logf", "testing.B.Error", "testing.B.Errorf",
	"testing.TB.Log", "testing.TB.Logf", "testing.TB.Error", "testing.TB.Errorf",
}

// exits end the goroutine or the process: a branch that calls one of these
// does not fall through.
var exits = []string{
	"os.Exit", "runtime.Goexit",
	"log.Fatal", "log.Fatalf", "log.Fatalln", "log.Panic", "log.Panicf", "log.Panicln",
	"log.Logger.Fatal", "log.Logger.Fatalf", "log.Logger.Fatalln",
	"log.Logger.Panic", "log.Logger.Panicf", "log.Logger.Panicln",
	"testing.T.Fatal", "testing.T.Fatalf", "testing.T.FailNow", "testing.T.Skip", "testing.T.Skipf", "testing.T.SkipNow",
	"testing.B.Fatal", "testing.B.Fatalf", "testing.B.FailNow", "testing.B.Skip", "testing.B.Skipf", "testing.B.SkipNow",
	"testing.TB.Fatal", "testing.TB.Fatalf", "testing.TB.FailNow", "testing.TB.Skip", "testing.TB.Skipf", "testing.TB.SkipNow",
}

// LogMethodNames are method names that log on any receiver whose type name
// contains "log" (case-insensitively): zap, logrus, zerolog and home-grown
// loggers all use them.
var LogMethodNames = map[string]bool{
	"Print": true, "Printf": true, "Println": true,
	"Debug": true, "Debugf": true, "Debugw": true, "Info": true, "Infof": true, "Infow": true,
	"Warn": true, "Warnf": true, "Warnw": true, "Warning": true, "Warningf": true,
	"Error": true, "Errorf": true, "Errorw": true, "Log": true, "Logf": true,
	"DebugContext": true, "InfoContext": true, "WarnContext": true, "ErrorContext": true, "LogAttrs": true,
}
