package provenance

import "slices"

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
	// Tokens of a streamed document: their kind depends on the input.
	"encoding/json.Decoder.Token", "encoding/xml.Decoder.Token", "encoding/xml.Decoder.RawToken",
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
	// ReadAll's rows are input-length as well as the outer slice.
	"encoding/csv.Reader.ReadAll",
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

// mustCheck errors must be checked even where a rule otherwise lets them go
// (a Close is usually best-effort, a call before `return err` is usually
// cleanup). For discarded-error this is the list of fallible operations
// whose failure loses data or state: a dropped error from one of these is
// always reported, while the program's own calls are trusted to be dropped
// on purpose. Add your own persistence calls here through the configuration.
var mustCheck = []string{
	// A failed commit rolls the transaction back: the changes are gone.
	// A failed Exec changed nothing.
	"database/sql.Tx.Commit",
	"database/sql.DB.Exec", "database/sql.DB.ExecContext", "database/sql.Tx.Exec", "database/sql.Tx.ExecContext",
	"database/sql.Stmt.Exec", "database/sql.Stmt.ExecContext", "database/sql.Conn.ExecContext",
	// The sticky error of every earlier buffered write surfaces here.
	"bufio.Writer.Flush", "encoding/csv.Writer.Flush",
	// Compressors and archive writers write their last block and trailer
	// (checksum, central directory) on Close, and report earlier write
	// errors there.
	"archive/tar.Writer.Close", "archive/tar.Writer.Flush", "archive/zip.Writer.Close", "archive/zip.Writer.Flush",
	"compress/flate.Writer.Close", "compress/flate.Writer.Flush",
	"compress/gzip.Writer.Close", "compress/gzip.Writer.Flush",
	"compress/zlib.Writer.Close", "compress/zlib.Writer.Flush",
	// Sync is called to make data durable; its failure means it is not.
	"os.File.Sync",
	// Writing a whole file: a failure leaves it missing or partial.
	"os.WriteFile", "io/ioutil.WriteFile",
	// File-system changes the program goes on to rely on.
	"os.Mkdir", "os.MkdirAll", "os.Rename", "os.Link", "os.Symlink", "os.Truncate",
	"os.Chmod", "os.Chown", "os.Lchown", "os.Chtimes", "os.Chdir",
	"os.File.Chmod", "os.File.Chown", "os.File.Truncate",
	// A server that fails to listen (address in use, bad certificate)
	// returns at once; dropped, usually under `go`, nobody hears of it.
	"net/http.ListenAndServe", "net/http.ListenAndServeTLS", "net/http.Serve", "net/http.ServeTLS",
	"net/http.Server.ListenAndServe", "net/http.Server.ListenAndServeTLS", "net/http.Server.Serve", "net/http.Server.ServeTLS",
	// A command that failed did not do its work.
	"os/exec.Cmd.Run",
	// Decoding input whose error is dropped leaves the target empty or
	// half-filled, and the code goes on as if the input had been valid.
	"encoding/json.Unmarshal", "encoding/json.Decoder.Decode",
	"encoding/xml.Unmarshal", "encoding/xml.Decoder.Decode",
	"encoding/gob.Decoder.Decode",
	// A template that fails half-way leaves partial output behind.
	"text/template.Template.Execute", "text/template.Template.ExecuteTemplate",
	"html/template.Template.Execute", "html/template.Template.ExecuteTemplate",
}

// neverErrs are calls whose error result is documented to be always nil:
// code under a check of it never runs (NeverErrs). They are on neverFail
// too.
var neverErrs = []string{
	"bytes.Buffer.Write", "bytes.Buffer.WriteString", "bytes.Buffer.WriteByte", "bytes.Buffer.WriteRune",
	"strings.Builder.Write", "strings.Builder.WriteString", "strings.Builder.WriteByte", "strings.Builder.WriteRune",
	"hash.Hash.Write", "hash.Hash32.Write", "hash.Hash64.Write",
	"crypto/rand.Read", "math/rand.Read", "math/rand.Rand.Read",
	// Since Go 1.24 crypto/rand.Reader never returns an error (a failure of
	// the system's generator crashes the program), and these fail only when
	// their random source does (rand.Int panics for max <= 0 instead).
	"crypto/rand.Int", "crypto/ed25519.GenerateKey",
	"io.PipeReader.Close", "io.PipeReader.CloseWithError", "io.PipeWriter.Close", "io.PipeWriter.CloseWithError",
}

// NeverErrs reports whether a call with one of these names returns an
// error that is documented to be always nil (crypto/rand.Read since Go
// 1.24, bytes.Buffer.Write): a branch on that error is dead code.
func NeverErrs(names ...string) bool { return neverErrsSet.Has(names...) }

var neverErrsSet = newSet(neverErrs...)

// neverFail errors may be dropped: the call is documented never to fail,
// its error is sticky and reported again by a later call, or it is
// best-effort by nature (nobody can act on the failure and nothing the
// program still holds is lost). The discarded-error rule adds provenance
// on top: a Close is reported only on something written, and a write only
// when its destination is not quiet (see quietDestination there: a
// destination is quiet when its type's Write is listed here).
var neverFail = slices.Concat(neverErrs, flagTable, []string{
	// Documented never to return an error (the error is there to satisfy
	// io.Writer and friends), besides neverErrs.
	"bytes.Buffer.*", "strings.Builder.*", "bytes.Reader.*", "strings.Reader.*",
	"hash/maphash.Hash.*",
	// Sticky errors: the first failure is remembered and returned again by
	// Flush, Close or Error, which must be checked instead (mustCheck).
	"bufio.Writer.Write", "bufio.Writer.WriteString", "bufio.Writer.WriteByte", "bufio.Writer.WriteRune", "bufio.Writer.ReadFrom",
	"bufio.ReadWriter.Write", "bufio.ReadWriter.WriteString", "bufio.ReadWriter.WriteByte", "bufio.ReadWriter.WriteRune",
	"encoding/csv.Writer.Write",
	"archive/tar.Writer.Write", "compress/flate.Writer.Write", "compress/gzip.Writer.Write", "compress/zlib.Writer.Write",
	// Undo on a failure path: Rollback after a failed statement, or
	// deferred after Commit (where it returns ErrTxDone); Rows.Err and
	// Commit carry the error that matters.
	"database/sql.Tx.Rollback", "database/sql.Rows.Close", "database/sql.Stmt.Close", "database/sql.Conn.Close",
	// Unread fails only when misused, which the next read would show.
	"bufio.Reader.UnreadByte", "bufio.Reader.UnreadRune",
	// Writes to standard output and to an HTTP response: when they fail the
	// reader (a closed terminal, a client that went away) is gone, and
	// nobody is left to tell.
	// A tabwriter lays out tables for a terminal.
	"fmt.Print", "fmt.Printf", "fmt.Println",
	"net/http.ResponseWriter.Write",
	"text/tabwriter.Writer.Write", "text/tabwriter.Writer.Flush",
	// Deadlines fail only on a closed connection, which the next Read or
	// Write reports.
	"net.Conn.SetDeadline", "net.Conn.SetReadDeadline", "net.Conn.SetWriteDeadline",
	"net.TCPConn.SetDeadline", "net.TCPConn.SetReadDeadline", "net.TCPConn.SetWriteDeadline",
	"net.UDPConn.SetDeadline", "net.UDPConn.SetReadDeadline", "net.UDPConn.SetWriteDeadline",
	"net.UnixConn.SetDeadline", "net.UnixConn.SetReadDeadline", "net.UnixConn.SetWriteDeadline",
	"crypto/tls.Conn.SetDeadline", "crypto/tls.Conn.SetReadDeadline", "crypto/tls.Conn.SetWriteDeadline",
	"net/http.ResponseController.SetReadDeadline", "net/http.ResponseController.SetWriteDeadline",
	// TCP keep-alive and no-delay are tuning of a live connection: they
	// fail only when it is closed, which the next Read or Write reports,
	// and the net package's own Dialer and Listener drop these errors.
	"net.TCPConn.SetKeepAlive", "net.TCPConn.SetKeepAlivePeriod", "net.TCPConn.SetKeepAliveConfig",
	"net.TCPConn.SetNoDelay",
	// Constructors that fail only for an invalid compression level or key
	// size: a programming error the first test run shows.
	"compress/flate.NewWriter", "compress/flate.NewWriterDict", "compress/gzip.NewWriterLevel",
	"compress/zlib.NewWriterLevel", "compress/zlib.NewWriterLevelDict",
	"crypto/aes.NewCipher", "crypto/des.NewCipher", "crypto/des.NewTripleDESCipher",
	// Closing a raw descriptor: the program keeps no buffered data in it.
	"syscall.Close", "golang.org/x/sys/unix.Close",
	// Stopping or signalling a process that may already have exited.
	"os.Process.Kill", "os.Process.Release", "os.Process.Signal", "syscall.Kill", "golang.org/x/sys/unix.Kill",
	// Cleanup: removing a temporary file or directory; a leftover loses
	// nothing, and a removal that matters is followed by a step that fails.
	"os.Remove", "os.RemoveAll", "syscall.Unlink", "mime/multipart.Form.RemoveAll",
	// The error is an answer, not a failure: an address without a port.
	"net.SplitHostPort",
	// Setenv fails only for a key that is empty or holds '=' or NUL: keys
	// are the program's own.
	"os.Setenv", "os.Unsetenv",
	// Flushing an HTTP response: the client went away.
	"net/http.ResponseController.Flush",
	// zap's field encoders build a log entry in memory; the error comes
	// from the program's own marshaler, and a log line is best-effort.
	"go.uber.org/zap/zapcore.ObjectEncoder.AddArray", "go.uber.org/zap/zapcore.ObjectEncoder.AddObject",
	"go.uber.org/zap/zapcore.ObjectEncoder.AddReflected",
	"go.uber.org/zap/zapcore.ArrayEncoder.AppendArray", "go.uber.org/zap/zapcore.ArrayEncoder.AppendObject",
	"go.uber.org/zap/zapcore.ArrayEncoder.AppendReflected",
	// Logging about logging: nothing sensible can be done on failure.
	// zap's Sync fails on a terminal or pipe (EINVAL) with nothing lost.
	"log.Output", "log.Logger.Output",
	"go.uber.org/zap.Logger.Sync", "go.uber.org/zap.SugaredLogger.Sync",
	// Help and usage text written to the terminal.
	"github.com/spf13/cobra.Command.Help", "github.com/spf13/cobra.Command.Usage",
})

// flagTable are calls on the program's own table of command-line flags:
// they fail only for a flag name the program did not define (or defined
// with another type), which is the program's own text, not input, and
// fails the same way on every run (FlagTable). They are on neverFail too.
var flagTable = append(pflagGetters(
	"Bool", "BoolSlice", "BytesBase64", "BytesHex", "Count", "Duration", "DurationSlice",
	"Float32", "Float32Slice", "Float64", "Float64Slice", "IP", "IPNet", "IPNetSlice", "IPSlice", "IPv4Mask",
	"Int", "Int8", "Int16", "Int32", "Int32Slice", "Int64", "Int64Slice", "IntSlice",
	"String", "StringArray", "StringSlice", "StringToInt", "StringToInt64", "StringToString",
	"Uint", "Uint8", "Uint16", "Uint32", "Uint64", "UintSlice",
),
	"github.com/spf13/pflag.FlagSet.SetAnnotation", "github.com/spf13/pflag.FlagSet.MarkHidden",
	"github.com/spf13/pflag.FlagSet.MarkDeprecated",
	"github.com/spf13/cobra.Command.MarkFlagRequired", "github.com/spf13/cobra.Command.MarkPersistentFlagRequired",
	"github.com/spf13/cobra.Command.MarkFlagFilename", "github.com/spf13/cobra.Command.MarkFlagDirname",
	"github.com/spf13/cobra.Command.RegisterFlagCompletionFunc",
	"github.com/spf13/viper.BindPFlag", "github.com/spf13/viper.BindPFlags", "github.com/spf13/viper.BindEnv",
	"github.com/spf13/viper.Viper.BindPFlag", "github.com/spf13/viper.Viper.BindPFlags", "github.com/spf13/viper.Viper.BindEnv",
)

// pflagGetters names pflag's typed getters, GetBool for "Bool": each looks
// up a flag by name and converts the value its Set already validated, so it
// fails only for a flag not defined, or defined with another type.
func pflagGetters(types ...string) []string {
	names := make([]string, len(types))
	for i, t := range types {
		names[i] = "github.com/spf13/pflag.FlagSet.Get" + t
	}
	return names
}

var flagTableSet = newSet(flagTable...)

// FlagTable reports whether a call with one of these names looks up or
// marks a command-line flag in the program's own table (pflag's
// `GetBool`, cobra's `MarkFlagRequired`, viper's `BindPFlag`): it fails
// only for a flag the program did not define, on every run alike, so a
// branch on its error never runs in a program that runs at all, and the
// cause it would carry ("flag accessed but not defined") shows at the
// first run.
func FlagTable(names ...string) bool { return flagTableSet.Has(names...) }

// loggers report a condition to a person: a call of one of these makes a
// branch "not silent". Method names are matched on any logger type through
// LogMethodNames as well, since applications bring their own loggers.
var loggers = []string{
	"log.*", "log.Logger.*", "log/slog.*", "log/slog.Logger.*",
	"testing.T.Log", "testing.T.Logf", "testing.T.Error", "testing.T.Errorf",
	"testing.B.Log", "testing.B.Logf", "testing.B.Error", "testing.B.Errorf",
	"testing.TB.Log", "testing.TB.Logf", "testing.TB.Error", "testing.TB.Errorf",
	// Package-level loggers of common libraries (their methods are found
	// through LogMethodNames), and a stack dump to standard error.
	"k8s.io/klog/v2.Error", "k8s.io/klog/v2.Errorf", "k8s.io/klog/v2.ErrorS",
	"k8s.io/klog/v2.Warning", "k8s.io/klog/v2.Warningf", "k8s.io/klog/v2.Info", "k8s.io/klog/v2.Infof", "k8s.io/klog/v2.InfoS",
	"github.com/sirupsen/logrus.Error", "github.com/sirupsen/logrus.Errorf",
	"github.com/sirupsen/logrus.Warn", "github.com/sirupsen/logrus.Warnf",
	"github.com/sirupsen/logrus.Print", "github.com/sirupsen/logrus.Printf",
	"runtime/debug.PrintStack",
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
	// Package-level fatal logging of common libraries.
	"k8s.io/klog/v2.Fatal", "k8s.io/klog/v2.Fatalf", "k8s.io/klog/v2.Exit", "k8s.io/klog/v2.Exitf",
	"github.com/sirupsen/logrus.Fatal", "github.com/sirupsen/logrus.Fatalf",
	"github.com/sirupsen/logrus.Panic", "github.com/sirupsen/logrus.Panicf",
	// gopher-lua's errors raise a Lua error, a panic its interpreter
	// recovers: the Go code after them never runs.
	"github.com/yuin/gopher-lua.LState.ArgError", "github.com/yuin/gopher-lua.LState.TypeError",
	"github.com/yuin/gopher-lua.LState.RaiseError", "github.com/yuin/gopher-lua.LState.Error",
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
	"Trace": true, "Tracef": true, "Tracew": true,
}

// equalities compare their arguments and nothing else: a value passed to
// one is compared, as with ==, and a nil is an answer like any other.
var equalities = []string{
	"reflect.DeepEqual", "bytes.Equal", "slices.Equal", "maps.Equal",
	"github.com/google/go-cmp/cmp.Equal", "github.com/google/go-cmp/cmp.Diff",
}

var equalitiesSet = newSet(equalities...)

// Compares reports whether a call with one of these names only compares
// its arguments (reflect.DeepEqual, go-cmp's cmp.Equal).
func Compares(names ...string) bool { return equalitiesSet.Has(names...) }

// nilOnMiss are the standard library's lookups that answer "not there" with
// a nil first result and nothing beside it to say so.
var nilOnMiss = []string{
	"flag.Lookup", "flag.FlagSet.Lookup",
	"text/template.Template.Lookup", "html/template.Template.Lookup",
	"errors.Unwrap",
	"container/list.List.Front", "container/list.List.Back",
	"container/list.Element.Next", "container/list.Element.Prev",
	"runtime.FuncForPC",
	"encoding/pem.Decode",
	"go/types.Scope.Lookup",
}

// nilSafe are methods of the standard library that answer a nil receiver
// by their own code (if f == nil { return "" }). The standard library is
// analysed without facts, so its methods are otherwise taken to dereference
// their receiver; each entry here was read in the Go source.
var nilSafe = []string{
	"runtime.Func.Name",
	"net/url.Userinfo.Username", "net/url.Userinfo.Password", "net/url.Userinfo.String",
	"crypto/tls.Config.Clone",
}
