package recovers

import (
	"log"
	"log/slog"
)

// janitor logs that it stopped, but not why: the fix adds the value and
// the stack to that log rather than writing a second line.
func janitor(sweep func()) {
	defer func() {
		if r := recover(); r != nil {
			log.Printf("janitor stopped unexpectedly")
		}
	}()
	sweep()
}

// tick logs through slog without the value.
func tick(logger *slog.Logger, f func()) {
	defer func() {
		if recover() != nil {
			logger.Error("tick panicked", "task", "cleanup")
		}
	}()
	f()
}
