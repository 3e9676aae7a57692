package a

import (
	"crypto/rand"
	"fmt"
	"io"
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
