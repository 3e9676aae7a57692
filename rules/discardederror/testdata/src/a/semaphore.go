package a

import (
	"context"

	"golang.org/x/sync/semaphore"
)

// With a context that is never done, Acquire only blocks: it cannot fail.
func runAll(jobs []func()) {
	ctx := context.Background()
	sem := semaphore.NewWeighted(4)
	for _, job := range jobs {
		sem.Acquire(ctx, 1)
		job()
		sem.Release(1)
	}
	sem.Acquire(context.TODO(), 4)
}

// With the caller's context it fails when that context is cancelled, and
// the job runs without its slot.
func runAllCtx(ctx context.Context, jobs []func()) {
	sem := semaphore.NewWeighted(4)
	for _, job := range jobs {
		sem.Acquire(ctx, 1) // want `error from sem.Acquire is dropped`
		job()
		sem.Release(1)
	}
}
