// Package zlog uses zerolog: a fatal event ends the branch, an info event
// does not.
package zlog

import (
	"os"

	"github.com/rs/zerolog/log"
)

func readConfig(path string) []byte {
	data, err := os.ReadFile(path)
	if err != nil {
		log.Fatal().Msgf("read config %s: %v", path, err) // exits: the branch does not fall through
	}
	return data
}

func readOptional(path string) []byte {
	data, err := os.ReadFile(path)
	if err != nil { // want `error from os.ReadFile is only logged: execution falls through and uses data`
		log.Info().Msg("no config")
	}
	return data[:1]
}
