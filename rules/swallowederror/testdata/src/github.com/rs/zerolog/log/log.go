// Package log stands in for github.com/rs/zerolog/log.
package log

import "github.com/rs/zerolog"

var Logger zerolog.Logger

func Fatal() *zerolog.Event { return Logger.Fatal() }
func Info() *zerolog.Event  { return Logger.Info() }
