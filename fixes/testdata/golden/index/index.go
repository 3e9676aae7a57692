// Package index holds constant indexes into input-length slices, and
// handlers whose request input fails to parse.
package index

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
)

// Entry is one row of a sales report.
type Entry struct {
	Date, Product, Units, Revenue string
}

// readEntries uses four fields of every record: fix-all guards the record
// once, for the largest index, before the first.
func readEntries(r io.Reader) ([]Entry, error) {
	recs, err := csv.NewReader(r).ReadAll()
	if err != nil {
		return nil, err
	}
	var out []Entry
	for _, rec := range recs {
		date := strings.TrimSpace(rec[1])
		out = append(out, Entry{
			Date:    date,
			Product: rec[2],
			Units:   rec[0],
			Revenue: rec[3],
		})
	}
	return out, nil
}

// readLabels reads "key: value" lines.
func readLabels(r io.Reader) (map[string]string, error) {
	labels := map[string]string{}
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		line := sc.Text()
		kv := strings.SplitN(line, ": ", 2)
		labels[kv[0]] = kv[1]
	}
	return labels, sc.Err()
}

// handleItem serves GET /items/{kind}/{id}?limit=N.
func handleItem(w http.ResponseWriter, r *http.Request) {
	parts := strings.Split(r.URL.Path, "/")
	kind := parts[2]
	id := parts[3]
	limit, _ := strconv.Atoi(r.URL.Query().Get("limit"))
	var req struct{ Note string }
	json.NewDecoder(r.Body).Decode(&req)
	fmt.Fprintln(w, kind, id, limit, req.Note)
}

var monthRe = regexp.MustCompile(`^(\d{2})/(\d{4})$`)

// Month turns "07/2024" into "2024-07": one nil check covers both groups.
func Month(arg string) string {
	m := monthRe.FindStringSubmatch(arg)
	year := m[2]
	mon := m[1]
	return year + "-" + mon
}

// handleStats serves GET /stats?code=C.
func handleStats(w http.ResponseWriter, r *http.Request) {
	code := r.URL.Query()["code"][0]
	fmt.Fprintln(w, code)
}
