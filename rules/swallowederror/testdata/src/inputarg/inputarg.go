// Package inputarg holds a pointer argument that is the call's input, not
// its output.
package inputarg

import (
	"errors"
	"log"
)

type account struct {
	ID, Hash string
	Locked   bool
}

// login records the last login: u was read (checked) before the call, so
// it is the call's input, and a failed save leaves the account as it was,
// still valid.
func login(find func(string) (account, error), save func(*account) error, sessions map[string]string, name string) error {
	u, err := find(name)
	if err != nil {
		return err
	}
	if u.Locked {
		return errors.New("account locked")
	}
	err = save(&u)
	if err != nil {
		log.Println(err)
	}
	sessions[name] = u.ID
	return nil
}

// register fills u from the request: nothing reads it before the call, so
// the call's failure leaves it empty, and it is stored as if decoded.
func register(decode func(*account) error, sessions map[string]string, name string) {
	var u account
	err := decode(&u)
	if err != nil { // want `error from decode is only logged: execution falls through and uses u`
		log.Println(err)
	}
	sessions[name] = u.ID
}
