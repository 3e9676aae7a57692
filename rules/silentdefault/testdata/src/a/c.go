package a

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log"
	"net/netip"
	"os"
	"strconv"
	"strings"
	"time"
)

// ---- fields of a decoded document ----

type order struct {
	Currency string
	Region   string
	Note     string
}

func decodeOrder(line []byte) (order, error) {
	var m map[string]any
	if err := json.Unmarshal(line, &m); err != nil {
		return order{}, err
	}
	var o order
	if c, ok := m["currency"].(string); ok && c != "" {
		o.Currency = strings.ToUpper(c)
	} else {
		o.Currency = "USD" // want `m\["currency"\] falls back to "USD" without a log when it is missing or not a string`
	}
	region := "eu-west-1" // want `m\["region"\] falls back to "eu-west-1"`
	if r, ok := m["region"].(string); ok {
		region = r
	}
	o.Region = region
	// A missing note stays empty: a zero value, not a chosen one.
	if n, ok := m["note"].(string); ok {
		o.Note = n
	}
	return o, nil
}

// A document the function built itself holds what it put there.
func labels() string {
	m := map[string]any{"env": "prod"}
	env, ok := m["env"].(string)
	if !ok {
		env = "dev"
	}
	return env
}

// ---- failures that are not replaced silently ----

// The fallback is itself an error: the caller learns of the failure.
func decodeErr(body []byte, remote string) (err error) {
	var resp struct{ Error string }
	if err = json.Unmarshal(body, &resp); err != nil {
		err = fmt.Errorf("can't decode error info from %s", remote)
		return
	}
	return nil
}

// -1 marks a value as unknown; the caller tests for it.
func parseUsage(out string) (total int64) {
	fields := strings.Fields(out)
	total, err := strconv.ParseInt(fields[len(fields)-1], 10, 64)
	if err != nil {
		total = -1
	}
	return total
}

// ---- stated fallbacks and conventional variables ----

func modTime(meta map[string]string, created time.Time) time.Time {
	// Use the modification time from the metadata; otherwise fall back
	// to the creation time.
	modified := created
	if s, ok := meta["mtime"]; ok {
		var err error
		modified, err = time.Parse(time.RFC3339Nano, s)
		if err != nil {
			modified = created
		}
	}
	return modified
}

func krb5Config() string {
	path := os.Getenv("KRB5_CONFIG")
	if path == "" {
		path = "/etc/krb5.conf"
	}
	return path
}

// The GitHub Actions runner sets ACTIONS_* for the job; outside it the
// program serves its own.
func runtimeURL(addr string) string {
	u := os.Getenv("ACTIONS_RUNTIME_URL")
	if u == "" {
		u = "http://" + addr + "/"
	}
	return u
}

// ---- a value built from the parse, and its fallback ----

type step struct{ TimeoutMinutes, Addr string }

func stepTimeout(ctx context.Context, s *step) (context.Context, context.CancelFunc) {
	if s.TimeoutMinutes != "" {
		if m, err := strconv.ParseInt(s.TimeoutMinutes, 10, 64); err == nil {
			return context.WithTimeout(ctx, time.Duration(m)*time.Minute)
		}
	}
	return ctx, func() {} // want `when strconv\.ParseInt\(s\.TimeoutMinutes, 10, 64\) fails, ctx, \(func\(\) literal\) is used`
}

// A yes/no answer computed from the value is not a fallback.
func isLocal(s *step) bool {
	if ip, err := netip.ParseAddr(s.Addr); err == nil {
		return ip.IsLoopback()
	}
	return true
}

// ---- a parse that logs its own failure ----

func decodeMD5(s string) (string, error) {
	b, err := hex.DecodeString(s)
	if err != nil {
		log.Printf("bad md5 %q: %v", s, err)
		return "", err
	}
	return string(b), nil
}

// decodeQuiet returns its error without a word.
func decodeQuiet(s string) (string, error) {
	b, err := hex.DecodeString(s)
	if err != nil {
		return "", err
	}
	return string(b), nil
}

type object struct{ md5, sum string }

func (o *object) setMD5(meta map[string]string) {
	md5, err := decodeMD5(meta["md5"])
	if err != nil {
		md5 = "unknown" // decodeMD5 logged the failure
	}
	o.md5 = md5
	sum, err := decodeQuiet(meta["sum"])
	if err != nil {
		sum = "unknown" // want `when decodeQuiet\(meta\["sum"\]\) fails, "unknown" is used without a log`
	}
	o.sum = sum
}
