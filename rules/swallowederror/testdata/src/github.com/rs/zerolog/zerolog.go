// Package zerolog stands in for github.com/rs/zerolog: an event of the
// fatal level exits when its message is sent.
package zerolog

import "os"

type Event struct{ exit bool }

func (e *Event) Msg(msg string) {
	if e.exit {
		os.Exit(1)
	}
}

func (e *Event) Msgf(format string, v ...any) { e.Msg(format) }

type Logger struct{}

func (l Logger) Fatal() *Event { return &Event{exit: true} }
func (l Logger) Info() *Event  { return &Event{} }
