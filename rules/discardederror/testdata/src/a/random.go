package a

import (
	"crypto/rand"
	"fmt"
	"io"
	"os"
)

// ---- reads of crypto/rand's Reader, which fail only as rand.Read would ----

// newUUID's error is nil: the only error it returns is io.ReadFull's of
// crypto/rand.Reader, which fails only when the system's generator does
// (since Go 1.24 rand.Read, the same read, crashes the program instead).
func newUUID() (string, error) { // want newUUID:"neverFails\\(nil\\)"
	b := make([]byte, 16)
	n, err := io.ReadFull(rand.Reader, b)
	if n != len(b) || err != nil {
		return "", err
	}
	b[6] = b[6]&0x0f | 0x40
	return fmt.Sprintf("%x-%x", b[:8], b[8:]), nil
}

func subscriptionARN(topic string) string {
	id, _ := newUUID()
	return topic + ":" + id
}

func nonce() []byte {
	b := make([]byte, 12)
	rand.Reader.Read(b)
	return b
}

// randIDWithLen sets its named error only from crypto/rand.Read, which
// never fails: the bare return under the check never runs.
func randIDWithLen(n int) (id string, err error) { // want randIDWithLen:"neverFails\\(nil\\)"
	if n <= 0 {
		return "", nil
	}
	b := make([]byte, n/2+1)
	_, err = rand.Read(b)
	if err != nil {
		return
	}
	id = fmt.Sprintf("%x", b)
	return id[:n], nil
}

func randID() (string, error) { return randIDWithLen(16) } // want randID:"neverFails\\(randIDWithLen\\)"

func requestID() string {
	id, _ := randID()
	return "req-" + id
}

// openNamed sets its named error from os.Open, which fails.
func openNamed(path string) (name string, err error) {
	_, err = os.Open(path)
	if err != nil {
		return
	}
	return path, nil
}

func openedName(path string) string {
	n, _ := openNamed(path) // want `error from openNamed is discarded`
	return n
}
