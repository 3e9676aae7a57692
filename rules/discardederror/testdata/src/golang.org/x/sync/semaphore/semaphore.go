// Package semaphore is a stand-in for golang.org/x/sync/semaphore.
package semaphore

import (
	"context"
	"errors"
)

type Weighted struct{ size, cur int64 }

func NewWeighted(n int64) *Weighted { return &Weighted{size: n} }

// Acquire blocks until n is available or ctx is done; on failure it
// returns ctx.Err().
func (s *Weighted) Acquire(ctx context.Context, n int64) error {
	if s.cur+n <= s.size {
		s.cur += n
		return nil
	}
	<-ctx.Done()
	if err := ctx.Err(); err != nil {
		return err
	}
	return errors.New("unreachable")
}

func (s *Weighted) Release(n int64) { s.cur -= n }
