package inventory

import (
	"context"
	"time"
)

// SyncLoop copies stock levels to the reporting database every minute
// until ctx is done.
func SyncLoop(ctx context.Context, s *Store, sync func(context.Context, *Store) error) {
	t := time.NewTicker(time.Minute)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			func() {
				defer func() {
					recover()
				}()
				sync(ctx, s)
			}()
		}
	}
}
