package a

import "crypto/rand"

// A nil returned only when crypto/rand.Read fails is never returned: since
// Go 1.24 it never does. newToken may not return nil.
type token struct{ key []byte }

func newToken() *token {
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return nil
	}
	other := make([]byte, 32)
	_, err := rand.Read(other)
	if err != nil {
		return nil
	}
	return &token{key: key}
}

func tokenKey() []byte { return newToken().key }
