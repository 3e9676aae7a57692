package errs

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"strconv"
)

// Order is a customer's order.
type Order struct{ ID string }

// OrderStore persists orders.
type OrderStore interface {
	Save(o *Order) error
}

// Shop serves orders.
type Shop struct{ store OrderStore }

// list parses its paging input without looking: bad input is the client's.
func (s *Shop) list(w http.ResponseWriter, r *http.Request) {
	limit, _ := strconv.Atoi(r.URL.Query().Get("limit"))
	page := r.FormValue("page")
	n, _ := strconv.Atoi(page)
	fmt.Fprintf(w, "limit %d page %d\n", limit, n)
}

// create decodes the order and saves it; both errors are dropped.
func (s *Shop) create(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	var o Order
	json.NewDecoder(r.Body).Decode(&o)
	s.store.Save(&o)
	w.WriteHeader(http.StatusCreated)
	fmt.Fprintln(w, r.Form.Get("note"), o.ID)
}

// name scans a row without looking at the error.
func name(rows *sql.Rows) (string, error) {
	var n string
	rows.Scan(&n)
	return n, nil
}

// saveIndex persists the index in the background.
func (s *Shop) saveIndex() error { return os.WriteFile("index.json", nil, 0o644) }

// touch starts saving and forgets about it.
func (s *Shop) touch() {
	go s.saveIndex()
}

// count reads a number from text.
func count(s string) int {
	var n int
	fmt.Sscanf(s, "%d", &n)
	return n
}
